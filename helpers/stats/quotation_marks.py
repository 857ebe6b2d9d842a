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

import re
from typing import NamedTuple

OPENING = "“„«"
CLOSING = "”»"
_DOUBLE = re.compile(r'["“”„«»‟]')
_SINGLE = re.compile(r"[‘’]")
_OPEN_BEFORE = "([{—–-/:;\u00a0"
_CLOSE_AFTER = ".,;:!?)]}—–-'’…"
_WORD = re.compile(r"\w+")


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


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of the text's non-blank lines."""
    spans, start = [], 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            spans.append((start, end))
        start = end + 1
    return spans


def _marks(text: str, single: bool):
    if single:
        return [m.start() for m in _SINGLE.finditer(text)], "‘", "’"
    return [m.start() for m in _DOUBLE.finditer(text)], OPENING + "‟", CLOSING


def marked_quotations(text: str) -> list[Marked]:
    """Every quotation of ``text`` found by its marks, in reading order.

    >>> t = 'He said: "It works." Then "it\\n\\n"goes on," she said.'
    >>> [[t[a:b] for a, b in q.pieces] for q in marked_quotations(t)]
    [['It works.'], ['it', 'goes on,']]
    """
    single = _DOUBLE.search(text) is None
    positions, opening, closing = _marks(text, single)
    if not positions:
        return []
    paras = paragraphs(text)
    found: list[Marked] = []
    carried: list[tuple[int, int]] = []  # pieces of a quotation running on from earlier paragraphs
    carried_open = carried_para = None
    k = 0
    for number, (p_start, p_end) in enumerate(paras):
        open_at = None
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
            if open_at is None:
                if direction != "close":
                    open_at = i
                continue
            if direction == "open" and text[i] != text[open_at]:
                open_at = i  # the earlier mark was never closed
                carried, carried_open = [], None
                continue
            if direction == "open" and text[i] in OPENING and text[open_at] in OPENING:
                open_at = i
                carried, carried_open = [], None
                continue
            pieces = [*carried, _trimmed(text, open_at + 1, i)]
            found.append(Marked(tuple(pieces), carried_open if carried_open is not None else open_at, i + 1,
                                carried_para if carried_para is not None else number))
            carried, carried_open, carried_para, open_at = [], None, None, None
        if open_at is None:
            carried, carried_open, carried_para = [], None, None
            continue
        piece = _trimmed(text, open_at + 1, p_end)
        following = paras[number + 1][0] if number + 1 < len(paras) else None
        starts_quoted = following is not None and text[following:following + 1] in ('"', *opening)
        if starts_quoted:
            carried.append(piece)
            if carried_open is None:
                carried_open, carried_para = open_at, number
            continue
        pieces = [*carried, piece]
        if sum(len(_WORD.findall(text[a:b])) for a, b in pieces) >= 3:
            found.append(Marked(tuple(pieces), carried_open if carried_open is not None else open_at, p_end,
                                carried_para if carried_para is not None else number))
        carried, carried_open, carried_para = [], None, None
    return [q for q in found if any(b > a for a, b in q.pieces)]


def _single_mark(text: str, i: int) -> bool:
    """A single mark at a word's edge (not the apostrophe of "don’t" or "Libya’s")."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not (before.isalnum() and after.isalnum())
