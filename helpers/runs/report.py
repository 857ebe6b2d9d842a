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

from helpers.runs.report_html import CSS, _e
from helpers.runs.report_sections import (_all_tables_html, _figures_html, _inputs_html, _key_tables_html,
                                          _load_report_html, _notebooks_html, _resources_html, _settings_html,
                                          _versions_html)
from helpers.runs.run_folder import _credits_present, _inputs_table, _manifest, _read_notebooks


def write_report(run_dir: Path) -> Path:
    """Write ``index.html`` in ``run_dir`` from the notebooks, figures and tables there; return its path.

    Sections: inputs, load report, key tables (top terms, key terms, collocations, entities), figures (embedded,
    grouped by the notebook that saved them), notebooks (linked HTML), settings, NLTK resources and fallbacks,
    versions, every table. A section whose source is absent says so instead of failing.

    >>> page = write_report(Path(tempfile.mkdtemp()))
    >>> page.name, "No figures in this run" in page.read_text()
    ('index.html', True)
    """
    run_dir = Path(run_dir)
    tables_dir, figures_dir = run_dir / "tables", run_dir / "figures"
    notebooks = _read_notebooks(run_dir)
    manifest = _manifest(run_dir)
    inputs = _inputs_table(tables_dir, manifest, notebooks)  # the header and the footer both name them
    sections = [
        ("inputs", "Inputs", _inputs_html(tables_dir, manifest, notebooks, inputs)),
        ("load-report", "Load report", _load_report_html(tables_dir)),
        ("findings", "Key tables", _key_tables_html(tables_dir)),
        ("figures", "Figures", _figures_html(figures_dir, notebooks)),
        ("notebooks", "Notebooks", _notebooks_html(run_dir, notebooks)),
        ("settings", "Settings", _settings_html(notebooks)),
        ("nltk", "NLTK resources and fallbacks", _resources_html()),
        ("versions", "Versions", _versions_html(manifest)),
        ("tables", "All tables", _all_tables_html(tables_dir)),
    ]
    failed = [n["name"] for n in notebooks if n["errors"]]
    created = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    status = (f"<p class='bad'>Notebooks with errors: {_e(', '.join(failed))}</p>" if failed else "")
    page = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>newskit run {_e(run_dir.name)}</title><link rel='icon' href='data:,'><style>{CSS}</style></head><body>",
        f"<header><h1>newskit run: {_e(run_dir.name)}</h1><p class='muted'>Report written {created} · "
        f"{len(notebooks)} notebooks · {len(list(figures_dir.glob('*.png')))} figures · "
        f"{len(list(tables_dir.glob('*.csv')))} tables</p>{status}",
        "<nav>" + "".join(f"<a href='#{key}'>{_e(title)}</a>" for key, title, _ in sections) + "</nav></header>",
        *(f"<section id='{key}'><h2>{_e(title)}</h2>{body}</section>" for key, title, body in sections),
        "<footer>" + "".join(f"<p class='muted'>Articles from a sample: {_e(c)}.</p>"
                             for c in _credits_present(inputs))
        + "</footer></body></html>",
    ]
    index = run_dir / "index.html"
    index.write_text("\n".join(page), encoding="utf-8")
    return index
