"""What every chart shares: the checks that stop before an empty chart ("nothing to plot"), axis labels, titles,
small-multiple grids and the finishing step (figure title, source note)."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.charts.notes import add_source_note

VALUE_LABELS = {
    "per_10k": "Frequency (per 10,000 tokens)",
    "frequency": "Frequency (occurrences)",
    "count": "Occurrences",
    "share_articles": "Share of articles",
    "docfreq": "Articles containing the term",
    "tfidf": "TF-IDF weight",
    "weight": "Weight",
    "log_ratio": "Log ratio (log\u2082 of the ratio of relative frequencies)",
    "pct_diff": "%DIFF (difference of relative frequencies, %)",
    "g2": "Log-likelihood G\u00b2",
    "pmi": "PMI (log\u2082 observed / expected)",
    "likelihood_ratio": "Log-likelihood ratio G\u00b2",
    "t_score": "t-score",
    "chi_sq": "\u03c7\u00b2",
    "dice": "Dice coefficient (0\u20131)",
    "log_dice": "logDice (maximum 14)",
    "compound": "VADER compound (\u22121 \u2026 +1)",
}


def left_title(ax, text: str, **kwargs):
    """Title in the centre slot (so ``ax.get_title()`` finds it) but aligned left, as the house style wants.

    >>> fig, ax = plt.subplots(); left_title(ax, "Top terms"); ax.get_title(), ax.title.get_ha()
    ('Top terms', 'left')
    """
    ax.set_title(text, **kwargs)
    ax.title.set_horizontalalignment("left")
    ax.title.set_x(0.0)


def axis_label(value: str) -> str:
    """The axis label of a value column: with its unit when the kit knows it, else the name in words.

    >>> axis_label("per_10k"), axis_label("share_of_voice")
    ('Frequency (per 10,000 tokens)', 'share of voice')
    """
    return VALUE_LABELS.get(value, value.replace("_", " "))


def require_columns(table: pd.DataFrame, columns, what: str) -> None:
    """Stop before drawing, naming the columns ``what`` (a plot function) needs that ``table`` lacks.

    >>> require_columns(pd.DataFrame({"term": []}), ["term", "g2"], "plot_keyness")
    Traceback (most recent call last):
    ValueError: plot_keyness needs columns ['g2']; the table has ['term']
    """
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{what} needs columns {missing}; the table has {list(table.columns)}")


def nothing_to_plot(what: str, why: str):
    """Raise the one error every plot function gives when its table holds nothing to draw.

    >>> nothing_to_plot("plot_trends", "no article has a date")
    Traceback (most recent call last):
    ValueError: nothing to plot: plot_trends: no article has a date
    """
    raise ValueError(f"nothing to plot: {what}: {why}")


def require_values(table: pd.DataFrame, column: str, what: str, *, positive: bool = False) -> None:
    """Stop before drawing when ``column`` has no finite (or, with ``positive``, no positive) value.

    >>> require_values(pd.DataFrame({"per_10k": [0.0]}), "per_10k", "plot_frequencies", positive=True)
    Traceback (most recent call last):
    ValueError: nothing to plot: plot_frequencies: no row has a positive 'per_10k'
    """
    if table.empty:
        nothing_to_plot(what, "the table has no rows")
    values = pd.to_numeric(table[column], errors="coerce").astype(float).to_numpy()
    usable = np.isfinite(values) & (values > 0) if positive else ~np.isnan(values)
    if not usable.any():
        nothing_to_plot(what, f"no row has a {'positive' if positive else 'numeric'} {column!r}")


def grid_columns(n_panels: int, ncols: int | None) -> int:
    """Columns of a small-multiples grid: as asked, else 2 for 4 panels (a square), else up to 3.

    >>> grid_columns(4, None), grid_columns(7, None), grid_columns(2, 5)
    (2, 3, 2)
    """
    if ncols is None:
        ncols = 2 if n_panels == 4 else 3
    return max(1, min(ncols, n_panels))


def _grid(n_panels: int, *, ncols: int | None, panel_size=(3.6, 2.6), sharex=False, sharey=False):
    ncols = grid_columns(n_panels, ncols)
    nrows = math.ceil(n_panels / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel_size[0] * ncols, panel_size[1] * nrows),
                             sharex=sharex, sharey=sharey, squeeze=False)
    axes = axes.ravel()
    for extra in axes[n_panels:]:
        extra.set_visible(False)
    return fig, list(axes[:n_panels])


def panels(ax, n_panels: int, **grid):
    """The figure and axes to draw ``n_panels`` small multiples on: a new grid, or the axes the caller gave.

    >>> fig, axes = panels(None, 5, ncols=None); len(axes), len(fig.axes)
    (5, 6)
    """
    if ax is None:
        return _grid(n_panels, **grid)
    given = list(np.ravel(ax))
    if len(given) < n_panels:
        raise ValueError(f"{n_panels} panels to draw but {len(given)} axes given; pass ax=None for a new figure")
    return given[0].figure, given[:n_panels]


def finish(fig, ax, note, title_for_figure: str | None = None):
    """The last step of every chart: the figure's title (for small multiples), the source note; returns ``ax``.

    >>> fig, ax = plt.subplots(); finish(fig, ax, "n = 3 articles", "Two panels") is ax, fig.get_suptitle()
    (True, 'Two panels')
    """
    if title_for_figure:
        fig.suptitle(title_for_figure, x=0.01, ha="left")
    add_source_note(fig, note)
    return ax


def period_label(value) -> str:
    """A period as a label: the month when it starts on the first, else the day; anything else as text.

    >>> period_label(pd.Timestamp("2019-03-01")), period_label(pd.Timestamp("2019-03-04")), period_label("BBC")
    ('2019-03', '2019-03-04', 'BBC')
    """
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}" if value.day != 1 else f"{value:%Y-%m}"
    return str(value)
