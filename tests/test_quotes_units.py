"""``helpers.quotes`` runs its rules once per distinct unit of repeated paragraphs (``helpers.stats.quote_units``)
and must give the rows it gives article by article. For each piece of state that crosses paragraphs, two or three
articles share a paragraph in which that state differs; with every run of repeated lines made a unit where the
break allows, the rows are those of the articles read whole, and differ between the articles where they should."""

from __future__ import annotations

import random

import pandas as pd

import helpers
from helpers.stats import quote_units
from helpers.stats.quotation_marks import DOUBLE_MARKS, marked_quotations, may_run_into, paragraphs

_PLAIN_CUT = quote_units.Units.cut


def _quotes(articles: pd.DataFrame, monkeypatch, *, units: bool, tokens=None, mentions=None):
    """The quote table with every worthwhile-or-not run of repeated lines made a unit (``units``), or none; and the
    number of units each article was cut into."""
    floor = 0 if units else 10 ** 12
    monkeypatch.setattr(quote_units, "MIN_SHARED_CHARS", floor)
    monkeypatch.setattr(quote_units, "MIN_SAVED_CHARS", floor)
    cuts = []

    def counting(self, index, text, starts, ends):
        found = _PLAIN_CUT(self, index, text, starts, ends)
        cuts.append(len(found) if found else 1)
        return found

    monkeypatch.setattr(quote_units.Units, "cut", counting)
    tokens = helpers.tokenize(articles) if tokens is None else tokens
    found = helpers.quotes(tokens, articles, mentions=mentions)
    return found, cuts


def _both(texts: list[str], monkeypatch) -> tuple[pd.DataFrame, list[int]]:
    articles = pd.DataFrame({"doc_id": [f"d{k}" for k in range(len(texts))], "text": texts})
    tokens = helpers.tokenize(articles)
    mentions = helpers.entities(tokens, articles)
    by_unit, cuts = _quotes(articles, monkeypatch, units=True, tokens=tokens, mentions=mentions)
    whole, _ = _quotes(articles, monkeypatch, units=False, tokens=tokens, mentions=mentions)
    pd.testing.assert_frame_equal(by_unit, whole)
    return by_unit, cuts


def _row(found: pd.DataFrame, doc_id: str, quote_starts: str):
    rows = found[(found["doc_id"] == doc_id) & found["quote"].str.startswith(quote_starts)]
    return rows.iloc[0] if len(rows) else None


def test_a_quotation_left_open_runs_on_into_a_shared_paragraph_only_where_it_was_open(monkeypatch):
    shared = "and we will open it again in May,” said Mayor Ann Lee."
    found, cuts = _both([f"She told the council: “We will rebuild the bridge stone by stone\n\n{shared}",
                         f"The council met on Monday to hear the plans for the bridge.\n\n{shared}"], monkeypatch)
    assert cuts == [1, 1]  # a closing mark that may end a quotation opened before keeps both articles whole
    running = _row(found, "d0", "We will rebuild")
    assert running is not None and running["quote"].endswith("again in May,") and running["speaker"] == "Mayor Ann Lee"
    assert _row(found, "d1", "We will") is None


def test_a_quotation_opening_a_shared_paragraph_takes_the_speaker_of_the_paragraph_before(monkeypatch):
    shared = "“It will open in May and carry trains as well as cars.”"
    found, _ = _both([f"“The bridge is safe,” said Mayor Ann Lee.\n\n{shared}",
                      f"“The bridge is safe,” said Governor John Carter.\n\n{shared}",
                      f"The council met on Monday.\n\n{shared}"], monkeypatch)
    speakers = [_row(found, doc, "It will open")["speaker_entity"] for doc in ("d0", "d1", "d2")]
    assert speakers == ["Ann Lee", "John Carter", ""]


def test_a_paragraph_introducing_a_shared_statement_gives_its_speaker(monkeypatch):
    shared = "“Today we passed the law that the farmers of this state asked for.”"
    found, _ = _both([f"Senator Jane Roe released the following statement:\n\n{shared}",
                      f"The law passed on Monday after a long debate.\n\n{shared}"], monkeypatch)
    assert _row(found, "d0", "Today we passed")["speaker"] == "Senator Jane Roe"
    assert _row(found, "d1", "Today we passed")["speaker"] == ""


def test_the_same_sentence_resolves_its_pronoun_to_each_article_s_own_mention(monkeypatch):
    shared = "She said that the bridge would reopen in May after the repairs."
    found, cuts = _both([f"Ann Lee arrived in town on Monday.\n\n{shared}",
                         f"John Carter arrived in town on Monday.\n\n{shared}"], monkeypatch)
    assert cuts == [2, 2]  # the shared sentence is a unit of its own, read once
    assert [_row(found, doc, "the bridge")["speaker_entity"] for doc in ("d0", "d1")] == ["Ann Lee", "John Carter"]


def test_a_shared_paragraph_counts_single_marks_only_in_an_article_without_double_ones(monkeypatch):
    shared = "‘We will open the bridge in May,’ said Mayor Ann Lee at the meeting."
    found, cuts = _both([f"{shared}\n\nThe council met on Monday.",
                         f"{shared}\n\nThe council said “no” on Monday to the plan."], monkeypatch)
    assert cuts == [2, 2]
    assert _row(found, "d0", "We will open")["speaker"] == "Mayor Ann Lee"
    assert _row(found, "d1", "We will open") is None


def test_an_s_verb_before_a_paragraph_opening_with_are_stays_with_it(monkeypatch):
    shared = "The road was closed for the whole of the winter, the official says"
    found, cuts = _both([f"{shared}\n\nare the roads open now? Nobody could tell.",
                         f"{shared}\n\nThe council will meet again next week."], monkeypatch)
    assert cuts == [1, 2]
    # read whole, "says are" makes "says" a noun (no quotation); alone, the paragraph reports speech
    assert _row(found, "d0", "The road was closed") is None
    assert _row(found, "d1", "The road was closed")["verb"] == "said"


def test_a_mark_that_may_run_on_is_seen_wherever_marked_quotations_carries_a_quotation():
    texts = ['He said: “It works\n\nand it goes on,” she said.', 'A “left open\n\n“and reopened” here.',
             'She said: "one two three four\n\nfive six" and more.', "‘Single\n\nstill’ going, he said."]
    rng = random.Random(5)
    pieces = [p for t in texts for p in t.split("\n\n")] + ["Plain words here.", "“Open", "closed” now.", ""]
    texts += ["\n\n".join(rng.choice(pieces) for _ in range(rng.randrange(2, 7))) for _ in range(400)]
    carried_somewhere = 0
    for text in texts:
        single = not any(mark in text for mark in DOUBLE_MARKS)
        carried: set[int] = set()
        marked_quotations(text, single=single, carried_into=carried)
        paras = paragraphs(text)
        for number in carried:
            assert may_run_into(text, paras[number][0], single), (text, number)
        carried_somewhere += bool(carried)
    assert carried_somewhere > 50


def test_default_articles_and_their_paragraphs_shuffled_give_the_same_rows_cut_into_units(default_articles,
                                                                                         monkeypatch):
    rng = random.Random(11)
    paras = [p for text in default_articles["text"].dropna() for p in text.split("\n") if p.strip()]
    texts = ["\n\n".join(rng.choice(paras) for _ in range(rng.randrange(1, 9))) for _ in range(150)]
    shuffled = pd.DataFrame({"doc_id": [f"s{k}" for k in range(len(texts))], "text": texts})
    for articles in (default_articles, shuffled):
        tokens = helpers.tokenize(articles)
        mentions = helpers.entities(tokens, articles)
        by_unit, cuts = _quotes(articles, monkeypatch, units=True, tokens=tokens, mentions=mentions)
        whole, _ = _quotes(articles, monkeypatch, units=False, tokens=tokens, mentions=mentions)
        assert sum(count > 1 for count in cuts) > 20  # the test is only worth it if articles are cut
        pd.testing.assert_frame_equal(by_unit, whole)
