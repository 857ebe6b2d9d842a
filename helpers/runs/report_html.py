"""The run report's page parts: its stylesheet and the small HTML builders (escaped text, tables, embedded
figures) every section uses."""

from __future__ import annotations

import base64
import html
import json
import numbers
import re
from pathlib import Path

import numpy as np
import pandas as pd

CSS = """
:root{--ink:#1d1d1d;--muted:#5b5b5b;--line:#e3e3e3;--accent:#0072B2}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);
 max-width:76rem;margin:0 auto;padding:1.5rem 1.2rem 4rem}
h1{font-size:1.7rem;margin:.2rem 0}h2{font-size:1.25rem;margin:2.2rem 0 .6rem;padding-top:.6rem;
 border-top:2px solid var(--ink)}h3{font-size:1.02rem;margin:1.3rem 0 .4rem}
a{color:var(--accent)}nav a{margin-right:.9rem;white-space:nowrap}.muted{color:var(--muted)}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:.6rem;margin:.8rem 0}
.fact{border:1px solid var(--line);border-radius:6px;padding:.5rem .7rem}.fact b{display:block;font-size:1.3rem}
table{border-collapse:collapse;font-size:.86rem;margin:.3rem 0 1rem;max-width:100%}
td,th{padding:.22rem .6rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{border-bottom:1.5px solid var(--ink)}td.num{text-align:right;font-variant-numeric:tabular-nums}
.tables{display:flex;flex-wrap:wrap;gap:0 2.5rem}.tables>div{flex:1 1 30rem;min-width:0;overflow-x:auto}
figure{margin:1rem 0 2rem}figure img{max-width:100%;height:auto;border:1px solid var(--line)}
figcaption{font-size:.85rem;color:var(--muted)}code{font-size:.88em}
.missing{color:var(--muted);font-style:italic}.bad{color:#b3261e;font-weight:600}
"""


def escape(value) -> str:
    """``value`` as text safe inside HTML.

    >>> escape("<b>A & B</b>")
    '&lt;b&gt;A &amp; B&lt;/b&gt;'
    """
    return html.escape(str(value))


def _cell_html(value) -> str:
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return "<td></td>"
    if isinstance(value, (bool, np.bool_)):
        return f"<td>{'yes' if value else 'no'}</td>"
    if isinstance(value, numbers.Integral):
        return f"<td class='num'>{int(value):,}</td>"
    if isinstance(value, numbers.Real):
        return f"<td class='num'>{value:,.0f}</td>" if abs(value) >= 1000 else f"<td class='num'>{value:.3g}</td>"
    return f"<td>{escape(value)}</td>"


def frame_html(frame: pd.DataFrame, *, max_rows: int = 15) -> str:
    """The first ``max_rows`` rows of ``frame`` as an HTML table (numbers right-aligned), saying how many it left out.

    >>> page = frame_html(pd.DataFrame({"term": ["libya", "drug"], "n": [1200, 3]}), max_rows=1)
    >>> "<td>libya</td><td class='num'>1,200</td>" in page, "drug" in page, page.endswith("First 1 of 2 rows.</p>")
    (True, False, True)
    """
    shown = frame.head(max_rows)
    head = "".join(f"<th>{escape(c)}</th>" for c in shown.columns)
    rows = "".join("<tr>" + "".join(_cell_html(v) for v in record) + "</tr>"
                   for record in shown.itertuples(index=False))
    more = f"<p class='muted'>First {max_rows} of {len(frame):,} rows.</p>" if len(frame) > max_rows else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{more}"


def dict_html(mapping: dict) -> str:
    """A mapping as a two-column HTML table (values as JSON unless text); ``none`` when it is empty.

    >>> dict_html({"n_articles": 3})
    '<table><tr><th>n_articles</th><td><code>3</code></td></tr></table>'
    """
    if not mapping:
        return "<p class='missing'>none</p>"
    rows = "".join(f"<tr><th>{escape(k)}</th>"
                   f"<td><code>{escape(json.dumps(v, default=str) if not isinstance(v, str) else v)}"
                   f"</code></td></tr>" for k, v in mapping.items())
    return f"<table>{rows}</table>"


def _png_width(data: bytes) -> int | None:
    """Pixel width from a PNG's IHDR chunk (bytes 16-20), without decoding the image."""
    return int.from_bytes(data[16:20], "big") if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 24 else None


def inline_markdown(text: str) -> str:
    """The markdown a notebook's opening paragraph uses (bold, italics, code) as HTML; everything else escaped."""
    text = escape(text)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", text)
    return re.sub(r"(?<![\w*])\*([^*]+)\*(?![\w*])", r"<i>\1</i>", text)


def figure_html(png: Path) -> str:
    """A saved figure embedded as a data URI at its drawn size, captioned with its file (and its SVG when saved)."""
    raw = png.read_bytes()
    data = base64.b64encode(raw).decode("ascii")
    width = _png_width(raw)
    # figures are saved at 200 dpi: shown at half their pixel width they appear at their drawn size in inches
    size = f" width='{width // 2}'" if width else ""
    caption = png.stem.replace("-", " ")
    svg = png.with_suffix(".svg")
    link = f" · <a href='figures/{escape(svg.name)}'>SVG</a>" if svg.exists() else ""
    return (f"<figure id='fig-{escape(png.stem)}'>"
            f"<img alt='{escape(caption)}'{size} src='data:image/png;base64,{data}'>"
            f"<figcaption><code>figures/{escape(png.name)}</code>{link}</figcaption></figure>")
