"""Where things live: every path the kit uses, each overridable by an environment variable.

Paths are resolved from the project root (the folder holding ``pyproject.toml``), never from the
machine, so the kit works wherever it is cloned.
"""

from __future__ import annotations

import os
from pathlib import Path

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

# The Wikinews 2019 sample (Wikinews contributors, CC BY 2.5), pinned to one commit of its public repository.
SAMPLE_URL_DEFAULT = (
    "https://raw.githubusercontent.com/vanatteveldt/wikinews/"
    "b134aa9d261fe904f5c50a82b4d3cb001f8771bf/data/wikinews_2019.csv"
)
SAMPLE_SHA256 = "d65f87b01244679d01c89ec15616fbd8413e7852732432d5895fa4db9b21ac9e"
SAMPLE_PATH = EXTERNAL_DIR / "wikinews_2019.csv"
SAMPLE_CREDIT = "Wikinews contributors, CC BY 2.5"


def sample_url() -> str:
    """The location the Wikinews sample is fetched from (``NEWSKIT_SAMPLE_URL`` overrides it).

    >>> sample_url().endswith("wikinews_2019.csv")
    True
    """
    return os.environ.get("NEWSKIT_SAMPLE_URL") or SAMPLE_URL_DEFAULT


def default_sources() -> list[Path]:
    """The articles a run analyses when none are given: the kit's own articles plus the sample if fetched.

    >>> ARTICLES_DIR in default_sources()
    True
    """
    sources = [ARTICLES_DIR]
    if SAMPLE_PATH.exists():
        sources.append(SAMPLE_PATH)
    return sources


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
