"""The evidence the entity rules weigh: how often the corpus (and the Brown corpus, as a prior) writes a word
capitalised mid-sentence, kept per article and summed for the corpus, and the perceptron tagger's POS tags.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import pickle
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.settings import CACHE_DIR
from helpers.frames import strings as _strings
from helpers.resources import find_resource, has_resource
from helpers.stats.name_lists import _HEADS, _has_letter


def _brown_capitalisation() -> dict[str, tuple[int, int]]:
    """Mid-sentence (capitalised, lowercase) counts per lowercased word in the Brown corpus ({} when absent)."""
    location = find_resource("brown")
    return {} if location is None else _brown_counts(location)


@functools.cache
def _brown_counts(location: str) -> dict[str, tuple[int, int]]:
    """The counts for the Brown corpus found at ``location``, cached in memory and on disk."""
    cache = CACHE_DIR / "brown-capitalisation.json"
    try:
        stored = json.loads(cache.read_text())
        if stored.get("source") == location:
            return {w: tuple(c) for w, c in stored["counts"].items()}
    except (OSError, ValueError, KeyError):
        pass
    from nltk.corpus import brown

    capitalised, lowercase = Counter(), Counter()
    for sentence in brown.sents():
        for word in sentence[1:]:
            if word[:1].isupper():
                capitalised[word.lower()] += 1
            elif word[:1].islower():
                lowercase[word] += 1
    counts = {w: (capitalised[w], lowercase[w]) for w in capitalised.keys() | lowercase.keys()}
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps({"source": location, "counts": counts}))
    except OSError:
        pass
    return counts


def _pos_tags(tokens: pd.DataFrame, cache=None) -> np.ndarray | None:
    """The token table's ``pos`` column, or perceptron tags per sentence when the tagger is present, else None.

    ``tokens`` must hold each article's rows together. With ``cache`` (see :func:`entities`) each article's tags
    are kept, keyed by its words and sentence breaks, the tagger and the NLTK version: tagging is most of the
    time :func:`entities` takes, and a sentence's tags depend on that sentence alone.
    """
    if "pos" in tokens.columns:
        return tokens["pos"].astype(str).to_numpy()
    if not has_resource("averaged_perceptron_tagger_eng"):
        return None
    words = _strings(tokens["token"])
    keys = _strings(tokens["doc_id"]), tokens["sentence"].to_numpy()
    boundaries = np.flatnonzero((keys[0][1:] != keys[0][:-1]) | (keys[1][1:] != keys[1][:-1])) + 1
    if cache is None:
        from nltk.tag import PerceptronTagger

        sentences = [list(s) for s in np.split(words, boundaries)]
        return np.array([tag for sentence in PerceptronTagger().tag_sents(sentences) for _, tag in sentence],
                        dtype=object)
    store = _tag_store(cache)
    doc_edges = np.r_[0, np.flatnonzero(keys[0][1:] != keys[0][:-1]) + 1, len(words)]
    blocks = list(zip(doc_edges[:-1].tolist(), doc_edges[1:].tolist())) if len(words) else []
    block_keys = []
    for left, right in blocks:
        digest = hashlib.sha256("\x1f".join(words[left:right]).encode())
        digest.update(np.ascontiguousarray(keys[1][left:right], dtype=np.int64).tobytes())
        block_keys.append(digest.hexdigest()[:32])
    known = store.get(block_keys)
    missing = [i for i, key in enumerate(block_keys) if key not in known]
    if missing:
        sentences, owners = [], []
        for i in missing:
            left, right = blocks[i]
            inner = boundaries[np.searchsorted(boundaries, left, side="right"):np.searchsorted(boundaries, right)] - left
            for sentence in np.split(words[left:right], inner):
                sentences.append(list(sentence))
                owners.append(i)
        from nltk.tag import PerceptronTagger  # here: importing NLTK takes 1.2-1.5 s; a cache hit needs none

        tagged = PerceptronTagger().tag_sents(sentences)
        fresh: dict[str, list[str]] = {}
        for i, sentence in zip(owners, tagged):
            fresh.setdefault(block_keys[i], []).extend(tag for _, tag in sentence)
        store.put(fresh)
        known.update({k: np.asarray(v, dtype=object) for k, v in fresh.items()})
    parts = [known[key] for key in block_keys]
    return np.concatenate(parts).astype(object) if parts else np.array([], dtype=object)


def tagger_settings() -> dict:
    """What decides the perceptron tags of a sentence: the tagger's data, NLTK's version and :func:`_pos_tags`."""
    from importlib import metadata

    return {"tagger": find_resource("averaged_perceptron_tagger_eng"), "nltk": metadata.version("nltk"),
            "code": hashlib.sha256(inspect.getsource(_pos_tags).encode()).hexdigest()[:16]}


def _tag_store(cache):
    from helpers.settings import cache_dir
    from helpers.store.article_values import ArticleLabels
    from helpers.store.keys import settings_key

    folder = Path(cache_dir() if cache is True else cache) / "pos-tags" / settings_key("pos-tags", tagger_settings())
    return ArticleLabels(folder)


class _Evidence:
    """How often each word is written capitalised mid-sentence: share = (c + w·c_Brown) / (n + w·n_Brown)."""

    BROWN_WEIGHT = 0.1

    def __init__(self, capitalised: Counter, lowercase: Counter):
        self.capitalised, self.lowercase = capitalised, lowercase
        self.brown = _brown_capitalisation()

    def share(self, low: str) -> float | None:
        c, n = self.capitalised[low], self.capitalised[low] + self.lowercase[low]
        bc, bl = self.brown.get(low, (0, 0))
        # Brown counts as a tenth of its occurrences, but as at least two when it has the word: one capitalised
        # "Memorandum" in a corpus does not make a word Brown writes in lower case a name. Name heads
        # ("Directorate") keep the tenth: capitalised, they are the head of the name they end.
        weight = self.BROWN_WEIGHT * (bc + bl)
        if low not in _HEADS:
            weight = max(weight, min(bc + bl, 2))
        denominator = n + weight
        return None if denominator == 0 else (c + weight * bc / max(bc + bl, 1)) / denominator


def _count_capitalisation(segments, capitalised: Counter, lowercase: Counter) -> None:
    """Add an article's evidence: mid-sentence words of running text, capitalised or not (see :class:`_Evidence`)."""
    for segment, kind, initial in segments:
        if kind != "normal":
            continue
        for index, unit in enumerate(segment):
            word = unit[0]
            if index in initial or not _has_letter(word) or (len(word) > 1 and word.isupper()):
                continue
            if word[:1].isupper():
                capitalised[word.lower()] += 1
            elif word[:1].islower():
                lowercase[word.lower()] += 1


class _ConsultedEvidence:
    """The corpus evidence, noting what each word's share told the rules: none, above one half, or not."""

    def __init__(self, evidence: _Evidence):
        self.evidence, self.seen = evidence, {}

    def share(self, low: str) -> float | None:
        value = self.evidence.share(low)
        self.seen[low] = _verdict(value)
        return value


def _verdict(share: float | None) -> bool | None:
    return None if share is None else share > 0.5


def _corpus_counts(folder: Path, current: set[str], counts_of) -> tuple[Counter, Counter]:
    """The corpus's capitalised and lower-case counts: the sums of ``counts_of(keys)`` (article key -> the
    article's two counts) over the ``current`` article keys. Worked out from the sums kept for the last set of
    articles, plus the added and minus the dropped articles' counts, when few changed (adding 10,000 articles'
    counts took 1.4 s); kept for next time."""
    path = folder / "corpus-counts.pickle"
    try:
        saved = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        saved = None
    if saved is not None and len(current ^ saved["keys"]) < len(current) // 2:
        dropped = saved["keys"] - current
        dropped_counts = counts_of(sorted(dropped))
        if len(dropped_counts) == len(dropped):
            capitalised, lowercase = saved["capitalised"], saved["lowercase"]
            for upper, lower in counts_of(sorted(current - saved["keys"])).values():
                capitalised.update(upper)
                lowercase.update(lower)
            for upper, lower in dropped_counts.values():
                capitalised.subtract(upper)
                lowercase.subtract(lower)
            if dropped:  # counts that fell to zero are as absent ones
                capitalised, lowercase = +capitalised, +lowercase
            if current != saved["keys"]:
                _save_corpus_counts(path, current, capitalised, lowercase)
            return capitalised, lowercase
    capitalised, lowercase = Counter(), Counter()
    for upper, lower in counts_of(sorted(current)).values():
        capitalised.update(upper)
        lowercase.update(lower)
    _save_corpus_counts(path, current, capitalised, lowercase)
    return capitalised, lowercase


def _save_corpus_counts(path: Path, keys: set[str], capitalised: Counter, lowercase: Counter) -> None:
    from helpers.store.files import atomic_write

    payload = pickle.dumps({"keys": keys, "capitalised": capitalised, "lowercase": lowercase},
                           protocol=pickle.HIGHEST_PROTOCOL)
    atomic_write(path, lambda tmp: tmp.write_bytes(payload))
