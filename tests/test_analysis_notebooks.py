"""Outputs of notebooks 06-08 on the default articles (the seed article and the fetched samples): real values, not
only files."""

from __future__ import annotations

import pandas as pd
import pytest

import helpers

VADER = helpers.has_resource("vader_lexicon")

pytestmark = pytest.mark.slow


def _table(run, name):
    return pd.read_csv(run / "tables" / f"{name}.csv")


def test_seed_entities_name_the_libyan_and_us_officials_and_agencies(notebook_run):
    table = _table(notebook_run, "focus-entities")
    focus = set(table["entity"])
    assert {"Libya", "Abdel-Mutalib Thabet", "Khaled Al-Mabrouk Abdel-Nabi", "Jason Schumacher",
            "U.S. Drug Enforcement Administration", "Arab League"} <= focus
    # the acronym defined right after the name is one entity with it (issue 19), listed among its variants
    assert "DEA" not in focus
    assert "DEA" in table.set_index("entity").loc["U.S. Drug Enforcement Administration", "variants"]
    assert not {"Ambassador", "Thursday", "Major General"} & focus


def test_entity_mentions_point_back_into_the_text(notebook_run):
    mentions = _table(notebook_run, "entity-mentions")
    assert {"doc_id", "sentence", "start", "end", "entity", "label"} <= set(mentions.columns)
    assert ((mentions["end"] - mentions["start"]) == mentions["entity"].str.len()).all()


def test_seed_cooccurrence_ties_libya_to_drugs_and_the_mou(notebook_run):
    pairs = _table(notebook_run, "focus-term-cooccurrence")
    top = set(map(tuple, pairs.head(10)[["term_a", "term_b"]].values))
    assert ("libya", "mou") in top and ("drug", "libya") in top


def test_trends_follow_the_corpus_s_own_top_terms_and_keep_gaps(notebook_run):
    monthly = _table(notebook_run, "term-trends")
    top = _table(notebook_run, "top-terms")
    expected = top[top["term"].str.fullmatch(r"[^\W\d_]{3,}") & (top["docfreq"] > 1)]["term"].head(5).tolist()
    assert set(monthly["term"]) == set(expected) and len(expected) == 5
    weekly = _table(notebook_run, "term-trends-weekly")
    empty = weekly[weekly["n_articles"] == 0]
    assert len(empty) > 0 and empty["count"].isna().all() and empty["per_10k"].isna().all()


def test_seed_themes_exceed_every_month_of_the_year(notebook_run):
    placement = _table(notebook_run, "focus-themes-vs-periods").set_index("theme")
    for theme in ("security_narcotics", "diplomacy", "cooperation"):
        assert placement.loc[theme, "focus"] > placement.loc[theme, "max"], theme


def test_september_is_about_the_prorogation(notebook_run):
    key = _table(notebook_run, "keyness-over-time")
    september = key[key["period"].str.startswith("2019-09")]
    assert {"prorogation", "mugabe"} <= set(september["term"])
    assert {"g2", "log_ratio", "p_adjusted", "burst", "rank"} <= set(key.columns)


@pytest.mark.skipif(not VADER, reason="vader_lexicon is absent: notebook 08 skips sentiment")
def test_seed_sentiment_is_positive(notebook_run):
    focus_ids = set(_table(notebook_run, "focus-topics")["doc_id"])
    articles = _table(notebook_run, "sentiment-per-article")
    assert articles.loc[articles["doc_id"].isin(focus_ids), "compound"].mean() > 0.2


@pytest.mark.skipif(VADER, reason="vader_lexicon is present: notebook 08 scores sentiment")
def test_sentiment_is_skipped_without_the_lexicon(notebook_run):
    assert not (notebook_run / "tables" / "sentiment-per-article.csv").exists()


def test_focus_topics_are_the_seed_s_own_in_order(notebook_run):
    focus = _table(notebook_run, "focus-topics")
    doc_topics = _table(notebook_run, "doc-topics")
    seed = doc_topics[doc_topics["doc_id"].isin(set(focus["doc_id"]))]
    assert focus["share"].is_monotonic_decreasing and focus["share"].max() > 0.2
    assert focus.iloc[0]["topic"] == seed.loc[seed["share"].idxmax(), "topic"]
    assert _table(notebook_run, "topic-terms")["topic"].nunique() == 8


@pytest.mark.parametrize("name", ["entity-network", "term-network", "term-trends", "term-trends-weekly",
                                  "theme-trends-heatmap", "keyness-over-time",
                                  pytest.param("sentiment-over-time", marks=pytest.mark.skipif(
                                      not VADER, reason="vader_lexicon is absent: no sentiment chart")),
                                  "topics"])
def test_figures_of_notebooks_06_to_08_draw_data(notebook_run, name):
    marks_file = notebook_run / "figures" / "marks.csv"
    assert marks_file.exists(), "save_figure records every saved figure in figures/marks.csv"
    assert pd.read_csv(marks_file).set_index("figure").loc[name, "marks"] > 0
