"""The run report: ``reports/<run>/index.html``, one self-contained page showing the whole run."""

from __future__ import annotations

import base64
import html
import tempfile  # noqa: F401  (used by the doctests)
from pathlib import Path

import pandas as pd

from .resources import resource_status


def _figure_html(png: Path) -> str:
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    caption = html.escape(png.stem.replace("-", " "))
    return f'<figure><img alt="{caption}" src="data:image/png;base64,{data}"><figcaption>{caption}</figcaption></figure>'


def _table_html(csv: Path, rows: int = 15) -> str:
    table = pd.read_csv(csv, nrows=rows)
    return f"<h3>{html.escape(csv.stem)}</h3>" + table.to_html(index=False, border=0, float_format="{:.3g}".format)


def write_report(run_dir: Path) -> Path:
    """Write ``index.html`` in ``run_dir`` from the notebooks' HTML, figures and tables there; return its path.

    >>> write_report(Path(tempfile.mkdtemp())).name
    'index.html'
    """
    run_dir = Path(run_dir)
    notebooks = sorted((run_dir / "html").glob("*.html"))
    figures = sorted((run_dir / "figures").glob("*.png"))
    tables = sorted((run_dir / "tables").glob("*.csv"))
    status = resource_status()[["resource", "found", "fallback_in_effect"]]
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>newskit run {html.escape(run_dir.name)}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#222}"
        "img{max-width:100%}figure{margin:1em 0}table{border-collapse:collapse;font-size:.9em}"
        "td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left}</style></head><body>",
        f"<h1>newskit run: {html.escape(run_dir.name)}</h1>",
        "<h2>Notebooks</h2><ul>",
        *(f"<li><a href='html/{n.name}'>{html.escape(n.stem)}</a></li>" for n in notebooks),
        "</ul><h2>Figures</h2>", *(_figure_html(f) for f in figures),
        "<h2>Tables</h2>", *(_table_html(t) for t in tables),
        "<h2>NLTK resources and fallbacks</h2>", status.to_html(index=False, border=0),
        "</body></html>",
    ]
    index = run_dir / "index.html"
    index.write_text("\n".join(parts), encoding="utf-8")
    return index
