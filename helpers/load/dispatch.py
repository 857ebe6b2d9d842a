"""One input in, cleaned records out: pick the reader by suffix (or content), decode, read, clean, add metadata.

Runs in worker processes for large loads, so it takes and returns only plain, picklable values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from helpers import settings as config
from helpers.load.bylines import take_byline
from helpers.load.common import LoadError, Parsed
from helpers.load.decode import Decoded, clean_text, decode
from helpers.load.feeds import read_feed
from helpers.load.html import read_html
from helpers.load.metadata import (date_from_file_name, date_from_text, date_from_url, detect_language, parse_date,
                                   source_from_url)
from helpers.load.sources import Input, input_bytes
from helpers.load.tables import read_delimited, read_json, read_jsonl
from helpers.load.textfiles import read_text

FORMATS = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".xml": "feed", ".rss": "feed", ".atom": "feed", ".rdf": "feed",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "delimited", ".tsv": "delimited", ".tab": "delimited",
}
NOT_ARTICLES = {
    ".pdf": "PDF is not read; convert it to text first", ".docx": "Word documents are not read; save as .txt or .html",
    ".doc": "Word documents are not read; save as .txt or .html", ".xlsx": "spreadsheets are not read; save as .csv",
    ".xls": "spreadsheets are not read; save as .csv", ".parquet": "load it with pandas and pass the DataFrame",
}
LANGUAGE_CODE = re.compile(r"^([A-Za-z]{2,3})(?:[-_].*)?$")
DEFAULT_MAX_FILE_SIZE = int(config.MAX_FILE_SIZE_MB * 1e6)
SURROGATES = re.compile("[\ud800-\udfff]")
SPLIT_FIELDS = re.compile(r'[,;\t|"{}\[\]]|\\[nt]')


HTML_FAVORS = ("balanced", "precision", "recall")


@dataclass(frozen=True)
class ReadOptions:
    """How :func:`helpers.load_articles` reads each input (``options=ReadOptions(...)``).

    ``columns`` maps a source's column names to the kit's (``{"Story": "text"}``; common aliases such as ``body``,
    ``headline``, ``published`` map themselves). ``max_file_size`` is the largest input in bytes (default
    ``NEWSKIT_MAX_FILE_SIZE_MB``); a larger file is skipped with the reason. ``html_favor`` is ``"balanced"``,
    ``"precision"`` (less boilerplate) or ``"recall"`` (less text lost) for saved pages. ``detect_language`` fills
    ``language`` when a source does not state it.

    >>> options = ReadOptions(columns={"Story": "text"}, detect_language=False)
    >>> options.columns, options.detect_language, options == ReadOptions(columns={"Story": "text"})
    ({'Story': 'text'}, False, False)
    """

    columns: dict | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    html_favor: str = "balanced"
    detect_language: bool = True

    def __post_init__(self):
        if self.columns is not None:
            if not isinstance(self.columns, Mapping):
                raise TypeError(f"ReadOptions(columns=...) must map their column names to the kit's, e.g. "
                                f"{{'Story': 'text'}}, not {type(self.columns).__name__}")
            object.__setattr__(self, "columns", dict(self.columns))  # a copy: later edits by the caller change nothing
        if isinstance(self.max_file_size, bool) or not isinstance(self.max_file_size, int) or self.max_file_size < 0:
            raise TypeError(f"ReadOptions(max_file_size=...) must be a whole number of bytes (0 or more), "
                            f"not {self.max_file_size!r}")
        if self.html_favor not in HTML_FAVORS:
            raise ValueError(f"ReadOptions(html_favor=...) must be one of {', '.join(HTML_FAVORS)}, "
                             f"not {self.html_favor!r}")


def sniff_format(text: str) -> str | None:
    """The format of a file whose suffix does not say: feed, HTML, JSON or JSON Lines by its first characters.

    >>> sniff_format("<?xml version='1.0'?><rss version='2.0'>"), sniff_format("<!DOCTYPE html><html>")
    ('feed', 'html')
    """
    head = text.lstrip("\ufeff \t\r\n")[:2000].lower()
    if head.startswith("<?xml") or head.startswith(("<rss", "<feed", "<rdf:rdf")):
        return "html" if "<html" in head and "<rss" not in head and "<feed" not in head else "feed"
    if head.startswith(("<!doctype html", "<html", "<head", "<body", "<article")):
        return "html"
    if head.startswith("["):
        return "json"
    if head.startswith("{"):
        first_line = head.split("\n", 1)[0].strip()
        return "jsonl" if first_line.endswith("}") and "\n{" in text[:100_000] else "json"
    return None


def _read(item: Input, options: ReadOptions) -> Parsed:
    if item.problem:
        raise LoadError(item.problem[1], item.problem[0])
    suffix = item.suffix
    if suffix in NOT_ARTICLES:
        raise LoadError(NOT_ARTICLES[suffix], "skipped")
    data = input_bytes(item, max_file_size=options.max_file_size)
    if not data.strip():
        raise LoadError("empty file", "empty")
    fmt = FORMATS.get(suffix)
    if fmt == "feed":
        return read_feed(data, item.name)
    decoded = decode(data)
    text = decoded.text
    if not text.strip():
        raise LoadError("empty file (whitespace only)", "empty")
    if fmt is None:
        fmt = sniff_format(text) or ("text" if suffix == "" else None)
        if fmt is None:
            raise LoadError(f"unsupported file type {suffix!r}", "skipped")
        if fmt == "feed":
            return read_feed(data, item.name)
    if fmt in ("text", "markdown", "html"):
        if fmt == "html":
            parsed = read_html(text, item.name, favor=options.html_favor)
        else:
            parsed = read_text(text, item.name, markdown=fmt == "markdown")
        parsed.records[0]["_file_name_date"] = date_from_file_name(item.name)  # the file is the article
    elif fmt == "json":
        parsed = read_json(text, item.name, columns=options.columns)
    elif fmt == "jsonl":
        parsed = read_jsonl(text, item.name, columns=options.columns)
    else:
        parsed = read_delimited(text, item.name, suffix=suffix, columns=options.columns)
    _mark_decoding(parsed, decoded)
    return parsed


def _mark_decoding(parsed: Parsed, decoded: Decoded) -> None:
    """Say in the report's reason what decoding replaced or re-decoded, and in each touched record's
    ``text_fixes`` (``invalid-bytes``, ``re-decoded``): all records of a one-article file, else the records
    holding a touched line's text."""
    said = decoded.describe()
    if said:
        parsed.summary = f"{parsed.summary}; {said}" if parsed.summary else said
    if not decoded.fixed_lines:
        return
    if len(parsed.records) == 1:
        parsed.records[0]["_decode_fixes"] = sorted({fix for fix, _ in decoded.fixed_lines})
        return
    pieces = {(fix, piece.strip()) for fix, line in decoded.fixed_lines for piece in SPLIT_FIELDS.split(line)
              if not piece.isascii() and len(piece.strip()) > 1}
    for record in parsed.records:
        values = "\n".join(v for v in record.values() if isinstance(v, str))
        fixes = sorted({fix for fix, piece in pieces if piece in values})
        if fixes:
            record["_decode_fixes"] = fixes


def _clean_field(value):
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value if v is not None)
    cleaned, _ = clean_text(str(value))
    return " ".join(cleaned.split()) or None


def _language(value, text, detect: bool):
    if isinstance(value, str) and LANGUAGE_CODE.match(value.strip()):
        return LANGUAGE_CODE.match(value.strip()).group(1).lower()
    return detect_language(text) if detect else None


def finish_record(record: dict, options: ReadOptions) -> dict:
    """Clean the text and fill the kit's metadata columns of one record (text must be non-empty)."""
    _scrub_surrogates(record)
    raw = record["text"]
    text, fixes = clean_text(raw)
    fixes = record.pop("_decode_fixes", []) + fixes
    text, record["author"], fixes = take_byline(text, record.get("author"), fixes)
    record["text"] = text
    record["text_fixes"] = ", ".join(fixes) or None
    # Keep what the source said when the repair changed more than whitespace, so any fix can be checked.
    record["text_original"] = raw if set(fixes) - {"whitespace"} else None
    for column in ("title", "author", "source", "url"):
        record[column] = _clean_field(record.get(column))
    date = parse_date(record.get("date"))
    date_source = None if _is_nat(date) else record.get("date_source") or "metadata"
    if date_source is None and record.get("date") not in (None, ""):
        record["date_raw"] = str(record.get("date"))
    if date_source is None:
        date = date_from_url(record["url"])
        date_source = "url" if not _is_nat(date) else None
    if date_source is None:
        date = date_from_text(text)
        date_source = "dateline" if not _is_nat(date) else None
    named = record.pop("_file_name_date", None)
    if date_source is None and not _is_nat(named):
        date, date_source = named, "file name"
    record["date"] = date
    record["date_source"] = date_source
    record["source"] = record["source"] or source_from_url(record["url"])
    record["language"] = _language(record.get("language"), text, options.detect_language)
    return record


def _scrub_surrogates(record: dict) -> None:
    """Lone surrogates (from JSON escapes or file names that are not UTF-8) cannot be written by any table format:
    each becomes U+FFFD, in keys and values, so one input's odd text never stops the load."""
    for key in list(record):
        value = record[key]
        if isinstance(value, str) and not value.isascii() and SURROGATES.search(value):
            record[key] = SURROGATES.sub("\ufffd", value)
        if isinstance(key, str) and not key.isascii() and SURROGATES.search(key):
            record[SURROGATES.sub("\ufffd", key)] = record.pop(key)


def _is_nat(value) -> bool:
    return value is None or value != value


def read_input(item: Input, options: ReadOptions) -> tuple[str, Parsed | LoadError]:
    """Read and clean one input; a problem with it comes back as a :class:`LoadError`, never raised."""
    try:
        parsed = _read(item, options)
        parsed.records = finish_records(parsed, options)
    except LoadError as error:
        failure = error
    except RecursionError:
        failure = LoadError("nested too deeply to read (more levels of lists or objects than Python can follow); "
                            "flatten the file's structure")
    except (UnicodeError, ValueError, TypeError, MemoryError) as error:
        failure = LoadError(f"could not be read: {error.__class__.__name__}: {error}")
    except Exception as error:  # noqa: BLE001 - one input's reader failing must never stop the whole load
        failure = LoadError(f"unexpected reader failure ({error.__class__.__name__}: {error}); "
                            "please report it with this file")
    else:
        if item.note:
            parsed.summary = f"{parsed.summary}; {item.note}" if parsed.summary else item.note
        return item.name, parsed
    failure.reason = SURROGATES.sub("\ufffd", failure.reason)  # the reason may quote the input's odd text
    return item.name, failure


def _has_words(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _headlines_only(records: list[dict]) -> bool:
    """An input of titles without any text (a list of headlines): its titles are what there is to analyse."""
    return (not any(_has_words(r.get("text")) for r in records)
            and any(_has_words(r.get("title")) for r in records))


def finish_records(parsed: Parsed, options: ReadOptions) -> list[dict]:
    """Cleaned records with text; the others become ``empty`` notes (checked after cleaning: control
    characters or markup alone are no text)."""
    kept = []
    if _headlines_only(parsed.records):
        for record in parsed.records:
            if _has_words(record.get("title")):
                record["text"] = record["title"]
                record.setdefault("_decode_fixes", []).append("title-as-text")
        parsed.summary = f"{parsed.summary}; no article text: the titles are analysed" if parsed.summary else \
            "no article text: the titles are analysed"
    for record in parsed.records:
        text = record.get("text")
        if isinstance(text, (int, float)) and not isinstance(text, bool) and text == text:
            record["text"] = text = str(text)
        if isinstance(text, str) and text.strip():
            record = finish_record(record, options)
            if record["text"]:
                kept.append(record)
                continue
        reason = "entry has neither content nor summary" if record.get("text_kind") == "none" else "no text"
        parsed.notes.append((record["path"], "empty", reason))
    return kept
