"""Where a run's figures and tables go: ``<output_dir>/figures`` and ``<output_dir>/tables``."""

from __future__ import annotations

import atexit
import os
import pickle
import tempfile  # noqa: F401  (used by the doctests)
import re
from concurrent.futures import Future
from pathlib import Path

import pandas as pd

from .config import REPORTS_DIR

_output_dir: Path | None = None
_saved: list[Path] = []
# rcParams that belong to the notebook's process (its display backend), not to the figure being written
_PROCESS_RC = ("backend", "backend_fallback", "interactive", "figure.hooks")


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
    writer = _writer()
    if writer is None:
        _write_figure(fig, paths, dpi)
    else:
        # pickled now: the notebook may change or close the figure while the writer draws it
        writer.submit(paths, _write_pickled_figure, pickle.dumps(fig), _figure_rc(), paths, dpi)
    _saved.extend(p for p in paths if p not in _saved)
    return paths


def _write_figure(fig, paths: list[Path], dpi: int) -> None:
    # metadata without dates keeps reruns byte-stable where matplotlib allows it
    fig.savefig(paths[0], dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    # The SVG keeps the layout the PNG's drawing worked out (sizes in points do not depend on the dpi) instead of
    # solving it again: a tenth of the time figures took. It still measures its own tight box.
    engine = fig.get_layout_engine()
    if engine is None:  # nothing to solve; and set_layout_engine(None) would apply the rcParams' engine
        fig.savefig(paths[1], bbox_inches="tight", metadata={"Date": None})
        return
    fig.set_layout_engine("none")
    try:
        fig.savefig(paths[1], bbox_inches="tight", metadata={"Date": None})
    finally:
        fig.set_layout_engine(engine)


def _figure_rc() -> dict:
    import matplotlib

    return {key: value for key, value in matplotlib.rcParams.items() if key not in _PROCESS_RC}


def _write_pickled_figure(payload: bytes, rc: dict, paths: list[Path], dpi: int) -> None:
    import matplotlib
    import matplotlib.pyplot as plt

    with matplotlib.rc_context(rc):
        fig = pickle.loads(payload)
        try:
            _write_figure(fig, paths, dpi)
        finally:
            plt.close(fig)


def save_table(table: pd.DataFrame, name: str) -> Path:
    """Write ``table`` as CSV into the run's ``tables`` folder and return the path.

    >>> _ = set_output_dir(tempfile.mkdtemp())
    >>> save_table(pd.DataFrame({"term": ["libya"]}), "top terms").name
    'top-terms.csv'
    """
    folder = output_dir() / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{_stable_name(name)}.csv"
    writer = _writer()
    if writer is None:
        _write_table(table, path)
    else:
        # a shallow copy is a snapshot under copy-on-write: later edits to ``table`` copy, not change it
        writer.submit([path], _write_table, table.copy(deep=False), path)
    _saved.append(path)
    return path


def _write_table(table: pd.DataFrame, path: Path) -> None:
    table.to_csv(path, index=False)


def saved_outputs() -> pd.DataFrame:
    """What :func:`save_figure` and :func:`save_table` wrote since the last :func:`set_output_dir`.

    >>> _ = set_output_dir(tempfile.mkdtemp()); _ = save_table(pd.DataFrame({"a": [1]}), "t")
    >>> saved_outputs()["file"].tolist()
    ['tables/t.csv']
    """
    wait_for_writes()
    rows = [{"file": str(p.relative_to(output_dir())), "bytes": p.stat().st_size} for p in _saved]
    return pd.DataFrame(rows, columns=["file", "bytes"])


class _BackgroundWriter:
    """One spawned process that draws figures and writes tables while the notebook goes on; a rerun's notebooks
    spent about a quarter of their time in ``savefig`` and ``to_csv``."""

    def __init__(self):
        self.pool = self._new_pool()
        self.pending: list[tuple[list[Path], Future]] = []

    @staticmethod
    def _new_pool():
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawned, not forked: a kernel holds threads and gigabytes of tables the writer does not need
        return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_start_writer)

    def submit(self, paths: list[Path], write, *args) -> None:
        from concurrent.futures.process import BrokenProcessPool

        self.raise_failures(finished_only=True)
        try:
            future = self.pool.submit(write, *args)
        except BrokenProcessPool:  # the writer died (its failure was raised already): a new one takes over
            self.pool = self._new_pool()
            future = self.pool.submit(write, *args)
        self.pending.append(([p.resolve() for p in paths], future))

    def raise_failures(self, *, finished_only: bool = False) -> list[Path]:
        """Wait for the writes (or only collect the finished ones) and raise the first that failed."""
        done, failed = [], None
        for paths, future in list(self.pending):
            if finished_only and not future.done():
                continue
            self.pending.remove((paths, future))
            error = future.exception()
            if error is None:
                done.extend(paths)
            elif failed is None:
                failed = (paths, error)
        if failed is not None:
            paths, error = failed
            raise OSError(f"writing {', '.join(p.name for p in paths)} failed: "
                          f"{error.__class__.__name__}: {error}") from error
        return done


def _start_writer() -> None:
    import signal

    import matplotlib

    # Interrupting the notebook (or a runner shutting its kernel down) signals the kernel's whole process group:
    # the writer finishes its queue and stops when the kernel closes it, instead of dying mid-file.
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401  (imported once, before the first figure arrives)


_background: _BackgroundWriter | None = None


def _writer() -> _BackgroundWriter | None:
    global _background
    if _background is None and background_writes():
        _background = _BackgroundWriter()
    return _background if background_writes() else None


def start_writer() -> None:
    """Start the background writer now, if background writes are on: a kernel that starts ahead of its notebook
    (see :mod:`helpers.runner`) has it ready before the first figure."""
    writer = _writer()
    if writer is not None and not writer.pending:
        writer.pending.append(([], writer.pool.submit(int)))


def background_writes(enabled: bool | None = None) -> bool:
    """Whether :func:`save_figure` and :func:`save_table` hand their files to a background process (``enabled``
    sets it; default: the ``NEWSKIT_BACKGROUND_WRITES`` setting, which ``python -m helpers run`` turns on).

    The notebook goes on while the files are written; :func:`saved_outputs` and :func:`wait_for_writes` wait for
    them and raise the first write that failed.

    >>> background_writes(False)
    False
    """
    if enabled is not None:
        if not enabled:
            wait_for_writes()
        os.environ["NEWSKIT_BACKGROUND_WRITES"] = "1" if enabled else "0"
    return os.environ.get("NEWSKIT_BACKGROUND_WRITES", "0") not in ("", "0", "false", "no")


def wait_for_writes() -> list[Path]:
    """Wait until every figure and table handed to the background writer is on disk; return their paths.

    Raises ``OSError`` naming the file whose write failed.

    >>> wait_for_writes()
    []
    """
    return _background.raise_failures() if _background is not None else []


@atexit.register
def _finish_writes_on_exit() -> None:
    if _background is not None:
        try:
            wait_for_writes()
        finally:
            _background.pool.shutdown(wait=True)
