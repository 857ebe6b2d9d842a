"""False speakers and verbs found on corpora the rules were not written for (inaugural addresses, State of the
Union addresses, Brown's news texts): one test per rule on a small inline text, and the rules checked on real
inaugural addresses."""

from __future__ import annotations

import pandas as pd
import pytest

import helpers
from helpers.stats.reporting_verbs import DETERMINERS, FUNCTION_WORDS, PRONOUNS
from helpers.stats.verb_positions import reads_as_report


def _quotes(*texts: str) -> pd.DataFrame:
    articles = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})
    return helpers.quotes(helpers.tokenize(articles), articles)


def _speakers(found: pd.DataFrame) -> list[str]:
    return [s for s in found["speaker"].tolist() if isinstance(s, str) and s]


def test_a_speaker_phrase_does_not_start_with_a_preposition_or_conjunction():
    found = _quotes("We will get through this. As the Bible says, “Weeping may endure for a night.”",
                    "When warned that the dam would break, the town stayed calm and waited.",
                    "And Bernie Kriss calls the clashes at the gate “The Battle of the Sentry.”")
    assert _speakers(found) == ["the Bible", "Bernie Kriss"]


def test_a_clause_word_ends_the_speaker_phrase():
    found = _quotes("Let us make our government a place for what Franklin Roosevelt called “bold, persistent "
                    "experimentation.”")
    assert _speakers(found) == ["Franklin Roosevelt"]


def test_a_capitalised_word_before_an_object_pronoun_is_a_verb_not_a_speaker():
    found = _quotes("Let them look back and say that we had the foresight to understand the times.")
    assert "Let" not in _speakers(found)


def test_a_contracted_pronoun_speaks_as_the_pronoun_and_a_contracted_passive_has_no_speaker():
    found = _quotes("We're asking that another major industry be reduced by one third next year.",
                    "There is a song. It's called “American Anthem,” and one verse stands out.",
                    "I've heard Mrs. Gore say that it is hard to be a parent today.")
    assert _speakers(found) == ["We", "Mrs. Gore"]
    assert found["verb"].tolist() == ["asked", "said"]


def test_a_verb_form_after_a_determiner_or_before_a_plural_verb_is_a_noun():
    text = ("Reasoned estimates have been presented of the profits which would result to different States. "
            "Its estimates show that the costs were high. Police states are called “people's democracies” there.")
    found = _quotes(text)
    assert "estimated" not in found["verb"].tolist() and "stated" not in found["verb"].tolist()
    assert _speakers(found) == []
    at = text.index("have been")
    assert [reads_as_report(text, s, s + len(w)) for w, s in
            (("estimates", text.index("estimates")), ("estimates", text.index("estimates", at)))] == [False, False]
    said = "The people he says are responsible have left. He says the costs were high."
    assert reads_as_report(said, said.index("says"), said.index("says") + 4)  # after a pronoun: a verb


def test_according_to_after_a_sentence_adverb_reports_the_clause_after_the_speaker():
    found = _quotes("However, according to the Coast Guard, states may require proof of ownership for a boat.")
    assert found[["quote", "kind", "speaker", "verb"]].values.tolist() == [
        ["states may require proof of ownership for a boat", "indirect", "the Coast Guard", "according to"]]



def test_according_to_does_not_leave_a_possessive_hanging_on_its_speaker():
    found = _quotes("However, according to the Coast Guard’s reading of its statute, states may require proof of "
                    "ownership.")
    assert found[["speaker", "verb"]].values.tolist() == [["the Coast Guard", "according to"]]

def _function_word(speaker: str) -> bool:
    first = speaker.split()[0].lower()
    return first in FUNCTION_WORDS or (speaker.lower() in DETERMINERS) or ("'" in first and
                                                                             first.split("'")[0] in PRONOUNS)


def test_no_speaker_of_inaugural_addresses_is_or_starts_with_a_function_word():
    nltk_corpus = pytest.importorskip("nltk.corpus")
    try:
        wanted = ["1817-Monroe.txt", "1857-Buchanan.txt", "1993-Clinton.txt", "2021-Biden.txt"]
        texts = [nltk_corpus.inaugural.raw(f) for f in wanted]
    except LookupError:
        pytest.skip("NLTK's inaugural corpus is not installed")
    found = _quotes(*texts)
    speakers = _speakers(found)
    assert len(found) >= 8 and len(speakers) >= 5  # the addresses do quote: the check below is not vacuous
    assert [s for s in speakers if _function_word(s)] == []
    assert "estimated" not in found["verb"].tolist()  # "Reasoned estimates have been presented"


def test_a_quotation_whose_opening_mark_the_tokenizer_left_in_the_previous_sentence_is_kept():
    # the sentence splitter ends the first sentence after "«": the quotation belongs to the sentence of its words
    found = _quotes("Le gouvernement a présenté mardi son projet de budget. « Nous devons réduire le déficit sans "
                    "casser la croissance », a déclaré le ministre.")
    assert found[["quote", "kind"]].values.tolist() == [
        ["Nous devons réduire le déficit sans casser la croissance", "direct"]]
