"""Shared fixtures: the seed article, the Wikinews sample (skipped with a reason when absent), a no-NLTK-data world,
and one execution of every notebook on the sample, shared by all notebook-output tests.

Under CI (``CI=true``) nothing that CI can run may skip: the session stops at its start, naming what is missing (a
sample, a resource of the NLTK mirror, chromium), and the skip helpers of ``needs.py`` fail instead of skipping."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

import helpers  # noqa: E402
from helpers import resources
from helpers.settings import ARTICLES_DIR, SAMPLE_PATH  # noqa: E402
from needs import missing_for_ci, need_resource, skip_or_fail, under_ci  # noqa: E402

# Doctests that show what an NLTK resource gives: skipped, with the reason, on a machine without it.
DOCTESTS_NEEDING = {"helpers.stats.tone.sentiment": "vader_lexicon"}


def pytest_configure(config):
    config.addinivalue_line("markers", "needs_resource(name): needs the NLTK resource; skips without it (fails "
                                       "under CI when it is one of the offline mirror)")


def pytest_sessionstart(session):
    if not under_ci():
        return
    missing = missing_for_ci()
    if missing:
        pytest.exit("CI=true and the run lacks what its tests need (they would skip):\n  - " + "\n  - ".join(missing)
                    + "\nCI needs ../shared beside the checkout (corpora/, nltk_data/) and chromium.", returncode=1)


def pytest_runtest_setup(item):
    for marker in item.iter_markers("needs_resource"):
        need_resource(*marker.args)
    resource = DOCTESTS_NEEDING.get(item.name)
    if resource:
        need_resource(resource)


@pytest.fixture(scope="session")
def seed_articles() -> pd.DataFrame:
    return helpers.load_articles(ARTICLES_DIR)


@pytest.fixture(scope="session")
def sample_path() -> Path:
    if not SAMPLE_PATH.exists():
        skip_or_fail(f"the Wikinews sample {SAMPLE_PATH.name} is not fetched (make sample-data; offline without "
                     "NEWSKIT_SAMPLE_URL)")
    return SAMPLE_PATH


@pytest.fixture(scope="session")
def sample_articles(sample_path) -> pd.DataFrame:
    return helpers.load_articles(ARTICLES_DIR, sample_path)


@pytest.fixture(scope="session")
def sample_tokens(sample_articles) -> pd.DataFrame:
    return helpers.tokenize(sample_articles)


@pytest.fixture
def no_nltk_data(monkeypatch):
    """A world with no NLTK data at all, as on a fresh air-gapped machine."""
    import nltk

    monkeypatch.setattr(nltk.data, "path", [])
    monkeypatch.delenv("NLTK_DATA", raising=False)
    monkeypatch.setattr(resources, "PROJECT_NLTK_DATA", Path("/nonexistent-newskit-nltk-data"))
    resources.find_resource.cache_clear()
    for cached in _resource_caches():
        cached.cache_clear()
    yield
    resources.find_resource.cache_clear()
    for cached in _resource_caches():
        cached.cache_clear()


def _resource_caches():
    """Module-level functools caches that depend on which NLTK data exists."""
    from helpers.text import normalise, stopwords, tokenizer

    return [f for module in (tokenizer, stopwords, normalise) for f in vars(module).values() if hasattr(f, "cache_clear")]


@pytest.fixture(scope="session")
def default_articles(sample_path) -> pd.DataFrame:
    """The articles a default run analyses: the seed article and every sample (each must be fetched)."""
    from helpers.settings import SAMPLES, default_sources, sample_path as path_of

    for sample in SAMPLES:
        if not path_of(sample).exists():
            skip_or_fail(f"the sample {sample.file_name} is not fetched (make sample-data; offline without "
                         "NEWSKIT_SAMPLES_MIRROR)")
    return helpers.load_articles(*default_sources())


@pytest.fixture(scope="session")
def notebook_run(tmp_path_factory, default_articles) -> Path:
    """Execute every notebook once on the default articles (the seed and every sample); return the run folder."""
    from helpers.runs.runner import run

    os.environ.setdefault("MPLBACKEND", "Agg")
    return run(out=tmp_path_factory.mktemp("reports") / "test-run")
