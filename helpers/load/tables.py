"""Tabular and record inputs: CSV/TSV (any delimiter, header or not), JSON, JSONL and DataFrames.

Column names are mapped to the kit's names through common aliases (``body``, ``headline``, ``published``,
``outlet``, ``link`` ...) and explicit ``columns={"their name": "kit name"}`` options.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pandas as pd

from helpers.load.common import LoadError, Parsed

COLUMN_ALIASES = {
    "text": ["text", "body", "content", "article", "full_text", "fulltext", "article_text", "maintext", "story",
             "body_text", "text_body"],
    "title": ["title", "headline", "heading", "head", "headline_main"],
    "date": ["date", "published", "pubdate", "pub_date", "publication_date", "published_at", "date_published",
             "date_publish", "publish_date", "datetime", "timestamp", "created_at", "time", "pubdatetime"],
    "source": ["source", "outlet", "publisher", "site", "site_name", "sitename", "publication", "source_name",
               "source_domain", "newspaper", "media", "medium", "domain"],
    "url": ["url", "link", "href", "permalink", "uri", "web_url", "article_url"],
    "author": ["author", "authors", "byline", "creator", "writer", "by"],
    "language": ["language", "lang", "locale"],
}
RESERVED = {"path", "input"}  # set by the loader: where the article came from and its report row
CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
DELIMITERS = ",;\t|"
MAX_NESTED_DEPTH = 3


def normalise_key(name) -> str:
    """``publishedAt`` → ``published_at``, ``Full Text`` → ``full_text``.

    >>> normalise_key("publishedAt"), normalise_key(" Full-Text ")
    ('published_at', 'full_text')
    """
    return re.sub(r"[\s\-.]+", "_", CAMEL.sub("_", str(name).strip())).lower().strip("_")


def map_columns(keys, columns: dict | None = None) -> dict:
    """Which of ``keys`` becomes which kit column: explicit ``columns`` first, then the first alias found.

    Keys not mapped keep their (normalised) name as extra metadata.

    >>> map_columns(["Headline", "Body", "publishedAt", "Outlet", "section"])
    {'Headline': 'title', 'Body': 'text', 'publishedAt': 'date', 'Outlet': 'source', 'section': 'section'}
    """
    columns = dict(columns or {})
    mapping = {key: columns[key] for key in keys if key in columns}
    taken = set(mapping.values())
    by_normalised = {}
    for key in keys:
        if key not in mapping:
            by_normalised.setdefault(normalise_key(key), key)
    for kit_name, aliases in COLUMN_ALIASES.items():
        if kit_name in taken:
            continue
        for alias in aliases:
            key = by_normalised.get(alias)
            if key is not None and key not in mapping:
                mapping[key] = kit_name
                taken.add(kit_name)
                break
    taken |= RESERVED
    for key in keys:
        if key not in mapping:
            name = normalise_key(key) or "column"
            mapping[key] = name if name not in taken else f"{name}_original"
    return {key: mapping[key] for key in keys}


def _flatten(value):
    """Nested JSON fields to something a column can hold: NewsAPI's ``source: {"name": ...}``, author lists."""
    if isinstance(value, dict):
        for key in ("name", "title", "value", "text", "href", "url"):
            if isinstance(value.get(key), str):
                return value[key]
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, list):
        flat = [_flatten(v) for v in value]
        return "; ".join(str(v) for v in flat if v not in (None, ""))
    return value


def _nested_columns(value: dict, prefix: str, depth: int = 0) -> dict:
    """A nested object as dotted columns, so groups can come from it: ``member: {"party": "D"}`` → ``member.party``.

    >>> _nested_columns({"name": "Al Green", "party": "D", "office": {"state": "TX"}}, "member")
    {'member.name': 'Al Green', 'member.party': 'D', 'member.office.state': 'TX'}
    """
    columns = {}
    for key, item in value.items():
        name = f"{prefix}.{normalise_key(key) or 'field'}"
        if isinstance(item, dict) and depth < MAX_NESTED_DEPTH:
            columns.update(_nested_columns(item, name, depth + 1))
        else:
            columns[name] = _flatten(item)
    return columns


def records_from_rows(rows: list, name_of, *, columns: dict | None = None) -> Parsed:
    """Map each row (a dict) to kit names; rows that are not objects become report notes."""
    parsed = Parsed()
    mapping_cache: dict[tuple, dict] = {}
    for index, row in enumerate(rows):
        row_name = name_of(index)
        if not isinstance(row, dict):
            parsed.notes.append((row_name, "skipped", f"not an article object but {type(row).__name__}"))
            continue
        keys = tuple(row)
        mapping = mapping_cache.get(keys) or mapping_cache.setdefault(keys, map_columns(keys, columns))
        record = {mapping[key]: _flatten(value) for key, value in row.items()}
        for key, value in row.items():
            if isinstance(value, dict):
                record.update(_nested_columns(value, mapping[key]))
        record["path"] = row_name
        record["input"] = row_name
        parsed.records.append(record)
    return parsed


def _find_article_list(data, depth: int = 0):
    """The list of article objects in a JSON document: the top-level list, or one held by an object."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and depth < MAX_NESTED_DEPTH:
        lists = [v for v in data.values() if isinstance(v, list) and any(isinstance(x, dict) for x in v)]
        if lists:
            return max(lists, key=len)
        for value in data.values():
            found = _find_article_list(value, depth + 1) if isinstance(value, dict) else None
            if found is not None:
                return found
    return None


def _require_text_column(parsed: Parsed, keys: list) -> None:
    if parsed.records and not any("text" in record or "title" in record for record in parsed.records):
        shown = ", ".join(map(str, keys[:12]))
        raise LoadError(f"no text or title column among [{shown}]: name one 'text' (or body, content, article) "
                        "or pass columns={'<their name>': 'text'}")


def read_json(text: str, name: str, *, columns: dict | None = None) -> Parsed:
    """Articles from a JSON document: a list of objects, an object holding one (``{"articles": [...]}``), or a
    single article object.

    >>> doc = '{"status": "ok", "articles": [{"headline": "MoU", "body": "Libya signed.", "source": {"name": "BBC"}}]}'
    >>> read_json(doc, "api.json").records
    [{'title': 'MoU', 'text': 'Libya signed.', 'source': 'BBC', 'source.name': 'BBC', 'path': 'api.json[0]', 'input': 'api.json[0]'}]
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise LoadError(f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}")
    is_one_article = isinstance(data, dict) and "text" in map_columns(list(data), columns).values()
    rows = [data] if is_one_article else _find_article_list(data)
    if rows is None:
        if isinstance(data, dict):
            rows = [data]
        else:
            raise LoadError(f"JSON holds a {type(data).__name__}, not article objects", "skipped")
    parsed = records_from_rows(rows, lambda i: f"{name}[{i}]", columns=columns)
    _require_text_column(parsed, sorted({k for row in rows if isinstance(row, dict) for k in row}))
    parsed.summary = f"JSON, {len(rows)} object{'s' if len(rows) != 1 else ''}"
    return parsed


def read_jsonl(text: str, name: str, *, columns: dict | None = None) -> Parsed:
    """Articles from JSON Lines: one object per line; a malformed line is reported and the rest still load.

    >>> parsed = read_jsonl('{"title": "a", "text": "x"}\\n{broken\\n\\n{"title": "b", "text": "y"}', "d.jsonl")
    >>> [r["path"] for r in parsed.records], parsed.notes
    (['d.jsonl:1', 'd.jsonl:4'], [('d.jsonl:2', 'error', 'malformed JSON line: Expecting property name enclosed in double quotes (column 2)')])
    """
    rows, line_numbers, notes = [], [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
            line_numbers.append(number)
        except json.JSONDecodeError as error:
            notes.append((f"{name}:{number}", "error", f"malformed JSON line: {error.msg} (column {error.colno})"))
    if not rows and notes:
        raise LoadError(f"no line is valid JSON ({len(notes)} malformed line{'s' if len(notes) != 1 else ''})")
    parsed = records_from_rows(rows, lambda i: f"{name}:{line_numbers[i]}", columns=columns)
    _require_text_column(parsed, sorted({k for row in rows if isinstance(row, dict) for k in row}))
    parsed.notes = notes + parsed.notes
    parsed.summary = f"JSON Lines, {len(rows)} object{'s' if len(rows) != 1 else ''}"
    return parsed


def sniff_delimiter(text: str, *, suffix: str = ".csv") -> str:
    """The delimiter of a delimited text file: csv.Sniffer on the first lines, else the most regular candidate.

    >>> sniff_delimiter("title;text\\nMoU;Libya signed, the DEA said\\n")
    ';'
    """
    header_line = text.split("\n", 1)[0]
    for candidate in sorted(DELIMITERS, key=header_line.count, reverse=True)[:1]:
        names = {normalise_key(cell) for cell in header_line.split(candidate)}
        if header_line.count(candidate) and any(names & set(a) for a in COLUMN_ALIASES.values()):
            return candidate  # a header of known column names says it all; the sniffer is slow on big samples
    sample = text[:16384]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        pass
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    if not lines:
        return "\t" if suffix == ".tsv" else ","
    first = lines[0]
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ("\t" if suffix == ".tsv" else ",")


def _first_row(text: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter), [])
    except csv.Error:
        return text.splitlines()[0].split(delimiter) if text.splitlines() else []


def _has_header(text: str, delimiter: str) -> bool:
    first = _first_row(text, delimiter)
    keys = {normalise_key(cell) for cell in first}
    if any(keys & set(aliases) for aliases in COLUMN_ALIASES.values()):
        return True
    if any(len(cell) > 60 or cell.rstrip().endswith((".", "!", "?")) for cell in first):
        return False  # a header cell is a name, not a sentence
    try:
        return csv.Sniffer().has_header(text[:65536])
    except csv.Error:
        return True


def read_delimited(text: str, name: str, *, suffix: str = ".csv", columns: dict | None = None,
                   delimiter: str | None = None, header: bool | None = None) -> Parsed:
    """Articles from CSV/TSV: delimiter and header detected (or given), CRLF and BOM handled; a row with the wrong
    number of fields is reported and the rest still load. Without a header the longest column is the text.

    >>> parsed = read_delimited("Headline\\tBody\\r\\nMoU\\tLibya signed.\\r\\n", "a.tsv", suffix=".tsv")
    >>> parsed.records
    [{'title': 'MoU', 'text': 'Libya signed.', 'path': 'a.tsv:1', 'input': 'a.tsv:1'}]
    """
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise LoadError("empty file", "empty")
    delimiter = delimiter or sniff_delimiter(text, suffix=suffix)
    header = _has_header(text, delimiter) if header is None else header
    bad_lines: list[tuple[str, str, str]] = []

    def on_bad_line(fields):
        bad_lines.append((f"{name}:bad-line-{len(bad_lines) + 1}", "error",
                          f"row with {len(fields)} fields where the header has {n_columns}: {fields[:3]}…"))
        return None

    n_columns = len(_first_row(text, delimiter))
    common = {"sep": delimiter, "header": 0 if header else None, "dtype": str, "keep_default_na": False,
              "quotechar": '"'}
    try:
        table = pd.read_csv(io.StringIO(text), engine="c", on_bad_lines="error", **common)
    except (pd.errors.ParserError, csv.Error, ValueError):
        # The slower parser can report each bad row and keep the rest.
        try:
            table = pd.read_csv(io.StringIO(text), engine="python", on_bad_lines=on_bad_line, **common)
        except (pd.errors.ParserError, csv.Error, ValueError) as error:
            raise LoadError(f"malformed {suffix.lstrip('.').upper()}: {str(error).strip()}")
    if not header:
        table.columns = [f"column_{i + 1}" for i in range(table.shape[1])]
        if not table.empty and not (columns and "text" in columns.values()):
            longest = table.apply(lambda c: c.str.len().mean()).idxmax()
            columns = {**(columns or {}), longest: "text"}
    rows = table.to_dict("records")
    parsed = records_from_rows(rows, lambda i: f"{name}:{i + 1}", columns=columns)
    _require_text_column(parsed, list(table.columns))
    parsed.notes = bad_lines + parsed.notes
    kind = "TSV" if delimiter == "\t" else f"CSV (delimiter {delimiter!r})"
    parsed.summary = f"{kind}, {len(rows)} row{'s' if len(rows) != 1 else ''}{'' if header else ', no header'}"
    return parsed


def read_frame(frame: pd.DataFrame, name: str, *, columns: dict | None = None) -> Parsed:
    """Articles from an already-loaded DataFrame (an earlier articles frame keeps its ``path`` and ``collection``).

    >>> read_frame(pd.DataFrame({"headline": ["MoU"], "body": ["Libya signed."]}), "<DataFrame>").records
    [{'title': 'MoU', 'text': 'Libya signed.', 'path': '<DataFrame>:0', 'input': '<DataFrame>:0'}]
    """
    rows = frame.to_dict("records")
    parsed = records_from_rows(rows, lambda i: f"{name}:{frame.index[i]}", columns=columns)
    parsed.summary = f"DataFrame, {len(rows)} row{'s' if len(rows) != 1 else ''}"
    return parsed
