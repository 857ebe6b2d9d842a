"""Load articles from files, folders, globs, zip archives and DataFrames into one articles frame.

Articles frame columns: ``doc_id, title, text, date, source, url, author, language, collection, path, n_chars,
story_id`` then extra metadata (``text_kind`` for feed entries, ``date_source``, ``text_fixes``, ``text_original``,
front-matter and CSV/JSON fields ...). ``collection`` names the input the article came through (``articles`` for
``data/articles/``, ``wikinews_2019`` for the sample) so notebooks can set one collection against the rest.

The load report (one row per input with ``input, status, reason, n_articles``) travels in
``articles.attrs["load_report"]``; ``load_report(articles)`` finds it even after pandas dropped ``attrs``.
The readers, one per format, live in :mod:`helpers.ingest`.
"""

from __future__ import annotations

import hashlib
import os
from collections import deque
from pathlib import Path
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pandas as pd

from helpers.load.common import LoadError, Parsed
from helpers.load.dispatch import ReadOptions, finish_records, read_input
from helpers.load.duplicates import assign_story_ids, one_per_story, story_clusters
from helpers.load.sources import Input, expand
from helpers.load.tables import read_frame

ARTICLE_COLUMNS = [
    "doc_id", "title", "text", "date", "source", "url", "author", "language", "collection", "path", "n_chars",
    "story_id",
]
# extra columns every load has, even one that loaded no article
ALWAYS_EXTRAS = ["date_source", "text_fixes", "text_original"]
REPORT_COLUMNS = ["input", "status", "reason", "n_articles"]
REASONS_SHOWN = 5
STATUSES = ["loaded", "duplicate", "empty", "skipped", "error"]
DERIVED = {"doc_id", "n_chars", "story_id", "input"}
PROGRESS_THRESHOLD = 200
PARALLEL_THRESHOLD = 200
_RECENT_LOADS: deque = deque(maxlen=8)


class LoadReport(pd.DataFrame):
    """The load report: a DataFrame that survives in ``attrs`` when pandas copies or concatenates frames.

    pandas compares ``attrs`` with ``==`` when concatenating; a plain DataFrame there makes ``pd.concat`` raise,
    so two reports compare as one boolean here. Anything derived from a report is a plain DataFrame.
    """

    @property
    def _constructor(self):
        return pd.DataFrame

    def __eq__(self, other):
        if isinstance(other, pd.DataFrame):
            return self.shape == other.shape and bool(pd.DataFrame(self).equals(pd.DataFrame(other)))
        return super().__eq__(other)

    def __ne__(self, other):
        if isinstance(other, pd.DataFrame):
            return not self.__eq__(other)
        return super().__ne__(other)

    __hash__ = None

    def __deepcopy__(self, memo=None):
        return LoadReport(pd.DataFrame(self).copy())


def make_doc_id(text: str) -> str:
    """A stable id derived from the article's content, not its position.

    >>> make_doc_id("Libya and the United States signed a memorandum.")
    '76b9abf473fba6a3'
    """
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def load_report(articles: pd.DataFrame) -> pd.DataFrame:
    """The load report of an articles frame: one row per input with ``input``, ``status`` (loaded, duplicate,
    empty, skipped, error), ``reason`` and ``n_articles`` (articles it contributed to the frame).

    Read from ``articles.attrs``; when pandas dropped ``attrs`` (merge, groupby ...), the report of the most recent
    load in this session that holds all of the frame's ``doc_id`` s is returned.

    >>> from helpers.settings import ARTICLES_DIR
    >>> articles = load_articles(ARTICLES_DIR)
    >>> load_report(articles.merge(articles[["doc_id"]]))[["status", "n_articles"]]
       status  n_articles
    0  loaded           1
    """
    report = articles.attrs.get("load_report")
    if isinstance(report, pd.DataFrame):
        return report
    if "doc_id" in articles:
        ids = set(articles["doc_id"].astype(str))
        for loaded_ids, report in reversed(_RECENT_LOADS):
            if ids <= loaded_ids:
                return report
    raise ValueError("this frame carries no load report and matches no load in this session; "
                     "keep it right after loading with report = helpers.load_report(articles)")


def save_articles(articles: pd.DataFrame, path, *, replace: bool = False) -> list:
    """Write an articles frame to ``.parquet`` or ``.csv`` with its load report beside it (``<stem>.load-report.csv``)
    and its syndicated stories (``<stem>.stories.csv``); return the paths written. Existing files are kept unless
    ``replace``.

    ``articles.to_parquet`` fails on a loaded frame because pandas stores ``attrs`` as JSON and the report is a
    DataFrame; this writes the table without ``attrs`` and the report as its own file.

    >>> import tempfile
    >>> from helpers.settings import ARTICLES_DIR
    >>> folder = Path(tempfile.mkdtemp())
    >>> [p.name for p in save_articles(load_articles(ARTICLES_DIR), folder / "seed.parquet")]
    ['seed.parquet', 'seed.load-report.csv', 'seed.stories.csv']
    """
    out = Path(path)
    if out.suffix not in (".parquet", ".csv"):
        raise ValueError(f"save_articles writes .parquet or .csv, not {out.name!r}")
    paths = [out, out.with_name(out.stem + ".load-report.csv"), out.with_name(out.stem + ".stories.csv")]
    existing = [p for p in paths if p.exists()]
    if existing and not replace:
        raise FileExistsError(f"{existing[0]} exists; pass replace=True (--replace) to overwrite it")
    out.parent.mkdir(parents=True, exist_ok=True)
    table = articles.copy()
    table.attrs = {}
    table.to_parquet(out, index=False) if out.suffix == ".parquet" else table.to_csv(out, index=False)
    load_report(articles).to_csv(paths[1], index=False)
    story_clusters(articles).to_csv(paths[2], index=False)
    return paths


def _collection_of(record: dict, item_collection: str) -> str:
    value = record.get("collection")
    return value if isinstance(value, str) and value else item_collection


def _frame_inputs(frame: pd.DataFrame, number: int, options: ReadOptions) -> tuple[str, Parsed | LoadError]:
    name = f"<DataFrame {number}>"
    if not any(c in frame.columns for c in ("text", "body", "content", "article")) and not (
            options.columns and "text" in options.columns.values()):
        return name, LoadError("DataFrame without a text column (name it 'text' or pass "
                               "options=ReadOptions(columns={...: 'text'}))")
    parsed = read_frame(frame, name, columns=options.columns)
    if "path" in frame.columns:
        for record, original in zip(parsed.records, frame["path"]):
            if isinstance(original, str) and original:
                record["path"] = original
    parsed.records = finish_records(parsed, options)
    return name, parsed


def _progress(iterable, total: int, enabled):
    if enabled is False or (enabled is None and total < PROGRESS_THRESHOLD):
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc="loading", unit="input")


def _warm_up(items: list[Input]) -> None:
    """Import the readers and load the language model once, before workers are forked: each would otherwise
    spend a second or more doing it again."""
    from helpers.load.metadata import _identifier

    _identifier()
    suffixes = {item.suffix for item in items}
    if suffixes & {".html", ".htm", ".xhtml", ".shtml", ""}:
        import trafilatura  # noqa: F401
    if suffixes & {".xml", ".rss", ".atom", ".rdf", ""}:
        import feedparser  # noqa: F401


def _read_all(items: list[Input], options: ReadOptions, workers, progress, read_cache=None):
    if read_cache is not None:
        stored = [read_cache.get(item, options) for item in items]
        missing = [i for i, result in enumerate(stored) if result is None]
        if missing:
            fresh = _read_all([items[i] for i in missing], options, workers, progress)
            for i, result in zip(missing, fresh):
                read_cache.put(items[i], options, result)
                stored[i] = result
        return stored
    if workers is None:
        workers = min(4, os.cpu_count() or 1) if len(items) >= PARALLEL_THRESHOLD else 1
    if workers <= 1:
        return list(_progress((read_input(item, options) for item in items), len(items), progress))
    _warm_up(items)
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = pool.map(read_input, items, [options] * len(items), chunksize=16)
            return list(_progress(results, len(items), progress))
    except BrokenProcessPool:  # a reader process was killed (out of memory, a signal): find its input, read the rest
        return _read_apart(items, options, workers)


def _read_apart(items: list[Input], options: ReadOptions, workers: int) -> list:
    """Read ``items`` in halves until the input whose reader process dies is alone; it is reported, never fatal."""
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(items))) as pool:
            return list(pool.map(read_input, items, [options] * len(items), chunksize=16))
    except BrokenProcessPool:
        if len(items) == 1:
            return [(items[0].name, LoadError("its reader process died while reading it (stopped by the system, "
                                              "for example for lack of memory); the other inputs were read"))]
        half = len(items) // 2
        return _read_apart(items[:half], options, workers) + _read_apart(items[half:], options, workers)


def _stringify_extras(frame: pd.DataFrame, extras: list[str]) -> pd.DataFrame:
    """Extra metadata columns with mixed types become strings, so the frame saves to Parquet as it is."""
    for column in extras:
        values = frame[column]
        kinds = {type(v) for v in values.dropna()}
        if len(kinds) > 1 or kinds - {str, int, float, bool}:
            frame[column] = values.map(lambda v: v if v is None or v is pd.NA or v != v else str(v)).astype("str")
        elif kinds <= {str}:
            frame[column] = values.astype("str")
    return frame


def _assign_ids(frame: pd.DataFrame, drop_duplicates: bool) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """doc_id from the text; exact duplicates (same text, same outlet) dropped, the first input's copy kept.

    The same text from several outlets is one syndicated story printed by each: every copy is kept, and its
    doc_id also hashes the outlet so ids stay unique. Kept exact duplicates (``drop_duplicates=False``) hash
    their path as well.
    """
    frame["doc_id"] = frame["text"].map(make_doc_id)
    outlet = frame["source"].fillna("").astype(str).str.lower()
    duplicated = pd.DataFrame({"doc_id": frame["doc_id"], "outlet": outlet}).duplicated(keep="first")
    dropped = []
    if drop_duplicates:
        first_path = {}
        for d, o, p in zip(frame["doc_id"], outlet, frame["path"]):
            first_path.setdefault((d, o), p)
        dropped = [(i, str(first_path[(frame.at[i, "doc_id"], outlet[i])])) for i in frame.index[duplicated]]
        frame, outlet = frame.loc[~duplicated], outlet.loc[~duplicated]
    else:
        frame.loc[duplicated, "doc_id"] = [make_doc_id(f"{p}\n{t}") for p, t in
                                           zip(frame.loc[duplicated, "path"], frame.loc[duplicated, "text"])]
    syndicated = frame.groupby("doc_id")["source"].transform("size") > 1
    frame.loc[syndicated, "doc_id"] = [make_doc_id(f"{o}\n{t}")
                                       for o, t in zip(outlet[syndicated], frame.loc[syndicated, "text"])]
    return frame, dropped


def load_articles(*sources, options: ReadOptions = ReadOptions(), drop_duplicates: bool = True,
                  near_duplicate_threshold: float = 0.5, workers: int | None = None, progress: bool | None = None,
                  read_cache=None, story_cache=None) -> pd.DataFrame:
    """Load articles from files, folders (recursively), globs, ``.zip`` archives and DataFrames into one frame.

    Formats by suffix (content sniffed when there is none): ``.txt``/``.md`` with optional YAML front matter;
    ``.html``/``.htm`` (also ``.gz``) with boilerplate removed; RSS/Atom feeds (``.xml``, ``.rss``, ``.atom``);
    ``.json``/``.jsonl``; ``.csv``/``.tsv``. ``options`` (a :class:`ReadOptions`) says how each input is read:
    ``columns`` maps a source's column names to the kit's (``ReadOptions(columns={"Story": "text"})``); common
    aliases (``body``, ``headline``, ``published``, ``outlet``, ``link`` ...) map themselves. Text is repaired
    (mojibake, entities), NFC-normalised and whitespace-normalised (``text_original`` keeps what changed beyond
    whitespace). ``date`` is UTC from metadata, else from the URL or the dateline (``date_source`` says which),
    ``NaT`` otherwise. ``source`` falls back to the URL's domain; ``language`` is detected (py3langid) unless the
    source states it (or ``detect_language=False``). Exact duplicates (same text and outlet) are dropped when
    ``drop_duplicates``; near-duplicates share a ``story_id`` (word 5-gram Jaccard ≥ ``near_duplicate_threshold``).
    Every input, row or entry not loaded has a row in the load report (``load_report(articles)``).

    ``read_cache`` (e.g. :class:`helpers.load.load_cache.InputCache`) is consulted for each input before it is read: an
    object with ``get(item, options)`` returning what reading that input gave before (or ``None``) and
    ``put(item, options, result)``; adding one file to a folder then reads that file only. ``story_cache`` (e.g.
    :class:`helpers.load.story_cache.StoryCache`) keeps the near-duplicate clustering's MinHash signatures and components
    between loads (see :func:`helpers.load.duplicates.assign_story_ids`). Neither changes the result.

    >>> from helpers.settings import ARTICLES_DIR
    >>> articles = load_articles(ARTICLES_DIR)
    >>> articles.loc[0, ["title", "collection", "language"]].tolist()
    ['Libya and United States sign memorandum against drug trafficking', 'articles', 'en']
    >>> load_report(articles)[["status", "n_articles"]].values.tolist()
    [['loaded', 1]]
    """
    if not isinstance(options, ReadOptions):
        raise TypeError(f"load_articles(options=...) takes a helpers.ReadOptions, e.g. "
                        f"ReadOptions(columns={{'Story': 'text'}}), not {type(options).__name__}")
    items: list[Input] = []
    frames: list[tuple[int, pd.DataFrame]] = []
    order: list[tuple[str, object]] = []
    for source in sources:
        if isinstance(source, pd.DataFrame):
            frames.append((len(frames) + 1, source))
            order.append(("frame", len(frames) - 1))
        else:
            expanded = expand(source, max_file_size=options.max_file_size)
            order.extend(("item", len(items) + i) for i in range(len(expanded)))
            items.extend(expanded)
    read = _read_all(items, options, workers, progress, read_cache)
    framed = [_frame_inputs(frame, number, options) for number, frame in frames]

    report_rows: list[dict] = []
    records: list[dict] = []
    for kind, index in order:
        name, outcome = read[index] if kind == "item" else framed[index]
        collection = items[index].collection if kind == "item" else "dataframe"
        if isinstance(outcome, LoadError):
            report_rows.append({"input": name, "status": outcome.status, "reason": outcome.reason, "n_articles": 0})
            continue
        row = {"input": name, "status": "loaded" if outcome.records else "empty",
               "reason": outcome.summary if outcome.records else f"{outcome.summary}: no article with text".lstrip(": "),
               "n_articles": len(outcome.records)}
        report_rows.append(row)
        for record in outcome.records:
            record["input"] = len(report_rows) - 1
            record["collection"] = _collection_of(record, collection)
            records.append(record)
        report_rows.extend({"input": n, "status": s, "reason": r, "n_articles": 0} for n, s, r in outcome.notes)

    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame(columns=ARTICLE_COLUMNS + ["input"])
    for column in ARTICLE_COLUMNS + ALWAYS_EXTRAS:
        if column not in frame.columns:
            frame[column] = None
    if len(frame):
        frame, dropped = _assign_ids(frame, drop_duplicates)
        for index, kept_path in dropped:
            owner = report_rows[records[index]["input"]]
            owner["n_articles"] -= 1
            if owner["n_articles"] == 0 and owner["input"] == records[index]["path"]:
                owner.update(status="duplicate", reason=f"same text and outlet as {kept_path}")
            else:
                report_rows.append({"input": records[index]["path"], "status": "duplicate",
                                    "reason": f"same text and outlet as {kept_path}", "n_articles": 0})
    frame = frame.reset_index(drop=True)
    frame["date"] = pd.to_datetime(frame["date"], utc=True) if len(frame) else pd.Series(
        [], dtype="datetime64[ns, UTC]")
    frame["n_chars"] = frame["text"].str.len()
    frame["story_id"] = assign_story_ids(frame, threshold=near_duplicate_threshold,
                                         cache=story_cache) if len(frame) else frame["doc_id"]
    extras = [c for c in frame.columns if c not in ARTICLE_COLUMNS and c not in DERIVED]
    articles = _stringify_extras(frame[ARTICLE_COLUMNS + extras].copy(), extras)
    for column in ("doc_id", "title", "text", "source", "url", "author", "language", "collection", "path",
                   "story_id", *(ALWAYS_EXTRAS if articles.empty else ())):
        articles[column] = articles[column].astype("str")
    report = LoadReport(pd.DataFrame(report_rows, columns=REPORT_COLUMNS).astype({"n_articles": "int64"}))
    articles.attrs["load_report"] = report
    _RECENT_LOADS.append((set(articles["doc_id"]), report))
    return articles


class NoArticlesLoaded(ValueError):
    """Raised by :func:`require_articles`: nothing at all was loaded; the message names the inputs and why."""


def _shown(path) -> str:
    """A path as a reader would type it: relative to the working folder when it lies inside it."""
    text = str(path)
    try:
        return str(Path(text).resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return text


def require_articles(articles: pd.DataFrame, sources) -> pd.DataFrame:
    """Return ``articles`` when at least one article was loaded; otherwise raise :class:`NoArticlesLoaded` with one
    plain line: ``no article was loaded from <inputs>: <per-input reasons>`` (the run stops there, before the
    notebooks).

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "reut2-000.sgm").write_text("<REUTERS>newswire</REUTERS>")
    >>> require_articles(load_articles(folder), [folder])
    Traceback (most recent call last):
    ...
    helpers.load.articles.NoArticlesLoaded: no article was loaded from ...: .../reut2-000.sgm skipped (unsupported ...)
    """
    if len(articles):
        return articles
    report = pd.DataFrame(load_report(articles))
    reasons = [f"{_shown(row.input)} {row.status}" + (f" ({row.reason})" if isinstance(row.reason, str) and row.reason
                                                        else "")
               for row in report.itertuples()]
    if len(reasons) > REASONS_SHOWN:
        reasons = reasons[:REASONS_SHOWN] + [f"and {len(reasons) - REASONS_SHOWN} more (see the load report)"]
    inputs = ", ".join("a DataFrame" if isinstance(s, pd.DataFrame) else _shown(s) for s in sources) or "no input"
    raise NoArticlesLoaded(f"no article was loaded from {inputs}: {'; '.join(reasons) or 'no input file found'}")


__all__ = ["ARTICLE_COLUMNS", "REPORT_COLUMNS", "LoadReport", "NoArticlesLoaded", "load_articles", "load_report",
           "make_doc_id", "one_per_story", "require_articles", "save_articles", "story_clusters"]
