"""Consecutive `make run`s on a loaded machine (issue 18): does any run stall?

Runs ``python -m helpers run`` (the default articles: data/articles/ and the fetched samples; ``--articles`` for
others) ``--runs`` times in a row while ``--burners`` processes spin on the processor (``while True: pass``), and
prints one row per run: start (UTC), wall seconds, exit status, load average before and after, and the run's last
line of error output when it failed. A run that outlasts ``--stall`` seconds is killed and counted as a stall. The
burners are ended, by their own process ids, when the series ends or is interrupted. Each row is also appended to
``<out>/loaded-runs.csv`` as it comes, so a series cut short keeps what it measured.

    python benchmarks/loaded_runs.py --runs 20 --out /tmp/loaded-runs
    python benchmarks/loaded_runs.py --runs 20 --stop-after 2400     # as many of 20 as start within 40 minutes
    python benchmarks/loaded_runs.py --table /tmp/loaded-runs/loaded-runs.csv    # print a series' table again
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ["run", "started_utc", "seconds", "exit", "load_before", "load_after", "last_error_line"]


def start_burners(count: int) -> list[subprocess.Popen]:
    """``count`` processes that keep one core each busy until ended."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def end_burners(burners: list[subprocess.Popen]) -> None:
    for burner in burners:
        burner.kill()
        burner.wait(timeout=30)


def one_run(number: int, out: Path, *, articles: list[str], stall: float) -> dict:
    """Run the notebooks once into ``out/run-NN``; the row of the table."""
    run_dir = out / f"run-{number:02d}"
    command = [sys.executable, "-m", "helpers", "run", "--out", str(run_dir), "--replace"]
    command += ["--articles", *articles] if articles else []
    log = out / f"run-{number:02d}.log"
    load_before = os.getloadavg()[0]
    started = dt.datetime.now(dt.timezone.utc)
    clock = time.monotonic()
    with log.open("w") as stderr:
        process = subprocess.Popen(command, cwd=ROOT, stdout=stderr, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            status = process.wait(timeout=stall)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=60)
            status = f"stalled > {stall:.0f} s"
        except BaseException:  # the series was interrupted: end this run (and its kernels) too
            os.killpg(process.pid, signal.SIGKILL)
            raise
    seconds = time.monotonic() - clock
    lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    last_error = next((line for line in reversed(lines) if "failed" in line or "Error" in line), "") if status else ""
    return {"run": number, "started_utc": started.strftime("%H:%M:%S"), "seconds": f"{seconds:.1f}",
            "exit": status, "load_before": f"{load_before:.2f}", "load_after": f"{os.getloadavg()[0]:.2f}",
            "last_error_line": last_error[-160:]}


def print_table(rows: list[dict]) -> None:
    """The series as a table, with how many runs finished and the spread of their times."""
    print(f"{'run':>3}  {'started':8}  {'seconds':>8}  {'exit':>6}  {'load before':>11}  {'load after':>10}  error")
    for row in rows:
        print(f"{row['run']:>3}  {row['started_utc']:8}  {row['seconds']:>8}  {row['exit']:>6}  "
              f"{row['load_before']:>11}  {row['load_after']:>10}  {row['last_error_line']}")
    ok = [float(r["seconds"]) for r in rows if str(r["exit"]) == "0"]
    print(f"{len(ok)} of {len(rows)} runs finished with exit status 0"
          + (f"; wall time {min(ok):.1f}-{max(ok):.1f} s, median {sorted(ok)[len(ok) // 2]:.1f} s" if ok else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--burners", type=int, default=2, help="busy processes beside the runs (default 2)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/newskit-loaded-runs"), help="where the runs go")
    parser.add_argument("--articles", nargs="*", default=[], help="default: the kit's default articles")
    parser.add_argument("--stall", type=float, default=1800, help="seconds after which a run counts as stalled")
    parser.add_argument("--stop-after", type=float, help="start no new run after this many seconds")
    parser.add_argument("--table", type=Path, help="only print the table of a series' loaded-runs.csv")
    args = parser.parse_args(argv)
    if args.table:
        with args.table.open() as handle:
            print_table(list(csv.DictReader(handle)))
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    record = args.out / "loaded-runs.csv"
    rows = []
    burners = start_burners(args.burners)
    print(f"{args.runs} runs of `python -m helpers run` beside {args.burners} busy processes "
          f"(pids {', '.join(str(b.pid) for b in burners)}); {os.cpu_count()} cores", flush=True)
    series_start = time.monotonic()
    try:
        for number in range(1, args.runs + 1):
            if args.stop_after and time.monotonic() - series_start > args.stop_after:
                print(f"stopping after {number - 1} runs: --stop-after {args.stop_after:.0f} s passed", flush=True)
                break
            row = one_run(number, args.out, articles=args.articles, stall=args.stall)
            rows.append(row)
            new_file = not record.exists()
            with record.open("a", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=COLUMNS)
                if new_file:
                    writer.writeheader()
                writer.writerow(row)
            print(f"run {number}: {row['seconds']} s, exit {row['exit']}, load {row['load_before']} -> "
                  f"{row['load_after']}", flush=True)
    finally:
        end_burners(burners)
    print_table(rows)
    return 0 if all(str(r["exit"]) == "0" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
