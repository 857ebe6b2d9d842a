"""Caches: exact (cached equals uncached), incremental (only new articles redone), keyed by exactly what a step
depends on, and never corrupt after a write that died half-way."""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest

import helpers
from helpers.load.load_cache import cached_load_articles
from helpers.store import keys
from helpers.store.files import atomic_write
from helpers.store.shards import ArticleStore
from helpers.text import sentence_store, token_cache
from helpers.text.sentence_store import resolve_sentence_model
from helpers.text.token_cache import WHOLE_TABLES, cached_tokenize
from helpers.text.tokenizer import tokenize
from needs import nltk_finds

ARTICLES = pd.DataFrame({
    "doc_id": ["a", "b", "c"],
    "text": ["Maj. Gen. Khaled met Mr. Smith. They talked.", "Libya’s MoU was signed.", ""],
})
NEW = pd.DataFrame({"doc_id": ["d"], "text": ["The U.S. Drug Enforcement Administration agreed."]})


def _tokenize_with(articles, model):
    return token_cache._tokenize_with(articles, model, {})


@pytest.fixture
def pinned(monkeypatch):
    monkeypatch.setenv("NEWSKIT_SENTENCE_POLICY", "pinned")
    monkeypatch.delenv("NEWSKIT_SENTENCE_MODEL", raising=False)


def test_atomic_write_keeps_the_old_file_when_the_writer_dies(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("old")

    def dies(tmp):
        tmp.write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, dies)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_cached_tokenize_equals_tokenize_cold_and_warm(tmp_path):
    cold = cached_tokenize(ARTICLES, cache=tmp_path, progress=False)
    warm = cached_tokenize(ARTICLES, cache=tmp_path, progress=False)
    model, info = resolve_sentence_model(ARTICLES, cache=tmp_path)
    expected = _tokenize_with(ARTICLES, model)
    pd.testing.assert_frame_equal(cold, expected)
    pd.testing.assert_frame_equal(warm, expected)
    assert cold.attrs["cache"]["tokenized"] == 3 and warm.attrs["cache"] == {**warm.attrs["cache"], "tokenized": 0,
                                                                           "reused": 3}
    assert warm.loc[warm["doc_id"] == "b", "token"].tolist() == ["Libya", "’s", "MoU", "was", "signed", "."]
    assert warm.attrs["sentence_model"]["fingerprint"] == info["fingerprint"]


def test_first_cached_run_equals_plain_tokenize(tmp_path, sample_articles):
    if nltk_finds("punkt_tab"):
        pytest.skip("with punkt_tab the model never depends on the corpus")
    pd.testing.assert_frame_equal(cached_tokenize(sample_articles, cache=tmp_path, progress=False),
                                  tokenize(sample_articles))


def test_adding_articles_tokenises_only_the_new_ones_and_equals_from_scratch(tmp_path, pinned):
    cached_tokenize(ARTICLES, cache=tmp_path, progress=False)
    more = pd.concat([NEW, ARTICLES], ignore_index=True)
    rerun = cached_tokenize(more, cache=tmp_path, progress=False)
    assert (rerun.attrs["cache"]["tokenized"], rerun.attrs["cache"]["reused"]) == (1, 3)
    model, _ = resolve_sentence_model(more, cache=tmp_path)
    from_scratch = cached_tokenize(more, cache=tmp_path / "empty", sentence_model=model, progress=False)
    pd.testing.assert_frame_equal(rerun, from_scratch)
    pd.testing.assert_frame_equal(rerun, _tokenize_with(more, model))
    assert rerun["doc_id"].drop_duplicates().tolist() == ["d", "a", "b"]


def test_the_pinned_model_is_kept_within_half_to_twice_the_text_and_retrained_outside(tmp_path, monkeypatch, pinned):
    monkeypatch.setattr(sentence_store, "_punkt_tab_present", lambda: False)
    base = pd.DataFrame({"doc_id": ["a"], "text": ["Mr. Smith met Dr. Jones. " * 20]})
    _, first = resolve_sentence_model(base, cache=tmp_path)
    _, same = resolve_sentence_model(pd.concat([base, base.assign(doc_id="b")]), cache=tmp_path)
    _, grown = resolve_sentence_model(pd.concat([base] * 3), cache=tmp_path)
    assert first["kind"] == "trained on this corpus"
    assert same["kind"].startswith("pinned") and same["fingerprint"] == first["fingerprint"]
    assert grown["kind"] == "trained on this corpus" and grown["n_chars"] == 3 * first["n_chars"]
    assert json.loads((tmp_path / "sentence-models" / "pinned.json").read_text())["n_chars"] == grown["n_chars"]
    _, subset = resolve_sentence_model(base, cache=tmp_path)
    assert subset["kind"] == "trained on this corpus"
    assert json.loads((tmp_path / "sentence-models" / "pinned.json").read_text())["n_chars"] == grown["n_chars"]


def test_with_the_corpus_policy_a_cached_tokenisation_always_equals_plain_tokenize(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSKIT_SENTENCE_POLICY", "corpus")
    cached_tokenize(ARTICLES, cache=tmp_path, progress=False)
    more = pd.concat([ARTICLES, NEW], ignore_index=True)
    rerun = cached_tokenize(more, cache=tmp_path, progress=False)
    pd.testing.assert_frame_equal(rerun, tokenize(more))


def test_without_punkt_tab_the_sentence_model_is_trained_on_the_corpus(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSKIT_SENTENCE_POLICY", "corpus")
    monkeypatch.delenv("NEWSKIT_SENTENCE_MODEL", raising=False)
    monkeypatch.setattr(sentence_store, "_punkt_tab_present", lambda: False)
    tokens = cached_tokenize(ARTICLES, cache=tmp_path, progress=False)
    info = tokens.attrs["sentence_model"]
    assert info["kind"] == "trained on this corpus" and info["n_articles"] == len(ARTICLES)
    assert info["n_chars"] == sum(len(text) for text in ARTICLES["text"])


def test_with_punkt_tab_the_pretrained_model_is_used(tmp_path, monkeypatch):
    if not nltk_finds("punkt_tab"):
        pytest.skip("punkt_tab is absent (not in the offline mirror either): the pretrained model cannot be used")
    monkeypatch.delenv("NEWSKIT_SENTENCE_MODEL", raising=False)
    info = cached_tokenize(ARTICLES, cache=tmp_path, progress=False).attrs["sentence_model"]
    assert info["kind"] == "pretrained punkt_tab" and "punkt_tab" in info["path"]


def test_with_the_corpus_policy_the_model_of_the_same_training_text_is_read_back_not_retrained(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSKIT_SENTENCE_POLICY", "corpus")
    monkeypatch.delenv("NEWSKIT_SENTENCE_MODEL", raising=False)
    monkeypatch.setattr(sentence_store, "_punkt_tab_present", lambda: False)
    first, info = resolve_sentence_model(ARTICLES, cache=tmp_path)
    trained = []
    real = helpers.text.sentences.train_parameters
    monkeypatch.setattr(helpers.text.sentences, "train_parameters", lambda text: trained.append(1) or real(text))
    again, again_info = resolve_sentence_model(ARTICLES.copy(), cache=tmp_path)
    assert trained == [] and again_info["fingerprint"] == info["fingerprint"]
    assert again.split(ARTICLES["text"][0]) == first.split(ARTICLES["text"][0])
    changed = ARTICLES.assign(text=ARTICLES["text"].str.replace("Smith", "Jones"))
    resolve_sentence_model(changed, cache=tmp_path)
    assert trained == [1]  # other training text: trained again


def test_a_changed_setting_invalidates_the_token_cache_but_not_the_load_cache(tmp_path, seed_articles):
    from helpers.settings import ARTICLES_DIR
    from helpers.text.tokenizer import sentence_splitter

    cached_load_articles(ARTICLES_DIR, cache=tmp_path)
    cached_tokenize(seed_articles, cache=tmp_path, progress=False)
    other_model = sentence_splitter(["Another corpus entirely. It trains another model, e.g. this one."])
    other = cached_tokenize(seed_articles, cache=tmp_path, sentence_model=other_model, progress=False)
    assert other.attrs["cache"]["tokenized"] == 1
    assert len(list((tmp_path / "tokens").iterdir())) == 2
    assert cached_load_articles(ARTICLES_DIR, cache=tmp_path).attrs["cache"] == "hit"


def test_code_fingerprint_follows_exactly_the_modules_a_step_uses():
    from helpers.load.articles import load_articles

    token_modules = {m.__name__ for m in keys._helpers_modules(tokenize)}
    load_modules = {m.__name__ for m in keys._helpers_modules(load_articles)}
    assert {"helpers.text.tokenizer", "helpers.resources"} <= token_modules
    assert "helpers.load.articles" not in token_modules and not any(m.startswith("helpers.charts") for m in token_modules)
    assert "helpers.load.articles" in load_modules and "helpers.text.tokenizer" not in load_modules
    # the store keeps results and decides no step's output: editing it invalidates nothing
    assert not [name for name in token_modules | load_modules if name.startswith("helpers.store")]
    assert "helpers.load.story_cache" in load_modules  # how story clusterings are kept is part of loading


def test_code_fingerprint_changes_when_a_module_the_step_uses_changes(tmp_path, monkeypatch):
    import importlib.util
    import sys

    def module(name, source):
        path = tmp_path / f"{name.rsplit('.', 1)[-1]}.py"
        path.write_text(source)
        spec = importlib.util.spec_from_file_location(name, path)
        loaded = importlib.util.module_from_spec(spec)
        monkeypatch.setitem(sys.modules, name, loaded)
        spec.loader.exec_module(loaded)
        return loaded, path

    _, used = module("helpers.probe_used", "def double(x):\n    return 2 * x\n")
    step, _ = module("helpers.probe_step", "from helpers.probe_used import double\n"
                                           "from helpers.store.files import atomic_write\n\n"
                                           "def step(x):\n    return double(x)\n")
    assert [m.__name__ for m in keys._helpers_modules(step.step)] == ["helpers.probe_step", "helpers.probe_used"]
    before = keys.code_fingerprint(step.step)
    assert keys.code_fingerprint(step.step) == before
    used.write_text("def double(x):\n    return x + x\n")
    assert keys.code_fingerprint(step.step) != before


def test_the_store_imports_nothing_above_it():
    import ast
    from pathlib import Path

    allowed = ("helpers.store", "helpers.settings", "helpers.resources", "helpers.frames")
    for path in sorted(Path(keys.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                if name.startswith("helpers.") or name == "helpers":
                    assert name.startswith(allowed) or (name == "helpers" and path.name == "keys.py"), (path.name, name)


def test_load_cache_equals_load_articles_and_follows_the_files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text("---\ntitle: One\n---\nLibya signed a memorandum.\n")
    first = cached_load_articles(folder, cache=tmp_path / "cache")
    expected = helpers.load_articles(folder)
    pd.testing.assert_frame_equal(first, expected)
    pd.testing.assert_frame_equal(first.attrs["load_report"], expected.attrs["load_report"])
    assert cached_load_articles(folder, cache=tmp_path / "cache").attrs["cache"] == "hit"
    (folder / "two.txt").write_text("A second article.")
    again = cached_load_articles(folder, cache=tmp_path / "cache")
    assert again.attrs["inputs_cache"] == {"reused": 1, "read": 1}
    pd.testing.assert_frame_equal(again, helpers.load_articles(folder))
    pd.testing.assert_frame_equal(again.attrs["load_report"], helpers.load_articles(folder).attrs["load_report"])
    assert again.attrs["cache"] == "miss" and again["text"].tolist() == ["Libya signed a memorandum.",
                                                                         "A second article."]
    assert cached_load_articles(folder, cache=tmp_path / "cache", drop_duplicates=False).attrs["cache"] == "miss"
    assert cached_load_articles(folder, cache=tmp_path / "cache", drop_duplicates=True).attrs["cache"] == "hit"


def test_equal_read_options_share_a_load_cache_entry_and_default_options_share_the_no_options_one(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.csv").write_text("Story,Head\nLibya signed a memorandum against drug trafficking.,One\n")
    cache = tmp_path / "cache"
    ReadOptions = helpers.ReadOptions
    plain = cached_load_articles(folder, cache=cache)
    assert plain.attrs["cache"] == "miss"
    assert cached_load_articles(folder, cache=cache, options=ReadOptions()).attrs["cache"] == "hit"
    mapped = cached_load_articles(folder, cache=cache, options=ReadOptions(columns={"Story": "text", "Head": "title"}))
    assert mapped.attrs["cache"] == "miss" and mapped["title"].tolist() == ["One"]
    # equal options, their columns written in another order: the same entry
    again = cached_load_articles(folder, cache=cache, options=ReadOptions(columns={"Head": "title", "Story": "text"}))
    assert again.attrs["cache"] == "hit"
    pd.testing.assert_frame_equal(again, mapped)
    quiet = cached_load_articles(folder, cache=cache, options=ReadOptions(columns={"Story": "text", "Head": "title"},
                                                                          detect_language=False))
    assert quiet.attrs["cache"] == "miss" and quiet["language"].isna().all() and mapped["language"].tolist() == ["en"]
    assert len(list((cache / "load").glob("*.pkl"))) == 3


def test_cached_load_articles_takes_load_articles_options_by_name_with_its_defaults(tmp_path):
    """The same keyword-only options as load_articles (less the caches it supplies itself), plus cache: a
    misspelt option is refused by Python before any input is hashed or read."""
    import inspect

    cached = inspect.signature(cached_load_articles).parameters
    plain = inspect.signature(helpers.load_articles).parameters
    assert len(cached) <= 8
    assert not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in cached.values())
    assert [n for n in cached if n != "cache"] == [n for n in plain if n not in ("read_cache", "story_cache")]
    assert all(cached[n].default == plain[n].default and cached[n].kind is plain[n].kind for n in cached if n != "cache")
    with pytest.raises(TypeError, match="drop_duplicate"):
        cached_load_articles(tmp_path / "absent", cache=tmp_path / "cache", drop_duplicate=False)
    assert not (tmp_path / "cache").exists()


def test_an_unreadable_load_cache_is_reloaded_with_a_message(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text("Text.")
    cached_load_articles(folder, cache=tmp_path / "cache")
    for pickle in (tmp_path / "cache" / "load").glob("*.pkl"):
        pickle.write_bytes(b"truncated")
    again = cached_load_articles(folder, cache=tmp_path / "cache")
    assert again.attrs["cache"] == "miss" and again["text"].tolist() == ["Text."]
    assert "unreadable" in capsys.readouterr().err


def test_a_shard_without_its_index_does_not_count_as_cached(tmp_path):
    cached_tokenize(ARTICLES, cache=tmp_path, progress=False)
    for index in (tmp_path / "tokens").rglob("shard-*.index.json"):
        index.unlink()
    for whole in (tmp_path / "tokens").rglob("tables/*.arrow"):
        whole.unlink()
    again = cached_tokenize(ARTICLES, cache=tmp_path, progress=False)
    assert again.attrs["cache"]["tokenized"] == 3


def test_the_whole_table_of_the_same_articles_is_read_in_one_piece_and_equals_the_assembled_one(tmp_path):
    first = cached_tokenize(ARTICLES, cache=tmp_path, progress=False)
    whole = cached_tokenize(ARTICLES, cache=tmp_path, progress=False)
    assert whole.attrs["cache"].get("whole_table") and whole.equals(first)
    assert whole.dtypes.astype(str).tolist() == first.dtypes.astype(str).tolist()
    assert {k: v for k, v in whole.attrs.items() if k != "cache"} == {k: v for k, v in first.attrs.items() if k != "cache"}
    without_cache = [json.dumps({k: v for k, v in t.attrs.items() if k != "cache"}) for t in (whole, first)]
    assert without_cache[0] == without_cache[1]   # key order too: tokenizer_resources lists the attrs in order
    for table in (tmp_path / "tokens").rglob("tables/*.arrow"):
        table.unlink()
    from_shards = cached_tokenize(ARTICLES, cache=tmp_path, progress=False)
    assert json.dumps({k: v for k, v in from_shards.attrs.items() if k != "cache"}) == without_cache[1]
    for attrs_file in (tmp_path / "tokens").rglob("tables/*.attrs.json"):
        attrs_file.unlink()  # a table whose attrs were never written (killed in between) is not a hit
    assert not cached_tokenize(ARTICLES, cache=tmp_path, progress=False).attrs["cache"].get("whole_table")
    fewer = cached_tokenize(ARTICLES.iloc[:2], cache=tmp_path, progress=False)
    assert not fewer.attrs["cache"].get("whole_table") and fewer["doc_id"].nunique() == 2


def test_a_corpus_sharing_most_articles_with_the_last_table_takes_them_from_it(tmp_path, pinned, monkeypatch):
    model, _ = resolve_sentence_model(ARTICLES, cache=tmp_path)
    cached_tokenize(ARTICLES, cache=tmp_path, sentence_model=model, progress=False)
    read = []
    real = ArticleStore.read
    monkeypatch.setattr(ArticleStore, "read", lambda self, shard: read.append(shard) or real(self, shard))
    changed = pd.concat([ARTICLES.iloc[[2, 0]], NEW], ignore_index=True)  # b dropped, c moved first, d added
    tokens = cached_tokenize(changed, cache=tmp_path, sentence_model=model, progress=False)
    assert read == [] and (tokens.attrs["cache"]["tokenized"], tokens.attrs["cache"]["reused"]) == (1, 2)
    expected = _tokenize_with(changed, model)
    pd.testing.assert_frame_equal(tokens, expected)
    for column in expected.select_dtypes("category"):  # dtype equality ignores the categories' order
        assert list(tokens[column].cat.categories) == list(expected[column].cat.categories), column
    assert json.dumps({k: v for k, v in tokens.attrs.items() if k not in ("cache", "sentence_model")}) == \
        json.dumps({k: v for k, v in expected.attrs.items() if k not in ("cache", "sentence_model")})
    # a corpus that shares less than half of its articles with the kept tables reads the shards
    few = pd.concat([ARTICLES.iloc[[1]], NEW, NEW.assign(doc_id="e", text="Another text.")], ignore_index=True)
    pd.testing.assert_frame_equal(cached_tokenize(few, cache=tmp_path, sentence_model=model, progress=False),
                                  _tokenize_with(few, model))
    assert read


def test_partition_tables_are_kept_apart_and_do_not_push_out_the_corpus_table(tmp_path):
    corpus = cached_tokenize(ARTICLES, cache=tmp_path, progress=False)
    parts = [cached_tokenize(ARTICLES.iloc[[i]], cache=tmp_path, progress=False, whole_table="partition")
             for i in range(len(ARTICLES))]
    assert len(parts) > WHOLE_TABLES["corpus"][1]  # as many corpus tables would have pushed the first one out
    again = cached_tokenize(ARTICLES.iloc[[0]], cache=tmp_path, progress=False, whole_table="partition")
    assert again.attrs["cache"].get("whole_table") and again.equals(parts[0])
    assert again.equals(cached_tokenize(ARTICLES.iloc[[0]], cache=tmp_path, progress=False, whole_table=False))
    whole = cached_tokenize(ARTICLES, cache=tmp_path, progress=False)
    assert whole.attrs["cache"].get("whole_table") and whole.equals(corpus)
    assert len(list(tmp_path.rglob("partition-tables/*.arrow"))) == len(ARTICLES)


def test_an_index_whose_shard_is_gone_does_not_count_as_cached(tmp_path):
    store = ArticleStore(tmp_path)
    store.write(pd.DataFrame({"doc_id": ["a"], "x": [1]}), {"e1": (0, 1)}, {})
    assert store.index() == {"e1": (next(tmp_path.glob("*.parquet")).name, 0, 1)}
    for shard in tmp_path.glob("*.parquet"):
        shard.unlink()
    assert store.index() == {}


def test_without_nltk_data_the_cache_keys_differ_and_stay_exact(tmp_path, no_nltk_data, seed_articles):
    tokens = cached_tokenize(seed_articles, cache=tmp_path, progress=False)
    pd.testing.assert_frame_equal(tokens, tokenize(seed_articles))
    assert "stopwords" not in json.loads(next((tmp_path / "tokens").rglob("settings.json")).read_text())[
        "resources_found"]


def test_two_texts_under_one_doc_id_are_refused(tmp_path):
    clash = pd.DataFrame({"doc_id": ["a", "a"], "text": ["One.", "Two."]})
    with pytest.raises(ValueError, match="doc_id names two different texts"):
        cached_tokenize(clash, cache=tmp_path, progress=False)


def test_cache_folder_comes_from_the_environment_at_call_time(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSKIT_CACHE", str(tmp_path))
    cached_tokenize(ARTICLES, progress=False)
    assert any((tmp_path / "tokens").iterdir())
    assert os.environ["NEWSKIT_CACHE"] == str(tmp_path)


def _lengths(tokens):
    """A per-article statistic with a categorical column, as the kit's tables have."""
    table = tokens.assign(doc_id=tokens["doc_id"].astype(str)).groupby("doc_id", sort=False)
    table = table.agg(n_tokens=("token", "size")).reset_index()
    return table.assign(doc_id=table["doc_id"].astype("category"))


def test_cached_per_article_equals_the_function_cold_and_warm_and_computes_only_new_articles(tmp_path):
    from helpers.store.per_article import cached_per_article

    tokens = tokenize(ARTICLES)
    cold = cached_per_article(_lengths, tokens, cache=tmp_path, progress=False)
    warm = cached_per_article(_lengths, tokens, cache=tmp_path, progress=False)
    pd.testing.assert_frame_equal(cold, _lengths(tokens))
    pd.testing.assert_frame_equal(warm, _lengths(tokens))
    assert warm["n_tokens"].tolist() == [10, 6]  # "Libya’s" is two tokens, Libya and ’s
    more = tokenize(pd.concat([ARTICLES, NEW], ignore_index=True))
    grown = cached_per_article(_lengths, more, cache=tmp_path, progress=False)
    assert grown.attrs["cache"] == {**grown.attrs["cache"], "computed": 1, "reused": 2}
    pd.testing.assert_frame_equal(grown, _lengths(more))


def test_the_same_articles_asked_twice_are_read_once_and_a_change_to_one_answer_stays_there(tmp_path,
                                                                                          monkeypatch):
    from helpers.store import per_article
    from helpers.store.shards import ArticleStore

    tokens = tokenize(ARTICLES)
    first = per_article.cached_per_article(_lengths, tokens, cache=tmp_path / "a", progress=False)
    reads = []
    real_read = ArticleStore.read
    monkeypatch.setattr(ArticleStore, "read", lambda self, shard: reads.append(shard) or real_read(self, shard))
    second = per_article.cached_per_article(_lengths, tokens, cache=tmp_path / "a", progress=False)
    assert reads == [] and second.attrs["cache"]["computed"] == 0
    second.loc[0, "n_tokens"] = -1  # a caller changing its answer changes no other caller's
    third = per_article.cached_per_article(_lengths, tokens, cache=tmp_path / "a", progress=False)
    pd.testing.assert_frame_equal(first, _lengths(tokens))
    pd.testing.assert_frame_equal(third, _lengths(tokens))
    per_article.cached_per_article(_lengths, tokens, cache=tmp_path / "b", progress=False)  # another cache folder
    per_article.cached_per_article(_lengths, tokens, cache=tmp_path / "a", progress=False)
    assert reads  # only the last table is held: going back reads the shards again


def test_cached_per_article_refuses_interleaved_articles(tmp_path):
    from helpers.store.per_article import cached_per_article

    mixed = pd.DataFrame({"doc_id": ["a", "b", "a"], "token": ["x", "y", "z"]})
    with pytest.raises(ValueError, match="contiguous"):
        cached_per_article(_lengths, mixed, cache=tmp_path, progress=False)


def test_an_empty_articles_frame_gives_an_empty_token_table(tmp_path):
    empty = cached_tokenize(ARTICLES.iloc[:0], cache=tmp_path, progress=False)
    assert len(empty) == 0 and list(empty.columns) == list(tokenize(ARTICLES.iloc[:0]).columns)


def _scaled_lengths(tokens, *, scale=1):
    return _lengths(tokens).assign(n_tokens=lambda t: t["n_tokens"] * scale)


def test_cache_functions_take_named_options_only(tmp_path):
    """No **options pass-through: a misspelt option is refused by the cache function itself, and the options
    of cached_per_article's function go in one dict, part of the key (equal dicts share it)."""
    import inspect

    from helpers.scale.client import dask_client
    from helpers.store.per_article import cached_per_article
    from helpers.text.partitioned import tokenize_partition, tokenize_partitions

    for function in (cached_tokenize, cached_per_article, tokenize_partition, tokenize_partitions, dask_client):
        kinds = [p.kind for p in inspect.signature(function).parameters.values()]
        assert inspect.Parameter.VAR_KEYWORD not in kinds, function.__name__
    with pytest.raises(TypeError):
        cached_tokenize(ARTICLES, cache=tmp_path, progress=False, stem="porter")
    tokens = tokenize(ARTICLES)
    doubled = cached_per_article(_scaled_lengths, tokens, options={"scale": 2}, cache=tmp_path, progress=False)
    assert doubled["n_tokens"].tolist() == [20, 12]
    again = cached_per_article(_scaled_lengths, tokens, options={"scale": 2}, cache=tmp_path, progress=False)
    assert again.attrs["cache"]["computed"] == 0
    plain = cached_per_article(_scaled_lengths, tokens, cache=tmp_path, progress=False)
    assert plain["n_tokens"].tolist() == [10, 6] and plain.attrs["cache"]["computed"] == 2


def _lengths_and_labels(tokens, *, articles, labels):
    """Per article: its tokens, its text's length and its labels, from three per-article inputs."""
    table = _lengths(tokens).assign(doc_id=lambda t: t["doc_id"].astype(str))
    chars = dict(zip(articles["doc_id"].astype(str), articles["text"].str.len()))
    tags = labels.groupby("doc_id")["label"].agg("+".join)
    return table.assign(n_chars=table["doc_id"].map(chars), labels=table["doc_id"].map(tags).fillna(""))


def test_cached_per_article_keys_on_each_articles_rows_of_the_extra_frames(tmp_path):
    from helpers.store.per_article import cached_per_article

    articles = pd.concat([ARTICLES, NEW], ignore_index=True)
    tokens = tokenize(articles)
    doc_ids = articles["doc_id"].astype(str).tolist()
    labels = pd.DataFrame({"doc_id": [doc_ids[0], doc_ids[3], doc_ids[0]], "label": ["PLACE", "PERSON", "ORG"]})

    def cached(arts, labs):
        return cached_per_article(_lengths_and_labels, tokens, article_frames={"articles": arts, "labels": labs},
                                  cache=tmp_path, progress=False)

    first = cached(articles, labels)
    pd.testing.assert_frame_equal(first, _lengths_and_labels(tokens, articles=articles, labels=labels))
    assert first["labels"].tolist() == ["PLACE+ORG", "", "PERSON"]
    assert cached(articles, labels).attrs["cache"]["computed"] == 0
    relabelled = labels.assign(label=["PLACE", "PERSON", "PLACE"])  # article a's rows change, article d's do not
    again = cached(articles, relabelled)
    assert again.attrs["cache"]["computed"] == 1 and again["labels"].tolist() == ["PLACE+PLACE", "", "PERSON"]
    retitled = articles.assign(text=articles["text"].where(articles.index != 1, articles["text"] + " "))
    changed = cached(retitled, relabelled)
    assert changed.attrs["cache"]["computed"] == 1
    pd.testing.assert_frame_equal(changed, _lengths_and_labels(tokens, articles=retitled, labels=relabelled))
    with pytest.raises(ValueError, match="no doc_id"):
        cached_per_article(_lengths_and_labels, tokens, article_frames={"articles": articles, "labels": labels[["label"]]},
                           cache=tmp_path, progress=False)


def test_a_stored_model_is_keyed_by_its_note_and_a_note_without_its_hash_gets_it_once_read(tmp_path):
    from pathlib import Path

    from helpers.store.files import file_sha256
    from helpers.text.sentence_store import StoredModel, model_fingerprint, noted_fingerprint

    model, info = resolve_sentence_model(ARTICLES, cache=tmp_path)
    if info["kind"] != "trained on this corpus":
        pytest.skip(f"the sentence model here is {info['kind']}")
    path = Path(info["path"])
    note = json.loads(path.with_suffix(".json").read_text())
    assert note["sha256"] == file_sha256(path)
    path.with_suffix(".json").write_text(json.dumps({k: v for k, v in note.items() if k != "sha256"}))
    read, _ = resolve_sentence_model(ARTICLES, cache=tmp_path, lazy=True)
    assert not isinstance(read, StoredModel)  # the note held no hash: read and checked
    again, again_info = resolve_sentence_model(ARTICLES, cache=tmp_path, lazy=True)
    assert isinstance(again, StoredModel) and again_info["fingerprint"] == model_fingerprint(model)
    assert model_fingerprint(again.load()) == model_fingerprint(model)
    path.write_bytes(path.read_bytes() + b"\0")  # another file under the noted name is not trusted
    assert noted_fingerprint(path) is None


def test_doc_blocks_from_codes_equal_those_from_the_text():
    from helpers.store.per_article import doc_blocks

    # unused categories and categories out of row order: the blocks follow the rows
    coded = pd.DataFrame({"doc_id": pd.Categorical(["b", "b", "a", "c"], categories=["z", "c", "b", "a"])})
    assert doc_blocks(coded) == doc_blocks(coded.astype({"doc_id": "str"})) == [("b", 0, 2), ("a", 2, 3), ("c", 3, 4)]
    with pytest.raises(ValueError, match="contiguous"):
        doc_blocks(pd.DataFrame({"doc_id": pd.Categorical(["a", "b", "a"])}))
    # missing doc_ids are compared as text, as before (each missing value unequal to the next: refused)
    with pytest.raises(ValueError, match="contiguous"):
        doc_blocks(pd.DataFrame({"doc_id": pd.Categorical(["a", None, None])}))
