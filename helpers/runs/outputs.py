"""Where a run's figures and tables go: ``<output_dir>/figures`` and ``<output_dir>/tables``.

Both are written in the notebook's own process, at the call: what is on disk is the figure or table as it was
then, and a failed write raises in the cell that made it.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile  # noqa: F401  (used by the doctests)
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.settings import REPORTS_DIR, output_dir_from_environment

_output_dir: Path | None = None
_saved: list[Path] = []
MARKS_FILE = "marks.csv"


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
    return _output_dir or set_output_dir(output_dir_from_environment())


def _stable_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-").lower()


def _figure_of(fig):
    """The Figure behind a Figure, an Axes, or an array/list of Axes (what the plot_* functions return)."""
    if hasattr(fig, "savefig"):
        return fig
    if hasattr(fig, "figure"):
        return fig.figure
    try:
        return np.ravel(fig)[0].figure
    except (IndexError, AttributeError, TypeError):
        raise TypeError(f"save_figure needs a matplotlib Figure or Axes, not {type(fig).__name__}") from None


def drawn_marks(fig) -> int:
    """How many data marks ``fig`` draws (a Figure: all its Axes; an Axes: that one); 0 means an empty chart.

    Counted: bars and other patches of non-zero width and height in data coordinates; scatter points and network
    nodes with finite positions; segments of line collections (x-ray ticks, network edges) and filled polygons
    with finite vertices; line vertices with finite x and y; image and mesh cells with a finite value. Not
    counted: reference lines and spans drawn in axes coordinates (``axhline``, ``axvspan``), text, colour bars.

    >>> import matplotlib; matplotlib.use("Agg"); import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> drawn_marks(fig)
    0
    >>> _ = ax.bar(["a", "b", "c"], [3, 0, 2]); _ = ax.axhline(1)
    >>> drawn_marks(ax)
    2
    """
    from matplotlib.axes import Axes

    if isinstance(fig, Axes):
        return _marks_in(fig)
    fig = _figure_of(fig)
    axes = [a for a in fig.findobj(lambda artist: isinstance(artist, Axes)) if not hasattr(a, "_colorbar")]
    return sum(_marks_in(ax) for ax in axes if ax.get_visible()) + sum(
        _cells(image) for image in getattr(fig, "images", []) if image.get_visible())


def _in_data_coordinates(artist, ax) -> bool:
    return all(artist.get_transform().contains_branch_seperately(ax.transData))


def _finite_rows(points) -> int:
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    return int(np.isfinite(points).all(axis=1).sum())


def _cells(image) -> int:
    values = np.ma.masked_invalid(np.ma.asarray(image.get_array(), dtype=float))
    cells = ~np.ma.getmaskarray(values)
    return int(cells.all(axis=-1).sum() if cells.ndim == 3 else cells.sum())


def _drawn_segments(lines) -> int:
    """Segments of a line collection with at least two finite vertices, counted in one pass over all of them (a
    dispersion plot has thousands)."""
    paths = lines.get_paths()
    if any(path.codes is not None for path in paths):  # curves or closed polygons: matplotlib's own reading
        return sum(_finite_rows(segment) >= 2 for segment in lines.get_segments())
    lengths = [len(path.vertices) for path in paths]
    if not sum(lengths):
        return 0
    vertices = np.concatenate([path.vertices for path in paths]).astype(float, copy=False)
    finite = np.isfinite(vertices).all(axis=1)
    per_segment = np.bincount(np.repeat(np.arange(len(paths)), lengths), weights=finite, minlength=len(paths))
    return int((per_segment >= 2).sum())


def _marks_in(ax) -> int:
    from matplotlib.collections import LineCollection, PathCollection, PolyCollection, QuadMesh
    from matplotlib.patches import Rectangle

    marks = 0
    for line in ax.lines:
        if line.get_visible() and _in_data_coordinates(line, ax):
            x, y = (np.asarray(v, dtype=float) for v in line.get_data(orig=False))
            marks += int((np.isfinite(x) & np.isfinite(y)).sum())
    for patch in ax.patches:
        if not patch.get_visible() or not _in_data_coordinates(patch, ax):
            continue
        if isinstance(patch, Rectangle):
            size = np.array([patch.get_width(), patch.get_height()], dtype=float)
        else:
            vertices = patch.get_patch_transform().transform(patch.get_path().vertices)
            vertices = vertices[np.isfinite(vertices).all(axis=1)]
            size = np.ptp(vertices, axis=0) if len(vertices) else np.zeros(2)
        marks += int(bool(np.isfinite(size).all() and (size != 0).all()))
    for collection in ax.collections:
        if not collection.get_visible():
            continue
        if isinstance(collection, QuadMesh):
            marks += _cells(collection)
        elif isinstance(collection, LineCollection):
            marks += _drawn_segments(collection)
        elif isinstance(collection, PolyCollection):
            marks += sum(_finite_rows(path.vertices) >= 3 for path in collection.get_paths())
        elif isinstance(collection, PathCollection) or len(collection.get_offsets()):
            marks += _finite_rows(collection.get_offsets())
        else:
            marks += len(collection.get_paths())
    return marks + sum(_cells(image) for image in ax.images if image.get_visible())


def save_figure(fig, name: str, *, dpi: int = 200, note: str | None = None) -> list[Path]:
    """Write ``fig`` as PNG (``dpi``) and SVG into the run's ``figures`` folder; return both paths.

    ``fig`` may be a Figure or the Axes a ``plot_*`` function returned. The name is made stable (lower case,
    hyphens), so a rerun overwrites the same files. The source note (``note``, else the one set with
    :func:`helpers.set_source_note`) is written under the figure unless it already has one.

    A figure that draws no data (see :func:`drawn_marks`) is not written: one line says so, the call returns
    ``[]``, and an earlier file of that name goes. Every saved figure's count of marks is kept in
    ``figures/marks.csv`` (``figure,marks``, one row per name), so a test can check that a chart shows data.

    >>> import matplotlib; matplotlib.use("Agg"); import matplotlib.pyplot as plt
    >>> folder = set_output_dir(tempfile.mkdtemp())
    >>> fig, ax = plt.subplots(); _ = ax.bar(["libya", "drug", "memorandum"], [5, 3, 1])
    >>> [p.name for p in save_figure(fig, "Top terms")]
    ['top-terms.png', 'top-terms.svg']
    >>> save_figure(plt.figure(), "Empty chart")
    skipped figure empty-chart: it draws no data
    []
    >>> print((folder / "figures" / "marks.csv").read_text().strip())
    figure,marks
    top-terms,3
    """
    from helpers.charts.notes import add_source_note

    fig = _figure_of(fig)
    stem = _stable_name(name)
    if not stem:
        raise ValueError(f"save_figure: {name!r} gives no usable file name")
    folder = output_dir() / "figures"
    paths = [folder / f"{stem}.png", folder / f"{stem}.svg"]
    marks = drawn_marks(fig)
    if not marks:
        print(f"skipped figure {stem}: it draws no data")
        for path in paths:  # a figure of that name from an earlier run of the notebook would pass for this one
            path.unlink(missing_ok=True)
        _record_marks(folder, stem, None)
        return []
    add_source_note(fig, note)
    folder.mkdir(parents=True, exist_ok=True)
    _write_figure(fig, paths, dpi)
    _record_marks(folder, stem, marks)
    _saved.extend(p for p in paths if p not in _saved)
    return paths


def _record_marks(folder: Path, stem: str, marks: int | None) -> None:
    """Put ``stem``'s row into ``figures/marks.csv`` (replacing an earlier one), or take it out (``None``)."""
    path = folder / MARKS_FILE
    table = (pd.read_csv(path, dtype={"figure": "str", "marks": "int64"}) if path.exists()
             else pd.DataFrame({"figure": pd.Series(dtype="str"), "marks": pd.Series(dtype="int64")}))
    if marks is None and stem not in set(table["figure"]):
        return
    if marks is None:
        table = table[table["figure"] != stem]
    elif stem in set(table["figure"]):
        table.loc[table["figure"] == stem, "marks"] = marks
    else:
        table = pd.concat([table, pd.DataFrame({"figure": [stem], "marks": [marks]})], ignore_index=True)
    written = path.with_name(f".{MARKS_FILE}.tmp")  # then renamed: a reader never sees half a file
    table.to_csv(written, index=False)
    os.replace(written, path)


def _write_figure(fig, paths: list[Path], dpi: int) -> None:
    # Each file gets the box savefig(bbox_inches="tight") would cut, measured here without savefig's own extra
    # drawing pass (drawing switched off, every artist walked), then one savefig that draws once. The SVG keeps the
    # layout the PNG's pass solved (sizes in points do not depend on the dpi) and has its own box: text measures
    # differently at 72 dpi than on the PNG's pixels (by up to 2 pt). PNG pixels are savefig's own; the SVG's
    # drawing too, but for a millionth of a point in a few coordinates (docs/runtime.md).
    # metadata without dates keeps reruns byte-stable where matplotlib allows it
    png_box = _png_tight_box(fig, dpi)
    if png_box is None:
        fig.savefig(paths[0], dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    else:
        with _without_layout_engine(fig):
            fig.savefig(paths[0], dpi=dpi, bbox_inches=png_box, metadata={"Software": None})
    svg_box = _svg_tight_box(fig)
    with _without_layout_engine(fig):
        fig.savefig(paths[1], bbox_inches=svg_box, metadata={"Date": None})


@contextlib.contextmanager
def _at_dpi(fig, dpi: float):
    canvas, original_dpi = fig.canvas, fig.dpi
    manager, canvas.manager = canvas.manager, None  # as savefig does: a window is not resized for the dpi
    fig.dpi = dpi
    try:
        yield
    finally:
        fig.dpi = original_dpi
        canvas.manager = manager


def _png_tight_box(fig, dpi: int):
    """The box ``fig.savefig(..., dpi=dpi, bbox_inches="tight")`` cuts for a PNG, in inches, and the figure laid out
    as savefig's measuring pass leaves it: the layout engine run, then the measure (which itself applies each axes'
    aspect and places ticks and titles), without drawing every artist first. ``None`` for a canvas that is not
    Agg's at one pixel a pixel (a GUI window's): savefig measures those itself."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig.canvas, FigureCanvasAgg) or fig.canvas.device_pixel_ratio != 1:
        return None
    with _at_dpi(fig, dpi):
        renderer = fig.canvas.get_renderer()  # the one savefig's pass would use: Agg at this size and dpi
        engine = fig.get_layout_engine()
        if fig.axes and engine is not None:
            try:
                engine.execute(fig)
            except ValueError:  # as Figure.draw: a layout that cannot be solved leaves the figure as it is
                pass
        box = fig.get_tightbbox(renderer)
    return box.padded(matplotlib.rcParams["savefig.pad_inches"])


def _svg_tight_box(fig):
    """The box ``fig.savefig(..., format="svg", bbox_inches="tight")`` cuts, in inches, measured in SVG text on the
    figure as its last drawing left it (laid out, ticks placed)."""
    import io

    import matplotlib
    from matplotlib.backends.backend_svg import RendererSVG

    with _at_dpi(fig, 72):  # what the SVG backend measures and draws at
        width, height = fig.get_size_inches() * 72
        box = fig.get_tightbbox(RendererSVG(width, height, io.StringIO()))
    return box.padded(matplotlib.rcParams["savefig.pad_inches"])


@contextlib.contextmanager
def _without_layout_engine(fig):
    """No layout engine while inside: not even the placeholder that ``set_layout_engine("none")`` leaves, with
    which savefig draws the figure once more before drawing it."""
    import matplotlib

    engine = fig.get_layout_engine()
    if engine is None:
        yield
        return
    # set_layout_engine(None), and savefig's own restoring of it, would take the rcParams' engine
    with matplotlib.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)
        try:
            yield
        finally:
            fig.set_layout_engine(engine)


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
