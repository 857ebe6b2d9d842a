"""Co-occurrence networks: terms as nodes, their strongest pairs as edges, each component laid out on its own."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.charts.layout import finish, left_title, nothing_to_plot, require_columns, require_values
from helpers.charts.style import TARGET_COLOR, styled


def _packed_layout(graph, *, seed: int) -> dict:
    """Spring layout per connected component, components packed in rows (largest first) into a landscape block.

    One spring layout of a graph with several components pushes them to the corners and squeezes each one;
    laying out each component on its own keeps every cluster readable.
    """
    import networkx as nx

    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), sorted(map(str, c))))
    blocks = []
    for component in components:
        # the graph's node order: a subgraph view of a small component iterates the set, whose order follows the
        # string hash seed, and spring_layout's result follows the node order
        sub = nx.Graph()
        sub.add_nodes_from(node for node in graph if node in component)
        sub.add_edges_from(graph.subgraph(component).edges(data=True))
        # long labels (multi-word names) need nodes further apart to stay readable
        label_room = 1 + np.mean([len(str(node)) for node in component]) / 10
        scale = (0.3 + 0.35 * len(component) ** 0.8) * label_room
        local = nx.spring_layout(sub, seed=seed, scale=scale, k=1.5 / math.sqrt(len(component)),
                                 iterations=200) if len(component) > 1 else {next(iter(component)): np.zeros(2)}
        points = np.array(list(local.values()))
        low, high = points.min(axis=0), points.max(axis=0)
        longest = max(len(str(node)) for node in component)
        size = (high[0] - low[0] + 0.6 + 0.09 * longest, high[1] - low[1] + 1.0)
        blocks.append((local, low, high, size))
    area = sum(w * h for *_, (w, h) in blocks)
    row_width = max(max(w for *_, (w, _h) in blocks), math.sqrt(area * 1.6))
    positions, x, y, row_height = {}, 0.0, 0.0, 0.0
    for local, low, high, (width, height) in blocks:
        if x > 0 and x + width > row_width * 1.05:
            x, y, row_height = 0.0, y - row_height, 0.0
        for node, point in local.items():
            positions[node] = np.array([x + point[0] - low[0], y - (high[1] - point[1])])
        x, row_height = x + width, max(row_height, height)
    return positions


@styled
def plot_network(cooccurrence_table: pd.DataFrame, *, n: int = 30, frequencies: pd.DataFrame | None = None,
                 seed: int = 0, ax=None, title: str | None = None, note: str | None = None):
    """Co-occurrence network of the ``n`` strongest pairs (by ``score``): node size = term frequency, edge width =
    association score.

    Term frequency comes from ``frequencies`` (a :func:`helpers.frequencies` table) when given, else from the sum of
    the pair counts each term takes part in. The layout is a seeded spring layout (networkx), so it is reproducible.

    >>> co = pd.DataFrame({"term_a": ["libya", "libya", "drug"], "term_b": ["us", "drug", "trafficking"],
    ...                    "count": [5, 3, 2], "score": [2.0, 1.5, 3.0]})
    >>> ax = plot_network(co, note="")
    >>> len(ax.collections[0].get_segments()), len(ax.collections[1].get_offsets())
    (3, 4)
    """
    import networkx as nx

    require_columns(cooccurrence_table, ["term_a", "term_b", "count", "score"], "plot_network")
    require_values(cooccurrence_table, "score", "plot_network")
    edges = cooccurrence_table.sort_values(["score", "count"], ascending=False).head(n)
    graph = nx.Graph()
    for a, b, count, score in edges[["term_a", "term_b", "count", "score"]].itertuples(index=False):
        graph.add_edge(str(a), str(b), count=count, score=float(score))
    if graph.number_of_nodes() == 0:
        nothing_to_plot("plot_network", "the co-occurrence table has no pairs")
    pair_freq = next(((a, b) for a, b in [("freq_a", "freq_b"), ("frequency_a", "frequency_b")]
                      if a in edges.columns and b in edges.columns), None)
    if frequencies is not None:
        known = frequencies.groupby(frequencies["term"].astype(str))["frequency"].sum()
        size_of = {node: float(known.get(node, 0)) for node in graph}
        size_label = "term frequency"
    elif pair_freq:
        known = pd.concat([pd.Series(edges[pair_freq[0]].to_numpy(), index=edges["term_a"].astype(str)),
                           pd.Series(edges[pair_freq[1]].to_numpy(), index=edges["term_b"].astype(str))])
        known = known.groupby(level=0).max()
        size_of = {node: float(known.get(node, 0)) for node in graph}
        size_label = "frequency"
    else:
        size_of = dict(graph.degree(weight="count"))
        size_label = "co-occurrence count"
    sizes = np.array([size_of[node] for node in graph], dtype=float)
    scores = np.array([graph.edges[e]["score"] for e in graph.edges], dtype=float)
    spread = np.ptp(scores) or 1.0
    widths = 0.6 + 4.4 * (scores - scores.min()) / spread
    node_area = 30 + 600 * (sizes / sizes.max() if sizes.max() > 0 else sizes)
    positions = _packed_layout(graph, seed=seed)
    if ax is None:
        points = np.array(list(positions.values()))
        width, height = np.ptp(points, axis=0) + 1.0
        _, ax = plt.subplots(figsize=(8, float(np.clip(8 * height / width, 3.5, 8)) + 0.8))
    nx.draw_networkx_edges(graph, positions, ax=ax, width=widths, edge_color="#888888", alpha=0.6)
    nx.draw_networkx_nodes(graph, positions, ax=ax, node_size=node_area, node_color="#56B4E9", alpha=0.9,
                           linewidths=0.8, edgecolors=TARGET_COLOR)
    from matplotlib import patheffects

    labels = nx.draw_networkx_labels(graph, positions, ax=ax, font_size=8.5, font_color="#111111")
    for label in labels.values():
        label.set_path_effects([patheffects.withStroke(linewidth=2.5, foreground="white")])
        label.set_clip_on(False)
    # leave room for labels centred on the outermost nodes
    xs = np.array([point[0] for point in positions.values()])
    half_label = 0.045 * max(len(str(node)) for node in graph)
    ys = np.array([point[1] for point in positions.values()])
    ax.set_xlim(xs.min() - half_label - 0.3, xs.max() + half_label + 0.3)
    ax.set_ylim(ys.min() - 0.6, ys.max() + 0.6)
    ax.set_axis_off()
    ax.set_aspect("equal", adjustable="box")
    left_title(ax, title or f"Co-occurrence network: {graph.number_of_edges()} strongest pairs")
    measure = str(edges["measure"].iloc[0]) if "measure" in edges.columns and edges["measure"].nunique() == 1 \
        else "association score"
    spread_text = f"{scores.min():.3g}–{scores.max():.3g}" if np.ptp(scores) else f"all {scores.min():.3g}"
    ax.text(0.0, -0.02, f"Node size = {size_label}; edge width = {measure.replace('_', ' ')} ({spread_text})",
            transform=ax.transAxes, fontsize=8, color="#444444", va="top")
    return finish(ax.figure, ax, note)
