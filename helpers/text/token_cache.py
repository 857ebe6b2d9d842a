"""Each article's tokens cached (:func:`cached_tokenize`), so a rerun tokenises only new or changed articles.

The token rows of each article are kept under ``tokens/<settings>/``, keyed by ``doc_id`` + text, under a folder
keyed by the tokeniser options, the sentence model, the stopword list, the NLTK resources found, the kit version
and the source code of the tokeniser: a changed setting invalidates the token caches and nothing else. The
assembled table of one exact list of articles is also kept whole, as one Arrow file (``tokens/<settings>/tables/``):
every notebook of a run asks for the same table. The token table of a run is always exactly
``tokenize(articles)`` with the sentence model the run used (:mod:`helpers.text.sentence_store`).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile  # noqa: F401  (used by the doctests)
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather

from helpers.resources import resource_status
from helpers.scale.client import is_dask
from helpers.settings import cache_dir
from helpers.store.files import atomic_write, bytes_sha256, write_json
from helpers.store.keys import code_fingerprint, explicit_options, settings_key
from helpers.store.per_article import progress_bar
from helpers.store.shards import SHARD_ARTICLES, ArticleStore, assemble_entries, column_layout, layout_and_attrs
from helpers.text.sentence_store import loaded, model_fingerprint, resolve_sentence_model
from helpers.text.partitioned import tokenize_partitions
from helpers.text.options import TokenOptions
from helpers.text.stopwords import DEFAULT_OPTIONS, stopword_list
from helpers.text.tokenizer import tokenize


def _tokenize_with(articles: pd.DataFrame, model, options: dict) -> pd.DataFrame:
    return tokenize(articles, sentence_model=loaded(model), **options)


def article_entries(articles: pd.DataFrame) -> list[str]:
    """One cache entry per article: a hash of its ``doc_id`` and ``text`` (so either changing misses the cache).

    >>> article_entries(pd.DataFrame({"doc_id": ["a"], "text": ["x"]})) == article_entries(pd.DataFrame({"doc_id": ["a"], "text": ["y"]}))
    False
    """
    return [bytes_sha256(f"{doc_id}\0{text}".encode())[:32]
            for doc_id, text in zip(articles["doc_id"].astype(str), articles["text"].astype(str))]


def _resources_found() -> list[str]:
    status = resource_status()
    return status.loc[status["found"], "resource"].tolist()


def token_settings(model_info: dict, options: dict) -> dict:
    """What a token table depends on besides the article: options, sentence model, stopwords, resources, code.

    >>> sorted(token_settings({"fingerprint": "f"}, {"stem": True}))
    ['code', 'nltk', 'options', 'resources_found', 'sentence_model', 'stopwords']
    """
    return {
        "options": options,
        "sentence_model": model_info["fingerprint"],
        "stopwords": bytes_sha256("\n".join(sorted(stopword_list())).encode())[:16],
        "resources_found": _resources_found(),
        "nltk": metadata.version("nltk"),
        "code": code_fingerprint(tokenize),
    }


UNCACHEABLE_OPTIONS = ("collocation_expressions",)


RESULT_NEUTRAL_OPTIONS = ("n_jobs",)


def _json_attrs(attrs: dict) -> dict:
    try:
        return json.loads(json.dumps(attrs))
    except (TypeError, ValueError):
        return {}


def cached_tokenize(articles: pd.DataFrame, *, options: TokenOptions = DEFAULT_OPTIONS, sentence_model=None,
                    n_jobs: int = 1, cache: str | os.PathLike | None = None, progress: bool = True,
                    whole_table: bool | str = True) -> pd.DataFrame:
    """:func:`helpers.tokenize` with each article's tokens cached; only articles not seen before are tokenised.

    Equal to ``tokenize(articles, options=options, sentence_model=model, n_jobs=n_jobs)`` for the model of
    :func:`resolve_sentence_model` (or ``sentence_model``), categories and ``attrs`` included;
    ``attrs["cache"]`` says how many articles were tokenised now, ``attrs["sentence_model"]`` which model
    split the sentences. Options whose result depends on the whole corpus (``collocation_expressions``) are
    not cached: the call then tokenises everything (``attrs["cache"]["tokenized"]`` says so). With
    ``whole_table`` the assembled table of exactly these articles is also kept as one Arrow file and read whole
    next time (what every notebook of a run asks for); the latest few are kept. Partitions of a bigger corpus pass
    ``"partition"``: their tables are kept apart, many more of them (a rerun's unchanged partitions read back
    whole), or ``False`` for none. A Dask articles frame gives a Dask token table, each partition tokenised through
    the cache (as :func:`helpers.tokenize` does on Dask input).

    >>> articles = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Libya signed. The U.S. agreed.", "Drugs."]})
    >>> folder = tempfile.mkdtemp()
    >>> model, _ = resolve_sentence_model(articles, cache=folder)
    >>> first = cached_tokenize(articles, sentence_model=model, cache=folder, progress=False)
    >>> more = pd.concat([articles, pd.DataFrame({"doc_id": ["c"], "text": ["New text."]})], ignore_index=True)
    >>> again = cached_tokenize(more, sentence_model=model, cache=folder, progress=False)
    >>> again.attrs["cache"]["tokenized"], again.attrs["cache"]["reused"]
    (1, 2)
    >>> again.equals(cached_tokenize(more, sentence_model=model, cache=tempfile.mkdtemp(), progress=False))
    True
    """
    if is_dask(articles):  # partition by partition, each partition's articles through this cache
        return tokenize_partitions(articles, tokenizer=cached_tokenize, splitter=sentence_model, cache=cache or True,
                                   options=options, n_jobs=n_jobs)
    # tokenize's keyword arguments; the key holds only those that differ from its defaults (and never n_jobs)
    options = {"options": options, "n_jobs": n_jobs}
    if sentence_model is None:
        # a stored model is unpickled only if an article needs tokenising (a hit needs its fingerprint alone)
        sentence_model, model_info = resolve_sentence_model(articles, cache=cache, lazy=True)
    else:
        model_info = {"kind": "given", "fingerprint": model_fingerprint(sentence_model)}
    if any(getattr(options.get("options"), name, None) for name in UNCACHEABLE_OPTIONS) or not len(articles):
        tokens = _tokenize_with(articles, sentence_model, options)
        tokens.attrs.update(cache={"tokenized": len(articles), "reused": 0, "settings_key": None},
                            sentence_model=model_info)
        return tokens
    keyed = {k: v for k, v in explicit_options(tokenize, options).items() if k not in RESULT_NEUTRAL_OPTIONS}
    settings = token_settings(model_info, keyed)
    key = settings_key("tokens", settings)
    store = ArticleStore(Path(cache or cache_dir()) / "tokens" / key)
    if not (store.folder / "settings.json").exists():
        write_json(store.folder / "settings.json", settings)
    entries = article_entries(articles)
    if articles["doc_id"].nunique() != len(set(entries)):
        raise ValueError("cached_tokenize: some doc_id names two different texts; give each text its own doc_id "
                         "(load_articles derives it from the text)")
    tables, keep_tables = WHOLE_TABLES["partition" if whole_table == "partition" else "corpus"]
    whole = store.folder / tables / f"{bytes_sha256(chr(10).join(entries).encode())[:24]}.arrow"
    tokens = _read_whole_table(whole) if whole_table else None
    if tokens is not None:
        tokens.attrs["cache"] = {"tokenized": 0, "reused": len(entries), "settings_key": key, "whole_table": True}
        tokens.attrs["sentence_model"] = model_info
        return tokens
    index = store.index()
    # The corpus's last assembled table, when it holds most of these articles: a rerun that adds a few articles
    # takes the rest from it instead of reassembling them from every shard (2.9 s of 3.2 s on 10,000 articles).
    base = _base_table(store.folder / tables, set(entries)) if whole_table is True else None
    if base is not None:
        index = {**index, **base[1]}
    missing_rows = [i for i, entry in enumerate(entries) if entry not in index]
    seen: set[str] = set()
    missing_rows = [i for i in missing_rows if not (entries[i] in seen or seen.add(entries[i]))]

    fresh_parts: list[pd.DataFrame] = []
    fresh_meta: list[tuple[list, dict]] = []
    fresh_ranges: dict[str, tuple[str, int, int]] = {}
    batches = [missing_rows[i:i + SHARD_ARTICLES] for i in range(0, len(missing_rows), SHARD_ARTICLES)]
    bar = progress_bar(batches, desc="tokenising", unit="batch", disable=not progress or not batches,
                       postfix={"articles": len(missing_rows)})
    for batch in bar:
        subset = articles.iloc[batch].reset_index(drop=True)
        tokens = _tokenize_with(subset, sentence_model, options)
        doc_ids = subset["doc_id"].astype(str).tolist()
        ranges = _entry_ranges(tokens, subset, [entries[i] for i in batch])
        attrs = _json_attrs(tokens.attrs)
        store.write(tokens, ranges, {"n_articles": len(batch), "doc_ids": doc_ids, "attrs": attrs})
        fresh_parts.append(tokens)
        fresh_meta.append((column_layout(tokens, doc_ids), attrs))
        for entry, (start, end) in ranges.items():
            fresh_ranges[entry] = (f"<fresh-{len(fresh_parts) - 1:06d}>", start, end)

    needed = {index[e][0] for e in set(entries) if e not in fresh_ranges} - {BASE_TABLE}
    frames: dict[str, pd.DataFrame] = {}
    reading = progress_bar(sorted(needed), desc="reading token cache", unit="shard", disable=not progress or not needed)
    for shard in reading:
        frames[shard] = store.read(shard)
    if fresh_parts:
        frames.update({f"<fresh-{number:06d}>": part for number, part in enumerate(fresh_parts)})
    if base is not None:
        frames[BASE_TABLE] = base[0]
        fresh_meta = [*fresh_meta, (base[2], base[0].attrs)]
    layout, attrs = layout_and_attrs(store, frames, fresh_meta)
    tokens = assemble_entries(entries, {**index, **fresh_ranges}, frames, layout,
                              articles["doc_id"].astype(str).tolist())
    tokens.attrs.update(attrs)
    if whole_table:
        locations = {**index, **fresh_ranges}
        _write_whole_table(whole, tokens, keep=keep_tables, entries=entries, layout=layout,
                           lengths=[locations[e][2] - locations[e][1] for e in entries])
    tokens.attrs["cache"] = {"tokenized": len(missing_rows), "reused": len(entries) - len(missing_rows),
                             "settings_key": key}
    tokens.attrs["sentence_model"] = model_info
    return tokens


# Assembled tables kept (folder, how many): a run's corpus and the one before it; many more partitions.
WHOLE_TABLES = {"corpus": ("tables", 2), "partition": ("partition-tables", 2048)}


BASE_TABLE = "<base>"


def _write_whole_table(path: Path, tokens: pd.DataFrame, *, keep: int, entries: list[str] | None = None,
                       layout: list[list] | None = None, lengths: list[int] | None = None) -> None:
    """The assembled token table of one exact list of articles, as one Arrow file (read memory-mapped): the
    notebooks of a run all tokenise the same articles, and one file reads several times faster than
    reassembling the table from its per-article shards. Only the latest few are kept. With the articles' cache
    ``entries`` in order, their row counts (``lengths``) and the ``layout``, a later call for a corpus that shares
    most of its articles takes them from it (:func:`_base_table`)."""
    table = pa.Table.from_pandas(tokens, preserve_index=False)
    atomic_write(path, lambda tmp: feather.write_feather(table, str(tmp), compression="uncompressed"))
    write_json(path.with_suffix(".attrs.json"), _json_attrs(tokens.attrs), sort_keys=False)
    if entries is not None and len(set(entries)) == len(entries) and sum(lengths or []) == len(tokens):
        write_json(path.with_suffix(".entries.json"), {"layout": layout, "entries": entries, "lengths": lengths},
                    sort_keys=False)
    stored = sorted(path.parent.glob("*.arrow"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in stored[keep:]:
        old.unlink(missing_ok=True)
        old.with_suffix(".attrs.json").unlink(missing_ok=True)
        old.with_suffix(".entries.json").unlink(missing_ok=True)


def _base_table(folder: Path, wanted: set[str]):
    """The newest kept whole table that holds at least half of the ``wanted`` entries: ``(frame, locations of
    the wanted entries it holds, its layout)``, or None."""
    for path in sorted(folder.glob("*.arrow"), key=lambda p: p.stat().st_mtime, reverse=True):
        try:
            recorded = json.loads(path.with_suffix(".entries.json").read_text())
            entries, lengths, layout = recorded["entries"], recorded["lengths"], recorded["layout"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if len(wanted.intersection(entries)) * 2 < len(wanted):
            continue
        frame = _read_whole_table(path)
        if frame is None or len(frame) != sum(lengths):
            continue
        ends = np.cumsum(lengths).tolist()
        locations = {entry: (BASE_TABLE, end - length, end)
                     for entry, length, end in zip(entries, lengths, ends) if entry in wanted}
        return frame, locations, layout
    return None


def _read_whole_table(path: Path) -> pd.DataFrame | None:
    attrs_path = path.with_suffix(".attrs.json")
    if not (path.exists() and attrs_path.exists()):
        return None
    try:
        tokens = feather.read_table(str(path), memory_map=True).to_pandas()
        tokens.attrs.update(json.loads(attrs_path.read_text()))
    except (OSError, ValueError) as error:
        print(f"cache: ignoring unreadable {path.name} ({error.__class__.__name__})", file=sys.stderr)
        return None
    with contextlib.suppress(FileNotFoundError):  # another process may have just let it go
        os.utime(path)
    return tokens


def _entry_ranges(tokens: pd.DataFrame, subset: pd.DataFrame, entries: list[str]) -> dict[str, tuple[int, int]]:
    doc_codes = tokens["doc_id"].astype(str).to_numpy()
    boundaries = np.flatnonzero(np.r_[True, doc_codes[1:] != doc_codes[:-1], True]) if len(doc_codes) else np.array([0])
    starts = {}
    for left, right in zip(boundaries[:-1], boundaries[1:]):
        starts.setdefault(doc_codes[left], (int(left), int(right)))
    return {entry: starts.get(str(doc_id), (0, 0)) for entry, doc_id in zip(entries, subset["doc_id"])}
