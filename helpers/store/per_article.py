"""Per-article statistics cached per article (:func:`cached_per_article`): a rerun computes only new articles.

The results live under ``per-article/<key>/`` in the cache folder, in the shards of :mod:`helpers.store.shards`.
"""

from __future__ import annotations

import inspect
import os
import tempfile  # noqa: F401  (used by the doctests)
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from helpers.settings import cache_dir
from helpers.store.files import bytes_sha256, write_json
from helpers.store.keys import code_fingerprint, settings_key
from helpers.store.shards import SHARD_ARTICLES, ArticleStore, assemble_entries, column_layout, layout_and_attrs
from helpers.frames import codes_of, strings


def progress_bar(iterable, **kwargs):
    """``iterable`` with a tqdm progress bar (``kwargs`` go to tqdm: ``desc``, ``disable`` ...).

    >>> list(progress_bar([1, 2], disable=True))
    [1, 2]
    """
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return iterable
    return tqdm(iterable, **kwargs)


# The last table assembled, by what decided it: a notebook asking for the same articles twice (08's keyphrases per
# article, then for the corpus) reads the shards once. One table only, so a kernel holds at most one extra.
_last_result: list = []


def doc_blocks(table: pd.DataFrame) -> list[tuple[str, int, int]]:
    """``(doc_id, start, end)`` of each run of rows with one ``doc_id``; refuses a table whose articles interleave.

    >>> doc_blocks(pd.DataFrame({"doc_id": ["a", "a", "b"]}))
    [('a', 0, 2), ('b', 2, 3)]
    """
    codes, labels = codes_of(table["doc_id"])
    if not len(codes):
        return []
    if codes.min() < 0 or not labels.is_unique:  # missing values, or two values written alike: compare the text
        codes = strings(table["doc_id"])
        labels = None
    edges = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1], True])
    names = codes[edges[:-1]] if labels is None else np.asarray(labels, dtype=object)[codes[edges[:-1]]]
    blocks = [(name, int(left), int(right)) for name, left, right in zip(names, edges[:-1], edges[1:])]
    if len({b[0] for b in blocks}) != len(blocks):
        raise ValueError("cached_per_article: the rows of an article must be contiguous (sort by doc_id first)")
    return blocks


def cached_per_article(func: Callable[..., pd.DataFrame], table: pd.DataFrame, *, options: dict | None = None,
                       article_frames: dict[str, pd.DataFrame] | None = None, progress: bool = True,
                       cache: str | os.PathLike | None = None) -> pd.DataFrame:
    """``func(table, **options)`` for a *per-article* statistic, cached per article: only new articles are computed.
    ``options`` is a dict of ``func``'s keyword arguments.

    ``func`` must compute each article's rows from that article's rows of ``table`` alone (article lengths,
    per-article term counts, sentence sentiment; not TF-IDF, whose idf needs the whole corpus) and return a frame
    with a ``doc_id`` column. The key is the article's rows of ``table``, ``options`` and the source of the helpers
    modules ``func`` depends on. The result holds each article's rows in the order the articles come in ``table``.
    ``article_frames`` are more per-article inputs, ``{keyword: frame with a doc_id column}``: ``func`` gets each as
    that keyword argument, holding the rows of the articles computed, and an article's rows in each are part of
    its key (``quotes(tokens, articles=..., mentions=...)`` is computed only for articles whose tokens, text or
    mentions are new).

    >>> def counts(tokens):
    ...     return tokens.groupby(["doc_id", "term"], observed=True).size().rename("n").reset_index()
    >>> tokens = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["drug", "drug", "libya"]})
    >>> folder = tempfile.mkdtemp()
    >>> cached_per_article(counts, tokens, cache=folder, progress=False).values.tolist()
    [['a', 'drug', 2], ['b', 'libya', 1]]
    >>> cached_per_article(counts, tokens, cache=folder, progress=False).attrs["cache"]["computed"]
    0
    """
    options = dict(options or {})
    blocks = doc_blocks(table)
    row_hashes = pd.util.hash_pandas_object(table, index=False).to_numpy()
    name = f"{getattr(func, '__module__', '')}.{getattr(func, '__qualname__', repr(func))}"
    settings = {"function": name, "options": options, "columns": [str(c) for c in table.columns],
                "code": code_fingerprint(func) if inspect.getmodule(func) else ""}
    article_frames = dict(article_frames or {})
    if article_frames:  # absent from the key when not given: a call without them keeps its key
        settings["article_frames"] = {k: [str(c) for c in f.columns] for k, f in sorted(article_frames.items())}
    key = settings_key("per-article", settings)
    store = ArticleStore(Path(cache or cache_dir()) / "per-article" / key)
    if not (store.folder / "settings.json").exists():
        write_json(store.folder / "settings.json", settings)
    extra = _rows_by_article(article_frames, [doc for doc, _, _ in blocks])
    entries = [bytes_sha256(doc.encode() + row_hashes[start:end].tobytes() + extra[i])[:32]
               for i, (doc, start, end) in enumerate(blocks)]
    asked = (str(store.folder), bytes_sha256("\n".join(entries).encode()))
    if _last_result and _last_result[0] == asked:
        result = _last_result[1].copy(deep=False)  # copy-on-write: neither caller's changes reach the other
        result.attrs["cache"] = {"computed": 0, "reused": len(entries), "settings_key": key}
        return result
    index = store.index()
    missing = [i for i, entry in enumerate(entries) if entry not in index]
    frame_docs = {k: pd.Index(strings(f["doc_id"])) for k, f in article_frames.items()} if missing else {}
    frames: dict[str, pd.DataFrame] = {}
    fresh: dict[str, tuple[str, int, int]] = {}
    fresh_meta: list[tuple[list, dict]] = []
    batches = [missing[i:i + SHARD_ARTICLES] for i in range(0, len(missing), SHARD_ARTICLES)]
    for number, batch in enumerate(progress_bar(batches, desc=name.rsplit(".", 1)[-1], unit="batch",
                                                disable=not progress or not batches)):
        rows = np.concatenate([np.arange(blocks[i][1], blocks[i][2]) for i in batch])
        batch_docs = [blocks[i][0] for i in batch]
        given = {k: f[frame_docs[k].isin(batch_docs)] for k, f in article_frames.items()}
        result = func(table.iloc[rows], **given, **options)
        if "doc_id" not in result.columns:
            raise ValueError(f"cached_per_article: {name} returned no doc_id column")
        order = {blocks[i][0]: rank for rank, i in enumerate(batch)}
        result = result.iloc[np.argsort(result["doc_id"].astype(str).map(order).to_numpy(), kind="stable")]
        result = result.reset_index(drop=True)
        fresh_meta.append((column_layout(result, batch_docs), {}))
        spans = {doc: (start, end) for doc, start, end in doc_blocks(result)}
        ranges = {entries[i]: spans.get(blocks[i][0], (0, 0)) for i in batch}
        store.write(result, ranges, {"n_articles": len(batch), "doc_ids": batch_docs})
        frames[f"<fresh-{number:06d}>"] = result
        fresh.update({entry: (f"<fresh-{number:06d}>", start, end) for entry, (start, end) in ranges.items()})
    for shard in sorted({index[e][0] for e in entries if e not in fresh}):
        frames[shard] = store.read(shard)
    if not frames:
        return func(table, **article_frames, **options)
    layout, _ = layout_and_attrs(store, frames, fresh_meta)
    result = assemble_entries(entries, {**index, **fresh}, frames, layout, [doc for doc, _, _ in blocks])
    result.attrs["cache"] = {"computed": len(missing), "reused": len(entries) - len(missing), "settings_key": key}
    _last_result[:] = [asked, result.copy(deep=False)]
    return result


def _rows_by_article(frames: dict[str, pd.DataFrame], doc_ids: list[str]) -> list[bytes]:
    """For each of ``doc_ids``, the hashes of its rows in each frame (by ``doc_id``, in the frames' row order): what
    an article's entry adds for the per-article inputs of :func:`cached_per_article` (empty bytes without any)."""
    parts: list[list[bytes]] = [[] for _ in doc_ids]
    for name, frame in sorted(frames.items()):
        if "doc_id" not in frame.columns:
            raise ValueError(f"cached_per_article: article_frames[{name!r}] has no doc_id column")
        hashes = pd.util.hash_pandas_object(frame, index=False).to_numpy()
        codes = pd.Index(doc_ids).get_indexer(strings(frame["doc_id"]))
        order = np.argsort(codes, kind="stable")
        edges = np.searchsorted(codes[order], np.arange(len(doc_ids) + 1))
        for i in range(len(doc_ids)):
            parts[i].append(f"|{name}|".encode() + hashes[order[edges[i]:edges[i + 1]]].tobytes())
    return [b"".join(p) for p in parts]
