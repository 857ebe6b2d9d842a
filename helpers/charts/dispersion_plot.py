"""The dispersion ("x-ray") plot: where terms occur along the corpus read end to end."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.charts.layout import finish, left_title, nothing_to_plot, require_columns
from helpers.charts.style import TARGET_COLOR, styled
from helpers.frames import codes_of

RASTERIZE_ABOVE = 2000  # marks in one collection beyond which a chart draws them as pixels, not vector paths
MARK_STEPS = 4000  # distinct x positions a dense row of marks is drawn at: finer than a pixel of any saved chart


@styled
def plot_dispersion(tokens: pd.DataFrame, terms, articles: pd.DataFrame | None = None, *, ax=None,
                    title: str | None = None, note: str | None = None):
    """Dispersion ("x-ray") plot: one row per term, a tick wherever it occurs along the corpus read end to end.

    Articles are read in the order of ``articles`` sorted by date when given (so the x axis is roughly time),
    else in the token table's order; faint vertical lines mark where one article ends and the next begins.
    ``terms`` match the token table's ``term`` column (a string or a list).

    >>> t = pd.DataFrame({"doc_id": ["a"] * 4 + ["b"] * 2, "term": ["libya", "us", "drug", "libya", "drug", "x"]})
    >>> ax = plot_dispersion(t, ["libya", "drug"], note="")
    >>> [l.get_text() for l in ax.get_yticklabels()], [len(c.get_positions()) for c in ax.collections[1:]]
    (['drug (2)', 'libya (2)'], [2, 2])
    """
    require_columns(tokens, ["doc_id", "term"], "plot_dispersion")
    terms = [terms] if isinstance(terms, str) else list(terms)
    if not terms:
        raise ValueError("plot_dispersion needs at least one term")
    # Codes, not strings: on 4.6 M tokens converting, mapping and comparing strings took seconds per chart.
    term_codes, term_values = _missing_as_nan(*codes_of(tokens["term"]))
    distinct = list(dict.fromkeys(str(t) for t in terms))
    term_of_code = pd.Series(np.arange(len(distinct)), index=distinct).reindex(term_values).fillna(-1).to_numpy(int)
    hit_rows = np.flatnonzero(term_of_code[term_codes] >= 0)
    if not len(hit_rows):
        nothing_to_plot("plot_dispersion", f"none of {terms[:5]} occurs in the token table ({len(tokens):,} tokens)")
    doc_codes, doc_values = _missing_as_nan(*codes_of(tokens["doc_id"]))
    run_starts = np.flatnonzero(np.r_[True, doc_codes[1:] != doc_codes[:-1]])
    run_codes = doc_codes[run_starts]
    order = list(dict.fromkeys(doc_values[run_codes if len(np.unique(run_codes)) == len(run_codes)
                                          else pd.unique(doc_codes)]))
    ordered_by = "token table order"
    if articles is not None:
        known = articles.assign(doc_id=articles["doc_id"].astype(str))
        if "date" in known.columns:
            known = known.sort_values(["date", "doc_id"], na_position="last")
            ordered_by = "articles by date"
        present, listed = set(order), set(known["doc_id"])
        order = [d for d in known["doc_id"] if d in present] + [d for d in order if d not in listed]
    rank = {doc: i for i, doc in enumerate(order)}
    rank_of_code = np.array([rank.get(d, -1) for d in doc_values], dtype=np.int64)
    total, run_ranks = len(doc_codes), rank_of_code[run_codes]
    if run_ranks.min() >= 0 and len(np.unique(run_ranks)) == len(run_ranks):
        # each article's tokens in one run, as tokenize keeps them: a token's place along the corpus is the tokens
        # of the articles before its own plus its place in its article (no sort of every token)
        sizes = np.zeros(len(order), dtype=np.int64)
        sizes[run_ranks] = np.diff(np.r_[run_starts, total])
        article_start = np.cumsum(sizes) - sizes
        run = np.searchsorted(run_starts, hit_rows, side="right") - 1
        hit_place = article_start[run_ranks[run]] + hit_rows - run_starts[run]
        boundaries = np.cumsum(sizes[sizes > 0])[:-1]
    else:
        doc = rank_of_code[doc_codes]
        along = np.argsort(doc, kind="stable")
        place = np.empty(total, dtype=np.int64)
        place[along] = np.arange(total)
        hit_place = place[hit_rows]
        sorted_doc = doc[along]
        boundaries = np.flatnonzero(sorted_doc[1:] != sorted_doc[:-1]) + 1
    hit_term = term_of_code[term_codes[hit_rows]]
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.45 * len(terms) + 1.3))
    starts = 100 * boundaries / max(total, 1)
    # Thousands of article boundaries and hits drawn as vector paths made saving the SVG take ~15 s;
    # raster layers look the same at the saved resolution.
    ax.vlines(_distinct_marks(starts), -0.5, len(terms) - 0.5, colors="#e4e4e4", linewidth=0.5, zorder=0,
              rasterized=len(starts) > RASTERIZE_ABOVE)
    labels = []
    for row, term in enumerate(terms):
        hits = 100 * np.sort(hit_place[hit_term == distinct.index(str(term))]) / max(total, 1)
        ax.eventplot(_distinct_marks(hits), lineoffsets=len(terms) - 1 - row, linelengths=0.8, linewidths=0.9,
                     colors=TARGET_COLOR, rasterized=len(hits) > RASTERIZE_ABOVE)
        labels.append(f"{term} ({len(hits)})")
    ax.set_yticks(range(len(terms)), labels[::-1])
    ax.set_ylim(-0.6, len(terms) - 0.4)
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"Position in the corpus (% of {total:,} tokens; {len(order)} articles, {ordered_by})")
    ax.tick_params(axis="y", length=0)
    left_title(ax, title or f"Where {len(terms)} term{'s' if len(terms) != 1 else ''} occur (dispersion plot)")
    return finish(ax.figure, ax, note)


def _distinct_marks(positions: np.ndarray) -> np.ndarray:
    """Dense marks (% positions) at most once per 1/MARK_STEPS of the axis: marks closer than a pixel draw as
    one, and drawing tens of thousands of them took seconds per chart.

    >>> _distinct_marks(np.linspace(0, 100, 100_000)).size <= MARK_STEPS + 1
    True
    """
    if len(positions) <= RASTERIZE_ABOVE:
        return positions
    return np.unique(np.round(np.asarray(positions) * (MARK_STEPS / 100))) * (100 / MARK_STEPS)


def _missing_as_nan(codes: np.ndarray, labels: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """:func:`helpers.frames.codes_of`'s codes and labels with a missing value (code -1) given a label of its own,
    ``"nan"`` as ``astype(str)`` writes it, so its tokens are counted and placed like any other value's.

    >>> _missing_as_nan(np.array([0, -1, 1]), pd.Index(["a", "b"]))
    (array([0, 2, 1]), array(['a', 'b', 'nan'], dtype=object))
    """
    labels = np.append(labels.to_numpy(dtype=object), "nan")
    return np.where(codes < 0, len(labels) - 1, codes), labels
