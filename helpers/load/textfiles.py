"""Plain text and Markdown, with optional YAML front matter."""

from __future__ import annotations

import re

import pandas as pd
import yaml

from helpers.load.bylines import is_byline
from helpers.load.common import LoadError, Parsed
from helpers.load.metadata import date_from_text

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<meta>.*?)(?:\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
MARKDOWN_TITLE = re.compile(r"\A#[ \t]+(?P<title>[^\n]+)\n")
# A plain-text file's first line is its headline when a blank line follows it and it reads like one: short, and not
# ending as a sentence, a list's lead-in or a salutation does ("Fellow-Citizens of the Senate …:").
HEADLINE = re.compile(r"\A[ \t]*(?P<title>[^\n]{1,150}?)[ \t]*\r?\n[ \t]*\r?\n")
HEADLINE_MAX_WORDS = 25


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

    When the front matter gives no title, a Markdown file's leading ``# Heading`` is its title, and so is a plain
    text file's first line when it reads as a headline (see :func:`headline`); either leaves the body.

    >>> read_text("---\\ntitle: MoU\\nsource: Libya Observer\\n---\\nLibya signed.", "a.txt").records
    [{'title': 'MoU', 'source': 'Libya Observer', 'text': 'Libya signed.', 'path': 'a.txt', 'input': 'a.txt'}]
    >>> read_text("Libya and US sign MoU\\n\\nLibya signed.", "b.txt").records[0]["title"]
    'Libya and US sign MoU'
    """
    meta, body = split_front_matter(text)
    if markdown and "title" not in meta:
        heading = MARKDOWN_TITLE.match(body.lstrip("\n"))
        if heading:
            meta["title"] = heading["title"].strip().strip("#").strip()
            body = body.lstrip("\n")[heading.end():]
    elif "title" not in meta:
        title, rest = headline(body.lstrip("\r\n"))
        if title:
            meta["title"], body = title, rest
    record = {**meta, "text": body, "path": name, "input": name}
    return Parsed(records=[record], summary="Markdown" if markdown else "plain text")


def headline(text: str) -> tuple[str | None, str]:
    """A plain text's first line as its headline, and the text after it; ``(None, text)`` when it is not one.

    A headline is at most 150 characters and 25 words, a blank line follows it, words follow that, it is no byline
    and holds no date (a line with one stays in the text as its dateline), and it does not end in ``.``, ``,``,
    ``;`` or ``:`` as a sentence or a salutation does.

    >>> headline("Port strike ends\\n\\nDockworkers returned on Thursday.")
    ('Port strike ends', 'Dockworkers returned on Thursday.')
    >>> headline("Dockworkers returned on Thursday.\\n\\nThe strike had lasted three days.")[0] is None
    True
    >>> headline("Monday, 20 November 2023\\n\\nThe library reopened.")[0] is None
    True
    >>> headline("Annual Message to the Congress. January 22, 1970\\n\\nMr. Speaker, ...")[0] is None
    True
    """
    match = HEADLINE.match(text)
    if not match:
        return None, text
    title, rest = match["title"].strip(), text[match.end():]
    if (title.endswith((".", ",", ";", ":")) or len(title.split()) > HEADLINE_MAX_WORDS or is_byline(title)
            or not pd.isna(date_from_text(title)) or not re.search(r"\w", title) or not re.search(r"\w", rest)):
        return None, text
    return title, rest.lstrip("\r\n")
