"""Charts drawn from the kit's tables; each takes a DataFrame, accepts ``ax=None`` and returns the Axes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd


def plot_frequencies(freq: pd.DataFrame, *, n: int = 20, value: str = "per_10k", ax=None, title: str | None = None):
    """Ranked horizontal bars of the ``n`` most frequent terms in a :func:`helpers.frequencies` table.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> freq = pd.DataFrame({"term": ["drug", "libya"], "frequency": [3, 2], "per_10k": [30.0, 20.0]})
    >>> len(plot_frequencies(freq).patches)
    2
    """
    top = freq.nlargest(n, value).iloc[::-1]
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 0.25 * len(top) + 1))
    ax.barh(top["term"].astype(str), top[value], color="#0072B2")
    unit = "per 10,000 tokens" if value == "per_10k" else value
    ax.set_xlabel(f"Frequency ({unit})")
    ax.set_title(title or f"Top {len(top)} terms")
    ax.spines[["top", "right"]].set_visible(False)
    return ax
