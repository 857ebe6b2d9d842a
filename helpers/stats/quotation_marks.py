"""Quotation marks paired into quotations: straight and typographic marks, quotes that run over paragraphs.

Each double mark (``" “ ” „ « »``) is an opening or a closing mark by its form and, for the straight mark (or a
typographic one set the wrong way round), by its neighbours: after a space or at a line start and before a word
it opens; after a word and before a space or punctuation it closes. Marks pair within a paragraph (a line of the
text). A quotation left open at a paragraph's end continues when the next paragraph starts with an opening mark
(the newspaper convention for a quotation over several paragraphs); left open otherwise, it runs to the end of
its paragraph when it holds three words or more, else it is dropped. Single marks are apostrophes far more often
than quotation marks, so they are used only in an article without a double mark, and only at word edges.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
from typing import NamedTuple

OPENING = "“„«"
CLOSING = "”»"
_OPEN_BEFORE = "([{—–-/:;\u00a0"
_CLOSE_AFTER = ".,;:!?)]}—–-'’…"
_WORD = re.compile(r"\w+")
_START = operator.itemgetter(0)


class Marked(NamedTuple):
    """A quotation found by its marks: ``pieces`` are the (start, end) offsets of its words (inside the marks,
    one per paragraph); ``opened``/``closed`` the offsets of its first opening and just after its last closing
    mark (``closed`` is the paragraph's end for a quotation left open)."""
    pieces: tuple[tuple[int, int], ...]
    opened: int
    closed: int
    paragraph: int


def _direction(text: str, i: int, opening: str, closing: str) -> str:
    """"open", "close" or "either" for the mark at ``i``."""
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + 1] if i + 1 < len(text) else "\n"
    left_open = before.isspace() or before in _OPEN_BEFORE or before in opening
    right_space = after.isspace()
    mark = text[i]
    if mark in opening:
        return "close" if (not left_open and (right_space or after in _CLOSE_AFTER)) else "open"
    if mark in closing:
        return "open" if (left_open and not right_space and after not in _CLOSE_AFTER) else "close"
    if left_open and not right_space:
        return "open"
    if not left_open and (right_space or after in _CLOSE_AFTER or after in closing):
        return "close"
    return "either"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@functools.lru_cache(maxsize=4)
def paragraphs(text: str) -> tuple[tuple[int, int], ...]:
    """The (start, end) offsets of the text's non-blank lines (kept for the last few texts: an article's are asked
    for by each step)."""
    spans, start = [], 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            spans.append((start, end))
        start = end + 1
    return tuple(spans)


DOUBLE_MARKS = '"“”„«»‟'
SINGLE_MARKS = "‘’"


def _positions(text: str, marks: str) -> list[int]:
    """Where any of ``marks`` stands in ``text``, in order (str.find is much faster than a regular expression)."""
    found = []
    for mark in marks:
        at = text.find(mark)
        while at >= 0:
            found.append(at)
            at = text.find(mark, at + 1)
    found.sort()
    return found


def _marks(text: str, single: bool):
    if single:
        return _positions(text, SINGLE_MARKS), "‘", "’"
    return _positions(text, DOUBLE_MARKS), OPENING + "‟", CLOSING


def marked_quotations(text: str, *, single: bool | None = None, carried_into: set | None = None) -> list[Marked]:
    """Every quotation of ``text`` found by its marks, in reading order. ``single``: whether single marks count
    (by default, when the text has no double mark; a part of an article is told its article's answer);
    ``carried_into``: when given, receives the numbers of the paragraphs a quotation (or a mark left open) runs
    into from the paragraph before.

    >>> t = 'He said: "It works." Then "it\\n\\n"goes on," she said.'
    >>> [[t[a:b] for a, b in q.pieces] for q in marked_quotations(t)]
    [['It works.'], ['it', 'goes on,']]
    """
    positions, opening, closing = _marks(text, False) if not single else ([], "", "")
    if single is None:
        single = not positions  # single marks count only in a text without double ones
    elif not single and not positions:
        return []
    if single:
        positions, opening, closing = _marks(text, True)
    if not positions:
        return []
    paras = paragraphs(text)
    found: list[Marked] = []
    carried: list[tuple[int, int]] = []  # pieces of a quotation running on from earlier paragraphs
    carried_open = carried_para = None
    running_on = False  # the quotation continues into this paragraph without a reopening mark
    k, number = 0, -1
    while number + 1 < len(paras):
        number += 1
        p_start, p_end = paras[number]
        if not running_on and (k == len(positions) or positions[k] >= p_end):
            # no mark here and no quotation running on: nothing open, nothing carried; on to the next mark's
            # paragraph (most paragraphs hold no mark)
            if carried_into is not None and carried:
                carried_into.add(number)
            carried, carried_open, carried_para = [], None, None
            if k == len(positions):
                break
            number = bisect.bisect_right(paras, positions[k], lo=number + 1, key=_START) - 2
            continue
        if carried_into is not None and (running_on or carried):
            carried_into.add(number)
        stack = [p_start - 1] if running_on else []  # open marks; more than one: a quotation inside another
        running_on = False
        while k < len(positions) and positions[k] < p_start:
            k += 1
        here = []
        while k < len(positions) and positions[k] < p_end:
            here.append(positions[k])
            k += 1
        if single:
            here = [i for i in here if _single_mark(text, i)]
        for i in here:
            direction = _direction(text, i, opening, closing)
            if not stack:
                if direction != "close":
                    stack.append(i)
                continue
            top = stack[-1]
            if direction == "open" and (text[i] in OPENING and (top < p_start or text[top] in OPENING)):
                stack.append(i)  # typographic marks nest: “… “…” …”
                continue
            if direction == "open" and top >= p_start and text[i] != text[top]:
                stack = [i]  # the earlier mark was never closed
                carried, carried_open = [], None
                continue
            stack.pop()
            if stack:  # an inner quotation
                found.append(Marked((_trimmed(text, top + 1, i),), top, i + 1, number))
                continue
            pieces = [*carried, _trimmed(text, top + 1, i)]
            found.append(Marked(tuple(pieces), carried_open if carried_open is not None else top, i + 1,
                                carried_para if carried_para is not None else number))
            carried, carried_open, carried_para = [], None, None
        if not stack:
            carried, carried_open, carried_para = [], None, None
            continue
        open_at = stack[0]  # an unclosed inner mark is taken for a stray one
        piece = _trimmed(text, open_at + 1, p_end)
        following = paras[number + 1][0] if number + 1 < len(paras) else None
        starts_quoted = following is not None and text[following:following + 1] in ('"', *opening)
        # the next mark closes: a release that reopens no paragraph of a long statement
        closes_later = following is not None and k < len(positions) and \
            _direction(text, positions[k], opening, closing) == "close"
        if starts_quoted or closes_later:
            carried.append(piece)
            if carried_open is None:
                carried_open, carried_para = open_at, number
            running_on = closes_later and not starts_quoted
            continue
        pieces = [*carried, piece]
        if sum(len(_WORD.findall(text[a:b])) for a, b in pieces) >= 3:
            found.append(Marked(tuple(pieces), carried_open if carried_open is not None else open_at, p_end,
                                carried_para if carried_para is not None else number))
        carried, carried_open, carried_para = [], None, None
    found.sort(key=lambda q: q.opened)
    return [q for q in found if any(b > a for a, b in q.pieces)]


def may_run_into(text: str, position: int, single: bool) -> bool:
    """Whether a quotation left open before ``position`` (a paragraph's start) could run on into the paragraph, as
    :func:`marked_quotations` decides: the paragraph starts with an opening mark, or the next mark closes."""
    marks, opening, closing = (SINGLE_MARKS, "‘", "’") if single else (DOUBLE_MARKS, OPENING + "‟", CLOSING)
    if text[position:position + 1] in ('"', *opening):
        return True
    following = [at for at in map(text.find, marks, itertools.repeat(position)) if at >= 0]
    return bool(following) and _direction(text, min(following), opening, closing) == "close"


def _single_mark(text: str, i: int) -> bool:
    """A single mark at a word's edge (not the apostrophe of "don’t" or "Libya’s")."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not (before.isalnum() and after.isalnum())


# the mark first, what stands before it checked after it: re then scans for the mark alone, ten times faster than
# trying a look-behind at every character ((?:(?<=\s)|(?<=[(“"]))[‘'] and (?<=\S)[’'] match the same)
_INNER_OPEN = re.compile(r"[‘'](?<=[\s(“\"][‘'])(?=[^\W_])")
_INNER_CLOSE = re.compile(r"[’'](?<=\S[’'])(?![^\W_])")


def inner_quotations(text: str, quote: Marked) -> list[Marked]:
    """Quotations in single marks inside a quotation in double marks ("…President Trump said, 'Let's talk'").

    >>> t = '"He told me, ‘Wait for me.’ I did," she said.'
    >>> [t[a:b] for q in inner_quotations(t, marked_quotations(t)[0]) for a, b in q.pieces]
    ['Wait for me.']
    """
    if quote.opened >= len(text) or text[quote.opened] not in '"“„«':
        return []
    found, start, end = [], quote.opened + 1, quote.closed
    if text.find("'", start, end) < 0 and text.find("‘", start, end) < 0:
        return found  # no single mark to open an inner quotation
    while True:
        opening = _INNER_OPEN.search(text, start, end)
        if opening is None:
            return found
        closing = _INNER_CLOSE.search(text, opening.end(), end)
        if closing is None:
            return found
        piece = _trimmed(text, opening.end(), closing.start())
        if piece[1] > piece[0] and "\n" not in text[piece[0]:piece[1]]:
            found.append(Marked((piece,), opening.start(), closing.end(), quote.paragraph))
        start = closing.end()
