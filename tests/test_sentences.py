"""Sentence rules the kit adds to Punkt (with its news lists on): a blank line ends a sentence."""

import pandas as pd

from helpers.text.sentences import sentence_model
from helpers.text.tokenizer import tokenize

TEXTS = ["Budget talks\n\nThe House passed the bill; and\n\nSecond, the Senate waits. It votes in June.",
         "Nothing here ends a paragraph. It is one.",
         "A list follows:\n\n  first item;\n\nsecond item\n\n\nLast line without a mark"]


def test_blank_line_ends_a_sentence_with_the_kits_rules_only():
    model = sentence_model(TEXTS, pretrained=False)
    assert model.split(TEXTS[0]) == ["Budget talks", "The House passed the bill; and", "Second, the Senate waits.",
                                     "It votes in June."]
    assert model.split(TEXTS[2]) == ["A list follows:", "first item;", "second item", "Last line without a mark"]
    plain = sentence_model(TEXTS, pretrained=False, news_abbreviations_list=False)
    assert plain.split(TEXTS[0])[0] == "Budget talks\n\nThe House passed the bill; and\n\nSecond, the Senate waits."


def test_token_table_sentences_follow_the_spans_of_each_article():
    model = sentence_model(TEXTS, pretrained=False)
    table = tokenize(pd.DataFrame({"doc_id": ["a", "b", "c"], "text": TEXTS}), sentence_model=model)
    for doc_id, text in zip("abc", TEXTS):
        rows = table[table["doc_id"] == doc_id]
        spans = model.spans(text)
        expected = [next(i for i, (s, e) in enumerate(spans) if s <= start < e) for start in rows["start"]]
        assert rows["sentence"].tolist() == expected
    assert table.groupby("doc_id", observed=True)["sentence"].max().tolist() == [3, 1, 3]


def test_a_heading_line_ends_its_sentence_but_a_wrapped_line_does_not():
    model = sentence_model(pretrained=False)
    assert model.split("Libya And US Sign Pact To Fight Drug Smuggling\nThe agreement was signed in Cairo.") == [
        "Libya And US Sign Pact To Fight Drug Smuggling", "The agreement was signed in Cairo."]
    assert model.split("Intro.\nUN WARNS OF DRUG TRADE\nThe office said so.") == [
        "Intro.", "UN WARNS OF DRUG TRADE", "The office said so."]
    # a line that holds common words, ends in a comma, or is followed by a lower-case word runs on
    for wrapped in ["The talks between the two\nGovernments went on.", "Officials met in New York\ncity on Tuesday.",
                    "In Paris, London,\nBerlin and Rome, they met."]:
        assert model.split(wrapped) == [wrapped]


def test_an_abbreviation_after_a_dash_or_slash_is_read_as_one_with_the_kits_rules():
    text = "He hailed the Libya–U.S. security pact. It holds."
    assert sentence_model(pretrained=False).split(text) == ["He hailed the Libya–U.S. security pact.", "It holds."]
    # Punkt itself reads only hyphens so: the plain model breaks there
    assert len(sentence_model(pretrained=False, news_abbreviations_list=False, abbreviations=["u.s"]).split(text)) == 3


def test_paragraph_breaks_found_from_newlines_are_the_patterns_matches():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from helpers.text.characters import character_flags
    from helpers.text.sentence_layout import _PARAGRAPH_BREAK, _paragraph_gaps

    pieces = st.sampled_from(["a", "Bc.", " ", "\n", "\n", "\t", "\r", "\u00a0", "\x1c", "\u2029", "\x85", "\n\n"])

    @settings(max_examples=500, deadline=None)
    @given(st.lists(pieces, max_size=30).map("".join))
    def check(text):
        starts, ends = _paragraph_gaps(text, *character_flags(text))
        assert list(zip(starts.tolist(), ends.tolist())) == [m.span() for m in _PARAGRAPH_BREAK.finditer(text)]

    check()


def test_heading_ends_found_line_by_line_are_the_patterns_matches(sample_articles):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from helpers.text.characters import character_flags
    from helpers.text.sentence_layout import _HEADING_AFTER_NEWLINE, _HEADING_FIRST, _heading_ends

    def expected(text):
        first = _HEADING_FIRST.match(text)
        return ([first.end()] if first else []) + [m.end() for m in _HEADING_AFTER_NEWLINE.finditer(text)]

    pieces = st.sampled_from(["Budget", "Talks", "of", "the", "US", "2024", "end.", "said,", "x-", "“Go", " ", " ",
                              "\n", "\n", "\n\n", "\t", "\r", "\u00a0", "a", "B!", "C?"])

    @settings(max_examples=500, deadline=None)
    @given(st.lists(pieces, max_size=40).map("".join))
    def check(text):
        assert _heading_ends(text, character_flags(text)[0]) == expected(text)

    check()
    corpus = "\n".join(sample_articles["text"]) + "\n"
    assert _heading_ends(corpus, character_flags(corpus)[0]) == expected(corpus)


def test_punkts_word_pattern_restated_gives_nltks_tokens(sample_articles):
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from nltk.tokenize.punkt import PunktLanguageVars

    from helpers.text.sentence_boundaries import punkt_patterns

    nltk_words = PunktLanguageVars().word_tokenize  # NLTK's pattern, run by the regex module

    def same(line):
        assert punkt_patterns()[0].findall(line) == nltk_words(line), repr(line)

    for line in "\n".join(sample_articles["text"]).split("\n"):
        same(line)
    pieces = st.sampled_from(["word", "U.S.", ".", ". ", "..", "-", "--", ",", ", ", ",x", "'", "’", "“", "(", ")",
                              "!", "?", "3,000", "e.g.,", "x,--", "#", "@", "`", "&", " ", "  ", "\t", "\x1c",
                              "\x1f", "\u00a0", "\u2028", "é", "ß."])

    @settings(max_examples=1000, deadline=None)
    @given(st.lists(pieces, max_size=30).map("".join))
    def check(line):
        same(line)

    check()
