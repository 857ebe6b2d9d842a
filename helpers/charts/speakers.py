"""Charts of who is quoted, drawn from the tables of :func:`helpers.sources_quoted` (each takes a DataFrame,
accepts ``ax=None``, returns the Axes, and raises ``ValueError("nothing to plot: …")`` on a table with nothing to
draw)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.charts.layout import finish, left_title, nothing_to_plot, require_columns, require_values
from helpers.charts.style import NEUTRAL_COLOR, REFERENCE_COLOR, TARGET_COLOR, styled

LABEL_COLORS = {"PERSON": TARGET_COLOR, "ORGANIZATION": REFERENCE_COLOR}


@styled
def plot_top_speakers(speakers: pd.DataFrame, *, n: int = 15, value: str = "n_quotes", ax=None,
                      title: str | None = None, note: str | None = None):
    """Horizontal bars of the ``n`` most quoted speakers of a ``sources_quoted(..., what="speakers")`` table
    (summed over its groups), coloured by type (people blue, organisations orange, others grey).

    >>> t = pd.DataFrame({"speaker_entity": ["Ann Lee", "City Council"], "speaker_label": ["PERSON", "ORGANIZATION"],
    ...                   "n_quotes": [5, 2]})
    >>> ax = plot_top_speakers(t, note="")
    >>> len(ax.patches), ax.get_title()
    (2, 'The 2 most quoted speakers (quotations)')
    """
    require_columns(speakers, ["speaker_entity", "speaker_label", value], "plot_top_speakers")
    require_values(speakers, value, "plot_top_speakers", positive=True)
    totals = (speakers.groupby("speaker_entity", sort=False)
              .agg(total=(value, "sum"), label=("speaker_label", "first")).reset_index())
    top = totals[totals["total"] > 0].sort_values(["total", "speaker_entity"], ascending=[False, True]).head(n)
    top = top.iloc[::-1]
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 0.26 * len(top) + 1.2))
    ax.barh(top["speaker_entity"].astype(str), top["total"],
            color=[LABEL_COLORS.get(label, NEUTRAL_COLOR) for label in top["label"]])
    ax.set_xlabel("quotations" if value == "n_quotes" else value.replace("_", " "))
    ax.grid(axis="x")
    ax.tick_params(axis="y", length=0)
    unit = "quotations" if value == "n_quotes" else value.replace("_", " ")
    left_title(ax, title or f"The {len(top)} most quoted speakers ({unit})")
    return finish(ax.figure, ax, note)


@styled
def plot_speaker_shares(shares: pd.DataFrame, *, key: str = "speaker_label", n: int = 6, ax=None,
                        title: str | None = None, note: str | None = None):
    """Each group's share of quotations per speaker type (``key="speaker_label"``, a ``what="types"`` table) or
    per speaker (``key="speaker_entity"``), with the Wilson interval as a whisker: one row of points per group,
    the ``n`` keys with the most quotations overall.

    >>> t = pd.DataFrame({"group": ["x", "y"], "speaker_label": ["PERSON", "PERSON"], "n_quotes": [8, 3],
    ...                   "share": [0.8, 0.3], "ci_low": [0.49, 0.1], "ci_high": [0.94, 0.6]})
    >>> ax = plot_speaker_shares(t, note="")
    >>> len(ax.lines) >= 2, ax.get_title()
    (True, 'Share of quotations by speaker label, with 95 % intervals')
    """
    require_columns(shares, ["group", key, "n_quotes", "share", "ci_low", "ci_high"], "plot_speaker_shares")
    require_values(shares, "share", "plot_speaker_shares")
    keys = shares.groupby(key)["n_quotes"].sum().sort_values(ascending=False).head(n).index.tolist()
    table = shares[shares[key].isin(keys) & shares["share"].notna()]
    if table.empty:
        nothing_to_plot("plot_speaker_shares", "no share to draw")
    groups = list(pd.unique(table["group"]))
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.45 * len(keys) * max(1, min(len(groups), 4)) / 2 + 1.6))
    palette = [TARGET_COLOR, REFERENCE_COLOR, "#009E73", "#CC79A7", "#56B4E9", "#E69F00", NEUTRAL_COLOR]
    step = 0.8 / max(len(groups), 1)
    for g, group in enumerate(groups):
        rows = table[table["group"] == group].set_index(key).reindex(keys)
        y = np.arange(len(keys)) + g * step - 0.4 + step / 2
        ax.errorbar(rows["share"], y, xerr=[rows["share"] - rows["ci_low"], rows["ci_high"] - rows["share"]],
                    fmt="o", color=palette[g % len(palette)], label=str(group), capsize=2, markersize=4)
    ax.set_yticks(np.arange(len(keys)), [str(k) for k in keys])
    ax.invert_yaxis()
    ax.set_xlabel("share of the group's quotations")
    ax.grid(axis="x")
    if len(groups) > 1:
        ax.legend(fontsize=8, frameon=False, loc="best")
    left_title(ax, title or f"Share of quotations by {key.replace('_', ' ')}, with 95 % intervals")
    return finish(ax.figure, ax, note)


@styled
def plot_quoted_share(articles_table: pd.DataFrame, *, ax=None, title: str | None = None, note: str | None = None):
    """How much of each article is quotation: the distribution of ``quoted_share`` per group of a
    ``sources_quoted(..., what="articles")`` table (a box per group, each article a point).

    >>> t = pd.DataFrame({"group": ["x", "x", "y"], "quoted_share": [0.1, 0.3, 0.5]})
    >>> ax = plot_quoted_share(t, note="")
    >>> ax.get_title()
    'Share of each article in quotation marks'
    """
    require_columns(articles_table, ["group", "quoted_share"], "plot_quoted_share")
    require_values(articles_table, "quoted_share", "plot_quoted_share")
    table = articles_table[articles_table["quoted_share"].notna()]
    groups = list(pd.unique(table["group"]))
    values = [table.loc[table["group"] == g, "quoted_share"].to_numpy(dtype=float) for g in groups]
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.5 * len(groups) + 1.4))
    ax.boxplot(values, orientation="horizontal", widths=0.5, showfliers=False)
    rng = np.random.default_rng(0)
    for i, v in enumerate(values, start=1):
        ax.scatter(v, i + rng.uniform(-0.15, 0.15, len(v)), s=6, color=TARGET_COLOR, alpha=0.5)
    ax.set_yticks(range(1, len(groups) + 1), [str(g) for g in groups])
    ax.set_xlabel("share of the article's words inside quotation marks")
    ax.grid(axis="x")
    left_title(ax, title or "Share of each article in quotation marks")
    return finish(ax.figure, ax, note)
