"""Explore one term at a time: its trend over time, its KWIC lines, its collocates; and a JupyterLab widget that
shows all three for the term picked from a list.

The three views are ordinary functions returning tidy DataFrames (so a notebook can save them, and tests can check
them); :func:`explore` wires them to ipywidgets. Static charts stay the kit's default output: the widget is for
looking around in JupyterLab, it saves nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .keywords import content_tokens

TREND_COLUMNS = ["period", "term", "count", "n_articles", "n_tokens", "per_10k", "share_articles"]
KWIC_COLUMNS = ["doc_id", "title", "date", "source", "left", "keyword", "right"]
COLLOCATE_COLUMNS = ["term", "collocate", "frequency", "collocate_frequency", "log_dice"]


def _dated(tokens: pd.DataFrame, articles: pd.DataFrame, freq: str) -> tuple[pd.DataFrame, pd.DatetimeIndex]:
    dates = pd.to_datetime(articles["date"], errors="coerce", utc=True).dt.tz_convert(None)
    periods = dates.dt.to_period(freq)
    per_doc = pd.DataFrame({"doc_id": articles["doc_id"].astype(str), "period": periods.dt.start_time})
    joined = tokens.assign(doc_id=tokens["doc_id"].astype(str)).merge(per_doc, on="doc_id", how="inner")
    dated = periods.dropna()
    full = pd.period_range(dated.min(), dated.max(), freq=freq).start_time if len(dated) else pd.DatetimeIndex([])
    return joined.dropna(subset=["period"]), full


def term_trend(tokens: pd.DataFrame, articles: pd.DataFrame, terms, *, freq: str = "M") -> pd.DataFrame:
    """How often each of ``terms`` occurs per period (``freq``: "D", "W", "M", "Q", "Y"), in the trends schema.

    Columns: ``period`` (start of the period), ``term``, ``count``, ``n_articles`` (dated articles in the period),
    ``n_tokens`` (content tokens in the period), ``per_10k`` = 10,000 × count / n_tokens, ``share_articles`` =
    articles containing the term / n_articles. Periods without articles are ``NaN`` (no data), never 0; undated
    articles cannot be placed and are left out (``articles["date"].isna().sum()`` says how many).

    >>> arts = pd.DataFrame({"doc_id": ["a", "b"], "date": pd.to_datetime(["2019-01-05", "2019-03-01"], utc=True)})
    >>> toks = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "term": ["libya", "drug", "libya", "libya"],
    ...                      "is_stop": False, "is_punct": False})
    >>> term_trend(toks, arts, "libya")[["count", "n_articles", "per_10k", "share_articles"]].values.tolist()
    [[1.0, 1.0, 5000.0, 1.0], [nan, nan, nan, nan], [2.0, 1.0, 10000.0, 1.0]]
    """
    terms = [terms] if isinstance(terms, str) else list(terms)
    counted = content_tokens(tokens)
    joined, full = _dated(counted[["doc_id", "term"]].assign(term=counted["term"].astype(str)), articles, freq)
    n_tokens = joined.groupby("period").size().reindex(full)
    dates = pd.to_datetime(articles["date"], errors="coerce", utc=True).dt.tz_convert(None)
    n_articles = dates.dt.to_period(freq).dt.start_time.value_counts().reindex(full)
    frames = []
    for term in terms:
        hits = joined[joined["term"] == term]
        count = hits.groupby("period").size().reindex(full).fillna(0)
        with_term = hits.groupby("period")["doc_id"].nunique().reindex(full).fillna(0)
        has_data = n_articles.notna() & (n_articles > 0)
        frame = pd.DataFrame({"period": full, "term": term, "count": count.where(has_data).to_numpy(dtype=float),
                              "n_articles": n_articles.to_numpy(dtype=float),
                              "n_tokens": n_tokens.to_numpy(dtype=float)})
        frame["per_10k"] = 10_000 * frame["count"] / frame["n_tokens"]
        frame["share_articles"] = with_term.where(has_data).to_numpy(dtype=float) / frame["n_articles"]
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=TREND_COLUMNS)
    return pd.concat(frames, ignore_index=True)[TREND_COLUMNS]


def term_kwic(tokens: pd.DataFrame, articles: pd.DataFrame, term: str, *, width: int = 60,
              max_lines: int | None = None) -> pd.DataFrame:
    """Keyword-in-context lines for ``term``, cut from the article text by the tokens' character offsets.

    Columns: ``doc_id, title, date, source, left, keyword, right`` (``left``/``right``: up to ``width`` characters,
    whitespace collapsed), ordered by date then position, so the lines read as the story unfolded.

    >>> arts = pd.DataFrame({"doc_id": ["a"], "title": ["MoU"], "date": [pd.NaT], "source": ["x"],
    ...                      "text": ["Libya and the US signed. Libya agreed."]})
    >>> toks = pd.DataFrame({"doc_id": ["a", "a"], "term": ["libya", "libya"], "start": [0, 25], "end": [5, 30]})
    >>> term_kwic(toks, arts, "libya", width=11)[["left", "keyword", "right"]].values.tolist()
    [['', 'Libya', ' and the US'], ['US signed. ', 'Libya', ' agreed.']]
    """
    missing = [c for c in ("start", "end") if c not in tokens.columns]
    if missing:
        raise ValueError(f"term_kwic needs the token offsets {missing} (tokens from helpers.tokenize have them)")
    hits = tokens.loc[tokens["term"].astype(str) == term, ["doc_id", "start", "end"]]
    hits = hits.assign(doc_id=hits["doc_id"].astype(str))
    meta = articles.assign(doc_id=articles["doc_id"].astype(str))
    meta = meta[[c for c in ["doc_id", "title", "date", "source", "text"] if c in meta.columns]]
    joined = hits.merge(meta, on="doc_id", how="inner")
    if "date" in joined.columns:
        joined = joined.sort_values(["date", "doc_id", "start"], na_position="last", kind="stable")
    if max_lines is not None:
        joined = joined.head(max_lines)

    def squeeze(text: str) -> str:
        return " ".join(text.split())

    rows = []
    for row in joined.itertuples(index=False):
        text, start, end = str(row.text), int(row.start), int(row.end)
        left = text[max(0, start - width):start]
        right = text[end:end + width]
        rows.append({"doc_id": row.doc_id, "title": getattr(row, "title", None), "date": getattr(row, "date", None),
                     "source": getattr(row, "source", None),
                     "left": squeeze(left) + (" " if left[-1:].isspace() else ""),
                     "keyword": text[start:end],
                     "right": (" " if right[:1].isspace() else "") + squeeze(right)})
    return pd.DataFrame(rows, columns=KWIC_COLUMNS)


def term_collocates(tokens: pd.DataFrame, term: str, *, window: int = 5, n: int = 20,
                    min_frequency: int = 2) -> pd.DataFrame:
    """Content words within ``window`` tokens of ``term`` (same article, same sentence when a ``sentence`` column
    exists), ranked by logDice.

    logDice = 14 + log₂(2·f(term, collocate) / (f(term) + f(collocate))) (Rychlý 2008, *A lexicographer-friendly
    association score*): 14 at most, independent of corpus size. Columns: ``term, collocate, frequency``
    (co-occurrences in the window), ``collocate_frequency``, ``log_dice``. Stopwords and punctuation are not
    collocates; positions are counted in the full token table, so a window spans them.

    >>> toks = pd.DataFrame({"doc_id": "a", "sentence": 0, "position": range(6),
    ...                      "term": ["libya", "drug", "libya", "drug", "us", "x"], "is_stop": False, "is_punct": False})
    >>> term_collocates(toks, "libya", window=1, min_frequency=1)[["collocate", "frequency", "log_dice"]].values.tolist()
    [['drug', 2, 14.0]]
    """
    frame = tokens.assign(doc_id=tokens["doc_id"].astype(str), term=tokens["term"].astype(str))
    if "position" not in frame.columns:
        frame = frame.assign(position=frame.groupby("doc_id").cumcount())
    content = content_tokens(frame)
    keys = ["doc_id"] + (["sentence"] if "sentence" in frame.columns else [])
    nodes = content.loc[content["term"] == term, [*keys, "position"]]
    if nodes.empty:
        return pd.DataFrame(columns=COLLOCATE_COLUMNS)
    pairs = nodes.merge(content[[*keys, "position", "term"]], on=keys, suffixes=("_node", ""))
    near = pairs[(pairs["position"] - pairs["position_node"]).abs().between(1, window) & (pairs["term"] != term)]
    # a collocate token near two occurrences of the term counts once, so f(term, collocate) <= f(collocate)
    # and logDice stays at most 14
    counts = near.drop_duplicates([*keys, "position"]).groupby("term").size().rename("frequency")
    totals = content["term"].value_counts()
    table = counts.to_frame().assign(collocate_frequency=totals.reindex(counts.index).to_numpy())
    f_term = int(totals.get(term, 0))
    table["log_dice"] = 14 + np.log2(2 * table["frequency"] / (f_term + table["collocate_frequency"]))
    table = table[table["frequency"] >= min_frequency].rename_axis("collocate").reset_index()
    table = table.assign(term=term).sort_values(["log_dice", "frequency", "collocate"],
                                                 ascending=[False, False, True]).head(n)
    return table[COLLOCATE_COLUMNS].reset_index(drop=True)


class TermExplorer:
    """The widget behind :func:`explore`: a term picker and three views that follow it."""

    def __init__(self, tokens: pd.DataFrame, articles: pd.DataFrame, *, terms=None, freq: str = "M",
                 window: int = 5, max_lines: int = 15, n_terms: int = 300):
        import ipywidgets as widgets

        self.tokens, self.articles, self.freq, self.window, self.max_lines = tokens, articles, freq, window, max_lines
        if terms is None:
            counts = content_tokens(tokens)["term"].astype(str)
            counts = counts[counts.str.match(r"[^\W\d_]")].value_counts()
            terms = counts.head(n_terms).index.tolist()
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

        from .plots import plot_trends

        term = (term or "").strip().lower()
        if not term:
            return
        self.trend = term_trend(self.tokens, self.articles, term, freq=self.freq)
        self.kwic = term_kwic(self.tokens, self.articles, term, max_lines=self.max_lines)
        self.collocates = term_collocates(self.tokens, term, window=self.window)
        total = int(np.nansum(self.trend["count"])) if len(self.trend) else 0
        self.status.value = f"&nbsp;<b>{total:,}</b> occurrences in dated articles"
        for out in (self.trend_out, self.kwic_out, self.colloc_out):
            out.clear_output(wait=True)
        with self.trend_out:
            if total:
                ax = plot_trends(self.trend, terms=[term], small_multiples=False)
                display(ax.figure)
                plt.close(ax.figure)
            else:
                print(f"'{term}' does not occur in any dated article.")
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
    """
    explorer = TermExplorer(tokens, articles, terms=terms, freq=freq, window=window, max_lines=max_lines)
    explorer.widget.explorer = explorer
    return explorer.widget


