"""Corpora larger than memory on disk: articles as partitioned Parquet, whole articles per file, cut by content."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

PARTITION_CHARS = 8_000_000


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
        require_columns(frame, ["doc_id", "text"], "articles")
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


def article_frames(articles) -> Iterable[pd.DataFrame]:
    if isinstance(articles, (str, os.PathLike)):
        return iter_parquet(articles)
    if isinstance(articles, pd.DataFrame):
        return [articles]
    return articles


def require_columns(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"the {what} table has no column {missing}; it has {list(frame.columns)}")
