"""Trends per period (gaps stay NaN), term hits, and keyness over time against helpers.keyness."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import helpers
from helpers.stats.distinctive import KeynessOptions

ARTICLES = pd.DataFrame({"doc_id": ["a", "b", "c", "d"],
                         "date": ["2019-01-05", "2019-01-20", "2019-03-02", None]})
TOKENS = pd.DataFrame({
    "doc_id": ["a"] * 4 + ["b"] * 4 + ["c"] * 4 + ["d"] * 2,
    "sentence": 0,
    "position": [0, 1, 2, 3] * 3 + [0, 1],
    "term": ["drug", "trafficking", "the", "libya", "drugs", "rain", "rain", ".",
             "rain", "storm", "drug", "flood", "drug", "libya"],
    "is_stop": [False, False, True, False] + [False] * 10,
    "is_punct": [False] * 7 + [True] + [False] * 6,
})


def test_monthly_counts_with_a_gap_for_the_month_without_articles():
    with pytest.warns(UserWarning, match="1 undated"):
        table = helpers.trends(TOKENS, ARTICLES, terms={"drugs": ["drug*"], "libya": ["libya"]}, freq="M")
    assert table.attrs["undated_articles"] == 1
    expected = pd.DataFrame({
        "period": pd.to_datetime(["2019-01-01"] * 2 + ["2019-02-01"] * 2 + ["2019-03-01"] * 2),
        "term": ["drugs", "libya"] * 3,
        "count": pd.array([2, 1, pd.NA, pd.NA, 1, 0], dtype="Int64"),
        "docfreq": pd.array([2, 1, pd.NA, pd.NA, 1, 0], dtype="Int64"),
        "n_articles": [2, 2, 0, 0, 1, 1],
        "n_tokens": [6, 6, 0, 0, 4, 4],
        "per_10k": [10_000 * 2 / 6, 10_000 / 6, np.nan, np.nan, 2_500.0, 0.0],
        "share_articles": [1.0, 0.5, np.nan, np.nan, 1.0, 0.0],
    })
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)


def test_weeks_start_on_monday_and_top_terms_by_default():
    articles = pd.DataFrame({"doc_id": ["a", "b"], "date": ["2019-01-02", "2019-01-16"]})
    tokens = TOKENS[TOKENS["doc_id"].isin(["a", "b"])]
    table = helpers.trends(tokens, articles, freq="W", top=1)
    assert table["period"].dt.day_name().unique().tolist() == ["Monday"]
    assert table["term"].unique().tolist() == ["rain"]
    assert table["n_articles"].tolist() == [1, 0, 1]
    assert table["count"].isna().tolist() == [False, True, False]


def test_articles_without_any_date_are_an_error():
    with pytest.raises(ValueError, match="no article has a date"):
        helpers.trends(TOKENS, ARTICLES.assign(date=None), terms=["drug"])
    with pytest.raises(ValueError, match="'date'"):
        helpers.trends(TOKENS, ARTICLES.drop(columns="date"), terms=["drug"])


def test_term_hits_globs_phrases_and_no_double_counting():
    hits = helpers.term_hits(TOKENS, {"narcotics": ["drug*", "drug trafficking", "trafficking"], "weather": "rain"})
    assert hits[["label", "doc_id", "position", "matched"]].values.tolist() == [
        ["narcotics", "a", 0, "drug trafficking"], ["narcotics", "b", 0, "drugs"], ["narcotics", "c", 2, "drug"],
        ["narcotics", "d", 0, "drug"], ["weather", "b", 1, "rain"], ["weather", "b", 2, "rain"],
        ["weather", "c", 0, "rain"]]


def _monthly_corpus():
    articles = pd.DataFrame({"doc_id": ["jan1", "jan2", "feb1", "mar1"],
                             "date": ["2019-01-03", "2019-01-28", "2019-02-10", "2019-03-15"]})
    words = {"jan1": "drug drug drug cartel rain vote", "jan2": "drug cartel cartel vote rain rain",
             "feb1": "storm storm storm flood rain vote", "mar1": "vote vote vote vote rain drug"}
    rows = [(d, i, w) for d, text in words.items() for i, w in enumerate(text.split())]
    tokens = pd.DataFrame(rows, columns=["doc_id", "position", "term"]).assign(sentence=0, is_stop=False,
                                                                                is_punct=False)
    return articles, tokens


def test_keyness_over_time_matches_keyness_of_each_period_against_the_rest():
    articles, tokens = _monthly_corpus()
    over_time = helpers.keyness_over_time(tokens, articles, min_freq=2, top=None)
    january = over_time[over_time["period"] == pd.Timestamp("2019-01-01")].set_index("term")
    direct = helpers.keyness(tokens, target=["jan1", "jan2"]).set_index("term")
    assert january.index.tolist() == ["cartel", "drug", "rain"]
    for column in ("target_freq", "reference_freq", "g2", "p_value", "log_ratio", "pct_diff"):
        np.testing.assert_allclose(january[column].astype(float), direct.loc[january.index, column].astype(float))
    assert january["rank"].tolist() == [1, 2, 3]
    assert january["n_articles"].tolist() == [2, 2, 2]


def test_keyness_against_the_previous_period_and_bursts():
    articles, tokens = _monthly_corpus()
    table = helpers.keyness_over_time(tokens, articles, against="previous", min_freq=3, top=None,
                                      options=KeynessOptions(alpha=0.5))
    assert table["period"].min() == pd.Timestamp("2019-02-01")
    february = table[table["period"] == pd.Timestamp("2019-02-01")]
    assert february[["term", "target_freq", "reference_freq"]].values.tolist() == [["storm", 3, 0]]
    march = table[table["period"] == pd.Timestamp("2019-03-01")]
    assert march[["term", "target_freq", "reference_freq"]].values.tolist() == [["vote", 4, 1]]
    # by hand: vote is 4 of March's 6 tokens against 1 of February's 6, so log ratio = log2((4/6) / (1/6)) = 2;
    # expected counts 6·5/12 = 2.5 each, G² = 2 (4 ln(4/2.5) + 1 ln(1/2.5)) = 1.928 (Rayson's two-cell form),
    # p = 0.165: significant at alpha 0.5, not at 0.05
    g2 = 2 * (4 * np.log(4 / 2.5) + 1 * np.log(1 / 2.5))
    assert march["log_ratio"].tolist() == pytest.approx([2.0]) and g2 == pytest.approx(1.928, abs=1e-3)
    assert march["p_value"].tolist() == pytest.approx([stats.chi2.sf(g2, 1)])
    assert march["burst"].tolist() == [True]  # significant, and log ratio 2 >= 1
    strict = helpers.keyness_over_time(tokens, articles, against="previous", min_freq=3, top=None,
                                       options=KeynessOptions(alpha=0.05))
    assert strict.loc[strict["term"] == "vote", "burst"].tolist() == [False]  # p = 0.165: not significant
    steep = helpers.keyness_over_time(tokens, articles, against="previous", min_freq=3, top=None,
                                      options=KeynessOptions(alpha=0.5, burst_log_ratio=2.5))
    assert steep.loc[steep["term"] == "vote", "burst"].tolist() == [False]  # significant, but only 2^2 times the rate
    with pytest.raises(ValueError, match="against="):
        helpers.keyness_over_time(tokens, articles, against="last year")


def test_glob_patterns_match_the_vocabulary_as_fnmatch_does():
    import fnmatch

    import numpy as np

    from helpers.stats.over_time import _matching

    vocabulary = np.array(["drug", "drugs", "drug-trafficking", "u.s.", "u.s.-led", "us", "c++", "a.b", "axb",
                           "organised", "organized", "(un)", "50%", "$5", "narco\nline", "ünïcode", "x*y", "x?"],
                          dtype=object)
    for pattern in ["drug*", "u.s.*", "u?s?", "c+*", "a.b", "organi?ed", "(un*", "*%", "$*", "narco*", "ü*",
                    "*", "?", "x*", "*ed", "*a*b*"]:
        expected = np.isin(vocabulary, fnmatch.filter(vocabulary.tolist(), pattern))
        assert _matching(vocabulary, pattern).tolist() == expected.tolist(), pattern


def test_keyness_over_time_with_one_dated_period_keeps_typed_columns():
    # 2 undated articles and 1 dated one (undated text + dated JSONL in one folder): no period has a reference,
    # so no rows; filtering on "burst" and selecting columns must still work (notebook 07 failed with KeyError).
    articles = ARTICLES.assign(date=[None, None, "2019-03-02", None])
    for against in ("rest", "previous"):
        with pytest.warns(UserWarning, match="3 undated"):
            table = helpers.keyness_over_time(TOKENS, articles, against=against, min_freq=1)
        assert table.empty and table.columns.tolist() == helpers.trends.__globals__["KEYNESS_OVER_TIME_COLUMNS"]
        assert table["burst"].dtype == bool and table["significant"].dtype == bool
        assert str(table["period"].dtype).startswith("datetime64")
        assert table[table["burst"]][["period", "term", "target_freq", "n_articles"]].shape == (0, 4)
        assert table.attrs["undated_articles"] == 3
