"""save_figure draws each figure as plain savefig calls would: the PNG pixel for pixel, the SVG element for element.

The reference is what the kit wrote before it measured the SVG's tight box itself: ``savefig`` of the PNG (200 dpi,
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
    """Subfigures, an inset axes, and a line drawn as pixels inside the SVG (rasterized)."""
    fig = plt.figure(figsize=(8, 4), layout=layout)
    left, right = fig.subfigures(1, 2)
    ax = left.subplots()
    ax.plot(np.arange(200), np.sin(np.arange(200) / 9.0), rasterized=True)
    ax.set_title("rasterized line")
    inset = ax.inset_axes([0.6, 0.6, 0.35, 0.3])
    inset.bar([0, 1], [2, 1])
    right.subplots(2, 1)[1].barh(["drug trafficking", "libya"], [5, 3])
    right.suptitle("a subfigure's title")
    return fig


@pytest.mark.parametrize("draw", [_figure, _nested_figure])
@pytest.mark.parametrize("style", ["house", "house, SVG text as paths", "matplotlib's defaults"])
@pytest.mark.parametrize("layout", [None, "constrained", "tight"])
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


def test_the_svg_box_is_the_one_savefig_measures(tmp_path):
    """The box, not only the drawing: any change to what it encloses shows here first."""
    captured = []
    fig = _figure("constrained")
    fig.savefig(tmp_path / "chart.png", dpi=200, bbox_inches="tight")
    measured = outputs._svg_tight_box(fig)
    measure = fig.get_tightbbox
    fig.get_tightbbox = lambda *args, **kwargs: captured.append(measure(*args, **kwargs)) or captured[-1]
    fig.set_layout_engine("none")
    fig.savefig(tmp_path / "chart.svg", bbox_inches="tight")
    plt.close(fig)
    assert np.array_equal(measured.get_points(),
                          captured[-1].padded(matplotlib.rcParams["savefig.pad_inches"]).get_points())
