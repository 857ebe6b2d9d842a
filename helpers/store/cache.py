"""Caches keyed by article content and settings, so a rerun redoes only new or changed articles.

Three caches live under the cache folder (``NEWSKIT_CACHE``, default ``.cache/`` in the project, git-ignored):

- ``load/``: the articles frame of one call of :func:`helpers.load_articles`, keyed by the bytes of every input
  file, the sources as written, the options, the kit version and the source code of the loader;
- ``tokens/<settings>/``: the token rows of each article, keyed by ``doc_id`` + text, under a folder keyed by the
  tokeniser options, the sentence model, the stopword list, the NLTK resources found, the kit version and the
  source code of the tokeniser. A changed setting therefore invalidates the token caches and nothing else;
  a changed loader invalidates the load cache and nothing else;
- ``sentence-models/``: Punkt sentence models (see below);
- ``inputs/``: what reading each input file gave (:class:`InputCache`, the loader's ``read_cache``), so adding a
  file to a folder reads that file only; ``stories/``: MinHash signatures, recent clusterings and pair
  similarities of the near-duplicate clustering (:class:`StoryCache`), so a rerun compares only new articles;
- ``tokens/<settings>/tables/``: the assembled token table of one exact list of articles, one Arrow file read
  whole (every notebook of a run asks for the same table);
- ``per-article/``, ``pos-tags/``, ``sentiment/``, ``agreement/``: per-article results of
  :func:`cached_per_article`, the perceptron tagger (entities, keyphrases), VADER and the NLTK agreement check.

Every file is written to a temporary name and renamed into place (``os.replace``), and an article's token rows
count as cached only once the shard holding them *and* the index naming them are both in place, so a run killed
at any point leaves either nothing or a complete entry, never a corrupt one.

**The sentence model.** With ``punkt_tab`` present the pretrained English model splits sentences, and an
article's tokens depend on that article alone. Without it Punkt is trained on the corpus, so the tokens of an old
article could change whenever articles are added; a per-article cache could then not be exact. The kit therefore
*pins* the corpus-trained model: it is trained on the corpus the first time, stored in the cache by the hash of
its parameters, and reused while the corpus holds between half and twice the text it was trained on; outside
that range it is retrained on the current corpus (and every article is re-tokenised, since the model hash is
part of the token cache's key); a retrained model replaces the pinned one only when its corpus is larger. The token table of a run is always exactly ``tokenize(articles)`` with the
model the run used (its hash is in the run manifest); when the model was (re)trained in the run it is exactly
``tokenize(articles)``. ``NEWSKIT_SENTENCE_MODEL`` (a stored model's path) or ``sentence_model=`` pin one
explicitly.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import inspect
import json
import os
import pickle
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Callable

import numpy as np
import pandas as pd

from helpers.settings import CACHE_DIR

CACHE_FORMAT = 2
SHARD_ARTICLES = 500
RETRAIN_BELOW, RETRAIN_ABOVE = 0.5, 2.0


def cache_dir() -> Path:
    """The cache folder: ``NEWSKIT_CACHE`` when set (read at call time), else ``.cache/`` in the project.

    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"NEWSKIT_CACHE": "my-cache"}):
    ...     str(cache_dir())
    'my-cache'
    >>> with mock.patch.dict(os.environ, {"NEWSKIT_CACHE": ""}):
    ...     cache_dir() == CACHE_DIR
    True
    """
    return Path(os.environ.get("NEWSKIT_CACHE") or CACHE_DIR)


# ---- atomic files ------------------------------------------------------------------------------------------

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


def _write_json(path: Path, payload, *, sort_keys: bool = True) -> Path:
    return atomic_write(path, lambda tmp: tmp.write_text(json.dumps(payload, sort_keys=sort_keys, default=str)))


def _stamp(path: Path) -> tuple[int, int] | None:
    """Modification time and size of a file (None when absent): a changed stamp means re-read it."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def _sha256_bytes(data: bytes) -> str:
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


# ---- keys --------------------------------------------------------------------------------------------------

def _helpers_modules(func: Callable) -> list[ModuleType]:
    """The helpers modules ``func`` depends on: its own and those it refers to, transitively (by source file)."""
    seen: dict[str, ModuleType] = {}
    pending = [inspect.getmodule(func)]
    while pending:
        module = pending.pop()
        if module is None or not module.__name__.startswith("helpers") or module.__name__ in seen:
            continue
        if module.__name__ == __name__:
            continue
        seen[module.__name__] = module
        for value in vars(module).values():
            owner = value if isinstance(value, ModuleType) else sys.modules.get(getattr(value, "__module__", "") or "")
            if owner is not None and owner.__name__.startswith("helpers") and owner.__name__ not in seen:
                pending.append(owner)
    return [seen[name] for name in sorted(seen)]


def code_fingerprint(func: Callable) -> str:
    """A hash of the source files of the helpers modules ``func`` depends on: editing them invalidates its cache.

    >>> from helpers.text.tokenizer import tokenize
    >>> len(code_fingerprint(tokenize))
    16
    """
    digest = hashlib.sha256()
    for module in _helpers_modules(func):
        source = getattr(module, "__file__", None)
        digest.update(module.__name__.encode())
        if source and Path(source).exists():
            digest.update(Path(source).read_bytes())
    return digest.hexdigest()[:16]


def explicit_options(func: Callable, options: dict) -> dict:
    """``options`` without those equal to ``func``'s defaults, so ``f(x)`` and ``f(x, k=default)`` share a key.

    >>> def f(x, *, n=5, m=1): ...
    >>> explicit_options(f, {"n": 5, "m": 2})
    {'m': 2}
    """
    try:
        parameters = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return dict(options)
    return {k: v for k, v in options.items()
            if k not in parameters or parameters[k].default is inspect.Parameter.empty or parameters[k].default != v}


def kit_version() -> str:
    from helpers import __version__

    return __version__


def settings_key(step: str, settings: dict) -> str:
    """The cache key of a step: its name, the cache format, the kit version and ``settings`` (JSON, sorted).

    >>> settings_key("tokens", {"a": 1}) == settings_key("tokens", {"a": 1})
    True
    >>> settings_key("tokens", {"a": 1}) == settings_key("tokens", {"a": 2})
    False
    """
    payload = {"step": step, "format": CACHE_FORMAT, "kit": kit_version(), "settings": settings}
    return _sha256_bytes(json.dumps(payload, sort_keys=True, default=repr).encode())[:24]


# ---- loading -----------------------------------------------------------------------------------------------

def _input_files(source) -> list[Path]:
    """Every file a path-like source could read (over-inclusive on purpose: more files only invalidate more)."""
    import glob

    path = Path(source)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file())
    if path.is_file():  # not a pipe: hashing one would wait for a writer forever
        return [path]
    return sorted(Path(p) for p in glob.glob(str(source), recursive=True) if Path(p).is_file())


def _frame_fingerprint(frame: pd.DataFrame) -> str | None:
    try:
        hashed = pd.util.hash_pandas_object(frame, index=True).to_numpy()
    except TypeError:
        return None
    digest = hashlib.sha256(hashed.tobytes())
    digest.update(json.dumps([list(map(str, frame.columns)), list(map(str, frame.dtypes))]).encode())
    return digest.hexdigest()


def input_fingerprint(sources) -> list[dict] | None:
    """One record per input (source as written, file, SHA-256), or ``None`` when a source cannot be fingerprinted.

    >>> p = Path(tempfile.mkdtemp()) / "a.txt"; _ = p.write_text("abc")
    >>> input_fingerprint([p])[0]["sha256"][:12]
    'ba7816bf8f01'
    """
    from helpers.load.sources import display_name  # a file name that is not UTF-8, escaped so tables can hold it

    records = []
    for source in sources:
        if isinstance(source, pd.DataFrame):
            fingerprint = _frame_fingerprint(source)
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


def cached_load_articles(*sources, cache: str | os.PathLike | None = None, **options) -> pd.DataFrame:
    """:func:`helpers.load_articles` with its result cached by the inputs' bytes, the options and the loader code.

    Equal to ``load_articles(*sources, **options)`` (load report in ``attrs`` included); a changed, added or
    removed input file, option, kit version or loader source reloads.

    >>> from helpers.settings import ARTICLES_DIR
    >>> folder = tempfile.mkdtemp()
    >>> first = cached_load_articles(ARTICLES_DIR, cache=folder)
    >>> again = cached_load_articles(ARTICLES_DIR, cache=folder)
    >>> again.equals(first) and again.attrs["cache"]
    'hit'
    """
    from helpers.load.articles import load_articles

    inputs = input_fingerprint(sources)
    if inputs is None:
        articles = load_articles(*sources, **options)
        articles.attrs["cache"] = "not cacheable"
        return articles
    key = settings_key("load", {"inputs": inputs, "options": explicit_options(load_articles, options),
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
    articles = load_articles(*sources, read_cache=read_cache, story_cache=StoryCache(folder / "stories"), **options)
    atomic_write(path, articles.to_pickle)
    articles.attrs["cache"] = "miss"
    articles.attrs["inputs_cache"] = dict(read_cache.counts)
    return articles


class InputCache:
    """What reading each input file gave, keyed by its name, collection and bytes, the read options and the loader
    code: handed to :func:`helpers.load_articles` as ``read_cache``, so that adding one file to a folder reads that
    file only. Exact duplicates and story clusters, which depend on the whole corpus, are still computed by
    ``load_articles`` on the combination. ``counts`` says how many inputs were reused and read.

    >>> from helpers.load.articles import load_articles
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
        content = _sha256_bytes(bytes(data))
    elif path is not None and Path(path).is_file():
        content = file_sha256(path)
    else:
        return None
    payload = [str(getattr(item, "name", "")), str(getattr(item, "collection", "")),
               repr(getattr(item, "problem", None)), content, repr(options), code]
    return settings_key("input", {"item": payload})


class StoryCache:
    """The near-duplicate clustering's state between loads, handed to :func:`helpers.load_articles` as
    ``story_cache``: each text's MinHash signature (keyed by the text's hash) and the last few clusterings
    (which articles, which story each is in), under a folder keyed by the clustering code. A load whose articles
    include all those of a stored clustering starts from its components and checks only the candidate pairs
    that involve the other articles; the story ids equal those of a clustering from scratch.

    >>> from helpers.load.duplicates import assign_story_ids
    >>> wire = "Libya and the United States signed a memorandum against drug trafficking in Cairo on Thursday."
    >>> frame = pd.DataFrame({"doc_id": ["b", "a"], "text": [wire, wire + " Officials said so."]})
    >>> stories = StoryCache(tempfile.mkdtemp())
    >>> assign_story_ids(frame, cache=stories).tolist()
    ['a', 'a']
    >>> more = pd.concat([frame, pd.DataFrame({"doc_id": ["c"], "text": ["A different story, told at length."]})])
    >>> assign_story_ids(more, cache=stories).tolist(), stories.counts["reused_signatures"]
    (['a', 'a', 'c'], 2)
    """

    KEEP_CLUSTERINGS = 4
    MAX_SIGNATURE_FILES = 16

    def __init__(self, folder: str | os.PathLike):
        from helpers.load import duplicates

        self.folder = Path(folder) / settings_key("stories", {"code": code_fingerprint(duplicates.assign_story_ids),
                                                              "num_perm": duplicates.NUM_PERM})
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
        from helpers.load.duplicates import NUM_PERM

        known = self._all_signatures()
        known.update(fresh)
        folder = self.folder / "signatures"
        existing = sorted(folder.glob("*.npz"))
        merge = len(existing) >= self.MAX_SIGNATURE_FILES
        chosen = known if merge else fresh
        keys = sorted(chosen)
        matrix = np.zeros((len(keys), NUM_PERM), dtype=np.uint64)
        usable = np.zeros(len(keys), dtype=bool)
        for row, key in enumerate(keys):
            if chosen[key] is not None:
                matrix[row], usable[row] = chosen[key], True
        name = _sha256_bytes("\n".join(keys).encode())[:24]

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
        name = f"{threshold!r}-{_sha256_bytes(chr(10).join(sorted(entries)).encode())[:24]}.pkl"
        payload = pickle.dumps({"entries": list(entries), "stories": list(stories)}, protocol=pickle.HIGHEST_PROTOCOL)
        atomic_write(folder / name, lambda tmp: tmp.write_bytes(payload))
        stored = sorted(folder.glob("*.pkl"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in stored[self.KEEP_CLUSTERINGS:]:
            old.unlink(missing_ok=True)


# ---- sentence models ---------------------------------------------------------------------------------------

def _params_payload(splitter) -> dict:
    params = getattr(splitter, "_params", None) or getattr(splitter, "params")
    return {
        "abbrev_types": sorted(params.abbrev_types),
        "collocations": sorted([list(pair) for pair in params.collocations]),
        "sent_starters": sorted(params.sent_starters),
        "ortho_context": sorted([key, int(value)] for key, value in params.ortho_context.items()),
    }


def model_fingerprint(splitter) -> str:
    """The model's own ``fingerprint`` when it has one, else a hash of its Punkt parameters (abbreviations,
    collocations, sentence starters, orthographic context).

    >>> from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer
    >>> knows_dr = PunktParameters(); knows_dr.abbrev_types.add("dr")
    >>> plain = model_fingerprint(PunktSentenceTokenizer())
    >>> plain == model_fingerprint(PunktSentenceTokenizer()), plain == model_fingerprint(PunktSentenceTokenizer(knows_dr))
    (True, False)
    """
    own = getattr(splitter, "fingerprint", None)
    if isinstance(own, str):
        return own
    return _sha256_bytes(json.dumps(_params_payload(splitter), sort_keys=True).encode())[:16]


def save_sentence_model(splitter, path: str | os.PathLike, **info) -> Path:
    """Pickle a sentence model atomically (with ``info`` in a JSON file beside it); :func:`load_sentence_model`
    reads it back. Any picklable splitter works: NLTK's Punkt or the kit's own model class.
    """
    path = Path(path)
    atomic_write(path, lambda tmp: tmp.write_bytes(pickle.dumps(splitter, protocol=pickle.HIGHEST_PROTOCOL)))
    _write_json(path.with_suffix(".json"), {"fingerprint": model_fingerprint(splitter), **info})
    return path


def load_sentence_model(path: str | os.PathLike):
    """A sentence model from a file written by :func:`save_sentence_model`.

    >>> from nltk.tokenize.punkt import PunktSentenceTokenizer
    >>> p = save_sentence_model(PunktSentenceTokenizer(), Path(tempfile.mkdtemp()) / "m.pkl")
    >>> load_sentence_model(p).tokenize("One. Two.")
    ['One.', 'Two.']
    """
    return pickle.loads(Path(path).read_bytes())


def _training_is_bounded() -> bool:
    """True when the tokeniser trains Punkt on a bounded prefix of the corpus (retraining each run is then cheap)."""
    from helpers.text import tokenizer as tokens

    trainer = sys.modules.get(getattr(tokens.sentence_splitter, "__module__", "") or "")
    return hasattr(trainer, "MAX_TRAINING_CHARS")


def sentence_policy() -> str:
    """How a cached tokenisation gets its corpus-trained sentence model when ``punkt_tab`` is absent.

    ``corpus``: trained on the articles at every call, exactly as ``tokenize`` does (the default when training
    reads a bounded prefix of the corpus, so it costs seconds); ``pinned``: trained once and reused while the
    corpus holds 0.5–2× its text (the default when training reads the whole corpus). ``NEWSKIT_SENTENCE_POLICY``
    overrides.

    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"NEWSKIT_SENTENCE_POLICY": "pinned"}):
    ...     sentence_policy()
    'pinned'
    """
    chosen = os.environ.get("NEWSKIT_SENTENCE_POLICY") or ("corpus" if _training_is_bounded() else "pinned")
    if chosen not in {"corpus", "pinned"}:
        raise ValueError(f"NEWSKIT_SENTENCE_POLICY={chosen!r}: use 'corpus' or 'pinned'")
    return chosen


def _punkt_tab_present() -> bool:
    from helpers.resources import has_resource

    return has_resource("punkt_tab")


def resolve_sentence_model(articles: pd.DataFrame, *, cache: str | os.PathLike | None = None,
                           retrain: bool = False) -> tuple[object, dict]:
    """The sentence model a cached tokenisation of ``articles`` uses, and a record of it for the manifest.

    Order: ``NEWSKIT_SENTENCE_MODEL`` (a stored model) → pretrained ``punkt_tab`` → with the ``corpus`` policy
    (:func:`sentence_policy`) a model trained on ``articles`` now; with ``pinned``, the cache's pinned
    corpus-trained model while the corpus holds 0.5–2× the text it was trained on (else, or with ``retrain``,
    a model trained on ``articles`` now, and pinned unless the corpus is smaller than the pinned model's, so
    tokenising a small subset never unpins the model of the whole corpus).

    >>> from unittest import mock
    >>> from nltk.tokenize.punkt import PunktSentenceTokenizer
    >>> stored = save_sentence_model(PunktSentenceTokenizer(), Path(tempfile.mkdtemp()) / "m.pkl")
    >>> articles = pd.DataFrame({"doc_id": ["a"], "text": ["Mr. Smith met Dr. Jones. They talked."]})
    >>> with mock.patch.dict(os.environ, {"NEWSKIT_SENTENCE_MODEL": str(stored)}):
    ...     model, info = resolve_sentence_model(articles, cache=tempfile.mkdtemp())
    >>> info["kind"], info["path"] == str(stored)
    ('given', True)
    """
    from helpers.resources import find_resource
    from helpers.text.tokenizer import sentence_splitter

    given = os.environ.get("NEWSKIT_SENTENCE_MODEL")
    if given:
        model = load_sentence_model(given)
        return model, {"kind": "given", "path": given, "fingerprint": model_fingerprint(model)}
    if _punkt_tab_present():
        model = sentence_splitter([])
        return model, {"kind": "pretrained punkt_tab", "path": find_resource("punkt_tab"),
                       "fingerprint": model_fingerprint(model)}
    folder = Path(cache or cache_dir()) / "sentence-models"
    n_chars = int(articles["text"].str.len().sum()) if len(articles) else 0
    pinned_path = folder / "pinned.json"
    pinned = None
    policy = sentence_policy()
    if policy == "pinned" and pinned_path.exists() and not retrain:
        try:
            pinned = json.loads(pinned_path.read_text())
            ratio = n_chars / max(pinned["n_chars"], 1)
            if RETRAIN_BELOW <= ratio <= RETRAIN_ABOVE:
                model = load_sentence_model(folder / f"{pinned['fingerprint']}.pkl")
                if model_fingerprint(model) == pinned["fingerprint"]:
                    return model, {"kind": "pinned, trained on an earlier corpus", **pinned,
                                   "path": str(folder / f"{pinned['fingerprint']}.pkl")}
        except (OSError, ValueError, KeyError, TypeError, EOFError, pickle.UnpicklingError) as error:
            pinned = None
            print(f"cache: pinned sentence model unreadable ({error.__class__.__name__}); retraining", file=sys.stderr)
    model, model_path = trained_sentence_model(articles["text"].tolist(), cache=cache, reuse=not retrain,
                                               n_chars=n_chars, n_articles=len(articles))
    record = {"fingerprint": model_path.stem, "n_chars": n_chars, "n_articles": len(articles)}
    if policy == "pinned" and (retrain or pinned is None or n_chars > pinned.get("n_chars", 0)):
        _write_json(pinned_path, record)
    return model, {"kind": "trained on this corpus", **record, "path": str(model_path)}


def trained_sentence_model(texts: list[str], *, cache: str | os.PathLike | None = None, reuse: bool = True,
                           **info) -> tuple[object, Path]:
    """Punkt trained on ``texts`` (:func:`helpers.text.tokenizer.sentence_splitter`) and the file it is stored in, under the
    cache's ``sentence-models/`` by fingerprint (``info`` is written beside it).

    Punkt trains on a bounded prefix of the texts (:func:`helpers.text.sentences.training_chunks`), deterministically,
    so with ``reuse`` the model an earlier call trained on the same training text is read back instead of trained
    again: every notebook of a run, and a rerun whose first articles are unchanged, share one training.

    >>> folder = tempfile.mkdtemp()
    >>> first, path = trained_sentence_model(["Mr. Smith met Dr. Jones. They talked."], cache=folder)
    >>> again, same_path = trained_sentence_model(["Mr. Smith met Dr. Jones. They talked."], cache=folder)
    >>> same_path == path and model_fingerprint(again) == model_fingerprint(first)
    True
    """
    from helpers.text.tokenizer import sentence_splitter

    folder = Path(cache or cache_dir()) / "sentence-models"
    record = _training_record(folder, texts) if _training_is_bounded() else None
    model = _trained_before(folder, record) if reuse and record is not None else None
    if model is None:
        model = sentence_splitter(texts)
    path = folder / f"{model_fingerprint(model)}.pkl"
    if not path.exists():
        save_sentence_model(model, path, **info)
    if record is not None:
        _write_json(record, {"fingerprint": path.stem})
    return model, path


def _training_record(folder: Path, texts: list[str]) -> Path:
    """Where the fingerprint of the model trained on these texts' training text is noted."""
    from helpers.text import sentences

    digest = hashlib.sha256()
    for chunk in sentences.training_chunks(texts):
        digest.update(chunk.encode("utf-8", "surrogatepass") + b"\0")
    key = settings_key("sentence-training", {
        "text": digest.hexdigest(), "code": code_fingerprint(sentences.sentence_model),
        "lists": _sha256_bytes("\n".join(sorted(sentences.news_abbreviations() | sentences.news_titles())).encode())})
    return folder / "trained" / f"{key}.json"


def _trained_before(folder: Path, record: Path):
    """The model noted in ``record`` (see :func:`_training_record`), or None."""
    try:
        fingerprint = json.loads(record.read_text())["fingerprint"]
        model = load_sentence_model(folder / f"{fingerprint}.pkl")
    except (OSError, ValueError, KeyError, TypeError, EOFError, pickle.UnpicklingError, AttributeError):
        return None
    return model if model_fingerprint(model) == fingerprint else None


def _tokenize_with(articles: pd.DataFrame, model, options: dict) -> pd.DataFrame:
    from helpers.text.tokenizer import tokenize

    return tokenize(articles, sentence_model=model, **options)


# ---- per-article shard store -------------------------------------------------------------------------------

class ArticleStore:
    """Per-article rows stored in Parquet shards under one settings key, with a JSON index per shard.

    An entry is readable once both its shard and the shard's index exist (the index is written second). The
    index and the last few shards read are kept in memory while their files are unchanged: the partitions of a
    large corpus each read a few articles from the same shards one after another.
    """

    _indexes: dict[str, tuple[tuple, dict]] = {}
    _shards: collections.OrderedDict = collections.OrderedDict()
    KEEP_SHARDS = 4

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def index(self) -> dict[str, tuple[str, int, int]]:
        index_files = sorted(self.folder.glob("shard-*.index.json"))
        stamp = tuple((f.name, _stamp(f), _stamp(f.with_name(f.name.removesuffix(".index.json") + ".parquet")))
                      for f in index_files)
        known = self._indexes.get(str(self.folder))
        if known and known[0] == stamp:
            return dict(known[1])
        entries: dict[str, tuple[str, int, int]] = {}
        for index_file in index_files:
            shard = index_file.name.removesuffix(".index.json") + ".parquet"
            if not (self.folder / shard).exists():
                continue
            try:
                ranges = json.loads(index_file.read_text())["entries"]
            except (OSError, ValueError, KeyError):
                continue
            for entry, (start, end) in ranges.items():
                entries.setdefault(entry, (shard, start, end))
        self._indexes[str(self.folder)] = (stamp, entries)
        return dict(entries)

    def write(self, frame: pd.DataFrame, ranges: dict[str, tuple[int, int]], meta: dict) -> Path:
        name = "shard-" + _sha256_bytes("\n".join(sorted(ranges)).encode())[:20]
        meta = {"layout": column_layout(frame, meta.pop("doc_ids", None)), **meta}
        shard = atomic_write(self.folder / f"{name}.parquet", lambda tmp: frame.to_parquet(tmp, index=False))
        # Unsorted: the attrs in ``meta`` keep their key order, which tables such as tokenizer_resources follow.
        _write_json(self.folder / f"{name}.index.json", {"entries": ranges, **meta}, sort_keys=False)
        return shard

    def read(self, shard: str) -> pd.DataFrame:
        path = self.folder / shard
        stamp, key = _stamp(path), str(path)
        known = self._shards.get(key)
        if known and known[0] == stamp:
            self._shards.move_to_end(key)
            return known[1]
        frame = pd.read_parquet(path)
        self._shards[key] = (stamp, frame)
        while len(self._shards) > self.KEEP_SHARDS:
            self._shards.popitem(last=False)
        return frame

    def meta(self, shard: str) -> dict:
        """What was recorded with a shard: its ``layout`` (see :func:`column_layout`), ``attrs``, article count."""
        try:
            return json.loads((self.folder / (shard.removesuffix(".parquet") + ".index.json")).read_text())
        except (OSError, ValueError):
            return {}


CATEGORY_ORDERS = ("sorted", "appearance", "articles")


def _category_orders(series: pd.Series, doc_ids) -> list[str]:
    """Which rule explains a categorical's category order: sorted values, order of first appearance, or the
    articles' order (``doc_ids``); a tokeniser follows one of them, and a reassembled table must follow it too."""
    categories = list(series.cat.categories)
    appearance = list(pd.unique(series.astype(object)))
    orders = []
    if categories == sorted(appearance):
        orders.append("sorted")
    if categories == appearance:
        orders.append("appearance")
    if doc_ids is not None and categories == [str(d) for d in doc_ids]:
        orders.append("articles")
    return orders


def column_layout(frame: pd.DataFrame, doc_ids=None) -> list[list]:
    """Each column as ``[name, dtype, category orders, category dtype]``: enough to rebuild, from values read back
    from Parquet, a frame identical to the one computed (categoricals included).

    >>> column_layout(pd.DataFrame({"a": pd.Categorical(["y", "x"]), "b": [1, 2]}))
    [['a', 'category', ['sorted'], 'str'], ['b', 'int64', [], '']]
    """
    layout = []
    for column, dtype in frame.dtypes.items():
        if isinstance(dtype, pd.CategoricalDtype):
            layout.append([str(column), "category", _category_orders(frame[column], doc_ids),
                           str(dtype.categories.dtype)])
        else:
            layout.append([str(column), str(dtype), [], ""])
    return layout


def _merge_layouts(layouts: list[list[list]]) -> list[list]:
    """One layout from several batches: the category orders every batch agrees with (first preferred)."""
    merged = [list(item) for item in layouts[0]]
    for layout in layouts[1:]:
        for item, other in zip(merged, layout):
            item[2] = [order for order in item[2] if order in other[2]]
    return merged


def _as_object_categorical(values: pd.Series) -> pd.Categorical:
    if isinstance(values.dtype, pd.CategoricalDtype):
        # Only the categories these rows use: a few articles cut from a shard keep the shard's whole vocabulary.
        codes = values.cat.codes.to_numpy().astype(np.int64)
        present = codes >= 0
        used = np.bincount(codes[present], minlength=len(values.cat.categories)) > 0
        compact = np.cumsum(used) - 1
        codes[present] = compact[codes[present]]
        return pd.Categorical.from_codes(codes, categories=pd.Index(
            np.asarray(values.cat.categories, dtype=object)[used], dtype=object))
    codes, uniques = pd.factorize(values.astype(object).to_numpy())
    return pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype=object))


def _categorical(parts: list[pd.Series], take: np.ndarray, orders: list[str], categories_dtype: str,
                 doc_ids: list[str]) -> pd.Categorical:
    """The rows ``take`` of ``parts`` (concatenated) as a categorical whose categories follow the first rule in
    :data:`CATEGORY_ORDERS` that ``orders`` allows; strings are touched once per category, never per row."""
    from pandas.api.types import union_categoricals

    union = union_categoricals([_as_object_categorical(p) for p in parts]) if parts else pd.Categorical([])
    codes = union.codes[take] if len(take) else np.zeros(0, dtype=np.int32)
    categories = np.asarray(union.categories, dtype=object)
    order = next((o for o in CATEGORY_ORDERS if o in orders), "sorted")
    if order == "articles":
        remap = pd.Index(np.asarray(doc_ids, dtype=object)).get_indexer(categories)
        codes, new_categories = remap[codes], np.asarray(doc_ids, dtype=object)
    else:
        codes, used = pd.factorize(codes)
        new_categories = categories[used]
        if order == "sorted":
            ranks = np.argsort(new_categories, kind="stable")
            remap = np.empty(len(ranks), dtype=np.int64)
            remap[ranks] = np.arange(len(ranks))
            codes, new_categories = remap[codes], new_categories[ranks]
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int32),
                                     categories=pd.Index(list(new_categories), dtype=categories_dtype or None))


def _progress(iterable, **kwargs):
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return iterable
    return tqdm(iterable, **kwargs)


def article_entries(articles: pd.DataFrame) -> list[str]:
    """One cache entry per article: a hash of its ``doc_id`` and ``text`` (so either changing misses the cache).

    >>> article_entries(pd.DataFrame({"doc_id": ["a"], "text": ["x"]})) == article_entries(pd.DataFrame({"doc_id": ["a"], "text": ["y"]}))
    False
    """
    return [_sha256_bytes(f"{doc_id}\0{text}".encode())[:32]
            for doc_id, text in zip(articles["doc_id"].astype(str), articles["text"].astype(str))]


def _resources_found() -> list[str]:
    from helpers.resources import resource_status

    status = resource_status()
    return status.loc[status["found"], "resource"].tolist()


def token_settings(model_info: dict, options: dict) -> dict:
    """What a token table depends on besides the article: options, sentence model, stopwords, resources, code."""
    from helpers.text.stopwords import stopword_list
    from helpers.text.tokenizer import tokenize

    return {
        "options": options,
        "sentence_model": model_info["fingerprint"],
        "stopwords": _sha256_bytes("\n".join(sorted(stopword_list())).encode())[:16],
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


def cached_tokenize(articles: pd.DataFrame, *, sentence_model=None, cache: str | os.PathLike | None = None,
                    progress: bool = True, whole_table: bool | str = True, **options) -> pd.DataFrame:
    """:func:`helpers.tokenize` with each article's tokens cached; only articles not seen before are tokenised.

    Equal to ``tokenize(articles, sentence_model=model, **options)`` for the model of
    :func:`resolve_sentence_model` (or ``sentence_model``), categories and ``attrs`` included;
    ``attrs["cache"]`` says how many articles were tokenised now, ``attrs["sentence_model"]`` which model
    split the sentences. Options whose result depends on the whole corpus (``collocation_expressions``) are
    not cached: the call then tokenises everything (``attrs["cache"]["tokenized"]`` says so). With
    ``whole_table`` the assembled table of exactly these articles is also kept as one Arrow file and read whole
    next time (what every notebook of a run asks for); the latest few are kept. Partitions of a bigger corpus pass
    ``"partition"``: their tables are kept apart, many more of them (a rerun's unchanged partitions read back
    whole), or ``False`` for none.

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
    if sentence_model is None:
        sentence_model, model_info = resolve_sentence_model(articles, cache=cache)
    else:
        model_info = {"kind": "given", "fingerprint": model_fingerprint(sentence_model)}
    if any(getattr(options.get("options"), name, None) for name in UNCACHEABLE_OPTIONS) or not len(articles):
        tokens = _tokenize_with(articles, sentence_model, options)
        tokens.attrs.update(cache={"tokenized": len(articles), "reused": 0, "settings_key": None},
                            sentence_model=model_info)
        return tokens
    from helpers.text.tokenizer import tokenize

    keyed = {k: v for k, v in explicit_options(tokenize, options).items() if k not in RESULT_NEUTRAL_OPTIONS}
    settings = token_settings(model_info, keyed)
    key = settings_key("tokens", settings)
    store = ArticleStore(Path(cache or cache_dir()) / "tokens" / key)
    if not (store.folder / "settings.json").exists():
        _write_json(store.folder / "settings.json", settings)
    entries = article_entries(articles)
    if articles["doc_id"].nunique() != len(set(entries)):
        raise ValueError("cached_tokenize: some doc_id names two different texts; give each text its own doc_id "
                         "(load_articles derives it from the text)")
    tables, keep_tables = WHOLE_TABLES["partition" if whole_table == "partition" else "corpus"]
    whole = store.folder / tables / f"{_sha256_bytes(chr(10).join(entries).encode())[:24]}.arrow"
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
    bar = _progress(batches, desc="tokenising", unit="batch", disable=not progress or not batches,
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
    for shard in _progress(sorted(needed), desc="reading token cache", unit="shard", disable=not progress or not needed):
        frames[shard] = store.read(shard)
    if fresh_parts:
        frames.update({f"<fresh-{number:06d}>": part for number, part in enumerate(fresh_parts)})
    if base is not None:
        frames[BASE_TABLE] = base[0]
        fresh_meta = [*fresh_meta, (base[2], base[0].attrs)]
    layout, attrs = _layout_and_attrs(store, frames, fresh_meta)
    tokens = _assemble(entries, {**index, **fresh_ranges}, frames, layout, articles["doc_id"].astype(str).tolist())
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
    import pyarrow as pa
    import pyarrow.feather as feather

    table = pa.Table.from_pandas(tokens, preserve_index=False)
    atomic_write(path, lambda tmp: feather.write_feather(table, str(tmp), compression="uncompressed"))
    _write_json(path.with_suffix(".attrs.json"), _json_attrs(tokens.attrs), sort_keys=False)
    if entries is not None and len(set(entries)) == len(entries) and sum(lengths or []) == len(tokens):
        _write_json(path.with_suffix(".entries.json"), {"layout": layout, "entries": entries, "lengths": lengths},
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
    import pyarrow.feather as feather

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


def _layout_and_attrs(store: ArticleStore, frames: dict[str, pd.DataFrame],
                      fresh: list[tuple[list, dict]]) -> tuple[list[list], dict]:
    """The layout every batch agrees with, and the attrs of the first batch, from fresh batches and stored shards."""
    layouts = [layout for layout, _ in fresh]
    attrs = fresh[0][1] if fresh else None
    for shard in sorted(name for name in frames if not name.startswith("<")):
        meta = store.meta(shard)
        if meta.get("layout"):
            layouts.append(meta["layout"])
            attrs = meta.get("attrs", {}) if attrs is None else attrs
    if not layouts:
        first = frames[sorted(frames)[0]]
        layouts = [column_layout(first)]
    return _merge_layouts(layouts), attrs or {}


def _entry_ranges(tokens: pd.DataFrame, subset: pd.DataFrame, entries: list[str]) -> dict[str, tuple[int, int]]:
    doc_codes = tokens["doc_id"].astype(str).to_numpy()
    boundaries = np.flatnonzero(np.r_[True, doc_codes[1:] != doc_codes[:-1], True]) if len(doc_codes) else np.array([0])
    starts = {}
    for left, right in zip(boundaries[:-1], boundaries[1:]):
        starts.setdefault(doc_codes[left], (int(left), int(right)))
    return {entry: starts.get(str(doc_id), (0, 0)) for entry, doc_id in zip(entries, subset["doc_id"])}


def _needed_rows(frames: dict[str, pd.DataFrame], wanted: list[tuple[str, int, int]]):
    """Each frame cut to the rows ``wanted`` asks for, and ``wanted`` renumbered into the cut frames: a few
    articles taken from a large shard then cost their own rows, not the shard's."""
    ranges: dict[str, list[tuple[int, int]]] = {}
    for shard, start, end in wanted:
        ranges.setdefault(shard, []).append((start, end))
    cut, offsets = {}, {}
    for shard, spans in ranges.items():
        frame = frames[shard]
        keep = np.zeros(len(frame), dtype=bool)
        for start, end in spans:
            keep[start:end] = True
        rows = np.flatnonzero(keep)
        if len(rows) == len(frame):
            cut[shard], offsets[shard] = frame, None
        else:
            cut[shard], offsets[shard] = frame.iloc[rows], rows
    renumbered = []
    for shard, start, end in wanted:
        rows = offsets[shard]
        if rows is None or start == end:
            renumbered.append((shard, start, end) if rows is None else (shard, 0, 0))
        else:
            first = int(np.searchsorted(rows, start))
            renumbered.append((shard, first, first + (end - start)))
    return cut, renumbered


def _assemble(entries: list[str], locations: dict[str, tuple[str, int, int]], frames: dict[str, pd.DataFrame],
              layout: list[list], doc_ids: list[str]) -> pd.DataFrame:
    """The rows of ``entries`` in order, taken from ``frames`` at ``locations``, rebuilt to ``layout`` (so a cold
    and a warm cache give identical frames, categoricals in the order the computing function gives them)."""
    wanted = [locations[e] for e in entries]
    frames, wanted = _needed_rows(frames, wanted)
    names = sorted(frames)
    base = dict(zip(names, np.cumsum([0] + [len(frames[n]) for n in names[:-1]]).tolist()))
    pieces = [np.arange(base[shard] + start, base[shard] + end) for shard, start, end in wanted]
    take = np.concatenate(pieces) if pieces else np.array([], dtype=np.int64)
    columns = {}
    for column, dtype, orders, categories_dtype in layout:
        parts = [frames[n][column] for n in names]
        if dtype == "category":
            columns[column] = _categorical(parts, take, orders, categories_dtype, doc_ids)
        else:
            values = np.concatenate([p.to_numpy() for p in parts])[take] if parts else np.array([])
            columns[column] = pd.Series(values).astype(dtype) if str(values.dtype) != dtype else values
    return pd.DataFrame(columns)


# ---- per-article statistics --------------------------------------------------------------------------------

def _doc_blocks(table: pd.DataFrame) -> list[tuple[str, int, int]]:
    """``(doc_id, start, end)`` of each run of rows with one ``doc_id``; refuses a table whose articles interleave."""
    from helpers.stats.counts import _strings

    doc_ids = _strings(table["doc_id"])
    if not len(doc_ids):
        return []
    edges = np.flatnonzero(np.r_[True, doc_ids[1:] != doc_ids[:-1], True])
    blocks = [(doc_ids[left], int(left), int(right)) for left, right in zip(edges[:-1], edges[1:])]
    if len({b[0] for b in blocks}) != len(blocks):
        raise ValueError("cached_per_article: the rows of an article must be contiguous (sort by doc_id first)")
    return blocks


def cached_per_article(func: Callable[..., pd.DataFrame], table: pd.DataFrame, *, progress: bool = True,
                       cache: str | os.PathLike | None = None, **options) -> pd.DataFrame:
    """``func(table, **options)`` for a *per-article* statistic, cached per article: only new articles are computed.

    ``func`` must compute each article's rows from that article's rows of ``table`` alone (article lengths,
    per-article term counts, sentence sentiment; not TF-IDF, whose idf needs the whole corpus) and return a frame
    with a ``doc_id`` column. The key is the article's rows of ``table``, ``options`` and the source of the helpers
    modules ``func`` depends on. The result holds each article's rows in the order the articles come in ``table``.

    >>> def counts(tokens):
    ...     return tokens.groupby(["doc_id", "term"], observed=True).size().rename("n").reset_index()
    >>> tokens = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["drug", "drug", "libya"]})
    >>> folder = tempfile.mkdtemp()
    >>> cached_per_article(counts, tokens, cache=folder, progress=False).values.tolist()
    [['a', 'drug', 2], ['b', 'libya', 1]]
    >>> cached_per_article(counts, tokens, cache=folder, progress=False).attrs["cache"]["computed"]
    0
    """
    blocks = _doc_blocks(table)
    row_hashes = pd.util.hash_pandas_object(table, index=False).to_numpy()
    name = f"{getattr(func, '__module__', '')}.{getattr(func, '__qualname__', repr(func))}"
    settings = {"function": name, "options": options, "columns": [str(c) for c in table.columns],
                "code": code_fingerprint(func) if inspect.getmodule(func) else ""}
    key = settings_key("per-article", settings)
    store = ArticleStore(Path(cache or cache_dir()) / "per-article" / key)
    if not (store.folder / "settings.json").exists():
        _write_json(store.folder / "settings.json", settings)
    entries = [_sha256_bytes(doc.encode() + row_hashes[start:end].tobytes())[:32] for doc, start, end in blocks]
    index = store.index()
    missing = [i for i, entry in enumerate(entries) if entry not in index]
    frames: dict[str, pd.DataFrame] = {}
    fresh: dict[str, tuple[str, int, int]] = {}
    fresh_meta: list[tuple[list, dict]] = []
    batches = [missing[i:i + SHARD_ARTICLES] for i in range(0, len(missing), SHARD_ARTICLES)]
    for number, batch in enumerate(_progress(batches, desc=name.rsplit(".", 1)[-1], unit="batch",
                                             disable=not progress or not batches)):
        rows = np.concatenate([np.arange(blocks[i][1], blocks[i][2]) for i in batch])
        result = func(table.iloc[rows], **options)
        if "doc_id" not in result.columns:
            raise ValueError(f"cached_per_article: {name} returned no doc_id column")
        order = {blocks[i][0]: rank for rank, i in enumerate(batch)}
        result = result.iloc[np.argsort(result["doc_id"].astype(str).map(order).to_numpy(), kind="stable")]
        result = result.reset_index(drop=True)
        batch_docs = [blocks[i][0] for i in batch]
        fresh_meta.append((column_layout(result, batch_docs), {}))
        spans = {doc: (start, end) for doc, start, end in _doc_blocks(result)}
        ranges = {entries[i]: spans.get(blocks[i][0], (0, 0)) for i in batch}
        store.write(result, ranges, {"n_articles": len(batch), "doc_ids": batch_docs})
        frames[f"<fresh-{number:06d}>"] = result
        fresh.update({entry: (f"<fresh-{number:06d}>", start, end) for entry, (start, end) in ranges.items()})
    for shard in sorted({index[e][0] for e in entries if e not in fresh}):
        frames[shard] = store.read(shard)
    if not frames:
        return func(table, **options)
    layout, _ = _layout_and_attrs(store, frames, fresh_meta)
    result = _assemble(entries, {**index, **fresh}, frames, layout, [doc for doc, _, _ in blocks])
    result.attrs["cache"] = {"computed": len(missing), "reused": len(entries) - len(missing), "settings_key": key}
    return result


# ---- per-article label arrays (POS tags ...) ---------------------------------------------------------------

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
                except (OSError, ValueError, KeyError, EOFError, IndexError, TypeError, AttributeError,
                        pickle.UnpicklingError):
                    continue
        return self._known

    def get(self, keys: list[str]) -> dict:
        known = self._load()
        return {k: known[k] for k in keys if k in known}

    def put(self, fresh: dict) -> None:
        if not fresh:
            return
        known = self._load()
        stored = self._rows(fresh)
        known.update(stored)
        existing = self._files()
        chosen = known if len(existing) >= self.MAX_FILES else stored
        name = _sha256_bytes("\n".join(sorted(chosen)).encode() + str(time.time_ns()).encode())[:24] + self.SUFFIX
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

    def _read_file(self, file: Path) -> dict:
        return pickle.loads(file.read_bytes())

    def _write_file(self, tmp: Path, chosen: dict) -> None:
        tmp.write_bytes(pickle.dumps(chosen, protocol=pickle.HIGHEST_PROTOCOL))


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
