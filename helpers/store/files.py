"""Files written whole or not at all, and hashes of bytes: what every cache writes with.

Every file is written to a temporary name beside its place and renamed into place (``os.replace``), so a run
killed at any point leaves the old file or the complete new one, never half a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Callable


def atomic_write(path: str | os.PathLike, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it to ``path`` in one step.

    A reader sees the old file or the complete new one, never half a file.

    >>> target = Path(tempfile.mkdtemp()) / "x.txt"
    >>> atomic_write(target, lambda tmp: tmp.write_text("done")).read_text()
    'done'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_json(path: Path, payload, *, sort_keys: bool = True) -> Path:
    """``payload`` as JSON in ``path``, written atomically (:func:`atomic_write`); keys sorted unless ``sort_keys``
    is False (attrs whose key order a table follows).

    >>> write_json(Path(tempfile.mkdtemp()) / "a.json", {"b": 1, "a": 2}).read_text()
    '{"a": 2, "b": 1}'
    """
    return atomic_write(path, lambda tmp: tmp.write_text(json.dumps(payload, sort_keys=sort_keys, default=str)))


def file_stamp(path: Path) -> tuple[int, int] | None:
    """Modification time and size of a file (None when absent): a changed stamp means re-read it.

    >>> file_stamp(Path(tempfile.mkdtemp()) / "absent") is None
    True
    """
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def bytes_sha256(data: bytes) -> str:
    """The SHA-256 of ``data``, as hex.

    >>> bytes_sha256(b"abc")[:12]
    'ba7816bf8f01'
    """
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: str | os.PathLike) -> str:
    """The SHA-256 of a file's bytes, read in blocks.

    >>> p = Path(tempfile.mkdtemp()) / "a.txt"; _ = p.write_text("abc")
    >>> file_sha256(p)[:12]
    'ba7816bf8f01'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
