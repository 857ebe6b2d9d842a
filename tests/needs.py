"""What a test needs from the machine (a sample, an NLTK resource, chromium), and what happens when it is missing:
on a user's machine the test skips with the reason; under CI (``CI=true``) it fails, naming what is missing, so a
moved ``../shared`` cannot turn a fifth of the suite into green skips.

The checks ask NLTK, the file system and ``PATH`` directly, not the kit's own resource table, so a test's expected
value never comes from the code under test."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

# The offline NLTK mirror every CI run has at ../shared/nltk_data: resource name -> path as nltk.data.find takes it.
NLTK_MIRROR = {
    "stopwords": "corpora/stopwords/",
    "words": "corpora/words/",
    "brown": "corpora/brown/",
    "inaugural": "corpora/inaugural/",
    "state_union": "corpora/state_union/",
    "vader_lexicon": "sentiment/vader_lexicon.zip",
    "averaged_perceptron_tagger_eng": "taggers/averaged_perceptron_tagger_eng/",
}
# Resources outside the mirror: tests needing them skip, under CI too (CI cannot run them).
NLTK_OTHER = {"punkt_tab": "tokenizers/punkt_tab/english/", "maxent_ne_chunker_tab":
              "chunkers/maxent_ne_chunker_tab/english_ace_multiclass/", "wordnet": "corpora/wordnet/"}


def under_ci() -> bool:
    """True when the run is CI's (``CI`` set to true, 1 or yes, as CI services and ``.ci/run`` set it)."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def skip_or_fail(reason: str) -> None:
    """Skip with ``reason`` on a user's machine; under CI, fail with it: CI must run every test it can."""
    if under_ci():
        pytest.fail(f"CI cannot skip this test: {reason}", pytrace=False)
    pytest.skip(reason)


def nltk_finds(name: str) -> bool:
    """Whether NLTK itself finds resource ``name`` (a name of :data:`NLTK_MIRROR` or :data:`NLTK_OTHER`) on its
    search path, the kit's project folder included."""
    import nltk

    from helpers.settings import PROJECT_NLTK_DATA

    path = {**NLTK_MIRROR, **NLTK_OTHER}[name]
    search = [*nltk.data.path, str(PROJECT_NLTK_DATA)]
    try:
        nltk.data.find(path, paths=search)
    except LookupError:
        return False
    return True


def need_resource(name: str) -> None:
    """Go on when NLTK finds ``name``; else skip (user) or fail (CI, for a resource of the mirror)."""
    if nltk_finds(name):
        return
    reason = f"the NLTK resource {name} is absent"
    if name in NLTK_MIRROR:
        skip_or_fail(f"{reason} (CI has it in ../shared/nltk_data; set NLTK_DATA)")
    pytest.skip(f"{reason}; it is not in the offline mirror, so CI skips this too")


def chromium_missing() -> str | None:
    """Why the headless-browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        return "Debian's chromium is not installed (apt-get install -y chromium; .ci/run installs it)"
    return None


def sample_files() -> list[Path]:
    """The default samples a run analyses, each where ``make sample-data`` puts it."""
    from helpers import settings as config

    return [config.sample_path(sample) for sample in config.SAMPLES]


def missing_for_ci() -> list[str]:
    """Everything a CI run needs and does not have, one line each (empty when nothing is missing)."""
    missing = [f"sample {path} (make sample-data: ../shared/corpora/{path.name} is absent or unreadable)"
               for path in sample_files() if not path.is_file()]
    absent = [name for name in NLTK_MIRROR if not nltk_finds(name)]
    if absent:
        missing.append(f"NLTK mirror resources {', '.join(absent)} (NLTK_DATA={os.environ.get('NLTK_DATA', '')!r}; "
                       "expected in ../shared/nltk_data)")
    browser = chromium_missing()
    if browser:
        missing.append(f"chromium: {browser}")
    return missing


def benchmark_module(name: str):
    """A script of ``benchmarks/`` imported as a module, so a test measures with the benchmark's own scorer."""
    path = Path(__file__).resolve().parents[1] / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
