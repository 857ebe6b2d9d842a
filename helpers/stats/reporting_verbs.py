"""Attribution: who says a quotation, read from the words around it.

A speaker is a short noun phrase next to a reporting verb (``helpers/data/reporting_verbs.txt``): before it
("Thompson said", "the ministry's spokeswoman told reporters", "He also added") or after it ("said Congressman
Bennie Thompson", "said the minister in a statement"), or after *according to*. The phrase is read word by word
from the verb outwards and stops at punctuation (a title's abbreviation point excepted: "Rep. Smith"), at a
clause word (*that, who, which, when* …) and at a preposition that starts an adverbial (*in, on, at, during* …).
It counts as a speaker when its last word is a name (capitalised), a pronoun, or a common speaker noun
(``helpers/data/speaker_nouns.txt``, person titles and organisation heads: "officials", "the ministry"). An
appositive between commas is skipped ("Smith, a spokesman for the agency, said"). A phrase never starts with a
preposition or conjunction, even capitalised ("As the Bible says" -> the Bible; "When warned" -> nobody); a
capitalised word before *me/us/him/them* is a verb ("Let them say"); a contracted pronoun speaks as the pronoun
("We're asking" -> We), unless it is a passive ("It's called").

Every function here takes the article's text and offsets into it, and returns offsets, so each speaker and verb
can be cut from the text as written.
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import NamedTuple

from helpers.stats.name_lists import ORG_HEADS, PERSON_TITLES
from helpers.stats.speech_words import trie, words
from helpers.text.sentences import read_word_list
from helpers.settings import PACKAGE_DATA_DIR

DATA_DIR = PACKAGE_DATA_DIR
VERBS_FILE = DATA_DIR / "reporting_verbs.txt"
SPEAKER_NOUNS_FILE = DATA_DIR / "speaker_nouns.txt"
ACCORDING_TO = "according to"

PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you"})
DETERMINERS = frozenset({"the", "a", "an", "my", "our", "your", "his", "her", "their", "its", "this", "that", "these",
                         "those"})
# Words that end a speaker phrase: clause words, verbs of being, and prepositions that open an adverbial.
BREAKS = frozenset("""
that which who whom whose when while where because as if whether although though since until unless than so but or
nor is was were are be been being am has have had do does did will would could should can may might must not no
also then later earlier still again further previously recently reportedly once yet already just even only
in on at during after before from into onto over under about against between through without within across via
upon to by with last this next yesterday today tonight tomorrow told said says say added according what how why
""".split())
# Closed-class words that do not start a speaker phrase, even capitalised at a sentence's start ("When warned"
# has no speaker; "As the Bible says" -> "the Bible"); inside a name they may stand ("Martin How").
FUNCTION_WORDS = frozenset("""
in on at of for by with from into onto as about after before during since until upon within without through
across against between among and but or nor if because although though while when where whether unless what how why
""".split())
# An object pronoun right after a capitalised word makes it a verb, not a name ("Let me", "Let them … say").
OBJECT_PRONOUNS = frozenset({"me", "us", "him", "them"})
# A pronoun with a contracted verb ("We're", "I've", "It's"): the speaker is the pronoun; *'re*, *'m* and an
# impersonal *'s* ("it's", "that's") before a past form are "are/am/is" + participle, a passive: no speaker.
_CONTRACTED = re.compile(r"^(he|she|they|it|we|i|you|that|what|there)(['’](?:s|re|m|ve|ll|d))$", re.IGNORECASE)
# Adverbs and auxiliaries that may stand between a speaker and the verb ("he also said", "she has warned").
BETWEEN = frozenset("""
also then later earlier still again further previously recently reportedly once has have had had would will
publicly repeatedly quickly simply privately separately initially subsequently elsewhere directly today yesterday
tonight formally jointly officially
""".split())
# A told/asked/urged/warned object ("told reporters") and adverbials ("in a statement", "on Monday") between a
# verb and a following quotation mark or clause: at most this many words.
MAX_OBJECT_WORDS = 6
MAX_SPEAKER_WORDS = 12
OBJECT_VERBS = frozenset({"tell", "tells", "told", "ask", "asks", "asked", "urge", "urges", "urged", "warn", "warns",
                          "warned", "assure", "assured", "remind", "reminded", "inform", "informed", "caution",
                          "cautioned"})
# verbs that frame a quoted fragment rather than report speech: "described the deal as a “qualitative leap”"
MIXED_VERBS = {"described": "described", "describes": "described", "describing": "described", "called": "called",
               "calls": "called", "calling": "called", "referred": "referred", "refers": "referred",
               "referring": "referred", "labeled": "labeled", "labelled": "labelled", "dubbed": "dubbed",
               "termed": "termed", "praised": "praised", "criticized": "criticized", "criticised": "criticised",
               "condemned": "condemned", "branded": "branded", "hailed": "hailed"}
_PARTICIPLE = re.compile(r"\w+ing\b")
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’\-]*|(?:[A-Z]\.){1,3}[A-Z]?)$")


CAPITALISED_FORMS = frozenset({"said", "says", "according to", "asked", "added", "told", "wrote"})


@functools.cache
def verb_forms() -> dict[str, str]:
    """The reporting verbs (``helpers/data/reporting_verbs.txt``): each inflected form as written, lower case, and
    its simple past (the ``verb`` column of :func:`helpers.quotes`).

    >>> verbs = verb_forms()
    >>> verbs["says"], verbs["noting"], verbs["pointed out"]
    ('said', 'noted', 'pointed out')
    """
    verbs = {}
    for line in read_word_list(VERBS_FILE):
        form, _, past = line.partition(" = ")
        verbs[form.strip()] = past.strip() or form.strip()
    return verbs


@functools.lru_cache(maxsize=4096)
def simple_past(form: str) -> str:
    """The simple past of a reporting verb as written ("Says" -> "said"); other words lower-cased."""
    low = " ".join(form.lower().split())
    return verb_forms().get(low) or MIXED_VERBS.get(low) or low


def pattern_forms(mixed: bool = False) -> list[str]:
    """The forms :func:`verb_pattern` matches, as written (a space standing for any run of whitespace)."""
    forms = sorted({*verb_forms(), ACCORDING_TO, *(MIXED_VERBS if mixed else ())}, key=len, reverse=True)
    # capitalised only at a sentence's start, where "States" or "Reports" would be a noun more often than a verb
    return [variant for form in forms for variant in
            ((form, form[:1].upper() + form[1:]) if form in CAPITALISED_FORMS else (form,))]


@functools.cache
def verb_pattern(mixed: bool = False) -> re.Pattern:
    """One regular expression for every reporting verb and *according to* (longest forms first); with ``mixed``,
    also the verbs that frame a quoted fragment ("described it as “…”", "called him “…”")."""
    forms = pattern_forms(mixed)
    # a verb glued to the name after it ("saidCongressman Joe Morelle", a fault of some pages) still counts
    return re.compile(r"(?<![\w'’\-])" + trie(forms) + r"(?![^\W\d_A-Z]|[\d_'’\-])")


@functools.cache
def speaker_nouns() -> frozenset[str]:
    """Common nouns that can head a speaker phrase: the list, person titles and organisation heads."""
    return frozenset(read_word_list(SPEAKER_NOUNS_FILE)) | PERSON_TITLES | ORG_HEADS


class Span(NamedTuple):
    start: int
    end: int


class SpanSet:
    """Whether an offset lies in any of many (start, end) spans, by one bisection over their union instead of a
    look at each span.

    >>> SpanSet([(5, 9), (0, 2), (8, 12)]).holds(10), SpanSet([(0, 2)]).holds(2)
    (True, False)
    """

    def __init__(self, spans):
        self.starts, self.ends = [], []
        for start, end in sorted(span for span in spans if span[1] > span[0]):
            if self.ends and start <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], end)
            else:
                self.starts.append(start)
                self.ends.append(end)

    def holds(self, position: int) -> bool:
        at = bisect.bisect_right(self.starts, position) - 1
        return at >= 0 and position < self.ends[at]


class Attribution(NamedTuple):
    """A speaker and a verb, as offsets into the text (``speaker`` is ``None`` only for a missing speaker)."""
    speaker: Span
    verb: Span


_WORDS_KEPT = 1 << 16  # a word's answers kept: a corpus asks about the same few thousand words again and again


@functools.lru_cache(maxsize=_WORDS_KEPT)
def is_name(word: str) -> bool:
    """A capitalised word, an initial or an acronym ("Smith", "J.", "U.S.", "NASA"), not a capitalised pronoun or
    determiner ("He", "My", "The")."""
    return bool(_NAME_WORD.match(word)) and word.lower() not in PRONOUNS and word.lower() not in DETERMINERS


@functools.lru_cache(maxsize=_WORDS_KEPT)
def _head_ok(word: str) -> bool:
    low = word.lower().rstrip(".")
    if low in PRONOUNS:
        return True
    if is_name(word):
        return True
    singular = low[:-1] if low.endswith("s") and not low.endswith("ss") else low
    return low in speaker_nouns() or singular in speaker_nouns()


@functools.lru_cache(maxsize=_WORDS_KEPT)
def _is_phrase_word(word: str) -> bool:
    """A word that may sit inside a speaker phrase."""
    if not word[:1].isalnum() and word not in ("'s", "’s", "&", "-"):
        return False
    if len(word) <= 7 and _CONTRACTED.match(word):
        return False  # a pronoun and its verb end the phrase: "I've heard Mrs. Gore say" -> Mrs. Gore
    return word.lower() not in BREAKS or word[:1].isupper()


def _sentence_subject(text: str, limit: int, end: int) -> Span | None:
    """The subject phrase of the clause running from ``limit``: the first phrase at its start or after one of its
    commas that is not an adverbial ("On Monday, Senator Budd reacted …, saying" -> Senator Budd)."""
    tokens = words(text, max(limit, end - 400), end)
    starts = [0] + [k + 1 for k, t in enumerate(tokens) if t[0] == ","]
    for k in starts:
        first = tokens[k][0].lower() if k < len(tokens) else ""
        if not first or first in BREAKS or not first[:1].isalpha() or first.endswith("ing"):
            continue  # an adverbial ("On Monday,", "Standing in the chapel,")
        found = speaker_after(text, tokens[k][1], end)
        if found is not None:
            return found
    return None


def speaker_before(text: str, verb_start: int, limit: int) -> Span | None:
    """The speaker phrase ending just before the verb at ``verb_start`` (not before ``limit``): "Thompson said",
    "the ministry also said", "Smith, a spokesman for the agency, said"; ``None`` when there is none.

    >>> t = "The storm, officials said, was severe."
    >>> s = speaker_before(t, t.index("said"), 0); t[s.start:s.end]
    'officials'
    """
    tokens = words(text, max(limit, verb_start - 140), verb_start)  # a speaker phrase is short
    i = len(tokens) - 1
    while i >= 0 and tokens[i][0].lower() in BETWEEN:
        i -= 1
    contracted = _CONTRACTED.match(tokens[i][0]) if i >= 0 and len(tokens[i][0]) <= 7 else None
    if contracted is not None:
        pronoun, verb = contracted[1].lower(), contracted[2][1:].lower()
        if (verb in ("re", "m") or (verb == "s" and pronoun in ("it", "that", "what", "there"))) and \
                not _PARTICIPLE.match(text, verb_start, verb_start + 14):
            return None  # "It's called", "we're told": a passive
        return Span(tokens[i][1], tokens[i][1] + len(contracted[1])) if pronoun in PRONOUNS else None
    if i >= 0 and tokens[i][0].lower() == "who":  # "Alex Greenwich, who said": the phrase before "who"
        i -= 1
        if i >= 0 and tokens[i][0] == ",":
            i -= 1
        return _phrase_back(tokens, i)
    participle = _PARTICIPLE.match(text, verb_start, verb_start + 14) is not None
    if participle and i >= 0 and tokens[i][0] != ",":  # "with officials saying …"
        direct = _phrase_back(tokens, i)
        if direct is not None:
            return direct
    if i >= 0 and (tokens[i][0].lower() in ("and", "but") or participle):
        # "He approached a director and said", "Budd reacted, saying": the clause's subject speaks
        return _sentence_subject(text, limit, tokens[i][1] if tokens[i][0].lower() in ("and", "but") else verb_start)
    if i >= 0 and tokens[i][0] == ")":  # "Nikki Holland of the National Crime Agency (NCA) said"
        while i >= 0 and tokens[i][0] != "(":
            i -= 1
        i -= 1
    # an appositive between commas: "Smith, a spokesman for the agency, said"
    if i >= 0 and tokens[i][0] == ",":
        commas = [k for k in range(i - 1, max(-1, i - 16), -1) if tokens[k][0] == ","]
        if commas and commas[0] > 0 and not any(t[0] in '“”"«»;:' for t in tokens[commas[0]:i]):
            head = _phrase_back(tokens, commas[0] - 1)
            apposed = _phrase_back(tokens, i - 1)
            if head is not None and apposed is not None and apposed.start == tokens[commas[0] + 1][1] and \
                    is_name(tokens[i - 1][0]):
                return Span(head.start, apposed.end)  # "The mayor of Paris, Anne Hidalgo, wrote"
            if head is not None:
                return head
        return None
    return _phrase_back(tokens, i)


def _phrase_back(tokens, i: int) -> Span | None:
    """The phrase of phrase words ending at token ``i``, read leftwards."""
    if i < 0 or not _is_phrase_word(tokens[i][0]) or not _head_ok(tokens[i][0]):
        return None
    first = i
    while first - 1 >= 0 and i - first + 1 < MAX_SPEAKER_WORDS and _is_phrase_word(tokens[first - 1][0]):
        first -= 1
    if tokens[i][0].lower() in PRONOUNS:
        first = i  # "he", not "Monday he"
    while first <= i and tokens[first][0].lower() in FUNCTION_WORDS:
        first += 1  # "As the Bible says": the Bible; "When warned": nobody
    if first > i:
        return None
    # a phrase starting with a lowercase word that is neither a determiner nor a speaker noun is a clause's end
    while first < i and tokens[first][0][:1].islower() and tokens[first][0].lower() not in (
            "the", "a", "an", "its", "his", "her", "their", "our", "one", "two", "three", "several", "many", "some",
            "other", "senior", "local", "state", "federal", "former", "top") and not _head_ok(tokens[first][0]):
        first += 1
    return Span(tokens[first][1], tokens[i][2])


def speaker_after(text: str, start: int, limit: int) -> Span | None:
    """The speaker phrase starting at ``start`` (after a verb): "said Congressman Bennie Thompson", "said the
    minister in a statement" (up to "in"); ``None`` when there is none.

    >>> t = '"We will win," said Rep. Jane Doe, who chairs it.'
    >>> s = speaker_after(t, t.index("said") + 4, len(t)); t[s.start:s.end]
    'Rep. Jane Doe'
    """
    tokens = words(text, start, min(limit, start + 160), first=MAX_SPEAKER_WORDS + 1)  # all it reads
    while tokens and tokens[0][0].lower() in ("and", "but", "or", "nor"):
        tokens = tokens[1:]  # "And we will …, while insisting": we
    if tokens and tokens[0][0].lower() in FUNCTION_WORDS:
        return None
    contracted = _CONTRACTED.match(tokens[0][0]) if tokens and len(tokens[0][0]) <= 7 else None
    if contracted is not None:  # "I'm asking": I
        return Span(tokens[0][1], tokens[0][1] + len(contracted[1])) if contracted[1].lower() in PRONOUNS else None
    last = None
    for k, (word, _, _) in enumerate(tokens[:MAX_SPEAKER_WORDS]):
        if not _is_phrase_word(word):
            break
        if word.lower() in PRONOUNS:
            last = k if k == 0 else last
            break
        if word[:1].islower() and word.lower() not in ("of", "for", "and", "the", "a", "an", "de", "al", "bin",
                                                        "van", "von", "'s", "’s") and not _head_ok(word) \
                and not (k + 1 < len(tokens) and _is_phrase_word(tokens[k + 1][0])):
            break
        last = k
    while last is not None and last >= 0 and not _head_ok(tokens[last][0]):
        last -= 1
    if last is None or last < 0 or (last + 1 < len(tokens) and tokens[last + 1][0] in OBJECT_PRONOUNS):
        return None
    end = tokens[last][2] - 2 * (text[tokens[last][2] - 2:tokens[last][2]] in ("'s", "’s"))  # "X's reading": X
    return Span(tokens[0][1], end)


def object_gap(text: str, start: int, end: int, verb: str) -> bool:
    """Whether ``text[start:end]`` (between a verb and a quotation mark) is only an object or an adverbial, closed by
    a colon or comma or short: "told reporters:", "said in a statement,", "said on Monday". A gap holding more
    ("said the plan was", "asked people to") makes the quotation part of the sentence (a mixed quotation)."""
    gap = words(text, start, end)
    punctuated = bool(gap) and gap[-1][0] in (",", ":")
    if punctuated:
        gap = gap[:-1]
    if not gap:
        return True
    if any(w in ("that", ",", ";", ".") for w, _, _ in gap) or len(gap) > (MAX_OBJECT_WORDS if punctuated else 3):
        return False
    if not punctuated and gap[-1][0].lower() in _COMPLEMENT_WORDS:
        return False
    first = gap[0][0].lower()
    return first in _ADVERBIAL_STARTS or verb.lower() in OBJECT_VERBS or punctuated


# words that end a gap whose quotation completes the sentence ("asked people to “…”", "described it as “…”")
_COMPLEMENT_WORDS = frozenset("to that as of for is was are were be been the a an its his her their our and or by "
                              "with at in on from about".split())
_ADVERBIAL_STARTS = frozenset({"in", "on", "at", "during", "after", "before", "to", "via", "yesterday", "today",
                               "last", "this", "earlier", "later", "recently", "previously", "then", "also", "once",
                               "again", "through", "from", "while", "when", "monday", "tuesday", "wednesday",
                               "thursday", "friday", "saturday", "sunday"})
