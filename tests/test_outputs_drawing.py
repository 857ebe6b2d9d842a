"""save_figure draws each figure as plain savefig calls would: the PNG pixel for pixel, the SVG element for element.

The reference is what the kit wrote before it measured the files' tight boxes itself: ``savefig`` of the PNG (200 dpi,
``bbox_inches="tight"``), then of the SVG (``bbox_inches="tight"``) with the layout the PNG's drawing solved.
"""

import io
import re

import matplotlib
import matplotlib.image
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import LineCollection

import helpers
from helpers.charts.notes import add_source_note
from helpers.runs import outputs

NOTE = "Source: Wikinews contributors, CC BY 2.5"


def _figure(layout):
    """A figure with what the kit's charts draw: long tick labels, titles, a legend outside the axes, an image with
    a colour bar, an equal-aspect network of points and segments, annotations, dates."""
    fig, axes = plt.subplots(2, 2, figsize=(8, 6), layout=layout)
    bars, image, network, trend = axes.flat
    bars.barh(["drug trafficking", "libya", "memorandum of understanding"], [5, 3, 1], label="frequency")
    bars.set_title("Top terms, frequency per 10,000 tokens")
    bars.legend(loc="upper left", bbox_to_anchor=(1, 1))
    picture = image.imshow(np.arange(48.0).reshape(6, 8), aspect="auto", cmap="viridis")
    fig.colorbar(picture, ax=image, label="share of articles")
    image.set_yticks(range(6), [f"term {i}" for i in range(6)])
    points = np.array([[0.0, 0.0], [1.0, 0.4], [0.3, 1.0], [0.8, 0.9]])
    network.add_collection(LineCollection([points[[0, 1]], points[[1, 2]], points[[2, 3]]], colors="#888888"))
    network.scatter(points[:, 0], points[:, 1], s=[40, 80, 120, 60], zorder=3)
    for (x, y), word in zip(points, ["libya", "drug", "memorandum", "trafficking"]):
        network.annotate(word, (x, y), xytext=(4, 4), textcoords="offset points")
    network.set_aspect("equal")
    network.set_axis_off()
    days = np.arange("2019-01-01", "2019-03-01", dtype="datetime64[D]")
    trend.plot(days, np.sin(np.arange(len(days)) / 5.0), label="libya")
    trend.set_xlabel("week")
    fig.suptitle("A chart with every kind of mark")
    return fig


def _canonical_svg(text: str) -> str:
    """The SVG with its ids renamed in order of first use: matplotlib makes them from a hash salted with a random
    value (unless rcParams["svg.hashsalt"] is set) and the clip rectangles' coordinates to the last bit."""
    names: dict[str, str] = {}
    return re.sub(r'(?<=id=")[^"]+|(?<=#)[a-z][0-9a-f]{10}\b',
                  lambda found: names.setdefault(found.group(0), f"id{len(names)}"), text)


def _inline_image(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    buffer.seek(0)
    return matplotlib.image.imread(buffer)


def _plain_savefig(fig, png, svg):
    fig.savefig(png, dpi=200, bbox_inches="tight", metadata={"Software": None})
    engine = fig.get_layout_engine()
    if engine is not None:
        fig.set_layout_engine("none")
    fig.savefig(svg, bbox_inches="tight", metadata={"Date": None})
    if engine is not None:
        fig.set_layout_engine(engine)


def _nested_figure(layout):
    """Subfigures, an inset axes, a line drawn as pixels inside the SVG (rasterized), a twin axis, an equal-aspect
    axes in a subfigure, a colour bar with extensions, a legend placed where it fits best, wrapped text, an arrow."""
    fig = plt.figure(figsize=(8, 4), layout=layout)
    left, right = fig.subfigures(1, 2)
    ax = left.subplots()
    ax.plot(np.arange(200), np.sin(np.arange(200) / 9.0), rasterized=True, label="sine")
    ax.twinx().plot(np.arange(200), np.arange(200) ** 2, color="C1", label="square")
    ax.legend(loc="best")
    ax.set_title("rasterized line")
    ax.annotate("a peak", (14, 1), xytext=(60, 0.5), arrowprops={"arrowstyle": "->"})
    inset = ax.inset_axes([0.6, 0.6, 0.35, 0.3])
    inset.bar([0, 1], [2, 1])
    top, bottom = right.subplots(2, 1)
    top.scatter([0, 1, 2], [0, 2, 1])
    top.set_aspect("equal")
    top.text(0.1, 0.1, "a long note that matplotlib wraps at the figure's edge " * 2, wrap=True)
    picture = bottom.imshow(np.arange(12.0).reshape(3, 4), vmin=2, vmax=9)
    right.colorbar(picture, ax=bottom, extend="both")
    right.suptitle("a subfigure's title")
    return fig


@pytest.mark.parametrize("draw", [_figure, _nested_figure])
@pytest.mark.parametrize("style", ["house", "house, SVG text as paths", "matplotlib's defaults"])
@pytest.mark.parametrize("layout", [None, "constrained", "compressed", "tight"])
def test_save_figure_draws_what_plain_savefig_draws(tmp_path, layout, style, draw):
    helpers.set_output_dir(tmp_path / "run")
    with matplotlib.rc_context():
        if style.startswith("house"):
            helpers.use_style()
        fonttype = "path" if "paths" in style else matplotlib.rcParams["svg.fonttype"]
        matplotlib.rcParams["svg.fonttype"] = fonttype
        reference = draw(layout)
        add_source_note(reference, NOTE)
        _plain_savefig(reference, tmp_path / "reference.png", tmp_path / "reference.svg")
        fig = draw(layout)
        png, svg = helpers.save_figure(fig, "chart", note=NOTE)
        assert fig.dpi == reference.dpi and type(fig.get_layout_engine()) is type(reference.get_layout_engine())
        # what the notebook shows next (matplotlib_inline: PNG at the figure's dpi, tight), a title added after saving
        for figure in (fig, reference):
            figure.axes[0].set_title("added after saving")
        assert np.array_equal(*(_inline_image(figure) for figure in (fig, reference)))
        plt.close("all")
    drawn, expected = matplotlib.image.imread(png), matplotlib.image.imread(tmp_path / "reference.png")
    assert drawn.shape == expected.shape and np.array_equal(drawn, expected)
    drawn_svg, expected_svg = (_canonical_svg(p.read_text()) for p in (svg, tmp_path / "reference.svg"))
    assert drawn_svg.count("<text" if fonttype == "none" else "<path") > 10
    assert drawn_svg == expected_svg


def test_the_boxes_are_the_ones_savefig_measures(tmp_path):
    """The boxes, not only the drawings: any change to what they enclose shows here first."""
    pad = matplotlib.rcParams["savefig.pad_inches"]
    reference, fig = _figure("constrained"), _figure("constrained")
    captured = []
    measure = reference.get_tightbbox
    reference.get_tightbbox = lambda *args, **kwargs: captured.append(measure(*args, **kwargs)) or captured[-1]
    reference.savefig(tmp_path / "chart.png", dpi=200, bbox_inches="tight")
    png_box = outputs._png_tight_box(fig, 200)
    assert np.array_equal(png_box.get_points(), captured[-1].padded(pad).get_points())
    reference.set_layout_engine("none")
    reference.savefig(tmp_path / "chart.svg", bbox_inches="tight")
    with outputs._without_layout_engine(fig):
        fig.savefig(tmp_path / "mine.png", dpi=200, bbox_inches=png_box)
    assert np.array_equal(outputs._svg_tight_box(fig).get_points(), captured[-1].padded(pad).get_points())
    plt.close("all")


def test_a_figure_on_another_canvas_is_measured_by_savefig_itself(tmp_path):
    """A canvas that does not draw with Agg (here an SVG canvas; a HiDPI window's is another) leaves the PNG's box to
    savefig, which switches to Agg for the PNG: the files are still a plain savefig's."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    def on_svg_canvas():
        fig = Figure(figsize=(6, 4), layout="constrained")
        FigureCanvasSVG(fig)
        fig.subplots().barh(["drug trafficking", "libya", "memorandum"], [5, 3, 1])
        return fig

    helpers.set_output_dir(tmp_path / "run")
    assert outputs._png_tight_box(on_svg_canvas(), 200) is None
    _plain_savefig(on_svg_canvas(), tmp_path / "reference.png", tmp_path / "reference.svg")
    png, svg = helpers.save_figure(on_svg_canvas(), "chart")
    assert np.array_equal(matplotlib.image.imread(png), matplotlib.image.imread(tmp_path / "reference.png"))
    assert _canonical_svg(svg.read_text()) == _canonical_svg((tmp_path / "reference.svg").read_text())
