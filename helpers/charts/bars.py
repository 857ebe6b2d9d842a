"""Ranked bars: term frequencies, two-sided keyness, collocations with their measures."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.charts.layout import axis_label, finish, left_title, panels, period_label, require_columns, require_values
from helpers.charts.style import NEUTRAL_COLOR, REFERENCE_COLOR, TARGET_COLOR, styled

COLLOCATION_NAMES = {"likelihood_ratio": "log-likelihood ratio (G²)", "pmi": "PMI", "t_score": "t-score",
                     "chi_sq": "χ²", "dice": "Dice", "log_dice": "logDice", "frequency": "frequency"}


def _frequency_bars(ax, table: pd.DataFrame, n: int, value: str, color: str):
    top = table.sort_values([value, "term"], ascending=[False, True]).head(n).iloc[::-1]
    ax.barh(top["term"].astype(str), top[value], color=color)
    ax.set_xlabel(axis_label(value))
    ax.grid(axis="x")
    ax.tick_params(axis="y", length=0)
    ax.margins(y=0.01)
    return top


@styled
def plot_frequencies(freq: pd.DataFrame, *, n: int = 20, by: str | None = None, value: str = "per_10k", ax=None,
                     title: str | None = None, ncols: int | None = None, note: str | None = None):
    """Ranked horizontal bars of the ``n`` most frequent terms of a :func:`helpers.frequencies` table.

    With ``by`` (a grouping column of the table) one panel per group, each with its own top ``n``.
    ``value`` is the bar length: ``per_10k`` (default), ``frequency`` or ``docfreq``.

    >>> freq = pd.DataFrame({"term": ["drug", "libya"], "frequency": [3, 2], "per_10k": [30.0, 20.0]})
    >>> ax = plot_frequencies(freq, note="")
    >>> len(ax.patches), ax.get_title()
    (2, 'Top 2 terms, frequency per 10,000 tokens')
    """
    require_columns(freq, ["term", value] + ([by] if by else []), "plot_frequencies")
    require_values(freq, value, "plot_frequencies", positive=True)
    if by is None:
        if ax is None:
            fig, ax = plt.subplots(figsize=(6, 0.24 * min(n, len(freq)) + 1.2))
        top = _frequency_bars(ax, freq, n, value, TARGET_COLOR)
        unit = "per 10,000 tokens" if value == "per_10k" else axis_label(value).lower()
        left_title(ax, title or f"Top {len(top)} terms, frequency {unit}")
        return finish(ax.figure, ax, note)
    groups = [g for g in pd.unique(freq[by]) if not pd.isna(g)]
    fig, axes = panels(ax, len(groups), ncols=ncols, panel_size=(3.4, 0.22 * n + 1.0))
    for panel, group in zip(axes, groups):
        _frequency_bars(panel, freq[freq[by] == group], n, value, TARGET_COLOR)
        left_title(panel, period_label(group), fontsize=10)
    unit = "per 10,000 tokens" if value == "per_10k" else axis_label(value).lower()
    return finish(fig, axes[0], note, title or f"Top {n} terms by {by}, frequency {unit}")


# --- keyness ----------------------------------------------------------------------------------------------------


@styled
def plot_keyness(keyness_table: pd.DataFrame, *, n: int = 15, effect: str = "log_ratio", rank_by: str = "g2",
                 labels: tuple[str, str] = ("target", "reference"), ax=None, title: str | None = None,
                 note: str | None = None):
    """Two-sided keyness bars: the ``n`` terms most key for the target to the right, for the reference to the left.

    Terms are chosen by the size of ``rank_by`` (G² by default, signed or not: strength of evidence) within each
    side and drawn at their
    ``effect`` (log ratio by default: how much more frequent, log₂, so +1 = twice as frequent); the confidence interval
    is drawn when the table has ``{effect}_ci_low/high``. Significant terms are solid, the others pale and marked
    "n.s.". Infinite effects (a term absent on one side) are drawn at the axis edge and marked "∞". ``labels`` name
    the two sides in the legend and title: ``labels=("Libya articles", "the rest")``.

    >>> k = pd.DataFrame({"term": ["libya", "drug", "trump"], "g2": [20.0, 9.0, 6.0], "log_ratio": [3.0, 2.0, -2.5],
    ...                   "key_for": ["target", "target", "reference"], "significant": [True, True, False]})
    >>> ax = plot_keyness(k, note="")
    >>> len(ax.patches), [t.get_text() for t in ax.texts]
    (3, ['libya', 'drug', 'trump  n.s.'])
    """
    require_columns(keyness_table, ["term", effect, "key_for", rank_by], "plot_keyness")
    target_label, reference_label = labels
    require_values(keyness_table, effect, "plot_keyness")
    table = keyness_table.copy()
    if "significant" not in table.columns:
        table["significant"] = True
    sides = []
    # G² may be signed (negative for reference terms): the strength of evidence is its size
    table["_strength"] = pd.to_numeric(table[rank_by], errors="coerce").abs()
    for side in ("target", "reference"):
        chosen = table[table["key_for"] == side].nlargest(n, "_strength")
        sides.append(chosen.assign(_magnitude=chosen[effect].abs()).sort_values("_magnitude", ascending=False))
    target, reference = sides
    # strongest target term on top, strongest reference term at the bottom
    rows = pd.concat([target, reference.iloc[::-1]], ignore_index=True)
    values = rows[effect].astype(float).to_numpy()
    finite = np.abs(values[np.isfinite(values)])
    edge = (finite.max() if finite.size else 1.0) * 1.15
    shown = np.clip(np.nan_to_num(values, nan=0.0, posinf=edge, neginf=-edge), -edge, edge)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.26 * len(rows) + 1.6))
    # reference rows at the bottom, target rows on top: y runs from bottom to top
    y = np.arange(len(rows))[::-1]
    colors = [TARGET_COLOR if side == "target" else REFERENCE_COLOR for side in rows["key_for"]]
    significant = rows["significant"].astype(bool).to_numpy()
    bars = ax.barh(y, shown, color=colors, height=0.75)
    # a term key for one side whose effect points the other way (a zero count smoothed by the effect size) is
    # hatched, so the chart never silently contradicts the table's key_for
    contradicts = ((rows["key_for"] == "target").to_numpy() & (shown < 0)) | \
        ((rows["key_for"] == "reference").to_numpy() & (shown > 0))
    for bar, is_significant, odd in zip(bars, significant, contradicts):
        bar.set_alpha(1.0 if is_significant else 0.35)
        if odd:
            bar.set_hatch("////")
            bar.set_edgecolor("#555555")
    low, high = f"{effect}_ci_low", f"{effect}_ci_high"
    lo, hi = shown.copy(), shown.copy()
    if low in rows.columns and high in rows.columns:
        lo = np.clip(np.nan_to_num(rows[low].astype(float), nan=0.0, posinf=edge, neginf=-edge), -edge, edge)
        hi = np.clip(np.nan_to_num(rows[high].astype(float), nan=0.0, posinf=edge, neginf=-edge), -edge, edge)
        lo, hi = np.minimum(lo, shown), np.maximum(hi, shown)
        ax.errorbar(shown, y, xerr=[shown - lo, hi - shown], fmt="none", ecolor="#333333", elinewidth=0.8,
                    capsize=2)
    pad = edge * 0.02
    # the term sits on the other side of zero from its bar, clear of the interval when that crosses zero
    for yi, value, raw, term, is_significant, left, right in zip(y, shown, values, rows["term"].astype(str),
                                                                 significant, lo, hi):
        label = term + ("" if is_significant else "  n.s.")
        ax.text(min(0.0, left) - pad if value >= 0 else max(0.0, right) + pad, yi, label, va="center",
                ha="right" if value >= 0 else "left", fontsize=8.5,
                color="#222222" if is_significant else "#777777")
        if np.isinf(raw):
            ax.text(value, yi, " ∞ " if value > 0 else " ∞ ", va="center", ha="left" if value > 0 else "right",
                    fontsize=8, color="#333333")
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    # room for the terms on the side opposite their bars: at least 40 % of the widest extent on each side
    extent = max(np.abs(lo).max(initial=0), np.abs(hi).max(initial=0), 1e-9)
    ax.set_xlim(-max(np.abs(np.minimum(lo, 0)).max(initial=0) * 1.08, 0.4 * extent),
                max(np.maximum(hi, 0).max(initial=0) * 1.08, 0.4 * extent))
    ax.set_xlabel(axis_label(effect))
    ax.grid(axis="x")
    from matplotlib.patches import Patch

    handles = [Patch(color=TARGET_COLOR, label=f"key for {target_label}"),
               Patch(color=REFERENCE_COLOR, label=f"key for {reference_label}"),
               Patch(color=NEUTRAL_COLOR, alpha=0.35, label="not significant (n.s.)")]
    if contradicts.any():
        handles.append(Patch(facecolor="white", edgecolor="#555555", hatch="////",
                             label=f"{axis_label(effect).split(' (')[0].lower()} points the other way (a zero count)"))
    # outside the bars: inside, it would cover a term's label on one side or the other
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.09), ncols=2, fontsize=8.5)
    short = {"g2": "G²", "chi2": "χ²", "log_ratio": "log ratio", "p_value": "p"}.get(rank_by, rank_by)
    left_title(ax, title or f"Key terms: {target_label} vs {reference_label} (top {n} per side by {short})")
    return finish(ax.figure, ax, note)


@styled
def plot_collocations(collocations_table: pd.DataFrame, *, n: int = 20, measure: str = "likelihood_ratio",
                      columns=("frequency", "pmi", "log_dice"), ax=None, title: str | None = None,
                      note: str | None = None):
    """Table-plot of the top ``n`` collocations by ``measure``: a bar per n-gram, and beside it the other measures
    as a small table (``columns`` present in the table).

    >>> c = pd.DataFrame({"ngram": ["united states", "drug trafficking"], "frequency": [12, 5],
    ...                   "pmi": [6.1, 7.3], "likelihood_ratio": [80.2, 40.5], "log_dice": [12.5, 11.9]})
    >>> ax = plot_collocations(c, note="")
    >>> len(ax.patches), [t.get_text() for t in ax.get_yticklabels()], ax.get_title()
    (2, ['drug trafficking', 'united states'], 'Top 2 collocations by log-likelihood ratio (G²)')
    """
    require_columns(collocations_table, ["ngram", measure], "plot_collocations")
    require_values(collocations_table, measure, "plot_collocations")
    top = collocations_table.sort_values([measure, "ngram"], ascending=[False, True]).head(n).iloc[::-1]
    extra = [c for c in columns if c in top.columns and c != measure]
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5 + 0.9 * len(extra), 0.26 * len(top) + 1.4))
    ax.barh(top["ngram"].astype(str), top[measure], color=TARGET_COLOR)
    ax.set_xlabel(axis_label(measure))
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x")
    ax.margins(y=0.01)
    # the other measures as right-hand table columns, in axes coordinates so they sit outside the bars
    for j, column in enumerate(extra):
        x = 1.04 + 0.16 * j
        header = {"likelihood_ratio": "G²", "frequency": "freq", "pmi": "PMI", "log_dice": "logDice",
                  "t_score": "t", "chi_sq": "χ²"}.get(column, column.replace("_", "\n"))
        ax.text(x, 1.0, header, transform=ax.transAxes, ha="right", va="bottom", fontsize=8, fontweight="bold")
        for yi, cell in enumerate(top[column]):
            text = f"{cell:,.0f}" if column == "frequency" or abs(cell) >= 100 else f"{cell:.3g}"
            ax.text(x, yi, text, transform=ax.get_yaxis_transform(), ha="right", va="center", fontsize=8)
    left_title(ax, title or f"Top {len(top)} collocations by {COLLOCATION_NAMES.get(measure, axis_label(measure))}",
           pad=30 if extra else 8)
    return finish(ax.figure, ax, note)
