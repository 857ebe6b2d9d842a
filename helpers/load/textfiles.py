"""Plain text and Markdown, with optional YAML front matter."""

from __future__ import annotations

import re

import yaml

from helpers.load.common import LoadError, Parsed

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<meta>.*?)(?:\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
MARKDOWN_TITLE = re.compile(r"\A#[ \t]+(?P<title>[^\n]+)\n")


class AliasRefused(yaml.YAMLError):
    """Front matter that uses a YAML alias."""


class FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader with aliases refused and values it cannot represent kept as text.

    An alias (``*name``) repeats an anchored value: nine levels of nine aliases make a 1 KB file expand to
    hundreds of millions of values once anything walks it, and no article's metadata needs one. A date such as
    ``0000-01-01`` or an integer of thousands of digits stays the text it was, so the article keeps it
    (``date_raw``) instead of being lost to it.
    """

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.get_event()
            raise AliasRefused(f"front matter uses the YAML alias *{event.anchor} (line {event.start_mark.line + 2}); "
                               "aliases are refused, since a few lines of them can expand to gigabytes: "
                               "write the values out")
        return super().compose_node(parent, index)


def _or_text(construct):
    def constructor(loader, node):
        try:
            return construct(loader, node)
        except ValueError:
            return loader.construct_scalar(node)
    return constructor


FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp",
                                  _or_text(yaml.constructor.SafeConstructor.construct_yaml_timestamp))
FrontMatterLoader.add_constructor("tag:yaml.org,2002:int",
                                  _or_text(yaml.constructor.SafeConstructor.construct_yaml_int))


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
        meta = yaml.load(match["meta"], Loader=FrontMatterLoader) or {}  # noqa: S506 - a safe loader
    except AliasRefused as error:
        raise LoadError(str(error), "skipped")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        raise LoadError(f"front matter is not valid YAML{where}: {getattr(error, 'problem', error)}")
    if not isinstance(meta, dict):
        raise LoadError("front matter is not a set of 'key: value' lines")
    return {str(k).strip().lower(): _storable(v) for k, v in meta.items()}, raw[match.end():]


def _storable(value):
    """An integer beyond 64 bits stays as written: no table column (or Parquet file) can hold it as a number."""
    if isinstance(value, int) and not isinstance(value, bool) and not -2**63 <= value < 2**63:
        return str(value)
    return value


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
