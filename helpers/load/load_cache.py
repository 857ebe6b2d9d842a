"""The loader's caches: :func:`cached_load_articles` keeps the articles frame of one call of
:func:`helpers.load_articles` under ``load/`` in the cache folder, keyed by the bytes of every input file, the
sources as written, the options, the kit version and the source code of the loader; :class:`InputCache` keeps
under ``inputs/`` what reading each input file gave, so adding a file to a folder reads that file only.
"""

from __future__ import annotations

import glob
import os
import pickle
import sys
import tempfile  # noqa: F401  (used by the doctests)
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from helpers.load.articles import load_articles
from helpers.load.dispatch import ReadOptions
from helpers.load.duplicates import assign_story_ids
from helpers.load.sources import display_name  # a file name that is not UTF-8, escaped so tables can hold it
from helpers.load.story_cache import StoryCache
from helpers.settings import cache_dir
from helpers.store.files import atomic_write, bytes_sha256, file_sha256
from helpers.store.keys import code_fingerprint, explicit_options, frame_fingerprint, settings_key


def _input_files(source) -> list[Path]:
    """Every file a path-like source could read (over-inclusive on purpose: more files only invalidate more)."""
    path = Path(source)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file())
    if path.is_file():  # not a pipe: hashing one would wait for a writer forever
        return [path]
    return sorted(Path(p) for p in glob.glob(str(source), recursive=True) if Path(p).is_file())


def input_fingerprint(sources) -> list[dict] | None:
    """One record per input (source as written, file, SHA-256), or ``None`` when a source cannot be fingerprinted.

    >>> p = Path(tempfile.mkdtemp()) / "a.txt"; _ = p.write_text("abc")
    >>> input_fingerprint([p])[0]["sha256"][:12]
    'ba7816bf8f01'
    """
    records = []
    for source in sources:
        if isinstance(source, pd.DataFrame):
            fingerprint = frame_fingerprint(source)
            if fingerprint is None:
                return None
            records.append({"source": "<DataFrame>", "file": "", "sha256": fingerprint, "bytes": None})
        elif isinstance(source, (str, os.PathLike)):
            files = _input_files(source)
            if not files:
                records.append({"source": str(source), "file": "", "sha256": "", "bytes": 0})
            for file in files:
                records.append({"source": str(source), "file": display_name(file), "sha256": file_sha256(file),
                                "bytes": file.stat().st_size})
        else:
            return None
    return records


def cached_load_articles(*sources, cache: str | os.PathLike | None = None, options: ReadOptions = ReadOptions(),
                         drop_duplicates: bool = True, near_duplicate_threshold: float = 0.5,
                         workers: int | None = None, progress: bool | None = None) -> pd.DataFrame:
    """:func:`helpers.load_articles` with its result cached by the inputs' bytes, the options and the loader code.

    Takes the same options as :func:`helpers.load_articles` (``options``, a :class:`ReadOptions`, says how each
    input is read), plus ``cache``, the folder (default: the kit's cache folder), and returns what it returns
    (load report in ``attrs`` included); a changed, added or removed input file, option, kit version or loader
    source reloads. Options equal to the defaults (``options=ReadOptions()``, ``drop_duplicates=True`` ...) share
    the key of passing none.

    >>> from helpers.settings import ARTICLES_DIR
    >>> folder = tempfile.mkdtemp()
    >>> first = cached_load_articles(ARTICLES_DIR, cache=folder)
    >>> again = cached_load_articles(ARTICLES_DIR, cache=folder, options=ReadOptions(), drop_duplicates=True)
    >>> again.equals(first) and again.attrs["cache"]
    'hit'
    >>> cached_load_articles(ARTICLES_DIR, cache=folder, options=ReadOptions(detect_language=False)).attrs["cache"]
    'miss'
    """
    chosen = {"options": options, "drop_duplicates": drop_duplicates,
              "near_duplicate_threshold": near_duplicate_threshold, "workers": workers, "progress": progress}
    inputs = input_fingerprint(sources)
    if inputs is None:
        articles = load_articles(*sources, **chosen)
        articles.attrs["cache"] = "not cacheable"
        return articles
    key = settings_key("load", {"inputs": inputs, "options": _options_key(explicit_options(load_articles, chosen)),
                                "code": code_fingerprint(load_articles)})
    path = Path(cache or cache_dir()) / "load" / f"{key}.pkl"
    if path.exists():
        try:
            articles = pd.read_pickle(path)
            articles.attrs["cache"] = "hit"
            return articles
        except (OSError, EOFError, ValueError, ImportError, AttributeError, pickle.UnpicklingError) as error:
            print(f"cache: ignoring unreadable {path.name} ({error.__class__.__name__}); loading again",
                  file=sys.stderr)
    folder = Path(cache or cache_dir())
    read_cache = InputCache(folder / "inputs", code_fingerprint(load_articles))
    stories = StoryCache(folder / "stories", assign_story_ids)
    articles = load_articles(*sources, read_cache=read_cache, story_cache=stories, **chosen)
    atomic_write(path, articles.to_pickle)
    articles.attrs["cache"] = "miss"
    articles.attrs["inputs_cache"] = dict(read_cache.counts)
    return articles


def _options_key(options):
    """Options as plain values for a cache key: a :class:`ReadOptions` becomes its fields, so equal options (their
    ``columns`` written in any order) give one key.

    >>> one, two = ReadOptions(columns={"a": "text", "b": "title"}), ReadOptions(columns={"b": "title", "a": "text"})
    >>> settings_key("load", _options_key({"options": one})) == settings_key("load", _options_key({"options": two}))
    True
    """
    if isinstance(options, ReadOptions):
        return asdict(options)
    if isinstance(options, dict):
        return {name: _options_key(value) for name, value in options.items()}
    return options


class InputCache:
    """What reading each input file gave, keyed by its name, collection and bytes, the read options and the loader
    code: handed to :func:`helpers.load_articles` as ``read_cache``, so that adding one file to a folder reads that
    file only. Exact duplicates and story clusters, which depend on the whole corpus, are still computed by
    ``load_articles`` on the combination. ``counts`` says how many inputs were reused and read.

    >>> from helpers.settings import ARTICLES_DIR
    >>> inputs = InputCache(tempfile.mkdtemp(), "code")
    >>> first = load_articles(ARTICLES_DIR, read_cache=inputs)
    >>> load_articles(ARTICLES_DIR, read_cache=inputs).equals(first), inputs.counts
    (True, {'reused': 1, 'read': 1})
    """

    def __init__(self, folder: str | os.PathLike, code: str):
        self.folder, self.code = Path(folder), code
        self.counts = {"reused": 0, "read": 0}

    def _path(self, item, options) -> Path | None:
        key = _input_key(item, options, self.code)
        return self.folder / f"{key}.pkl" if key else None

    def get(self, item, options):
        path = self._path(item, options)
        if path is not None and path.exists():
            try:
                result = pickle.loads(path.read_bytes())
                self.counts["reused"] += 1
                return result
            except (OSError, EOFError, ValueError, AttributeError, ImportError, pickle.UnpicklingError):
                pass
        self.counts["read"] += 1
        return None

    def put(self, item, options, result) -> None:
        path = self._path(item, options)
        if path is not None:
            atomic_write(path, lambda tmp: tmp.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)))


def _input_key(item, options, code: str) -> str | None:
    """The cache key of one input the loader reads: its name, collection and bytes, the read options, the code."""
    data = getattr(item, "data", None)
    path = getattr(item, "path", None)
    if data is not None:
        content = bytes_sha256(bytes(data))
    elif path is not None and Path(path).is_file():
        content = file_sha256(path)
    else:
        return None
    payload = [str(getattr(item, "name", "")), str(getattr(item, "collection", "")),
               repr(getattr(item, "problem", None)), content, _options_key(options), code]
    return settings_key("input", {"item": payload})
