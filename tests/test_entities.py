"""Entity mentions: exact mentions on inline sentences where capitalisation misleads, the no-NLTK-data fallback,
counts, and F1 against hand-marked newswire (tests/data/entity_gold.yml)."""

from __future__ import annotations

import importlib
import pickle
import shutil
from pathlib import Path

import pandas as pd
import pytest

import helpers
from needs import benchmark_module

entities_module = importlib.import_module("helpers.stats.names")

MISLEADING = {
    "a": "TRIPOLI, Libya (Reuters) - Officials at the Interior Ministry said smugglers moved through Misrata. "
         "Security forces arrested four men on Monday. Prime Minister Fayez al-Sarraj praised the security forces.",
    "b": "Libya And US Sign Pact To Fight Drug Smuggling\nThe pact was signed in Cairo by the ministry. "
         "Drug smuggling across the Sahara has grown, officials said. Security is a concern for Libya and Egypt.",
    "c": "UN WARNS OF RISING DRUG TRADE IN LIBYA\nThe United Nations Office on Drugs and Crime said routes through "
         "Niger and Chad had shifted. The drug trade grew in Libya.",
}
EXPECTED = {
    "a": ["TRIPOLI", "Libya", "Reuters", "Interior Ministry", "Misrata", "Fayez al-Sarraj"],
    "b": ["Libya", "US", "Cairo", "Sahara", "Libya", "Egypt"],
    "c": ["UN", "LIBYA", "United Nations Office on Drugs and Crime", "Niger", "Chad", "Libya"],
}


def _articles(texts: dict) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": list(texts), "text": list(texts.values())})


def _by_doc(mentions: pd.DataFrame) -> dict:
    return mentions.groupby("doc_id")["entity"].apply(list).to_dict()


# the expected names follow NLTK's stopword list: in scikit-learn's fallback 'un' is a stopword, so the all-caps
# headline's 'UN' is taken for a stopword, not a name
@pytest.mark.needs_resource("stopwords")
@pytest.mark.parametrize("method", ["auto", "capitalisation"])
def test_datelines_headlines_and_sentence_initial_words(method):
    articles = _articles(MISLEADING)
    mentions = helpers.entities(helpers.tokenize(articles), articles, method=method)
    assert _by_doc(mentions) == EXPECTED


def test_fallback_without_any_nltk_data(no_nltk_data):
    articles = _articles(MISLEADING)
    mentions = helpers.entities(helpers.tokenize(articles), articles)
    assert "no POS tags" in mentions.attrs["method"]
    assert _by_doc(mentions)["b"] == EXPECTED["b"]
    # scikit-learn's stopword list (the fallback) holds "un", so the ALL-CAPS "UN" cannot be told from "OF"
    assert _by_doc(mentions)["c"] == EXPECTED["c"][1:]
    with pytest.raises(ValueError, match="averaged_perceptron_tagger_eng"):
        helpers.entities(helpers.tokenize(articles), method="nnp")
    assert importlib.import_module("helpers.stats.name_evidence")._brown_capitalisation() == {}


def test_seed_article_names_titles_and_organisations(seed_articles):
    mentions = helpers.entities(helpers.tokenize(seed_articles), seed_articles)
    found = mentions["entity"].tolist()
    for name in ["Abdel-Mutalib Thabet", "Khaled Al-Mabrouk Abdel-Nabi", "Jason Schumacher", "Arab League",
                 "General Directorate for Combating Narcotics and Psychotropic Substances", "Libyan Embassy",
                 "U.S. Drug Enforcement Administration", "DEA", "AFRICOM", "Middle East"]:
        assert name in found, name
    assert not {"Ambassador", "Major General", "Thursday", "Permanent Representative", "Regional Director"} & set(found)
    labels = dict(zip(mentions["entity"], mentions["label"]))
    assert labels["Abdel-Mutalib Thabet"] == "PERSON" and labels["Arab League"] == "ORGANIZATION"
    text = seed_articles.loc[0, "text"]
    assert all(text[s:e] == entity for s, e, entity in zip(mentions["start"], mentions["end"], mentions["entity"]))


def test_titles_split_runs_and_calendar_words_are_not_names():
    articles = _articles({"x": "On Friday, United States Representative Elijah Cummings met Judge Gray Miller in "
                               "Baltimore on October 3."})
    mentions = helpers.entities(helpers.tokenize(articles), articles, method="capitalisation")
    assert mentions[["entity", "label"]].values.tolist() == [
        ["United States", "PLACE"], ["Elijah Cummings", "PERSON"], ["Gray Miller", "PERSON"], ["Baltimore", "PLACE"]]


def test_without_articles_mentions_are_rebuilt_from_tokens():
    articles = _articles({"x": "Officials said Ambassador Abdel Thabet met Libyan Embassy staff in Cairo."})
    mentions = helpers.entities(helpers.tokenize(articles))
    assert mentions["entity"].tolist() == ["Abdel Thabet", "Libyan Embassy", "Cairo"]


def test_entity_counts_frequency_and_docfreq():
    mentions = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "entity": ["Libya", "DEA", "Libya", "Libya"],
                             "label": "NAME"})
    assert helpers.entity_counts(mentions).values.tolist() == [["Libya", "NAME", 3, 2, "Libya"],
                                                               ["DEA", "NAME", 1, 1, "DEA"]]


def test_seed_article_has_no_capitalised_common_words_and_merges_aliases(seed_articles):
    mentions = helpers.entities(helpers.tokenize(seed_articles), seed_articles)
    assert not {"Memorandum", "Permanent", "Memorandum of Understanding", "Step", "Head"} & set(mentions["entity"])
    counts = helpers.entity_counts(mentions).set_index("entity")
    assert counts.loc["United States", ["label", "frequency", "variants"]].tolist() == [
        "PLACE", 4, "U.S.; United States"]
    assert counts.loc["Abdel-Mutalib Thabet", ["label", "frequency", "variants"]].tolist() == [
        "PERSON", 2, "Abdel-Mutalib Thabet; Thabet"]
    assert not {"U.S.", "Thabet"} & set(counts.index)
    labels = counts["label"].to_dict()
    assert labels["Libyan"] == "GROUP" and labels["Libya"] == labels["Cairo"] == labels["Middle East"] == "PLACE"
    assert labels["Jason Schumacher"] == labels["Khaled Al-Mabrouk Abdel-Nabi"] == "PERSON"
    assert labels["AFRICOM"] == labels["Arab League"] == "ORGANIZATION"
    # "U.S. Drug Enforcement Administration (DEA)" defines DEA: one entity
    assert counts.loc["U.S. Drug Enforcement Administration", ["label", "frequency", "variants"]].tolist() == [
        "ORGANIZATION", 2, "DEA; U.S. Drug Enforcement Administration"]
    assert "DEA" not in counts.index


def test_acronym_defined_after_a_name_takes_its_name_and_elsewhere_when_defined_one_way_only(no_nltk_data):
    articles = _articles({
        "a": "Officials of the Drug Enforcement Administration (DEA) met in Cairo. The DEA said it would help. "
             "The Arab League (XYZ) was not there. The Port Authority (PA) met the Palestinian Authority (PA).",
        "b": "The DEA said nothing in Paris. The PA did not either."})
    mentions = helpers.entities(helpers.tokenize(articles), articles)
    rows = mentions[["doc_id", "entity", "canonical"]].values.tolist()
    assert rows.count(["a", "DEA", "Drug Enforcement Administration"]) == 2
    assert ["a", "XYZ", "XYZ"] in rows
    # b does not spell DEA out, the corpus does, one way only; PA is spelt out two ways, so b's PA stays PA
    assert ["b", "DEA", "Drug Enforcement Administration"] in rows and ["b", "PA", "PA"] in rows
    assert ["a", "PA", "Palestinian Authority"] in rows


def test_heading_and_sentence_initial_common_words_are_names_only_when_written_so_mid_sentence():
    articles = _articles({"x": "Permanent Ceasefire Agreed For Tripoli\nPermanent talks began. The permanent "
                               "ceasefire held, and the Memorandum was signed in Tripoli. Memorandum writers "
                               "met. A memorandum, a memorandum and another memorandum followed."})
    found = helpers.entities(helpers.tokenize(articles), articles, method="capitalisation")
    assert _by_doc(found) == {"x": ["Tripoli", "Tripoli"]}
    # written capitalised mid-sentence again and again, the same word is a name, sentence-initial too
    named = _articles({"y": "Officials said Memorandum staff met. Memorandum staff left. They met Memorandum "
                            "staff. Ask Memorandum staff."})
    found = helpers.entities(helpers.tokenize(named), named, method="capitalisation")
    assert _by_doc(found) == {"y": ["Memorandum"] * 4}


def test_aliases_surnames_and_types_without_nltk_data(no_nltk_data):
    articles = _articles({
        "a": "The UN and the United States met. Ambassador Jane Holloway said the U.N. would act. Holloway left "
             "for Benghazi with two Libyans and an American. Later J. Holloway said the US agreed.",
        "b": "Holloway, a different person, spoke in Paris."})
    mentions = helpers.entities(helpers.tokenize(articles), articles)
    rows = mentions[["doc_id", "entity", "label", "canonical"]].values.tolist()
    assert rows == [
        ["a", "UN", "ORGANIZATION", "United Nations"], ["a", "United States", "PLACE", "United States"],
        ["a", "Jane Holloway", "PERSON", "Jane Holloway"], ["a", "U.N.", "ORGANIZATION", "United Nations"],
        ["a", "Holloway", "PERSON", "Jane Holloway"], ["a", "Benghazi", "PLACE", "Benghazi"],
        ["a", "Libyans", "GROUP", "Libyans"], ["a", "American", "GROUP", "American"],
        ["a", "J. Holloway", "PERSON", "Jane Holloway"], ["a", "US", "PLACE", "United States"],
        ["b", "Holloway", "NAME", "Holloway"], ["b", "Paris", "PLACE", "Paris"]]
    counts = helpers.entity_counts(mentions)
    assert counts.iloc[0].tolist() == ["Jane Holloway", "PERSON", 3, 1, "Holloway; J. Holloway; Jane Holloway"]


@pytest.mark.parametrize("texts", [[], [""], ["Libya."]])
def test_entity_functions_return_their_columns_on_empty_and_one_row_input(texts):
    articles = _articles({f"d{i}": t for i, t in enumerate(texts)})
    mentions = helpers.entities(helpers.tokenize(articles), articles)
    assert list(mentions.columns) == entities_module.MENTION_COLUMNS
    counts = helpers.entity_counts(mentions)
    assert list(counts.columns) == importlib.import_module("helpers.stats.name_types").COUNT_COLUMNS
    assert counts.values.tolist() == ([["Libya", "PLACE", 1, 1, "Libya"]] if texts == ["Libya."] else [])
    assert list(helpers.entity_counts(mentions.head(0)).columns) == importlib.import_module("helpers.stats.name_types").COUNT_COLUMNS
    with pytest.raises(ValueError, match="missing columns"):
        helpers.entity_counts(pd.DataFrame({"entity": ["x"]}))


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="method="):
        helpers.entities(pd.DataFrame(), method="spacy")
    with pytest.raises(ValueError, match="missing columns"):
        helpers.entities(pd.DataFrame({"doc_id": ["a"]}))


def _bench():
    return benchmark_module("bench_entities")


@pytest.mark.slow
def test_f1_on_hand_marked_newswire_is_at_least_three_quarters(sample_path):
    bench = _bench()
    articles, gold = bench.evaluation_corpus()
    tokens = helpers.tokenize(articles)
    ours = bench.score(helpers.entities(tokens, articles), gold)
    assert ours.loc["test", "f1"] >= 0.75
    assert ours.loc["all", "f1"] >= 0.75


@pytest.mark.slow
@pytest.mark.needs_resource("averaged_perceptron_tagger_eng")  # the baseline tags NNP runs
def test_f1_on_hand_marked_newswire_beats_bare_nnp_runs_by_a_tenth(sample_path):
    bench = _bench()
    articles, gold = bench.evaluation_corpus()
    tokens = helpers.tokenize(articles)
    ours = bench.score(helpers.entities(tokens, articles), gold)
    baseline = bench.score(helpers.entities(tokens, articles, method="nnp"), gold)
    assert ours.loc["test", "f1"] > baseline.loc["test", "f1"] + 0.1


@pytest.mark.needs_resource("averaged_perceptron_tagger_eng")  # typing needs POS tags
def test_labels_come_from_ne_chunk_when_its_model_is_present(monkeypatch):
    import nltk

    def fake_ne_chunk(tagged):
        # stands in for the maxent chunker (absent here): every NNP is a GPE chunk of its own
        return nltk.Tree("S", [nltk.Tree("GPE", [pair]) if pair[1] == "NNP" else pair for pair in tagged])

    monkeypatch.setattr(nltk, "ne_chunk", fake_ne_chunk)
    real = entities_module.has_resource
    monkeypatch.setattr(entities_module, "has_resource", lambda name: name == "maxent_ne_chunker_tab" or real(name))
    articles = _articles({"x": "Officials in Cairo met Jason Schumacher."})
    mentions = helpers.entities(helpers.tokenize(articles), articles)
    assert mentions[["entity", "label", "label_source"]].values.tolist() == [
        ["Cairo", "GPE", "ne_chunk"], ["Jason Schumacher", "GPE", "ne_chunk"]]
    assert "labels from ne_chunk" in mentions.attrs["method"]


@pytest.mark.parametrize("method", ["auto", "capitalisation"])
def test_cached_mentions_equal_uncached_and_redo_only_articles_whose_evidence_changed(method, tmp_path, monkeypatch):
    first = _articles({"a": "Officials said the Security Council met in Cairo. The Council voted.",
                       "b": MISLEADING["b"], "c": MISLEADING["c"]})
    # Many lower-case uses of "council" turn its verdict from name to common word: article a must be redone.
    more = pd.concat([first, _articles({f"n{i}": "The city council met. A council vote followed." for i in range(6)})],
                     ignore_index=True)
    real = entities_module._document_mentions

    def run(articles):
        redone = []
        monkeypatch.setattr(entities_module, "_document_mentions",
                            lambda doc_id, *rest: redone.append(doc_id) or real(doc_id, *rest))
        tokens = helpers.tokenize(articles)
        cached = helpers.entities(tokens, articles, method=method, cache=tmp_path)
        monkeypatch.setattr(entities_module, "_document_mentions", real)
        pd.testing.assert_frame_equal(cached, helpers.entities(tokens, articles, method=method))
        return sorted(redone), set(cached["entity"])

    assert run(first)[0] == ["a", "b", "c"]
    redone, names = run(first)
    assert redone == [] and "Security Council" in names
    redone, _ = run(more)
    assert redone == ["a"] + [f"n{i}" for i in range(6)]
    # One article dropped, then back: the corpus counts are the kept sums minus or plus its counts, equal to a
    # count from scratch (run() also checks the mentions against the uncached ones).
    fewer = more[more["doc_id"] != "a"].reset_index(drop=True)
    for articles in (fewer, more):
        shutil.rmtree(tmp_path / "entities" / "corpus")  # else `more` is read whole, as computed above
        run(articles)
        kept = pickle.loads(next((tmp_path / "entities").rglob("corpus-counts.pickle")).read_bytes())
        scratch = tmp_path / "scratch" / str(len(articles))
        helpers.entities(helpers.tokenize(articles), articles, method=method, cache=scratch)
        recounted = pickle.loads(next(scratch.rglob("corpus-counts.pickle")).read_bytes())
        assert len(kept["keys"]) == len(articles) and kept["keys"] == recounted["keys"]
        assert kept["capitalised"] == recounted["capitalised"] and kept["lowercase"] == recounted["lowercase"]


def test_a_second_call_on_the_same_tokens_reads_the_whole_table_and_any_change_computes_again(tmp_path):
    articles = _articles({"a": "Officials said the Security Council met in Cairo. The Council voted.",
                          "b": MISLEADING["b"], "c": MISLEADING["c"]})
    tokens = helpers.tokenize(articles)
    first = helpers.entities(tokens, articles, cache=tmp_path)
    per_article = [p for p in tmp_path.iterdir() if p.name != "entities"] + [
        p for p in (tmp_path / "entities").iterdir() if p.name != "corpus"]
    assert per_article  # tags, counts and mentions of each article were kept too; take them away:
    for folder in per_article:
        shutil.rmtree(folder)
    again = helpers.entities(tokens, articles, cache=tmp_path)
    assert [p.name for p in tmp_path.rglob("*") if p.is_dir()] == ["entities", "corpus"]  # nothing recomputed
    pd.testing.assert_frame_equal(again, first)
    assert again.attrs == first.attrs == helpers.entities(tokens, articles).attrs
    edited = articles.assign(text=articles["text"].str.replace("Cairo", "Tripoli"))
    changed = helpers.entities(helpers.tokenize(edited), edited, cache=tmp_path)
    assert "Tripoli" in set(changed["entity"]) and "Cairo" not in set(changed["entity"])
    as_capitalisation = helpers.entities(tokens, articles, method="capitalisation", cache=tmp_path)
    pd.testing.assert_frame_equal(as_capitalisation, helpers.entities(tokens, articles, method="capitalisation"))
    assert len(list((tmp_path / "entities" / "corpus").glob("*.arrow"))) == 2  # only the newest are kept


def test_tokens_are_put_in_article_order_as_sort_values_puts_them():
    import numpy as np

    from helpers.frames import article_sorted as _article_sorted

    tokens = helpers.tokenize(_articles({"c": MISLEADING["c"], "a": MISLEADING["a"], "b": MISLEADING["b"]}))
    assert tokens["doc_id"].astype(str).iloc[0] == "c"  # articles as loaded, not sorted by doc_id
    rng = np.random.default_rng(7)
    cases = {
        "as tokenised": tokens,
        "categories reversed": tokens.assign(doc_id=tokens["doc_id"].cat.reorder_categories(["c", "b", "a"])),
        "already sorted": tokens.sort_values(["doc_id", "position"]),
        "articles interleaved": tokens.iloc[rng.permutation(len(tokens))],
        "positions out of order": tokens.iloc[::-1],
        "doc_id as text": tokens.astype({"doc_id": str}),
    }
    for name, table in cases.items():
        columns = [c for c in entities_module.ENTITY_INPUTS if c in table.columns]
        expected = table[columns].sort_values(["doc_id", "position"], kind="stable").reset_index(drop=True)
        pd.testing.assert_frame_equal(_article_sorted(table, columns), expected, obj=name)


def test_initials_time_zones_title_phrases_and_common_abbreviations_are_no_names():
    articles = _articles({
        "a": "Scientists found E. coli in Leeds at 13:40 local time (0040 UTC). They signed a Memorandum of "
             "Understanding (MoU) with Oxford. The MoU was new, said Minister of Information Moammar al-Eryani.",
        "b": "The Drug Enforcement Administration (DEA) and the MoU Group met in Rome."})
    found = _by_doc(helpers.entities(helpers.tokenize(articles), articles))
    assert found["a"] == ["Leeds", "Oxford", "Moammar al-Eryani"]
    # MoU is a common word only where the article defines it so; DEA spells a name, so it stays one
    assert found["b"] == ["Drug Enforcement Administration", "DEA", "MoU Group", "Rome"]


@pytest.mark.needs_resource("averaged_perceptron_tagger_eng")  # without the tagger there are no tags to read
def test_a_rerun_reads_the_tags_of_only_the_articles_whose_mentions_are_found_again(tmp_path, monkeypatch):
    first = _articles({"a": "Officials said the Security Council met in Cairo. The Council voted.",
                       "b": MISLEADING["b"], "c": MISLEADING["c"]})
    # six new articles turn the verdict on "council": a's mentions are found again, b's and c's are kept
    more = pd.concat([first, _articles({f"n{i}": "The city council met. A council vote followed." for i in range(6)})],
                     ignore_index=True)
    helpers.entities(helpers.tokenize(first), first, cache=tmp_path)
    real, asked = entities_module._pos_tags, []

    def noted(tokens, **options):
        asked.extend(tokens["doc_id"].astype(str).unique())
        return real(tokens, **options)

    monkeypatch.setattr(entities_module, "_pos_tags", noted)
    tokens = helpers.tokenize(more)
    rerun = helpers.entities(tokens, more, cache=tmp_path)
    assert sorted(asked) == ["a"] + [f"n{i}" for i in range(6)]
    shutil.rmtree(tmp_path / "entities" / "corpus")
    asked.clear()
    again = helpers.entities(tokens, more, cache=tmp_path)
    assert asked == []  # every article's mentions kept: no tags read
    monkeypatch.setattr(entities_module, "_pos_tags", real)
    plain = helpers.entities(tokens, more)
    for cached in (rerun, again):
        pd.testing.assert_frame_equal(cached, plain)
        assert cached.attrs == plain.attrs
