"""Sentiment against NLTK's VADER itself, its absence; NMF topics (deterministic, shapes); keyphrase candidates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import helpers

ARTICLES = pd.DataFrame({"doc_id": ["a", "b"], "date": pd.to_datetime(["2019-01-02", None], utc=True),
                         "text": ["The agreement is a great success. Smugglers killed two officers.",
                                  "Nothing happened today."]})


def vader_means(sentence_texts: dict[str, list[str]], dates: dict) -> pd.DataFrame:
    """Per-article means of NLTK's own VADER scores and the shares of sentences past the ±0.05 bands, computed here
    in plain Python: the expected value for the kit's article table."""
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    rows = []
    for doc_id, texts in sentence_texts.items():
        scores = [vader.polarity_scores(text) for text in texts]
        mean = {key: sum(score[key] for score in scores) / len(scores) for key in ("compound", "pos", "neu", "neg")}
        rows.append({"doc_id": doc_id, "date": dates.get(doc_id, pd.NaT), **mean, "n_sentences": len(scores),
                     "share_negative": sum(score["compound"] <= -0.05 for score in scores) / len(scores),
                     "share_positive": sum(score["compound"] >= 0.05 for score in scores) / len(scores)})
    return pd.DataFrame(rows)


@pytest.mark.needs_resource("vader_lexicon")
def test_sentence_scores_equal_vader_on_the_same_sentences():
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    table = helpers.sentiment(helpers.tokenize(ARTICLES), ARTICLES)
    vader = SentimentIntensityAnalyzer()
    assert table["text"].tolist() == ["The agreement is a great success.", "Smugglers killed two officers.",
                                      "Nothing happened today."]
    for row in table.itertuples():
        expected = vader.polarity_scores(row.text)
        assert (row.compound, row.pos, row.neu, row.neg) == (expected["compound"], expected["pos"], expected["neu"],
                                                             expected["neg"])
    assert table["compound"].iloc[0] > 0 > table["compound"].iloc[1]
    assert table["date"].isna().tolist() == [False, False, True]


@pytest.mark.needs_resource("vader_lexicon")
def test_article_scores_are_means_of_vader_s_own_sentence_scores():
    tokens = helpers.tokenize(ARTICLES)
    expected = vader_means({"a": ["The agreement is a great success.", "Smugglers killed two officers."],
                            "b": ["Nothing happened today."]}, dict(zip(ARTICLES["doc_id"], ARTICLES["date"])))
    assert expected[["n_sentences", "share_positive", "share_negative"]].values.tolist() == [[2, 0.5, 0.5],
                                                                                             [1, 0.0, 0.0]]
    articles = helpers.sentiment(tokens, ARTICLES, level="article")
    pd.testing.assert_frame_equal(articles.astype({"doc_id": str}), expected, check_dtype=False)
    # from the sentence table, without scoring again (notebook 08 does this): the same expected frame
    by_article = helpers.sentiment_by_article(helpers.sentiment(tokens, ARTICLES))
    pd.testing.assert_frame_equal(by_article.astype({"doc_id": str}), expected, check_dtype=False)


@pytest.mark.needs_resource("vader_lexicon")
def test_article_scores_on_the_sample_are_means_of_vader_s_own_sentence_scores(sample_articles, sample_tokens):
    sentences = helpers.sentiment(sample_tokens, sample_articles)
    texts: dict[str, list[str]] = {}
    for doc_id, text in zip(sentences["doc_id"].astype(str), sentences["text"]):
        texts.setdefault(doc_id, []).append(text)
    dates = dict(zip(sample_articles["doc_id"].astype(str), sample_articles["date"]))
    expected = vader_means(texts, dates).sort_values("doc_id", ignore_index=True)
    assert len(expected) == len(sample_articles)
    for table in (helpers.sentiment(sample_tokens, sample_articles, level="article"),
                  helpers.sentiment_by_article(sentences)):
        table = table.astype({"doc_id": str}).sort_values("doc_id", ignore_index=True)
        pd.testing.assert_frame_equal(table, expected, check_dtype=False, atol=1e-12)


def test_without_vader_an_empty_table_and_a_clear_message(no_nltk_data):
    tokens = helpers.tokenize(ARTICLES)
    with pytest.warns(UserWarning, match="vader_lexicon is absent"):
        table = helpers.sentiment(tokens, ARTICLES, level="article")
    assert table.empty and "doc_id" in table.columns and "vader_lexicon" in table.attrs["skipped"]
    with pytest.warns(UserWarning, match="vader_lexicon is absent"):
        sentences = helpers.sentiment(tokens, ARTICLES)
    by_article = helpers.sentiment_by_article(sentences)
    assert by_article.empty and list(by_article.columns) == list(table.columns)
    assert "vader_lexicon" in by_article.attrs["skipped"]


@pytest.mark.needs_resource("vader_lexicon")  # without it nothing is scored
def test_sentiment_needs_the_articles_of_its_tokens():
    with pytest.raises(ValueError, match="not in articles"):
        helpers.sentiment(helpers.tokenize(ARTICLES), ARTICLES.iloc[:1])


def _topic_tokens():
    docs = {"d1": "drug police cartel drug", "d2": "police drug cartel arrest", "d3": "storm rain flood storm",
            "d4": "rain flood storm wind", "d5": "vote election party vote", "d6": "election party vote poll"}
    rows = [(d, w) for d, text in docs.items() for w in text.split()]
    return pd.DataFrame(rows, columns=["doc_id", "term"]).assign(is_stop=False, is_punct=False, is_alpha=True)


def test_topics_separate_three_subjects_and_are_deterministic():
    tokens = _topic_tokens()
    first = helpers.topics(tokens, n_topics=3, n_terms=3, min_df=1, max_df=1.0)
    second = helpers.topics(tokens, n_topics=3, n_terms=3, min_df=1, max_df=1.0)
    pd.testing.assert_frame_equal(first.topic_terms, second.topic_terms)
    pd.testing.assert_frame_equal(first.doc_topics, second.doc_topics)
    dominant = first.doc_topics.loc[first.doc_topics.groupby("doc_id")["weight"].idxmax()].set_index("doc_id")["topic"]
    assert dominant["d1"] == dominant["d2"] != dominant["d3"] == dominant["d4"] != dominant["d5"] == dominant["d6"]
    assert np.allclose(first.doc_topics.groupby("doc_id")["share"].sum(), 1.0)
    assert list(first.topic_terms.columns) == ["topic", "rank", "term", "weight", "label"]


def test_too_many_topics_for_the_articles_is_an_error():
    with pytest.raises(ValueError, match="cannot hold"):
        helpers.topics(_topic_tokens(), n_topics=10, min_df=1)


def test_stopword_delimited_candidates_as_in_rake():
    words = "the new drug trafficking law was signed by the libyan embassy .".split()
    tokens = pd.DataFrame({"doc_id": "a", "sentence": 0, "position": range(len(words)), "term": words,
                           "token": words, "is_stop": [w in ("the", "was", "by") for w in words],
                           "is_punct": [w == "." for w in words]})
    table = helpers.keyphrases(tokens, use_pos=False)
    assert table.attrs["candidates"] == "stopwords"
    assert set(table["phrase"]) == {"new drug trafficking law", "signed", "libyan embassy"}
    assert table["rank"].tolist() == [1, 2, 3]


@pytest.mark.needs_resource("averaged_perceptron_tagger_eng")
def test_noun_phrase_candidates_with_the_tagger(seed_articles):
    table = helpers.keyphrases(helpers.tokenize(seed_articles), top=30)
    assert table.attrs["candidates"] == "pos"
    phrases = set(table["phrase"])
    assert "cross-border drug trafficking" in phrases
    # "Libya–U.S. security cooperation" and the heading "... U.S.–Libya Security Cooperation" are whole sentences
    # now (the phrase was cut from a wrong sentence break), so the noun phrase keeps its modifier
    assert {"u.s. security cooperation", "libya security cooperation"} <= phrases
    assert not any(p.split()[0] in ("signed", "reaffirming", "the") for p in phrases)
    corpus = helpers.keyphrases(helpers.tokenize(seed_articles), by=None, top=5)
    assert corpus["doc_id"].unique().tolist() == ["corpus"]


def test_tfidf_matrix_equals_scikit_learn_on_the_sample(sample_tokens):
    from sklearn.feature_extraction.text import TfidfVectorizer

    from helpers.stats.topic_model import tfidf_matrix

    matrix, doc_ids, vocabulary = tfidf_matrix(sample_tokens, min_df=2, max_df=0.5, max_features=3000)
    content = helpers.content_tokens(sample_tokens)
    content = content[content["is_alpha"].astype(bool)]
    lists = content.groupby(content["doc_id"].astype(str))["term"].agg(lambda t: t.astype(str).tolist())
    peer = TfidfVectorizer(analyzer=lambda terms: terms, min_df=2, max_df=0.5, max_features=3000)
    expected = peer.fit_transform(lists.loc[doc_ids].tolist())
    assert list(vocabulary) == list(peer.get_feature_names_out())
    assert abs(matrix - expected).max() < 1e-12


def test_sentence_texts_equal_grouping_every_token_whatever_the_row_order():
    from helpers.stats.tone import sentence_texts

    articles = pd.DataFrame({"doc_id": ["b", "a"], "text": [
        "Libya signed the memorandum. The U.S. Drug Enforcement Administration agreed.  Talks  ended.",
        "Smugglers moved drugs. Police seized them."]})
    tokens = helpers.tokenize(articles)

    def by_every_token(table):
        spans = (table.assign(doc_id=table["doc_id"].astype(str)).groupby(["doc_id", "sentence"])
                 .agg(start=("start", "min"), end=("end", "max")).reset_index())
        texts = dict(zip(articles["doc_id"], articles["text"]))
        spans["text"] = [" ".join(texts[d][s:e].split()) for d, s, e in zip(spans["doc_id"], spans["start"], spans["end"])]
        return spans

    shuffled = tokens.iloc[np.random.default_rng(3).permutation(len(tokens))]
    for table in (tokens, shuffled, tokens.iloc[::-1]):
        got = sentence_texts(table, articles)
        pd.testing.assert_frame_equal(got.astype({"doc_id": str}), by_every_token(table), check_dtype=False)
    assert sentence_texts(tokens, articles)["text"].tolist()[2:] == [
        "Libya signed the memorandum.", "The U.S. Drug Enforcement Administration agreed.", "Talks ended."]


def test_keyphrases_the_same_whatever_order_the_articles_come_in(sample_tokens):
    # articles in reading order but not in doc_id order are used as they are: the tables, corpus sums included,
    # must equal those of the doc_id-sorted table to the last bit
    codes = sample_tokens["doc_id"].cat.codes.to_numpy()
    reversed_articles = sample_tokens.iloc[np.argsort(-codes, kind="stable")].reset_index(drop=True)
    for by in ("doc_id", None):
        expected = helpers.keyphrases(sample_tokens, by=by, use_pos=False)
        got = helpers.keyphrases(reversed_articles, by=by, use_pos=False)
        assert len(got) and got.to_csv(index=False) == expected.to_csv(index=False)
