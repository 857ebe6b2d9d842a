"""One map-and-combine over the partitions of a token table: the statistics give their own steps, this runs them.

A statistic on partitioned tokens is ``finish(combine(partial(p) for p in partitions))``: ``partial`` counts one
partition, ``combine`` adds partial results (every count the kit's statistics need is a sum over articles, and an
article lives in one partition), ``finish`` turns the sums into the table. :func:`reduce_partitions` runs the
three on a Dask token table (a tree of tasks on the cluster) or on an iterable of token frames (one by one on this
machine, streaming: peak memory is one partition plus the running sums). It implements no statistic.

Within :func:`cached_partials`, each partition's partial result is kept on disk under a hash of the partition's
content, so a rerun counts only partitions that changed (see :func:`helpers.scale.partitions.write_parquet`).

>>> parts = [pd.DataFrame({"term": ["a", "b"]}), pd.DataFrame({"term": ["a"]})]
>>> count = lambda part: part.groupby("term", sort=False).size().rename("n").reset_index()
>>> reduce_partitions(parts, count, sum_tables(["term"], ["n"]), check_articles=False).values.tolist()
[['a', 2], ['b', 1]]
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import pickle
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.scale.client import is_dask
from helpers.settings import cache_dir
from helpers.store.files import atomic_write
from helpers.store.keys import settings_key

FAN_IN = 8
_CACHE: contextvars.ContextVar = contextvars.ContextVar("partial_cache", default=None)


def is_partitioned(tokens) -> bool:
    """True for a token table in partitions: a Dask DataFrame, or a list, tuple or iterator of frames.

    >>> is_partitioned(pd.DataFrame()), is_partitioned([pd.DataFrame()]), is_partitioned(iter([]))
    (False, True, True)
    """
    return is_dask(tokens) or isinstance(tokens, (list, tuple, Iterator, types.GeneratorType))


@contextlib.contextmanager
def cached_partials(cache=True):
    """Keep the partial results of every statistic computed inside the ``with`` block, per partition content:
    ``cache`` is ``True`` (the kit's cache folder) or a folder.

    >>> import tempfile
    >>> parts = [pd.DataFrame({"term": ["a"]})]
    >>> with cached_partials(tempfile.mkdtemp()):
    ...     reduce_partitions(parts, len, sum, step="rows", check_articles=False)
    1
    """
    token = _CACHE.set(cache)
    try:
        yield
    finally:
        _CACHE.reset(token)


def reduce_partitions(tokens, partial: Callable, combine: Callable[[list], object], *, finish: Callable | None = None,
                      step: str | None = None, settings: dict | None = None, columns=None,
                      check_articles: bool = True):
    """``finish(combine([partial(p) for p in partitions]))`` over a Dask token table (a tree of tasks, ``FAN_IN``
    results per combine) or an iterable of token frames (one at a time). ``combine`` must accept an empty list.

    ``check_articles`` also hashes each partition's doc ids and refuses an article found in two partitions (its
    counts would be added twice). Inside :func:`cached_partials`, partial results are kept under ``step`` and its
    ``settings``, hashed with the partition's ``columns`` (the only columns ``partial`` then sees).
    """
    memo = _memo_folder(step, settings or {}, partial) if step and _CACHE.get() else None
    if check_articles:
        partial, combine = _checked_partial(partial), _checked_combine(combine)
    if memo is not None:
        partial = _memoised(partial, memo, list(dict.fromkeys(columns or [])))
    total = _reduce(tokens, partial, combine)
    if check_articles:
        total = total[0]
    return finish(total) if finish else total


def _reduce(tokens, partial, combine):
    if is_dask(tokens):
        import dask

        level = [dask.delayed(partial)(part) for part in tokens.to_delayed()]
        while len(level) > 1:
            level = [dask.delayed(combine)(level[i:i + FAN_IN]) for i in range(0, len(level), FAN_IN)]
        return (level[0] if level else dask.delayed(combine)([])).compute()
    if isinstance(tokens, pd.DataFrame):
        tokens = [tokens]
    total = combine([])
    for part in tokens:
        total = combine([total, partial(part)])
    return total


def map_partitions(tokens, function: Callable[[pd.DataFrame], pd.DataFrame]):
    """``function`` of every partition, in the input's form: a Dask DataFrame (lazy) for Dask input, a list of frames
    for a list or tuple, a generator for an iterator.

    >>> [len(p) for p in map_partitions([pd.DataFrame({"x": [1, 2]})], lambda part: part.head(1))]
    [1]
    """
    if is_dask(tokens):
        import dask
        import dask.dataframe as dd

        meta = function(tokens._meta_nonempty.iloc[:0])
        return dd.from_delayed([dask.delayed(function)(part) for part in tokens.to_delayed()], meta=meta,
                               verify_meta=False)
    if isinstance(tokens, (list, tuple)):
        return [function(part) for part in tokens]
    return (function(part) for part in tokens)


def sum_tables(keys: list[str], values: list[str]) -> Callable[[list[pd.DataFrame]], pd.DataFrame]:
    """A ``combine`` for partial count tables: rows with equal ``keys`` add their ``values``; rows keep the order of
    first appearance, partition by partition (as the pandas path meets them).

    >>> tables = [pd.DataFrame({"term": ["b", "a"], "n": [1, 2]}), pd.DataFrame({"term": ["a"], "n": [3]})]
    >>> sum_tables(["term"], ["n"])(tables).values.tolist()
    [['b', 1], ['a', 5]]
    """
    def combine(tables: list[pd.DataFrame]) -> pd.DataFrame:
        kept = [t for t in tables if len(t)]
        if not kept:
            return tables[0] if tables else pd.DataFrame(
                {**{k: pd.Series(dtype=object) for k in keys}, **{v: pd.Series(dtype="int64") for v in values}})
        if len(kept) == 1:
            return kept[0]
        stacked = pd.concat(kept, ignore_index=True)
        return stacked.groupby(keys, dropna=False, sort=False, observed=True)[values].sum().reset_index()
    return combine


def _checked_partial(partial):
    """The partial result and hashes of the partition's doc ids (8 bytes per article)."""
    def run(part: pd.DataFrame):
        return partial(part), np.unique(pd.util.hash_array(_present_doc_ids(part["doc_id"])))
    return run


def _present_doc_ids(doc_ids: pd.Series) -> np.ndarray:
    """The distinct doc ids of a partition as strings, one string per article, not one per token."""
    if isinstance(doc_ids.dtype, pd.CategoricalDtype):
        codes = np.unique(doc_ids.cat.codes.to_numpy())
        distinct = doc_ids.cat.categories.take(codes[codes >= 0])
    else:
        distinct = pd.Index(doc_ids.dropna().unique())
    return np.asarray(distinct.astype(str), dtype=object)


def _checked_combine(combine):
    def run(items: list):
        ids = np.concatenate([i for _, i in items]) if items else np.array([], dtype="uint64")
        merged = np.unique(ids)
        if len(merged) < len(ids):
            raise ValueError("an article has tokens in two partitions; keep each article in one partition "
                             "(helpers.tokenize of a Dask articles frame does) so its counts are added once")
        return combine([t for t, _ in items]), merged
    return run


def _memo_folder(step: str, settings: dict, partial: Callable) -> Path:
    """Where partial results of ``step`` with ``settings`` are kept: a key over the step, its options, the pandas
    and numpy versions and the source of the module that defines ``partial`` (changed code, new key)."""
    cache = _CACHE.get()
    function = getattr(partial, "func", partial)  # a functools.partial: the function it binds
    source = getattr(sys.modules.get(getattr(function, "__module__", ""), None), "__file__", None)
    code = hashlib.sha256(Path(source).read_bytes() if source else repr(partial).encode()).hexdigest()[:16]
    key = settings_key(f"scale-{step}", {"options": settings, "code": code, "pandas": pd.__version__,
                                                "numpy": np.__version__})
    return ((cache_dir() if cache is True else Path(cache)) / "partials" / key).resolve()


def partition_digest(part: pd.DataFrame) -> str:
    """A hash of a frame's columns, dtypes and values: equal for equal partitions, whichever run made them.

    >>> a = pd.DataFrame({"term": pd.Categorical(["drug", "libya"]), "n": [1, 2]})
    >>> partition_digest(a) == partition_digest(a.copy()), partition_digest(a) == partition_digest(a.iloc[:1])
    (True, False)
    """
    digest = hashlib.blake2b(digest_size=20)
    digest.update(repr([(str(name), str(dtype)) for name, dtype in part.dtypes.items()]).encode())
    digest.update(str(len(part)).encode())
    for name in part.columns:
        column = part[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            digest.update(np.ascontiguousarray(column.cat.codes.to_numpy()).tobytes())
            digest.update(pd.util.hash_pandas_object(pd.Series(column.cat.categories), index=False)
                          .to_numpy().tobytes())
        elif isinstance(column.dtype, np.dtype) and column.dtype.kind in "biuf":
            digest.update(np.ascontiguousarray(column.to_numpy()).tobytes())  # raw bytes hash faster than values
        elif isinstance(column.dtype, pd.DatetimeTZDtype) or column.dtype.kind == "M":
            naive = column.dt.tz_convert(None) if column.dt.tz is not None else column  # the zone is in the dtype
            digest.update(np.ascontiguousarray(naive.to_numpy()).view("int64").tobytes())
        else:
            digest.update(pd.util.hash_pandas_object(column, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def _memoised(partial: Callable, folder: Path, columns: list[str]) -> Callable:
    def run(part: pd.DataFrame):
        if columns:
            part = part[[c for c in columns if c in part.columns]]  # a column it lacks: the step says so itself
        path = folder / f"{partition_digest(part)}.pkl"
        try:
            return pickle.loads(path.read_bytes())
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError):
            pass  # absent, or unreadable (another pandas, a disk error): counted (again) and written
        result = partial(part)
        atomic_write(path, lambda tmp: tmp.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)))
        return result
    return run


def require_whole(tokens, what: str) -> None:
    """Refuse a partitioned token table, with the way out, where a statistic needs the whole table in memory.

    >>> require_whole([pd.DataFrame()], "kwic")
    Traceback (most recent call last):
    TypeError: kwic needs the whole token table in memory, not partitions: pass a pandas token table (tokens.compute(), or the tokens of a sample of articles)
    """
    if is_partitioned(tokens):
        raise TypeError(f"{what} needs the whole token table in memory, not partitions: pass a pandas token table "
                        "(tokens.compute(), or the tokens of a sample of articles)")
