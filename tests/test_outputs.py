"""save_figure and save_table write in the notebook's own process, at the call; a figure without data is not
written, and every saved figure's number of data marks is kept in figures/marks.csv."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import helpers
from helpers.runs import outputs


def _chart():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([3, 1, 4, 1, 5])
    ax.legend(["line"], loc="upper left", bbox_to_anchor=(1, 1))
    return fig


def _marks(folder) -> dict:
    table = pd.read_csv(folder / "figures" / "marks.csv")
    assert list(table.columns) == ["figure", "marks"]
    return dict(zip(table["figure"], table["marks"]))


def test_what_is_written_is_the_figure_and_table_as_they_were_when_saved(tmp_path):
    helpers.set_output_dir(tmp_path / "run")
    table = pd.DataFrame({"term": ["libya"], "n": [3]})
    fig = _chart()
    helpers.save_figure(fig, "chart")
    helpers.save_table(table, "terms")
    table.loc[0, "n"] = 99
    fig.axes[0].set_title("added after saving", fontsize=30)
    plt.close(fig)
    saved = helpers.saved_outputs()
    assert saved["file"].tolist() == ["figures/chart.png", "figures/chart.svg", "tables/terms.csv"]
    assert (saved["bytes"] > 0).all()
    assert pd.read_csv(tmp_path / "run" / "tables" / "terms.csv")["n"].tolist() == [3]
    assert "added after saving" not in (tmp_path / "run" / "figures" / "chart.svg").read_text()


def test_a_failed_write_is_raised_in_the_cell_naming_the_file(tmp_path):
    helpers.set_output_dir(tmp_path / "run")
    (tmp_path / "run" / "tables" / "blocked.csv").mkdir(parents=True)
    with pytest.raises(IsADirectoryError, match="blocked.csv"):
        helpers.save_table(pd.DataFrame({"n": [1]}), "blocked")
    assert helpers.saved_outputs().empty


def test_a_figure_without_data_writes_no_file_and_says_so_in_one_line(tmp_path, capsys):
    helpers.set_output_dir(tmp_path)
    fig, ax = plt.subplots()
    ax.set_title("Top terms")
    ax.axhline(0)  # a reference line in axes coordinates is not data
    ax.text(0.5, 0.5, "no terms", transform=ax.transAxes)
    assert helpers.drawn_marks(fig) == 0
    assert helpers.save_figure(ax, "Top terms") == []
    assert capsys.readouterr().out == "skipped figure top-terms: it draws no data\n"
    assert not (tmp_path / "figures").exists() or not list((tmp_path / "figures").glob("top-terms.*"))
    assert helpers.saved_outputs().empty
    fig.add_subplot(2, 1, 2).bar(["a", "b"], [0, 0])  # bars of height 0 draw nothing either
    assert helpers.save_figure(fig, "Top terms") == []
    plt.close(fig)


def test_marks_csv_has_one_row_per_saved_figure_and_a_resave_replaces_it(tmp_path, capsys):
    helpers.set_output_dir(tmp_path)
    fig, ax = plt.subplots()
    ax.bar(["libya", "drug", "memorandum"], [5, 3, 1])
    helpers.save_figure(fig, "Top terms")
    line = plt.figure()
    line.add_subplot().plot([1, 2, 3, 4, 5], [2, 3, 5, 7, 11])
    helpers.save_figure(line, "trend")
    assert _marks(tmp_path) == {"top-terms": 3, "trend": 5}
    ax.bar(["war"], [2])
    helpers.save_figure(fig, "Top terms")
    assert pd.read_csv(tmp_path / "figures" / "marks.csv").values.tolist() == [["top-terms", 4], ["trend", 5]]
    # the same name now drawing nothing: the old files and the row go, not left to pass for this chart
    helpers.save_figure(plt.figure(), "trend")
    assert _marks(tmp_path) == {"top-terms": 4}
    assert sorted(p.name for p in (tmp_path / "figures").glob("*.png")) == ["top-terms.png"]
    plt.close("all")


def test_bars_lines_and_points_count_what_is_drawn():
    fig, (bars, line, points) = plt.subplots(1, 3)
    bars.bar(["a", "b", "c"], [3, 1, 2])
    bars.barh(["d", "e"], [0, np.nan])  # zero and missing values draw no bar
    bars.axvspan(0, 1, alpha=0.2)  # a span in axes coordinates is not data
    line.plot([0, 1, 2, 3, 4], [1.0, 2.0, np.nan, 4.0, 5.0])  # 4 vertices with finite data
    line.plot([0, 1, 2, 3, 4], [1, 4, 9, 16, 25])
    points.scatter([1, 2, np.nan], [1, 2, 3])
    assert [helpers.drawn_marks(ax) for ax in (bars, line, points)] == [3, 4 + 5, 2]
    assert helpers.drawn_marks(fig) == 3 + 4 + 5 + 2
    plt.close(fig)
    one = plt.figure()
    one.add_subplot().bar(["a", "b", "c"], [3, 1, 2])
    assert helpers.drawn_marks(one) == 3
    five = plt.figure()
    five.add_subplot().plot([1, 2, 3, 4, 5])
    assert helpers.drawn_marks(five) == 5
    plt.close("all")


def test_an_image_counts_its_cells_with_a_value_and_not_its_colour_bar():
    fig, ax = plt.subplots()
    values = np.arange(12, dtype=float).reshape(3, 4)
    values[0, 0] = np.nan
    image = ax.imshow(np.ma.masked_greater(values, 9))  # one NaN and two masked cells
    fig.colorbar(image)
    assert helpers.drawn_marks(fig) == 9
    rgb = plt.figure()
    rgb.add_subplot().imshow(np.zeros((20, 30, 3), dtype=np.uint8))  # a word cloud is an RGB image
    assert helpers.drawn_marks(rgb) == 600
    mesh = plt.figure()
    mesh.add_subplot().pcolormesh(np.array([[1.0, np.nan], [3.0, 4.0]]))
    assert helpers.drawn_marks(mesh) == 3
    plt.close("all")


def test_line_segments_count_when_two_of_their_vertices_are_finite():
    from matplotlib.collections import LineCollection
    from matplotlib.path import Path

    nan = np.nan
    segments = [[(0, 0), (1, 1)], [(0, nan), (1, 1)], [(0, 0), (nan, 1), (2, 2)], [(5, 5)], [(0, 0), (np.inf, 1)],
                np.ma.masked_array([(0, 0), (1, 1)], mask=[[0, 0], [1, 0]])]
    fig, ax = plt.subplots()
    ax.add_collection(LineCollection(segments))
    assert helpers.drawn_marks(ax) == 2
    ax.eventplot([[1, 2, 3], [2.5, nan]])  # a dispersion plot: one segment per event, NaN events not drawn
    assert helpers.drawn_marks(ax) == 2 + 4
    closed = LineCollection([])  # paths with codes cannot be given through the public API; subclasses may have them
    closed._paths = [Path([(0, 0), (1, 0), (1, 1), (0, 0)], [Path.MOVETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]),
                     Path([(0, 0), (nan, 0)], [Path.MOVETO, Path.LINETO])]
    ax.add_collection(closed)
    assert helpers.drawn_marks(ax) == 2 + 4 + 1
    plt.close(fig)


def test_a_network_counts_its_nodes_and_edges(tmp_path):
    pairs = pd.DataFrame({"term_a": ["libya", "libya", "drug"], "term_b": ["drug", "memorandum", "trafficking"],
                          "count": [4, 3, 2], "score": [12.0, 11.0, 10.0]})
    ax = helpers.plot_network(pairs, n=3, note="")
    assert helpers.drawn_marks(ax) == 4 + 3  # libya, drug, memorandum, trafficking; three edges
    helpers.set_output_dir(tmp_path)
    helpers.save_figure(ax, "network")
    assert _marks(tmp_path) == {"network": 7}
    plt.close("all")


def test_the_svg_has_the_png_s_layout_and_box(tmp_path):
    import re

    from PIL import Image

    helpers.set_output_dir(tmp_path)
    fig, axes = plt.subplots(2, 2, figsize=(6, 4), layout="constrained")
    for i, ax in enumerate(axes.flat):
        ax.barh(["drug trafficking", "libya", "memorandum"], [5, 3, i + 1])
        ax.set_title(f"Topic {i + 1}: a title that needs room")
    png, svg = helpers.save_figure(fig, "bars")
    assert fig.get_layout_engine().__class__.__name__ == "ConstrainedLayoutEngine"  # given back to the notebook
    plt.close(fig)
    width_px, height_px = Image.open(png).size
    width_pt, height_pt = (float(v) for v in re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"',
                                                       svg.read_text()).groups())
    # one box in inches (the PNG at 200 dpi, the SVG in points), cut tight around the same laid-out figure
    assert width_pt / 72 == pytest.approx(width_px / 200, rel=0.01)
    assert height_pt / 72 == pytest.approx(height_px / 200, rel=0.01)


def test_saving_leaves_the_figure_s_layout_engine_as_it_was(tmp_path):
    import matplotlib

    helpers.set_output_dir(tmp_path)
    # (a figure without an engine is left to matplotlib: its own savefig gives it the rcParams' engine afterwards)
    with matplotlib.rc_context({"figure.constrained_layout.use": True}):
        for layout, engine in (("tight", "TightLayoutEngine"), ("constrained", "ConstrainedLayoutEngine")):
            fig = plt.figure(layout=layout)
            fig.add_subplot().plot([1, 2])
            helpers.save_figure(fig, f"layout {layout}")
            assert type(fig.get_layout_engine()).__name__ == engine
            plt.close(fig)
