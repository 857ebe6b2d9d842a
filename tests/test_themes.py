"""Theme dictionaries: YAML loading and its errors, glob patterns and phrases per article, themes over time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import helpers
from corpora import sentence_tokens

TOKENS = sentence_tokens({"a": [["organized", "crime", "and", "drug"], ["smugglers", "mou"]],
                          "b": [["the", "embassy", "said", "rain"]]}, stopwords={"and", "the", "said"})
DICTIONARY = {"security": ["drug*", "smuggl*", "organi?ed crime", "crime"], "diplomacy": ["mou", "embass*"]}


def test_counts_per_article_with_patterns_phrases_and_real_zeros():
    table = helpers.themes(TOKENS, DICTIONARY)
    expected = pd.DataFrame({
        "doc_id": ["a", "a", "b", "b"], "theme": ["diplomacy", "security", "diplomacy", "security"],
        "count": [1, 3, 1, 0], "n_tokens": [5, 5, 2, 2], "per_10k": [2000.0, 6000.0, 5000.0, 0.0],
        "terms": ["mou", "drug, organized crime, smugglers", "embassy", ""]})
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)


def test_themes_over_time_are_trends_of_the_dictionary():
    articles = pd.DataFrame({"doc_id": ["a", "b"], "date": ["2019-01-10", "2019-03-01"]})
    table = helpers.themes(TOKENS, DICTIONARY, articles=articles, freq="M")
    security = table[table["term"] == "security"]
    assert security["count"].tolist()[0] == 3 and pd.isna(security["count"].tolist()[1])
    assert security["n_articles"].tolist() == [1, 0, 1]
    with pytest.raises(ValueError, match="articles="):
        helpers.themes(TOKENS, DICTIONARY, freq="M")


def test_shipped_dictionary_has_the_seed_themes():
    shipped = helpers.load_themes()
    assert {"security_narcotics", "diplomacy", "cooperation"} <= set(shipped)
    assert "drug*" in shipped["security_narcotics"]


def test_seed_article_carries_narcotics_diplomacy_and_cooperation(seed_articles):
    table = helpers.themes(helpers.tokenize(seed_articles)).set_index("theme")
    for theme in ("security_narcotics", "diplomacy", "cooperation"):
        assert table.loc[theme, "count"] >= 10, theme
    assert table.loc[["conflict_violence", "disaster_weather"], "count"].tolist() == [0, 0]
    assert "trafficking" in table.loc["security_narcotics", "terms"]


@pytest.mark.parametrize("content, message", [
    ("- just\n- a list\n", "maps each theme"),
    ("security: []\n", "non-empty list"),
    ("security: [drug*\n", "not valid YAML"),
    ("security:\n  nested: {a: 1}\n", "non-empty list"),
])
def test_bad_dictionaries_say_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "themes.yml"
    path.write_text(content)
    with pytest.raises(ValueError, match=message):
        helpers.load_themes(path)


def test_missing_dictionary_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing.yml"):
        helpers.load_themes(tmp_path / "nothing.yml")


def test_dictionary_entries_are_matched_case_insensitively():
    table = helpers.themes(TOKENS, {"security": ["DRUG*"]})
    assert table["count"].tolist() == [1, 0]
    assert np.isclose(table.loc[0, "per_10k"], 2000.0)
