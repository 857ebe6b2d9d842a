"""Treebank-style word tokens in one regular-expression pass, with character offsets.

``nltk.word_tokenize`` splits sentences with Punkt and then runs ``NLTKWordTokenizer``: about twenty
substitutions per sentence that insert spaces, a ``split()``, and a search to recover offsets. The rules only ever
insert spaces, so they can be stated as one pattern that matches the tokens directly (:data:`WORD_PATTERN`):

- always a token of their own: ``« “ ‘ „ » ” ’ ; @ # $ % & ? ! * ( ) [ ] { } < > "``, figure/en/em dashes and
  horizontal bars, runs of backticks, ``''``, ``--`` and runs of two or more periods;
- ``,`` and ``:`` unless a digit follows (``3,000``, ``10:30`` stay whole);
- clitics split from the end of a word: ``'s 'S 'm 'M 'd 'D 'll 'LL 're 'RE 've 'VE n't N'T`` and a final ``'``
  (``Libya's`` -> ``Libya 's``, ``don't`` -> ``do n't``);
- the typographic apostrophe ``’`` is read as ``'`` is (``Libya’s`` -> ``Libya ’s``, ``don’t`` -> ``do n’t``,
  ``O’Rourke`` stays whole). Here the kit departs from NLTK, whose rules know only the straight apostrophe and
  make every ``’`` a token of its own (``Libya ’ s``), which leaves a bare ``s`` to be counted as a word;
- an opening ``'`` or ``’`` before a word (``'Hello``), ``cannot gimme gonna gotta lemme wanna d'ye more'n``;
- periods stay inside words (``U.S.``, ``3.5``, ``Mr.``) except the last period of a sentence, which
  :func:`split_words` splits off once sentences are known (``etc.`` at the end of a sentence -> ``etc .``);
- hyphens and slashes stay inside words (``Al-Mabrouk``, ``cross-border``, ``and/or``).

With ``web=True`` URLs, e-mail addresses, @handles and #hashtags are kept whole, where NLTK splits them
(``https : //example.org``, ``info @ example.org``, ``@ handle``, ``# tag``); the default follows NLTK.
"""

from __future__ import annotations

import functools
import re

import numpy as np

from helpers.text.characters import CLOSERS, SPACE, character_flags

# A private-use character stands in for a sentence's final period while the pattern runs (same length, so
# offsets hold); it is always a token of its own, as NLTK makes that period.
FINAL_PERIOD = "\ue000"
_ALWAYS = "«“‘„»”;@#$%&?!*\\[\\](){}<>\"\u2012-\u2015\ue000"
_PLAIN = f"[^\\s{_ALWAYS}`,:.'’\\-]"
# An apostrophe stays inside a word unless it opens a quote after a non-word character ("Mr.'Hello").
_INNER_APOSTROPHE = r"(?:(?<=\w)['’]|['’](?!\w)|['’](?=(?i:re|ve|ll|m|t|s|d|n)\b))(?!['’])"
_WORD_CHAR = f"(?:{_PLAIN}|[,:](?=\\d)|\\.(?!\\.)|-(?!-)|{_INNER_APOSTROPHE})"
_CLITIC = r"(?:['’][sSmMdD]|['’]ll|['’]LL|['’]re|['’]RE|['’]ve|['’]VE|n['’]t|N['’]T|['’])"
_SPECIAL = (
    r"`+|''|--|\.{2,}"
    f"|[{_ALWAYS}]"
    r"|[,:](?!\d)"
    r"|(?<!\w)['’](?=\w)(?!(?i:re|ve|ll|m|t|s|d|n)\b)"
)
_CONTRACTION = (
    r"\b(?i:can(?=not\b)|gim(?=me\b)|gon(?=na\b)|got(?=ta\b)|lem(?=me\b)|wan(?=na\s)|d(?='ye\b)|more(?='n\b))"
)
# Texts without these skip the contraction alternatives (a cheap search saves a test at every token).
# NLTK's 'tis/'twas rule never fires: its opening-quote rule has already split the apostrophe off.
_CONTRACTION_HINTS = ("cannot", "gimme", "gonna", "gotta", "lemme", "wanna", "d'ye", "more'n")


def _may_have_contraction(text: str) -> bool:
    lowered = text.lower()
    return any(hint in lowered for hint in _CONTRACTION_HINTS)
_PLAIN_WORD = f"(?:{_PLAIN}++|[,:](?=\\d)|\\.(?!\\.)|-(?!-))++(?!{_WORD_CHAR})"
# Most tokens are words without an apostrophe: the possessive fast path takes them in one step; the lazy
# alternative after it finds where a clitic starts.
WORD_PATTERN = (
    f"{_PLAIN_WORD}"
    f"|{_SPECIAL}"
    f"|{_CLITIC}(?!{_WORD_CHAR})"
    f"|{_WORD_CHAR}+?(?=(?<!['’]){_CLITIC}(?!{_WORD_CHAR})|(?!{_WORD_CHAR}))"
    r"|\S"
)
_WEB = (
    r"(?:https?://|www\.)[^\s<>\"«»“”‘’()\[\]{}\ue000]*[^\s<>\"«»“”‘’()\[\]{}\ue000.,;:!?']"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w@])@\w+"
    r"|(?<![\w#&])#\w*[^\W\d]\w*"
)
_CLOSERS = frozenset(CLOSERS)


@functools.cache
def word_regex(web: bool = False, contractions: bool = True) -> re.Pattern:
    """The compiled token pattern (see the module docstring); ``web=True`` keeps URLs, e-mails, @handles whole.

    >>> word_regex().findall("Libya's MoU, signed 10:30 (cross-border)... We cannot go")
    ['Libya', "'s", 'MoU', ',', 'signed', '10:30', '(', 'cross-border', ')', '...', 'We', 'can', 'not', 'go']
    """
    pattern = f"{_CONTRACTION}|{WORD_PATTERN}" if contractions else WORD_PATTERN
    if web:
        pattern = f"{_WEB}|{pattern}"
    # Consuming the whitespace inside the match (findall returns the group) spares a failed attempt of every
    # alternative at each space: about 1.5x faster.
    return re.compile(rf"\s*+({pattern})")


def _non_space_positions(text: str) -> np.ndarray:
    """Offsets of the characters that are not whitespace (as the pattern's \\s sees it)."""
    return np.flatnonzero(~(character_flags(text)[1] & SPACE).astype(bool))


def _offsets(tokens: list[str], non_space: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Tokens tile the non-space characters in order, so their offsets follow from their lengths."""
    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    ends_in_non_space = np.cumsum(lengths)
    starts = non_space[ends_in_non_space - lengths]
    ends = non_space[ends_in_non_space - 1] + 1
    return starts, ends


def final_periods(text: str, sentence_spans) -> list[int]:
    """Offsets of the periods NLTK splits off: the last period of a sentence (only closers may follow it).

    >>> final_periods("He met the U.S. envoy. Then left.", [(0, 22), (23, 33)])
    [21, 32]
    """
    periods = []
    for start, end in sentence_spans:
        i = end - 1
        while i >= start and text[i].isspace():
            i -= 1
        while i >= start and text[i] in _CLOSERS:
            if text[i] == '"' and (i == start or text[i - 1] in " ([{<"):
                break  # NLTK has turned this quote into an opening `` by then, which is no closer
            i -= 1
        if i > start and text[i] == "." and text[i - 1] != ".":
            periods.append(i)
    return periods


def split_words(text: str, sentence_spans, *, web: bool = False):
    """Treebank tokens of ``text``: ``(tokens, starts, ends, sentence)`` with numpy offset and sentence arrays.

    ``sentence_spans`` are ``(start, end)`` pairs covering the text (from a sentence model); tokens equal
    ``NLTKWordTokenizer().span_tokenize`` run on each sentence.

    >>> tokens, starts, ends, sentence = split_words("See the U.S. Embassy. It is in D.C.", [(0, 21), (22, 35)])
    >>> tokens
    ['See', 'the', 'U.S.', 'Embassy', '.', 'It', 'is', 'in', 'D.C', '.']
    >>> starts.tolist()[:5], sentence.tolist()
    ([0, 4, 8, 13, 20], [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    """
    tokens, starts, ends, sentence = split_words_marked(text, sentence_spans, web=web)
    tokens = [("." if t == FINAL_PERIOD and text[s] != FINAL_PERIOD else t) for t, s in zip(tokens, starts)]
    return tokens, starts, ends, sentence


def split_words_marked(text: str, sentence_spans, *, web: bool = False):
    """As :func:`split_words`, but a sentence's final period comes back as :data:`FINAL_PERIOD` (callers that
    factorise tokens map that one category to ``"."`` instead of every token)."""
    periods = final_periods(text, sentence_spans)
    if periods and FINAL_PERIOD not in text:
        pieces, previous = [], 0
        for p in periods:
            pieces.append(text[previous:p])
            previous = p + 1
        pieces.append(text[previous:])
        marked = FINAL_PERIOD.join(pieces)
    else:
        marked = text
    pattern = word_regex(web, _may_have_contraction(text))
    tokens = pattern.findall(marked)
    if not tokens:
        empty = np.zeros(0, dtype=np.int64)
        return tokens, empty, empty, empty
    starts, ends = _offsets(tokens, _non_space_positions(text))
    if periods and marked is text:
        tokens, starts, ends = _split_final_periods(text, pattern, tokens, starts, ends, periods)
    sentence_starts = np.fromiter((s for s, _ in sentence_spans), dtype=np.int64)
    sentence = np.searchsorted(sentence_starts, starts, side="right") - 1
    np.maximum(sentence, 0, out=sentence)
    return tokens, starts, ends, sentence


def _split_final_periods(text, pattern, tokens, starts, ends, periods):
    """The slow way, for a text that already holds the marker character: split tokens at the final periods."""
    owners = np.searchsorted(starts, periods, side="right") - 1
    split = [(int(k), p) for k, p in zip(owners, periods) if starts[k] < p and ends[k] == p + 1]
    if not split:
        return tokens, starts, ends
    rebuilt, previous = [], 0
    for k, p in split:
        rebuilt.extend(tokens[previous:k])
        rebuilt.extend(pattern.findall(text, int(starts[k]), p))
        rebuilt.append(".")
        previous = k + 1
    rebuilt.extend(tokens[previous:])
    starts, ends = _offsets(rebuilt, _non_space_positions(text))
    return rebuilt, starts, ends
