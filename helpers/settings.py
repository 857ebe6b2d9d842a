"""Where things live: every path the kit uses, each overridable by an environment variable.

Paths are resolved from the project root (the folder holding ``pyproject.toml``), never from the
machine, so the kit works wherever it is cloned.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = PROJECT_ROOT / "data"
ARTICLES_DIR = DATA_DIR / "articles"
EXTERNAL_DIR = DATA_DIR / "external"
INTERIM_DIR = DATA_DIR / "interim"
PROCESSED_DIR = DATA_DIR / "processed"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = Path(os.environ.get("NEWSKIT_REPORTS", PROJECT_ROOT / "reports"))
CACHE_DIR = Path(os.environ.get("NEWSKIT_CACHE", PROJECT_ROOT / ".cache"))
PROJECT_NLTK_DATA = PROJECT_ROOT / ".nltk_data"


class Sample(NamedTuple):
    """A sample corpus the default run analyses once it is fetched into ``data/external/<file_name>``.

    ``url`` is pinned to one commit of the sample's public repository; ``credit`` is the full credit line (README,
    run report) and ``note`` its short form under charts.
    """

    file_name: str
    url: str
    sha256: str
    credit: str
    note: str

    @property
    def collection(self) -> str:
        """The collection its articles get (the file name without suffix), e.g. ``wikinews_2019``."""
        return Path(self.file_name).stem


WIKINEWS = Sample(
    file_name="wikinews_2019.csv",
    url="https://raw.githubusercontent.com/vanatteveldt/wikinews/"
        "b134aa9d261fe904f5c50a82b4d3cb001f8771bf/data/wikinews_2019.csv",
    sha256="d65f87b01244679d01c89ec15616fbd8413e7852732432d5895fa4db9b21ac9e",
    credit="Wikinews contributors, CC BY 2.5",
    note="Wikinews CC BY 2.5",
)
CONGRESS = Sample(
    file_name="congress_press_2024-11.jsonl",
    url="https://raw.githubusercontent.com/dwillis/congress-press/"
        "46d3cbc65898dee6b9a9cd6fc56ad6060e5da172/data/2024/2024-11.jsonl",
    sha256="6e9ec4538e0e8b1d8dc0484e55f0f7fb253fbbd48b39493b1cea6e7ff7b3f082",
    credit="U.S. congressional press releases, public domain; compiled by dwillis/congress-press",
    note="U.S. congressional press releases, public domain; compiled by dwillis/congress-press",
)
SAMPLES = (WIKINEWS, CONGRESS)

# the Wikinews sample under its earlier names (the runner, tests and benchmarks use them)
SAMPLE_URL_DEFAULT = WIKINEWS.url
SAMPLE_SHA256 = WIKINEWS.sha256
SAMPLE_PATH = EXTERNAL_DIR / WIKINEWS.file_name
SAMPLE_CREDIT = WIKINEWS.credit


def sample_path(sample: Sample = WIKINEWS) -> Path:
    """Where ``sample`` is kept once fetched: ``data/external/<file name>``.

    >>> sample_path(CONGRESS).relative_to(PROJECT_ROOT).as_posix()
    'data/external/congress_press_2024-11.jsonl'
    """
    return EXTERNAL_DIR / sample.file_name


def samples_mirror() -> str | None:
    """The local copy every sample is fetched from instead of its public URL: ``NEWSKIT_SAMPLES_MIRROR``, a folder
    (relative to the project root) or a ``file://`` URL holding the files under their own names; ``None`` if unset.

    >>> os.environ.get("NEWSKIT_SAMPLES_MIRROR") == samples_mirror()
    True
    """
    return os.environ.get("NEWSKIT_SAMPLES_MIRROR") or None


def sample_url(sample: Sample = WIKINEWS) -> str:
    """The location ``sample`` is fetched from: for Wikinews ``NEWSKIT_SAMPLE_URL`` when set, else the file of that
    name in ``NEWSKIT_SAMPLES_MIRROR`` when set, else the sample's commit-pinned public URL.

    >>> sample_url().endswith("wikinews_2019.csv"), sample_url(CONGRESS).endswith(".jsonl")
    (True, True)
    """
    if sample == WIKINEWS and os.environ.get("NEWSKIT_SAMPLE_URL"):
        return os.environ["NEWSKIT_SAMPLE_URL"]
    mirror = samples_mirror()
    if mirror is None:
        return sample.url
    if "://" in mirror:
        return mirror.rstrip("/") + "/" + sample.file_name
    folder = Path(mirror).expanduser()
    return (folder if folder.is_absolute() else PROJECT_ROOT / folder).resolve().joinpath(sample.file_name).as_uri()


def default_sources() -> list[Path]:
    """The articles a run analyses when none are given: ``data/articles/`` plus each sample that has been fetched.

    >>> default_sources()[0] == ARTICLES_DIR
    True
    """
    return [ARTICLES_DIR] + [sample_path(s) for s in SAMPLES if sample_path(s).exists()]


# ---- Loading limits (issue 21) ----------------------------------------------------------------------------------
# What one input may cost the loader, so that no file or archive can exhaust memory or stop the rest of a load.
# Each is an environment variable; docs/loading.md lists them with their defaults. A skip names the limit and figures.

def _setting(name: str, default: float) -> float:
    """A positive number from the environment variable ``name``, else ``default`` (a bad value is an error).

    >>> _setting("NEWSKIT_NO_SUCH_SETTING", 2.5)
    2.5
    """
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{name}={text!r} is not a number") from None
    if not value > 0:
        raise ValueError(f"{name}={text!r} must be above 0")
    return value


MAX_FILE_SIZE_MB = _setting("NEWSKIT_MAX_FILE_SIZE_MB", 100)  # one file, one archive member, one decompressed .gz
MAX_ARCHIVE_UNPACKED_MB = _setting("NEWSKIT_MAX_ARCHIVE_UNPACKED_MB", 1000)  # all members one zip archive unpacks to
MAX_COMPRESSION_RATIO = _setting("NEWSKIT_MAX_COMPRESSION_RATIO", 100)  # unpacked / packed size: above it, a bomb
COMPRESSION_RATIO_FLOOR_MB = 1  # members smaller than this unpack to too little to matter, whatever their ratio
MAX_ZIP_DEPTH = int(_setting("NEWSKIT_MAX_ZIP_DEPTH", 2))  # zips inside zips, the outer one counted


# ---- Partitioned corpora (helpers.scale, helpers.text.partitioned) ------------------------------------------------
DASK_SCHEDULER_ENV = "NEWSKIT_DASK_SCHEDULER"  # a dask.distributed scheduler's address; a run's --scheduler sets it
SENTENCE_MODEL_ENV = "NEWSKIT_SENTENCE_MODEL"  # a stored sentence model's path; a run sets it for its notebooks


def dask_scheduler() -> str | None:
    """The scheduler address named by ``$NEWSKIT_DASK_SCHEDULER``, or None (a new local cluster)."""
    return os.environ.get(DASK_SCHEDULER_ENV) or None


def run_sentence_model() -> str | None:
    """The path of the run's stored sentence model (``$NEWSKIT_SENTENCE_MODEL``), or None."""
    return os.environ.get(SENTENCE_MODEL_ENV) or None
