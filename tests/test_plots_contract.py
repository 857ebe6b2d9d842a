"""Charts never draw empty axes (issue 17): every plot_* function on a one-row table returns an Axes that draws data,
and on an empty or degenerate table (no rows, no finite value) raises ValueError("nothing to plot: ...")."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import Collection
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

import helpers
import helpers.charts.fonts

ARTICLES = pd.DataFrame({
    "doc_id": ["a", "b", "c"],
    "title": ["Storm hits coast", "Police seize drugs", "Storm damage"],
    "text": ["The storm hit the coast. Officials said the storm damage was severe. Great help arrived.",
             "Police seized drugs at the port. The drug smugglers were charged. Police said the storm slowed them.",
             "Storm damage grew. The coast road closed. Officials said the storm was the worst in years."],
    "date": pd.to_datetime(["2024-01-10", "2024-02-11", "2024-02-20"], utc=True),
    "source": ["a.example", "b.example", "a.example"],
    "collection": ["news", "police", "news"],
})


@pytest.fixture(scope="module")
def tables() -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tokens = helpers.tokenize(ARTICLES)
        return {
            "tokens": tokens,
            "frequencies": helpers.frequencies(tokens),
            "keyness": helpers.keyness(tokens, target={"collection": "news"}, articles=ARTICLES),
            "trends": helpers.trends(tokens, ARTICLES, terms=["storm"]),
            "cooccurrence": helpers.cooccurrence(tokens, min_count=1),
            "collocations": helpers.collocations(tokens),
            "topics": helpers.topics(tokens, n_topics=2, min_df=1, max_df=1.0).topic_terms,
            "speakers": pd.DataFrame({"group": ["all"], "speaker_entity": ["Ann Lee"], "speaker_label": ["PERSON"],
                                      "n_quotes": [2], "share": [1.0], "ci_low": [0.34], "ci_high": [1.0]}),
            "quoted_share": pd.DataFrame({"group": ["all"], "quoted_share": [0.25]}),
            "sentiment": pd.DataFrame({"doc_id": ["a"], "date": ARTICLES["date"].iloc[:1].array, "compound": [0.4]}),
        }


# plot function -> (the table it draws, how to call it, the column that carries the values)
PLOTS = {
    "plot_frequencies": ("frequencies", lambda t: helpers.plot_frequencies(t, note=""), "per_10k"),
    "plot_wordcloud": ("frequencies", lambda t: helpers.plot_wordcloud(t, note=""), "frequency"),
    "plot_keyness": ("keyness", lambda t: helpers.plot_keyness(t, note=""), "log_ratio"),
    "plot_trends": ("trends", lambda t: helpers.plot_trends(t, note=""), "per_10k"),
    "plot_heatmap": ("trends", lambda t: helpers.plot_heatmap(t, index="term", columns="period", values="per_10k",
                                                               note=""), "per_10k"),
    "plot_network": ("cooccurrence", lambda t: helpers.plot_network(t, note=""), "score"),
    "plot_collocations": ("collocations", lambda t: helpers.plot_collocations(t, note=""), "likelihood_ratio"),
    "plot_topics": ("topics", lambda t: helpers.plot_topics(t, note=""), "weight"),
    "plot_sentiment": ("sentiment", lambda t: helpers.plot_sentiment(t, note=""), "compound"),
    "plot_top_speakers": ("speakers", lambda t: helpers.plot_top_speakers(t, note=""), "n_quotes"),
    "plot_speaker_shares": ("speakers", lambda t: helpers.plot_speaker_shares(t, key="speaker_entity", note=""),
                            "share"),
    "plot_quoted_share": ("quoted_share", lambda t: helpers.plot_quoted_share(t, note=""), "quoted_share"),
    "plot_dispersion": ("tokens", lambda t: helpers.plot_dispersion(t, ["storm"], note=""), None),
}


def marks(fig) -> int:
    """Data marks drawn: bars with a size, line vertices with finite data, collection members, image cells."""
    count = 0
    for ax in fig.axes:
        for artist in ax.get_children():
            if isinstance(artist, Rectangle) and artist is not ax.patch:
                count += int(artist.get_width() != 0 and artist.get_height() != 0 and artist.get_visible())
            elif isinstance(artist, Line2D):
                x, y = (np.asarray(v, dtype=float) for v in (artist.get_xdata(True), artist.get_ydata(True))) \
                    if not np.issubdtype(np.asarray(artist.get_xdata(True)).dtype, np.datetime64) else \
                    (np.zeros(len(artist.get_ydata(True))), np.asarray(artist.get_ydata(True), dtype=float))
                count += int(np.isfinite(y).sum()) if len(x) == len(y) and artist.get_gid() is None else 0
            elif isinstance(artist, Collection):
                count += max(len(artist.get_offsets()) if len(artist.get_offsets()) > 1 else 0,
                             len(getattr(artist, "get_segments", lambda: [])()),
                             len(getattr(artist, "get_positions", lambda: [])()))
            elif isinstance(artist, AxesImage):
                count += int(np.ma.count(artist.get_array()))
    return count


def test_every_plot_function_is_covered():
    public = {name for name in helpers.__all__ if name.startswith("plot_")}
    assert public == set(PLOTS)


@pytest.mark.parametrize("name", list(PLOTS))
def test_one_row_draws_data(name, tables):
    source, call, _ = PLOTS[name]
    table = tables[source]
    one = table[table["term"].astype(str) == "storm"] if name == "plot_dispersion" else table.head(1)
    ax = call(one)
    try:
        assert isinstance(ax, plt.Axes)
        assert marks(ax.figure) > 0, f"{name} drew no data from one row"
    finally:
        plt.close(ax.figure)


@pytest.mark.parametrize("name", list(PLOTS))
def test_empty_table_is_nothing_to_plot(name, tables):
    source, call, _ = PLOTS[name]
    figures = set(plt.get_fignums())
    with pytest.raises(ValueError, match=rf"^nothing to plot: {name}: "):
        call(tables[source].iloc[:0])
    assert set(plt.get_fignums()) == figures, f"{name} left a figure behind"


@pytest.mark.parametrize("name", [n for n, (_, _, column) in PLOTS.items() if column])
def test_no_finite_value_is_nothing_to_plot(name, tables):
    source, call, column = PLOTS[name]
    with pytest.raises(ValueError, match=rf"^nothing to plot: {name}: "):
        call(tables[source].head(3).assign(**{column: np.nan}))


def test_dispersion_of_terms_that_never_occur_is_nothing_to_plot(tables):
    with pytest.raises(ValueError, match="^nothing to plot: plot_dispersion: none of"):
        helpers.plot_dispersion(tables["tokens"], ["hurricane"])


def test_the_rule_is_documented():
    assert "nothing to plot" in helpers.charts.__doc__


# --- glyphs the default font lacks ------------------------------------------------------------------------------

TERMS = pd.DataFrame({"term": ["भारत", "चुनाव", "东京", "libya"], "per_10k": [4.0, 3.0, 2.0, 1.0],
                      "frequency": [4, 3, 2, 1]})


def _box_font(path, family: str, chars: str) -> None:
    """A TrueType font named ``family`` with a box glyph for each of ``chars`` (a stand-in for a Noto font)."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    names = {ord(c): f"uni{ord(c):04X}" for c in dict.fromkeys(chars)}
    order = [".notdef", "space", *names.values()]
    pen = TTGlyphPen(None)
    pen.moveTo((100, 0)), pen.lineTo((100, 700)), pen.lineTo((500, 700)), pen.lineTo((500, 0)), pen.closePath()
    box = pen.glyph()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({32: "space", **names})
    builder.setupGlyf({name: TTGlyphPen(None).glyph() if name == "space" else box for name in order})
    builder.setupHorizontalMetrics({name: (600, 100) for name in order})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    builder.save(str(path))


@pytest.fixture
def fresh_notes(monkeypatch):
    monkeypatch.setattr(helpers.charts.fonts, "_noted_scripts", set())
    helpers.charts.fonts._coverage.cache_clear()
    yield
    helpers.charts.fonts._coverage.cache_clear()


@pytest.fixture
def noto_installed(tmp_path, fresh_notes):
    """Fonts named as fonts-noto-core's and fonts-noto-cjk's, with the test's Devanagari and CJK glyphs."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    before = list(manager.ttflist)
    for family, chars in (("Noto Sans Devanagari", "भारतचुनाव"), ("Noto Sans CJK JP", "东京")):
        path = tmp_path / f"{family.replace(' ', '')}.ttf"
        _box_font(path, family, chars)
        manager.addfont(str(path))
    manager._findfont_cached.cache_clear()
    yield
    manager.ttflist = before
    manager._findfont_cached.cache_clear()
    plt.rcdefaults()


def _render(fig) -> list[str]:
    """Draw ``fig`` as a PNG; the missing-glyph warnings matplotlib gives while drawing."""
    import io

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_labels_fall_back_to_an_installed_font_with_their_glyphs(noto_installed, capsys):
    assert helpers.charts.fonts.fallback_families()[:2] == ["Noto Sans Devanagari", "Noto Sans CJK JP"]
    ax = helpers.plot_frequencies(TERMS, note="", title="चुनाव 2024")
    assert _render(ax.figure) == []  # every glyph found in some font of the list
    helpers.use_style()
    assert list(plt.rcParams["font.family"])[1:3] == ["Noto Sans Devanagari", "Noto Sans CJK JP"]
    fig, own = plt.subplots()
    own.set_title("东京")
    assert _render(fig) == []
    assert "note:" not in capsys.readouterr().out


def test_without_such_a_font_one_note_per_script_once(monkeypatch, fresh_notes, capsys):
    monkeypatch.setattr(helpers.charts.fonts, "fallback_families", lambda: [])
    for _ in range(2):
        ax = helpers.plot_frequencies(TERMS, note="")
        assert _render(ax.figure)  # the glyphs really are missing: DejaVu Sans has neither script
    notes = capsys.readouterr().out.strip().splitlines()
    assert len(notes) == 2 and all(line.startswith("note: no installed font has") for line in notes)
    assert "Devanagari" in notes[0] + notes[1] and "CJK" in notes[0] + notes[1]
    assert all("fonts-noto-core" in line for line in notes)


def test_word_cloud_takes_a_fallback_font_with_its_glyphs(noto_installed, capsys):
    from matplotlib import font_manager

    words = ["भारत", "चुनाव"]
    assert helpers.charts.fonts.cloud_font(words) == font_manager.findfont(
        font_manager.FontProperties(family=["Noto Sans Devanagari"]))
    assert helpers.charts.fonts.cloud_font(["libya"]) is None  # wordcloud's own font has Latin
    assert capsys.readouterr().out == ""
