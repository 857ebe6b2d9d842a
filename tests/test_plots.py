"""Every plot_* function on a small fixed frame: the right number of bars, lines, labels, the title, and the saved
files are valid PNG and SVG that draw what the figure held."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import matplotlib.image
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import helpers
from figures import drawn_in, svg_marks
from helpers.charts import notes as chart_notes

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def run_folder(tmp_path):
    helpers.set_output_dir(tmp_path)
    helpers.set_source_note(None)
    yield tmp_path
    helpers.set_source_note(None)
    plt.close("all")


def texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def ytick_labels(ax) -> list[str]:
    return [t.get_text() for t in ax.get_yticklabels()]


def assert_saved_as_drawn(ax, paths, min_width=100):
    """The saved PNG and SVG are valid, and the SVG draws the bars, line vertices, points, events and images the
    figure held before it was saved (some of them: a figure that draws nothing fails)."""
    png, svg = paths
    assert png.suffix == ".png" and svg.suffix == ".svg"
    assert png.read_bytes()[:8] == PNG_SIGNATURE
    height, width = matplotlib.image.imread(png).shape[:2]
    assert width >= min_width and height >= 50
    root = ET.parse(svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    drawn = drawn_in(getattr(ax, "figure", ax))
    assert svg_marks(svg) == drawn
    assert sum(r["bars"] + sum(r["line_vertices"]) + r["points"] + r["events"] + r["images"] for r in drawn) > 0


@pytest.fixture
def freq():
    return pd.DataFrame({
        "term": ["libya", "drug", "security", "embassy", "mou"],
        "frequency": [10, 4, 5, 4, 4], "docfreq": [1, 1, 1, 1, 1],
        "per_10k": [545.0, 218.0, 273.0, 218.0, 218.0], "rank": [1, 3, 2, 3, 3],
    })


def test_frequencies_bars_ranked_largest_on_top(freq):
    ax = helpers.plot_frequencies(freq, n=3)
    assert len(ax.patches) == 3
    # barh draws bottom-up: the top label is the most frequent term; ties (drug, embassy, mou) go alphabetically
    assert ytick_labels(ax) == ["drug", "security", "libya"]
    assert [p.get_width() for p in ax.patches] == [218.0, 273.0, 545.0]
    assert ax.get_title() == "Top 3 terms, frequency per 10,000 tokens"
    assert ax.get_xlabel() == "Frequency (per 10,000 tokens)"
    assert_saved_as_drawn(ax, helpers.save_figure(ax, "top terms"))


def test_frequencies_by_group_draws_one_panel_per_group(freq):
    grouped = pd.concat([freq.assign(source="a"), freq.assign(source="b").head(2)])
    ax = helpers.plot_frequencies(grouped, n=4, by="source")
    panels = ax.figure.axes
    assert [p.get_title() for p in panels] == ["a", "b"]
    assert [len(p.patches) for p in panels] == [4, 2]
    assert ax.figure.get_suptitle() == "Top 4 terms by source, frequency per 10,000 tokens"


def test_frequencies_on_given_axes_and_raw_counts(freq):
    fig, ax = plt.subplots()
    returned = helpers.plot_frequencies(freq, n=2, value="frequency", ax=ax)
    assert returned is ax
    assert ax.get_xlabel() == "Frequency (occurrences)"
    assert ytick_labels(ax) == ["security", "libya"]


def test_missing_column_is_a_clear_error(freq):
    with pytest.raises(ValueError, match=r"plot_frequencies needs columns \['per_10k'\]"):
        helpers.plot_frequencies(freq.drop(columns="per_10k"))


@pytest.fixture
def keyness():
    return pd.DataFrame({
        "term": ["libya", "mou", "drug", "trump", "said", "year"],
        "g2": [60.0, 30.0, 12.0, 25.0, 8.0, 1.0],
        "log_ratio": [np.inf, 10.0, 6.0, -3.0, -1.5, -0.2],
        "log_ratio_ci_low": [9.0, 8.0, 4.0, -4.0, -2.5, -1.5],
        "log_ratio_ci_high": [np.inf, 12.0, 8.0, -2.0, -0.5, 1.1],
        "key_for": ["target", "target", "target", "reference", "reference", "reference"],
        "significant": [True, True, True, True, True, False],
    })


def test_keyness_two_sided_with_significance_and_infinity(keyness):
    ax = helpers.plot_keyness(keyness, n=2, labels=("seed", "Wikinews"))
    widths = [p.get_width() for p in ax.patches]
    assert len(widths) == 4
    assert sum(w > 0 for w in widths) == 2 and sum(w < 0 for w in widths) == 2
    # strongest target term on top, strongest reference term at the bottom; labels in that order
    labels = [t for t in texts(ax) if t.strip() != "∞"]
    assert labels == ["libya", "mou", "said", "trump"]
    assert "∞" in [t.strip() for t in texts(ax)]
    assert ax.get_title() == "Key terms: seed vs Wikinews (top 2 per side by G²)"
    assert ax.get_xlabel().startswith("Log ratio")
    assert [h.get_label() for h in ax.get_legend().legend_handles] == [
        "key for seed", "key for Wikinews", "not significant (n.s.)"]
    assert_saved_as_drawn(ax, helpers.save_figure(ax, "keyness"))


def test_keyness_ranks_signed_g2_by_its_size(keyness):
    signed = keyness.assign(g2=keyness["g2"].where(keyness["key_for"] == "target", -keyness["g2"]))
    ax = helpers.plot_keyness(signed, n=1)
    assert [t for t in texts(ax) if t.strip() != "∞"] == ["libya", "trump"]


def test_keyness_marks_non_significant_terms_pale(keyness):
    ax = helpers.plot_keyness(keyness, n=3)
    by_label = {t.get_text(): t for t in ax.texts}
    assert "year  n.s." in by_label
    alphas = sorted({p.get_alpha() for p in ax.patches})
    assert alphas == [0.35, 1.0]


def test_dispersion_one_row_per_term_with_hit_counts():
    tokens = pd.DataFrame({"doc_id": ["b"] * 3 + ["a"] * 3,
                           "term": ["libya", "us", "libya", "drug", "x", "libya"]})
    articles = pd.DataFrame({"doc_id": ["a", "b"], "date": pd.to_datetime(["2019-01-01", "2019-02-01"], utc=True)})
    ax = helpers.plot_dispersion(tokens, ["libya", "drug", "absent"], articles)
    # first term on top: tick labels run bottom-up
    assert ytick_labels(ax) == ["absent (0)", "drug (1)", "libya (3)"]
    events = ax.collections[1:]
    assert [len(e.get_positions()) for e in events] == [3, 1, 0]
    # article a (January) is read first: drug is its first token, at 0 %
    assert events[1].get_positions() == [0.0]
    assert ax.get_title() == "Where 3 terms occur (dispersion plot)"
    assert "articles by date" in ax.get_xlabel()
    assert_saved_as_drawn(ax, helpers.save_figure(ax, "dispersion"))


@pytest.fixture
def trends():
    periods = pd.to_datetime(["2019-01-01", "2019-02-01", "2019-03-01", "2019-04-01"])
    rows = []
    for term, values in {"libya": [2.0, np.nan, 4.0, 1.0], "drug": [0.0, np.nan, 1.0, 3.0]}.items():
        rows.append(pd.DataFrame({"period": periods, "term": term, "count": values, "n_articles": [3, np.nan, 2, 2],
                                  "n_tokens": [900, np.nan, 500, 700], "per_10k": values,
                                  "share_articles": [v / 4 for v in values]}))
    return pd.concat(rows, ignore_index=True)


def test_trends_small_multiples_with_gaps(trends):
    ax = helpers.plot_trends(trends, events={"2019-03-15": "summit"})
    panels = ax.figure.axes
    assert [p.get_title() for p in panels] == ["libya", "drug"]
    assert all(len(p.lines) == 2 for p in panels)  # the term's line and the event marker
    libya = panels[0].lines[0].get_ydata()
    assert np.isnan(libya[1]) and libya.tolist()[::2] == [2.0, 4.0]
    assert "summit" in texts(panels[0])
    assert ax.figure.get_suptitle().endswith("(a gap = no articles)")
    assert_saved_as_drawn(ax, helpers.save_figure(ax, "trends"))


def test_trends_on_one_axes_share_of_articles(trends):
    fig, ax = plt.subplots()
    helpers.plot_trends(trends, terms=["drug"], value="share_articles", ax=ax)
    assert len(ax.lines) == 1 and ax.lines[0].get_label() == "drug"
    assert ax.get_ylabel() == "Share of articles"
    assert ax.yaxis.get_major_formatter().format_pct(0.5, 1) == "50%"


def test_trends_of_many_terms_on_one_given_axes_draw_a_line_each(trends):
    fig, ax = plt.subplots()
    assert helpers.plot_trends(trends, ax=ax) is ax
    assert fig.axes == [ax] and [line.get_label() for line in ax.lines] == ["libya", "drug"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["libya", "drug"]


def test_trends_on_a_list_of_given_axes_draw_a_panel_each(trends):
    fig, axes = plt.subplots(1, 2)
    first = helpers.plot_trends(trends, ax=axes)
    assert first is axes[0] and [p.get_title() for p in axes] == ["libya", "drug"]


def test_trends_rejects_unknown_terms(trends):
    with pytest.raises(ValueError, match="not in the trends table"):
        helpers.plot_trends(trends, terms=["nothing"])


def test_heatmap_keeps_empty_periods_blank(trends):
    ax = helpers.plot_heatmap(trends, index="term", columns="period", values="per_10k")
    grid = ax.images[0].get_array()
    assert grid.shape == (2, 4)
    assert grid.mask[:, 1].all() and not grid.mask[:, [0, 2, 3]].any()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2019-01", "2019-02", "2019-03", "2019-04"]
    assert ytick_labels(ax) == ["libya", "drug"]  # sorted by mean, highest first
    assert "4" in texts(ax)
    assert ax.get_title() == "Frequency (per 10,000 tokens) by term and period"
    assert_saved_as_drawn(ax, helpers.save_figure(ax, "heatmap"))


def test_heatmap_writes_values_in_small_grids_only():
    from helpers.charts.heatmap import ANNOTATE_UP_TO

    def grid(n_rows):
        return pd.DataFrame({"term": [f"t{i}" for i in range(n_rows)] * 2, "period": ["a"] * n_rows + ["b"] * n_rows,
                             "per_10k": np.arange(2.0 * n_rows) + 1})

    small = helpers.plot_heatmap(grid(ANNOTATE_UP_TO // 2), index="term", columns="period", values="per_10k")
    assert len(small.texts) == ANNOTATE_UP_TO
    large = helpers.plot_heatmap(grid(ANNOTATE_UP_TO // 2 + 1), index="term", columns="period", values="per_10k")
    assert len(large.texts) == 0 and large.images[0].get_array().count() == ANNOTATE_UP_TO + 2


def test_sparse_heatmap_reads_as_a_diagonal():
    key = pd.DataFrame({"period": pd.to_datetime(["2019-03-01", "2019-01-01", "2019-02-01", "2019-01-01"]),
                        "term": ["storm", "penguins", "sharks", "youth"], "log_ratio": [9.0, 8.0, 7.5, 6.0]})
    ax = helpers.plot_heatmap(key, index="term", columns="period", values="log_ratio")
    assert ytick_labels(ax) == ["penguins", "youth", "sharks", "storm"]


def test_network_nodes_sized_by_frequency_edges_by_score():
    co = pd.DataFrame({"term_a": ["libya", "libya", "drug", "weak"], "term_b": ["us", "drug", "trafficking", "pair"],
                       "count": [5, 3, 2, 1], "score": [2.0, 1.0, 3.0, 0.1]})
    freq = pd.DataFrame({"term": ["libya", "us", "drug", "trafficking"], "frequency": [10, 5, 5, 1]})
    ax = helpers.plot_network(co, n=3, frequencies=freq)
    edges, nodes = ax.collections[0], ax.collections[1]
    assert len(edges.get_segments()) == 3
    assert len(nodes.get_offsets()) == 4
    # nodes enter the graph with the strongest pair first: drug–trafficking, libya–us, libya–drug
    sizes = dict(zip(["drug", "trafficking", "libya", "us"], nodes.get_sizes()))
    assert sizes["libya"] > sizes["us"] == sizes["drug"] > sizes["trafficking"]
    widths = dict(zip(["drug-trafficking", "drug-libya", "libya-us"], edges.get_linewidths()))
    assert widths["drug-trafficking"] > widths["libya-us"] > widths["drug-libya"]
    assert sorted(texts(ax))[:4] == ["Node size = term frequency; edge width = association score (1–3)",
                                     "drug", "libya", "trafficking"]
    assert ax.get_title() == "Co-occurrence network: 3 strongest pairs"
    assert_saved_as_drawn(ax, helpers.save_figure(ax, "network"))


def test_network_takes_node_frequency_from_the_pair_table():
    co = pd.DataFrame({"term_a": ["Saffir", "Houthi"], "term_b": ["Simpson", "Yemen"], "count": [4, 3],
                       "score": [14.0, 14.0], "measure": "log_dice", "freq_a": [4, 3], "freq_b": [9, 3]})
    ax = helpers.plot_network(co)
    sizes = dict(zip(["Saffir", "Simpson", "Houthi", "Yemen"], ax.collections[1].get_sizes()))
    assert sizes["Simpson"] > sizes["Saffir"] > sizes["Houthi"] == sizes["Yemen"]
    assert "Node size = frequency; edge width = log dice (all 14)" in texts(ax)


def test_keyness_hatches_an_effect_that_points_against_key_for(keyness):
    odd = keyness.assign(log_ratio=keyness["log_ratio"].where(keyness["term"] != "said", 2.0),
                         log_ratio_ci_low=None, log_ratio_ci_high=None)
    ax = helpers.plot_keyness(odd, n=2)
    hatched = [p.get_hatch() for p in ax.patches]
    assert hatched.count("////") == 1
    assert ax.get_legend().legend_handles[-1].get_label() == "log ratio points the other way (a zero count)"


def test_collocations_table_plot():
    c = pd.DataFrame({"ngram": ["united states", "drug trafficking", "mou signed"], "w1": ["united", "drug", "mou"],
                      "w2": ["states", "trafficking", "signed"], "frequency": [140, 5, 2],
                      "pmi": [8.25, 9.5, 4.0], "likelihood_ratio": [1680.4, 60.0, 3.0], "log_dice": [13.7, 12.0, 9.0]})
    ax = helpers.plot_collocations(c, n=2)
    assert len(ax.patches) == 2
    assert ytick_labels(ax) == ["drug trafficking", "united states"]
    assert texts(ax) == ["freq", "5", "140", "PMI", "9.5", "8.25", "logDice", "12", "13.7"]
    assert ax.get_title() == "Top 2 collocations by log-likelihood ratio (G²)"
    assert_saved_as_drawn(ax, helpers.save_figure(ax, "collocations"))


def test_wordcloud_is_one_image(freq):
    ax = helpers.plot_wordcloud(freq, n=3)
    assert len(ax.images) == 1 and ax.images[0].get_array().shape[:2] == (700, 1200)
    assert ax.get_title() == "Word cloud of the 3 most frequent terms"
    assert_saved_as_drawn(ax, helpers.save_figure(ax, "wordcloud"))


def test_topics_grid_one_panel_per_topic():
    tt = pd.DataFrame({"topic": [0, 0, 0, 1, 1, 2], "rank": [1, 2, 3, 1, 2, 1],
                       "term": ["libya", "drug", "mou", "vote", "poll", "storm"], "weight": [0.5, 0.3, 0.1, 0.6, 0.2, 0.9]})
    ax = helpers.plot_topics(tt, n=2, ncols=2)
    panels = [p for p in ax.figure.axes if p.get_visible()]
    assert [len(p.patches) for p in panels] == [2, 2, 1]
    assert [p.get_title() for p in panels] == ["Topic 0: libya, drug", "Topic 1: vote, poll", "Topic 2: storm"]
    assert ax.figure.get_suptitle() == "3 topics, top 2 terms each"
    assert_saved_as_drawn(ax, helpers.save_figure(ax, "topics"))


def test_sentiment_sentence_rows_averaged_per_article_and_gaps():
    s = pd.DataFrame({"doc_id": ["a", "a", "b", "c", "d"], "sentence": [0, 1, 0, 0, 0],
                      "date": pd.to_datetime(["2019-01-05", "2019-01-05", "2019-01-20", "2019-03-02", None], utc=True),
                      "compound": [0.4, 0.2, -0.1, 0.5, 0.9], "pos": 0.1, "neu": 0.8, "neg": 0.1})
    ax = helpers.plot_sentiment(s, freq="M")
    means = ax.lines[0].get_ydata()
    assert means[0] == pytest.approx((0.3 - 0.1) / 2) and np.isnan(means[1]) and means[2] == 0.5
    assert len(ax.collections[-1].get_offsets()) == 3  # one dot per dated article
    assert ax.get_title() == "Sentiment per month: mean VADER compound score of 3 articles (1 undated not shown)"
    assert_saved_as_drawn(ax, helpers.save_figure(ax, "sentiment"))


def test_sentiment_without_dates_is_a_clear_error():
    s = pd.DataFrame({"doc_id": ["a"], "date": [pd.NaT], "compound": [0.1]})
    with pytest.raises(ValueError, match="no article has a date"):
        helpers.plot_sentiment(s)


def test_source_note_written_once_under_saved_figures(freq, run_folder):
    articles = pd.DataFrame({"doc_id": ["a", "b"], "collection": ["wikinews_2019", "articles"],
                             "date": pd.to_datetime(["2019-01-04", "2019-12-30"], utc=True)})
    helpers.set_source_note(articles)
    ax = helpers.plot_frequencies(freq)
    helpers.save_figure(ax.figure, "with note")
    notes = [t.get_text() for t in ax.figure.texts if t.get_gid() == chart_notes.NOTE_GID]
    assert notes == ["n = 2 articles, 2019-01-04 – 2019-12-30; Wikinews CC BY 2.5"]
    svg = (run_folder / "figures" / "with-note.svg").read_text()
    assert "Wikinews CC BY 2.5" in svg


def test_no_note_when_asked(freq):
    helpers.set_source_note("n = 1 article")
    ax = helpers.plot_frequencies(freq, note="")
    assert not ax.figure.texts


def test_plots_leave_global_style_alone(freq):
    before = plt.rcParams["axes.spines.top"]
    helpers.plot_frequencies(freq)
    assert plt.rcParams["axes.spines.top"] == before


def test_save_figure_names_are_stable_and_rewritten(freq, run_folder):
    first = helpers.save_figure(helpers.plot_frequencies(freq), "Top Terms (all)")
    second = helpers.save_figure(helpers.plot_frequencies(freq), "Top Terms (all)")
    assert first == second == [run_folder / "figures" / "top-terms-all.png", run_folder / "figures" / "top-terms-all.svg"]
    assert helpers.saved_outputs()["file"].tolist() == ["figures/top-terms-all.png", "figures/top-terms-all.svg"]
    with pytest.raises(TypeError, match="needs a matplotlib Figure or Axes"):
        helpers.save_figure("not a figure", "x")


def test_svg_marks_reads_back_what_a_hand_made_figure_draws(tmp_path):
    fig, (bars, lines, image, scatter) = plt.subplots(1, 4)
    bars.bar(["a", "b", "c"], [1, 2, 3])
    bars.legend(["legend patches are not data"])
    lines.plot([1, 2, 3], [1, np.nan, 3], marker="o")  # a gap: two vertices drawn
    lines.plot([1, 2], [3, 4])
    image.imshow(np.arange(12).reshape(3, 4))
    scatter.eventplot([[1, 2, 3], [2]])
    scatter.scatter([1, 2], [1, 2])
    fig.savefig(tmp_path / "marks.svg")
    assert svg_marks(tmp_path / "marks.svg") == [
        {"bars": 3, "line_vertices": [], "points": 0, "events": 0, "images": 0},
        {"bars": 0, "line_vertices": [2, 2], "points": 0, "events": 0, "images": 0},
        {"bars": 0, "line_vertices": [], "points": 0, "events": 0, "images": 1},
        {"bars": 0, "line_vertices": [], "points": 2, "events": 4, "images": 0}]
    empty, _ = plt.subplots()
    empty.savefig(tmp_path / "empty.svg")
    assert svg_marks(tmp_path / "empty.svg") == [{"bars": 0, "line_vertices": [], "points": 0, "events": 0,
                                                   "images": 0}]


NETWORK_LAYOUT = """
import json
import matplotlib; matplotlib.use("Agg")
import pandas as pd
import helpers
pairs = [("libya", "drug"), ("drug", "trafficking"), ("united", "states"), ("security", "council"),
         ("council", "vote"), ("tripoli", "government"), ("government", "accord"), ("oil", "exports"),
         ("coast", "guard"), ("migrant", "boats"), ("boats", "sea")]
table = pd.DataFrame({"term_a": [a for a, _ in pairs], "term_b": [b for _, b in pairs], "count": 3, "score": 1.0})
ax = helpers.plot_network(table, note="")
print(json.dumps(ax.collections[1].get_offsets().round(6).tolist()))
"""


def test_the_network_layout_is_the_same_whatever_the_string_hash_seed():
    # a small component's subgraph view iterated a set, so the layout changed from one Python process to the next
    import os
    import subprocess
    import sys

    layouts = []
    for seed in ("1", "2", "3"):
        done = subprocess.run([sys.executable, "-c", NETWORK_LAYOUT], capture_output=True, text=True, timeout=120,
                              env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": os.pathsep.join(sys.path)})
        assert done.returncode == 0, done.stderr
        layouts.append(done.stdout)
    assert layouts[0] == layouts[1] == layouts[2]
