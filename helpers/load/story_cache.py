"""The near-duplicate clustering's state between loads (:class:`StoryCache`, under ``stories/`` in the cache
folder): MinHash signatures, recent clusterings and pair similarities, so a rerun compares only new articles.
"""

from __future__ import annotations

import os
import pickle
import tempfile  # noqa: F401  (used by the doctests)
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd  # noqa: F401  (used by the doctests)

from helpers.store.article_values import ArticleVectors
from helpers.store.files import atomic_write, bytes_sha256
from helpers.store.keys import code_fingerprint, settings_key


class StoryCache:
    """The near-duplicate clustering's state between loads, handed to :func:`helpers.load_articles` as
    ``story_cache``: each text's MinHash signature (keyed by the text's hash) and the last few clusterings
    (which articles, which story each is in), under a folder keyed by the code of ``clustering`` (the function
    that clusters, :func:`helpers.load.duplicates.assign_story_ids`). A load whose articles
    include all those of a stored clustering starts from its components and checks only the candidate pairs
    that involve the other articles; the story ids equal those of a clustering from scratch.

    >>> from helpers.load.duplicates import assign_story_ids
    >>> wire = "Libya and the United States signed a memorandum against drug trafficking in Cairo on Thursday."
    >>> frame = pd.DataFrame({"doc_id": ["b", "a"], "text": [wire, wire + " Officials said so."]})
    >>> stories = StoryCache(tempfile.mkdtemp(), assign_story_ids)
    >>> assign_story_ids(frame, cache=stories).tolist()
    ['a', 'a']
    >>> more = pd.concat([frame, pd.DataFrame({"doc_id": ["c"], "text": ["A different story, told at length."]})])
    >>> assign_story_ids(more, cache=stories).tolist(), stories.counts["reused_signatures"]
    (['a', 'a', 'c'], 2)
    """

    KEEP_CLUSTERINGS = 4
    MAX_SIGNATURE_FILES = 16

    def __init__(self, folder: str | os.PathLike, clustering: Callable):
        # The clustering's code covers the signatures' length (NUM_PERM) too.
        self.folder = Path(folder) / settings_key("stories", {"code": code_fingerprint(clustering)})
        self.counts = {"reused_signatures": 0, "computed_signatures": 0, "reused_clustering": 0}
        self._known: dict | None = None

    def _all_signatures(self) -> dict:
        if self._known is None:
            self._known = {}
            for file in sorted((self.folder / "signatures").glob("*.npz")):
                try:
                    with np.load(file, allow_pickle=False) as stored:
                        keys, matrix, usable = stored["keys"], stored["signatures"], stored["usable"]
                except (OSError, ValueError, KeyError, EOFError):
                    continue
                self._known.update((str(k), row if ok else None) for k, row, ok in zip(keys, matrix, usable))
        return self._known

    def signatures(self, keys: list[str]) -> dict:
        known = self._all_signatures()
        found = {k: known[k] for k in keys if k in known}
        self.counts["reused_signatures"] += len(found)
        return found

    def add_signatures(self, fresh: dict) -> None:
        known = self._all_signatures()
        known.update(fresh)
        folder = self.folder / "signatures"
        existing = sorted(folder.glob("*.npz"))
        merge = len(existing) >= self.MAX_SIGNATURE_FILES
        chosen = known if merge else fresh
        keys = sorted(chosen)
        width = max((len(signature) for signature in chosen.values() if signature is not None), default=0)
        matrix = np.zeros((len(keys), width), dtype=np.uint64)
        usable = np.zeros(len(keys), dtype=bool)
        for row, key in enumerate(keys):
            if chosen[key] is not None:
                matrix[row], usable[row] = chosen[key], True
        name = bytes_sha256("\n".join(keys).encode())[:24]

        def write(tmp: Path) -> None:
            with open(tmp, "wb") as handle:
                np.savez(handle, keys=np.array(keys, dtype=str), signatures=matrix, usable=usable)

        atomic_write(folder / f"{name}.npz", write)
        if merge:
            for file in existing:
                if file.name != f"{name}.npz":
                    file.unlink(missing_ok=True)
        self.counts["computed_signatures"] += len(fresh)

    def similarities(self, keys: list[str]) -> dict[str, float]:
        """Stored Jaccard similarities of article pairs (key: the two texts' keys), for :func:`story_clusters`."""
        found = ArticleVectors(self.folder / "similarities").get(keys)
        return {k: float(v[0, 0]) for k, v in found.items()}

    def add_similarities(self, fresh: dict[str, float]) -> None:
        ArticleVectors(self.folder / "similarities").put({k: [[v]] for k, v in fresh.items()})

    def previous(self, entries: list[str], threshold: float) -> dict | None:
        """The largest stored clustering (at ``threshold``) whose articles are all among ``entries``."""
        wanted = set(entries)
        best = None
        for file in (self.folder / "clusterings").glob(f"{threshold!r}-*.pkl"):
            try:
                stored = pickle.loads(file.read_bytes())
            except (OSError, EOFError, ValueError, AttributeError, ImportError, pickle.UnpicklingError):
                continue
            if (best is None or len(stored["entries"]) > len(best["entries"])) and wanted.issuperset(stored["entries"]):
                best = stored
        if best is None:
            return None
        self.counts["reused_clustering"] = len(best["entries"])
        return dict(zip(best["entries"], best["stories"]))

    def remember(self, entries: list[str], stories: list[str], threshold: float) -> None:
        folder = self.folder / "clusterings"
        name = f"{threshold!r}-{bytes_sha256(chr(10).join(sorted(entries)).encode())[:24]}.pkl"
        payload = pickle.dumps({"entries": list(entries), "stories": list(stories)}, protocol=pickle.HIGHEST_PROTOCOL)
        atomic_write(folder / name, lambda tmp: tmp.write_bytes(payload))
        stored = sorted(folder.glob("*.pkl"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in stored[self.KEEP_CLUSTERINGS:]:
            old.unlink(missing_ok=True)
