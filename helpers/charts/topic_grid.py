"""Topics as a grid of panels: each topic's top terms by weight."""

from __future__ import annotations

import pandas as pd

from helpers.charts.layout import finish, left_title, panels, require_columns, require_values
from helpers.charts.style import styled


@styled
def plot_topics(topic_terms: pd.DataFrame, *, n: int = 10, ncols: int | None = None, ax=None, title: str | None = None,
                note: str | None = None):
    """Grid of topics: one panel per topic with its ``n`` top terms by weight (a :func:`helpers.topics` table).

    >>> tt = pd.DataFrame({"topic": [0, 0, 1, 1], "rank": [1, 2, 1, 2], "term": ["libya", "drug", "vote", "poll"],
    ...                    "weight": [0.5, 0.3, 0.6, 0.2]})
    >>> ax = plot_topics(tt, note="")
    >>> [len(a.patches) for a in ax.figure.axes], ax.get_title()
    ([2, 2], 'Topic 0: libya, drug')
    """
    require_columns(topic_terms, ["topic", "term", "weight"], "plot_topics")
    require_values(topic_terms, "weight", "plot_topics", positive=True)
    topics = sorted(pd.unique(topic_terms["topic"]))
    fig, axes = panels(ax, len(topics), ncols=ncols, panel_size=(3.2, 0.22 * n + 1.0))
    for i, (panel, topic) in enumerate(zip(axes, topics)):
        top = topic_terms[topic_terms["topic"] == topic].nlargest(n, "weight").iloc[::-1]
        panel.barh(top["term"].astype(str), top["weight"], color=f"C{i % 6}")
        left_title(panel, f"Topic {topic}: {', '.join(top['term'].astype(str).iloc[::-1].head(2))}", fontsize=10)
        panel.tick_params(axis="y", length=0)
        panel.grid(axis="x")
        panel.set_xlabel("Term weight in topic")
    return finish(fig, axes[0], note, title or f"{len(topics)} topics, top {n} terms each")
