"""Source notes: the line under each chart saying what it was drawn from (articles, dates, credit)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from helpers.settings import SAMPLE_NOTES

NOTE_GID = "newskit-source-note"

_default_note: str | None = None


def source_note(articles: pd.DataFrame, *, credit: str | None = None) -> str:
    """One line saying what a chart was drawn from: article count, date range and the credit line of the data.

    The credit is ``credit`` when given, else the licence line of each sample whose articles are in ``articles``
    (``helpers.settings.SAMPLE_NOTES``, by collection: "Wikinews CC BY 2.5", "U.S. congressional press releases,
    public domain; …").

    >>> arts = pd.DataFrame({"date": pd.to_datetime(["2019-01-04", "2019-12-30", None], utc=True),
    ...                      "collection": ["wikinews_2019", "wikinews_2019", "articles"]})
    >>> source_note(arts)
    'n = 3 articles, 2019-01-04 – 2019-12-30 (1 undated); Wikinews CC BY 2.5'
    >>> source_note(pd.DataFrame({"collection": ["congress_press_2024-11"]}))
    'n = 1 article; U.S. congressional press releases, public domain; compiled by dwillis/congress-press'
    """
    n = len(articles)
    parts = [f"n = {n:,} article{'s' if n != 1 else ''}"]
    if "date" in articles.columns:
        dates = pd.to_datetime(articles["date"], errors="coerce", utc=True)
        if dates.notna().any():
            span = f"{dates.min():%Y-%m-%d} – {dates.max():%Y-%m-%d}"
            undated = int(dates.isna().sum())
            parts.append(span + (f" ({undated} undated)" if undated else ""))
        else:
            parts.append("no dates")
    if credit is None and "collection" in articles.columns:
        credits = [SAMPLE_NOTES[c] for c in pd.unique(articles["collection"].dropna()) if c in SAMPLE_NOTES]
        credit = "; ".join(dict.fromkeys(credits)) or None
    return ", ".join(parts) + (f"; {credit}" if credit else "")


def set_source_note(note: str | pd.DataFrame | None) -> str | None:
    """Make ``note`` (a string, or an articles frame turned into one by :func:`source_note`) the note written under
    every chart drawn or saved afterwards; ``None`` removes it. Returns the note.

    >>> set_source_note("n = 1 article")
    'n = 1 article'
    >>> set_source_note(None)
    """
    global _default_note
    _default_note = source_note(note) if isinstance(note, pd.DataFrame) else note
    return _default_note


def add_source_note(fig, note: str | None = None):
    """Write ``note`` (default: the one set by :func:`set_source_note`) small, grey, under ``fig``, once.

    Returns the Text, or ``None`` when there is no note or the figure already has one.

    >>> fig = plt.figure(); add_source_note(fig, "n = 2 articles").get_text()
    'n = 2 articles'
    >>> add_source_note(fig, "again") is None
    True
    """
    note = _default_note if note is None else note
    if not note or any(t.get_gid() == NOTE_GID for t in fig.texts):
        return None
    return fig.text(0.005, 0.0, note, ha="left", va="top", fontsize=7, color="#666666", gid=NOTE_GID)
