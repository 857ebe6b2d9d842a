"""helpers.focus: what the notebooks compare, chosen from what the corpus holds."""

from __future__ import annotations

import pandas as pd

from helpers.views.focus import (choose_terms, corpus_statement, describe_groups, group_columns, inputs_statement,
                           resolve_focus)


def _articles(n_wiki=4, n_press=6):
    rows = [{"doc_id": f"w{i}", "collection": "wiki", "source": "w.org", "title": f"Storm {i}", "text": "Rain fell.",
             "date": pd.Timestamp(f"2019-0{1 + i % 3}-05", tz="UTC"), "member.party": None} for i in range(n_wiki)]
    rows += [{"doc_id": f"p{i}", "collection": "press", "source": f"office{i % 3}", "title": f"Release {i}",
              "text": "The senator voted.", "date": pd.NaT, "member.party": "D" if i % 2 else "R"}
             for i in range(n_press)]
    return pd.DataFrame(rows)


def test_automatic_focus_is_the_smallest_collection_then_the_smallest_source():
    assert resolve_focus(_articles()).doc_ids == [f"w{i}" for i in range(4)]
    one_collection = _articles(n_wiki=0)
    focus = resolve_focus(one_collection)
    assert focus.label == "source 'office0'" and focus.doc_ids == ["p0", "p3"]
    assert "smallest of 3 sources" in focus.reason


def test_a_named_focus_is_a_collection_source_doc_id_or_search_in_that_order():
    articles = _articles()
    assert resolve_focus(articles, "press").label == "collection 'press'"
    assert resolve_focus(articles, "office1").doc_ids == ["p1", "p4"]
    assert resolve_focus(articles, "p2").doc_ids == ["p2"]
    assert resolve_focus(articles, "SENATOR").doc_ids == [f"p{i}" for i in range(6)]


def test_a_focus_of_nothing_or_everything_is_no_focus_with_the_reason():
    articles = _articles()
    assert resolve_focus(articles, "volcano") == (None, None, "No focus: FOCUS='volcano' matches no collection, "
                                                             "source, doc_id or article text.")
    everything = resolve_focus(articles, "e")  # every title or text holds an "e"
    assert everything.doc_ids is None and "holds every article" in everything.reason
    single = resolve_focus(articles.iloc[:1])
    assert single.doc_ids is None and "the 1 article comes from one collection" in single.reason


def test_automatic_groups_need_two_groups_of_enough_articles_and_few_values():
    articles = _articles(n_press=9)  # sources: w.org 4, office0-2 3 each; parties: R 5, D 4
    assert group_columns(articles) == ["collection", "source", "member.party"]
    assert group_columns(articles, max_groups=2) == ["collection", "member.party"]
    assert group_columns(articles, min_articles=4) == ["collection", "member.party"]
    assert group_columns(_articles()) == ["collection", "member.party"]  # offices of 2 articles are no groups
    assert group_columns(articles, "") == []
    assert describe_groups(articles, ["member.party"]) == "member.party: R (5), D (4)"


def test_statements_say_what_the_corpus_holds():
    articles = _articles()
    assert corpus_statement(articles) == ("10 articles in 2 collections from 4 sources, dated 2019-01-05 to "
                                          "2019-03-05 over 3 months; 6 undated.")
    assert inputs_statement(articles) == "Loaded: press (6 articles); wiki (4 articles)."
    assert inputs_statement(articles.iloc[0:0]) == "Loaded: no article."


def test_terms_are_the_user_s_or_the_corpus_s_most_frequent_shared_words():
    tokens = pd.DataFrame({"doc_id": ["a", "a", "a", "b", "b"], "term": ["rain", "rain", "42", "rain", "storm"],
                           "is_stop": False, "is_punct": False})
    assert choose_terms(tokens)[0] == ["rain"]
    assert choose_terms(tokens, ["storm*"]) == (["storm*"], "Terms followed (from TERMS): storm*.")
    assert choose_terms(tokens.iloc[3:])[0] == ["rain", "storm"]  # one article: every word counts


def test_automatic_groups_leave_out_timestamps_and_take_metadata_with_few_values():
    articles = pd.DataFrame({"doc_id": [f"d{i}" for i in range(12)], "collection": ["x"] * 12,
                             "updated_at": ["2026-03-30T01:40:41Z", "2026-04-07T22:07:06Z"] * 6,
                             "scraper": ["north", "south", "east"] * 4, "party": ["D", "R"] * 6})
    assert group_columns(articles) == ["scraper", "party"]
