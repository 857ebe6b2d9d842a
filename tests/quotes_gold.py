"""The hand-marked quotation gold of issue 20 (rules in ``tests/data/quotes_gold.md``): its rows, and the articles it
marks as ``helpers.load_articles`` loads them, so a benchmark or test can score ``helpers.quotes`` against it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from helpers import settings as config

DATA = Path(__file__).resolve().parent / "data"
GOLD_PATH = DATA / "quotes_gold.jsonl"
GOLD_ARTICLES_PATH = DATA / "quotes_gold_articles.jsonl"

KINDS = ("direct", "indirect", "mixed", "not_a_quote")
SPEAKER_TYPES = ("PERSON", "ORGANIZATION", "OTHER")
COLLECTIONS = ("articles",) + tuple(sample.collection for sample in config.SAMPLES)
OPENING_MARKS = "\"'\u201c\u2018"
CLOSING_MARKS = "\"'\u201d\u2019"
DOUBLE_MARKS = "\"\u201c\u201d"  # single marks double as apostrophes, so only these are checked for completeness


def _read_jsonl(path: Path) -> pd.DataFrame:
    with path.open(encoding="utf-8") as lines:
        return pd.DataFrame([json.loads(line) for line in lines if line.strip()])


def gold_rows() -> pd.DataFrame:
    """One row per marked quotation (and per ``not_a_quote`` trap), as in ``quotes_gold.jsonl``."""
    return _read_jsonl(GOLD_PATH)


def gold_articles() -> pd.DataFrame:
    """One row per marked article: ``collection, article_key, doc_id, n_quotes``."""
    return _read_jsonl(GOLD_ARTICLES_PATH)


def source_path(collection: str) -> Path:
    """Where the articles of ``collection`` are loaded from: the seed folder, or the fetched sample file."""
    if collection == "articles":
        return config.ARTICLES_DIR
    return next(config.sample_path(sample) for sample in config.SAMPLES if sample.collection == collection)


def missing_sources() -> list[Path]:
    """The sources the gold needs that are not on this machine (empty when every one is)."""
    return [path for path in map(source_path, sorted(set(gold_articles()["collection"]))) if not path.exists()]


def article_key(articles: pd.DataFrame) -> pd.Series:
    """The gold's key of each loaded article: the file name for the seed folder, the ``url`` for a sample."""
    file_names = articles["path"].astype("string").str.rsplit("/", n=1).str[-1]
    return file_names.where(articles["collection"] == "articles", articles["url"].astype("string"))


def marked_articles() -> pd.DataFrame:
    """The articles the gold marks, each source loaded on its own with ``helpers.load_articles`` (offsets refer to
    that ``text``), with an ``article_key`` column; a source not fetched raises ``FileNotFoundError``."""
    import helpers

    listed = gold_articles()
    frames = []
    for collection, keys in listed.groupby("collection")["article_key"]:
        path = source_path(collection)
        if not path.exists():
            raise FileNotFoundError(f"{path} (make sample-data)")
        loaded = helpers.load_articles(path)
        loaded = loaded.assign(article_key=article_key(loaded))
        frames.append(loaded[loaded["article_key"].isin(set(keys))])
    return pd.concat(frames, ignore_index=True)
