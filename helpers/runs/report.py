"""The run report: ``reports/<run>/index.html``, one self-contained page showing the whole run.

Everything on the page is read from the run folder after the notebooks ran: ``notebooks/`` (executed, with the
parameters papermill injected), ``html/``, ``figures/*.png`` (embedded as data URIs, so the page has no external
resource and can be mailed as one file), ``tables/*.csv`` (the key tables are found by name: ``top-terms.csv``,
``keyness*.csv``, ``collocations*.csv``, ``entities*.csv``; a missing one is said to be missing) and, when present,
``manifest.json``. Nothing is recomputed.
"""

from __future__ import annotations

import datetime as dt
import tempfile  # noqa: F401  (used by the doctests)
from pathlib import Path
from typing import Callable

from helpers.runs.report_html import CSS, escape
from helpers.runs.report_sections import (all_tables_section, figures_section, inputs_section, key_tables_section,
                                          load_report_section, notebooks_section, resources_section,
                                          settings_section, versions_section)
from helpers.runs.report_speakers import who_speaks_section
from helpers.runs.run_folder import RunFolder, credits_present, read_run

# The report's sections in page order: (anchor, heading, builder). A builder takes the RunFolder and returns the
# section's HTML, saying so when what it shows is absent. To add a section, write its builder (in its own module
# when it is more than a few lines) and list it here.
SECTIONS: list[tuple[str, str, Callable[[RunFolder], str]]] = [
    ("inputs", "Inputs", inputs_section),
    ("load-report", "Load report", load_report_section),
    ("findings", "Key tables", key_tables_section),
    ("who-speaks", "Who speaks", who_speaks_section),
    ("figures", "Figures", figures_section),
    ("notebooks", "Notebooks", notebooks_section),
    ("settings", "Settings", settings_section),
    ("nltk", "NLTK resources and fallbacks", resources_section),
    ("versions", "Versions", versions_section),
    ("tables", "All tables", all_tables_section),
]


def write_report(run_dir: Path) -> Path:
    """Write ``index.html`` in ``run_dir`` from the notebooks, figures and tables there; return its path.

    Sections (:data:`SECTIONS`): inputs, load report, key tables (top terms, key terms, collocations, entities),
    figures (embedded, grouped by the notebook that saved them), notebooks (linked HTML), settings, NLTK resources
    and fallbacks, versions, every table. A section whose source is absent says so instead of failing.

    >>> page = write_report(Path(tempfile.mkdtemp()))
    >>> page.name, "No figures in this run" in page.read_text()
    ('index.html', True)
    """
    run = read_run(run_dir)
    sections = [(key, title, build(run)) for key, title, build in SECTIONS]
    notebooks, run_dir = run.notebooks, run.path
    failed = [n["name"] for n in notebooks if n["errors"]]
    created = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    status = (f"<p class='bad'>Notebooks with errors: {escape(', '.join(failed))}</p>" if failed else "")
    page = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>newskit run {escape(run_dir.name)}</title><link rel='icon' href='data:,'><style>{CSS}</style>"
        "</head><body>",
        f"<header><h1>newskit run: {escape(run_dir.name)}</h1><p class='muted'>Report written {created} · "
        f"{len(notebooks)} notebooks · {len(list(run.figures.glob('*.png')))} figures · "
        f"{len(list(run.tables.glob('*.csv')))} tables</p>{status}",
        "<nav>" + "".join(f"<a href='#{key}'>{escape(title)}</a>" for key, title, _ in sections) + "</nav></header>",
        *(f"<section id='{key}'><h2>{escape(title)}</h2>{body}</section>" for key, title, body in sections),
        "<footer>" + "".join(f"<p class='muted'>Articles from a sample: {escape(c)}.</p>"
                             for c in credits_present(run.inputs))
        + "</footer></body></html>",
    ]
    index = run_dir / "index.html"
    index.write_text("\n".join(page), encoding="utf-8")
    return index
