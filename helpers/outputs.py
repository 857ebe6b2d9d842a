"""Where a run's figures and tables go: ``<output_dir>/figures`` and ``<output_dir>/tables``."""

from __future__ import annotations

import os
import tempfile  # noqa: F401  (used by the doctests)
import re
from pathlib import Path

import pandas as pd

from .config import REPORTS_DIR

_output_dir: Path | None = None
_saved: list[Path] = []


def set_output_dir(path: str | os.PathLike | None) -> Path:
    """Make ``path`` the folder that :func:`save_figure` and :func:`save_table` write into, and return it.

    ``None`` means ``reports/interactive`` (what a notebook opened by hand in JupyterLab uses).

    >>> set_output_dir("reports/example").name
    'example'
    """
    global _output_dir
    _output_dir = Path(path) if path else REPORTS_DIR / "interactive"
    _saved.clear()
    return _output_dir


def output_dir() -> Path:
    """The current run's output folder (see :func:`set_output_dir`)."""
    return _output_dir or set_output_dir(os.environ.get("NEWSKIT_OUTPUT_DIR"))


def _stable_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-").lower()


def _figure_of(fig):
    """The Figure behind a Figure, an Axes, or an array/list of Axes (what the plot_* functions return)."""
    if hasattr(fig, "savefig"):
        return fig
    if hasattr(fig, "figure"):
        return fig.figure
    try:
        import numpy as np

        return np.ravel(fig)[0].figure
    except (IndexError, AttributeError, TypeError):
        raise TypeError(f"save_figure needs a matplotlib Figure or Axes, not {type(fig).__name__}") from None


def save_figure(fig, name: str, *, dpi: int = 200, note: str | None = None) -> list[Path]:
    """Write ``fig`` as PNG (``dpi``) and SVG into the run's ``figures`` folder; return both paths.

    ``fig`` may be a Figure or the Axes a ``plot_*`` function returned. The name is made stable (lower case,
    hyphens), so a rerun overwrites the same files. The source note (``note``, else the one set with
    :func:`helpers.set_source_note`) is written under the figure unless it already has one.

    >>> import matplotlib; matplotlib.use("Agg"); import matplotlib.pyplot as plt
    >>> _ = set_output_dir(tempfile.mkdtemp())
    >>> [p.name for p in save_figure(plt.figure(), "Top terms")]
    ['top-terms.png', 'top-terms.svg']
    """
    from .plots import add_source_note

    fig = _figure_of(fig)
    stem = _stable_name(name)
    if not stem:
        raise ValueError(f"save_figure: {name!r} gives no usable file name")
    add_source_note(fig, note)
    folder = output_dir() / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{stem}.png", folder / f"{stem}.svg"]
    # metadata without dates keeps reruns byte-stable where matplotlib allows it
    fig.savefig(paths[0], dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    fig.savefig(paths[1], bbox_inches="tight", metadata={"Date": None})
    _saved.extend(p for p in paths if p not in _saved)
    return paths


def save_table(table: pd.DataFrame, name: str) -> Path:
    """Write ``table`` as CSV into the run's ``tables`` folder and return the path.

    >>> _ = set_output_dir(tempfile.mkdtemp())
    >>> save_table(pd.DataFrame({"term": ["libya"]}), "top terms").name
    'top-terms.csv'
    """
    folder = output_dir() / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{_stable_name(name)}.csv"
    table.to_csv(path, index=False)
    _saved.append(path)
    return path


def saved_outputs() -> pd.DataFrame:
    """What :func:`save_figure` and :func:`save_table` wrote since the last :func:`set_output_dir`.

    >>> _ = set_output_dir(tempfile.mkdtemp()); _ = save_table(pd.DataFrame({"a": [1]}), "t")
    >>> saved_outputs()["file"].tolist()
    ['tables/t.csv']
    """
    rows = [{"file": str(p.relative_to(output_dir())), "bytes": p.stat().st_size} for p in _saved]
    return pd.DataFrame(rows, columns=["file", "bytes"])
