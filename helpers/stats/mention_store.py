"""The whole mention table of one exact token table, kept in the cache so that a second notebook reads it.

Notebooks 06 and 11 both call ``entities(tokens, articles, cache=True)`` on the same articles. The first computes
the mentions (tagging only new articles, see :func:`helpers.stats.names.entities`); the second would redo the
corpus-wide part (capitalisation evidence, canonical names) for the same answer. Its key covers every input of
the result: each article's id, words, offsets, sentence numbers and text, the settings, the tagger and the code.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from pyarrow import feather

from helpers.store.files import atomic_write

KEEP_TABLES = 2


def article_digests(positions: dict, columns, texts: dict) -> dict:
    """Per article, a running SHA-256 of its doc_id, words, offsets, sentence numbers and text (copy it to add more).

    >>> digests = article_digests({"a": np.arange(2)}, (np.array(["Hi", "."]), np.array([0, 2]), np.array([2, 3]),
    ...                           np.array([0, 0])), {"a": "Hi."})
    >>> len(digests["a"].hexdigest())
    64
    """
    words, starts, ends, sentences = columns
    digests = {}
    for doc_id, index in positions.items():
        digest = hashlib.sha256(doc_id.encode() + b"\0" + "\x1f".join(words[index].tolist()).encode())
        for column in (starts, ends, sentences):
            digest.update(np.ascontiguousarray(column[index], dtype=np.int64).tobytes())
        digest.update(str(texts.get(doc_id)).encode("utf-8", "surrogatepass"))
        digests[doc_id] = digest
    return digests


def mention_table_path(folder: Path, digests: dict, settings: dict) -> Path:
    """Where the mention table of these articles (in this order) under these settings is kept.

    >>> mention_table_path(Path("cache"), {}, {"method": "auto"}).parent.name
    'corpus'
    """
    whole = hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode())
    for digest in digests.values():
        whole.update(digest.digest())
    return folder / "corpus" / f"{whole.hexdigest()[:32]}.arrow"


def read_mention_table(path: Path, dtypes: dict) -> pd.DataFrame | None:
    """The kept table, with its ``attrs``, or None when there is none (or it cannot be read)."""
    try:
        table = feather.read_table(str(path), memory_map=False)
        frame = table.to_pandas().astype(dtypes)
        frame.attrs = json.loads(table.schema.metadata[b"newskit_attrs"])
    except (OSError, KeyError, TypeError, ValueError, pa.ArrowException):
        return None
    return frame


def write_mention_table(path: Path, frame: pd.DataFrame) -> None:
    """Keep ``frame`` at ``path`` (atomically); only the newest :data:`KEEP_TABLES` tables stay."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                           b"newskit_attrs": json.dumps(frame.attrs).encode()})
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda tmp: feather.write_feather(table, str(tmp), compression="uncompressed"))
    kept = sorted(path.parent.glob("*.arrow"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[KEEP_TABLES:]:
        old.unlink(missing_ok=True)
