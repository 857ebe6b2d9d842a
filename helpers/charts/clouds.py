"""Word clouds: a quick look at the most frequent terms (bars compare them better)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from helpers.charts.fonts import cloud_font
from helpers.charts.layout import finish, left_title, nothing_to_plot, require_columns
from helpers.charts.style import styled


@styled
def plot_wordcloud(freq: pd.DataFrame, *, n: int = 100, value: str = "frequency", seed: int = 0, ax=None,
                   title: str | None = None, note: str | None = None):
    """Word cloud of the ``n`` most frequent terms (the ``wordcloud`` package); an option for a quick look, not a
    substitute for :func:`plot_frequencies` (word size is hard to compare by eye).

    >>> f = pd.DataFrame({"term": ["libya", "drug", "us"], "frequency": [9, 5, 2]})
    >>> ax = plot_wordcloud(f, note="")
    >>> len(ax.images), ax.get_title()
    (1, 'Word cloud of the 3 most frequent terms')
    """
    from wordcloud import WordCloud

    require_columns(freq, ["term", value], "plot_wordcloud")
    totals = freq.groupby(freq["term"].astype(str))[value].sum()
    totals = totals[totals > 0].nlargest(n)
    if totals.empty:
        nothing_to_plot("plot_wordcloud", f"no term has a positive {value!r}")
    cloud = WordCloud(width=1200, height=700, background_color="white", colormap="viridis", random_state=seed,
                      prefer_horizontal=1.0, max_words=n, relative_scaling=0.5,
                      font_path=cloud_font(totals.index.tolist()))
    cloud.generate_from_frequencies(totals.to_dict())
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.8))
    ax.imshow(cloud.to_array(), interpolation="bilinear")
    ax.set_axis_off()
    left_title(ax, title or f"Word cloud of the {len(totals)} most frequent terms")
    return finish(ax.figure, ax, note)
