"""Incremental loading: the loader's per-file read cache and the story clustering's cache give exactly what a
load from scratch gives, re-read what changed, and are invalidated by a changed setting."""

import random

import numpy as np
import pandas as pd
import pytest

from helpers.load.articles import load_articles
from helpers.load.dispatch import ReadOptions
from helpers.load.load_cache import InputCache, cached_load_articles
from helpers.load.story_cache import StoryCache
from helpers.load.duplicates import assign_story_ids
from needs import need_resource

WIRE = ("Libya and the United States signed a memorandum of understanding against drug trafficking in Cairo on "
        "Thursday, officials from both countries said after the meeting at the embassy.")
OTHER = ("Heavy rain flooded the lower town overnight and the river rose above the old bridge, "
         "forcing dozens of families to leave their homes before dawn on Sunday.")


def _variants(base: str, n: int, seed: int) -> list[str]:
    """Texts sharing most of ``base``: each drops or adds a few words, so their Jaccard similarities straddle 0.5."""
    rng = random.Random(seed)
    words = base.split()
    texts = []
    for _ in range(n):
        kept = [w for w in words if rng.random() > 0.12]
        extra = rng.sample(["today", "reported", "local", "sources", "again", "quickly", "the", "agency"], k=rng.randint(0, 5))
        at = rng.randint(0, len(kept))
        texts.append(" ".join(kept[:at] + extra + kept[at:]))
    return texts


def _corpus(n_each: int, seed: int) -> pd.DataFrame:
    texts = _variants(WIRE, n_each, seed) + _variants(OTHER, n_each, seed + 1) + ["Too short.", "Another unrelated note entirely about football results and the league table."]
    return pd.DataFrame({"doc_id": [f"d{i:03d}" for i in range(len(texts))], "text": texts})


def test_incremental_clustering_equals_clustering_from_scratch_whatever_the_order(tmp_path):
    corpus = _corpus(40, seed=3)
    scratch = assign_story_ids(corpus)
    assert 2 <= scratch.nunique() < len(corpus) - 2   # several stories, not one, not all singletons
    stories = StoryCache(tmp_path, assign_story_ids)
    old = corpus.sample(frac=0.7, random_state=1)
    assert assign_story_ids(old, cache=stories).equals(assign_story_ids(old))
    grown = pd.concat([corpus.drop(old.index), old]).sample(frac=1, random_state=2)
    incremental = assign_story_ids(grown, cache=stories)
    assert stories.counts["reused_clustering"] == len(old)
    assert incremental.sort_index().equals(scratch.sort_index())


def test_a_new_article_bridging_two_old_stories_merges_them(tmp_path):
    a = " ".join(f"alpha{i}" for i in range(30))
    b = " ".join(f"beta{i}" for i in range(30))
    old = pd.DataFrame({"doc_id": ["x", "y"], "text": [a, b]})
    stories = StoryCache(tmp_path, assign_story_ids)
    assert assign_story_ids(old, threshold=0.4, cache=stories).tolist() == ["x", "y"]
    both = pd.concat([old, pd.DataFrame({"doc_id": ["z"], "text": [a + " " + b]})], ignore_index=True)
    incremental = assign_story_ids(both, threshold=0.4, cache=stories)
    assert stories.counts["reused_clustering"] == 2
    assert incremental.tolist() == assign_story_ids(both, threshold=0.4).tolist() == ["x", "x", "x"]


def test_a_changed_text_is_not_taken_from_the_stored_clustering(tmp_path):
    corpus = _corpus(10, seed=5)
    stories = StoryCache(tmp_path, assign_story_ids)
    assign_story_ids(corpus, cache=stories)
    changed = corpus.copy()
    changed.loc[0, "text"] = OTHER
    assert stories.previous([f"{d}\t" for d in changed["doc_id"]], 0.5) is None
    assert assign_story_ids(changed, cache=stories).equals(assign_story_ids(changed))


def test_stored_signatures_equal_fresh_ones(tmp_path):
    corpus = _corpus(5, seed=7)
    stories = StoryCache(tmp_path, assign_story_ids)
    assign_story_ids(corpus, cache=stories)
    again = StoryCache(tmp_path, assign_story_ids)
    from helpers.load.duplicates import signatures, text_key

    fresh = signatures(corpus["text"].tolist())
    stored = again.signatures([text_key(t) for t in corpus["text"]])
    assert len(stored) == len(corpus)
    for text, sig in zip(corpus["text"], fresh):
        kept = stored[text_key(text)]
        assert (sig is None and kept is None) or np.array_equal(sig, kept)


def _write(folder, name, rows):
    pd.DataFrame(rows).to_csv(folder / name, index=False)


def test_the_read_cache_reads_a_new_or_changed_file_only_and_equals_a_plain_load(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    _write(folder, "a.csv", {"title": ["A"], "text": [WIRE]})
    _write(folder, "b.csv", {"title": ["B"], "text": [OTHER]})
    inputs = InputCache(tmp_path / "inputs", "code")
    first = load_articles(folder, read_cache=inputs)
    assert inputs.counts == {"reused": 0, "read": 2}
    _write(folder, "c.csv", {"title": ["C"], "text": [WIRE + " More to follow."]})
    inputs.counts.update(reused=0, read=0)
    grown = load_articles(folder, read_cache=inputs)
    assert inputs.counts == {"reused": 2, "read": 1}
    assert grown.equals(load_articles(folder)) and len(grown) == len(first) + 1
    _write(folder, "a.csv", {"title": ["A"], "text": ["Changed text about something else entirely, at length."]})
    inputs.counts.update(reused=0, read=0)
    changed = load_articles(folder, read_cache=inputs)
    assert inputs.counts == {"reused": 2, "read": 1}
    assert changed.equals(load_articles(folder)) and changed["title"].tolist()[0] == "A"
    assert "Changed text" in changed.loc[changed["title"] == "A", "text"].iloc[0]


def test_a_changed_read_option_or_loader_code_reads_again(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    _write(folder, "a.csv", {"headline": ["A"], "story": [WIRE]})
    inputs = InputCache(tmp_path / "inputs", "code-1")
    load_articles(folder, read_cache=inputs, options=ReadOptions(columns={"story": "text"}))
    load_articles(folder, read_cache=inputs, options=ReadOptions(columns={"story": "text", "headline": "title"}))
    assert inputs.counts == {"reused": 0, "read": 2}
    other_code = InputCache(tmp_path / "inputs", "code-2")
    load_articles(folder, read_cache=other_code, options=ReadOptions(columns={"story": "text"}))
    assert other_code.counts == {"reused": 0, "read": 1}


def test_cached_load_of_a_grown_folder_equals_a_plain_load(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    corpus = _corpus(12, seed=11)
    _write(folder, "week-1.csv", {"title": corpus["doc_id"], "text": corpus["text"]})
    cached_load_articles(folder, cache=tmp_path / "cache")
    extra = _variants(WIRE, 3, seed=99)
    _write(folder, "week-2.csv", {"title": ["n1", "n2", "n3"], "text": extra})
    grown = cached_load_articles(folder, cache=tmp_path / "cache")
    assert grown.attrs["cache"] == "miss" and grown.attrs["inputs_cache"] == {"reused": 1, "read": 1}
    plain = load_articles(folder)
    assert grown.drop(columns=[]).equals(plain)
    assert grown["story_id"].tolist() == plain["story_id"].tolist()


def test_cached_pos_tags_give_the_same_entities_and_keyphrases_and_only_new_articles_are_tagged(tmp_path, monkeypatch):
    import importlib

    from helpers.stats.phrases import keyphrases
    from helpers.text.tokenizer import tokenize

    need_resource("averaged_perceptron_tagger_eng")  # without it entities use no POS tags: nothing to cache
    articles = pd.DataFrame({"doc_id": ["a", "b"], "text": [
        "Officials said Ambassador Abdel Thabet met the Libyan Embassy staff in Cairo on Thursday.",
        "Prime Minister Fayez al-Sarraj praised the security forces in Tripoli. Talks ended."]})
    entities_module = importlib.import_module("helpers.stats.names")
    tokens = tokenize(articles)
    plain = entities_module.entities(tokens, articles)
    assert entities_module.entities(tokens, articles, cache=tmp_path).equals(plain)
    tagged = []
    from nltk.tag import PerceptronTagger

    class Counting(PerceptronTagger):
        def tag_sents(self, sentences):
            tagged.append(len(sentences))
            return super().tag_sents(sentences)

    monkeypatch.setattr("nltk.tag.PerceptronTagger", Counting)
    assert entities_module.entities(tokens, articles, cache=tmp_path).equals(plain) and tagged == []
    more = pd.concat([articles, pd.DataFrame({"doc_id": ["c"], "text": ["Maj. Gen. Khaled met Mr. Smith in Tripoli."]})],
                     ignore_index=True)
    more_tokens = tokenize(more)
    assert entities_module.entities(more_tokens, more, cache=tmp_path).equals(entities_module.entities(more_tokens, more))
    assert tagged[0] == more_tokens.loc[more_tokens["doc_id"] == "c", "sentence"].nunique()
    assert keyphrases(more_tokens, cache=tmp_path).equals(keyphrases(more_tokens))
    assert keyphrases(more_tokens, by=None, cache=tmp_path).equals(keyphrases(more_tokens, by=None))
    again = keyphrases(more_tokens.iloc[::-1], cache=tmp_path)
    assert again.attrs["cache"]["computed"] == 0 and again.equals(keyphrases(more_tokens))


def test_cached_sentiment_equals_plain_and_scores_only_new_articles(tmp_path, monkeypatch):
    import importlib

    from helpers.text.tokenizer import tokenize

    need_resource("vader_lexicon")  # without it sentiment is skipped: nothing to cache
    module = importlib.import_module("helpers.stats.tone")
    articles = pd.DataFrame({"doc_id": ["a", "b"], "date": pd.to_datetime(["2019-01-01", "2019-02-01"], utc=True),
                             "text": ["A great success. A terrible attack.", "Talks went well. Nobody was hurt."]})
    tokens = tokenize(articles)
    for level in ("sentence", "article"):
        assert module.sentiment(tokens, articles, level=level, cache=tmp_path).equals(
            module.sentiment(tokens, articles, level=level))
    scored = []
    original = module._analyser

    def counting():
        analyser = original()
        real = analyser.polarity_scores
        analyser.polarity_scores = lambda text: scored.append(text) or real(text)
        return analyser

    monkeypatch.setattr(module, "_analyser", counting)
    more = pd.concat([articles, pd.DataFrame({"doc_id": ["c"], "date": [pd.NaT], "text": ["Awful news today."]})],
                     ignore_index=True)
    more_tokens = tokenize(more)
    cached = module.sentiment(more_tokens, more, cache=tmp_path)
    assert scored == ["Awful news today."]
    monkeypatch.setattr(module, "_analyser", original)
    assert cached.equals(module.sentiment(more_tokens, more))


def test_scale_tokenize_with_cache_equals_plain_and_tokenises_only_new_articles(tmp_path, monkeypatch):
    from helpers.text import token_cache
    from helpers.text.partitioned import shared_sentence_model, tokenize_partitions
    from helpers.text.tokenizer import tokenize

    first = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Libya signed. The U.S. agreed.", "Drugs were seized."],
                          "source": ["wire", "paper"]})
    second = pd.DataFrame({"doc_id": ["c"], "text": ["Mr. Smith met Dr. Jones."], "source": ["wire"]})
    model = shared_sentence_model(pd.concat([first, second])["text"].tolist())
    plain = list(tokenize_partitions(tokenizer=tokenize, articles=[first, second], splitter=model, keep=["source"]))
    assert [p["doc_id"].nunique() for p in plain] == [2, 1]
    cached = list(tokenize_partitions(tokenizer=token_cache.cached_tokenize, articles=[first, second], splitter=model, keep=["source"],
                                      cache=tmp_path))
    assert all(c.equals(p) for c, p in zip(cached, plain))
    assert not list((tmp_path / "tokens").rglob("tables/*.arrow"))   # partitions keep no whole-table copies
    tokenised = []
    original = token_cache._tokenize_with
    monkeypatch.setattr(token_cache, "_tokenize_with",
                        lambda articles, m, options: tokenised.append(len(articles)) or original(articles, m, options))
    third = pd.DataFrame({"doc_id": ["d"], "text": ["A new article arrived."], "source": ["web"]})
    again = list(tokenize_partitions(tokenizer=token_cache.cached_tokenize, articles=[first, second, third], splitter=model,
                                     keep=["source"], cache=tmp_path))
    assert tokenised == [1] and all(c.equals(p) for c, p in zip(again, plain))


def test_story_clusters_with_cached_similarities_equal_plain_and_compare_only_new_pairs(tmp_path, monkeypatch):
    from helpers.load import duplicates
    from helpers.load.duplicates import story_clusters

    corpus = _corpus(15, seed=13)
    corpus = corpus.assign(story_id=assign_story_ids(corpus), title="t", source="s", date=pd.NaT,
                           n_chars=corpus["text"].str.len())
    plain = story_clusters(corpus)
    assert len(plain) >= 4 and plain["similarity"].notna().all()
    stories = StoryCache(tmp_path, assign_story_ids)
    assert story_clusters(corpus, cache=stories).equals(plain)
    compared = []
    original = duplicates.jaccard
    monkeypatch.setattr(duplicates, "jaccard", lambda a, b: compared.append(1) or original(a, b))
    assert story_clusters(corpus, cache=StoryCache(tmp_path, assign_story_ids)).equals(plain) and compared == []
