"""The term explorer's three views on small inline corpora (exact values), the widget following the picked term,
and notebook 10's outputs on the sample."""

from __future__ import annotations

import pandas as pd
import pytest

import helpers
from figures import svg_marks


@pytest.fixture
def corpus():
    articles = pd.DataFrame({
        "doc_id": ["a", "b", "c"],
        "title": ["Talks", "Deal", "Undated"],
        "date": pd.to_datetime(["2019-01-10", "2019-03-02", None], utc=True),
        "source": ["x", "y", "z"],
        "text": ["Libya drug deal signed", "Libya and US talks", "drug deal"],
    })
    rows = []
    for doc, text in zip(articles["doc_id"], articles["text"]):
        start = 0
        for position, word in enumerate(text.split()):
            start = text.index(word, start)
            rows.append({"doc_id": doc, "sentence": 0, "position": position, "token": word, "term": word.lower(),
                         "start": start, "end": start + len(word), "is_stop": word == "and", "is_punct": False})
            start += len(word)
    return pd.DataFrame(rows), articles


def test_term_trend_gaps_and_shares(corpus):
    tokens, articles = corpus
    with pytest.warns(UserWarning, match="1 undated"):
        trend = helpers.term_trend(tokens, articles, ["libya", "drug"])
    assert trend["period"].dt.strftime("%Y-%m").tolist() == ["2019-01", "2019-02", "2019-03"] * 2
    libya = trend[trend["term"] == "libya"]
    assert libya["count"].tolist()[::2] == [1, 1] and pd.isna(libya["count"].iloc[1])
    assert libya["n_articles"].tolist() == [1, 0, 1]  # February has no article: a gap, as in helpers.trends
    assert libya["n_tokens"].tolist()[::2] == [4.0, 3.0]  # "and" is a stopword
    assert libya["per_10k"].tolist()[::2] == pytest.approx([2500.0, 10000 / 3])
    drug = trend[trend["term"] == "drug"]
    assert drug["share_articles"].tolist()[::2] == [1.0, 0.0]  # the undated article c is not placed


def test_term_trend_counts_literal_terms_term_by_term(corpus):
    tokens, articles = corpus
    with pytest.warns(UserWarning, match="undated"):
        trend = helpers.term_trend(tokens, articles, ["libya", "drug"])
        starred = helpers.term_trend(tokens, articles, "dru*")
    # worked out by hand: January holds a (4 content tokens), February nothing, March b (3: "and" is a stopword)
    expected = pd.DataFrame({
        "period": pd.to_datetime(["2019-01-01", "2019-02-01", "2019-03-01"] * 2),
        "term": ["libya"] * 3 + ["drug"] * 3,
        "count": pd.array([1, pd.NA, 1, 1, pd.NA, 0], dtype="Int64"),
        "docfreq": pd.array([1, pd.NA, 1, 1, pd.NA, 0], dtype="Int64"),
        "n_articles": [1, 0, 1] * 2,
        "n_tokens": [4, 0, 3] * 2,
        "per_10k": [2500.0, float("nan"), 10_000 / 3, 2500.0, float("nan"), 0.0],
        "share_articles": [1.0, float("nan"), 1.0, 1.0, float("nan"), 0.0],
    })
    pd.testing.assert_frame_equal(trend, expected, check_dtype=False)
    assert trend.attrs["undated_articles"] == 1
    assert starred["count"].sum() == 0  # "*" is literal, as in kwic: the trend counts what the KWIC lines show


def test_term_kwic_in_date_order_with_offsets(corpus):
    tokens, articles = corpus
    lines = helpers.term_kwic(tokens, articles, "deal", width=7)
    assert lines["doc_id"].tolist() == ["a", "c"]  # dated first, the undated article last
    assert lines[["left", "keyword", "right"]].values.tolist() == [["a drug", "deal", "signed"], ["drug", "deal", ""]]
    assert lines["sentence"].tolist() == ["Libya drug deal signed", "drug deal"]


def test_term_kwic_needs_offsets(corpus):
    tokens, articles = corpus
    with pytest.raises(ValueError, match=r"no column \['start', 'end'\]"):
        helpers.term_kwic(tokens.drop(columns=["start", "end"]), articles, "deal")


def test_term_collocates_log_dice(corpus):
    tokens, _ = corpus
    table = helpers.term_collocates(tokens, "drug", window=1, min_frequency=1)
    # drug: 2 occurrences; deal twice right after it (f=2), libya once before it (f=2)
    assert table[["collocate", "frequency", "collocate_frequency"]].values.tolist() == [["deal", 2, 2],
                                                                                       ["libya", 1, 2]]
    assert table["log_dice"].tolist() == pytest.approx([14.0, 13.0])
    assert helpers.term_collocates(tokens, "absent").empty


def test_explorer_widget_follows_the_picked_term(corpus):
    tokens, articles = corpus
    with pytest.warns(UserWarning, match="undated"):
        widget = helpers.explore(tokens, articles, terms=["libya", "drug"])
        explorer = widget.explorer
        assert explorer.picker.value == "libya"
        assert explorer.kwic["keyword"].tolist() == ["Libya", "Libya"]
        explorer.picker.value = "drug"
    assert explorer.kwic["doc_id"].tolist() == ["a", "c"]
    assert explorer.collocates["collocate"].tolist()[0] == "deal"
    assert "<b>1</b> occurrences" in explorer.status.value  # only article a is dated among drug's articles


def test_explorer_without_any_date_still_shows_lines_and_says_why_there_is_no_trend(corpus):
    tokens, articles = corpus
    explorer = helpers.explore(tokens, articles.assign(date=pd.NaT), terms=["deal"]).explorer
    assert explorer.trend is None and explorer.kwic["doc_id"].tolist() == ["a", "c"]
    assert "<b>0</b> occurrences" in explorer.status.value


@pytest.mark.slow
def test_notebook_10_outputs_on_the_sample(notebook_run, default_articles):
    tables = notebook_run / "tables"
    summary = pd.read_csv(tables / "articles-summary.csv").set_index("collection")
    assert summary.loc["all", "n_articles"] == len(default_articles)
    wikinews = default_articles.loc[default_articles["collection"] == "wikinews_2019", "date"]
    assert summary.loc["wikinews_2019", "first_date"] == f"{wikinews.min():%Y-%m-%d}" == "2019-01-04"
    trends = pd.read_csv(tables / "explore-term-trends.csv")
    dated = default_articles["date"].dropna().dt.tz_localize(None).dt.to_period("M")
    n_months = (dated.max() - dated.min()).n + 1  # every month from the first to the last, gaps included
    terms = trends["term"].unique().tolist()
    assert len(terms) >= 2 and (trends.groupby("term").size() == n_months).all()
    collocates = pd.read_csv(tables / "term-collocates.csv")
    assert set(collocates["term"]) <= set(terms) and (collocates["frequency"] > 0).all()
    kwic = pd.read_csv(tables / "term-kwic.csv")
    assert (kwic["keyword"].str.lower() == kwic["term"]).all() and set(kwic["term"]) <= set(terms)
    # what each saved figure draws, read back from its SVG, against the tables it was drawn from
    figures = notebook_run / "figures"
    lines = svg_marks(figures / "explore-term-trends.svg")
    assert [len(panel["line_vertices"]) for panel in lines] == [1] * len(terms)  # one panel, one line per term
    assert sum(sum(panel["line_vertices"]) for panel in lines) == trends["per_10k"].notna().sum()
    assert svg_marks(figures / "term-collocates.svg")[0]["bars"] == min(20, len(collocates))
    assert svg_marks(figures / "term-share-heatmap.svg")[0]["images"] == 1
    assert svg_marks(figures / "wordcloud.svg")[0]["images"] == 1
    assert svg_marks(figures / "term-dispersion.svg")[0]["events"] >= 5  # each of the five terms occurs


def test_explorer_offers_the_most_frequent_words_ties_in_order_of_first_appearance():
    from helpers.views.explorer import _frequent_words

    articles = pd.DataFrame({"doc_id": ["a", "b"], "text": [
        "Zinc and iron. 2019 figures: zinc, iron, copper; 5G towers. Émigrés met émigrés.",
        "Copper rose. Iron fell. Tin held. _under 42 zinc"]})
    tokens = helpers.tokenize(articles)
    # zinc 3, iron 3, copper 2, émigrés 2 (then the rest once, in order of appearance); numbers and "5g" are left out
    assert _frequent_words(tokens, 5) == ["zinc", "iron", "copper", "émigrés", "figures"]
    words = helpers.content_tokens(tokens)["term"].astype(str)
    words = words[words.str.match(r"[^\W\d_]")]
    first_seen = {w: i for i, w in reversed(list(enumerate(words)))}
    expected = sorted(words.value_counts().index, key=lambda w: (-(words == w).sum(), first_seen[w]))
    assert _frequent_words(tokens, 300) == expected


def test_a_list_of_terms_gives_each_term_s_rows_as_one_call_per_term(corpus):
    tokens, articles = corpus
    terms = ["deal", "libya", "absent", "deal"]
    one_by_one = pd.concat([helpers.term_kwic(tokens, articles, term, width=7, max_lines=1) for term in terms],
                           ignore_index=True)
    together = helpers.term_kwic(tokens, articles, terms, width=7, max_lines=1)
    pd.testing.assert_frame_equal(together, one_by_one)
    assert together["query"].tolist() == ["deal", "libya", "deal"]
    collocates = [helpers.term_collocates(tokens, term, window=2, min_frequency=1) for term in terms]
    pd.testing.assert_frame_equal(helpers.term_collocates(tokens, terms, window=2, min_frequency=1),
                                  pd.concat(collocates, ignore_index=True))
    assert helpers.term_kwic(tokens, articles, ["absent"]).empty
