"""Charts over time: terms per period (small multiples or one Axes) and sentiment per period."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.charts.layout import (axis_label, finish, grid_columns, left_title, nothing_to_plot, panels,
                                   require_columns, require_values)
from helpers.charts.style import NEUTRAL_COLOR, TARGET_COLOR, styled


def _events(events) -> list[tuple[pd.Timestamp, str]]:
    if events is None:
        return []
    if isinstance(events, pd.DataFrame):
        require_columns(events, ["date", "label"], "events")
        events = dict(zip(events["date"], events["label"]))
    return [(pd.Timestamp(date), str(label)) for date, label in dict(events).items()]


def _naive(values: pd.Series) -> pd.Series:
    values = pd.to_datetime(values)
    return values.dt.tz_convert(None) if values.dt.tz is not None else values


@styled
def plot_trends(trends_table: pd.DataFrame, *, terms=None, value: str = "per_10k", events=None, ax=None,
                ncols: int | None = None, title: str | None = None, note: str | None = None):
    """Terms over time from a trends table: one panel per term (small multiples) or all terms on one Axes.

    Periods without articles (``NaN``) are gaps in the line, never zeros. ``value`` is ``per_10k`` (default),
    ``share_articles`` (a fraction, shown in %) or ``count``. ``events`` (``{date: label}`` or a frame with
    ``date, label``) are marked with dashed lines. More than one term without ``ax``, or a list of Axes as ``ax``,
    gives small multiples (one panel per term); one Axes as ``ax`` gets every term, one line each.

    >>> tr = pd.DataFrame({"period": pd.to_datetime(["2019-01-01", "2019-02-01", "2019-03-01"] * 2),
    ...                    "term": ["libya"] * 3 + ["drug"] * 3, "per_10k": [1.0, None, 2.0, 0.5, None, 0.0]})
    >>> ax = plot_trends(tr, note="")
    >>> len(ax.figure.axes), int(np.isnan(ax.lines[0].get_ydata()).sum())
    (2, 1)
    >>> fig, one = plt.subplots(); len(plot_trends(tr, ax=one, note="").lines)
    2
    """
    require_columns(trends_table, ["period", "term", value], "plot_trends")
    wanted = trends_table["term"].astype(str).isin([terms] if isinstance(terms, str) else list(map(str, terms))) \
        if terms is not None else pd.Series(True, index=trends_table.index)
    # the terms asked for must have a value (unknown terms are reported below)
    require_values(trends_table[wanted] if wanted.any() else trends_table, value, "plot_trends")
    table = trends_table.assign(period=_naive(trends_table["period"]), term=trends_table["term"].astype(str))
    if terms is None:
        terms = list(pd.unique(table["term"]))
    terms = [terms] if isinstance(terms, str) else list(terms)
    unknown = [t for t in terms if t not in set(table["term"])]
    if unknown:
        raise ValueError(f"plot_trends: {unknown} not in the trends table (terms: {sorted(set(table['term']))[:20]})")
    # a period one term lacks is a gap for that term too, so every line runs over the same periods
    wide = table[table["term"].isin(terms)].pivot_table(index="period", columns="term", values=value,
                                                       aggfunc="first", dropna=False).sort_index()
    periods = wide.index
    small_multiples = len(terms) > 1 if ax is None else np.ndim(ax) > 0
    marked = _events(events)
    if small_multiples:
        fig, axes = panels(ax, len(terms), ncols=ncols, sharex=True, sharey=True)
    else:
        if ax is None:
            _, ax = plt.subplots(figsize=(8, 3.6))
        fig, axes = ax.figure, [ax] * len(terms)
    for i, (panel, term) in enumerate(zip(axes, terms)):
        color = TARGET_COLOR if small_multiples else f"C{i % 8}"
        panel.plot(periods, wide[term].to_numpy(dtype=float) if term in wide else np.full(len(periods), np.nan),
                   marker="o", color=color, label=term)
        if small_multiples:
            left_title(panel, term, fontsize=10)
    for panel in dict.fromkeys(axes):
        panel.grid(axis="y")
        panel.set_ylim(bottom=0) if value != "compound" else None
        if value == "share_articles":
            from matplotlib.ticker import PercentFormatter

            panel.yaxis.set_major_formatter(PercentFormatter(xmax=1))
        for date, label in marked:
            panel.axvline(date, color="#666666", linestyle="--", linewidth=0.8)
            panel.annotate(label, (date, 1), xycoords=("data", "axes fraction"), xytext=(2, -2),
                           textcoords="offset points", va="top", fontsize=7.5, color="#444444")
        panel.tick_params(axis="x", labelrotation=30)
    if small_multiples:
        # shared x axes hide tick labels above a panel; the last panel in each column needs them back
        for i, panel in enumerate(axes):
            if i + grid_columns(len(axes), ncols) >= len(axes):
                panel.xaxis.set_tick_params(labelbottom=True)
    first = axes[0]
    first.set_ylabel(axis_label(value))
    if small_multiples:
        for panel in axes[::grid_columns(len(axes), ncols)]:
            panel.set_ylabel(axis_label(value) if value != "per_10k" else "Per 10,000 tokens")
        heading = title or f"{axis_label(value).split(' (')[0]} of {len(terms)} terms per period (a gap = no articles)"
        return finish(fig, first, note, heading)
    if len(terms) > 1:
        first.legend()
    left_title(first, title or f"{', '.join(terms[:4])}{' …' if len(terms) > 4 else ''} over time "
                    f"(a gap = no articles)")
    return finish(fig, first, note)


@styled
def plot_sentiment(sentiment_table: pd.DataFrame, *, freq: str = "M", value: str = "compound", ax=None,
                   title: str | None = None, note: str | None = None):
    """Sentiment over time: each article's score as a dot, the mean per period (``freq``: "D", "W", "M", "Q")
    as a line with a 95 % interval (mean ± 1.96 standard errors). Periods without articles are gaps.

    Sentence-level rows (a ``sentence`` column) are averaged per article first; undated articles cannot be placed
    in time and are counted in the subtitle, not dropped silently.

    >>> s = pd.DataFrame({"doc_id": ["a", "b", "c"], "compound": [0.5, -0.2, 0.1],
    ...                   "date": pd.to_datetime(["2019-01-05", "2019-03-02", None], utc=True)})
    >>> ax = plot_sentiment(s, note="")
    >>> ax.lines[0].get_ydata().tolist(), ax.get_title()
    ([0.5, nan, -0.2], 'Sentiment per month: mean VADER compound score of 2 articles (1 undated not shown)')
    """
    require_columns(sentiment_table, ["doc_id", "date", value], "plot_sentiment")
    require_values(sentiment_table, value, "plot_sentiment")
    per_article = sentiment_table
    if "sentence" in sentiment_table.columns:
        per_article = sentiment_table.groupby("doc_id", as_index=False).agg(date=("date", "first"),
                                                                               **{value: (value, "mean")})
    dates = _naive(pd.to_datetime(per_article["date"], errors="coerce", utc=True))
    dated = per_article.assign(date=dates).dropna(subset=["date"])
    undated = len(per_article) - len(dated)
    if dated.empty:
        nothing_to_plot("plot_sentiment", "no article has a date, so nothing can be placed in time")
    dated = dated.assign(period=dated["date"].dt.to_period(freq).dt.start_time)
    stats = dated.groupby("period")[value].agg(["mean", "std", "count"])
    periods = pd.period_range(dated["date"].min(), dated["date"].max(), freq=freq)
    stats = stats.reindex(periods.start_time)
    # each period's mean is drawn at the middle of the period, among the articles it summarises
    stats.index = periods.start_time + (periods.end_time - periods.start_time) / 2
    half = 1.96 * stats["std"].fillna(0) / np.sqrt(stats["count"])
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.6))
    ax.plot(stats.index, stats["mean"], marker="o", color=TARGET_COLOR, label=f"mean per period")
    ax.fill_between(stats.index, stats["mean"] - half, stats["mean"] + half, color=TARGET_COLOR, alpha=0.15,
                    linewidth=0, label="95 % interval of the mean")
    ax.scatter(dated["date"], dated[value], s=8, color=NEUTRAL_COLOR, alpha=0.6, label="one article", zorder=1)
    ax.axhline(0, color="#333333", linewidth=0.8)
    ax.set_ylim(-1.05, 1.05) if value == "compound" else None
    ax.set_ylabel(axis_label(value))
    ax.grid(axis="y")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=3, markerscale=1.5, fontsize=8.5)
    names = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}
    shown = f" ({undated} undated not shown)" if undated else ""
    left_title(ax, title or f"Sentiment per {names.get(freq, freq)}: mean VADER {value} score of "
                 f"{len(dated)} articles{shown}")
    return finish(ax.figure, ax, note)
