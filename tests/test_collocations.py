"""N-grams and collocations: exact values on an inline text; every score equal to NLTK's finders on the sample."""

from __future__ import annotations

from math import log, log2, sqrt

import numpy as np
import pandas as pd
import pytest
from nltk.collocations import (BigramAssocMeasures, BigramCollocationFinder, TrigramAssocMeasures,
                               TrigramCollocationFinder)

import helpers

STOP = {"in", "the", "and"}


def _tokens(sentences: dict[tuple[str, int], str]) -> pd.DataFrame:
    rows, position = [], {}
    for (doc, sentence), text in sentences.items():
        for word in text.split():
            rows.append((doc, sentence, position.setdefault(doc, 0), word))
            position[doc] += 1
    frame = pd.DataFrame(rows, columns=["doc_id", "sentence", "position", "term"])
    return frame.assign(is_stop=frame["term"].isin(STOP), is_punct=frame["term"].eq("."))


def test_bigram_scores_by_hand():
    tokens = _tokens({("a", 0): "drug trafficking drug trafficking in libya"})
    row = helpers.collocations(tokens).set_index("ngram").loc["drug trafficking"]
    n, o, f1, f2 = 6, 2, 2, 2  # "in libya" is dropped: "in" is a stopword
    assert row[["frequency", "w1_freq", "w2_freq"]].tolist() == [2, 2, 2]
    assert row["pmi"] == pytest.approx(log2(o * n / (f1 * f2)))
    assert row["t_score"] == pytest.approx((o - f1 * f2 / n) / sqrt(o))
    assert row["chi_sq"] == pytest.approx(n * (2 * 4 - 0 * 0) ** 2 / (2 * 2 * 4 * 4))
    # observed [[2, 0], [0, 4]], expected [[2/3, 4/3], [4/3, 8/3]]; empty cells add 0
    assert row["likelihood_ratio"] == pytest.approx(2 * (2 * log(2 / (2 / 3)) + 4 * log(4 / (8 / 3))))
    assert (row["dice"], row["log_dice"]) == (1.0, 14.0)
    assert helpers.collocations(tokens)["ngram"].tolist() == ["drug trafficking", "trafficking drug"]
    kept_stop = helpers.collocations(tokens, drop_stop=False)["ngram"].tolist()
    assert "in libya" in kept_stop and "trafficking in" in kept_stop


def test_no_ngram_crosses_a_sentence_or_an_article():
    tokens = _tokens({("a", 0): "libya signed", ("a", 1): "drug deal", ("b", 0): "trade libya"})
    assert helpers.ngrams(tokens)["ngram"].tolist() == ["drug deal", "libya signed", "trade libya"]
    across = helpers.ngrams(tokens, within="document")["ngram"].tolist()
    assert "signed drug" in across and "deal trade" not in across


def test_ngram_counts_docfreq_and_filters():
    tokens = _tokens({("a", 0): "drug trade and drug trade", ("b", 0): "drug trade grows", ("c", 0): "trade grows"})
    table = helpers.ngrams(tokens)
    assert table[["ngram", "frequency", "docfreq", "rank"]].values.tolist() == [
        ["drug trade", 3, 2, 1], ["trade grows", 2, 2, 2]]
    assert table["per_10k"].tolist() == [6000.0, 4000.0]
    assert helpers.ngrams(tokens, min_freq=3)["ngram"].tolist() == ["drug trade"]
    assert helpers.ngrams(tokens, n=3)["ngram"].tolist() == ["drug trade grows"]


def test_bad_options_get_clear_errors():
    tokens = _tokens({("a", 0): "drug trade"})
    with pytest.raises(ValueError, match="bigrams"):
        helpers.collocations(tokens, n=4)
    with pytest.raises(ValueError, match="window"):
        helpers.collocations(tokens, n=3, window=5)
    with pytest.raises(ValueError, match="within"):
        helpers.ngrams(tokens, within="paragraph")


def _finder_input(tokens: pd.DataFrame):
    sentences = [g["term"].astype(str).tolist()
                 for _, g in tokens.groupby(["doc_id", "sentence"], observed=True, sort=False)]
    dropped = dict(zip(tokens["term"].astype(str), tokens["is_stop"] | tokens["is_punct"]))
    return sentences, dropped


@pytest.mark.parametrize("window", [2, 4])
def test_bigram_scores_equal_nltk_on_the_sample(sample_tokens, window):
    sentences, dropped = _finder_input(sample_tokens)
    padded = BigramCollocationFinder._build_new_documents(sentences, window, pad_right=True)
    finder = BigramCollocationFinder.from_words(padded, window_size=window)
    finder.apply_freq_filter(2)
    finder.apply_word_filter(lambda w: dropped[w])
    ours = helpers.collocations(sample_tokens, window=window, min_freq=2).set_index(["w1", "w2"])
    measures = {"pmi": "pmi", "likelihood_ratio": "likelihood_ratio", "t_score": "student_t", "chi_sq": "chi_sq",
                "dice": "dice"}
    for column, name in measures.items():
        expected = pd.Series(dict(finder.score_ngrams(getattr(BigramAssocMeasures, name))))
        assert len(expected) == len(ours)
        np.testing.assert_allclose(ours[column].reindex(expected.index).to_numpy(), expected.to_numpy(), rtol=1e-9)


def test_trigram_scores_equal_nltk_on_the_sample(sample_tokens):
    sentences, dropped = _finder_input(sample_tokens)
    finder = TrigramCollocationFinder.from_documents(sentences)
    finder.apply_freq_filter(2)
    finder.apply_word_filter(lambda w: dropped[w])
    ours = helpers.collocations(sample_tokens, n=3, min_freq=2).set_index(["w1", "w2", "w3"])
    for column, name in {"pmi": "pmi", "likelihood_ratio": "likelihood_ratio", "t_score": "student_t",
                         "chi_sq": "chi_sq"}.items():
        expected = pd.Series(dict(finder.score_ngrams(getattr(TrigramAssocMeasures, name))))
        assert len(expected) == len(ours)
        np.testing.assert_allclose(ours[column].reindex(expected.index).to_numpy(), expected.to_numpy(), rtol=1e-9)
