"""NLTK data: which resources the kit can use, where they were found, and the fallback in effect for each.

The kit never ends in NLTK's ``LookupError``: every resource below is optional and has a fallback.
``NLTK_DATA`` is honoured (NLTK reads it itself); the project's git-ignored ``.nltk_data/`` is searched too,
and that is where ``python -m helpers nltk-data`` downloads what is missing when the network allows.

Finding a resource does not import NLTK (a second, most of it scipy.stats, which NLTK imports): a kernel that reads
its tokens from the cache needs only to know which resources are there (the token cache's key names them). Until
NLTK is imported, :func:`find_resource` searches NLTK's folders the way ``nltk.data.find`` does (its order, its
``.zip`` fallback, the same location text), and hands any case it does not decide plainly to NLTK itself: a zip
file on the search path, a link, a folder or file another account could write (NLTK refuses those), a resource
NLTK may serve from Hugging Face's cache (when huggingface_hub is installed). Once NLTK is imported,
``nltk.data.find`` answers (a session's own ``nltk.data.path`` wins). ``tests/test_resources_search.py`` checks
both give the same answer.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import socket
import stat
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.settings import PROJECT_NLTK_DATA, nltk_search_path


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
    import nltk

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
    if "nltk" not in sys.modules:
        try:
            found = search_nltk_data(resource.path)
        except _AskNLTK:
            found = ""
        # One in the project's folder is loaded by NLTK later, from a path configure_nltk_path has to extend.
        if found is None or (found and not found.startswith(str(PROJECT_NLTK_DATA) + os.sep)):
            return found
    import nltk

    configure_nltk_path()
    try:
        return str(nltk.data.find(resource.path))
    except LookupError:
        return None


# Resources NLTK 3.10 also finds in Hugging Face's dataset cache (nltk.huggingface.dataset.REGISTRY) when
# huggingface_hub is installed.
_HUGGING_FACE_RESOURCES = {"stopwords"}
_MAX_ZIP_FALLBACK_DEPTH = 8  # nltk.data.MAX_ZIP_FALLBACK_DEPTH


class _AskNLTK(Exception):
    """A case :func:`search_nltk_data` leaves to ``nltk.data.find``."""


def search_nltk_data(path: str, folders: list[str] | None = None) -> str | None:
    """Where ``nltk.data.find(path)`` finds the resource ``path`` (a folder name ending in ``/`` or a file name, as in
    :data:`RESOURCES`), as the same text, or ``None``, without importing NLTK; raises ``_AskNLTK`` for a case it
    leaves to NLTK (see the module's note). ``folders``: NLTK's search path (default :func:`nltk_search_path`).

    >>> search_nltk_data("corpora/no_such_corpus/", folders=[]) is None
    True
    """
    folders = nltk_search_path() if folders is None else folders
    if folders is None:
        raise _AskNLTK("Windows")
    found = _search(path, folders)
    if found is None and ".zip" not in path:  # nltk.data.find's second try: corpora/x/ as corpora/x.zip/x/
        pieces = path.split("/")
        for i in range(min(len(pieces), _MAX_ZIP_FALLBACK_DEPTH)):
            found = _search("/".join(pieces[:i] + [pieces[i] + ".zip"] + pieces[i:]), folders)
            if found is not None:
                break
    if found is None and path.split("/")[1:2] and path.split("/")[1].removesuffix(".zip") in _HUGGING_FACE_RESOURCES \
            and importlib.util.find_spec("huggingface_hub") is not None:  # NLTK looks in its cache only with it
        raise _AskNLTK(path)
    return found


def corpus_file_without_nltk(corpus: str, fileid: str) -> bytes | None:
    """The bytes of ``fileid`` in NLTK's corpus ``corpus`` (``corpora/<corpus>``), from where ``nltk.corpus``'s
    loader finds it (a folder ``corpora/<corpus>``, else ``corpora/<corpus>.zip``), without importing NLTK; ``None``
    when NLTK is imported, or the corpus is absent or in a place NLTK decides (then read it with ``nltk.corpus``).

    >>> corpus_file_without_nltk("no_such_corpus", "english") is None
    True
    """
    if "nltk" in sys.modules:
        return None
    try:
        root = search_nltk_data(f"corpora/{corpus}") or search_nltk_data(f"corpora/{corpus}.zip/{corpus}/")
        if root is None:
            return None
        if os.path.isdir(root):
            return (Path(root) / fileid).read_bytes()
        archive, _, entry = root.partition(".zip" + os.sep)
        with zipfile.ZipFile(archive + ".zip") as opened:
            return opened.read(f"{entry}/{fileid}")
    except (_AskNLTK, OSError, KeyError, zipfile.BadZipFile):
        return None

def _search(path: str, folders: list[str]) -> str | None:
    archive, has_zip, entry = path.partition(".zip")
    archive, entry = (archive + ".zip", entry.removeprefix("/")) if has_zip else (None, "")
    for folder in folders:
        if os.path.isfile(folder) and folder.endswith(".zip"):
            raise _AskNLTK(folder)
        if not os.path.isdir(folder):
            continue
        _private(folder)
        target = os.path.join(folder, archive or path)
        if not os.path.exists(target):
            continue
        for parent in _folders_between(folder, target):
            _private(parent)
        if archive is None:
            _private(target.rstrip(os.sep), every_entry=True)
            return os.path.abspath(target)
        _private(target)
        try:
            with zipfile.ZipFile(os.path.abspath(target)) as archive_file:
                names = archive_file.namelist()
        except (OSError, zipfile.BadZipFile) as error:
            raise _AskNLTK(target) from error
        if entry and entry not in names and not (entry.endswith("/") and any(n.startswith(entry) for n in names)):
            continue
        return os.path.normpath(os.path.join(os.path.abspath(target), entry))
    return None


def _folders_between(folder: str, target: str) -> list[str]:
    relative = os.path.relpath(os.path.dirname(target), folder)
    parts = [] if relative == os.curdir else relative.split(os.sep)
    return [os.path.join(folder, *parts[:i + 1]) for i in range(len(parts))]


def _private(path: str, *, every_entry: bool = False) -> None:
    """Raise ``_AskNLTK`` unless ``path`` (and with ``every_entry`` everything under it) is no link and is owned by
    this account or root with no group or world write bit: where NLTK would refuse, or judge a link, NLTK decides."""
    entries, unlisted = [path], []
    if every_entry and os.path.isdir(path):
        for current, dirs, files in os.walk(path, onerror=unlisted.append):
            entries += [os.path.join(current, name) for name in dirs + files]
    if unlisted:  # a folder it cannot list: NLTK judges that
        raise _AskNLTK(unlisted[0])
    for entry in entries:
        try:
            st = os.lstat(entry)
        except OSError as error:
            raise _AskNLTK(entry) from error
        if stat.S_ISLNK(st.st_mode) or st.st_uid not in (os.geteuid(), 0) or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise _AskNLTK(entry)


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
            import nltk

            PROJECT_NLTK_DATA.mkdir(parents=True, exist_ok=True)
            for name in missing:
                nltk.download(name, download_dir=str(PROJECT_NLTK_DATA), quiet=True, raise_on_error=False)
            find_resource.cache_clear()
        else:
            print(f"nltk-data: offline, not downloading {', '.join(missing)}; the kit uses its fallbacks for them.")
    return resource_status()



if "nltk" in sys.modules:  # a session that imported NLTK first: it searches the project's folder too
    configure_nltk_path()
