"""Load articles from files, folders, globs and DataFrames into one articles frame.

Articles frame columns: ``doc_id, title, text, date, source, url, author, language, path, n_chars``
(plus any extra metadata). ``collection`` names the input the article came through (``articles`` for
``data/articles/``, ``wikinews_2019`` for the sample) so notebooks can set one collection against the rest.
The load report (one row per input with ``status``, ``reason``, ``n_articles``) travels in
``articles.attrs["load_report"]``.
"""

from __future__ import annotations

import glob
import hashlib
import unicodedata
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import yaml

ARTICLE_COLUMNS = [
    "doc_id", "title", "text", "date", "source", "url", "author", "language", "collection", "path", "n_chars",
]
REPORT_COLUMNS = ["input", "status", "reason", "n_articles"]
COLUMN_ALIASES = {
    "text": ["text", "body", "content", "article", "full_text", "story"],
    "title": ["title", "headline", "heading"],
    "date": ["date", "published", "pubdate", "publication_date", "published_at", "datetime", "timestamp"],
    "source": ["source", "outlet", "publisher", "site", "site_name", "publication"],
    "url": ["url", "link", "href", "permalink"],
    "author": ["author", "authors", "byline", "creator"],
}
TEXT_SUFFIXES = {".txt", ".md"}
TABLE_SUFFIXES = {".csv", ".tsv"}


def make_doc_id(text: str) -> str:
    """A stable id derived from the article's content, not its position.

    >>> make_doc_id("Libya and the United States signed a memorandum.")
    '76b9abf473fba6a3'
    """
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _normalise_text(text: str) -> str:
    return unicodedata.normalize("NFC", str(text)).strip()


def _split_front_matter(raw: str) -> tuple[dict, str]:
    if raw.startswith("---"):
        parts = raw.split("\n---", 1)
        if len(parts) == 2:
            meta = yaml.safe_load(parts[0][3:]) or {}
            if isinstance(meta, dict):
                return {str(k): v for k, v in meta.items()}, parts[1].lstrip("-").lstrip("\n")
    return {}, raw


def _read_text_file(path: Path) -> list[dict]:
    meta, body = _split_front_matter(path.read_text(encoding="utf-8-sig"))
    return [{**meta, "text": body, "path": str(path)}]


def _read_table(path: Path) -> list[dict]:
    sep = "\t" if path.suffix.lower() == ".tsv" else None
    table = pd.read_csv(path, sep=sep, engine="python", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    lowered = {c.lower().strip(): c for c in table.columns}
    renames = {}
    for kit_name, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            if alias in lowered and kit_name not in renames.values():
                renames[lowered[alias]] = kit_name
                break
    table = table.rename(columns=renames)
    records = table.to_dict("records")
    for row_number, record in enumerate(records, start=2):
        record["path"] = f"{path}:{row_number}"
    return records


def _collection_name(source) -> str:
    """The name of the input an article came through: a folder's or file's name without suffix."""
    return Path(str(source).split("*")[0].rstrip("/") or ".").stem or "articles"


def _expand(source) -> list[Path]:
    path = Path(source)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    if path.exists():
        return [path]
    return sorted(Path(p) for p in glob.glob(str(source), recursive=True) if Path(p).is_file())


def _finish(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records)
    for column in ARTICLE_COLUMNS:
        if column not in frame.columns:
            frame[column] = pd.NA
    frame["text"] = frame["text"].map(_normalise_text)
    frame["doc_id"] = frame["text"].map(make_doc_id)
    frame["date"] = pd.to_datetime(frame["date"], errors="coerce", utc=True, format="mixed")
    from_url = frame["url"].map(lambda u: urlparse(str(u)).netloc.removeprefix("www.") if isinstance(u, str) and u else pd.NA)
    frame["source"] = frame["source"].where(frame["source"].notna() & (frame["source"] != ""), from_url)
    frame["n_chars"] = frame["text"].str.len()
    extra = [c for c in frame.columns if c not in ARTICLE_COLUMNS]
    return frame[ARTICLE_COLUMNS + extra]


def load_articles(*sources, drop_duplicates: bool = True) -> pd.DataFrame:
    """Load articles from files, folders (recursively), globs and DataFrames into one articles frame.

    >>> from helpers.config import ARTICLES_DIR
    >>> articles = load_articles(ARTICLES_DIR)
    >>> articles.loc[0, "title"]
    'Libya and United States sign memorandum against drug trafficking'
    """
    records: list[dict] = []
    report: list[dict] = []
    for source in sources:
        if isinstance(source, pd.DataFrame):
            rows = source.to_dict("records")
            records.extend({**r, "path": r.get("path") or f"<DataFrame>:{i}"} for i, r in enumerate(rows))
            report.append({"input": "<DataFrame>", "status": "loaded", "reason": "", "n_articles": len(rows)})
            continue
        paths = _expand(source)
        if not paths:
            report.append({"input": str(source), "status": "error", "reason": "no such file, folder or glob match",
                           "n_articles": 0})
        for path in paths:
            suffix = path.suffix.lower()
            try:
                if suffix in TEXT_SUFFIXES:
                    found = _read_text_file(path)
                elif suffix in TABLE_SUFFIXES:
                    found = _read_table(path)
                else:
                    report.append({"input": str(path), "status": "skipped", "reason": f"unsupported file type {suffix!r}",
                                   "n_articles": 0})
                    continue
            except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError, pd.errors.ParserError) as error:
                report.append({"input": str(path), "status": "error", "reason": str(error), "n_articles": 0})
                continue
            kept = [r for r in found if str(r.get("text") or "").strip()]
            status = "loaded" if kept else "empty"
            report.append({"input": str(path), "status": status, "reason": "" if kept else "no text",
                           "n_articles": len(kept)})
            records.extend({**r, "collection": r.get("collection") or _collection_name(source)} for r in kept)
    articles = _finish(records) if records else pd.DataFrame(columns=ARTICLE_COLUMNS)
    report_frame = pd.DataFrame(report, columns=REPORT_COLUMNS)
    if drop_duplicates and len(articles):
        duplicated = articles["doc_id"].duplicated()
        for path in articles.loc[duplicated, "path"]:
            report_frame.loc[len(report_frame)] = [path, "duplicate", "same text as an earlier article", 0]
        articles = articles.loc[~duplicated].reset_index(drop=True)
    articles.attrs["load_report"] = report_frame
    return articles
