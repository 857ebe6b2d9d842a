"""Where things live and what the environment changes: every path the kit uses and every ``NEWSKIT_*`` variable it
reads, in this one module (``tests/test_settings.py`` fails when another module of ``helpers/`` reads the environment
or builds a path from its own location).

Paths are resolved from the project root (the folder holding ``pyproject.toml``), never from the machine, so the kit
works wherever it is cloned. Package files are reached from :data:`PACKAGE_DIR` (word lists in
:data:`PACKAGE_DATA_DIR`, the chart style :data:`STYLE_PATH`).

Environment variables (all optional):

- ``NEWSKIT_REPORTS``: where runs are written (:data:`REPORTS_DIR`; default ``reports/``).
- ``NEWSKIT_CACHE``: the cache folder (:data:`CACHE_DIR`; default ``.cache/``).
- ``NEWSKIT_SAMPLES_MIRROR``: a folder or ``file://`` URL holding the sample files, fetched instead of their public
  URLs (:func:`samples_mirror`).
- ``NEWSKIT_SAMPLE_URL``: where the Wikinews sample is fetched from (:func:`sample_url`).
- ``NEWSKIT_MAX_FILE_SIZE_MB``, ``NEWSKIT_MAX_ARCHIVE_UNPACKED_MB``, ``NEWSKIT_MAX_COMPRESSION_RATIO``,
  ``NEWSKIT_MAX_ZIP_DEPTH``: what one input may cost the loader (docs/loading.md).
- ``NEWSKIT_CELL_TIMEOUT``: seconds a notebook cell may run in ``python -m helpers run`` (unset or 0: no limit).
- ``NEWSKIT_OUTPUT_DIR``: the run folder a notebook kernel saves its figures and tables in (set by the runner).
- ``NEWSKIT_DASK_SCHEDULER``: the address of the Dask scheduler to use instead of a local cluster
  (``python -m helpers run --scheduler`` sets it: :func:`use_dask_scheduler`).
- ``NEWSKIT_SENTENCE_POLICY``: how the sentence model is chosen (``corpus``: trained on the articles, ``pinned``).
- ``NEWSKIT_SENTENCE_MODEL``: a stored sentence model to use instead.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import NamedTuple

PACKAGE_DIR = Path(__file__).resolve().parent  # helpers/
PROJECT_ROOT = PACKAGE_DIR.parent
PACKAGE_DATA_DIR = PACKAGE_DIR / "data"  # word lists shipped with the package
STYLE_PATH = PACKAGE_DIR / "charts" / "newskit.mplstyle"  # the house chart style, beside charts/style.py
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
# the short credit line of each sample's collection: under charts and in the articles summary
SAMPLE_NOTES = {sample.collection: sample.note for sample in SAMPLES}

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


# ---- Cache (issue 18) -------------------------------------------------------------------------------------------

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


def sentence_policy_setting() -> str | None:
    """``NEWSKIT_SENTENCE_POLICY``: ``corpus`` or ``pinned``, how a cached tokenisation gets its corpus-trained
    sentence model (see :func:`helpers.text.sentence_store.sentence_policy`); ``None`` when unset.

    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"NEWSKIT_SENTENCE_POLICY": "pinned"}):
    ...     sentence_policy_setting()
    'pinned'
    """
    return os.environ.get("NEWSKIT_SENTENCE_POLICY") or None


def sentence_model_file() -> str | None:
    """``NEWSKIT_SENTENCE_MODEL``: the file of a stored sentence model that every tokenisation uses (a run sets it
    for its notebooks, see :func:`helpers.text.sentence_store.resolve_sentence_model`); ``None`` when unset.

    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"NEWSKIT_SENTENCE_MODEL": ""}):
    ...     sentence_model_file() is None
    True
    """
    return os.environ.get("NEWSKIT_SENTENCE_MODEL") or None


def nltk_search_path() -> list[str] | None:
    """The folders NLTK searches for its data, in its order, as ``nltk.data.path`` is when NLTK is imported (NLTK
    3.10 on POSIX: ``NLTK_DATA``, ``~/nltk_data``, the interpreter's and the system's ``nltk_data`` folders), then
    the project's ``.nltk_data`` (:func:`helpers.resources.configure_nltk_path` appends it). ``None`` on Windows,
    where :mod:`helpers.resources` asks NLTK itself.

    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"NLTK_DATA": "/a" + os.pathsep + "/b"}):
    ...     nltk_search_path()[:2] if os.name != "nt" else ["/a", "/b"]
    ['/a', '/b']
    """
    if os.name == "nt":
        return None
    import sys

    paths = [os.path.expanduser(d) for d in os.environ.get("NLTK_DATA", "").split(os.pathsep) if d]
    if "APPENGINE_RUNTIME" not in os.environ and os.path.expanduser("~/") != "~/":
        paths.append(os.path.expanduser("~/nltk_data"))
    paths += [os.path.join(sys.prefix, "nltk_data"), os.path.join(sys.prefix, "share", "nltk_data"),
              os.path.join(sys.prefix, "lib", "nltk_data"), "/usr/share/nltk_data", "/usr/local/share/nltk_data",
              "/usr/lib/nltk_data", "/usr/local/lib/nltk_data"]
    return [*paths, str(PROJECT_NLTK_DATA)]


# ---- Runs: the command line's settings for the notebook kernels (issue 18) ----------------------------------------

def use_dask_scheduler(address: str) -> None:
    """Make ``NEWSKIT_DASK_SCHEDULER`` the Dask scheduler ``address``, for this process and every notebook kernel it
    starts afterwards (they inherit the environment).

    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ):
    ...     use_dask_scheduler("tcp://127.0.0.1:8786"); os.environ["NEWSKIT_DASK_SCHEDULER"]
    'tcp://127.0.0.1:8786'
    """
    os.environ["NEWSKIT_DASK_SCHEDULER"] = address


def cell_timeout() -> float | None:
    """Seconds a notebook cell may run in ``python -m helpers run`` (``NEWSKIT_CELL_TIMEOUT``); unset or 0: no limit.

    ``make test`` sets 300. Without a limit a run still never waits forever on a kernel that stopped answering
    (helpers/runs/runner.py watches each kernel's heartbeat and replies).

    >>> os.environ["NEWSKIT_CELL_TIMEOUT"] = "0"; cell_timeout() is None
    True
    >>> os.environ["NEWSKIT_CELL_TIMEOUT"] = "300"; cell_timeout()
    300.0
    >>> del os.environ["NEWSKIT_CELL_TIMEOUT"]
    """
    value = float(os.environ.get("NEWSKIT_CELL_TIMEOUT") or 0)
    return value if value > 0 else None


def output_dir_from_environment() -> str | None:
    """The run folder a kernel was given in ``NEWSKIT_OUTPUT_DIR`` (``helpers.output_dir()`` uses it when no
    notebook called ``set_output_dir``), or None.

    >>> os.environ.pop("NEWSKIT_OUTPUT_DIR", None) and None; output_dir_from_environment() is None
    True
    """
    return os.environ.get("NEWSKIT_OUTPUT_DIR") or None


# ---- Partitioned corpora (helpers.scale, helpers.text.partitioned) ------------------------------------------------
DASK_SCHEDULER_ENV = "NEWSKIT_DASK_SCHEDULER"  # a dask.distributed scheduler's address; a run's --scheduler sets it
SENTENCE_MODEL_ENV = "NEWSKIT_SENTENCE_MODEL"  # a stored sentence model's path; a run sets it for its notebooks


def dask_scheduler() -> str | None:
    """The scheduler address named by ``$NEWSKIT_DASK_SCHEDULER``, or None (a new local cluster)."""
    return os.environ.get(DASK_SCHEDULER_ENV) or None


def run_sentence_model() -> str | None:
    """The path of the run's stored sentence model (``$NEWSKIT_SENTENCE_MODEL``), or None."""
    return os.environ.get(SENTENCE_MODEL_ENV) or None


@contextlib.contextmanager
def kernel_environment(**values: str | None):
    """Set environment variables for the notebook kernels a run starts (they inherit them), and put the old values
    back afterwards.

    >>> with kernel_environment(NEWSKIT_SENTENCE_MODEL="model.json"):
    ...     sentence_model_file()
    'model.json'
    """
    old = {k: os.environ.get(k) for k in values}
    os.environ.update({k: v for k, v in values.items() if v is not None})
    try:
        yield
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
