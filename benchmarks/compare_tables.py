"""Are two runs' tables the same? Compares every CSV under ``tables/`` of two run folders byte for byte and prints
the files that differ, with their first differing rows, and the files only one run has.

    python benchmarks/compare_tables.py /work/baseline/run reports/run-20261206-180000
    python benchmarks/compare_tables.py A B --rows 5     # up to five differing rows per file

Exit status 0 when every table is byte-identical and both runs have the same tables, else 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def table_files(run_dir: Path) -> dict[str, Path]:
    """The run's tables by their path under ``tables/`` (sub-folders included)."""
    folder = Path(run_dir) / "tables"
    if not folder.is_dir():
        raise SystemExit(f"{run_dir} has no tables/ folder: is it a run folder?")
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*.csv"))}


def first_differences(a: bytes, b: bytes, *, rows: int = 3) -> list[tuple[int, str, str]]:
    """Up to ``rows`` differing lines of two files as (line number, line in a, line in b); a missing line is ''.

    >>> first_differences(b"x,y\\n1,2\\n3,4\\n", b"x,y\\n1,2\\n3,5\\n6,7\\n")
    [(3, '3,4', '3,5'), (4, '', '6,7')]
    """
    lines_a, lines_b = a.decode("utf-8", "replace").splitlines(), b.decode("utf-8", "replace").splitlines()
    found = []
    for number in range(max(len(lines_a), len(lines_b))):
        left = lines_a[number] if number < len(lines_a) else ""
        right = lines_b[number] if number < len(lines_b) else ""
        if left != right:
            found.append((number + 1, left, right))
            if len(found) == rows:
                break
    return found


def compare_tables(run_a: Path, run_b: Path, *, rows: int = 3, out=sys.stdout) -> bool:
    """Print how the tables of ``run_a`` and ``run_b`` differ; True when they are all byte-identical."""
    tables_a, tables_b = table_files(run_a), table_files(run_b)
    same, differ = [], []
    for name in sorted(tables_a.keys() & tables_b.keys()):
        a, b = tables_a[name].read_bytes(), tables_b[name].read_bytes()
        (same if a == b else differ).append(name)
        if a != b:
            lines_a, lines_b = a.count(b"\n"), b.count(b"\n")
            print(f"DIFFERS {name} ({len(a):,} vs {len(b):,} bytes, {lines_a:,} vs {lines_b:,} lines)", file=out)
            for number, left, right in first_differences(a, b, rows=rows):
                print(f"  line {number}:\n    a: {left[:200]}\n    b: {right[:200]}", file=out)
    only_a, only_b = sorted(tables_a.keys() - tables_b.keys()), sorted(tables_b.keys() - tables_a.keys())
    for name in only_a:
        print(f"ONLY IN A {name}", file=out)
    for name in only_b:
        print(f"ONLY IN B {name}", file=out)
    print(f"a: {run_a}\nb: {run_b}\n{len(same)} identical, {len(differ)} differ, {len(only_a)} only in a, "
          f"{len(only_b)} only in b", file=out)
    return not (differ or only_a or only_b)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run_a", type=Path)
    parser.add_argument("run_b", type=Path)
    parser.add_argument("--rows", type=int, default=3, help="differing rows shown per file (default 3)")
    args = parser.parse_args(argv)
    return 0 if compare_tables(args.run_a, args.run_b, rows=args.rows) else 1


if __name__ == "__main__":
    sys.exit(main())
