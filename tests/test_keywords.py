"""Frequencies, dispersion, TF-IDF and the document-term matrix: exact values on tiny corpora; scikit-learn as peer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import helpers


def _tokens(docs: dict[str, str], stop=("the",)) -> pd.DataFrame:
    rows = [(doc, i, w) for doc, text in docs.items() for i, w in enumerate(text.split())]
    frame = pd.DataFrame(rows, columns=["doc_id", "position", "term"])
    return frame.assign(sentence=0, is_stop=frame["term"].isin(stop), is_punct=frame["term"].eq("."))


def test_frequencies_by_group_and_period():
    tokens = _tokens({"a": "drug drug the libya", "b": "drug .", "c": "libya"})
    articles = pd.DataFrame({"doc_id": ["a", "b", "c"], "source": ["x", "x", "y"],
                             "date": pd.to_datetime(["2019-01-05", "2019-02-01", "2019-02-20"], utc=True)})
    whole = helpers.frequencies(tokens)
    assert whole.values.tolist() == [["drug", 3, 2, 6000.0, 1], ["libya", 2, 2, 4000.0, 2]]
    by_source = helpers.frequencies(tokens, by="source", articles=articles)
    assert by_source.values.tolist() == [["x", "drug", 3, 2, 7500.0, 1], ["x", "libya", 1, 1, 2500.0, 2],
                                         ["y", "libya", 1, 1, 10000.0, 1]]
    by_month = helpers.frequencies(tokens, by="month", articles=articles)
    assert by_month[["month", "term", "frequency"]].values.tolist() == [
        [pd.Timestamp("2019-01-01"), "drug", 2], [pd.Timestamp("2019-01-01"), "libya", 1],
        [pd.Timestamp("2019-02-01"), "drug", 1], [pd.Timestamp("2019-02-01"), "libya", 1]]
    with pytest.raises(ValueError, match="articles="):
        helpers.frequencies(tokens, by="source")


def test_syndicated_stories_counted_once_or_once_per_outlet():
    tokens = _tokens({"a": "drug", "b": "drug", "c": "drug", "d": "libya"})
    articles = pd.DataFrame({"doc_id": list("abcd"), "story_id": ["s1", "s1", "s1", None],
                             "source": ["x", "x", "y", "y"]})
    count = lambda mode: helpers.frequencies(tokens, articles=articles, stories=mode).set_index("term")["frequency"]
    assert count("all").to_dict() == {"drug": 3, "libya": 1}
    assert count("once").to_dict() == {"drug": 1, "libya": 1}
    assert count("once_per_source").to_dict() == {"drug": 2, "libya": 1}
    with pytest.raises(ValueError, match="story_id"):
        helpers.frequencies(tokens, articles=articles.drop(columns="story_id"), stories="once")


def test_dispersion_by_hand():
    # Parts: a = "x y" (share 1/3), b = "x z z z" (share 2/3).
    table = helpers.dispersion(_tokens({"a": "x y", "b": "x z z z"})).set_index("term")
    assert table["range"].to_dict() == {"z": 1, "x": 2, "y": 1}
    assert table.loc["x", "dp"] == pytest.approx(0.5 * (abs(1 / 2 - 1 / 3) + abs(1 / 2 - 2 / 3)))
    assert table.loc["y", "dp"] == pytest.approx(0.5 * (abs(1 - 1 / 3) + abs(0 - 2 / 3)))
    assert table.loc["z", "dp"] == pytest.approx(1 / 3)
    assert table.loc["x", "dp_norm"] == pytest.approx((1 / 6) / (1 - 1 / 3))
    # Juilland: relative frequencies x = [1/2, 1/4], mean 3/8, population sd 1/8 → D = 1 - (1/3)/√1
    assert table.loc["x", "juilland_d"] == pytest.approx(2 / 3)
    assert table.loc["y", "juilland_d"] == pytest.approx(0.0)


def test_dispersion_equals_a_loop_over_parts_on_three_unequal_parts():
    tokens = _tokens({"a": "x y x", "b": "x z", "c": "w w w y z z"})
    table = helpers.dispersion(tokens).set_index("term")
    parts = tokens.groupby("doc_id")["term"].apply(list)
    sizes = parts.map(len)
    shares = sizes / sizes.sum()
    for term in ["x", "y", "z", "w"]:
        f = parts.map(lambda words: words.count(term))
        dp = 0.5 * sum(abs(f[p] / f.sum() - shares[p]) for p in parts.index)
        rel = f / sizes
        d = 1 - (rel.std(ddof=0) / rel.mean()) / np.sqrt(len(parts) - 1)
        assert table.loc[term, "dp"] == pytest.approx(dp)
        assert table.loc[term, "juilland_d"] == pytest.approx(d)


def test_tfidf_and_document_term_matrix_by_hand():
    tokens = _tokens({"a": "drug libya drug", "b": "drug", "c": "the"})
    table = helpers.tfidf(tokens, norm=None).set_index(["doc_id", "term"])
    idf_libya = np.log(4 / 2) + 1  # n = 3 articles ("c" has no content tokens but is an article)
    idf_drug = np.log(4 / 3) + 1
    assert table.loc[("a", "drug"), ["tf", "df"]].tolist() == [2, 2]
    assert table.loc[("a", "drug"), "tfidf"] == pytest.approx(2 * idf_drug)
    assert table.loc[("a", "libya"), "tfidf"] == pytest.approx(idf_libya)
    assert table.loc[("a", "drug"), "rank"] == 1 and table.loc[("a", "libya"), "rank"] == 2  # 2.58 > 1.69
    l2 = helpers.tfidf(tokens).set_index(["doc_id", "term"])["tfidf"]
    norm = np.hypot(2 * idf_drug, idf_libya)
    assert l2[("a", "drug")] == pytest.approx(2 * idf_drug / norm)
    dtm = helpers.document_term_matrix(tokens)
    assert dtm.matrix.toarray().tolist() == [[2, 1], [1, 0], [0, 0]]
    assert list(dtm.vocabulary) == ["drug", "libya"] and list(dtm.doc_ids) == ["a", "b", "c"]
    assert helpers.tfidf(tokens, top=1)[["doc_id", "term"]].values.tolist() == [["a", "drug"], ["b", "drug"]]


@pytest.mark.parametrize("options", [{}, {"sublinear_tf": True}, {"smooth_idf": False, "norm": "l1"},
                                     {"use_idf": False, "norm": None}])
def test_tfidf_equals_scikit_learn_on_the_sample(sample_tokens, options):
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    dtm = helpers.document_term_matrix(sample_tokens)
    content = helpers.content_tokens(sample_tokens)
    docs = content.groupby("doc_id", observed=True, sort=False)["term"].apply(lambda s: s.astype(str).tolist())
    docs = docs.reindex(dtm.doc_ids).map(lambda d: d if isinstance(d, list) else [])
    vectorizer = TfidfVectorizer(analyzer=lambda d: d, **options)
    expected = vectorizer.fit_transform(docs.tolist())
    assert list(vectorizer.get_feature_names_out()) == list(dtm.vocabulary)
    ours = helpers.tfidf(sample_tokens, **options)
    rows = dtm.doc_ids.get_indexer(ours["doc_id"])
    cols = dtm.vocabulary.get_indexer(ours["term"])
    assert len(ours) == expected.nnz
    np.testing.assert_allclose(ours["tfidf"].to_numpy(), np.asarray(expected[rows, cols]).ravel(), rtol=1e-12)
    counts = CountVectorizer(analyzer=lambda d: d).fit_transform(docs.tolist())
    assert (counts != dtm.matrix).nnz == 0


def test_frequencies_of_the_sample_match_plain_pandas(sample_tokens):
    ours = helpers.frequencies(sample_tokens).set_index("term")
    content = helpers.content_tokens(sample_tokens).astype({"term": str, "doc_id": str})
    plain = content.groupby("term").agg(frequency=("term", "size"), docfreq=("doc_id", "nunique"))
    pd.testing.assert_frame_equal(ours[["frequency", "docfreq"]].sort_index(), plain.sort_index(),
                                  check_index_type=False, check_dtype=False, check_names=False)


def test_frequencies_without_groups_equal_one_group_holding_every_token(sample_tokens):
    # Without ``by`` the counts come from bincounts of codes, with ``by`` from grouping a frame: the same table.
    ungrouped = helpers.frequencies(sample_tokens)
    grouped = helpers.frequencies(sample_tokens.assign(everything="all"), by="everything")
    pd.testing.assert_frame_equal(ungrouped, grouped.drop(columns="everything"), check_exact=True)


def test_dispersion_over_article_groups():
    tokens = _tokens({"a": "x y", "b": "x", "c": "y y"})
    articles = pd.DataFrame({"doc_id": ["a", "b", "c"], "source": ["s", "s", "t"]})
    table = helpers.dispersion(tokens, parts="source", articles=articles).set_index("term")
    # parts s = "x y x" (share 3/5), t = "y y" (2/5): x only in s, y 1 of 3 in s
    assert table.loc["x", "range"] == 1 and table.loc["y", "range"] == 2
    assert table.loc["x", "dp"] == pytest.approx(0.5 * (abs(1 - 3 / 5) + abs(0 - 2 / 5)))
    assert table.loc["y", "dp"] == pytest.approx(0.5 * (abs(1 / 3 - 3 / 5) + abs(2 / 3 - 2 / 5)))


def test_tfidf_rows_have_unit_norm_per_article(sample_tokens):
    weights = helpers.tfidf(sample_tokens)
    norms = weights.groupby("doc_id")["tfidf"].apply(lambda w: float(np.sqrt((w ** 2).sum())))
    assert norms.to_numpy() == pytest.approx(np.ones(len(norms)))
