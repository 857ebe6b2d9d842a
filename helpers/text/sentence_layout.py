"""The kit's layout rules for sentences, on top of Punkt's decisions: a blank line (a paragraph's end) and the end of
a heading's line end a sentence, with or without an end mark.
"""

from __future__ import annotations

import re

import numpy as np

from helpers.text.characters import SPACE, character_flags

# Both patterns open with a newline, which the engine looks for first (texts are joined by newlines; the first text's
# first line is matched apart).
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
# A heading's line: 2-15 words, each capitalised (or ALL CAPS, or a figure) but for short function words, the last
# without punctuation, and the next line opening with a capital, a figure or a quote ("Libya And US Sign Pact").
_HEADING_LINE = (r"[^\S\n]*(?:(?:[A-Z0-9\"'‘“(]\S*|a|an|and|as|at|by|for|from|in|into|of|on|or|over|the|to|with)"
                 r"[^\S\n]+){1,14}[A-Z0-9]\S*(?<![.,;:!?\-])(?=[^\S\n]*\n\s*[A-Z0-9\"'‘“(])")
_HEADING_AFTER_NEWLINE = re.compile(r"\n" + _HEADING_LINE)
_HEADING_FIRST = re.compile(_HEADING_LINE)
_WHITESPACE = re.compile(r"\s*")


def _before_spaces(text: str, position: int) -> int:
    """Where the whitespace that ends at ``position`` starts."""
    while position > 0 and text[position - 1].isspace():
        position -= 1
    return position


def _paragraph_gaps(corpus: str, codepoints: np.ndarray, flags: np.ndarray,
                    newlines: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Where :data:`_PARAGRAPH_BREAK` matches in ``corpus``, as start and end arrays, found from the newlines: a
    match starts at the first of two newlines with only whitespace between (a chain of them is one match) and runs
    to the end of the whitespace. ``newlines``: where the newlines are, when known."""
    newlines = np.flatnonzero(codepoints == 10) if newlines is None else newlines
    if len(newlines) < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    between = np.diff(newlines) - 1
    blank = between == 0
    # A line between two newlines that opens with whitespace may be blank: those few are read in the text.
    maybe = np.flatnonzero((between > 0) & (flags[newlines[:-1] + 1] & SPACE).astype(bool))
    blank[maybe] = [corpus[a + 1:b].isspace() for a, b in zip(newlines[maybe].tolist(), newlines[maybe + 1].tolist())]
    opens = blank & ~np.concatenate([[False], blank[:-1]])
    closes = blank & ~np.concatenate([blank[1:], [False]])
    starts = newlines[:-1][opens]
    ends = newlines[1:][closes] + 1
    inside = ends < len(corpus)
    more = np.flatnonzero(~inside | (flags[np.minimum(ends, len(corpus) - 1)] & SPACE).astype(bool))
    ends[more] = [_WHITESPACE.match(corpus, end).end() for end in ends[more].tolist()]
    return starts, ends


_NO_HEADING_END = np.array([ord(c) for c in ".,;:!?-"])


def _heading_ends(corpus: str, codepoints: np.ndarray, newlines: np.ndarray | None = None) -> list[int]:
    """Where a heading's line ends: the matches of the heading pattern, tried only on the lines that can hold one
    (a match stays within its line, and a line whose last character is punctuation ends in no heading)."""
    first = _HEADING_FIRST.match(corpus)
    newlines = np.flatnonzero(codepoints == 10) if newlines is None else newlines
    if not len(newlines):
        return [first.end()] if first else []
    line_last = codepoints[np.append(newlines[1:], len(codepoints)) - 1]
    tried = newlines[~np.isin(line_last, _NO_HEADING_END) & (np.append(newlines[1:], len(codepoints)) - 1 > newlines)]
    match = _HEADING_AFTER_NEWLINE.match
    return ([first.end()] if first else []) + [m.end() for m in map(match, [corpus] * len(tried), tried.tolist()) if m]


def layout_breaks(corpus: str, bounds: np.ndarray, per_text: np.ndarray, codepoints: np.ndarray | None = None,
                  flags: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    r"""Sentence spans (``bounds``, ``per_text`` as :meth:`SentenceModel.corpus_spans` returns them) cut where a
    blank line stands inside them, or a heading's line ends: a paragraph ends its sentence even without an end mark
    (a list item ending in ";", a heading) and whatever Punkt made of the word before it. ``codepoints`` and
    ``flags`` are :func:`helpers.text.characters.character_flags` of ``corpus`` (computed when not given).

    >>> corpus = "Budget Talks Resume\nThe House met; and\n\nthen it voted.\n"
    >>> bounds, per_text = layout_breaks(corpus, np.array([[0, len(corpus) - 1]]), np.array([1]))
    >>> [corpus[s:e] for s, e in bounds.tolist()], per_text.tolist()
    (['Budget Talks Resume', 'The House met; and', 'then it voted.'], [3])
    """
    if codepoints is None or flags is None:
        codepoints, flags = character_flags(corpus)
    newlines = np.flatnonzero(codepoints == 10)  # found once for both
    paragraph_starts, paragraph_ends = _paragraph_gaps(corpus, codepoints, flags, newlines)
    heading_ends = _heading_ends(corpus, codepoints, newlines)
    left = np.concatenate([paragraph_starts, np.array(heading_ends, dtype=np.int64)])
    right = np.concatenate([paragraph_ends, np.array([_WHITESPACE.match(corpus, end).end() for end in heading_ends],
                                                     dtype=np.int64)])
    order = np.lexsort((right, left))
    left, right = left[order], right[order]
    one_cut_each = np.ones(len(left), dtype=bool)
    one_cut_each[1:] = left[1:] >= right[:-1]
    left, right = left[one_cut_each], right[one_cut_each]
    if not len(left) or not len(bounds):
        return bounds, per_text
    owner = np.searchsorted(bounds[:, 0], left, side="right") - 1
    inside = (owner >= 0) & (bounds[np.maximum(owner, 0), 0] < left) & (right < bounds[np.maximum(owner, 0), 1])
    if not inside.any():
        return bounds, per_text
    cut_ends = np.array([_before_spaces(corpus, k) for k in left[inside].tolist()], dtype=np.int64)
    starts = np.sort(np.concatenate([bounds[:, 0], right[inside]]))
    ends = np.sort(np.concatenate([bounds[:, 1], cut_ends]))
    text_of_span = np.repeat(np.arange(len(per_text)), per_text)
    per_text = per_text + np.bincount(text_of_span[owner[inside]], minlength=len(per_text))
    return np.column_stack([starts, ends]), per_text
