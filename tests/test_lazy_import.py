"""helpers/__init__.py loads submodules on first use: every public name is still there, nothing heavy at import."""

import importlib
import pickle
import pkgutil
import json
import os
import subprocess
import sys

import pandas as pd
import pytest

import helpers

HEAVY = ["sklearn", "nltk", "datasketch", "trafilatura", "feedparser", "networkx", "dask", "matplotlib", "scipy"]


def test_import_helpers_loads_no_heavy_library():
    code = f"import sys, json, helpers; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert json.loads(done.stdout) == []


def test_every_public_name_is_the_object_its_module_defines():
    for name in helpers.__all__:
        module = importlib.import_module(f"helpers.{helpers._WHERE[name]}")
        assert getattr(helpers, name) is getattr(module, name), name
    assert set(helpers.__all__) <= set(dir(helpers))
    assert {"load_articles", "keyness", "plot_keyness", "__version__"} <= set(dir(helpers))


def test_no_public_function_shares_its_name_with_a_module_of_the_package():
    modules = {info.name.rpartition(".")[2] for info in pkgutil.walk_packages(helpers.__path__, "helpers.")}
    assert not modules & set(helpers.__all__)


def test_a_function_that_uses_helpers_pickles_by_value_with_cloudpickle():
    cloudpickle = pytest.importorskip("cloudpickle")
    for name in ["keyness", "sentiment", "topics", "trends", "tokenize"]:
        getattr(helpers, name)
    restored = pickle.loads(cloudpickle.dumps(lambda frame: helpers.frequencies(helpers.tokenize(frame))))
    frame = pd.DataFrame({"doc_id": ["a"], "text": ["Libya and the United States signed it."]})
    assert "libya" in restored(frame)["term"].tolist()


def test_unknown_name_is_an_attribute_error():
    try:
        helpers.no_such_name
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:
        raise AssertionError("helpers.no_such_name did not raise")


def test_articles_read_back_from_the_load_cache_import_no_minhash_library(tmp_path):
    # every notebook of a run reads its articles from the cache; only a load that clusters texts needs datasketch
    folder = tmp_path / "news"
    folder.mkdir()
    pd.DataFrame({"title": ["a", "b"], "text": ["One two three four five six seven eight nine ten eleven.",
                                                 "Another text of more than five words, about something else."]}
                 ).to_csv(folder / "week.csv", index=False)
    code = ("import sys, json, helpers; a = helpers.cached_load_articles(sys.argv[1], cache=sys.argv[2]); "
            "print(json.dumps([a.attrs['cache'], 'datasketch' in sys.modules]))")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    runs = [json.loads(subprocess.run([sys.executable, "-c", code, str(folder), str(tmp_path / "cache")],
                                      capture_output=True, text=True, check=True, env=env).stdout)
            for _ in range(2)]
    assert runs == [["miss", True], ["hit", False]]


CACHE_HIT = """
import json, os, sys
import helpers
articles = helpers.cached_load_articles(sys.argv[1], cache=sys.argv[2])
tokens = helpers.cached_tokenize(articles, cache=sys.argv[2], progress=False)
mentions = helpers.entities(tokens, articles, cache=sys.argv[2])  # notebook 11, after 06 found them
quotes = helpers.quotes(tokens, articles, mentions=mentions)
speakers = helpers.sources_quoted(quotes, articles, what="speakers")  # with Wilson intervals
lines = helpers.kwic(tokens, articles, "the budget")
imported = {m: m in sys.modules for m in ("nltk", "scipy.stats")}
print(json.dumps({"cache": tokens.attrs["cache"]["tokenized"], "imported": imported, "speakers": len(speakers),
                  "model": tokens.attrs["sentence_model"].get("path"),
                  "equal": tokens.equals(helpers.tokenize(articles))}))
"""


def test_a_token_cache_hit_in_a_fresh_process_imports_neither_nltk_nor_scipy_stats(tmp_path):
    # every notebook of a rerun reads its tokens from the cache; importing NLTK (and scipy.stats with it) costs ~1 s.
    # Also entities found before on the same tokens, notebook 11's quotations and their shares with Wilson
    # intervals, and a phrase's concordance (its words split without NLTK).
    if not os.path.isfile(os.path.join(os.environ.get("NLTK_DATA", ""), "corpora", "stopwords.zip")):
        pytest.skip("needs NLTK's stopwords in NLTK_DATA (without them scikit-learn's list brings scipy.stats)")
    folder = tmp_path / "news"
    folder.mkdir()
    pd.DataFrame({"title": ["a", "b", "c"],
                  "text": ["Mr. Smith met Dr. Jones in the U.S. capital. They talked about the budget for an hour.",
                           "The talks ended on Friday. \"A deal is close,\" said John Smith, the minister.",
                           "Drug seizures rose in March. The D.E.A. said so on Monday; prices fell."]}
                 ).to_csv(folder / "week.csv", index=False)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("NEWSKIT_SENTENCE_MODEL", None)

    def call(**extra):
        done = subprocess.run([sys.executable, "-c", CACHE_HIT, str(folder), str(tmp_path / "cache")],
                              capture_output=True, text=True, env={**env, **extra}, timeout=300)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    first = call()
    assert first["cache"] == 3 and first["imported"]["nltk"] and first["equal"]
    for hit in (call(), call(NEWSKIT_SENTENCE_MODEL=first["model"])):  # as a notebook, as a run's kernel
        assert hit["cache"] == 0 and hit["equal"] and hit["speakers"] == 1
        assert hit["imported"] == {"nltk": False, "scipy.stats": False}


STREAMED = """
import json, sys
import pandas as pd
import helpers
from helpers.text.partitioned import tokenize_partitions
articles = helpers.cached_load_articles(sys.argv[1], cache=sys.argv[2])
parts = list(tokenize_partitions([articles.iloc[:2], articles.iloc[2:]], tokenizer=helpers.cached_tokenize,
                                 cache=sys.argv[2]))
imported = "nltk" in sys.modules
whole = pd.concat(parts, ignore_index=True)
equal = whole["term"].tolist() == helpers.tokenize(articles)["term"].tolist()
print(json.dumps({"imported": imported, "equal": equal}))
"""


def test_partitions_read_back_through_the_token_cache_import_no_nltk_with_a_run_model(tmp_path):
    # notebook 09's Dask and streamed passes in a rerun: the run's sentence model is needed only to tokenise
    # an article the cache does not hold, and unpickling it imports NLTK (~1 s in the kernel and in each worker)
    if not os.path.isfile(os.path.join(os.environ.get("NLTK_DATA", ""), "corpora", "stopwords.zip")):
        pytest.skip("needs NLTK's stopwords in NLTK_DATA (without them scikit-learn's list brings scipy.stats)")
    from helpers.text.sentence_store import save_sentence_model
    from helpers.text.sentences import sentence_splitter

    folder = tmp_path / "news"
    folder.mkdir()
    texts = ["Mr. Smith met Dr. Jones. They talked.", "The talks ended. A deal.", "Drug seizures rose. Prices fell."]
    pd.DataFrame({"title": list("abc"), "text": texts}).to_csv(folder / "w.csv", index=False)
    model = save_sentence_model(sentence_splitter(["Mr. Smith met Dr. Jones. They talked."]), tmp_path / "m.pkl")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "NEWSKIT_SENTENCE_MODEL": str(model)}
    runs = []
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", STREAMED, str(folder), str(tmp_path / "cache")],
                              capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stderr
        runs.append(json.loads(done.stdout))
    assert runs == [{"imported": True, "equal": True}, {"imported": False, "equal": True}]


def test_a_stored_model_sent_to_another_process_carries_its_file(tmp_path):
    # a Dask worker on another machine has no such file: the model's bytes travel, unpickled only when needed
    import pickle

    from helpers.text.sentence_store import StoredModel, model_fingerprint, noted_fingerprint, save_sentence_model
    from helpers.text.sentences import sentence_splitter

    path = save_sentence_model(sentence_splitter(["Mr. Smith met Dr. Jones. They talked."]), tmp_path / "m.pkl")
    sent = pickle.dumps(StoredModel(path, noted_fingerprint(path)))
    path.unlink()
    received = pickle.loads(sent)
    assert received._model is None
    assert model_fingerprint(received.load()) == received.fingerprint
    assert received.load().tokenize("Mr. Smith met Dr. Jones. They talked.") == ["Mr. Smith met Dr. Jones.",
                                                                                  "They talked."]
