"""Readers behind ``helpers.load_articles``: one module per format, plus decoding, metadata and duplicates.

Each reader takes the raw bytes of one input and returns a :class:`~helpers.ingest.common.Parsed` (records plus
report rows), so the orchestrator in ``helpers.articles`` can account for every input, file, row group or feed entry.
"""

from .common import LoadError, Parsed
from .decode import clean_text, decode_bytes
from .duplicates import assign_story_ids, one_per_story, story_clusters
from .metadata import date_from_text, date_from_url, detect_language, parse_date, source_from_url

__all__ = [
    "LoadError",
    "Parsed",
    "assign_story_ids",
    "clean_text",
    "date_from_text",
    "date_from_url",
    "decode_bytes",
    "detect_language",
    "one_per_story",
    "parse_date",
    "source_from_url",
    "story_clusters",
]
