"""What a saved figure draws, read back from its SVG file: a check of the file the user gets, independent of the kit's
own mark counting. Matplotlib writes each Axes as a group ``axes_N`` whose direct children are its artists: the
background patch first, then the data (``patch_*`` bars, ``line2d_*`` lines, ``*Collection_*`` points and events,
images), the axis groups and the spines (unfilled patches)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
COORDINATE_PAIR = re.compile(r"[ML]\s*(-?[\d.]+)\s+(-?[\d.]+)")


def _filled(path) -> bool:
    style = path.get("style", "")
    return "fill: none" not in style and path.get("d", "").rstrip().endswith("z")


def svg_marks(path: str | Path) -> list[dict]:
    """One record per Axes of the SVG figure at ``path``: ``bars`` (filled patches other than the background),
    ``line_vertices`` (vertices of each data line, a list), ``points`` (scatter markers), ``events`` (segments of
    event and line collections), ``images`` (images and rasterised meshes such as a colour bar's)."""
    root = ET.parse(path).getroot()
    axes = [g for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith("axes_")]
    records = []
    for group in axes:
        record = {"bars": 0, "line_vertices": [], "points": 0, "events": 0, "images": 0}
        patches = [child for child in group if (child.get("id") or "").startswith("patch_")]
        for patch in patches[1:]:  # the first is the Axes background
            record["bars"] += sum(_filled(p) for p in patch.iter(f"{SVG}path"))
        for child in group:
            name = child.get("id") or ""
            if name.startswith("line2d_"):
                line = next(child.iter(f"{SVG}path"), None)
                vertices = len(COORDINATE_PAIR.findall(line.get("d", ""))) if line is not None else 0
                markers = sum(1 for _ in child.iter(f"{SVG}use"))
                record["line_vertices"].append(max(vertices, markers))
            elif name.startswith("PathCollection_"):
                # one <use> per marker of a shared shape, else one <path> each (outside the <defs>)
                uses = sum(1 for _ in child.iter(f"{SVG}use"))
                paths = sum(1 for _ in child.iter(f"{SVG}path")) - sum(1 for d in child.iter(f"{SVG}defs")
                                                                      for _ in d.iter(f"{SVG}path"))
                record["points"] += uses or paths
            elif name.startswith(("EventCollection_", "LineCollection_")):
                record["events"] += sum(1 for _ in child.iter(f"{SVG}path"))
            elif not name:
                record["images"] += sum(1 for _ in child.iter(f"{SVG}image"))
        record["images"] += sum(1 for child in group if child.tag == f"{SVG}image")
        records.append(record)
    return records


def drawn_in(fig) -> list[dict]:
    """The records :func:`svg_marks` should read back, counted from the figure's own artists before it is saved:
    visible filled patches, finite vertices of visible lines, scatter offsets, event segments, images."""
    import numpy as np
    from matplotlib.collections import EventCollection, LineCollection, PathCollection, QuadMesh

    records = []
    for ax in (ax for ax in fig.axes if ax.get_visible()):
        record = {"bars": 0, "line_vertices": [], "points": 0, "events": 0, "images": 0}
        record["bars"] = sum(1 for p in ax.patches if p.get_visible() and p.get_fill())
        for line in ax.lines:
            if line.get_visible():
                x, y = (np.asarray(v, dtype=float) for v in line.get_data(orig=False))
                record["line_vertices"].append(int((np.isfinite(x) & np.isfinite(y)).sum()))
        for collection in ax.collections:
            if not collection.get_visible():
                continue
            if isinstance(collection, (EventCollection, LineCollection)):
                record["events"] += len(collection.get_segments())
            elif isinstance(collection, PathCollection):
                record["points"] += len(collection.get_offsets())
            elif isinstance(collection, QuadMesh):  # a colour bar's cells: one image in the SVG
                record["images"] += 1
        record["images"] += sum(1 for image in ax.images if image.get_visible())
        records.append(record)
    return records
