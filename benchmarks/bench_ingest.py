"""Ingestion speed per format and HTML extraction quality, each against a peer measured in the same run.

Speed: the Wikinews 2019 sample (171 articles, Wikinews contributors, CC BY 2.5) written out in every format the
kit reads, then loaded with ``helpers.load_articles``; the peer is the bare parser alone (pandas.read_csv,
json.loads, feedparser.parse, trafilatura.extract, reading the files) with none of the kit's cleaning, metadata,
language detection or duplicate clustering.
Quality: 4-gram shingle F1 of the extracted body against the true body, for the kit and for two peers:
trafilatura called with the SAME options as the kit's call (``bare_extraction`` with metadata, comments excluded,
tables included, the kit's date and config settings: the peer the kit's own post-processing is measured against)
and trafilatura's defaults (``extract``). Pages: (1) tests/fixtures/ingest/pages, hand-marked, but written for the
kit, so shown apart; (2) pages the kit was never written for: Wikinews and congressional press-release articles
rendered through five independent page layouts (benchmarks/foreign_pages.py: a blog with comments, a news portal, a
government press page, an old table layout, a div-soup page), so each page's body is known exactly. They are still
synthetic (offline: no real saved pages), which the output says.

Speed paths are all timed the same way (benchmarks/timing.py): imports before the clock, one warm-up run, best of
``--repeat``; each figure is printed with that description and the machine's load.

Run: python benchmarks/bench_ingest.py [--repeat N] [--per-sample N] [--congress PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import logging
import re
import sys
import tempfile
import time
from pathlib import Path

import feedparser
import pandas as pd
import trafilatura

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import helpers  # noqa: E402
from foreign_pages import LAYOUTS, sample_articles, write_pages  # noqa: E402
from helpers.settings import EXTERNAL_DIR, SAMPLE_PATH  # noqa: E402
from helpers.load.html import _config as kit_trafilatura_config  # noqa: E402
from timing import how_timed, machine_load, timed  # noqa: E402

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
    layouts = list(LAYOUTS.values())
    for i, r in enumerate(records):
        paragraphs = [p.strip() for p in r["text"].split("\n") if p.strip()]
        (html_dir / f"{i:03d}.html").write_text(layouts[i % len(layouts)](r["title"], str(r["date"]), paragraphs))
    out["html"] = html_dir
    return out


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
        return len(feedparser.parse(path.read_bytes()).entries)
    return sum(1 for p in sorted(path.iterdir()) if trafilatura.extract(p.read_text()))


def speed(paths: dict, repeat: int) -> pd.DataFrame:
    rows = []
    for fmt, path in paths.items():
        kit_s, articles = timed(lambda: helpers.load_articles(path, workers=1, progress=False), repeat=repeat)
        peer_s, n_peer = timed(lambda: peer(fmt, path), repeat=repeat)
        rows.append({"format": fmt, "articles": len(articles), "kit_s": kit_s, "peer_s": peer_s,
                     "kit_articles_per_s": len(articles) / kit_s, "peer_articles_per_s": n_peer / peer_s,
                     "kit_vs_peer_speed": peer_s / kit_s * len(articles) / n_peer})
    html_dir = paths["html"]
    two_s, articles = timed(lambda: helpers.load_articles(html_dir, workers=2, progress=False), repeat=repeat)
    one_s = next(r["kit_s"] for r in rows if r["format"] == "html")
    rows.append({"format": "html, 2 worker processes (peer: the kit, 1 process)", "articles": len(articles),
                 "kit_s": two_s, "peer_s": one_s, "kit_articles_per_s": len(articles) / two_s,
                 "peer_articles_per_s": len(articles) / one_s, "kit_vs_peer_speed": one_s / two_s})
    return pd.DataFrame(rows).assign(timed=how_timed(repeat))


def trafilatura_same_options(markup: str) -> str:
    """trafilatura with exactly the options of the kit's call (helpers/ingest/html.py, read_html), none of the kit's
    own handling around it (the headline line it drops, the link-list check)."""
    params = {"original_date": True, "extensive_search": False, "max_date": dt.date.today().isoformat()}
    document = trafilatura.bare_extraction(markup, with_metadata=True, include_comments=False, include_tables=True,
                                           favor_precision=False, favor_recall=False, date_extraction_params=params,
                                           config=kit_trafilatura_config())
    return (document.text or "") if document is not None else ""


def quality(pages: list[tuple[Path, str]]) -> pd.DataFrame:
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    rows = []
    for page, truth in pages:
        markup = page.read_text()
        articles = helpers.load_articles(page, workers=1, progress=False,
                                         options=helpers.ReadOptions(detect_language=False))
        kit_text = articles["text"].iloc[0] if len(articles) else ""
        rows.append({"page": page.name, "kit_f1": shingle_f1(kit_text, truth),
                     "same_options_f1": shingle_f1(trafilatura_same_options(markup), truth),
                     "defaults_f1": shingle_f1(trafilatura.extract(markup) or "", truth)})
    return pd.DataFrame(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="best of N timings after a warm-up (default 3)")
    parser.add_argument("--per-sample", type=int, default=40,
                        help="articles of each sample rendered through every foreign layout (default 40)")
    parser.add_argument("--congress", type=Path, default=EXTERNAL_DIR / "congress_press_2024-11.jsonl",
                        help="the congressional press-release sample (default: data/external/)")
    args = parser.parse_args()
    pd.set_option("display.width", 200)
    print("before:", machine_load())
    bodies = FIXTURES / "bodies"
    fixture_pages = [(p, (bodies / f"{p.stem}.txt").read_text())
                     for p in sorted((FIXTURES / "pages").glob("*.html")) if (bodies / f"{p.stem}.txt").exists()]
    fixture_quality = quality(fixture_pages)
    print("== Extraction quality on the kit's fixture pages (4-gram shingle F1). CAVEAT: these pages were written for "
          "the kit's tests; the foreign pages below are the fair comparison")
    print(fixture_quality.to_string(index=False, float_format="%.3f"))
    print(f"mean: kit {fixture_quality['kit_f1'].mean():.3f}, trafilatura same options "
          f"{fixture_quality['same_options_f1'].mean():.3f}, trafilatura defaults "
          f"{fixture_quality['defaults_f1'].mean():.3f}")
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as folder:
        chosen = sample_articles(SAMPLE_PATH, args.congress, args.per_sample)
        pages = write_pages(chosen, Path(folder) / "foreign")
        if pages:
            scored = quality([(path, truth) for path, _, _, truth in pages])
            scored["layout"] = [layout for _, layout, _, _ in pages]
            scored["sample"] = [sample for _, _, sample, _ in pages]
            print(f"\n== Extraction quality on {len(pages)} pages the kit was never written for: "
                  f"{chosen['sample'].value_counts().to_dict()} articles x {len(LAYOUTS)} layouts "
                  "(benchmarks/foreign_pages.py); mean 4-gram shingle F1")
            print("LIMITATION: synthetic pages (real article texts in hand-written layouts, offline); real saved pages "
                  "add scripts, embeds and quirks these do not")
            columns = ["kit_f1", "same_options_f1", "defaults_f1"]
            print(scored.groupby(["sample", "layout"])[columns].mean().to_string(float_format="%.3f"))
            print(scored.groupby("sample")[columns].agg(["mean", "min"]).to_string(float_format="%.3f"))
            print(f"all pages: mean {scored[columns].mean().round(3).to_dict()}")
        else:
            print("\nNo sample is fetched (make sample-data): extraction quality on foreign pages skipped.")
        if not SAMPLE_PATH.exists():
            print("The Wikinews sample is not fetched (make sample-data): speed figures skipped.")
            return 0
        sample = pd.read_csv(SAMPLE_PATH)
        paths = write_formats(sample, Path(folder))
        print(f"\n== Speed: the sample ({len(sample)} articles; Wikinews contributors, CC BY 2.5) in each format")
        print("peer = the bare parser alone; kit_vs_peer_speed = kit articles/s ÷ peer articles/s; "
              "every path timed as the 'timed' column says")
        print(speed(paths, args.repeat).to_string(index=False, float_format="%.3f"))
    print("after:", machine_load())
    return 0


if __name__ == "__main__":
    sys.exit(main())
