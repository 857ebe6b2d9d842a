"""The word pass of attribution: the words and punctuation marks around a reporting verb, with their offsets.

A word here is a run of letters and digits joined by apostrophes, hyphens or underscores ("don't", "COVID-19"), a
title's abbreviation with its point ("Rep.", "Lt.Gov."), an initial with its point ("J.") or one punctuation mark.
:func:`words` lists them for a stretch of text; :func:`iter_words` reads them one by one, for a rule that stops at
the first word it needs (most read two or three of the fourteen they may look at).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator

from helpers.text.sentences import news_titles

# letters/digits joined by ' ’ - _ (what r"[^\W_](?:[\w'’\-]*[^\W_])?" matches, possessive: a tenth faster), or a mark
WORD = re.compile(r"[^\W_]++(?:[_'’\-]++[^\W_]++)*+|[^\w\s]")


def trie(forms) -> str:
    """One regular expression matching any of ``forms``, branching letter by letter (a flat alternation of 270
    forms is tried form by form at every word: the trie is four times faster).

    >>> bool(re.fullmatch(trie(["said", "says", "pointed out"]), "pointed   out"))
    True
    """
    tree: dict = {}
    for form in forms:
        node = tree
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [(r"\s+" if char == " " else re.escape(char)) + pattern(child)
                    for char, child in sorted(node.items(), key=lambda item: item[0] == "") if char]
        if "" in node:
            branches.append("")
        if not branches:
            return ""
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return pattern(tree)


@functools.cache
def title_abbreviations() -> frozenset[str]:
    """The titles whose abbreviation point stays with the word ("rep", "sen", "dr", …), lower case."""
    return frozenset(news_titles()) | frozenset({"rep", "sen", "gov", "pres", "amb", "supt", "det", "sec"})


def words(text: str, start: int, end: int, *, first: int | None = None) -> list[tuple[str, int, int]]:
    """The words and punctuation marks of ``text[start:end]`` with their offsets (only the ``first`` ones when
    given); a title's abbreviation point stays with it ("Rep." is one word).

    >>> [w for w, _, _ in words("said Rep. Smith, who", 0, 20)]
    ['said', 'Rep.', 'Smith', ',', 'who']
    >>> [w for w, _, _ in words("said Rep. Smith, who", 0, 20, first=2)]
    ['said', 'Rep.']
    """
    return list(iter_words(text, start, end, first=first))


def iter_words(text: str, start: int, end: int, *, first: int | None = None) -> Iterator[tuple[str, int, int]]:
    """:func:`words` one at a time: a word is found only when it is asked for.

    >>> t = "“Go,” said Rep. Doe."
    >>> next(iter_words(t, 5, len(t)))
    ('said', 6, 10)
    """
    found = word_pattern().finditer(text, start, end)
    return ((m[0], m.start(), m.end()) for m in (found if first is None else itertools.islice(found, first)))


@functools.cache
def word_pattern() -> re.Pattern:
    """A word (a title's abbreviation with its point, an initial with its point) or a punctuation mark."""
    # a trie, not a flat alternation: the titles are tried at every word's start
    forms = sorted({t.lower() for t in title_abbreviations()})
    # no token starts with a space: the look-ahead skips spaces before the alternatives are tried; a title is
    # tried only before a point (the look-ahead for its letters and a point fails at most words at once)
    letters = max(len(form.split(".")[0]) for form in forms)
    return re.compile(r"(?=[^\s_])(?:(?<![\w.])(?=(?i:[a-z]{1,%d})\.)(?i:" % letters + trie(forms) +
                      r")\.|\b[A-Z]\.(?![\w])|" + WORD.pattern + ")")
