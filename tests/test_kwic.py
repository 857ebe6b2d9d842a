"""KWIC: terms, phrases, patterns, contexts, sorting, and drilling down from any statistic's rows."""

from __future__ import annotations

import pandas as pd
import pytest

import helpers

TEXTS = {
    "a": "Libya signed a memorandum. The drug trade fell in Libya.",
    "b": "Drug smugglers moved. Officials in Tripoli watched the drug trade.",
}
ARTICLES = pd.DataFrame({"doc_id": list(TEXTS), "title": ["A", "B"], "text": list(TEXTS.values()),
                         "date": pd.to_datetime(["2019-03-01", "2019-04-01"], utc=True), "source": ["x", "y"],
                         "collection": ["articles", "wikinews"]})


@pytest.fixture(scope="module")
def tokens():
    return helpers.tokenize(ARTICLES)


def test_term_lines_with_token_window(tokens):
    lines = helpers.kwic(tokens, ARTICLES, "libya", window=2)
    assert list(lines.columns[:8]) == ["doc_id", "title", "date", "source", "left", "keyword", "right", "sentence"]
    assert lines[["doc_id", "left", "keyword", "right"]].values.tolist() == [
        ["a", "", "Libya", "signed a"], ["a", "fell in", "Libya", "."]]
    assert lines["start"].tolist() == [0, 50] and lines["end"].tolist() == [5, 55]
    assert {TEXTS["a"][s:e] for s, e in zip(lines["start"], lines["end"])} == {"Libya"}
    assert lines["sentence"].tolist() == ["Libya signed a memorandum.", "The drug trade fell in Libya."]
    assert lines["title"].tolist() == ["A", "A"] and lines["source"].tolist() == ["x", "x"]


def test_window_stops_at_the_article_boundary(tokens):
    lines = helpers.kwic(tokens, ARTICLES, "drug smugglers", window=5)
    assert lines[["doc_id", "left", "keyword", "right"]].values.tolist() == [
        ["b", "", "Drug smugglers", "moved. Officials in Tripoli"]]


def test_phrase_sentence_context_and_sorting(tokens):
    lines = helpers.kwic(tokens, ARTICLES, "drug trade", context="sentence")
    assert lines[["left", "keyword", "right"]].values.tolist() == [
        ["The", "drug trade", "fell in Libya."], ["Officials in Tripoli watched the", "drug trade", "."]]
    by_left = helpers.kwic(tokens, ARTICLES, "drug", window=2, sort_by="left")["left"].tolist()
    assert by_left == ["", ". The", "watched the"]  # sorted on the nearest word to the left, then the next
    by_right = helpers.kwic(tokens, ARTICLES, "drug", window=1, sort_by="right")["right"].tolist()
    assert by_right == ["smugglers", "trade", "trade"]


def test_character_windows_in_date_order(tokens):
    b_first = ARTICLES.assign(date=ARTICLES["date"][::-1].to_numpy())
    lines = helpers.kwic(tokens, b_first, "drug", context="characters", window=10, sort_by="date")
    # 10 characters each side, cut mid-word as a fixed-width concordance line is, whitespace collapsed
    assert lines[["doc_id", "left", "keyword", "right"]].values.tolist() == [
        ["b", "", "Drug", "smugglers"], ["b", "tched the", "drug", "trade."], ["a", "ndum. The", "drug", "trade fel"]]
    undated_first = ARTICLES.assign(date=[pd.NaT, ARTICLES["date"].iloc[1]])
    assert helpers.kwic(tokens, undated_first, "libya", sort_by="date")["doc_id"].tolist() == ["a", "a"]
    assert helpers.kwic(tokens, undated_first, "drug", sort_by="date")["doc_id"].tolist() == ["b", "b", "a"]


def test_regex_and_case_sensitive_matching(tokens):
    assert helpers.kwic(tokens, ARTICLES, r"trip\w+", regex=True)["keyword"].tolist() == ["Tripoli"]
    assert helpers.kwic(tokens, ARTICLES, "Drug", case_sensitive=True)["doc_id"].tolist() == ["b"]
    assert len(helpers.kwic(tokens, ARTICLES, ["libya", "tripoli"])) == 3


def test_drill_down_from_statistics(tokens):
    key = helpers.keyness(tokens, target={"collection": "articles"}, articles=ARTICLES)
    row = key[key["term"] == "libya"].iloc[0]
    assert helpers.kwic(tokens, ARTICLES, row)["keyword"].tolist() == ["Libya", "Libya"]
    frame = helpers.kwic(tokens, ARTICLES, key.head(2))
    assert set(frame["query"]) == set(key.head(2)["term"])
    per_collection = helpers.frequencies(tokens, by="collection", articles=ARTICLES)
    drug_in_wikinews = per_collection[(per_collection["term"] == "drug") & (per_collection["collection"] == "wikinews")]
    assert helpers.kwic(tokens, ARTICLES, drug_in_wikinews)["doc_id"].tolist() == ["b", "b"]
    per_month = helpers.frequencies(tokens, by="month", articles=ARTICLES)
    drug_in_april = per_month[(per_month["term"] == "drug") & (per_month["month"] == pd.Timestamp("2019-04-01"))]
    assert helpers.kwic(tokens, ARTICLES, drug_in_april)["doc_id"].tolist() == ["b", "b"]
    tfidf_row = helpers.tfidf(tokens).query("doc_id == 'a' and term == 'drug'")
    assert helpers.kwic(tokens, ARTICLES, tfidf_row)["doc_id"].tolist() == ["a"]
    bigram = helpers.collocations(tokens).query("ngram == 'drug trade'")
    assert helpers.kwic(tokens, ARTICLES, bigram)["keyword"].tolist() == ["drug trade", "drug trade"]


def test_rows_of_a_period_only_show_lines_from_articles_dated_in_it(tokens):
    table = helpers.trends(tokens, ARTICLES, terms=["drug", "libya"])
    columns = ["doc_id", "left", "keyword", "right"]
    march_drug = table[(table["term"] == "drug") & (table["period"] == pd.Timestamp("2019-03-01"))]
    assert helpers.kwic(tokens, ARTICLES, march_drug, window=2)[columns].values.tolist() == [
        ["a", ". The", "drug", "trade fell"]]
    april_drug = table.iloc[2]
    assert helpers.kwic(tokens, ARTICLES, april_drug, window=2)[columns].values.tolist() == [
        ["b", "", "Drug", "smugglers moved"], ["b", "watched the", "drug", "trade."]]
    whole = helpers.kwic(tokens, ARTICLES, table)
    assert len(whole) == table["count"].sum() == 5
    key = helpers.keyness_over_time(tokens, ARTICLES, min_freq=2, top=None)
    assert key[["term", "target_freq"]].values.tolist() == [["libya", 2], ["drug", 2]]
    assert helpers.kwic(tokens, ARTICLES, key)[["doc_id", "keyword"]].values.tolist() == [
        ["a", "Libya"], ["a", "Libya"], ["b", "Drug"], ["b", "drug"]]


def test_a_period_read_back_without_its_freq_needs_freq(tokens):
    read_back = pd.DataFrame({"period": ["2019-03-01"], "term": ["drug"]})  # as from a saved CSV: no attrs
    with pytest.raises(ValueError, match=r"attrs\['freq'\]"):
        helpers.kwic(tokens, ARTICLES, read_back)
    assert helpers.kwic(tokens, ARTICLES, read_back.assign().pipe(_with_freq, "M"))["doc_id"].tolist() == ["a"]
    assert helpers.kwic(tokens, ARTICLES, read_back.assign().pipe(_with_freq, "Y"))["doc_id"].tolist() == [
        "a", "b", "b"]


def test_bad_queries_get_clear_errors(tokens):
    with pytest.raises(ValueError, match="context"):
        helpers.kwic(tokens, ARTICLES, "libya", context="paragraph")
    with pytest.raises(ValueError, match="columns"):
        helpers.kwic(tokens, ARTICLES, pd.DataFrame({"x": [1]}))
    with pytest.raises(ValueError, match="text"):
        helpers.kwic(tokens, ARTICLES.drop(columns="text"), "libya")
    assert helpers.kwic(tokens, ARTICLES, "absent").empty


def test_seed_article_lines_for_its_key_term(sample_tokens, sample_articles):
    key = helpers.keyness(sample_tokens, target={"collection": "articles"}, articles=sample_articles)
    lines = helpers.kwic(sample_tokens, sample_articles, key.iloc[0])
    assert len(lines) == key.iloc[0]["target_freq"] + key.iloc[0]["reference_freq"]
    assert lines["keyword"].str.lower().eq(key.iloc[0]["term"]).all()


def test_every_occurrence_of_a_whole_table_is_found(sample_tokens, sample_articles):
    key = helpers.keyness(sample_tokens, target={"collection": "articles"}, articles=sample_articles)
    some = key.sample(300, random_state=1)  # includes terms such as "u.s" that the word tokenizer would split
    lines = helpers.kwic(sample_tokens, sample_articles, some)
    assert len(lines) == (some["target_freq"] + some["reference_freq"]).sum()
    assert lines.groupby("query").size().to_dict() == (
        some.set_index("term")[["target_freq", "reference_freq"]].sum(axis=1).loc[lambda f: f > 0].to_dict())


def _with_freq(table: pd.DataFrame, freq: str) -> pd.DataFrame:
    """A table read back from a file with the period length its statistic recorded in ``attrs["freq"]``."""
    table.attrs["freq"] = freq
    return table


def test_a_phrase_with_quotation_marks_is_split_as_the_text_was():
    articles = pd.DataFrame({"doc_id": ["q"], "text": ['He said "no" twice, and "no" again.']})
    lines = helpers.kwic(helpers.tokenize(articles), articles, 'said "no"')
    assert lines["keyword"].tolist() == ['said "no"']  # NLTK's tokenize made `` of the mark, which no token is
