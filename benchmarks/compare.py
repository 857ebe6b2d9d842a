"""Benchmark figures before and after a change: for each figure, before, after and after / before.

Reads two folders of saved benchmark outputs (``<script>.txt``: what ``python benchmarks/<script>.py`` printed,
lines starting with ``#`` ignored) and pairs their figures: lines are matched by their text with the numbers taken
out (the n-th such line with the n-th), and the numbers of matched lines by position. A ratio outside
1 ± ``--tolerance`` is marked ``*``; whether a higher figure is better (a speed, an F1) or worse (seconds, MB)
is for the reader, as the line says which it is.

    python benchmarks/compare.py /work/baseline/bench /tmp/after/bench
    python benchmarks/compare.py BEFORE AFTER --only bench_rerun bench_tokenize --tolerance 0.25
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

NUMBER = re.compile(r"(?<![\w.])-?\d[\d,]*(?:\.\d+)?(?:e[-+]?\d+)?")


def figures(text: str) -> dict[tuple[str, int], list[float]]:
    """The numbers of each line, keyed by the line's text with numbers replaced by ``#`` and its occurrence.

    >>> figures("kit 2.50 s (best of 3)\\nkit 3.0 s (best of 3)\\n# uptime 1.0\\nno figure here")
    {('kit # s (best of #)', 0): [2.5, 3.0], ('kit # s (best of #)', 1): [3.0, 3.0]}
    """
    seen: dict[str, int] = defaultdict(int)
    found = {}
    for line in text.splitlines():
        if line.lstrip().startswith("#") or not NUMBER.search(line):
            continue
        template = " ".join(NUMBER.sub("#", line).split())
        found[(template, seen[template])] = [float(n.replace(",", "")) for n in NUMBER.findall(line)]
        seen[template] += 1
    return found


def compare(before: str, after: str, *, tolerance: float = 0.10) -> list[tuple[str, float, float, float | None, bool]]:
    """(line, before, after, after / before, outside the tolerance) for each figure both texts have.

    >>> compare("kit 2.0 s\\npeer 1.0 s", "kit 2.4 s\\npeer 1.0 s")
    [('kit # s', 2.0, 2.4, 1.2, True), ('peer # s', 1.0, 1.0, 1.0, False)]
    """
    rows = []
    figures_after = figures(after)
    for key, values in figures(before).items():
        for position, (old, new) in enumerate(zip(values, figures_after.get(key, []))):
            ratio = new / old if old else None
            label = key[0] if len(values) == 1 else f"{key[0]} [#{position + 1}]"
            rows.append((label, old, new, ratio, ratio is not None and abs(ratio - 1) > tolerance))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--only", nargs="*", help="script names (default: every <script>.txt in both folders)")
    parser.add_argument("--tolerance", type=float, default=0.10)
    args = parser.parse_args(argv)
    names = sorted({p.stem for p in args.before.glob("*.txt")} & {p.stem for p in args.after.glob("*.txt")})
    for name in [n for n in names if not args.only or n in args.only]:
        before, after = (folder / f"{name}.txt" for folder in (args.before, args.after))
        header = [line for line in after.read_text().splitlines() if line.startswith("# uptime")]
        print(f"== {name}  (before: {args.before}, after: {args.after}; after's {'; '.join(header)})")
        rows = compare(before.read_text(), after.read_text(), tolerance=args.tolerance)
        unmatched = len(figures(before.read_text())) - len({r[0].split(' [#')[0] for r in rows})
        for label, old, new, ratio, flagged in rows:
            shown = f"{ratio:6.3f}" if ratio is not None else "     -"
            print(f"{'*' if flagged else ' '} {shown}  {old:>12,.4g} -> {new:<12,.4g} {label[:150]}")
        if unmatched > 0:
            print(f"  ({unmatched} line(s) of figures before have no counterpart after)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
