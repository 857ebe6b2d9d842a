"""helpers.scale, the driver: partial counts of the statistics add up to the pandas path's results, streaming (a list
of frames) and on a real Dask cluster; Parquet partitions; the partial-result memo."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

import helpers
from helpers.scale import client as dask_side
from helpers.scale import partitions, reduce
from helpers.stats import counts
from helpers.text import partitioned
from helpers.text.tokenizer import tokenize


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


def test_write_parquet_keeps_whole_articles_and_refuses_to_overwrite(tmp_path):
    articles = pd.DataFrame({"doc_id": list("abcde"), "text": ["x" * 4, "y" * 4, "z" * 9, "w", "v"]})
    folder = partitions.write_parquet(articles, tmp_path / "corpus", partition_chars=8)
    parts = [p["doc_id"].tolist() for p in partitions.iter_parquet(folder)]
    assert sum(parts, []) == list("abcde")
    assert any(part[-1] == "c" for part in parts)  # an article as long as a partition always ends one
    with pytest.raises(FileExistsError):
        partitions.write_parquet(articles, folder)
    batches = (articles.iloc[i:i + 2] for i in range(0, 5, 2))
    again = partitions.write_parquet(batches, folder, partition_chars=100, replace=True)
    assert [p["doc_id"].tolist() for p in partitions.iter_parquet(again)] == [list("abcde")]


def test_write_parquet_partitions_hold_their_content_when_articles_are_added(tmp_path):
    articles = pd.DataFrame({"doc_id": [f"doc-{i}" for i in range(400)], "text": ["word " * (i % 37 + 3)
                                                                             for i in range(400)]})
    limit = 2000

    def written(frame, name):
        folder = partitions.write_parquet(frame, tmp_path / name, partition_chars=limit)
        return [tuple(p["doc_id"]) for p in partitions.iter_parquet(folder)]

    before = written(articles, "before")
    sizes = [sum(len("word ") * (int(d.split("-")[1]) % 37 + 3) for d in part) for part in before]
    assert 10 < len(before) < 60 and max(sizes) < 2 * limit + 40 * len("word ")
    # Three articles inserted in the middle and two appended: all other partitions are written unchanged.
    new = pd.DataFrame({"doc_id": [f"new-{i}" for i in range(5)], "text": ["fresh text " * 9] * 5})
    grown = pd.concat([articles.iloc[:200], new.iloc[:3], articles.iloc[200:], new.iloc[3:]], ignore_index=True)
    after = written(grown, "after")
    changed = [part for part in after if part not in set(before)]
    assert sum(after, ()) == tuple(grown["doc_id"])
    assert len(changed) <= 4 and {"new-0", "new-3"} <= set(sum(changed, ()))


def test_auto_partition_chars_bounds():
    assert partitions.auto_partition_chars(0) == 40_000
    assert partitions.auto_partition_chars(64_000_000, partitions=32) == 2_000_000
    assert partitions.auto_partition_chars(10 ** 12) == partitions.PARTITION_CHARS


def test_write_parquet_accepts_a_column_that_is_empty_in_the_first_batch(tmp_path):
    batches = [pd.DataFrame({"doc_id": ["a"], "text": ["x" * 9], "author": [None]}),
               pd.DataFrame({"doc_id": ["b"], "text": ["y" * 9], "author": ["A. Writer"]})]
    folder = partitions.write_parquet(batches, tmp_path / "corpus", partition_chars=5)
    assert partitions.read_parquet(folder).compute()["author"].tolist()[1] == "A. Writer"
    with pytest.raises(ValueError, match="same columns"):
        partitions.write_parquet([batches[0], batches[1].assign(extra=1)], tmp_path / "other", partition_chars=5)


def test_write_parquet_names_missing_columns(tmp_path):
    with pytest.raises(ValueError, match="no column \\['text'\\]"):
        partitions.write_parquet(pd.DataFrame({"doc_id": ["a"]}), tmp_path / "c")


# ------------------------------------------------------------------------------------------- the sample, on Dask


def test_trends_sum_periods_and_leave_gaps_as_nan():
    dates = {"a": "2019-01-05", "b": "2019-01-20", "c": "2019-03-02"}
    tokens = PARTS
    articles = pd.DataFrame({"doc_id": list(dates), "date": pd.to_datetime(list(dates.values()), utc=True)})
    table = helpers.trends(tokens, articles, terms=["libya", "drug"])
    jan = table[table["period"] == pd.Timestamp("2019-01-01")].set_index("term")
    assert jan.loc["libya", ["count", "n_articles", "n_tokens"]].tolist() == [2, 2, 8]
    assert jan.loc["libya", "share_articles"] == 1.0 and jan.loc["libya", "per_10k"] == 2500.0
    feb = table[table["period"] == pd.Timestamp("2019-02-01")]
    assert feb["n_articles"].tolist() == [0, 0] and feb["per_10k"].isna().all() and feb["count"].isna().all()
    assert feb["n_tokens"].tolist() == [0, 0]
    mar = table[table["period"] == pd.Timestamp("2019-03-01")].set_index("term")
    assert mar.loc["libya", "count"] == 0 and mar.loc["drug", "share_articles"] == 1.0


def test_keyness_statistics_from_a_hand_computed_table():
    target = pd.DataFrame({"doc_id": "t", "term": ["libya"] * 3 + ["memo"], "is_stop": False, "is_punct": False})
    reference = pd.DataFrame({"term": ["libya", "memo", "vote"], "frequency": [1, 7, 2]})
    table = helpers.keyness([target], target="t", reference=reference).set_index("term")
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
    row = helpers.keyness([target], target="t", reference=reference).set_index("term").loc["mou"]
    assert row["pct_diff"] == pytest.approx(100 * 0.5 / 1e-18)
    assert row["log_ratio"] == pytest.approx(math.log2((1 / 2) / (0.5 / 4)))


def test_tfidf_equals_scikit_learn():
    from sklearn.feature_extraction.text import TfidfVectorizer

    table = helpers.tfidf(PARTS)
    pd.testing.assert_frame_equal(table, helpers.tfidf(INLINE))
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


def test_tfidf_refuses_a_one_shot_generator():
    with pytest.raises(TypeError, match="twice"):
        helpers.tfidf(iter(PARTS))


def test_collocations_over_partitions_equal_the_pandas_helper():
    for n in (2, 3):
        expected = helpers.collocations(INLINE, n=n)
        pd.testing.assert_frame_equal(helpers.collocations(PARTS, n=n), expected, check_exact=True)
    # "drug , trafficking" in c holds punctuation: the pair counts in a and b only; N = 16 tokens, f(drug) = 3
    drug = helpers.collocations(INLINE).set_index("ngram").loc["drug trafficking"]
    assert drug[["frequency", "w1_freq", "w2_freq"]].tolist() == [2, 3, 3]
    assert drug["pmi"] == pytest.approx(math.log2(2 * 16 / (3 * 3)))
    with pytest.raises(ValueError, match="two partitions"):
        helpers.collocations([INLINE.iloc[:3], INLINE.iloc[3:]])


def test_an_article_split_over_two_partitions_is_refused():
    split = [INLINE.iloc[:3], INLINE.iloc[3:]]
    with pytest.raises(ValueError, match="two partitions"):
        helpers.frequencies(split)
    # Categorical doc ids (as tokenize makes them) list every article in each partition: only those present count.
    categorical = INLINE.assign(doc_id=INLINE["doc_id"].astype("category"))
    pd.testing.assert_frame_equal(helpers.frequencies([categorical[categorical["doc_id"] == d] for d in "abc"]),
                                  helpers.frequencies(INLINE))
    with pytest.raises(ValueError, match="two partitions"):
        helpers.frequencies([categorical.iloc[:3], categorical.iloc[3:]])


def test_bigrams_stay_inside_sentences_and_skip_punctuation():
    table = helpers.ngrams(PARTS, drop_stop=False).set_index("ngram")
    pd.testing.assert_frame_equal(helpers.ngrams(PARTS, drop_stop=False), helpers.ngrams(INLINE, drop_stop=False))
    # "trafficking ." and "drug , trafficking" hold punctuation; "memorandum drug" would cross a sentence.
    assert table.loc["drug trafficking", ["frequency", "docfreq"]].tolist() == [2, 2]
    assert "memorandum drug" not in table.index and "drug ," not in table.index
    assert sorted(table.index) == ["and libya", "drug trafficking", "libya signed", "signed the", "the memorandum",
                                   "trafficking and"]
    without_stop = helpers.ngrams(PARTS)
    assert sorted(without_stop["ngram"]) == ["drug trafficking", "libya signed"]


def test_trigrams_have_three_word_columns():
    table = helpers.ngrams(PARTS, n=3, drop_stop=False)
    assert table.loc[table["ngram"] == "libya signed the", ["w1", "w2", "w3", "frequency"]].values.tolist() == [
        ["libya", "signed", "the", 1]]


def test_tokenize_copies_article_columns_onto_tokens_and_refuses_repeated_ids():
    articles = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Libya signed.", "Drugs."], "source": ["x", "y"]})
    parts = list(partitioned.tokenize_partitions([articles.iloc[:1], articles.iloc[1:]], tokenizer=tokenize,
                                                keep=["source"]))
    assert [p["source"].tolist() for p in parts] == [["x", "x", "x"], ["y", "y"]]
    with pytest.raises(ValueError, match="names two articles|must be unique"):
        list(partitioned.tokenize_partitions(articles.assign(doc_id="a"), tokenizer=tokenize, keep=["source"]))


def test_tokenize_splits_sentences_with_the_run_s_model_when_one_is_named(tmp_path, monkeypatch):
    from helpers.text.sentence_store import model_fingerprint, save_sentence_model
    from helpers.text.sentences import sentence_splitter

    model = sentence_splitter(["Maj. Gen. Khaled met Mr. Smith. They talked."])
    monkeypatch.setenv("NEWSKIT_SENTENCE_MODEL", str(save_sentence_model(model, tmp_path / "model.pkl")))
    trained = []
    monkeypatch.setattr(partitioned, "shared_sentence_model", lambda *a, **kw: trained.append(1))
    used = []
    real = partitioned.tokenize_partition
    monkeypatch.setattr(partitioned, "tokenize_partition", lambda part, splitter=None, **kw: used.append(splitter)
                        or real(part, splitter=splitter, **kw))
    articles = pd.DataFrame({"doc_id": ["a"], "text": ["Maj. Gen. Khaled met Mr. Smith. They talked."]})
    tokens = next(partitioned.tokenize_partitions([articles], tokenizer=tokenize))
    assert not trained and [model_fingerprint(m) for m in used] == [model_fingerprint(model)]
    assert tokens["sentence"].max() == 1


def test_is_dask_and_is_partitioned_tell_the_inputs_apart():
    import dask.dataframe as dd

    assert dask_side.is_dask(dd.from_pandas(INLINE, npartitions=2))
    assert not dask_side.is_dask(INLINE) and not dask_side.is_dask(PARTS)
    assert reduce.is_partitioned(PARTS) and reduce.is_partitioned(iter(PARTS)) and not reduce.is_partitioned(INLINE)


def test_statistics_over_a_list_of_partitions_equal_the_pandas_tables():
    articles = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["x", "y", "x"],
                             "date": pd.to_datetime(["2019-01-05", "2019-01-20", "2019-03-02"], utc=True)})
    cases = {
        "frequencies": lambda t: helpers.frequencies(t),
        "frequencies by outlet": lambda t: helpers.frequencies(t, by="outlet", articles=articles),
        "keyness": lambda t: helpers.keyness(t, target={"outlet": "x"}, articles=articles),
        "keyness_over_time": lambda t: helpers.keyness_over_time(t, articles, min_freq=1),
        "trends": lambda t: helpers.trends(t, articles, terms=["libya", "drug"]),
    }
    for name, run in cases.items():
        pd.testing.assert_frame_equal(run(PARTS), run(INLINE), obj=name)
        assert len(run(INLINE)), name
    drug = helpers.frequencies(PARTS).set_index("term").loc["drug"]
    assert drug[["frequency", "docfreq"]].tolist() == [3, 3]


def test_partial_counts_are_kept_per_partition_and_reused_only_for_the_same_content(tmp_path, monkeypatch):
    articles = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "date": pd.to_datetime(
        ["2019-03-01", "2019-03-02", "2019-04-03", "2019-04-04"], utc=True)})
    runs = {
        "frequencies": lambda parts: helpers.frequencies(parts),
        "keyness": lambda parts: helpers.keyness(parts, target=["a"]),
        "tfidf": lambda parts: helpers.tfidf(parts),
        "collocations": lambda parts: helpers.collocations(parts),
        "ngrams": lambda parts: helpers.ngrams(parts),
        "keyness_over_time": lambda parts: helpers.keyness_over_time(parts, articles, min_freq=1),
    }
    for name, run in runs.items():
        with reduce.cached_partials(tmp_path):
            counted_then_read = [run(PARTS), run(PARTS)]
        for table in counted_then_read:
            pd.testing.assert_frame_equal(table, run(PARTS), obj=name)
    stored = sorted((tmp_path / "partials").rglob("*.pkl"))
    assert len(stored) == 3 * len(runs)  # one file per partition and statistic

    counted = []
    real = counts.term_counts

    def spy(part, **options):
        counted.append(sorted(set(part["doc_id"])))
        return real(part, **options)

    spy.__module__ = counts.__name__  # the memo's key covers the source of the module that counts
    monkeypatch.setattr(counts, "term_counts", spy)
    changed = PARTS[2].assign(term=PARTS[2]["term"].replace({"drug": "drugs"}))
    new = PARTS[0].assign(doc_id="d")
    with reduce.cached_partials(tmp_path):
        table = helpers.frequencies([PARTS[0], PARTS[1], changed, new])
    assert counted == [["c"], ["d"]]  # the unchanged partitions a and b were read back, not counted
    pd.testing.assert_frame_equal(table, helpers.frequencies(pd.concat([PARTS[0], PARTS[1], changed, new])))

    # The key is what the step reads: a column frequencies ignores changes nothing, a stopword flag does.
    counted.clear()
    offsets = PARTS[0].assign(start=range(len(PARTS[0])))
    restopped = PARTS[1].assign(is_stop=PARTS[1]["term"].eq("drug"))
    with reduce.cached_partials(tmp_path):
        table = helpers.frequencies([offsets, restopped, changed, new])
    assert counted == [["b"]]
    pd.testing.assert_frame_equal(table, helpers.frequencies(pd.concat([offsets, restopped, changed, new])))
    counted.clear()
    helpers.frequencies([offsets, restopped])  # outside the block nothing is kept or read
    assert counted == [["a"], ["b"]]


# ------------------------------------------------------------------------------------------- the sample, on Dask

@pytest.fixture(scope="module")
def sample_folder(sample_articles, tmp_path_factory):
    """The sample in ~40 KB partitions: about ten, so every reduction really combines."""
    return partitions.write_parquet(sample_articles, tmp_path_factory.mktemp("scale") / "corpus",
                                    partition_chars=40_000)


@pytest.fixture(scope="module")
def client():
    import distributed  # a dependency of the kit (pyproject.toml): missing, the test fails
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        with distributed.Client(cluster) as connected:
            yield connected


@pytest.fixture(scope="module")
def dask_tokens(client, sample_folder):
    return helpers.tokenize(partitions.read_parquet(sample_folder)).persist()


def test_partitioned_tokenising_equals_tokenising_the_whole_sample(sample_tokens, sample_folder):
    streamed = pd.concat(list(partitioned.tokenize_partitions(sample_folder, tokenizer=tokenize)), ignore_index=True)
    assert partitions.read_parquet(sample_folder).npartitions >= 8
    as_text = {c: str for c in ("doc_id", "token", "term")}
    pd.testing.assert_frame_equal(streamed[sample_tokens.columns].astype(as_text), sample_tokens.astype(as_text))


def test_the_sample_on_dask_gives_the_pandas_tables(dask_tokens, sample_tokens, sample_articles, tmp_path):
    assert dask_tokens.npartitions >= 8
    pd.testing.assert_frame_equal(helpers.frequencies(dask_tokens), helpers.frequencies(sample_tokens))
    for _ in range(2):  # partial counts computed on the workers and stored, then read back
        with reduce.cached_partials(tmp_path):
            pd.testing.assert_frame_equal(helpers.frequencies(dask_tokens), helpers.frequencies(sample_tokens))
    assert len(list((tmp_path / "partials").rglob("*.pkl"))) == dask_tokens.npartitions
    pd.testing.assert_frame_equal(helpers.frequencies(dask_tokens, by="source", articles=sample_articles),
                                  helpers.frequencies(sample_tokens, by="source", articles=sample_articles))
    pd.testing.assert_frame_equal(helpers.tfidf(dask_tokens), helpers.tfidf(sample_tokens))
    table = helpers.keyness(dask_tokens, target={"collection": "articles"}, articles=sample_articles)
    pd.testing.assert_frame_equal(table, helpers.keyness(sample_tokens, target={"collection": "articles"},
                                                         articles=sample_articles))
    assert "libya" in table[table["key_for"] == "target"].head(10)["term"].tolist()
    terms = ["trump", "brexit", "libya"]
    with pytest.warns(UserWarning, match="undated"):
        on_dask = helpers.trends(dask_tokens, sample_articles, terms=terms)
    with pytest.warns(UserWarning, match="undated"):
        pd.testing.assert_frame_equal(on_dask, helpers.trends(sample_tokens, sample_articles, terms=terms))
    assert on_dask.drop_duplicates("period")["n_articles"].sum() == 171  # the seed article is undated
    for options in ({}, {"n": 3}, {"window": 4, "drop_stop": False, "min_freq": 3, "sort_by": "pmi"}):
        pd.testing.assert_frame_equal(helpers.collocations(dask_tokens, **options),
                                      helpers.collocations(sample_tokens, **options), check_exact=True)
    assert helpers.collocations(dask_tokens).head(3)["ngram"].tolist() == ["united states", "hong kong",
                                                                           "nicholas moreau"]


def test_dask_client_connects_to_the_scheduler_named_in_the_environment(client, monkeypatch):
    from helpers.settings import DASK_SCHEDULER_ENV

    monkeypatch.setenv(DASK_SCHEDULER_ENV, client.scheduler.address)
    other = dask_side.dask_client()
    try:
        assert other.scheduler.address == client.scheduler.address
        assert len(other.scheduler_info()["workers"]) == 2
    finally:
        other.close()
    assert np.isclose(client.submit(sum, [1, 2]).result(), 3)


def test_closing_a_local_cluster_leaves_the_process_no_child_so_a_kernel_exits_in_order():
    # the workers make the process start multiprocessing's resource tracker, which ignores SIGTERM: left running,
    # a notebook kernel's shutdown waited for it until its manager terminated the kernel
    import json
    import os
    import subprocess
    import sys

    code = ("import json, psutil; from helpers.scale.client import dask_client, close_client; "
            "c = dask_client(n_workers=1, dashboard_address=None); during = len(psutil.Process().children()); "
            "close_client(c); print(json.dumps([during > 0, [p.cmdline()[-1][:60] for p in "
            "psutil.Process().children(recursive=True)]]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [True, []]


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
