"""Every public statistic takes a Dask token table with exactly the arguments it takes on pandas, and gives the same
table: a matrix over the arguments on a small real corpus (the seed article and 40 Wikinews articles) on a
2-worker LocalCluster; one run with real worker processes; and a function that uses ``helpers`` sent to a worker."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import helpers
from helpers.stats.distinctive import KeynessOptions

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def articles(sample_articles) -> pd.DataFrame:
    seed = sample_articles[sample_articles["collection"] == "articles"]
    wikinews = sample_articles[sample_articles["collection"] != "articles"].iloc[:40]
    corpus = pd.concat([seed, wikinews], ignore_index=True)
    corpus.attrs = {}
    return corpus


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, processes=False, threads_per_worker=1,
                                  dashboard_address=None) as local, distributed.Client(local) as client:
        yield client


@pytest.fixture(scope="module")
def tables(articles, cluster):
    """The pandas tokens and the Dask tokens of the same articles in 3 partitions, tokenised on the cluster."""
    return helpers.tokenize(articles), helpers.tokenize(dd.from_pandas(articles, npartitions=3))


def _first(articles, n):
    return articles["doc_id"].iloc[:n].tolist()


CASES = {
    "frequencies": lambda t, a: helpers.frequencies(t),
    "frequencies by month": lambda t, a: helpers.frequencies(t, by="month", articles=a),
    "frequencies by collection, stopwords kept": lambda t, a: helpers.frequencies(t, by=["collection"], articles=a,
                                                                                  drop_stop=False),
    "frequencies, punctuation kept": lambda t, a: helpers.frequencies(t, drop_punct=False),
    "tfidf": lambda t, a: helpers.tfidf(t),
    "tfidf top 3, l1, sublinear": lambda t, a: helpers.tfidf(t, top=3, norm="l1", sublinear_tf=True),
    "tfidf no idf, no norm": lambda t, a: helpers.tfidf(t, use_idf=False, norm=None, drop_stop=False),
    "keyness month dict": lambda t, a: helpers.keyness(t, target={"month": "2019-03"}, articles=a),
    "keyness list of doc_ids": lambda t, a: helpers.keyness(t, target=_first(a, 5), options=KeynessOptions(correction="fdr_bh")),
    "keyness one doc_id": lambda t, a: helpers.keyness(t, target=a["doc_id"].iloc[0], min_freq=2),
    "keyness ids vs ids": lambda t, a: helpers.keyness(t, target=_first(a, 5), reference=a["doc_id"].iloc[10:20].tolist()),
    "keyness article mask": lambda t, a: helpers.keyness(t, target=(a["collection"] == "articles").to_numpy(),
                                                         articles=a),
    "keyness vs corpus": lambda t, a: helpers.keyness(t, target={"month": "2019-02"}, reference="corpus", articles=a),
    "keyness vs frequency list": lambda t, a: helpers.keyness(
        t, target={"month": "2019-02"}, articles=a,
        reference=pd.DataFrame({"term": ["police", "said", "people"], "count": [50, 400, 90]})),
    "keyness bonferroni, ci 0.9": lambda t, a: helpers.keyness(t, target={"collection": "articles"}, articles=a,
                                                               options=KeynessOptions("bonferroni", ci=0.9,
                                                                                      min_target_freq=1)),
    "ngrams": lambda t, a: helpers.ngrams(t),
    "ngrams n=3, stopwords kept": lambda t, a: helpers.ngrams(t, n=3, drop_stop=False),
    "ngrams within document": lambda t, a: helpers.ngrams(t, within="document", min_freq=2),
    "collocations": lambda t, a: helpers.collocations(t),
    "collocations window=5": lambda t, a: helpers.collocations(t, window=5, sort_by="pmi"),
    "collocations n=3": lambda t, a: helpers.collocations(t, n=3, min_freq=2),
    "trends terms": lambda t, a: helpers.trends(t, a, terms=["police", "kill*", "prime minister"]),
    "trends top, weeks": lambda t, a: helpers.trends(t, a, freq="W", top=3),
    "trends theme dict, stopwords kept": lambda t, a: helpers.trends(t, a, terms={"law": ["police", "court*"]},
                                                                     drop_stop=False),
    "dispersion": lambda t, a: helpers.dispersion(t),
    "dispersion over collections, terms": lambda t, a: helpers.dispersion(t, parts="collection", articles=a,
                                                                          terms=["police", "said", "libya"]),
    "dispersion over months, stopwords kept": lambda t, a: helpers.dispersion(t, parts="month", articles=a,
                                                                              drop_stop=False),
    "keyness_over_time": lambda t, a: helpers.keyness_over_time(t, a),
    "keyness_over_time previous": lambda t, a: helpers.keyness_over_time(t, a, against="previous", top=None,
                                                                         min_freq=2),
    "keyness_over_time weeks, fdr": lambda t, a: helpers.keyness_over_time(t, a, freq="W", options=KeynessOptions("fdr_bh")),
}


@pytest.mark.parametrize("name", list(CASES))
def test_dask_result_equals_pandas_result(name, tables, articles):
    pandas_tokens, dask_tokens = tables
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # undated articles: the same warning on both paths
        expected = CASES[name](pandas_tokens, articles)
        got = CASES[name](dask_tokens, articles)
    assert len(expected), f"{name}: the case must produce rows to compare"
    pd.testing.assert_frame_equal(expected, got)


def test_a_dask_articles_frame_is_accepted_where_pandas_articles_are(tables, articles):
    pandas_tokens, dask_tokens = tables
    dask_articles = dd.from_pandas(articles, npartitions=2)
    pd.testing.assert_frame_equal(helpers.trends(pandas_tokens, articles, terms=["police"]),
                                  helpers.trends(dask_tokens, dask_articles, terms=["police"]))


def test_keyness_takes_a_dask_mask_and_a_token_mask(tables, articles):
    pandas_tokens, dask_tokens = tables
    expected = helpers.keyness(pandas_tokens, target=(pandas_tokens["sentence"] == 0).to_numpy())
    pd.testing.assert_frame_equal(expected, helpers.keyness(dask_tokens, target=dask_tokens["sentence"] == 0))
    token_mask = np.concatenate([(part["sentence"] == 0).to_numpy() for part in
                                 (dask_tokens.get_partition(i).compute() for i in range(dask_tokens.npartitions))])
    pd.testing.assert_frame_equal(expected, helpers.keyness(dask_tokens, target=token_mask))


def test_dask_refuses_what_pandas_refuses_with_the_same_message(tables, articles):
    pandas_tokens, dask_tokens = tables
    for tokens in (pandas_tokens, dask_tokens):
        with pytest.raises(ValueError, match=r"1 doc_id\(s\) not in the token table"):
            helpers.keyness(tokens, target=["no-such-article"])
        with pytest.raises(ValueError, match="target and reference overlap"):
            helpers.keyness(tokens, target=_first(articles, 3), reference=_first(articles, 5))
        with pytest.raises(ValueError, match="selects no counted tokens"):
            helpers.keyness(tokens, target={"month": "1999-01"}, articles=articles)


def test_dask_tokens_are_the_pandas_tokens(tables):
    pandas_tokens, dask_tokens = tables
    got = dask_tokens.compute().reset_index(drop=True)
    pd.testing.assert_frame_equal(pandas_tokens.astype({"doc_id": str, "term": str, "token": str}),
                                  got.astype({"doc_id": str, "term": str, "token": str})[pandas_tokens.columns])


def test_with_worker_processes_the_tables_are_equal_and_helpers_pickles(articles):
    """Real worker processes: the tasks (and a user's lambda that calls helpers) are pickled to other interpreters."""
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as local, distributed.Client(local):
        dask_articles = dd.from_pandas(articles, npartitions=2)
        pandas_tokens = helpers.tokenize(articles)
        dask_tokens = helpers.tokenize(dask_articles)
        pd.testing.assert_frame_equal(helpers.frequencies(pandas_tokens, by="month", articles=articles),
                                      helpers.frequencies(dask_tokens, by="month", articles=articles))
        pd.testing.assert_frame_equal(helpers.keyness(pandas_tokens, target={"month": "2019-03"}, articles=articles),
                                      helpers.keyness(dask_tokens, target={"month": "2019-03"}, articles=articles))
        meta = helpers.tokenize(articles.iloc[:1]).iloc[:0]
        by_user = dask_articles.map_partitions(lambda df: helpers.tokenize(df), meta=meta).compute()
        # the user's function tokenises each partition on its own (its own sentence model), here as on a worker
        alone = pd.concat([helpers.tokenize(dask_articles.get_partition(i).compute()) for i in range(2)])
        assert by_user["doc_id"].astype(str).nunique() == len(articles)
        assert by_user["term"].astype(str).tolist() == alone["term"].astype(str).tolist()


@pytest.mark.parametrize("call", [
    lambda t, a: helpers.kwic(t, a, "police"), lambda t, a: helpers.cooccurrence(t),
    lambda t, a: helpers.themes(t, articles=a), lambda t, a: helpers.topics(t),
    lambda t, a: helpers.keyphrases(t), lambda t, a: helpers.term_hits(t, ["police"])])
def test_what_needs_the_whole_table_says_so_on_dask(call, tables, articles):
    with pytest.raises(TypeError, match="needs the whole token table in memory"):
        call(tables[1], articles)


def test_cached_tokenize_takes_a_parquet_corpus_as_tokenize_does(articles, cluster, tmp_path):
    """Reading one column of a partitioned Parquet corpus fuses its partitions in dask-expr, so iterating it as a
    pandas frame failed ("n must be 0 <= n < …"); the cache tokenises partition by partition instead."""
    from helpers.scale import partitions

    folder = partitions.write_parquet(articles, tmp_path / "corpus", partition_chars=20_000)
    corpus = partitions.read_parquet(folder)
    assert corpus.npartitions > 3
    expected = helpers.tokenize(corpus).compute()
    first = helpers.cached_tokenize(corpus, cache=tmp_path / "cache").compute()
    again = helpers.cached_tokenize(corpus, cache=tmp_path / "cache").compute()
    pd.testing.assert_frame_equal(first.reset_index(drop=True), expected.reset_index(drop=True))
    pd.testing.assert_frame_equal(again.reset_index(drop=True), expected.reset_index(drop=True))
