"""Ingestion speed per format and HTML extraction quality, each against a peer measured in the same run.

Speed: the Wikinews 2019 sample (171 articles, Wikinews contributors, CC BY 2.5) written out in every format the
kit reads, then loaded with ``helpers.load_articles``; the peer is the bare parser alone (pandas.read_csv,
json.loads, feedparser.parse, trafilatura.extract, reading the files) with none of the kit's cleaning, metadata,
language detection or duplicate clustering.
Quality: 4-gram shingle F1 of the extracted body against a hand-marked body, for the kit and for trafilatura's
default ``extract`` (the peer), on the pages in tests/fixtures/ingest/pages (written for the kit) and on the sample's
articles wrapped in three boilerplate-heavy page templates (the body is then known exactly).

Run: python benchmarks/bench_ingest.py [--repeat N]
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import helpers  # noqa: E402
from helpers.config import SAMPLE_PATH  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
WORD = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> set:
    words = WORD.findall(text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def shingle_f1(extracted: str, truth: str) -> float:
    """4-gram shingle F1: harmonic mean of the shares of extracted and of true shingles found in the other."""
    got, want = shingles(extracted or ""), shingles(truth)
    if not got or not want:
        return 0.0
    overlap = len(got & want)
    precision, recall = overlap / len(got), overlap / len(want)
    return 0.0 if overlap == 0 else 2 * precision * recall / (precision + recall)


def page_templates():
    """Three page layouts with navigation, ads, related links and comments around the article body."""
    source = FIXTURES / "pages"
    layouts = []
    for name in ("port-strike", "flood-warning", "library-reopens"):
        page = (source / f"{name}.html").read_text()
        body = (FIXTURES / "bodies" / f"{name}.txt").read_text().strip().split("\n")
        first = page.index(f"<p>{html.escape(body[0], quote=False)}")
        last_para = f"<p>{html.escape(body[-1], quote=False)}</p>"
        last = page.index(last_para) + len(last_para)
        layouts.append((page[:first], page[last:]))
    return layouts


def write_formats(sample: pd.DataFrame, folder: Path) -> dict[str, Path]:
    """The sample in every format; returns format -> path (file or folder)."""
    out = {"csv": SAMPLE_PATH}
    records = sample.to_dict("records")
    (folder / "sample.json").write_text(json.dumps(records))
    out["json"] = folder / "sample.json"
    (folder / "sample.jsonl").write_text("\n".join(json.dumps(r) for r in records))
    out["jsonl"] = folder / "sample.jsonl"
    text_dir = folder / "txt"
    text_dir.mkdir()
    for i, r in enumerate(records):
        front = json.dumps({"title": r["title"], "date": r["date"], "url": r["url"]})[1:-1].replace('", "', '"\n"')
        (text_dir / f"{i:03d}.txt").write_text(f"---\n{front}\n---\n{r['text']}\n")
    out["txt"] = text_dir
    items = "".join(
        f"<item><title>{html.escape(r['title'])}</title><link>{html.escape(r['url'])}</link>"
        f"<pubDate>{pd.Timestamp(r['date']).strftime('%a, %d %b %Y 00:00:00 GMT')}</pubDate>"
        f"<description>{html.escape(r['text'])}</description></item>" for r in records)
    (folder / "sample-rss.xml").write_text(f"<?xml version='1.0'?><rss version='2.0'><channel><title>Wikinews</title>"
                                           f"{items}</channel></rss>")
    out["rss"] = folder / "sample-rss.xml"
    entries = "".join(
        f"<entry><title>{html.escape(r['title'])}</title><link href='{html.escape(r['url'])}'/><id>{i}</id>"
        f"<updated>{r['date']}T00:00:00Z</updated><content type='text'>{html.escape(r['text'])}</content></entry>"
        for i, r in enumerate(records))
    (folder / "sample-atom.xml").write_text(f"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>"
                                            f"<title>Wikinews</title><id>w</id><updated>2019-12-31T00:00:00Z</updated>"
                                            f"{entries}</feed>")
    out["atom"] = folder / "sample-atom.xml"
    html_dir = folder / "html"
    html_dir.mkdir()
    layouts = page_templates()
    truths = {}
    for i, r in enumerate(records):
        head, tail = layouts[i % len(layouts)]
        head = re.sub(r"<h1[^>]*>.*?</h1>", f"<h1>{html.escape(r['title'])}</h1>", head, flags=re.S)
        paragraphs = [p.strip() for p in r["text"].split("\n") if p.strip()]
        body = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
        (html_dir / f"{i:03d}.html").write_text(head + body + tail)
        truths[f"{i:03d}.html"] = "\n".join(paragraphs)
    out["html"] = html_dir
    return out, truths


def peer(fmt: str, path: Path):
    """The bare parser for one format, no cleaning or metadata: what the kit's work is measured against."""
    if fmt == "csv":
        return len(pd.read_csv(path))
    if fmt == "json":
        return len(json.loads(path.read_text()))
    if fmt == "jsonl":
        return sum(1 for line in path.read_text().splitlines() if json.loads(line))
    if fmt == "txt":
        return sum(1 for p in sorted(path.iterdir()) if p.read_text())
    if fmt in ("rss", "atom"):
        import feedparser

        return len(feedparser.parse(path.read_bytes()).entries)
    import trafilatura

    return sum(1 for p in sorted(path.iterdir()) if trafilatura.extract(p.read_text()))


def best_of(repeat: int, work):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def speed(paths: dict, repeat: int) -> pd.DataFrame:
    rows = []
    for fmt, path in paths.items():
        kit_s, articles = best_of(repeat, lambda: helpers.load_articles(path, workers=1, progress=False))
        peer_s, n_peer = best_of(repeat, lambda: peer(fmt, path))
        rows.append({"format": fmt, "articles": len(articles), "kit_s": kit_s,
                     "kit_articles_per_s": len(articles) / kit_s, "peer_articles_per_s": n_peer / peer_s,
                     "kit_vs_peer_speed": peer_s / kit_s * len(articles) / n_peer})
    html_dir = paths["html"]
    two_s, articles = best_of(repeat, lambda: helpers.load_articles(html_dir, workers=2, progress=False))
    one_s = next(r["kit_s"] for r in rows if r["format"] == "html")
    rows.append({"format": "html, 2 worker processes", "articles": len(articles), "kit_s": two_s,
                 "kit_articles_per_s": len(articles) / two_s, "peer_articles_per_s": len(articles) / one_s,
                 "kit_vs_peer_speed": one_s / two_s})
    return pd.DataFrame(rows)


def quality(pages: list[tuple[Path, str]]) -> pd.DataFrame:
    import trafilatura

    rows = []
    for page, truth in pages:
        articles = helpers.load_articles(page, workers=1, progress=False, detect_language=False)
        kit_text = articles["text"].iloc[0] if len(articles) else ""
        peer_text = trafilatura.extract(page.read_text()) or ""
        rows.append({"page": page.name, "kit_f1": shingle_f1(kit_text, truth),
                     "trafilatura_f1": shingle_f1(peer_text, truth)})
    return pd.DataFrame(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="best of N timings (default 3)")
    args = parser.parse_args()
    pd.set_option("display.width", 160)
    bodies = FIXTURES / "bodies"
    fixture_pages = [(p, (bodies / f"{p.stem}.txt").read_text())
                     for p in sorted((FIXTURES / "pages").glob("*.html")) if (bodies / f"{p.stem}.txt").exists()]
    fixture_quality = quality(fixture_pages)
    print("== Extraction quality on the kit's hand-marked fixture pages (4-gram shingle F1)")
    print(fixture_quality.to_string(index=False, float_format="%.3f"))
    print(f"mean: kit {fixture_quality['kit_f1'].mean():.3f}, "
          f"trafilatura.extract {fixture_quality['trafilatura_f1'].mean():.3f}")
    if not SAMPLE_PATH.exists():
        print("The Wikinews sample is not fetched (make sample-data): speed figures skipped.")
        return 0
    sample = pd.read_csv(SAMPLE_PATH)
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as folder:
        paths, truths = write_formats(sample, Path(folder))
        sample_quality = quality([(paths["html"] / name, truth) for name, truth in truths.items()])
        print(f"\n== Extraction quality on {len(sample_quality)} sample articles in boilerplate page templates")
        print(sample_quality[["kit_f1", "trafilatura_f1"]].describe().loc[["mean", "min", "50%"]].to_string(
            float_format="%.3f"))
        print(f"\n== Speed: the sample ({len(sample)} articles; Wikinews contributors, CC BY 2.5) in each format, "
              f"best of {args.repeat}")
        print("peer = the bare parser alone; kit_vs_peer_speed = kit articles/s ÷ peer articles/s")
        print(speed(paths, args.repeat).to_string(index=False, float_format="%.3f"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
