"""helpers.scale: partial counts add up to the pandas path's results, streaming and on a real Dask cluster."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

import helpers
from helpers.scale import driver as scale


def token_table(rows: list[tuple[str, int, str]]) -> pd.DataFrame:
    """(doc_id, sentence, term) rows; punctuation and a small stopword set flagged like the kit does."""
    frame = pd.DataFrame(rows, columns=["doc_id", "sentence", "term"])
    frame["position"] = frame.groupby("doc_id").cumcount()
    frame["is_stop"] = frame["term"].isin({"the", "and", "of"})
    frame["is_punct"] = frame["term"].isin({".", ","})
    return frame


INLINE = token_table([
    ("a", 0, "libya"), ("a", 0, "signed"), ("a", 0, "the"), ("a", 0, "memorandum"), ("a", 0, "."),
    ("a", 1, "drug"), ("a", 1, "trafficking"), ("a", 1, "."),
    ("b", 0, "drug"), ("b", 0, "trafficking"), ("b", 0, "and"), ("b", 0, "libya"), ("b", 0, "."),
    ("c", 0, "drug"), ("c", 0, ","), ("c", 0, "trafficking"),
])
PARTS = [INLINE[INLINE["doc_id"] == d] for d in ["a", "b", "c"]]


def test_is_dask_tells_dask_from_pandas():
    import dask.dataframe as dd

    assert scale.is_dask(dd.from_pandas(INLINE, npartitions=2))
    assert not scale.is_dask(INLINE) and not scale.is_dask(PARTS)


def test_frequencies_over_partitions_equal_the_pandas_helper():
    expected = helpers.frequencies(INLINE)
    pd.testing.assert_frame_equal(scale.frequencies(PARTS), expected)
    assert expected.set_index("term").loc["drug", ["frequency", "docfreq"]].tolist() == [3, 3]
    assert expected.set_index("term").loc["libya", ["frequency", "docfreq", "per_10k"]].tolist() == [2, 2, 2000.0]


def test_partial_counts_are_kept_per_partition_and_reused_only_for_the_same_content(tmp_path, monkeypatch):
    dated = [part.assign(date=pd.Timestamp("2019-03-0{}".format(i + 1), tz="UTC")) for i, part in enumerate(PARTS)]
    articles = pd.DataFrame({"doc_id": ["a", "b", "c"], "date": [p["date"].iloc[0] for p in dated]})
    runs = {
        "frequencies": lambda parts, **kw: scale.frequencies(parts, **kw),
        "keyness": lambda parts, **kw: scale.keyness(parts[:1], parts[1:], **kw),
        "trends": lambda parts, **kw: scale.trends(parts, articles=articles, terms=["drug", "libya"], **kw),
        "tfidf": lambda parts, **kw: pd.concat(list(scale.tfidf(parts, **kw)), ignore_index=True),
        "collocations": lambda parts, **kw: scale.collocations(parts, **kw),
    }
    for name, run in runs.items():
        pd.testing.assert_frame_equal(run(dated, cache=tmp_path), run(dated), obj=name)  # counted, then stored
        pd.testing.assert_frame_equal(run(dated, cache=tmp_path), run(dated), obj=name)  # read back
    stored = sorted((tmp_path / "partials").rglob("*.pkl"))
    # One file per partition and statistic; keyness counts its target and reference with the same
    # partial counts as frequencies, which it had already stored.
    assert len(stored) == 3 * 4

    counted = []
    real = scale.term_counts
    monkeypatch.setattr(scale, "term_counts", lambda part, **kw: counted.append(sorted(set(part["doc_id"])))
                        or real(part, **kw))
    changed = dated[2].assign(term=dated[2]["term"].replace({"drug": "drugs"}))
    new = dated[0].assign(doc_id="d")
    table = scale.frequencies([dated[0], dated[1], changed, new], cache=tmp_path)
    assert counted == [["c"], ["d"]]  # the unchanged partitions a and b were read back, not counted
    pd.testing.assert_frame_equal(table, helpers.frequencies(pd.concat([dated[0], dated[1], changed, new])))

    # The key is what the step reads: a column frequencies ignores changes nothing, a stopword flag does.
    counted.clear()
    offsets = dated[0].assign(start=range(len(dated[0])))
    restopped = dated[1].assign(is_stop=dated[1]["term"].eq("drug"))
    table = scale.frequencies([offsets, restopped, changed, new], cache=tmp_path)
    assert counted == [["b"]]
    pd.testing.assert_frame_equal(table, helpers.frequencies(pd.concat([offsets, restopped, changed, new])))


def test_an_article_split_over_two_partitions_is_refused():
    split = [INLINE.iloc[:3], INLINE.iloc[3:]]
    with pytest.raises(ValueError, match="two partitions"):
        scale.frequencies(split)
    # Categorical doc ids (as tokenize makes them) list every article in each partition: only those present count.
    categorical = INLINE.assign(doc_id=INLINE["doc_id"].astype("category"))
    pd.testing.assert_frame_equal(scale.frequencies([categorical[categorical["doc_id"] == d] for d in "abc"]),
                                  helpers.frequencies(INLINE))
    with pytest.raises(ValueError, match="two partitions"):
        scale.frequencies([categorical.iloc[:3], categorical.iloc[3:]])


def test_collocations_over_partitions_equal_the_pandas_helper():
    for n in (2, 3):
        expected = helpers.collocations(INLINE, n=n)
        pd.testing.assert_frame_equal(scale.collocations(PARTS, n=n), expected, check_exact=True)
    # "drug , trafficking" in c holds punctuation: the pair counts in a and b only; N = 16 tokens, f(drug) = 3
    drug = helpers.collocations(INLINE).set_index("ngram").loc["drug trafficking"]
    assert drug[["frequency", "w1_freq", "w2_freq"]].tolist() == [2, 3, 3]
    assert drug["pmi"] == pytest.approx(math.log2(2 * 16 / (3 * 3)))
    with pytest.raises(ValueError, match="two partitions"):
        scale.collocations([INLINE.iloc[:3], INLINE.iloc[3:]])


def test_bigrams_stay_inside_sentences_and_skip_punctuation():
    table = scale.ngram_counts(PARTS).set_index("ngram")
    # "trafficking ." and "drug , trafficking" hold punctuation; "memorandum drug" would cross a sentence.
    assert table.loc["drug trafficking", ["frequency", "docfreq"]].tolist() == [2, 2]
    assert "memorandum drug" not in table.index and "drug ," not in table.index
    assert sorted(table.index) == ["and libya", "drug trafficking", "libya signed", "signed the", "the memorandum",
                                   "trafficking and"]
    without_stop = scale.ngram_counts(PARTS, drop_stop=True)
    assert sorted(without_stop["ngram"]) == ["drug trafficking", "libya signed"]


def test_trigrams_have_three_word_columns():
    table = scale.ngram_counts(PARTS, n=3)
    assert table.loc[table["ngram"] == "libya signed the", ["w1", "w2", "w3", "frequency"]].values.tolist() == [
        ["libya", "signed", "the", 1]]


def test_keyness_statistics_from_a_hand_computed_table():
    target = pd.DataFrame({"doc_id": "t", "term": ["libya"] * 3 + ["memo"], "is_stop": False, "is_punct": False})
    reference = pd.DataFrame({"term": ["libya", "memo", "vote"], "frequency": [1, 7, 2]})
    table = scale.keyness([target], reference).set_index("term")
    # libya: a=3, b=1, c=4, d=10; E1=16/14, E2=40/14
    g2 = 2 * (3 * math.log(3 / (16 / 14)) + 1 * math.log(1 / (40 / 14)))
    assert table.loc["libya", "g2"] == pytest.approx(g2) == pytest.approx(3.690842, abs=1e-6)
    chi2 = 14 * (3 * 9 - 1 * 1) ** 2 / (4 * 10 * 4 * 10)
    assert table.loc["libya", "chi2"] == pytest.approx(chi2)
    assert table.loc["libya", "log_ratio"] == pytest.approx(math.log2((3 / 4) / (1 / 10)))
    assert table.loc["libya", "log_ratio_ci_low"] == pytest.approx(
        math.log2(7.5) - NormalDist().inv_cdf(0.975) * math.sqrt(1 / 3 + 1) / math.log(2))
    assert table.loc["libya", "pct_diff"] == pytest.approx(100 * (0.75 - 0.1) / 0.1)
    assert table.loc["libya", "key_for"] == "target" and table.loc["memo", "key_for"] == "reference"
    # vote: a zero target count takes 0.5 in the log ratio and contributes 0·ln 0 = 0 to G².
    assert table.loc["vote", "log_ratio"] == pytest.approx(math.log2((0.5 / 4) / (2 / 10)))
    assert table.loc["vote", "g2"] == pytest.approx(2 * 2 * math.log(2 / (10 * 2 / 14)))
    assert (table.attrs["target_tokens"], table.attrs["reference_tokens"]) == (4, 10)


def test_keyness_with_a_term_absent_from_the_reference_uses_the_pct_diff_convention():
    target = pd.DataFrame({"doc_id": "t", "term": ["mou", "vote"], "is_stop": False, "is_punct": False})
    reference = pd.DataFrame({"term": ["vote"], "frequency": [4]})
    row = scale.keyness(target, reference).set_index("term").loc["mou"]
    assert row["pct_diff"] == pytest.approx(100 * 0.5 / 1e-18)
    assert row["log_ratio"] == pytest.approx(math.log2((1 / 2) / (0.5 / 4)))


def test_tfidf_equals_scikit_learn():
    from sklearn.feature_extraction.text import TfidfVectorizer

    table = pd.concat(scale.tfidf(PARTS), ignore_index=True)
    counted = helpers.content_tokens(INLINE)
    docs = [counted.loc[counted["doc_id"] == d, "term"].tolist() for d in ["a", "b", "c"]]
    vectorizer = TfidfVectorizer(analyzer=lambda terms: terms)
    matrix = vectorizer.fit_transform(docs).toarray()
    vocabulary = vectorizer.get_feature_names_out()
    for row in table.itertuples():
        column = list(vocabulary).index(row.term)
        assert row.tfidf == pytest.approx(matrix["abc".index(row.doc_id), column])
        assert row.idf == pytest.approx(vectorizer.idf_[column])
    assert table.loc[(table["doc_id"] == "a") & (table["rank"] == 1), "term"].tolist() == ["memorandum", "signed"]


def test_tfidf_of_chosen_articles_keeps_the_whole_corpus_idf():
    everything = pd.concat(scale.tfidf(PARTS), ignore_index=True)
    chosen = pd.concat(scale.tfidf(PARTS, doc_ids=["c", "a"]), ignore_index=True)
    expected = everything[everything["doc_id"].isin(["a", "c"])].reset_index(drop=True)
    assert set(everything["doc_id"]) - {"a", "c"}  # another article was left out
    pd.testing.assert_frame_equal(chosen, expected)


def test_tfidf_refuses_a_one_shot_generator():
    with pytest.raises(TypeError, match="twice"):
        scale.tfidf(iter(PARTS))


def test_trends_sum_periods_and_leave_gaps_as_nan():
    dates = {"a": "2019-01-05", "b": "2019-01-20", "c": "2019-03-02"}
    tokens = [p.assign(date=pd.Timestamp(dates[p["doc_id"].iloc[0]], tz="UTC")) for p in PARTS]
    articles = pd.DataFrame({"doc_id": list(dates), "date": pd.to_datetime(list(dates.values()), utc=True)})
    table = scale.trends(tokens, articles=articles, terms=["libya", "drug"])
    jan = table[table["period"] == pd.Timestamp("2019-01-01")].set_index("term")
    assert jan.loc["libya", ["count", "n_articles", "n_tokens"]].tolist() == [2, 2, 8]
    assert jan.loc["libya", "share_articles"] == 1.0 and jan.loc["libya", "per_10k"] == 2500.0
    feb = table[table["period"] == pd.Timestamp("2019-02-01")]
    assert feb["n_articles"].tolist() == [0, 0] and feb["per_10k"].isna().all() and feb["count"].isna().all()
    assert feb["n_tokens"].tolist() == [0, 0]
    mar = table[table["period"] == pd.Timestamp("2019-03-01")].set_index("term")
    assert mar.loc["libya", "count"] == 0 and mar.loc["drug", "share_articles"] == 1.0


def test_write_parquet_keeps_whole_articles_and_refuses_to_overwrite(tmp_path):
    articles = pd.DataFrame({"doc_id": list("abcde"), "text": ["x" * 4, "y" * 4, "z" * 9, "w", "v"]})
    folder = scale.write_parquet(articles, tmp_path / "corpus", partition_chars=8)
    parts = [p["doc_id"].tolist() for p in scale.iter_parquet(folder)]
    assert sum(parts, []) == list("abcde")
    assert any(part[-1] == "c" for part in parts)  # an article as long as a partition always ends one
    with pytest.raises(FileExistsError):
        scale.write_parquet(articles, folder)
    batches = (articles.iloc[i:i + 2] for i in range(0, 5, 2))
    again = scale.write_parquet(batches, folder, partition_chars=100, replace=True)
    assert [p["doc_id"].tolist() for p in scale.iter_parquet(again)] == [list("abcde")]


def test_write_parquet_partitions_hold_their_content_when_articles_are_added(tmp_path):
    articles = pd.DataFrame({"doc_id": [f"doc-{i}" for i in range(400)], "text": ["word " * (i % 37 + 3)
                                                                             for i in range(400)]})
    limit = 2000

    def partitions(frame, name):
        folder = scale.write_parquet(frame, tmp_path / name, partition_chars=limit)
        return [tuple(p["doc_id"]) for p in scale.iter_parquet(folder)]

    before = partitions(articles, "before")
    sizes = [sum(len("word ") * (int(d.split("-")[1]) % 37 + 3) for d in part) for part in before]
    assert 10 < len(before) < 60 and max(sizes) < 2 * limit + 40 * len("word ")
    # Three articles inserted in the middle and two appended: all other partitions are written unchanged.
    new = pd.DataFrame({"doc_id": [f"new-{i}" for i in range(5)], "text": ["fresh text " * 9] * 5})
    grown = pd.concat([articles.iloc[:200], new.iloc[:3], articles.iloc[200:], new.iloc[3:]], ignore_index=True)
    after = partitions(grown, "after")
    changed = [part for part in after if part not in set(before)]
    assert sum(after, ()) == tuple(grown["doc_id"])
    assert len(changed) <= 4 and {"new-0", "new-3"} <= set(sum(changed, ()))


def test_auto_partition_chars_bounds():
    assert scale.auto_partition_chars(0) == 40_000
    assert scale.auto_partition_chars(64_000_000, partitions=32) == 2_000_000
    assert scale.auto_partition_chars(10 ** 12) == scale.PARTITION_CHARS


def test_tokenize_copies_article_columns_onto_tokens_and_refuses_repeated_ids():
    articles = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Libya signed.", "Drugs."], "source": ["x", "y"]})
    parts = list(scale.tokenize([articles.iloc[:1], articles.iloc[1:]], keep=["source"]))
    assert [p["source"].tolist() for p in parts] == [["x", "x", "x"], ["y", "y"]]
    with pytest.raises(ValueError, match="names two articles|must be unique"):
        list(scale.tokenize(articles.assign(doc_id="a"), keep=["source"]))


def test_tokenize_splits_sentences_with_the_run_s_model_when_one_is_named(tmp_path, monkeypatch):
    from helpers.text.sentence_store import model_fingerprint, save_sentence_model
    from helpers.text.sentences import sentence_splitter

    model = sentence_splitter(["Maj. Gen. Khaled met Mr. Smith. They talked."])
    monkeypatch.setenv("NEWSKIT_SENTENCE_MODEL", str(save_sentence_model(model, tmp_path / "model.pkl")))
    trained = []
    monkeypatch.setattr(scale, "sentence_model", lambda *a, **kw: trained.append(1))
    used = []
    real = scale.tokenize_partition
    monkeypatch.setattr(scale, "tokenize_partition", lambda part, splitter=None, **kw: used.append(splitter)
                        or real(part, splitter=splitter, **kw))
    articles = pd.DataFrame({"doc_id": ["a"], "text": ["Maj. Gen. Khaled met Mr. Smith. They talked."]})
    tokens = next(scale.tokenize([articles]))
    assert not trained and [model_fingerprint(m) for m in used] == [model_fingerprint(model)]
    assert tokens["sentence"].max() == 1


def test_write_parquet_accepts_a_column_that_is_empty_in_the_first_batch(tmp_path):
    batches = [pd.DataFrame({"doc_id": ["a"], "text": ["x" * 9], "author": [None]}),
               pd.DataFrame({"doc_id": ["b"], "text": ["y" * 9], "author": ["A. Writer"]})]
    folder = scale.write_parquet(batches, tmp_path / "corpus", partition_chars=5)
    assert scale.read_parquet(folder).compute()["author"].tolist()[1] == "A. Writer"
    with pytest.raises(ValueError, match="same columns"):
        scale.write_parquet([batches[0], batches[1].assign(extra=1)], tmp_path / "other", partition_chars=5)


def test_write_parquet_names_missing_columns(tmp_path):
    with pytest.raises(ValueError, match="no column \\['text'\\]"):
        scale.write_parquet(pd.DataFrame({"doc_id": ["a"]}), tmp_path / "c")


# ------------------------------------------------------------------------------------------- the sample, on Dask

@pytest.fixture(scope="module")
def sample_folder(sample_articles, tmp_path_factory):
    """The sample in ~40 KB partitions: about ten, so every reduction really combines."""
    return scale.write_parquet(sample_articles, tmp_path_factory.mktemp("scale") / "corpus", partition_chars=40_000)


@pytest.fixture(scope="module")
def client():
    import distributed  # a dependency of the kit (pyproject.toml): missing, the test fails
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        with distributed.Client(cluster) as connected:
            yield connected


@pytest.fixture(scope="module")
def dask_tokens(client, sample_folder):
    tokens = scale.tokenize(scale.read_parquet(sample_folder), keep=["source", "date", "collection"])
    return tokens.persist()


def test_partitioned_tokenising_equals_tokenising_the_whole_sample(sample_articles, sample_tokens, sample_folder):
    streamed = pd.concat(list(scale.tokenize(sample_folder)), ignore_index=True)
    columns = [c for c in sample_tokens.columns]
    assert scale.read_parquet(sample_folder).npartitions >= 8
    pd.testing.assert_frame_equal(streamed[columns].astype({c: str for c in ("doc_id", "token", "term")}),
                                  sample_tokens.astype({c: str for c in ("doc_id", "token", "term")}))


def test_dask_frequencies_equal_the_pandas_path(dask_tokens, sample_tokens, sample_articles, tmp_path):
    assert dask_tokens.npartitions >= 8
    pd.testing.assert_frame_equal(scale.frequencies(dask_tokens), helpers.frequencies(sample_tokens))
    for _ in range(2):  # partial counts computed on the workers and stored, then read back
        pd.testing.assert_frame_equal(scale.frequencies(dask_tokens, cache=tmp_path), helpers.frequencies(sample_tokens))
    assert len(list((tmp_path / "partials").rglob("*.pkl"))) == dask_tokens.npartitions
    by_source = scale.frequencies(dask_tokens, by="source")
    expected = helpers.frequencies(sample_tokens, by="source", articles=sample_articles)
    pd.testing.assert_frame_equal(by_source, expected, check_dtype=False)
    top = helpers.frequencies(sample_tokens).head(5)["term"].tolist()
    assert scale.frequencies(dask_tokens).head(5)["term"].tolist() == top


def test_dask_ngrams_tfidf_and_keyness_equal_the_pandas_path(dask_tokens, sample_tokens, sample_articles):
    pd.testing.assert_frame_equal(scale.ngram_counts(dask_tokens), scale.ngram_counts(sample_tokens))
    distributed_tfidf = scale.tfidf(dask_tokens).compute().reset_index(drop=True)
    pd.testing.assert_frame_equal(distributed_tfidf, helpers.tfidf(sample_tokens))

    seed = dask_tokens[dask_tokens["collection"] == "articles"]
    rest = dask_tokens[dask_tokens["collection"] != "articles"]
    expected = helpers.keyness(sample_tokens, target={"collection": "articles"}, articles=sample_articles)
    table = scale.keyness(seed, rest)
    pd.testing.assert_frame_equal(table, expected)
    key_terms = table[table["key_for"] == "target"].head(10)["term"].tolist()
    assert "libya" in key_terms and table.set_index("term").loc["libya", "significant"]


def test_dask_trends_equal_the_streaming_and_pandas_paths(dask_tokens, sample_folder, sample_tokens, sample_articles):
    terms = ["trump", "brexit", "libya"]
    on_dask = scale.trends(dask_tokens, articles=scale.read_parquet(sample_folder, columns=["date"]), terms=terms)
    streamed = scale.trends(scale.tokenize(sample_folder, keep=["date"]), articles=sample_folder, terms=terms)
    pd.testing.assert_frame_equal(on_dask, streamed)
    with pytest.warns(UserWarning, match="undated"):
        expected = helpers.trends(sample_tokens, sample_articles, terms=terms)
    pd.testing.assert_frame_equal(on_dask, expected)
    assert on_dask.drop_duplicates("period")["n_articles"].sum() == 171  # the seed article is undated
    brexit = on_dask[on_dask["term"] == "brexit"].set_index("period")["count"]
    assert brexit.sum() == helpers.frequencies(pd.concat(list(scale.tokenize(sample_folder)))).set_index(
        "term").loc["brexit", "frequency"]


def test_dask_collocations_equal_the_pandas_path(dask_tokens, sample_tokens):
    for options in ({}, {"n": 3}, {"window": 4, "drop_stop": False, "min_freq": 3, "sort_by": "pmi"}):
        expected = helpers.collocations(sample_tokens, **options)
        pd.testing.assert_frame_equal(helpers.collocations(dask_tokens, **options), expected, check_exact=True)
    top = helpers.collocations(dask_tokens).head(3)["ngram"].tolist()
    assert top == ["united states", "hong kong", "nicholas moreau"]


def test_dask_client_connects_to_the_scheduler_named_in_the_environment(client, monkeypatch):
    monkeypatch.setenv(scale.SCHEDULER_ENV, client.scheduler.address)
    other = scale.dask_client()
    try:
        assert other.scheduler.address == client.scheduler.address
        assert len(other.scheduler_info()["workers"]) == 2
    finally:
        other.close()
    assert np.isclose(client.submit(sum, [1, 2]).result(), 3)


# ------------------------------------------------------------------------------------------- notebook 09 outputs

@pytest.mark.slow
def test_large_corpus_notebook_reproduces_the_pandas_tables(notebook_run, default_articles):
    top = pd.read_csv(notebook_run / "tables" / "large-corpus-top-terms.csv", keep_default_na=False)
    expected = helpers.frequencies(helpers.tokenize(default_articles)).head(200)
    assert top["term"].tolist() == expected["term"].tolist()
    assert top["frequency"].tolist() == expected["frequency"].tolist()
    key = pd.read_csv(notebook_run / "tables" / "large-corpus-keyness-focus.csv", keep_default_na=False)
    focus_key_terms = key[key["key_for"] == "target"].head(5)["term"].tolist()  # the focus: the seed article
    assert {"libya", "mou"} <= set(focus_key_terms)
    tfidf_top = pd.read_csv(notebook_run / "tables" / "large-corpus-article-tfidf.csv", keep_default_na=False)
    assert tfidf_top.iloc[0]["term"] == "libya"


@pytest.mark.slow
def test_large_corpus_notebook_prints_the_dashboard_link(notebook_run):
    import nbformat

    executed = nbformat.read(notebook_run / "notebooks" / "09-large-corpus.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "Dask dashboard: http" in printed and "Dask result equals the pandas path" in printed


def test_the_public_helpers_accept_dask_input_and_give_the_pandas_results(client, dask_tokens, sample_folder,
                                                                          sample_tokens, sample_articles):
    pd.testing.assert_frame_equal(helpers.frequencies(dask_tokens), helpers.frequencies(sample_tokens))
    pd.testing.assert_frame_equal(helpers.tfidf(dask_tokens).compute().reset_index(drop=True),
                                  helpers.tfidf(sample_tokens))
    expected = helpers.keyness(sample_tokens, target={"collection": "articles"}, articles=sample_articles)
    pd.testing.assert_frame_equal(helpers.keyness(dask_tokens, target={"collection": "articles"}), expected)
    dates = scale.read_parquet(sample_folder, columns=["date"])
    pd.testing.assert_frame_equal(helpers.trends(dask_tokens, dates, terms=["trump", "brexit"]),
                                  scale.trends(dask_tokens, articles=dates, terms=["trump", "brexit"]))
    lazy = helpers.tokenize(scale.read_parquet(sample_folder))
    assert scale.is_dask(lazy)
    assert helpers.frequencies(lazy).head(10)["term"].tolist() == helpers.frequencies(sample_tokens).head(10)[
        "term"].tolist()
    with pytest.raises(ValueError, match="target=\\{column: value\\}"):
        helpers.keyness(dask_tokens, target=["a-doc-id"])
