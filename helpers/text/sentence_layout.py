"""The kit's layout rules for sentences, on top of Punkt's decisions: a blank line (a paragraph's end) and the end of
a heading's line end a sentence, with or without an end mark.
"""

from __future__ import annotations

import re

import numpy as np

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


def layout_breaks(corpus: str, bounds: np.ndarray, per_text: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""Sentence spans (``bounds``, ``per_text`` as :meth:`SentenceModel.corpus_spans` returns them) cut where a
    blank line stands inside them, or a heading's line ends: a paragraph ends its sentence even without an end mark
    (a list item ending in ";", a heading) and whatever Punkt made of the word before it.

    >>> corpus = "Budget Talks Resume\nThe House met; and\n\nthen it voted.\n"
    >>> bounds, per_text = layout_breaks(corpus, np.array([[0, len(corpus) - 1]]), np.array([1]))
    >>> [corpus[s:e] for s, e in bounds.tolist()], per_text.tolist()
    (['Budget Talks Resume', 'The House met; and', 'then it voted.'], [3])
    """
    gaps = [(match.start(), match.end()) for match in _PARAGRAPH_BREAK.finditer(corpus)]
    first = _HEADING_FIRST.match(corpus)
    heading_ends = ([first.end()] if first else []) + [m.end() for m in _HEADING_AFTER_NEWLINE.finditer(corpus)]
    gaps += [(end, _WHITESPACE.match(corpus, end).end()) for end in heading_ends]
    gaps.sort()
    gaps = [gap for previous, gap in zip([(-1, -1)] + gaps, gaps) if gap[0] >= previous[1]]  # one cut each
    if not gaps or not len(bounds):
        return bounds, per_text
    left, right = np.array(gaps, dtype=np.int64).T
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
