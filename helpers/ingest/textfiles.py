"""Plain text and Markdown, with optional YAML front matter."""

from __future__ import annotations

import re

import yaml

from .common import LoadError, Parsed

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<meta>.*?)(?:\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
MARKDOWN_TITLE = re.compile(r"\A#[ \t]+(?P<title>[^\n]+)\n")


def split_front_matter(raw: str) -> tuple[dict, str]:
    """Split YAML front matter (between ``---`` lines at the very top) from the body.

    >>> split_front_matter("---\\ntitle: MoU signed\\ndate: 2019-01-04\\n---\\nBody text.")
    ({'title': 'MoU signed', 'date': datetime.date(2019, 1, 4)}, 'Body text.')
    >>> split_front_matter("No front matter here.")
    ({}, 'No front matter here.')
    """
    match = FRONT_MATTER.match(raw)
    if not match:
        return {}, raw
    try:
        meta = yaml.safe_load(match["meta"]) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        raise LoadError(f"front matter is not valid YAML{where}: {getattr(error, 'problem', error)}")
    if not isinstance(meta, dict):
        raise LoadError("front matter is not a set of 'key: value' lines")
    return {str(k).strip().lower(): v for k, v in meta.items()}, raw[match.end():]


def read_text(text: str, name: str, *, markdown: bool = False) -> Parsed:
    """One article from a ``.txt`` / ``.md`` file; front matter keys become columns.

    A Markdown file's leading ``# Heading`` is its title when the front matter gives none.

    >>> read_text("---\\ntitle: MoU\\nsource: Libya Observer\\n---\\nLibya signed.", "a.txt").records
    [{'title': 'MoU', 'source': 'Libya Observer', 'text': 'Libya signed.', 'path': 'a.txt', 'input': 'a.txt'}]
    """
    meta, body = split_front_matter(text)
    if markdown and "title" not in meta:
        heading = MARKDOWN_TITLE.match(body.lstrip("\n"))
        if heading:
            meta["title"] = heading["title"].strip().strip("#").strip()
            body = body.lstrip("\n")[heading.end():]
    record = {**meta, "text": body, "path": name, "input": name}
    return Parsed(records=[record], summary="Markdown" if markdown else "plain text")
