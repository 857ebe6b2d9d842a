"""The kit's Punkt trainer learns NLTK's parameters: ``train_parameters(text)`` against ``PunktTrainer().train(text)``
on real corpora of several shapes, odd texts, and random texts built from the pieces Punkt's rules turn on."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nltk.tokenize.punkt import PunktTrainer

import helpers
from helpers.settings import CONGRESS, EXTERNAL_DIR
from helpers.text.sentence_training import MAX_TRAINING_CHARS, train_parameters, training_chunks
from needs import need_resource, skip_or_fail

GERMAN = """Am 3. Oktober feierte die Stadt den Tag der Deutschen Einheit. Dr. Müller sprach z. B. über die
Geschichte, u. a. über die Jahre 1989 und 1990. Die Feier begann um 10 Uhr.

Der Bürgermeister, Hr. Schmidt, dankte den Gästen. Es gab Musik, Reden usw. Danach gingen alle nach Hause.
Im Nov. folgt die nächste Feier. Sie findet in der Hauptstr. 5 statt. Alle sind eingeladen. Der Eintritt ist frei.
"""


def assert_same_parameters(text: str) -> None:
    reference = PunktTrainer()
    reference.train(text, finalize=True)
    theirs, ours = reference.get_params(), train_parameters(text)
    assert ours.abbrev_types == theirs.abbrev_types
    assert ours.collocations == theirs.collocations
    assert ours.sent_starters == theirs.sent_starters
    # Equal as dicts, the types NLTK looked up without a flag (recorded as 0 by its defaultdict) included.
    assert dict(ours.ortho_context) == dict(theirs.ortho_context)


def training_text(articles) -> str:
    return "\n\n".join(training_chunks(articles["text"].tolist(), max_training_chars=MAX_TRAINING_CHARS))


def test_the_wikinews_sample_gives_nltks_parameters(sample_articles):
    text = training_text(sample_articles)
    assert_same_parameters(text)
    params = train_parameters(text)
    assert len(params.abbrev_types) > 10 and params.sent_starters and params.collocations


def test_the_press_releases_give_nltks_parameters():
    path = EXTERNAL_DIR / CONGRESS.file_name
    if not path.exists():
        skip_or_fail(f"the press-release sample {path.name} is not fetched (python -m helpers sample-data)")
    assert_same_parameters(training_text(helpers.load_articles(path)))


@pytest.mark.parametrize("corpus", ["brown", "inaugural"])
def test_nltk_corpora_give_nltks_parameters(corpus):
    need_resource(corpus)
    import nltk.corpus

    reader = getattr(nltk.corpus, corpus)
    if corpus == "brown":  # tagged text: its sentences, one a line, paragraphs apart
        text = "\n\n".join("\n".join(" ".join(s) for s in paragraph) for paragraph in reader.paras()[:1500])
    else:
        text = "\n\n".join(reader.raw(f) for f in reader.fileids()[:25])
    assert_same_parameters(text)


@pytest.mark.parametrize("text", [GERMAN, GERMAN * 4, "", "   \n\n \x1c\n", "no periods at all\n\nnor here",
                                  "One.", "...", "A. B. C. D. e. f. 1. 2. 3.", "Mr.\n\nSmith. Mr.\nJones. mr. x"])
def test_odd_texts_give_nltks_parameters(text):
    assert_same_parameters(text)


PIECES = ["Mr.", "mr.", "Dr.", "U.S.", "u.s", "etc.", "e.g.,", "J.", "j.", "1.", "12.", "3,5.", "No.", "no.", "vs.",
          "The", "the", "He", "he", "Smith", "smith.", "Smith.", "ran.", "Ran", "...", "..", "!", "?", ".", ",", ";",
          ":", "(", ")", '"', "'", "--", "-", "Al-Qaida.", "co-op.", "\u00c9t\u00e9.", "\u00e9t\u00e9", "ßtr.", "x."]
SPACES = [" ", " ", " ", "\n", "\n\n", "\n \n", "  ", "\t", "\x1c", "\u00a0"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SPACES)), max_size=200))
def test_random_texts_give_nltks_parameters(parts):
    assert_same_parameters("".join(piece + space for piece, space in parts))


def test_only_a_token_opening_with_a_digit_or_sign_can_be_punkts_number():
    # train_parameters skips Punkt's number pattern for the other tokens (code points beyond the BMP always try it)
    from helpers.text.sentence_training import _NUMERIC

    for code in range(0x10000):
        c = chr(code)
        if not 0xD800 <= code <= 0xDFFF and (_NUMERIC.match(c) or _NUMERIC.match(c + "1")):
            assert c in "-.," or c.isdecimal(), hex(code)
