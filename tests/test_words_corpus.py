"""The corpus-at-once tokenizer (``split_corpus``) against the per-text one (``split_words``), which the token
tests hold to NLTK: the same tokens, offsets, sentences and positions on adversarial random texts."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.text.sentences import sentence_model
from helpers.text.corpus_words import count_corpus, split_corpus
from helpers.text.words import FINAL_PERIOD, split_words

MODEL = sentence_model(pretrained=False)
PIECES = ["Libya", "U.S.", "Mr.", "D.C.", "wanna", "Wanna", "cannot", "gonna", "d'ye", "more'n", "’s", "'s", "n't",
          "'", "''", "``", '"', "“", "”", "(", ")", "...", "..", ".", ",", ":", "3,000", "10:30", "--", "-", "—",
          "cross-border", "e-mail@x.org", "https://a.b/c", "#tag", "@who", "!", "?", "\U0001f600",
          "ليبيا", "利比亚", "x\x00y", "3.5", "etc.", "'Hello", "'re", "’re", "don’t", "O’Rourke", "’", "‘", "’90s"]
# The per-text tokenizer takes a slower, different road for a text that holds the final-period marker itself, so
# the marker is tested on its own below.
SPACES = [" ", "  ", "\n", "\t", "\u00a0", "\u3000", "\x1c", ""]
text_strategy = st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SPACES)), max_size=30).map(
    lambda parts: "".join(piece + space for piece, space in parts))


def per_text(texts, web):
    rows = []
    for index, text in enumerate(texts):
        tokens, starts, ends, sentence = split_words(text, MODEL.spans(text), web=web)
        rows += [(index, int(s), p, t, int(a), int(b)) for p, (t, a, b, s)
                 in enumerate(zip(tokens, starts, ends, sentence))]
    return rows


def at_once(texts, web):
    split = split_corpus(texts, MODEL, web=web)
    vocabulary = np.array(split["vocabulary"] + [""], dtype=object)
    return list(zip(split["text"].tolist(), split["sentence"].tolist(), split["position"].tolist(),
                    vocabulary[split["token"]].tolist(), split["start"].tolist(), split["end"].tolist()))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(text_strategy, min_size=1, max_size=5), st.booleans())
def test_corpus_at_once_equals_text_by_text(texts, web):
    assert at_once(texts, web) == per_text(texts, web)


def test_hard_corners():
    texts = ["I wanna", "I wanna go. Wanna.", "", "  lead and trail  ", f"A {FINAL_PERIOD} marker. Ends.",
             "Quote \"x.\" Then \"Ends.\"", "Surrogate \ud800 lone. Next one."]
    for web in (False, True):
        assert at_once(texts, web) == per_text(texts, web)
    tokens = [t for _, _, _, t, _, _ in at_once(texts[:2], False)]
    assert tokens == ["I", "wanna", "I", "wan", "na", "go", ".", "Wanna", "."]
    marker = [(t, s) for _, _, _, t, s, _ in at_once([f"A {FINAL_PERIOD} marker. Ends."], False)]
    assert marker == [("A", 0), (FINAL_PERIOD, 2), ("marker", 4), (".", 10), ("Ends", 12), (".", 16)]


def counts_from_rows(texts, web):
    counts = {}
    for index, _, _, token, _, _ in per_text(texts, web):
        counts[(index, token)] = counts.get((index, token), 0) + 1
    return counts


def counts_at_once(texts, web):
    matrix, vocabulary = count_corpus(texts, MODEL, web=web)
    coo = matrix.tocoo()
    return {(int(r), vocabulary[c]): int(v) for r, c, v in zip(coo.row, coo.col, coo.data) if v}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(text_strategy, min_size=1, max_size=5), st.booleans())
def test_counts_at_once_equal_counts_of_the_rows(texts, web):
    assert counts_at_once(texts, web) == counts_from_rows(texts, web)


def test_counts_keep_a_marker_character_the_text_holds():
    texts = [f"A {FINAL_PERIOD} marker. Ends.", "Plain. Text."]
    assert counts_at_once(texts, False) == {(0, "A"): 1, (0, FINAL_PERIOD): 1, (0, "marker"): 1, (0, "."): 2,
                                            (0, "Ends"): 1, (1, "Plain"): 1, (1, "."): 2, (1, "Text"): 1}


def test_punkt_spans_of_many_texts_equal_nltks_on_random_text():
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    plain = sentence_model(["Mr. Smith met Dr. Jones. They talked."], pretrained=False,
                           news_abbreviations_list=False)
    reference = PunktSentenceTokenizer(plain.params)
    extra = ["acting!!!", "Hi.", "end.", '"Go."', "(Yes.)", "A.", "1.", "...", "?!", "--", "Mr.", "I.", "\x1c"]

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.lists(st.tuples(st.sampled_from(PIECES + extra), st.sampled_from(SPACES + [" "])),
                             max_size=25).map(lambda parts: "".join(p + s for p, s in parts)), min_size=1, max_size=4))
    def check(texts):
        assert [plain.spans(t) for t in texts] == [list(reference.span_tokenize(t)) for t in texts]
        split = split_corpus(texts, plain)
        sentences = {(int(t), int(s)) for t, s in zip(split["text"], split["sentence"])}
        assert all(s < max(1, len(plain.spans(texts[t]))) for t, s in sentences)

    check()


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["a", "é", "€", "\U0001d11e", " ", "\n", "\t", "\u00a0", "\x1c", "\u3000", "\u2029",
                                 "\x85", "x.", "\ud800"]), max_size=30).map("".join))
def test_pieces_are_str_split(text):
    from helpers.text.characters import SPACE, character_flags
    from helpers.text.corpus_words import _pieces

    codepoints, flags = character_flags(text)
    space = (flags & SPACE).astype(bool)
    edges = np.flatnonzero(np.diff(space.view(np.int8), prepend=np.int8(1), append=np.int8(1)))
    codes, distinct = _pieces(text, codepoints, space, edges[::2], edges[1::2])
    assert [distinct[c] for c in codes] == text.split()
