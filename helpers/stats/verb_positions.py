"""Where reporting verbs may start, found for many texts at once: the few word starts whose first letters begin a
reporting verb, so that the verb pattern is tried there only instead of at every character of every text.

``re`` tries :func:`helpers.stats.reporting_verbs.verb_pattern` at each position of a text, and that scan was the
largest single cost of :func:`helpers.quotes`. Here numpy marks, over the code points of a batch of texts, the
positions after a non-word character whose next three or four characters begin a verb form; a
:class:`VerbFinder` then matches the pattern at those positions alone. The positions are a superset of where the
pattern can match (a form's first letters are exact, any whitespace or non-ASCII character counts as a space), so
the matches are the ones ``finditer`` gives, less the forms that are nouns there (:func:`reads_as_report`).
"""

from __future__ import annotations

import bisect
import functools
import re

import numpy as np

from helpers.stats.reporting_verbs import PRONOUNS, pattern_forms, verb_pattern

_BATCH_CHARS = 4_000_000  # code points held at once (4 bytes each, a few arrays of them)
_PREFIX = 4


@functools.cache
def _prefix_keys() -> dict[int, np.ndarray]:
    """Sorted integer keys of the forms' first letters, by length: four, or fewer for a shorter form or one with a
    space among them ("say"; "go on" to its space, which any whitespace matches: an ASCII one, read as a space, or
    another, read as "?")."""
    keys: dict[int, set[int]] = {}
    for form in {*pattern_forms(False), *pattern_forms(True)}:
        prefix = form[:_PREFIX]
        if " " in prefix:
            prefix = prefix[:prefix.index(" ") + 1]
        for variant in {prefix, prefix.replace(" ", "?")}:
            keys.setdefault(len(variant), set()).add(_key(variant.encode("ascii")))
    return {length: np.array(sorted(found), dtype=np.int64) for length, found in keys.items()}


def _key(codes) -> int:
    value = 0
    for code in codes:
        value = (value << 7) | code
    return value


@functools.cache
def _tables() -> tuple[np.ndarray, bytes, bytes, np.ndarray]:
    """For each ASCII byte: the character a key holds (ASCII whitespace as a space); as ``bytes.translate`` tables,
    whether a verb form starts with it and whether it forbids a verb right after it (``(?<![\\w'’\\-])``: a word
    character, an apostrophe, a hyphen); and which pairs of characters begin a form (``first << 7 | second``)."""
    normal = np.array([32 if re.match(r"\s", chr(c)) else c for c in range(128)], dtype=np.int64)
    forms = {*pattern_forms(False), *pattern_forms(True)}
    first = bytes(int(any(f[0] == chr(c) for f in forms)) for c in range(256))
    joining = bytes(int(c < 128 and re.match(r"[\w'\-]", chr(c)) is not None) for c in range(256))
    pairs = np.zeros(128 * 128, dtype=bool)
    for length, keys in _prefix_keys().items():
        pairs[keys >> (7 * (length - 2))] = True
    return normal, first, joining, pairs


def verb_starts(texts: list[str]) -> list[list[int]]:
    """For each text, the offsets where a reporting verb may start (in order).

    >>> t = "He said so, saying that. Essay."
    >>> [t[i:i + 6] for i in verb_starts([t])[0]]
    ['said s', 'saying']
    """
    found: list[list[int]] = []
    batch: list[str] = []
    size = 0
    for text in texts:
        batch.append(text)
        size += len(text) + 1
        if size >= _BATCH_CHARS:
            found.extend(_batch_starts(batch))
            batch, size = [], 0
    if batch:
        found.extend(_batch_starts(batch))
    return found


def _batch_starts(texts: list[str]) -> list[list[int]]:
    # one byte per character: any character beyond ASCII becomes "?" (no form holds one; the pattern decides)
    joined = ("\n".join(texts) + " " * _PREFIX).encode("ascii", "replace")
    codes = np.frombuffer(joined, dtype=np.uint8)
    normal, first, joining, pairs = _tables()
    n = len(codes) - _PREFIX
    may_start = np.frombuffer(joined.translate(first), dtype=bool)[:n].copy()
    may_start[1:] &= ~np.frombuffer(joined.translate(joining), dtype=bool)[:n - 1]  # at 0, the text starts
    positions = np.flatnonzero(may_start)
    positions = positions[pairs[(codes[positions].astype(np.int64) << 7) | normal[codes[positions + 1]]]]
    keys, value = {}, np.zeros(len(positions), dtype=np.int64)
    for offset in range(_PREFIX):
        value = (value << 7) | normal[codes[positions + offset]]
        keys[offset + 1] = value
    chosen = np.zeros(len(positions), dtype=bool)
    for length, wanted in _prefix_keys().items():
        at = np.minimum(np.searchsorted(wanted, keys[length]), len(wanted) - 1)
        chosen |= wanted[at] == keys[length]
    positions = positions[chosen]
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    offsets = np.r_[0, np.cumsum(lengths)[:-1]]
    edges = np.searchsorted(positions, np.r_[offsets, offsets[-1] + lengths[-1]])
    return [(positions[a:b] - start).tolist() for a, b, start in zip(edges[:-1], edges[1:], offsets)]


# A reporting verb's form that is a noun: after a determiner or a possessive ("its estimates", "a warning"), or an
# -s form followed by a plural verb ("Reasoned estimates have been", "Police states are called"; not after a
# pronoun: "the people he says are").
_NOUN_AFTER = frozenset("the a an this these those its his their our my your whose every each".split())
_PLURAL_VERB = re.compile(r"\s+(?:are|were|have)\b")


def reads_as_report(text: str, start: int, end: int) -> bool:
    """Whether the reporting verb's form at ``text[start:end]`` is a verb, not a noun.

    >>> t = "Reasoned estimates have been presented; its claims were denied, he said."
    >>> [reads_as_report(t, t.index(w), t.index(w) + len(w)) for w in ("estimates", "claims", "said")]
    [False, False, True]
    """
    # the 8 characters before hold a whole determiner and its space (a longer word cut at the left is no determiner)
    before = text[max(0, start - 8):start].split()
    previous = before[-1].lower() if before else ""
    if previous in _NOUN_AFTER:
        return False
    return not (text[end - 1] == "s" and previous not in PRONOUNS and _PLURAL_VERB.match(text, end))


class VerbFinder:
    """The reporting verbs of one text between two offsets, as ``verb_pattern(mixed).finditer`` gives them: tried
    at the given ``starts`` only (from :func:`verb_starts`), or at every position when there are none."""

    def __init__(self, text: str, starts: list[int] | None = None):
        self.text, self.starts = text, starts
        self._start_set = None if starts is None else set(starts)

    def match_at(self, position: int) -> re.Match | None:
        """``verb_pattern().match(text, position)``, not tried where no verb can start."""
        if self._start_set is not None and position not in self._start_set:
            return None
        match = verb_pattern().match(self.text, position)
        return match if match is None or reads_as_report(self.text, position, match.end()) else None

    def may_start(self, start: int, end: int) -> bool:
        """Whether a verb may start between ``start`` and ``end`` (no verb can where :func:`verb_starts` found none)."""
        if self.starts is None:
            return True
        at = bisect.bisect_left(self.starts, start)
        return at < len(self.starts) and self.starts[at] < end

    def matches(self, start: int, end: int, *, mixed: bool = False) -> list[re.Match]:
        pattern = verb_pattern(mixed)
        if self.starts is None:
            text = self.text
            return [m for m in pattern.finditer(text, start, end) if reads_as_report(text, m.start(), m.end())]
        found, after, text, starts = [], start, self.text, self.starts
        for position in starts[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]:
            if position >= after:
                match = pattern.match(text, position, end)
                if match is not None:
                    after = match.end()
                    if reads_as_report(text, position, after):
                        found.append(match)
        return found
