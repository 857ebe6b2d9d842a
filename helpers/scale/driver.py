"""Corpora larger than memory: partitioned Parquet, streaming counts, and the same statistics on Dask.

Every count the kit's statistics need is a sum over articles: term frequencies, document frequencies (an article
lives in exactly one partition), n-gram counts, keyness contingency tables, counts per period. So each partition is
tokenised and counted with the kit's own pandas helpers (:func:`helpers.tokenize`, :func:`helpers.frequencies`),
the partial tables are added up, and only the small reduced table (vocabulary × groups) is finalised. Peak memory
depends on the partition size and the vocabulary, never on the corpus size.

Two drivers run the same partition functions:

- **streaming** on one machine: ``tokens`` is an iterable of token partitions (``tokenize`` of a Parquet folder or
  of an iterable of article frames yields them one by one); counts are added as they come.
- **Dask**: ``tokens`` is a ``dask.dataframe.DataFrame`` (``tokenize`` of a Dask articles frame returns one); the
  partition functions run on the workers of a ``dask.distributed`` client (:func:`dask_client`: a ``LocalCluster``
  on all cores, or the scheduler named by ``scheduler=`` / ``NEWSKIT_DASK_SCHEDULER``) and are reduced as a tree.

>>> articles = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Libya signed the memorandum.", "Libya and drugs."]})
>>> frequencies(tokenize(iter([articles.iloc[:1], articles.iloc[1:]])))[["term", "frequency", "docfreq"]].values.tolist()
[['libya', 2, 2], ['drugs', 1, 1], ['memorandum', 1, 1], ['signed', 1, 1]]
"""

from __future__ import annotations

import collections
import hashlib
import importlib
import itertools
import os
import pickle
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

SCHEDULER_ENV = "NEWSKIT_DASK_SCHEDULER"
TRAIN_CHARS = 2_000_000
PARTITION_CHARS = 8_000_000
FAN_IN = 8



# ---------------------------------------------------------------------------------------------------------- engines

def is_dask(obj) -> bool:
    """True for a Dask collection (DataFrame, Series, Bag …), without importing Dask for pandas input.

    >>> is_dask(pd.DataFrame())
    False
    """
    return hasattr(obj, "__dask_graph__") and hasattr(obj, "npartitions")


WORKER_IMPORTS = ("helpers.text.token_cache", "helpers.stats.counts", "helpers.text.tokenizer")


def dask_client(scheduler: str | None = None, *, n_workers: int | None = None, threads_per_worker: int = 1,
                **cluster_options):
    """A ``dask.distributed`` client: on ``scheduler`` (or ``$NEWSKIT_DASK_SCHEDULER``) when given, else on a new
    ``LocalCluster`` with one single-threaded worker process per core (tokenising is pure Python: threads would
    share one interpreter lock). Close it with ``client.close()`` (a local cluster closes with it).

    A shared cluster, named by its scheduler's address (an in-process one here, to keep the example light):

    >>> from distributed import LocalCluster
    >>> cluster = LocalCluster(n_workers=1, processes=False, dashboard_address=None)
    >>> client = dask_client(cluster.scheduler_address)
    >>> client.submit(sum, [1, 2]).result()
    3
    >>> close_client(client); cluster.close()
    """
    from distributed import Client

    address = scheduler or os.environ.get(SCHEDULER_ENV)
    if address:
        return Client(address)
    client = Client(n_workers=n_workers or os.cpu_count(), threads_per_worker=threads_per_worker, processes=True,
                    **cluster_options)
    # The workers import the kit now: imported by the first tasks instead, the imports (NLTK with scipy.stats) made
    # a rerun's first step about 4 s slower than importing here costs (and more than Dask's preload option).
    client.run(_import_modules, WORKER_IMPORTS)
    return client


def _import_modules(names: tuple[str, ...]) -> None:
    for name in names:
        importlib.import_module(name)


def close_client(client) -> None:
    """Close ``client``; a local cluster it started goes with it (quietly: its workers are ours to stop), a shared
    cluster named by a scheduler address keeps running.

    >>> from distributed import LocalCluster
    >>> cluster = LocalCluster(n_workers=1, processes=False, dashboard_address=None)
    >>> client = dask_client(cluster.scheduler_address)
    >>> close_client(client)
    >>> client.status, cluster.status.name  # the shared cluster keeps running
    ('closed', 'running')
    >>> cluster.close()
    """
    import logging

    cluster = getattr(client, "cluster", None)
    nanny_log = logging.getLogger("distributed.nanny")
    level = nanny_log.level
    nanny_log.setLevel(logging.ERROR)
    try:
        client.close()
        if cluster is not None:
            cluster.close()
    finally:
        nanny_log.setLevel(level)


# -------------------------------------------------------------------------------------------------------- ingestion

def write_parquet(articles: pd.DataFrame | Iterable[pd.DataFrame], folder: str | os.PathLike, *,
                  partition_chars: int = PARTITION_CHARS, replace: bool = False) -> Path:
    """Write the articles frame (or an iterable of article frames, e.g. loaded in batches) as partitioned Parquet:
    ``folder/part-00000.parquet`` …, each file holding whole articles and on average ``partition_chars``
    characters of text. Refuses a folder that already holds files unless ``replace``. Returns the folder.

    Where a partition ends depends on the articles themselves, not on a running count: a partition ends after an
    article with probability (its length / ``partition_chars``), decided by a hash of its ``doc_id``, or once it
    holds twice ``partition_chars``. Adding articles therefore changes only the partitions they fall into, and the
    rest keep their exact content, so per-partition results cached by a previous run (``cache=`` of the
    statistics here) are still valid.

    >>> import tempfile
    >>> folder = write_parquet(pd.DataFrame({"doc_id": ["a", "b"], "text": ["x" * 5, "y" * 5]}),
    ...                        Path(tempfile.mkdtemp()) / "corpus", partition_chars=5)
    >>> sorted(p.name for p in folder.iterdir())
    ['part-00000.parquet', 'part-00001.parquet']
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    if partition_chars < 1:
        raise ValueError(f"partition_chars={partition_chars}: give a positive number of characters per partition")
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        if not replace:
            raise FileExistsError(f"{folder} already holds files; choose another folder or pass replace=True")
        for old in folder.glob("part-*.parquet"):
            old.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    frames = [articles] if isinstance(articles, pd.DataFrame) else articles
    schema, pending, pending_chars, written = None, [], 0, 0

    def flush():
        nonlocal schema, pending, pending_chars, written
        frame = pd.concat(pending, ignore_index=True)
        frame.attrs = {}  # the load report is a frame of its own, not Parquet metadata
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if schema is None:
            # A column empty in the first batch (no author yet) must still take text from later ones.
            schema = pa.schema([f.with_type(pa.large_string()) if pa.types.is_null(f.type) else f
                                for f in table.schema], metadata=table.schema.metadata)
        if set(table.schema.names) != set(schema.names):
            raise ValueError(f"partition {written} has columns {sorted(table.schema.names)}, the first had "
                             f"{sorted(schema.names)}: give every batch of articles the same columns")
        pq.write_table(table.select(schema.names).cast(schema), folder / f"part-{written:05d}.parquet")
        pending, pending_chars, written = [], 0, written + 1

    for frame in frames:
        _require_columns(frame, ["doc_id", "text"], "articles")
        lengths = frame["text"].str.len().fillna(0).to_numpy(dtype=np.int64)
        ends = _partition_ends(frame["doc_id"], lengths, partition_chars)
        start = 0
        for end in range(1, len(frame) + 1):
            pending_chars += int(lengths[end - 1])
            if ends[end - 1] or pending_chars >= 2 * partition_chars:
                pending.append(frame.iloc[start:end])
                start = end
                flush()
        if start < len(frame):
            pending.append(frame.iloc[start:])
    if pending or not written:
        pending = pending or [frames.iloc[:0] if isinstance(frames, pd.DataFrame) else pd.DataFrame(
            {"doc_id": pd.Series(dtype=str), "text": pd.Series(dtype=str)})]
        flush()
    return folder


def _partition_ends(doc_ids: pd.Series, lengths: np.ndarray, partition_chars: int) -> np.ndarray:
    """Whether a partition ends after each article: a uniform draw fixed by the ``doc_id`` below length /
    ``partition_chars`` (content-defined chunking, as rsync and backup tools cut files)."""
    draws = pd.util.hash_array(doc_ids.astype(str).to_numpy(dtype=object)).astype(np.float64) / 2.0 ** 64
    return draws < lengths / partition_chars


def auto_partition_chars(total_chars: int, *, partitions: int = 32, smallest: int = 40_000,
                         largest: int = PARTITION_CHARS) -> int:
    """Characters per partition for a corpus of ``total_chars``: about ``partitions`` partitions (enough to keep
    every worker of a small cluster busy, few enough that each task outweighs its scheduling), never smaller than
    ``smallest`` nor larger than ``largest`` (a partition's token table must fit a worker's memory).

    >>> auto_partition_chars(450_000), auto_partition_chars(26_500_000), auto_partition_chars(10 ** 11)
    (40000, 828125, 8000000)
    """
    return int(min(max(int(total_chars) // partitions, smallest), largest))


def parquet_files(folder: str | os.PathLike) -> list[Path]:
    """The partition files of a folder written by :func:`write_parquet`, in order (see :func:`read_parquet`)."""
    files = sorted(Path(folder).glob("*.parquet"))
    if not files:
        raise FileNotFoundError(f"no .parquet files in {folder}")
    return files


def iter_parquet(folder: str | os.PathLike, *, columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
    """The articles of a partitioned Parquet folder, one partition (file) at a time (see :func:`read_parquet`)."""
    for path in parquet_files(folder):
        yield pd.read_parquet(path, columns=columns)


def read_parquet(folder: str | os.PathLike, *, columns: list[str] | None = None):
    """The partitioned Parquet folder as a Dask DataFrame, one partition per file (whole articles per partition).

    >>> import tempfile
    >>> folder = write_parquet(pd.DataFrame({"doc_id": ["a", "b"], "text": ["Libya.", "Drugs."]}),
    ...                        Path(tempfile.mkdtemp()) / "corpus", partition_chars=1)
    >>> [p.name for p in parquet_files(folder)], [len(part) for part in iter_parquet(folder)]
    (['part-00000.parquet', 'part-00001.parquet'], [1, 1])
    >>> read_parquet(folder).npartitions
    2
    """
    import dask.dataframe as dd

    return dd.read_parquet([str(p) for p in parquet_files(folder)], columns=columns, split_row_groups=False,
                           aggregate_files=False, blocksize=None)


# ------------------------------------------------------------------------------------------------------- tokenising

def _kit_tokenize():
    from helpers.text import tokenizer as tokens

    return tokens


def sentence_model(texts: Iterable[str], *, train_chars: int = TRAIN_CHARS, cache=None):
    """The sentence splitter every partition shares, so an article's tokens never depend on its partition.

    Punkt is pretrained when ``punkt_tab`` is present (returns ``None``: the kit's own is already the same for every
    partition); otherwise it is trained once on the corpus's first ``train_chars`` characters, in order (for a corpus
    smaller than that, exactly what :func:`helpers.tokenize` trains on the whole frame). Punkt's training holds about
    45 bytes per training character, hence a bounded sample: 2 M characters are some 17,000 news sentences; raise
    ``train_chars`` for a corpus whose abbreviations are rare. ``cache`` (``True`` for the kit's cache folder, or a
    folder) keeps the trained model under a hash of the training text, so a rerun whose first articles are
    unchanged reads it back instead of training again (the same model either way).

    >>> from unittest import mock
    >>> with mock.patch("helpers.resources.has_resource", lambda name: name != "punkt_tab"):  # as without punkt_tab
    ...     model = sentence_model(["Maj. Gen. Khaled met Mr. Smith. They talked."])
    >>> model.tokenize("Maj. Gen. Khaled met Mr. Smith. They talked.")
    ['Maj. Gen. Khaled met Mr. Smith.', 'They talked.']
    >>> with mock.patch("helpers.resources.has_resource", lambda name: name == "punkt_tab"):  # as with it
    ...     sentence_model(["Maj. Gen. Khaled met Mr. Smith. They talked."]) is None
    True
    """
    from helpers.resources import has_resource

    if has_resource("punkt_tab"):
        return None
    kept, total = [], 0
    for text in texts:
        if total >= train_chars:
            break
        kept.append(text)
        total += len(text)
    if not cache:
        return _kit_tokenize().sentence_splitter(kept)
    from helpers.text.sentence_store import trained_sentence_model

    model, _ = trained_sentence_model(kept, cache=None if cache is True else cache, n_chars=total,
                                      n_articles=len(kept))
    return model


def _run_sentence_model():
    """The sentence model named by ``NEWSKIT_SENTENCE_MODEL`` (a run sets it: every notebook of a run splits
    sentences with the run's model, as :func:`helpers.text.sentence_store.resolve_sentence_model` does), or None. Reading it
    saves a pass over the corpus's text before the first token."""
    from helpers.text.sentence_store import load_sentence_model

    given = os.environ.get("NEWSKIT_SENTENCE_MODEL")
    return load_sentence_model(given) if given else None


def _corpus_texts(articles) -> Iterator[str]:
    if is_dask(articles):
        for index in range(articles.npartitions):
            yield from articles["text"].partitions[index].compute().tolist()
    else:
        for frame in articles:
            yield from frame["text"].tolist()


def tokenize_partition(articles: pd.DataFrame, *, splitter=None, keep: Iterable[str] = (), cache=None,
                       **options) -> pd.DataFrame:
    """:func:`helpers.tokenize` on one partition with the shared sentence ``splitter``; ``keep`` copies article
    columns (e.g. ``source``, ``date``) onto every token so grouped counts need no join later; ``options`` go to
    :func:`helpers.tokenize` (``keep_acronyms``, ``stem``, ``expressions`` …). ``cache`` (``True`` for the kit's
    cache folder, or a folder) takes each article's tokens from :func:`helpers.cached_tokenize`'s per-article
    cache, so a rerun tokenises only new articles and reads a partition it has seen back whole; the tokens are the
    same either way.

    >>> articles = pd.DataFrame({"doc_id": ["a"], "text": ["Libya signed."], "source": ["wire"]})
    >>> tokenize_partition(articles, keep=["source"])[["term", "source"]].values.tolist()
    [['libya', 'wire'], ['signed', 'wire'], ['.', 'wire']]
    """
    kit = _kit_tokenize()
    keep = list(keep)
    _require_columns(articles, ["doc_id", "text", *keep], "articles")
    if cache:
        from helpers.text.token_cache import cached_tokenize

        tokens = cached_tokenize(articles, sentence_model=splitter, cache=None if cache is True else cache,
                                 progress=False, whole_table="partition", **options)
        for key in ("cache", "sentence_model"):
            tokens.attrs.pop(key, None)
    else:
        tokens = kit.tokenize(articles, sentence_model=splitter, **options)
    if keep:
        metadata = articles[["doc_id", *keep]].astype({"doc_id": str})
        repeated = metadata["doc_id"][metadata["doc_id"].duplicated()]
        if len(repeated):
            raise ValueError(f"doc_id {repeated.iloc[0]!r} names two articles; load_articles gives unique ids")
        # Article row of every token, through the doc_id categories: one lookup per article, not per token.
        doc_ids = tokens["doc_id"].astype("category")
        article_rows = pd.Index(metadata["doc_id"]).get_indexer(doc_ids.cat.categories.astype(str))
        rows = article_rows[doc_ids.cat.codes.to_numpy()] if len(tokens) else np.zeros(0, dtype=np.intp)
        for column in keep:
            tokens[column] = metadata[column].array.take(rows)
    return tokens


def tokenize(articles, *, keep: Iterable[str] = (), train_chars: int = TRAIN_CHARS, splitter=None, cache=None,
             **options):
    """Tokenise partition by partition with one shared sentence model (see :func:`sentence_model`).

    ``articles``: a Dask DataFrame → a Dask token table (lazy, one token partition per article partition); a Parquet
    folder, a pandas frame or an iterable of article frames → a generator of token partitions. Each token partition
    has :func:`helpers.tokenize`'s columns plus the ``keep`` article columns; ``options`` go to
    :func:`helpers.tokenize` for every partition; ``cache`` to :func:`tokenize_partition`.

    >>> articles = pd.DataFrame({"doc_id": ["a"], "text": ["Libya signed."]})
    >>> [len(part) for part in tokenize([articles, articles.assign(doc_id="b")])]
    [3, 3]
    """
    keep = list(keep)
    if is_dask(articles):
        import dask
        import dask.dataframe as dd
        from dask.dataframe.utils import clear_known_categories

        splitter = splitter if splitter is not None else _run_sentence_model() or sentence_model(
            _corpus_texts(articles), train_chars=train_chars, cache=cache)
        meta = tokenize_partition(articles._meta_nonempty.iloc[:1], splitter=splitter, keep=keep, **options).iloc[:0]
        meta = clear_known_categories(meta)
        shared = dask.delayed(splitter, pure=True)
        parts = [dask.delayed(tokenize_partition)(part, splitter=shared, keep=keep, cache=cache, **options)
                 for part in articles.to_delayed()]
        return dd.from_delayed(parts, meta=meta, verify_meta=False)
    frames = iter(_article_frames(articles))
    splitter = splitter if splitter is not None else _run_sentence_model()
    if splitter is None:
        buffered, total = collections.deque(), 0
        for frame in frames:
            buffered.append(frame)
            total += int(frame["text"].str.len().sum())
            if total >= train_chars:
                break
        splitter = sentence_model(_corpus_texts(buffered), train_chars=train_chars, cache=cache)
        frames = itertools.chain(_drain(buffered), frames)
    return (tokenize_partition(frame, splitter=splitter, keep=keep, cache=cache, **options) for frame in frames)


def _drain(queue: collections.deque) -> Iterator[pd.DataFrame]:
    while queue:
        yield queue.popleft()


def _article_frames(articles) -> Iterable[pd.DataFrame]:
    if isinstance(articles, (str, os.PathLike)):
        return iter_parquet(articles)
    if isinstance(articles, pd.DataFrame):
        return [articles]
    return articles


# ---------------------------------------------------------------------------------------------------- the reduction

def _reduce(tokens, partial: Callable[[pd.DataFrame], object], combine: Callable[[list], object]):
    """``combine`` of ``partial`` over every partition: a loop for an iterable, a tree of tasks for Dask."""
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


def _sum_tables(keys: list[str], values: list[str]) -> Callable[[list[pd.DataFrame]], pd.DataFrame]:
    def combine(tables: list[pd.DataFrame]) -> pd.DataFrame:
        tables = [t for t in tables if len(t)]
        if not tables:
            return pd.DataFrame({**{k: pd.Series(dtype=object) for k in keys},
                                 **{v: pd.Series(dtype="int64") for v in values}})
        if len(tables) == 1:
            return tables[0]
        stacked = pd.concat(tables, ignore_index=True)
        return stacked.groupby(keys, dropna=False, sort=False, observed=True)[values].sum().reset_index()
    return combine


def _require_columns(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"the {what} table has no column {missing}; it has {list(frame.columns)}")


def _groups(by) -> list[str]:
    return [by] if isinstance(by, str) else list(by or [])


# ------------------------------------------------------------------------------------------------------ frequencies

def term_counts(tokens: pd.DataFrame, *, by=None, articles: pd.DataFrame | None = None, drop_stop: bool = True,
                drop_punct: bool = True) -> pd.DataFrame:
    """The additive part of :func:`helpers.frequencies` for one partition: ``[by...], term, frequency, docfreq``.

    >>> t = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["drug", "drug", "drug"], "is_stop": False, "is_punct": False})
    >>> term_counts(t).values.tolist()
    [['drug', 3, 2]]
    """
    from helpers.stats.counts import frequencies as kit_frequencies

    table = kit_frequencies(tokens, by=by, articles=articles, drop_stop=drop_stop, drop_punct=drop_punct)
    return table[[*_groups(by), "term", "frequency", "docfreq"]].astype({"frequency": "int64", "docfreq": "int64"})


def _checked_partial(partial):
    """Wrap a partial so it also returns hashes of the partition's doc ids: an article split over two partitions
    would be counted twice in ``docfreq``, so the reduction refuses it (8 bytes per article)."""
    def run(part: pd.DataFrame):
        return partial(part), np.unique(pd.util.hash_array(_present_doc_ids(part["doc_id"])))
    return run


def _present_doc_ids(doc_ids: pd.Series) -> np.ndarray:
    """The distinct doc ids of a partition as strings, found before any string is made (one per article, not one
    per token as ``astype(str)`` of the column made)."""
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
                             "(scale.tokenize does) so document frequencies add up")
        return combine([t for t, _ in items]), merged
    return run


def _reduce_checked(tokens, partial, combine, memo=None):
    """``_reduce`` with the double-counting check; ``memo`` (from :func:`_partial_memo`) reuses the partial result
    of a partition whose content was counted before."""
    checked = _checked_partial(partial)
    table, _ = _reduce(tokens, checked if memo is None else _memoised(checked, memo), _checked_combine(combine))
    return table


# -------------------------------------------------------------------------------------- partial results on disk

# What the counting steps read of a token partition (n-grams and collocations add the running order).
CONTENT_COLUMNS = ("doc_id", "term", "is_stop", "is_punct")
STATISTIC_MODULES = ("helpers.scale.driver", "helpers.stats.counts", "helpers.stats.distinctive", "helpers.stats.collocation",
                     "helpers.stats.over_time")


def _partial_memo(cache, step: str, settings: dict, columns: Iterable[str]) -> tuple[str, str, list[str]] | None:
    """Where partial results of ``step`` with ``settings`` are kept, and the token ``columns`` the step reads:
    ``(folder, key, columns)``, or None without ``cache``.

    The key covers the step, its options, the source of the statistics modules and the pandas and numpy versions;
    the file name inside is a hash of the partition's ``columns``, so a partition nobody changed is never counted
    twice, and a changed one (or a changed option) simply misses. The step is handed only those columns, so what
    it reads is what the hash covers; hashing four columns instead of all of them is most of a rerun's cost."""
    if not cache:
        return None
    import importlib

    from helpers.settings import cache_dir
    from helpers.store.keys import settings_key

    code = hashlib.sha256()
    for name in STATISTIC_MODULES:
        source = getattr(importlib.import_module(name), "__file__", None)
        code.update(Path(source).read_bytes() if source else name.encode())
    key = settings_key(f"scale-{step}", {"options": settings, "code": code.hexdigest()[:16],
                                                "pandas": pd.__version__, "numpy": np.__version__})
    folder = (cache_dir() if cache is True else Path(cache)) / "partials" / key
    return str(folder.resolve()), key, list(dict.fromkeys(columns))


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


def _memoised(partial: Callable, memo: tuple[str, str, list[str]]) -> Callable:
    folder, columns = Path(memo[0]), memo[2]

    def run(part: pd.DataFrame):
        from helpers.store.files import atomic_write

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


def frequencies(tokens, *, by=None, articles: pd.DataFrame | None = None, drop_stop: bool = True,
                drop_punct: bool = True, cache=None) -> pd.DataFrame:
    """:func:`helpers.frequencies` for a token table in partitions (Dask DataFrame or iterable of frames).

    Same columns and values: ``[by...], term, frequency, docfreq, per_10k, rank``. Frequencies and document
    frequencies are summed over partitions (each article lies in one partition); ``per_10k`` = 10,000 × frequency /
    tokens counted in the group and ``rank`` (1 = most frequent, ties share the lowest rank) are computed once on the
    reduced table. ``by`` names token columns (see ``keep=`` in :func:`tokenize`) or columns of a pandas
    ``articles`` frame joined on ``doc_id``. ``cache`` (``True`` for the kit's cache folder, or a folder) keeps each partition's partial counts under a hash of the
    partition's content, so a rerun counts only partitions that changed (see :func:`write_parquet`).

    >>> t = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["drug", "drug", "libya"],
    ...                   "is_stop": False, "is_punct": False})
    >>> frequencies([t.iloc[:2], t.iloc[2:]])[["term", "frequency", "docfreq", "rank"]].values.tolist()
    [['drug', 2, 1, 1], ['libya', 1, 1, 2]]
    """
    from helpers.stats.counts import _finish_frequencies

    groups = _groups(by)
    keys = [*groups, "term"]
    memo = _partial_memo(cache, "frequencies", {
        "by": groups, "drop_stop": drop_stop, "drop_punct": drop_punct,
        "articles": None if articles is None else partition_digest(articles)}, [*CONTENT_COLUMNS, *groups])
    table = _reduce_checked(
        tokens,
        lambda part: term_counts(part, by=by, articles=articles, drop_stop=drop_stop, drop_punct=drop_punct),
        _sum_tables(keys, ["frequency", "docfreq"]), memo)
    table = table.astype({"term": str, "frequency": "int64", "docfreq": "int64"})
    return _finish_frequencies(table, groups)


# --------------------------------------------------------------------------------------------------------- n-grams

def ngram_partial(tokens: pd.DataFrame, *, n: int = 2, drop_stop: bool = False,
                  drop_punct: bool = True) -> pd.DataFrame:
    """N-gram counts of one partition: ``ngram, w1 … wn, frequency, docfreq``.

    An n-gram is ``n`` consecutive tokens of one sentence (never across sentences or articles); n-grams holding
    punctuation (``drop_punct``) or a stopword (``drop_stop``) are not counted.

    >>> t = pd.DataFrame({"doc_id": "a", "sentence": [0, 0, 1], "position": [0, 1, 2], "term": ["drug", "deal", "ends"],
    ...                   "is_stop": False, "is_punct": False})
    >>> ngram_partial(t)[["ngram", "frequency"]].values.tolist()
    [['drug deal', 1]]
    """
    if n < 2:
        raise ValueError(f"n={n}: n-grams need n >= 2 (use frequencies for single terms)")
    _require_columns(tokens, ["doc_id", "sentence", "position", "term", "is_stop", "is_punct"], "token")
    words = [f"w{i + 1}" for i in range(n)]
    ordered = tokens.sort_values(["doc_id", "position"], kind="stable")
    doc = ordered["doc_id"].astype(str).to_numpy()
    sentence = ordered["sentence"].to_numpy()
    term = ordered["term"].astype(str).to_numpy()
    excluded = np.zeros(len(ordered), dtype=bool)
    if drop_punct:
        excluded |= ordered["is_punct"].astype(bool).to_numpy()
    if drop_stop:
        excluded |= ordered["is_stop"].astype(bool).to_numpy()
    count = max(len(ordered) - n + 1, 0)
    valid = np.ones(count, dtype=bool)
    for offset in range(n):
        valid &= ~excluded[offset:offset + count]
        if offset:
            valid &= (doc[offset:offset + count] == doc[:count]) & (sentence[offset:offset + count] == sentence[:count])
    frame = pd.DataFrame({w: term[i:i + count][valid] for i, w in enumerate(words)})
    frame["doc_id"] = doc[:count][valid]
    table = frame.groupby(words, sort=False).agg(frequency=("doc_id", "size"),
                                                 docfreq=("doc_id", "nunique")).reset_index()
    table.insert(0, "ngram", table[words].agg(" ".join, axis=1) if len(table) else pd.Series(dtype=str))
    return table.astype({"frequency": "int64", "docfreq": "int64"})


def ngram_counts(tokens, *, n: int = 2, drop_stop: bool = False, drop_punct: bool = True, cache=None) -> pd.DataFrame:
    """Counts of n-grams (``n`` consecutive tokens within a sentence) summed over the partitions of ``tokens``.

    Columns: ``ngram`` (space-joined), ``w1 … wn``, ``frequency``, ``docfreq``, ``rank``; the inputs that
    association measures (PMI, G², t-score, Dice) need together with :func:`frequencies`. ``cache``: as in
    :func:`frequencies`.

    >>> t = pd.DataFrame({"doc_id": "a", "sentence": 0, "position": range(4), "term": ["drug", "trafficking", "drug", "trafficking"],
    ...                   "is_stop": False, "is_punct": False})
    >>> ngram_counts([t])[["ngram", "frequency"]].values.tolist()
    [['drug trafficking', 2], ['trafficking drug', 1]]
    """
    words = [f"w{i + 1}" for i in range(n)]
    table = _reduce_checked(tokens, lambda part: ngram_partial(part, n=n, drop_stop=drop_stop, drop_punct=drop_punct),
                            _sum_tables(["ngram", *words], ["frequency", "docfreq"]),
                            _partial_memo(cache, "ngrams", {"n": n, "drop_stop": drop_stop, "drop_punct": drop_punct},
                                          [*CONTENT_COLUMNS, "sentence", "position"]))
    table = table.astype({"frequency": "int64", "docfreq": "int64", "ngram": str, **{w: str for w in words}})
    table["rank"] = table["frequency"].rank(method="min", ascending=False).astype(int)
    return table.sort_values(["rank", "ngram"]).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------------- TF-IDF

def collocation_counts(tokens: pd.DataFrame, *, n: int = 2, window: int | None = None, drop_stop: bool = True,
                       drop_punct: bool = True, within: str = "sentence") -> dict:
    """The additive part of :func:`helpers.collocations` for one partition: ``total`` (tokens), ``words``
    (``term, frequency``, every token), ``grams`` (``ngram, w1 … wn, frequency``, the n-grams kept) and, for
    trigrams, ``bigrams`` and ``skips`` (``w1, w2, frequency``: adjacent terms, and terms two apart, every token).

    >>> t = pd.DataFrame({"doc_id": "a", "sentence": 0, "position": range(3), "term": ["drug", "trade", "fell"],
    ...                   "is_stop": False, "is_punct": False})
    >>> collocation_counts(t)["grams"][["ngram", "frequency"]].values.tolist()
    [['drug trade', 1], ['trade fell', 1]]
    """
    from helpers.stats.collocation import _dropped, _ngram_frame, _pair_counts, _running_text, _trigram_counts

    window = window or n
    terms, vocab, segment, order, _ = _running_text(tokens, within)
    drop = _dropped(tokens, order, drop_stop, drop_punct)
    size = max(len(vocab), 1)
    counted = np.bincount(terms, minlength=len(vocab))
    words = pd.DataFrame({"term": pd.array(np.asarray(vocab, dtype=object), dtype="str"), "frequency": counted})
    parts = {"total": len(terms), "words": words[words["frequency"] > 0]}

    def frame(keys_counts, k):
        keys, counts = keys_counts
        return _ngram_frame(keys, size, k, vocab).assign(frequency=counts)

    if n == 2:
        parts["grams"] = frame(_pair_counts(terms, segment, range(1, window), size, drop), 2)
    else:
        parts["grams"] = frame(_trigram_counts(terms, segment, size, drop), 3)
        parts["bigrams"] = frame(_pair_counts(terms, segment, [1], size), 2).drop(columns="ngram")
        parts["skips"] = frame(_pair_counts(terms, segment, [2], size), 2).drop(columns="ngram")
    return parts


def collocations(tokens, *, n: int = 2, window: int | None = None, min_freq: int = 1, drop_stop: bool = True,
                 drop_punct: bool = True, within: str = "sentence", sort_by: str = "likelihood_ratio",
                 cache=None) -> pd.DataFrame:
    """:func:`helpers.collocations` for a token table in partitions (Dask DataFrame or iterable of frames).

    Same columns and values: the counts of :func:`collocation_counts` are summed over partitions (an n-gram never
    crosses an article and each article lies in one partition), then ``min_freq`` is applied and the scores are
    computed once, by the code that scores the pandas table. ``cache``: as in :func:`frequencies`.

    >>> t = pd.DataFrame({"doc_id": ["a"] * 3 + ["b"] * 3, "sentence": 0, "position": [0, 1, 2] * 2,
    ...                   "term": ["drug", "trade", "fell", "drug", "trade", "rose"],
    ...                   "is_stop": False, "is_punct": False})
    >>> collocations([t.iloc[:3], t.iloc[3:]])[["ngram", "frequency"]].values.tolist()[0]
    ['drug trade', 2]
    """
    from helpers.stats.collocation import _check_options, _scored

    window = _check_options(n, window, sort_by)
    words = [f"w{i + 1}" for i in range(n)]
    tables = {"words": ["term"], "grams": ["ngram", *words]} | ({"bigrams": ["w1", "w2"], "skips": ["w1", "w2"]}
                                                                if n == 3 else {})

    def combine(items: list[dict]) -> dict:
        return {"total": sum(item["total"] for item in items),
                **{name: _sum_tables(keys, ["frequency"])([item[name] for item in items])
                   for name, keys in tables.items()}}

    counts = _reduce_checked(
        tokens,
        lambda part: collocation_counts(part, n=n, window=window, drop_stop=drop_stop, drop_punct=drop_punct,
                                        within=within),
        combine,
        _partial_memo(cache, "collocations", {"n": n, "window": window, "drop_stop": drop_stop,
                                              "drop_punct": drop_punct, "within": within},
                      [*CONTENT_COLUMNS, "sentence", "position", within]))
    word_freq = counts["words"].set_index("term")["frequency"]
    table = counts["grams"].astype({**{c: str for c in ["ngram", *words]}, "frequency": "int64"})
    table = table[table["frequency"] >= min_freq].reset_index(drop=True)
    freqs = [word_freq.reindex(table[w]).to_numpy(dtype=float) for w in words]
    pairs = None
    if n == 3:
        def pair_freq(name, a, b):
            found = counts[name].set_index(["w1", "w2"])["frequency"]
            return found.reindex(pd.MultiIndex.from_arrays([table[a], table[b]])).fillna(0).to_numpy(dtype=float)

        pairs = [pair_freq("bigrams", "w1", "w2"), pair_freq("skips", "w1", "w3"), pair_freq("bigrams", "w2", "w3")]
    table = _scored(table, float(counts["total"]), freqs, window, pairs)
    return table.sort_values([sort_by, "ngram"], ascending=[False, True]).reset_index(drop=True)


def tfidf(tokens, *, drop_stop: bool = True, drop_punct: bool = True, n_documents: int | None = None,
          top: int | None = None, doc_ids: Iterable[str] | None = None, cache=None):
    """TF-IDF per article with scikit-learn's ``TfidfVectorizer`` defaults, the idf from reduced counts.

    ``tf`` = count of the term in the article; ``df`` = articles containing it; ``idf`` = ln((1 + n) / (1 + df)) + 1
    (smoothed, n = articles in the token table, or ``n_documents``); ``tfidf`` = tf × idf, L2-normalised per article
    (Salton & Buckley 1988; scikit-learn's default). ``rank`` orders terms within an article (1 = highest; ``top``
    keeps the best ``top`` ranks); rows come article by article as in :func:`helpers.tfidf`.
    Pass 1 reduces ``df`` and n over all partitions; pass 2 maps each partition with the broadcast idf, so the
    result has the input's form: a Dask DataFrame for Dask input (lazy: write it with ``.to_parquet``), a generator
    of frames for a list of frames, a frame for a frame. ``cache`` keeps pass 1's partial counts as in
    :func:`frequencies` (the weights depend on the whole corpus and are always computed). ``doc_ids``: weigh only
    these articles (the idf still comes from every article), e.g. one article against the whole corpus.

    >>> t = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["drug", "libya", "libya"], "is_stop": False, "is_punct": False})
    >>> tfidf(t)[["doc_id", "term", "tf", "df"]].values.tolist()
    [['a', 'drug', 1, 1], ['a', 'libya', 1, 2], ['b', 'libya', 1, 2]]
    """
    from helpers.stats.counts import _doc_mask, _take_text, _text_ranked_codes, content_tokens

    if not (is_dask(tokens) or isinstance(tokens, (pd.DataFrame, list, tuple))):
        raise TypeError("tfidf reads the tokens twice (document frequencies, then weights): pass a Dask DataFrame, "
                        "a DataFrame or a list of frames, not a one-shot generator")

    def partial(part):
        counted = content_tokens(part, drop_stop=drop_stop, drop_punct=drop_punct)
        df = counted.assign(term=counted["term"].astype(str)).groupby("term")["doc_id"].nunique()
        documents = part["doc_id"].astype(str).nunique()
        return pd.DataFrame({"term": df.index, "df": df.to_numpy().astype("int64")}), documents

    def combine(items):
        return (_sum_tables(["term"], ["df"])([t for t, _ in items]), sum(n for _, n in items))

    document_frequency, n_seen = _reduce_checked(
        tokens, partial, combine,
        _partial_memo(cache, "tfidf-df", {"drop_stop": drop_stop, "drop_punct": drop_punct}, CONTENT_COLUMNS))
    n = n_documents or n_seen
    idf = pd.Series(np.log((1 + n) / (1 + document_frequency["df"].to_numpy())) + 1,
                    index=document_frequency["term"].astype(str).to_numpy())
    df_by_term = pd.Series(document_frequency["df"].to_numpy(), index=idf.index)

    wanted = None if doc_ids is None else [str(d) for d in doc_ids]

    def weigh(part: pd.DataFrame) -> pd.DataFrame:
        if wanted is not None:
            part = part[_doc_mask(part, wanted)]
        counted = content_tokens(part, drop_stop=drop_stop, drop_punct=drop_punct)
        # On codes ranked in text order, so rows group and sort as on the strings, without a string per token.
        doc_rows, docs = _text_ranked_codes(counted["doc_id"])
        term_rows, terms = _text_ranked_codes(counted["term"])
        pairs, tf = np.unique(doc_rows * max(len(terms), 1) + term_rows, return_counts=True)
        doc, term = np.divmod(pairs, max(len(terms), 1))
        table = pd.DataFrame({"doc_id": _take_text(docs, doc), "term": _take_text(terms, term), "tf": tf.astype("int64")})
        table["df"] = df_by_term.reindex(terms).to_numpy()[term].astype("int64")
        table["idf"] = idf.reindex(terms).to_numpy()[term].astype(float)
        weight = table["tf"] * table["idf"]
        table["tfidf"] = weight / np.sqrt((weight ** 2).groupby(doc).transform("sum"))
        table["rank"] = table["tfidf"].groupby(doc).rank(method="min", ascending=False).astype("int64")
        first_seen = pd.unique(doc_rows)
        article = np.zeros(len(docs), dtype=np.int64)
        article[first_seen] = np.arange(len(first_seen))
        table = table.assign(_article=article[doc], _term=term).sort_values(
            ["_article", "tfidf", "_term"], ascending=[True, False, True]).drop(columns=["_article", "_term"])
        return (table[table["rank"] <= top] if top else table).reset_index(drop=True)

    if is_dask(tokens):
        import dask
        import dask.dataframe as dd

        meta = weigh(pd.DataFrame({"doc_id": ["x"], "term": ["x"], "is_stop": [False], "is_punct": [False]}).iloc[:0])
        return dd.from_delayed([dask.delayed(weigh)(p) for p in tokens.to_delayed()], meta=meta, verify_meta=False)
    if isinstance(tokens, pd.DataFrame):
        return weigh(tokens)
    return (weigh(part) for part in tokens)


# --------------------------------------------------------------------------------------------------------- keyness

def keyness(target, reference, *, min_freq: int = 1, min_target_freq: int = 0, correction: str | None = None,
            alpha: float = 0.05, ci: float = 0.95, drop_stop: bool = True, drop_punct: bool = True,
            cache=None) -> pd.DataFrame:
    """:func:`helpers.keyness` for token tables in partitions: the contingency counts are reduced, then finalised
    by the kit's own :func:`helpers.stats.distinctive.keyness_statistics` (formulas and references there).

    ``target`` / ``reference``: token tables in partitions (a Dask DataFrame, e.g. ``tokens[tokens.source == "x"]``,
    an iterable of frames, or a frame); ``reference`` may also be an external frequency list (a ``term, count``
    frame, a CSV path, ``"brown"``), read by :func:`helpers.stats.distinctive.reference_frequencies`. The reduced inputs are
    a, b (the term's frequency in target and reference) and c, d (their token totals): all sums over partitions.
    Options and columns as :func:`helpers.keyness`: ``term, target_freq, reference_freq, target_per_10k,
    reference_per_10k, g2, p_value, p_adjusted, chi2, log_ratio, log_ratio_ci_low, log_ratio_ci_high, pct_diff,
    key_for, significant``; target's key terms first, then the reference's, each by descending G². ``cache``: as in
    :func:`frequencies`.

    >>> target = pd.DataFrame({"doc_id": "t", "term": ["libya"] * 3 + ["vote"], "is_stop": False, "is_punct": False})
    >>> reference = pd.DataFrame({"term": ["libya", "vote"], "count": [1, 9]})
    >>> keyness(target, reference)[["term", "target_freq", "reference_freq", "key_for"]].values.tolist()
    [['libya', 3, 1, 'target'], ['vote', 1, 9, 'reference']]
    """
    from helpers.stats.distinctive import KEYNESS_COLUMNS, _adjust, keyness_statistics, reference_frequencies

    target_counts = _frequency_list(target, drop_stop=drop_stop, drop_punct=drop_punct, cache=cache)
    is_token_table = is_dask(reference) or isinstance(reference, (list, tuple, Iterator)) or (
        isinstance(reference, pd.DataFrame) and "doc_id" in reference.columns)
    if is_token_table:
        reference_counts = _frequency_list(reference, drop_stop=drop_stop, drop_punct=drop_punct, cache=cache)
        described = "reference token partitions"
    else:
        external = reference_frequencies(reference, drop_stop=drop_stop, drop_punct=drop_punct)
        reference_counts = external.set_index("term")["frequency"]
        described = str(reference) if not isinstance(reference, pd.DataFrame) else "frequency list"
    if target_counts.sum() == 0:
        raise ValueError("the target holds no counted tokens")
    if reference_counts.sum() == 0:
        raise ValueError("the reference holds no counted tokens")
    vocab = target_counts.index.union(reference_counts.index, sort=False)
    a = target_counts.reindex(vocab, fill_value=0).to_numpy(dtype=float)
    b = reference_counts.reindex(vocab, fill_value=0).to_numpy(dtype=float)
    kept = ((a + b) >= max(min_freq, 1)) & (a >= min_target_freq)
    table = keyness_statistics(a[kept], b[kept], a.sum(), b.sum(), ci=ci)
    table.insert(0, "term", pd.array(vocab[kept].astype(str), dtype="str"))
    table.insert(table.columns.get_loc("chi2"), "p_adjusted", _adjust(table["p_value"].to_numpy(), correction))
    table["significant"] = table["p_adjusted"] < alpha
    table = table.sort_values(["key_for", "g2", "term"], ascending=[False, False, True]).reset_index(drop=True)
    table.attrs.update(target_tokens=int(a.sum()), reference_tokens=int(b.sum()), reference=described)
    return table[KEYNESS_COLUMNS]


def _frequency_list(tokens, *, drop_stop: bool, drop_punct: bool, cache=None) -> pd.Series:
    table = frequencies(tokens, drop_stop=drop_stop, drop_punct=drop_punct, cache=cache)
    return table.set_index(table["term"].astype(str))["frequency"]


# ---------------------------------------------------------------------------------------------------------- trends

def _periods(dates: pd.Series, freq: str) -> pd.Series:
    dates = pd.to_datetime(dates, utc=True).dt.tz_convert(None)
    return dates.dt.to_period(freq).dt.start_time


def trends(tokens, *, articles, terms: Iterable[str], freq: str = "M", date: str = "date", drop_stop: bool = True,
           drop_punct: bool = True, cache=None) -> pd.DataFrame:
    """Counts of ``terms`` per period (``freq``: 'D', 'W', 'M', 'Q', 'Y'), summed over partitions.

    ``tokens`` must carry the article ``date`` (``tokenize(..., keep=["date"])``); ``articles`` (a frame, a Dask
    frame or a Parquet folder) gives the articles per period, including those with no counted token.
    Columns as :func:`helpers.trends`: ``period`` (start of period), ``term``, ``count``, ``docfreq`` (articles using
    it), ``n_articles``, ``n_tokens`` (counted tokens in the period), ``per_10k`` = 10,000 × count / n_tokens,
    ``share_articles`` = docfreq / n_articles.
    Periods without articles are kept as rows with NaN measures (a gap, not a zero). Undated articles are left out.
    ``cache``: as in :func:`frequencies`.

    >>> dates = pd.to_datetime(["2019-01-03", "2019-03-09"], utc=True)
    >>> articles = pd.DataFrame({"doc_id": ["a", "b"], "date": dates})
    >>> t = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["brexit", "vote", "brexit"], "date": dates[[0, 0, 1]],
    ...                   "is_stop": False, "is_punct": False})
    >>> trends([t], articles=articles, terms=["brexit"])[["period", "count", "n_articles", "per_10k"]].values.tolist()
    [[Timestamp('2019-01-01 00:00:00'), 1, 1, 5000.0], [Timestamp('2019-02-01 00:00:00'), <NA>, 0, nan], [Timestamp('2019-03-01 00:00:00'), 1, 1, 10000.0]]
    """
    from helpers.stats.counts import content_tokens

    wanted = sorted({str(t) for t in terms})
    if not wanted:
        raise ValueError("trends needs at least one term")

    def token_partial(part):
        _require_columns(part, ["doc_id", "term", date], "token (tokenize with keep=['date'])")
        counted = content_tokens(part, drop_stop=drop_stop, drop_punct=drop_punct)
        counted = counted.assign(period=_periods(counted[date], freq), term=counted["term"].astype(str),
                                 doc_id=counted["doc_id"].astype(str)).dropna(subset=["period"])
        sizes = counted.groupby("period").size().rename("n_tokens").reset_index()
        hits = counted[counted["term"].isin(wanted)].groupby(["period", "term"]).agg(
            count=("doc_id", "size"), with_term=("doc_id", "nunique")).reset_index()
        return (hits.astype({"count": "int64", "with_term": "int64"}), sizes.astype({"n_tokens": "int64"}))

    def token_combine(items):
        if not items:
            return (_sum_tables(["period", "term"], ["count", "with_term"])([]),
                    _sum_tables(["period"], ["n_tokens"])([]))
        return (_sum_tables(["period", "term"], ["count", "with_term"])([h for h, _ in items]),
                _sum_tables(["period"], ["n_tokens"])([s for _, s in items]))

    hits, sizes = _reduce_checked(tokens, token_partial, token_combine, _partial_memo(cache, "trends", {
        "terms": wanted, "freq": freq, "date": date, "drop_stop": drop_stop, "drop_punct": drop_punct},
        [*CONTENT_COLUMNS, date]))
    article_dates = articles if is_dask(articles) else (
        iter_parquet(articles, columns=[date]) if isinstance(articles, (str, os.PathLike)) else _article_frames(articles))
    per_period = _reduce(article_dates, lambda part: _periods(part[date], freq).dropna().value_counts(),
                         lambda items: pd.concat(items).groupby(level=0).sum() if items else pd.Series(dtype="int64"))
    if per_period.empty:
        raise ValueError("no article has a date: trends need dated articles")
    all_periods = pd.period_range(per_period.index.min(), per_period.index.max(), freq=freq).start_time
    grid = pd.MultiIndex.from_product([all_periods, wanted], names=["period", "term"]).to_frame(index=False)
    table = grid.merge(hits, on=["period", "term"], how="left").merge(sizes, on="period", how="left")
    table["n_articles"] = table["period"].map(per_period).fillna(0).astype("int64")
    present = table["n_articles"] > 0
    for column in ("count", "with_term"):
        table[column] = table[column].where(~present, table[column].fillna(0)).astype("Int64")
    table["n_tokens"] = table["n_tokens"].fillna(0).astype("int64")
    table["per_10k"] = (10_000 * table["count"] / table["n_tokens"].where(table["n_tokens"] > 0)).astype(float)
    table["share_articles"] = (table["with_term"] / table["n_articles"].where(present)).astype(float)
    table.loc[present & (table["n_tokens"] == 0), "per_10k"] = 0.0
    table = table.rename(columns={"with_term": "docfreq"})
    return table[["period", "term", "count", "docfreq", "n_articles", "n_tokens", "per_10k", "share_articles"]]
