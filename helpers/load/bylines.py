"""Bylines ("By Jane Doe", "BY JANE DOE AND JOHN ROE, Reuters") on the first or last line of an article body: the
names go to ``author`` and the line leaves the text, so that it is not counted as words or taken for names."""

from __future__ import annotations

import re

_PARTICLE = r"(?:de|del|della|da|di|du|van|von|der|den|al|el|bin|ibn|abu|la|le)"
_WORD = rf"(?:{_PARTICLE}-)?[A-ZÀ-Þ][\w'’.-]*"
_NAME = rf"{_WORD}(?:\s+(?:{_PARTICLE}\s+){{0,2}}{_WORD}){{0,4}}"
BYLINE = re.compile(
    rf"^(?:[-–—]\s*)?(?:By|BY|by)\s+(?P<names>{_NAME}(?:\s*(?:,|and|AND|&)\s*{_NAME})*)"
    r"(?:\s*[,|/–—-]\s*(?P<affiliation>[A-Z][\w.&'’ -]{0,40}))?\s*$")
_NOT_NAMES = frozenset("""
the a an this that these those monday tuesday wednesday thursday friday saturday sunday january february march
april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
""".split())
_MAX_WORDS = 12


def _names(line: str) -> list[str] | None:
    """The names of a byline line, or None when the line is no byline."""
    if len(line.split()) > _MAX_WORDS or line.rstrip()[-1:] in ".?!:;":
        return None
    match = BYLINE.match(line.strip())
    if match is None:
        return None
    names = [n.strip() for n in re.split(r"\s*(?:,|\band\b|\bAND\b|&)\s*", match["names"]) if n.strip()]
    # after the first name, a one-word item is the outlet ("By Jane Doe, Reuters"), not a person
    names = names[:1] + [n for n in names[1:] if len(n.split()) > 1]
    if not names or any(n.split()[0].lower().strip(".") in _NOT_NAMES for n in names):
        return None
    return [n.title() if n.isupper() and len(n) > 3 else n for n in names]


def is_byline(line: str) -> bool:
    """Whether a line is a byline.

    >>> is_byline("By Jane Doe, Reuters"), is_byline("By the end of 2019, prices rose.")
    (True, False)
    """
    return bool(line.strip()) and _names(line) is not None


def take_byline(text: str, author: str | None, fixes: list[str]) -> tuple[str, str | None, list[str]]:
    """Move a byline on the first or last line of ``text`` into the author: ``(text, author, fixes)``.

    A record's own author wins over the byline (the line still leaves the text); ``fixes`` gains ``"byline"``
    when a line was taken, so the loader keeps the text as it was in ``text_original``.

    >>> take_byline("By Jane Doe and JOHN ROE, Reuters\\nTRIPOLI - Officials met.", None, [])
    ('TRIPOLI - Officials met.', 'Jane Doe; John Roe', ['byline'])
    >>> take_byline("By the end of 2019, prices rose.\\nThey fell.", None, [])[1] is None
    True
    """
    lines = text.split("\n")
    found: list[str] = []
    for index in (0, -1) if len(lines) > 1 else ():
        names = _names(lines[index])
        if names:
            found += [n for n in names if n not in found]
            lines[index] = None
    if not found:
        return text, author, fixes
    body = "\n".join(line for line in lines if line is not None).strip()
    if not body:  # a byline and nothing else: keep the text as it was
        return text, author, fixes
    has_author = isinstance(author, str) and author.strip()
    return body, author if has_author else "; ".join(found), [*fixes, "byline"]
