"""Hostile inputs (issue 21): time and peak memory of loading each, against a peer measured in the same run.

Cases: a 1 KB Markdown file with nine levels of nine YAML aliases in its front matter; a zip of 100 members of
20 MB of zeros each (2 GB unpacked); a zip of 10 copies of a 2 MB text file (ratio about 3, so no bomb; peer: the file alone);
a zip of 3,000 small articles. Each load runs in a child process whose peak RSS is read with getrusage; the peer is
a child that loads one small article (the fixed overhead), and for the 3,000-member zip the same articles as files
in a folder.

Run: python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from test_hostile_inputs import ARTICLE, peak_rss_mb, words, zip_of_copies  # noqa: E402

CHILD = """
import helpers, json, sys, time
start = time.perf_counter()
articles = helpers.load_articles({path!r}, workers=1, progress=False)
report = helpers.load_report(articles)
print(json.dumps({{"seconds": time.perf_counter() - start, "articles": len(articles), "rows": len(report),
                  "statuses": report["status"].value_counts().to_dict()}}))
"""


def measure(path: Path) -> dict:
    """Load ``path`` in a child process (of a fresh process, so getrusage of children is this load's alone)."""
    rss, out = peak_rss_mb(CHILD.format(path=str(path)), timeout=1800)
    return {**json.loads(out.strip().splitlines()[-1]), "peak_rss_mb": rss}


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as folder:
        folder = Path(folder)
        (folder / "one").mkdir()
        (folder / "one" / "a.txt").write_text(ARTICLE)
        levels = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [
            f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)]
        (folder / "alias-bomb.md").write_text("---\ntitle: Bomb\n" + "\n".join(levels) + "\n---\n" + ARTICLE)
        zip_of_copies(folder / "zeros.zip", [f"part-{i:03d}.txt" for i in range(100)], bytes(20_000_000))
        text = words(2_000_000)
        zip_of_copies(folder / "copies.zip", [f"copy-{i}.txt" for i in range(10)], text)
        (folder / "copy.txt").write_bytes(text)
        (folder / "many").mkdir()
        with zipfile.ZipFile(folder / "many.zip", "w", zipfile.ZIP_DEFLATED) as archive:
            for i in range(3000):
                text = f"Article {i}. " + words(600, seed=i).decode()
                archive.writestr(f"a{i:04d}.txt", text)
                (folder / "many" / f"a{i:04d}.txt").write_text(text)
        cases = [("one small article (the fixed overhead)", folder / "one"),
                 ("1 KB front matter, 9 levels of 9 YAML aliases", folder / "alias-bomb.md"),
                 ("zip: 100 members of 20 MB of zeros (2 GB)", folder / "zeros.zip"),
                 ("one 2 MB text file", folder / "copy.txt"),
                 ("zip: 10 copies of that 2 MB text", folder / "copies.zip"),
                 ("3,000 articles as files in a folder", folder / "many"),
                 ("the same 3,000 articles in one zip", folder / "many.zip")]
        print(f"machine load (1, 5, 15 min): {os.getloadavg()}")
        print(f"{'case':48} {'seconds':>8} {'peak MB':>8} {'articles':>8}  report statuses")
        for label, path in cases:
            start = time.perf_counter()
            result = measure(path)
            print(f"{label:48} {result['seconds']:8.2f} {result['peak_rss_mb']:8.0f} {result['articles']:8d}  "
                  f"{result['statuses']}  (child wall {time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
