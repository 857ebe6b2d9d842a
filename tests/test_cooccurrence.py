"""Co-occurrence counts and association scores by hand, windows, entity co-mentions, the networkx graph."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import helpers
from corpora import sentence_tokens

TOKENS = sentence_tokens({"a": [["libya", "drug", "the"], ["libya", "drug", "police"]],
                          "b": [["libya", "rain"], ["drug", "police"]]}, stopwords={"the"}, is_alpha=True)


def test_sentence_pairs_with_pmi_and_log_dice_by_hand():
    table = helpers.cooccurrence(TOKENS, min_count=1)
    rows = {(r.term_a, r.term_b): r for r in table.itertuples()}
    # 4 sentences: {libya, drug}, {libya, drug, police}, {libya, rain}, {drug, police}
    pair = rows[("drug", "libya")]
    assert (pair.count, pair.freq_a, pair.freq_b) == (2, 3, 3)
    assert math.isclose(pair.pmi, math.log2(2 * 4 / (3 * 3)))
    assert math.isclose(pair.log_dice, 14 + math.log2(2 * 2 / (3 + 3)))
    assert rows[("drug", "police")].count == 2
    assert set(rows) == {("drug", "libya"), ("drug", "police"), ("libya", "police"), ("libya", "rain")}
    assert table["measure"].unique().tolist() == ["log_dice"]
    assert table["score"].is_monotonic_decreasing


def test_document_unit_focus_terms_and_min_count():
    table = helpers.cooccurrence(TOKENS, unit="document", terms=["rain"], min_count=1)
    assert table[["term_a", "term_b", "count"]].values.tolist() == [
        ["drug", "rain", 1], ["libya", "rain", 1], ["police", "rain", 1]]
    assert helpers.cooccurrence(TOKENS, unit="document", min_count=2)[["term_a", "term_b"]].values.tolist() == [
        ["drug", "libya"], ["drug", "police"], ["libya", "police"]]


def test_window_pairs_count_each_token_pair_within_the_window():
    table = helpers.cooccurrence(TOKENS, unit="window", window=1, min_count=1, measure="count")
    # content sequences: a = libya drug libya drug police, b = libya rain drug police
    counts = {(r.term_a, r.term_b): r.count for r in table.itertuples()}
    assert counts == {("drug", "libya"): 3, ("drug", "police"): 2, ("libya", "rain"): 1, ("drug", "rain"): 1}


def test_entity_comentions_from_mentions():
    mentions = pd.DataFrame({"doc_id": ["a", "a", "b", "b", "c"], "sentence": [0, 1, 0, 0, 0],
                             "entity": ["Libya", "DEA", "Libya", "DEA", "Libya"]})
    table = helpers.cooccurrence(mentions, column="entity", unit="document", min_count=1)
    assert table[["term_a", "term_b", "count", "freq_a", "freq_b"]].values.tolist() == [["DEA", "Libya", 2, 2, 3]]


def test_graph_of_the_strongest_pairs():
    graph = helpers.cooccurrence_graph(helpers.cooccurrence(TOKENS, min_count=1), n=2)
    assert graph.number_of_edges() == 2
    assert all("count" in data and "weight" in data for _, _, data in graph.edges(data=True))


def test_bad_options_are_named():
    with pytest.raises(ValueError, match="unit="):
        helpers.cooccurrence(TOKENS, unit="paragraph")
    with pytest.raises(ValueError, match="measure="):
        helpers.cooccurrence(TOKENS, measure="jaccard")
    with pytest.raises(ValueError, match="column="):
        helpers.cooccurrence(TOKENS, column="entity")


@pytest.mark.parametrize("unit", ["sentence", "document", "window"])
def test_no_tokens_give_no_pairs_with_every_column(unit):
    # an empty focus selection (notebook 06): "zero-size array to reduction operation maximum" before
    for table in (TOKENS.iloc[:0], TOKENS.iloc[:1]):
        result = helpers.cooccurrence(table, unit=unit, min_count=1, terms=["libya"])
        assert result.empty and result.columns.tolist() == helpers.cooccurrence.__globals__["COOCCURRENCE_COLUMNS"]
        assert result["count"].dtype == "int64" and result["score"].dtype == "float64"
