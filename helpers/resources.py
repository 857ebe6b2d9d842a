"""NLTK data: which resources the kit can use, where they were found, and the fallback in effect for each.

The kit never ends in NLTK's ``LookupError``: every resource below is optional and has a fallback.
``NLTK_DATA`` is honoured (NLTK reads it itself); the project's git-ignored ``.nltk_data/`` is searched too,
and that is where ``python -m helpers nltk-data`` downloads what is missing when the network allows.
"""

from __future__ import annotations

import functools
import socket
from dataclasses import dataclass

import nltk
import pandas as pd

from helpers.settings import PROJECT_NLTK_DATA


@dataclass(frozen=True)
class Resource:
    name: str
    path: str
    used_for: str
    fallback: str


RESOURCES = [
    Resource("punkt_tab", "tokenizers/punkt_tab/english/", "sentence splitting (pretrained English Punkt)",
             "Punkt trained unsupervised on the corpus, seeded with the kit's news abbreviations"),
    Resource("stopwords", "corpora/stopwords/", "English stopword list",
             "scikit-learn's built-in English stopword list"),
    Resource("averaged_perceptron_tagger_eng", "taggers/averaged_perceptron_tagger_eng/", "part-of-speech tags",
             "no POS tags: entities from corpus capitalisation, keyphrases delimited by stopwords (RAKE)"),
    Resource("maxent_ne_chunker_tab", "chunkers/maxent_ne_chunker_tab/english_ace_multiclass/",
             "typed entities (PERSON, ORGANIZATION, GPE)", "entities are found but not typed"),
    Resource("words", "corpora/words/", "English word list (used by the entity chunker)", "not needed without the chunker"),
    Resource("wordnet", "corpora/wordnet/", "WordNet lemmatisation", "no lemmatisation (Snowball stemming is available)"),
    Resource("vader_lexicon", "sentiment/vader_lexicon.zip", "VADER sentiment", "no sentiment scores"),
    Resource("brown", "corpora/brown/", "Brown corpus as an external keyness reference",
             "keyness against groups of the corpus or a user's frequency list only"),
]
RESOURCE_NAMES = [r.name for r in RESOURCES]
DOWNLOAD_HOST = ("raw.githubusercontent.com", 443)


def configure_nltk_path() -> None:
    """Add the project's ``.nltk_data`` folder to NLTK's search path (after ``NLTK_DATA``)."""
    folder = str(PROJECT_NLTK_DATA)
    if folder not in nltk.data.path:
        nltk.data.path.append(folder)


@functools.cache
def find_resource(name: str) -> str | None:
    """Where NLTK resource ``name`` was found, or ``None`` when it is absent.

    >>> find_resource("no_such_resource") is None
    True
    """
    resource = next((r for r in RESOURCES if r.name == name), None)
    if resource is None:
        return None
    configure_nltk_path()
    try:
        return str(nltk.data.find(resource.path))
    except LookupError:
        return None


def has_resource(name: str) -> bool:
    """True when NLTK resource ``name`` is available; False for an absent one, or a name the kit does not know.

    >>> has_resource("no_such_resource")
    False
    """
    return find_resource(name) is not None


def resource_status() -> pd.DataFrame:
    """One row per NLTK resource: whether it was found, where, what it is for, and the fallback in effect.

    >>> list(resource_status().columns)
    ['resource', 'found', 'location', 'used_for', 'fallback_in_effect']
    """
    rows = []
    for r in RESOURCES:
        location = find_resource(r.name)
        rows.append({"resource": r.name, "found": location is not None, "location": location or "",
                     "used_for": r.used_for, "fallback_in_effect": "" if location else r.fallback})
    return pd.DataFrame(rows)


def network_available(timeout: float = 3.0) -> bool:
    """True when NLTK's download host answers within ``timeout`` seconds."""
    try:
        with socket.create_connection(DOWNLOAD_HOST, timeout=timeout):
            return True
    except OSError:
        return False


def ensure_nltk_data(names: list[str] | None = None, *, download: bool = True) -> pd.DataFrame:
    """Download missing resources into the project's ``.nltk_data`` when online; never fails offline.

    Returns :func:`resource_status` afterwards.

    >>> ensure_nltk_data(download=False)["resource"].tolist() == RESOURCE_NAMES
    True
    """
    missing = [n for n in (names or RESOURCE_NAMES) if not has_resource(n)]
    if missing and download:
        if network_available():
            PROJECT_NLTK_DATA.mkdir(parents=True, exist_ok=True)
            for name in missing:
                nltk.download(name, download_dir=str(PROJECT_NLTK_DATA), quiet=True, raise_on_error=False)
            find_resource.cache_clear()
        else:
            print(f"nltk-data: offline, not downloading {', '.join(missing)}; the kit uses its fallbacks for them.")
    return resource_status()


configure_nltk_path()
