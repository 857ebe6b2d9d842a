"""The shortcuts that make ``helpers.quotes`` faster give what the plain code gives: spans looked up by bisection,
a title abbreviation tried only before a point, no attribution read where no verb can start, an article's mentions
as a range of shared lists, sentences read from int32 and int16 columns."""

from __future__ import annotations

import random
import re

import numpy as np
import pandas as pd

import helpers
from helpers.stats.quote_units import sentences_by_doc as _sentences_by_doc
from helpers.stats.quotation_marks import _INNER_CLOSE, _INNER_OPEN
from helpers.stats.quote_speakers import DocumentEntities, SpanSet, _surname_match
from helpers.stats.reporting_verbs import verb_pattern
from helpers.stats.speech_words import WORD, iter_words, title_abbreviations, trie, words
from helpers.stats.verb_positions import VerbFinder, verb_starts

TEXTS = ['Rep. Smith said. ſen. Jones and Sen.Lee; Lt.Gov. Brown, lt.gov. x; Gen.Smith, U.S. e.g. Mr.Jones «Dr.» '
         'Dr.. _Sen. Ms. ms.. Prof.X K. Kelvin j. Doe', "saidCongressman Joe Morelle, “said” noted Smith",
         "Officials told reporters. He added: “We,” noted Smith, pointing out. Go on,\u00a0go\u2003on", ""]


def test_span_set_holds_an_offset_exactly_when_some_span_does():
    rng = random.Random(7)
    for _ in range(300):
        spans = [(a, a + rng.randrange(-2, 8)) for a in (rng.randrange(40) for _ in range(rng.randrange(6)))]
        found = SpanSet(spans)
        for position in range(-2, 50):
            assert found.holds(position) == any(a <= position < b for a, b in spans), (spans, position)


def test_title_tried_only_before_a_point_gives_the_words_the_plain_pattern_gives():
    titles = trie(sorted({t.lower() for t in title_abbreviations()}))
    plain = re.compile(r"(?=[^\s_])(?:(?<![\w.])(?i:" + titles + r")\.|\b[A-Z]\.(?![\w])|" + WORD.pattern + ")")
    rng = random.Random(3)
    for text in TEXTS:
        for start, end in [(0, len(text))] + [sorted(rng.sample(range(len(text) + 1), 2)) for _ in range(200)
                                               if len(text) > 1]:
            assert words(text, start, end) == [(m[0], m.start(), m.end()) for m in plain.finditer(text, start, end)]
            assert list(iter_words(text, start, end, first=3)) == words(text, start, end, first=3)
    assert [w for w, _, _ in words(TEXTS[0], 0, 40)][:4] == ["Rep.", "Smith", "said", "."]


def test_possessive_word_runs_match_what_the_backtracking_word_pattern_matches():
    backtracking = re.compile(r"[^\W_](?:[\w'’\-]*[^\W_])?|[^\w\s]")
    pieces = ["a", "Z", "é", "7", "٣", "_", "'", "’", "-", ".", " ", "\n", "“", ",", "ß"]
    rng = random.Random(11)
    for text in TEXTS + ["".join(rng.choice(pieces) for _ in range(rng.randrange(12))) for _ in range(5000)]:
        assert [m.span() for m in WORD.finditer(text)] == [m.span() for m in backtracking.finditer(text)], text
        for start in range(len(text)):
            assert (WORD.match(text, start) or [None])[0] == (backtracking.match(text, start) or [None])[0]


def test_inner_marks_found_mark_first_are_those_the_look_behind_patterns_find():
    plain = {_INNER_OPEN: re.compile(r"(?:(?<=\s)|(?<=[(“\"]))[‘'](?=[^\W_])"),
             _INNER_CLOSE: re.compile(r"(?<=\S)[’'](?![^\W_])")}
    pieces = ["a", "_", " ", "\n", "'", "‘", "’", '"', "“", "(", ".", "é", "7"]
    rng = random.Random(5)
    for text in TEXTS + ["".join(rng.choice(pieces) for _ in range(rng.randrange(10))) for _ in range(3000)]:
        for start in range(len(text) + 1):
            for end in range(start, len(text) + 1):  # a window's edges: the look-behind sees before its start
                for fast, slow in plain.items():
                    found, expected = fast.search(text, start, end), slow.search(text, start, end)
                    assert (found and found.span()) == (expected and expected.span()), (text, start, end)


def test_no_verb_can_start_where_the_finder_says_none_may():
    for text, starts in zip(TEXTS, verb_starts(TEXTS)):
        finder = VerbFinder(text, starts)
        for start in range(len(text)):
            for end in range(start, min(len(text), start + 30) + 1):
                if not finder.may_start(start, end):
                    assert not any(verb_pattern().match(text, p) for p in range(start, end)), (text, start, end)
        assert VerbFinder(text).may_start(0, len(text))  # no starts known: any may


def test_an_article_as_a_range_of_shared_lists_answers_as_its_own_lists():
    starts, ends = [0, 5, 20, 40, 41, 60, 0, 9], [4, 12, 31, 45, 50, 70, 7, 14]
    names = ["Ann Lee", "Acme Corp", "Bo Ray", "Lee", "Paris", "Cy Ray", "Dee Ho", "Ho"]
    labels = ["PERSON", "ORGANIZATION", "PERSON", "PERSON", "PLACE", "PERSON", "PERSON", "NAME"]
    shared = DocumentEntities(starts, ends, names, labels, (1, 6))
    own = DocumentEntities(starts[1:6], ends[1:6], names[1:6], labels[1:6])
    quoted = SpanSet([(38, 46)])
    for a in range(0, 75, 3):
        for b in range(a, 80, 7):
            assert [i - 1 for i in shared.inside(a, b)] == own.inside(a, b)
        for kinds in ({"PERSON"}, {"ORGANIZATION"}, {"PLACE", "PERSON"}):
            assert shared.before(a, frozenset(kinds), quoted) == own.before(a, frozenset(kinds), quoted)
        assert _surname_match("Mr Ray", shared, a) == _surname_match("Mr Ray", own, a)
    assert shared.before(75, frozenset({"PERSON"}), quoted) == ("Cy Ray", "PERSON")  # not row 6, another article's


def test_sentences_read_from_narrow_columns_are_those_of_wide_ones():
    articles = pd.DataFrame({"doc_id": ["b", "a", "c"], "text": ["One. Two here.", "Three! Four? Five.", "Six"]})
    tokens = helpers.tokenize(articles)
    wide = tokens.assign(doc_id=tokens["doc_id"].astype(str), **{c: tokens[c].astype(np.int64)
                                                                 for c in ("sentence", "start", "end")})
    narrow, expected = _sentences_by_doc(tokens), _sentences_by_doc(wide)
    assert narrow.keys() == expected.keys() == {"a", "b", "c"}
    for doc_id, arrays in expected.items():
        assert [a.tolist() for a in narrow[doc_id]] == [a.tolist() for a in arrays]
    assert narrow["a"][1].tolist() == [0, 7, 13]
