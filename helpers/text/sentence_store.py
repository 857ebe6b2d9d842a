"""Sentence models kept in the cache folder (``sentence-models/``): stored, read back, and chosen for a run.

With ``punkt_tab`` present the pretrained English model splits sentences, and an article's tokens depend on that
article alone. Without it Punkt is trained on the corpus, so the tokens of an old article could change whenever
articles are added; a per-article cache could then not be exact. The kit therefore *pins* the corpus-trained
model (policy ``pinned``): it is trained on the corpus the first time, stored in the cache by the hash of its
parameters, and reused while the corpus holds between half and twice the text it was trained on; outside that
range it is retrained on the current corpus (and every article is re-tokenised, since the model hash is part of
the token cache's key); a retrained model replaces the pinned one only when its corpus is larger. With the
``corpus`` policy it is trained on the articles at every call, exactly as ``tokenize`` does.
``NEWSKIT_SENTENCE_MODEL`` (a stored model's path) or ``sentence_model=`` pin one explicitly.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
import tempfile  # noqa: F401  (used by the doctests)
from pathlib import Path

import pandas as pd

from helpers.resources import find_resource, has_resource
from helpers.settings import cache_dir, sentence_model_file, sentence_policy_setting
from helpers.store.files import atomic_write, bytes_sha256, file_sha256, write_json
from helpers.store.keys import code_fingerprint, settings_key
from helpers.text import sentences

RETRAIN_BELOW, RETRAIN_ABOVE = 0.5, 2.0


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
    return bytes_sha256(json.dumps(_params_payload(splitter), sort_keys=True).encode())[:16]


def save_sentence_model(splitter, path: str | os.PathLike, **info) -> Path:
    """Pickle a sentence model atomically (with ``info`` in a JSON file beside it); :func:`load_sentence_model`
    reads it back. Any picklable splitter works: NLTK's Punkt or the kit's own model class.

    >>> from nltk.tokenize.punkt import PunktSentenceTokenizer
    >>> path = save_sentence_model(PunktSentenceTokenizer(), Path(tempfile.mkdtemp()) / "m.pkl", n_articles=1)
    >>> json.loads(path.with_suffix(".json").read_text())["n_articles"]
    1
    """
    path = Path(path)
    atomic_write(path, lambda tmp: tmp.write_bytes(pickle.dumps(splitter, protocol=pickle.HIGHEST_PROTOCOL)))
    write_json(path.with_suffix(".json"), {"fingerprint": model_fingerprint(splitter), "sha256": file_sha256(path),
                                           **info})
    return path


class StoredModel:
    """A stored sentence model known by the fingerprint noted beside it, unpickled by :meth:`load` when first needed:
    a cache hit needs only the fingerprint (the token cache's key), and unpickling imports NLTK (~1 s)."""

    def __init__(self, path: Path, fingerprint: str):
        self.path, self.fingerprint, self._model, self._stored = Path(path), fingerprint, None, None

    def load(self):
        if self._model is None:
            self._model = pickle.loads(self._stored) if self._stored is not None else load_sentence_model(self.path)
        return self._model

    def __getstate__(self) -> dict:
        """Sent to another process (a Dask worker, perhaps on a machine without this file): the file's bytes go
        with it, still unpickled only where an article needs tokenising."""
        state = dict(self.__dict__)
        if state["_model"] is None and state["_stored"] is None:
            state["_stored"] = self.path.read_bytes()
        return state


def loaded(model):
    """The model itself for a :class:`StoredModel`, else ``model``."""
    return model.load() if isinstance(model, StoredModel) else model


def noted_fingerprint(path: str | os.PathLike) -> str | None:
    """The fingerprint noted beside a model stored by :func:`save_sentence_model`, when the note's content hash
    is the file's (the file is the one noted); else None (unpickle it to know).

    >>> from nltk.tokenize.punkt import PunktSentenceTokenizer
    >>> p = save_sentence_model(PunktSentenceTokenizer(), Path(tempfile.mkdtemp()) / "m.pkl")
    >>> noted_fingerprint(p) == model_fingerprint(load_sentence_model(p))
    True
    """
    path = Path(path)
    try:
        note = json.loads(path.with_suffix(".json").read_text())
        return note["fingerprint"] if note.get("sha256") == file_sha256(path) else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _note_content_hash(path: Path, fingerprint: str) -> None:
    """Add the file's content hash to the note of a model stored before notes held it (a model of the cache,
    just read and checked against its fingerprint), so that later calls need not unpickle it."""
    try:
        note = json.loads(path.with_suffix(".json").read_text())
    except (OSError, ValueError):
        return
    if isinstance(note, dict) and note.get("fingerprint") == fingerprint and "sha256" not in note:
        write_json(path.with_suffix(".json"), {**note, "sha256": file_sha256(path)})


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
    trainer = sys.modules.get(getattr(sentences.sentence_splitter, "__module__", "") or "")
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
    chosen = sentence_policy_setting() or ("corpus" if _training_is_bounded() else "pinned")
    if chosen not in {"corpus", "pinned"}:
        raise ValueError(f"NEWSKIT_SENTENCE_POLICY={chosen!r}: use 'corpus' or 'pinned'")
    return chosen


def _punkt_tab_present() -> bool:
    return has_resource("punkt_tab")


def resolve_sentence_model(articles: pd.DataFrame, *, cache: str | os.PathLike | None = None,
                           retrain: bool = False, lazy: bool = False) -> tuple[object, dict]:
    """The sentence model a cached tokenisation of ``articles`` uses, and a record of it for the manifest.

    Order: ``NEWSKIT_SENTENCE_MODEL`` (a stored model) → pretrained ``punkt_tab`` → with the ``corpus`` policy
    (:func:`sentence_policy`) a model trained on ``articles`` now; with ``pinned``, the cache's pinned
    corpus-trained model while the corpus holds 0.5–2× the text it was trained on (else, or with ``retrain``,
    a model trained on ``articles`` now, and pinned unless the corpus is smaller than the pinned model's, so
    tokenising a small subset never unpins the model of the whole corpus). With ``lazy``, a stored model whose
    fingerprint is noted beside it comes as a :class:`StoredModel` (unpickled when first used).

    >>> from unittest import mock
    >>> from nltk.tokenize.punkt import PunktSentenceTokenizer
    >>> stored = save_sentence_model(PunktSentenceTokenizer(), Path(tempfile.mkdtemp()) / "m.pkl")
    >>> articles = pd.DataFrame({"doc_id": ["a"], "text": ["Mr. Smith met Dr. Jones. They talked."]})
    >>> with mock.patch.dict(os.environ, {"NEWSKIT_SENTENCE_MODEL": str(stored)}):
    ...     model, info = resolve_sentence_model(articles, cache=tempfile.mkdtemp())
    >>> info["kind"], info["path"] == str(stored)
    ('given', True)
    """
    given = sentence_model_file()
    if given:
        noted = noted_fingerprint(given) if lazy else None
        model = StoredModel(given, noted) if noted else load_sentence_model(given)
        return model, {"kind": "given", "path": given, "fingerprint": model_fingerprint(model)}
    if _punkt_tab_present():
        model = sentences.sentence_splitter([])
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
                                               lazy=lazy, n_chars=n_chars, n_articles=len(articles))
    record = {"fingerprint": model_path.stem, "n_chars": n_chars, "n_articles": len(articles)}
    if policy == "pinned" and (retrain or pinned is None or n_chars > pinned.get("n_chars", 0)):
        write_json(pinned_path, record)
    return model, {"kind": "trained on this corpus", **record, "path": str(model_path)}


def trained_sentence_model(texts: list[str], *, cache: str | os.PathLike | None = None, reuse: bool = True,
                           lazy: bool = False, **info) -> tuple[object, Path]:
    """Punkt trained on ``texts`` (:func:`helpers.text.sentences.sentence_splitter`) and the file it is stored in, under the
    cache's ``sentence-models/`` by fingerprint (``info`` is written beside it).

    Punkt trains on a bounded prefix of the texts (:func:`helpers.text.sentences.training_chunks`), deterministically,
    so with ``reuse`` the model an earlier call trained on the same training text is read back instead of trained
    again: every notebook of a run, and a rerun whose first articles are unchanged, share one training (with
    ``lazy``, as a :class:`StoredModel` when its fingerprint is noted beside it).

    >>> folder = tempfile.mkdtemp()
    >>> first, path = trained_sentence_model(["Mr. Smith met Dr. Jones. They talked."], cache=folder)
    >>> again, same_path = trained_sentence_model(["Mr. Smith met Dr. Jones. They talked."], cache=folder)
    >>> same_path == path and model_fingerprint(again) == model_fingerprint(first)
    True
    """
    folder = Path(cache or cache_dir()) / "sentence-models"
    record = _training_record(folder, texts) if _training_is_bounded() else None
    model = _trained_before(folder, record, lazy=lazy) if reuse and record is not None else None
    if model is None:
        model = sentences.sentence_splitter(texts)
    path = folder / f"{model_fingerprint(model)}.pkl"
    if not path.exists():
        save_sentence_model(model, path, **info)
    elif not isinstance(model, StoredModel) and noted_fingerprint(path) is None:
        _trained_before(folder, None, fingerprint=path.stem)  # a model stored before notes held its hash
    if record is not None:
        write_json(record, {"fingerprint": path.stem})
    return model, path


def _training_record(folder: Path, texts: list[str]) -> Path:
    """Where the fingerprint of the model trained on these texts' training text is noted."""
    digest = hashlib.sha256()
    for chunk in sentences.training_chunks(texts):
        digest.update(chunk.encode("utf-8", "surrogatepass") + b"\0")
    key = settings_key("sentence-training", {
        "text": digest.hexdigest(), "code": code_fingerprint(sentences.sentence_model),
        "lists": bytes_sha256("\n".join(sorted(sentences.news_abbreviations() | sentences.news_titles())).encode())})
    return folder / "trained" / f"{key}.json"


def _trained_before(folder: Path, record: Path | None, *, lazy: bool = False, fingerprint: str | None = None):
    """The model noted in ``record`` (see :func:`_training_record`) or of ``fingerprint``, or None. A model read
    and found to be the one of its fingerprint gets the file's hash in its note."""
    try:
        fingerprint = fingerprint or json.loads(record.read_text())["fingerprint"]
        path = folder / f"{fingerprint}.pkl"
        if lazy and noted_fingerprint(path) == fingerprint:
            return StoredModel(path, fingerprint)
        model = load_sentence_model(path)
    except (OSError, ValueError, KeyError, TypeError, EOFError, pickle.UnpicklingError, AttributeError):
        return None
    if model_fingerprint(model) != fingerprint:
        return None
    _note_content_hash(path, fingerprint)
    return model
