"""Dictionaries of themes: user-written lists of words, glob patterns and phrases, counted per article and over time.

A dictionary is a YAML mapping ``theme: [word, pattern*, "two words", ...]`` (the kit ships
``data/themes.yml``: security/narcotics, diplomacy, cooperation, conflict, disasters, politics). Patterns use shell
globs on the normalised term (``drug*``, ``organi?ed crime``). A token counts once per theme even when several of
the theme's entries match it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from helpers.frames import codes_of
from helpers.scale.reduce import require_whole
from helpers.settings import DATA_DIR
from helpers.stats.over_time import term_hits, trends
from helpers.stats.selection import content_tokens

THEMES_PATH = DATA_DIR / "themes.yml"
THEME_COLUMNS = ["doc_id", "theme", "count", "n_tokens", "per_10k", "terms"]


def load_themes(dictionary=None) -> dict[str, list[str]]:
    """A theme dictionary from a YAML file, a mapping, or ``None`` (the kit's ``data/themes.yml``).

    >>> load_themes({"security": ["drug*", "narcotic*"]})
    {'security': ['drug*', 'narcotic*']}
    """
    if dictionary is None:
        dictionary = THEMES_PATH
    if isinstance(dictionary, (str, Path)):
        path = Path(dictionary)
        if not path.exists():
            raise FileNotFoundError(f"theme dictionary {path} does not exist")
        try:
            dictionary = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise ValueError(f"theme dictionary {path} is not valid YAML: {error}") from None
    if not isinstance(dictionary, dict) or not dictionary:
        raise ValueError("a theme dictionary maps each theme to a list of words or patterns, "
                         "e.g. {'security': ['drug*', 'narcotic*']}")
    themes = {}
    for theme, entries in dictionary.items():
        entries = [entries] if isinstance(entries, str) else entries
        if not isinstance(entries, list) or not entries or not all(isinstance(e, (str, int)) for e in entries):
            raise ValueError(f"theme {theme!r} needs a non-empty list of words or patterns, got {entries!r}")
        themes[str(theme)] = [str(e).strip().lower() for e in entries]
    return themes


def _joined_runs(frame: pd.DataFrame, keys: list[str], column: str) -> pd.Series:
    """``", ".join`` of ``column`` over each run of equal ``keys`` (``frame`` sorted by them), indexed by the keys:
    a groupby's ``agg(", ".join)`` without a Python call per group."""
    if frame.empty:
        return frame.groupby(keys)[column].agg(", ".join)
    key_values = [frame[k].to_numpy(dtype=object) for k in keys]
    starts = np.flatnonzero(np.logical_or.reduce([np.r_[True, v[1:] != v[:-1]] for v in key_values]))
    values = frame[column].tolist()
    joined = [", ".join(values[a:b]) for a, b in zip(starts, [*starts[1:], len(values)])]
    return pd.Series(joined, index=pd.MultiIndex.from_arrays([v[starts] for v in key_values], names=keys),
                     name=column)


def themes(tokens: pd.DataFrame, dictionary=None, *, articles: pd.DataFrame | None = None,
           freq: str | None = None) -> pd.DataFrame:
    """How much each article (or, with ``freq``, each period) uses each theme of a dictionary.

    Per article (default), columns ``doc_id, theme, count, n_tokens, per_10k, terms``: ``count`` = tokens matching
    the theme (a phrase counts once), ``n_tokens`` = the article's content tokens (no stopwords, no punctuation),
    ``per_10k`` = 10,000 × count / n_tokens, ``terms`` = the matched words, most frequent first, for KWIC. Every
    article × theme appears (a zero is a real zero). With ``freq`` ("D", "W", "M") and ``articles``, the
    :func:`helpers.trends` table per period, with the theme in ``term`` (periods without articles are gaps).

    >>> t = pd.DataFrame({"doc_id": ["a"] * 4, "sentence": 0, "position": range(4),
    ...                   "term": ["drug", "smugglers", "signed", "mou"], "is_stop": False, "is_punct": False})
    >>> themes(t, {"security": ["drug*", "smuggl*"], "diplomacy": ["mou"]})[["theme", "count", "terms"]].values.tolist()
    [['diplomacy', 1, 'mou'], ['security', 2, 'drug, smugglers']]
    """
    require_whole(tokens, "themes")
    dictionary = load_themes(dictionary)
    if freq is not None:
        if articles is None:
            raise ValueError("themes over time need articles= (for the dates)")
        return trends(tokens, articles, terms=dictionary, freq=freq)
    hits = term_hits(tokens, dictionary)
    per_doc = content_tokens(tokens).groupby("doc_id", observed=True).size()
    n_tokens = pd.Series(per_doc.to_numpy(), index=per_doc.index.astype(str))
    doc_codes, doc_labels = codes_of(tokens["doc_id"])
    doc_ids = pd.Index(np.asarray(doc_labels.astype(str))[pd.unique(doc_codes[doc_codes >= 0])], name="doc_id")
    grid = pd.MultiIndex.from_product([doc_ids, list(dictionary)], names=["doc_id", "theme"])
    counts = hits.groupby(["doc_id", "label"]).size().rename_axis(["doc_id", "theme"]).reindex(grid, fill_value=0)
    matched = (hits.groupby(["doc_id", "label", "matched"]).size().rename("n").reset_index()
               .sort_values(["doc_id", "label", "n", "matched"], ascending=[True, True, False, True]))
    terms = _joined_runs(matched, ["doc_id", "label"], "matched").rename_axis(["doc_id", "theme"]).reindex(
        grid, fill_value="")
    table = pd.DataFrame({"count": counts, "terms": terms}).reset_index()
    table["n_tokens"] = table["doc_id"].map(n_tokens).fillna(0).astype(int)
    table["per_10k"] = 10_000 * table["count"] / table["n_tokens"].where(table["n_tokens"] > 0)
    return table[THEME_COLUMNS].sort_values(["doc_id", "theme"]).reset_index(drop=True)
