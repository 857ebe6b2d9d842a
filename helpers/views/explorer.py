"""Explore one term at a time: its trend over time, its KWIC lines, its collocates; and a JupyterLab widget that
shows all three for the term picked from a list.

The three views are ordinary functions returning tidy DataFrames (so a notebook can save them, and tests can check
them); :func:`explore` wires them to ipywidgets. Static charts stay the kit's default output: the widget is for
looking around in JupyterLab, it saves nothing.
"""

from __future__ import annotations

import glob

import numpy as np
import pandas as pd

from helpers.association import log_dice
from helpers.frames import codes_of as _codes, typed_empty
from helpers.stats.concordance import kwic
from helpers.stats.over_time import trends
from helpers.stats.selection import content_mask

COLLOCATE_COLUMNS = ["term", "collocate", "frequency", "collocate_frequency", "log_dice"]


def term_trend(tokens: pd.DataFrame, articles: pd.DataFrame, terms, *, freq: str = "M") -> pd.DataFrame:
    """How often each of ``terms`` occurs per period (``freq``: "D", "W", "M", "Q", "Y"): :func:`helpers.trends`
    for exactly these words or phrases, ordered term by term.

    Columns as in :func:`helpers.trends`: ``period`` (start of the period), ``term``, ``count``, ``docfreq``,
    ``n_articles`` (dated articles in the period), ``n_tokens`` (content tokens in the period), ``per_10k`` =
    10,000 × count / n_tokens, ``share_articles`` = docfreq / n_articles. Periods without articles have NA
    counts and rates (no data), never 0; undated articles cannot be placed and are left out (with a warning;
    ``attrs["undated_articles"]`` says how many). Unlike ``trends``, ``*``, ``?`` and ``[`` are literal
    characters, as in :func:`helpers.kwic`, so the trend counts the occurrences whose KWIC lines the explorer shows.

    >>> arts = pd.DataFrame({"doc_id": ["a", "b"], "date": pd.to_datetime(["2019-01-05", "2019-03-01"], utc=True)})
    >>> toks = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "term": ["libya", "drug", "libya", "libya"],
    ...                      "is_stop": False, "is_punct": False})
    >>> term_trend(toks, arts, "libya")[["count", "n_articles", "per_10k", "share_articles"]].values.tolist()
    [[1, 1, 5000.0, 1.0], [<NA>, 0, nan, nan], [2, 1, 10000.0, 1.0]]
    """
    terms = [terms] if isinstance(terms, str) else [str(t) for t in terms]
    literal = {term: [glob.escape(term)] for term in terms}
    table = trends(tokens, articles, terms=literal, freq=freq)
    order = pd.Categorical(table["term"], categories=list(dict.fromkeys(terms)))
    table = table.iloc[np.lexsort((table["period"].to_numpy(), order.codes))].reset_index(drop=True)
    return table


def term_kwic(tokens: pd.DataFrame, articles: pd.DataFrame, term, *, width: int = 60,
              max_lines: int | None = None) -> pd.DataFrame:
    """Keyword-in-context lines for ``term`` with ``width`` characters each side, oldest article first (undated
    last), so the lines read as the story unfolded: :func:`helpers.kwic` with ``context="characters"`` and
    ``sort_by="date"``, in its columns (``doc_id, title, date, source, left, keyword, right, sentence``…).
    ``term`` may be a list: the lines of each term in turn, as one call per term gives them (``max_lines`` each),
    found in one pass over the token table; ``query`` says whose line it is.

    >>> arts = pd.DataFrame({"doc_id": ["a"], "title": ["MoU"], "date": [pd.NaT], "source": ["x"],
    ...                      "text": ["Libya and the US signed. Libya agreed."]})
    >>> toks = pd.DataFrame({"doc_id": "a", "sentence": [0, 1], "position": [0, 6], "term": ["libya", "libya"],
    ...                      "start": [0, 25], "end": [5, 30]})
    >>> term_kwic(toks, arts, "libya", width=11)[["left", "keyword", "right"]].values.tolist()
    [['', 'Libya', 'and the US'], ['US signed.', 'Libya', 'agreed.']]
    >>> term_kwic(toks, arts, ["us", "libya"], max_lines=1)[["query", "keyword"]].values.tolist()
    [['libya', 'Libya']]
    """
    terms = [term] if isinstance(term, str) else [str(t) for t in term]
    lines = kwic(tokens, articles, list(dict.fromkeys(terms)), context="characters", window=width)
    by_term = dict(tuple(lines.groupby("query", sort=False)))
    # each term's lines in date order, ties in corpus order: what sort_by="date" gives a call for that term alone
    parts = [by_term[t].sort_values(["date", "doc_id", "start"], na_position="last", kind="stable").head(max_lines)
             for t in terms if t in by_term]
    return pd.concat(parts, ignore_index=True) if parts else lines.iloc[:0].reset_index(drop=True)


def term_collocates(tokens: pd.DataFrame, term, *, window: int = 5, n: int = 20,
                    min_frequency: int = 2) -> pd.DataFrame:
    """Content words within ``window`` tokens of ``term`` (same article, same sentence when a ``sentence`` column
    exists), ranked by logDice. ``term`` may be a list: each term's table in turn, the token table read once.

    logDice = 14 + log₂(2·f(term, collocate) / (f(term) + f(collocate))) (Rychlý 2008, *A lexicographer-friendly
    association score*): 14 at most, independent of corpus size. Columns: ``term, collocate, frequency``
    (co-occurrences in the window), ``collocate_frequency``, ``log_dice``. Stopwords and punctuation are not
    collocates; positions are counted in the full token table, so a window spans them.

    >>> toks = pd.DataFrame({"doc_id": "a", "sentence": 0, "position": range(6),
    ...                      "term": ["libya", "drug", "libya", "drug", "us", "x"], "is_stop": False, "is_punct": False})
    >>> term_collocates(toks, "libya", window=1, min_frequency=1)[["collocate", "frequency", "log_dice"]].values.tolist()
    [['drug', 2, 14.0]]
    >>> term_collocates(toks, ["libya", "us"], window=1, min_frequency=1)[["term", "collocate"]].values.tolist()
    [['libya', 'drug'], ['us', 'x'], ['us', 'drug']]
    """
    from helpers.stats.collocation import _running_text

    if "position" not in tokens.columns:
        tokens = tokens.assign(position=tokens.groupby("doc_id", sort=False, observed=True).cumcount())
    codes, vocab, segment, order, _ = _running_text(tokens, "sentence" if "sentence" in tokens.columns else "document")
    # Content tokens in reading order: everything within ``window`` positions of a node is within ``window`` rows.
    keep = content_mask(tokens, drop_stop=True, drop_punct=True)[order]
    text = (codes[keep], segment[keep], tokens["position"].to_numpy()[order][keep])
    totals = np.bincount(text[0][text[0] >= 0], minlength=len(vocab))
    terms = [term] if isinstance(term, str) else [str(t) for t in term]
    tables = [_collocates_of(t, text, vocab, totals, window=window, n=n, min_frequency=min_frequency) for t in terms]
    return pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0] if tables else _no_collocates()


def _no_collocates() -> pd.DataFrame:
    return typed_empty(pd.DataFrame(columns=COLLOCATE_COLUMNS), {"term": "str", "collocate": "str",
                       "frequency": "int64", "collocate_frequency": "int64", "log_dice": "float64"})


def _collocates_of(term: str, text: tuple, vocab: pd.Index, totals: np.ndarray, *, window: int, n: int,
                   min_frequency: int) -> pd.DataFrame:
    """:func:`term_collocates` of one term; ``text``: content tokens' term codes, segments and positions in reading
    order, ``totals``: each term's count among them."""
    terms, segment, positions = text
    found = np.flatnonzero(vocab == term)
    node_code = int(found[0]) if len(found) else -2
    nodes = np.flatnonzero(terms == node_code)
    if not len(nodes):
        return _no_collocates()
    near = []
    for step in [*range(-window, 0), *range(1, window + 1)]:
        other = nodes + step
        other = other[(other >= 0) & (other < len(terms))]
        node = other - step
        close = ((segment[other] == segment[node]) & (np.abs(positions[other] - positions[node]) <= window)
                 & (terms[other] != node_code))
        near.append(other[close])
    # a collocate token near two occurrences of the term counts once, so f(term, collocate) <= f(collocate)
    # and logDice stays at most 14
    collocate_rows = np.unique(np.concatenate(near))
    counted = np.bincount(terms[collocate_rows], minlength=len(vocab))
    present = np.flatnonzero(counted)
    table = pd.DataFrame({"collocate": pd.array(np.asarray(vocab[present], dtype=object), dtype="str"),
                          "frequency": counted[present].astype(np.int64),
                          "collocate_frequency": totals[present].astype(np.int64)})
    f_term = int(totals[node_code])
    table["log_dice"] = log_dice(table["frequency"].to_numpy(), f_term, table["collocate_frequency"].to_numpy())
    table = table[table["frequency"] >= min_frequency]
    table = table.assign(term=term).sort_values(["log_dice", "frequency", "collocate"],
                                                 ascending=[False, False, True]).head(n)
    return table[COLLOCATE_COLUMNS].reset_index(drop=True)


def _frequent_words(tokens: pd.DataFrame, n: int) -> list[str]:
    """The ``n`` most frequent content terms that start with a letter; ties in order of first appearance.
    Counted on the term codes of the content rows (no copy of them): each distinct term is tested once, not each
    of millions of tokens, and counted without a sort of the codes."""
    codes, labels = _codes(tokens["term"])
    codes = codes[content_mask(tokens, drop_stop=True, drop_punct=True)]
    codes = codes[codes >= 0]
    is_word = pd.Series(np.asarray(labels, dtype=object), dtype=object).str.match(r"[^\W\d_]").to_numpy(dtype=bool)
    codes = codes[is_word[codes]]
    in_first_order = pd.unique(codes)
    counts = np.bincount(codes, minlength=len(labels))[in_first_order]
    return [str(labels[code]) for code in in_first_order[np.argsort(-counts, kind="stable")[:n]]]


class TermExplorer:
    """The widget behind :func:`explore`: a term picker and three views that follow it."""

    def __init__(self, tokens: pd.DataFrame, articles: pd.DataFrame, *, terms=None, freq: str = "M",
                 window: int = 5, max_lines: int = 15, n_terms: int = 300):
        import ipywidgets as widgets

        self.tokens, self.articles, self.freq, self.window, self.max_lines = tokens, articles, freq, window, max_lines
        if terms is None:
            terms = _frequent_words(tokens, n_terms)
        self.terms = list(terms)
        if not self.terms:
            raise ValueError("explore: no terms to pick from (the token table has no content words)")
        self.picker = widgets.Combobox(options=self.terms, value=self.terms[0], placeholder="type a term",
                                       description="Term", ensure_option=False)
        self.trend_out, self.kwic_out, self.colloc_out = widgets.Output(), widgets.Output(), widgets.Output()
        self.status = widgets.HTML()
        tabs = widgets.Tab(children=[self.trend_out, self.kwic_out, self.colloc_out])
        for i, name in enumerate(["Trend", "KWIC lines", "Collocates"]):
            tabs.set_title(i, name)
        self.widget = widgets.VBox([widgets.HBox([self.picker, self.status]), tabs])
        self.picker.observe(lambda change: self.show(change["new"]), names="value")
        self.trend = self.kwic = self.collocates = None
        self.show(self.terms[0])

    def show(self, term: str) -> None:
        """Recompute the three views for ``term`` and draw them into the widget."""
        import matplotlib.pyplot as plt
        from IPython.display import display

        from helpers.charts.timelines import plot_trends

        term = (term or "").strip().lower()
        if not term:
            return
        try:
            self.trend, no_trend = term_trend(self.tokens, self.articles, term, freq=self.freq), None
        except ValueError as error:  # no article has a date: the KWIC lines and collocates still make sense
            self.trend, no_trend = None, str(error)
        self.kwic = term_kwic(self.tokens, self.articles, term, max_lines=self.max_lines)
        self.collocates = term_collocates(self.tokens, term, window=self.window)
        total = int(self.trend["count"].sum()) if self.trend is not None else 0
        self.status.value = f"&nbsp;<b>{total:,}</b> occurrences in dated articles"
        for out in (self.trend_out, self.kwic_out, self.colloc_out):
            out.clear_output(wait=True)
        with self.trend_out:
            if total:
                ax = plot_trends(self.trend, terms=[term])
                display(ax.figure)
                plt.close(ax.figure)
            else:
                print(no_trend or f"'{term}' does not occur in any dated article.")
        with self.kwic_out:
            display(self.kwic[["date", "title", "left", "keyword", "right"]] if len(self.kwic) else
                    f"No KWIC lines for '{term}'.")
        with self.colloc_out:
            display(self.collocates if len(self.collocates) else
                    f"No collocate occurs at least twice within {self.window} tokens of '{term}'.")


def explore(tokens: pd.DataFrame, articles: pd.DataFrame, *, terms=None, freq: str = "M", window: int = 5,
            max_lines: int = 15):
    """An ipywidgets explorer for JupyterLab: pick a term → its trend, its KWIC lines, its collocates.

    ``terms`` are the choices (default: the 300 most frequent content words); any other term can be typed in.
    Returns the widget (display it as a cell's last line); ``explore(...).explorer`` holds the current tables.
    A token table without content words leaves nothing to pick: ``ValueError: explore: no terms to pick from``.
    Undated articles give no trend (the Trend tab says why); the KWIC lines and collocates still work.
    """
    explorer = TermExplorer(tokens, articles, terms=terms, freq=freq, window=window, max_lines=max_lines)
    explorer.widget.explorer = explorer
    return explorer.widget


