"""Values kept per article, keyed by a hash of what decides them: labels per token (POS tags), rows of numbers
(sentence scores, pair similarities) and any picklable object (entity counts). Files are written atomically; a
folder holds at most a few, merged into one when there are more.
"""

from __future__ import annotations

import os
import pickle
import tempfile  # noqa: F401  (used by the doctests)
import time
from pathlib import Path

import numpy as np

from helpers.store.files import atomic_write, bytes_sha256

_UNREADABLE = (OSError, ValueError, KeyError, EOFError, IndexError, TypeError, AttributeError, pickle.UnpicklingError)


class _ArticleFiles:
    """Values per article, keyed by a hash of what decides them, in files under ``folder`` (written atomically;
    once there are ``MAX_FILES``, a write merges them all into one; a key written again later wins). Subclasses
    say how a file is read (``_read_file``: key → value) and written (``_write_file``), and how fresh values are
    stored (``_rows``)."""

    MAX_FILES = 16
    SUFFIX = ""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self._known: dict | None = None

    def _files(self) -> list[Path]:
        return sorted(self.folder.glob(f"*{self.SUFFIX}"), key=lambda p: (p.stat().st_mtime_ns, p.name))

    def _load(self) -> dict:
        if self._known is None:
            self._known = {}
            for file in self._files():
                try:
                    self._known.update(self._read_file(file))
                except _UNREADABLE:
                    continue
        return self._known

    def get(self, keys: list[str]) -> dict:
        known = self._load()
        return {k: known[k] for k in keys if k in known}

    def put(self, fresh: dict) -> None:
        if not fresh:
            return
        stored = self._rows(fresh)
        existing = self._files()
        known = self._load() if len(existing) >= self.MAX_FILES else self._known  # all values: only to merge
        if known is not None:
            known.update(stored)
        chosen = known if len(existing) >= self.MAX_FILES else stored
        name = bytes_sha256("\n".join(sorted(chosen)).encode() + str(time.time_ns()).encode())[:24] + self.SUFFIX
        atomic_write(self.folder / name, lambda tmp: self._write_file(tmp, chosen))
        if chosen is known:
            for file in existing:
                if file.name != name:
                    file.unlink(missing_ok=True)

    @staticmethod
    def _rows(fresh: dict) -> dict:
        return fresh


class _ArticleArrays(_ArticleFiles):
    """Rows of an array per article in ``.npz`` files; subclasses say how rows are made (``_rows``), stored
    (``_encode``) and read back (``_decode``)."""

    SUFFIX = ".npz"

    def _read_file(self, file: Path) -> dict[str, np.ndarray]:
        with np.load(file, allow_pickle=False) as stored:
            keys, offsets, rows = stored["keys"], stored["offsets"], self._decode(stored)
        return {str(key): rows[start:end] for key, start, end in zip(keys, offsets[:-1], offsets[1:])}

    def _write_file(self, tmp: Path, chosen: dict[str, np.ndarray]) -> None:
        keys = sorted(chosen)
        offsets = np.cumsum([0] + [len(chosen[k]) for k in keys]).astype(np.int64)
        payload = self._encode([chosen[k] for k in keys])
        with open(tmp, "wb") as handle:
            np.savez(handle, keys=np.array(keys, dtype=str), offsets=offsets, **payload)


class ArticleObjects(_ArticleFiles):
    """Any picklable value per article, in pickle files: for per-article state that is not an array, such as the
    counts and verdicts :func:`helpers.entities` keeps.

    >>> store = ArticleObjects(tempfile.mkdtemp())
    >>> store.put({"k1": {"rows": [("a", 1)]}})
    >>> ArticleObjects(store.folder).get(["k1", "k2"])
    {'k1': {'rows': [('a', 1)]}}
    """

    SUFFIX = ".pkl"

    def get(self, keys: list[str]) -> dict:
        if self._known is not None or not keys:
            return super().get(keys) if keys else {}
        # only the files holding a wanted key are read: a rerun wants the counts of the few articles it dropped,
        # and reading all 10,000 articles' counts for them took 0.36 s
        wanted, found = set(keys), {}
        for file in self._files():
            try:
                values = self._read_file(file, wanted)
            except _UNREADABLE:
                continue
            found.update((key, values[key]) for key in wanted.intersection(values))
        return {key: found[key] for key in keys if key in found}

    def _read_file(self, file: Path, wanted: set[str] | None = None) -> dict:
        """The file's values (none when it holds no ``wanted`` key): its sorted keys come first, then the values."""
        with open(file, "rb") as handle:
            held = pickle.load(handle)
            if isinstance(held, dict):  # a file of values only
                return held
            return pickle.load(handle) if wanted is None or not wanted.isdisjoint(held) else {}

    def _write_file(self, tmp: Path, chosen: dict) -> None:
        with open(tmp, "wb") as handle:
            pickle.dump(sorted(chosen), handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(chosen, handle, protocol=pickle.HIGHEST_PROTOCOL)


class ArticleLabels(_ArticleArrays):
    """One short label per token (POS tags ...) for each article, stored as small integer codes.

    >>> store = ArticleLabels(tempfile.mkdtemp())
    >>> store.put({"k1": ["NNP", "VBD"], "k2": ["DT"]})
    >>> {k: list(v) for k, v in store.get(["k1", "k2", "k3"]).items()}
    {'k1': ['NNP', 'VBD'], 'k2': ['DT']}
    """

    @staticmethod
    def _rows(fresh: dict) -> dict[str, np.ndarray]:
        return {k: np.asarray(v, dtype=object) for k, v in fresh.items()}

    @staticmethod
    def _encode(parts: list[np.ndarray]) -> dict[str, np.ndarray]:
        vocabulary, codes = np.unique(np.concatenate([p.astype(str) for p in parts]), return_inverse=True)
        return {"vocabulary": vocabulary.astype(str), "codes": codes.astype(np.int32)}

    @staticmethod
    def _decode(stored) -> np.ndarray:
        return stored["vocabulary"].astype(object)[stored["codes"]]


class ArticleVectors(_ArticleArrays):
    """Rows of numbers (e.g. one row of scores per sentence) for each article, stored as float64; values come back
    bit for bit.

    >>> store = ArticleVectors(tempfile.mkdtemp())
    >>> store.put({"k1": [[0.1, 0.2], [0.3, 0.4]]})
    >>> store.get(["k1", "k2"])["k1"].tolist()
    [[0.1, 0.2], [0.3, 0.4]]
    """

    @staticmethod
    def _rows(fresh: dict) -> dict[str, np.ndarray]:
        arrays = {k: np.asarray(v, dtype=np.float64) for k, v in fresh.items()}
        first = next(iter(arrays.values()))
        width = first.shape[1] if first.ndim == 2 else 1
        return {k: v.reshape(-1, width) for k, v in arrays.items()}

    @staticmethod
    def _encode(parts: list[np.ndarray]) -> dict[str, np.ndarray]:
        return {"values": np.concatenate(parts)}

    @staticmethod
    def _decode(stored) -> np.ndarray:
        return stored["values"]
