"""Heatmaps of a tidy table: rows by columns (terms x periods, themes x sources), blank where there is no data."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.charts.layout import axis_label, finish, left_title, period_label, require_columns, require_values
from helpers.charts.style import styled

ANNOTATE_UP_TO = 150  # cells in a grid small enough to write each value in its cell

@styled
def plot_heatmap(table: pd.DataFrame, index: str, columns: str, values: str, *, ax=None, cmap: str = "viridis",
                 title: str | None = None, note: str | None = None):
    """Heatmap of ``values`` with ``index`` as rows and ``columns`` as columns (e.g. terms × months, terms × sources).

    Cells without data are left blank (grey), not coloured as zero; values are written in the cells when the grid has
    at most :data:`ANNOTATE_UP_TO` cells (to hide them: ``for text in ax.texts: text.remove()``). Rows are ordered by
    their mean, highest first; a sparse grid (more than half blank, such as key terms per period) is ordered by the
    column where each row peaks, so it reads as a diagonal.

    >>> f = pd.DataFrame({"source": ["a", "a", "b"], "term": ["libya", "drug", "libya"], "per_10k": [3.0, 1.0, 2.0]})
    >>> ax = plot_heatmap(f, index="term", columns="source", values="per_10k", note="")
    >>> ax.images[0].get_array().shape, [t.get_text() for t in ax.get_yticklabels()]
    ((2, 2), ['libya', 'drug'])
    """
    require_columns(table, [index, columns, values], "plot_heatmap")
    require_values(table, values, "plot_heatmap")
    # dropna=False keeps periods or groups without data as blank columns instead of silently closing the gap
    grid = table.pivot_table(index=index, columns=columns, values=values, aggfunc="first", sort=False, dropna=False)
    grid = grid.reindex(columns=sorted(grid.columns))
    if grid.isna().to_numpy().mean() > 0.5:
        # a sparse grid (each term key in one period or two) reads best as a diagonal: rows by where they peak
        peak = grid.fillna(-np.inf).to_numpy().argmax(axis=1)
        order = pd.DataFrame({"peak": peak, "top": -grid.max(axis=1).to_numpy()}, index=grid.index)
        grid = grid.loc[order.sort_values(["peak", "top"], kind="stable").index]
    else:
        grid = grid.loc[grid.mean(axis=1).sort_values(ascending=False, kind="stable").index]
    if ax is None:
        _, ax = plt.subplots(figsize=(max(4.0, 0.55 * grid.shape[1] + 2.5), max(2.5, 0.3 * grid.shape[0] + 1.5)))
    masked = np.ma.masked_invalid(grid.to_numpy(dtype=float))
    colormap = plt.get_cmap(cmap).with_extremes(bad="#eeeeee")
    image = ax.imshow(masked, aspect="auto", cmap=colormap, interpolation="nearest")
    ax.set_xticks(range(grid.shape[1]), [period_label(c) for c in grid.columns], rotation=45, ha="right")
    ax.set_yticks(range(grid.shape[0]), [str(i) for i in grid.index])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    height = ax.figure.get_figheight()
    bar = ax.figure.colorbar(image, ax=ax, shrink=min(0.8, 4.0 / height), aspect=20, fraction=0.05)
    bar.set_label(axis_label(values))
    if values == "share_articles":
        from matplotlib.ticker import PercentFormatter

        bar.formatter = PercentFormatter(xmax=1)
    bar.outline.set_visible(False)
    if grid.size <= ANNOTATE_UP_TO:
        middle = np.nanmean(masked.filled(np.nan)) if masked.count() else 0
        for (row, col), cell in np.ndenumerate(masked.filled(np.nan)):
            if not np.isnan(cell):
                ax.text(col, row, f"{cell:.0%}" if values == "share_articles" else f"{cell:.3g}", ha="center",
                        va="center", fontsize=7,
                        color="white" if cell < middle else "black")
    ax.set_xlabel(columns.replace("_", " "))
    ax.set_ylabel(index.replace("_", " "))
    left_title(ax, title or f"{axis_label(values)} by {index.replace('_', ' ')} and {columns.replace('_', ' ')}")
    return finish(ax.figure, ax, note)
