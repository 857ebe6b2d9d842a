"""Rerun after new articles arrive: the full analysis on ~10,000 articles, then 10 more, then the same again from
scratch; prints both times, their ratio (target: the rerun takes at most 25 % of the first run, issue 18; it was
20 % while runs had a writer service and pre-started kernels) and whether the rerun's tables equal the from-scratch
run's.

The corpus is the kit's seed article (data/articles/) plus the Wikinews 2019 sample (Wikinews contributors, CC BY
2.5) repeated to N articles, each copy's text varied by one closing line so that every doc_id differs, in a folder
named wikinews_2019 (so the notebooks' collections are those of the default sources: articles, wikinews_2019). The notebooks run are copies of the kit's own, which
load and tokenise through the caches (cached_load_articles, cached_tokenize; any plain call is rewired in the copy).

    python benchmarks/bench_rerun.py [--articles 10000] [--new 10] [--notebooks 01 02 03] [--keep /tmp/folder]

Default: all ten notebooks (the full analysis).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helpers.settings import ARTICLES_DIR, NOTEBOOKS_DIR, SAMPLE_PATH  # noqa: E402
from helpers.runs.manifest import read_manifest  # noqa: E402
from helpers.runs.runner import list_notebooks, run  # noqa: E402

WIRING = {"helpers.load_articles(": "helpers.cached_load_articles(", "helpers.tokenize(": "helpers.cached_tokenize("}


def corpus(n: int, start: int = 0) -> pd.DataFrame:
    """``n`` articles: copies of the sample, copy k's text ending in one line naming the copy."""
    sample = pd.read_csv(SAMPLE_PATH, dtype=str, keep_default_na=False)
    rows = []
    for k in range(start, start + n):
        row = sample.iloc[k % len(sample)].to_dict()
        row["text"] = f"{row['text']}\n\nThis is edition {k // len(sample) + 1} of the story (copy {k})."
        rows.append(row)
    return pd.DataFrame(rows)


def wired_notebooks(folder: Path, names: list[str] | None = None) -> Path:
    """Copies of the kit's notebooks with the cache wired in, as the committed notebooks now do (docs/reruns.md)."""
    folder.mkdir(parents=True, exist_ok=True)
    for notebook in list_notebooks(names, folder=NOTEBOOKS_DIR):
        text = notebook.read_text()
        for old, new in WIRING.items():
            text = text.replace(old, new)
        (folder / notebook.name).write_text(text)
    return folder


def timed_run(sources, out, notebooks_dir, cache, env=None) -> tuple[float, Path]:
    old = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    try:
        clock = time.perf_counter()
        run_dir = run(sources, out, notebooks=list_notebooks(folder=notebooks_dir), cache=cache, compare_with=False,
                      progress=False)
        return time.perf_counter() - clock, run_dir
    finally:
        for key, value in old.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)


def notebook_seconds(run_dir: Path) -> dict[str, float]:
    """Seconds each executed notebook spent in its cells (papermill's per-cell durations), by notebook number."""
    seconds = {}
    for notebook in sorted((run_dir / "notebooks").glob("*.ipynb")):
        cells = json.loads(notebook.read_text())["cells"]
        seconds[notebook.name[:2]] = round(sum(c.get("metadata", {}).get("papermill", {}).get("duration") or 0
                                               for c in cells), 1)
    return seconds


def tables(run_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((run_dir / "tables").glob("*.csv"))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=10)
    parser.add_argument("--notebooks", nargs="*", help="notebook names or number prefixes (default: all)")
    parser.add_argument("--no-scratch", action="store_true", help="stop after the rerun (profiling)")
    parser.add_argument("--keep", help="work in this folder and keep it (default: a temporary folder, removed)")
    args = parser.parse_args()
    if not SAMPLE_PATH.exists():
        print("bench_rerun: the Wikinews sample is not fetched (make sample-data)")
        return 1
    work = Path(args.keep or tempfile.mkdtemp(prefix="newskit-bench-rerun-"))
    notebooks_dir = wired_notebooks(work / "notebooks", args.notebooks)
    folder = work / "wikinews_2019"
    folder.mkdir(parents=True, exist_ok=True)
    corpus(args.articles).to_csv(folder / "week-1.csv", index=False)
    sources = [str(ARTICLES_DIR), str(folder)]
    print(f"corpus: the seed article + {args.articles} articles, {(folder / 'week-1.csv').stat().st_size / 1e6:.1f} MB; "
          f"notebooks: {', '.join(p.name for p in list_notebooks(folder=notebooks_dir))}")

    first, first_dir = timed_run(sources, work / "runs" / "first", notebooks_dir, work / "cache")
    print(f"first run ({args.articles} articles, empty cache): {first:.1f} s")
    corpus(args.new, start=args.articles).to_csv(folder / "week-2.csv", index=False)
    rerun, rerun_dir = timed_run(sources, work / "runs" / "rerun", notebooks_dir, work / "cache")
    manifest = read_manifest(rerun_dir)
    print(f"rerun (+{args.new} articles, warm cache): {rerun:.1f} s; tokenised {manifest['cache']['tokenized']}, "
          f"reused {manifest['cache']['reused']}; sentence model: {manifest['sentence_model']['kind']}")
    print(f"rerun / first run: {rerun / first:.1%} (target <= 25%, issue 18)")
    print(f"seconds in each notebook's cells, first run: {notebook_seconds(first_dir)}")
    print(f"seconds in each notebook's cells, rerun:     {notebook_seconds(rerun_dir)}")
    if args.no_scratch:
        return 0

    model = manifest["sentence_model"]
    pin = {"NEWSKIT_SENTENCE_MODEL": model["path"]} if model["kind"] != "pretrained punkt_tab" else {}
    scratch, scratch_dir = timed_run(sources, work / "runs" / "scratch", notebooks_dir, work / "cache-scratch", pin)
    same = tables(scratch_dir) == tables(rerun_dir)
    differing = sorted(k for k in set(tables(scratch_dir)) | set(tables(rerun_dir))
                       if tables(scratch_dir).get(k) != tables(rerun_dir).get(k))
    print(f"from scratch (+{args.new} articles, empty cache, the same sentence model): {scratch:.1f} s; "
          f"rerun / from scratch: {rerun / scratch:.1%}")
    print(f"rerun tables equal from-scratch tables: {same} ({len(tables(rerun_dir))} tables"
          + (f"; differing: {', '.join(differing)})" if differing else ")"))
    print(json.dumps({"articles": args.articles, "new": args.new, "first_s": round(first, 1),
                      "rerun_s": round(rerun, 1), "ratio": round(rerun / first, 3), "scratch_s": round(scratch, 1),
                      "equal": same}))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
