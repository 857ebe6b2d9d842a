"""The sections of the run report, each built from the run folder: inputs, load report, key tables, figures,
notebooks, settings, NLTK resources, versions, every table."""

from __future__ import annotations

import json
import platform
from importlib import metadata
from pathlib import Path

import pandas as pd

from helpers.resources import resource_status
from helpers.runs.report_html import dict_html, escape, figure_html, frame_html, inline_markdown
from helpers.runs.run_folder import RunFolder, credits_present, display_path, find_tables, read_csv_or_none, run_roots

VERSION_PACKAGES = ["pandas", "numpy", "nltk", "matplotlib", "scikit-learn", "scipy", "networkx", "wordcloud",
                    "papermill", "nbconvert", "pyarrow", "dask"]
# (heading, file patterns in preference order, columns a table must have to be shown under that heading)
KEY_TABLES = [
    ("Top terms", ["top-terms.csv"], {"term", "rank"}),
    ("Key terms", ["keyness*.csv", "*-keyness*.csv"], {"term", "key_for"}),
    ("Top collocations", ["collocations*.csv", "*-collocations*.csv"], {"ngram"}),
    ("Top entities", ["entity-counts*.csv", "entities*.csv", "*-entities*.csv"], {"entity"}),
]
KEY_TABLES_PER_HEADING = 2
# what the run manifest (manifest.json, written by the runner) adds to the inputs section
MANIFEST_FACTS = ["started", "n_articles", "sentence_model", "host", "cache"]


def _key_table(label: str, path: Path, frame: pd.DataFrame) -> str:
    """The few rows of a key table a reader needs, chosen by what the table is."""
    columns = list(frame.columns)
    if label == "Top terms" and "rank" in columns:
        group = [c for c in columns if c not in {"term", "frequency", "docfreq", "per_10k", "rank"}]
        frame = frame.sort_values([*group, "rank"]).groupby(group, sort=False).head(10) if group else \
            frame.nsmallest(20, "rank")
        frame = frame[[c for c in [*group, "rank", "term", "frequency", "docfreq", "per_10k"] if c in columns]]
    elif label == "Key terms" and {"term", "key_for"} <= set(columns):
        keep = [c for c in ["term", "key_for", "target_freq", "reference_freq", "g2", "log_ratio", "significant"]
                if c in columns]
        # G² may be signed (negative for reference terms): rank by its size
        strength = frame["g2"].abs() if "g2" in columns else pd.Series(0, index=frame.index)
        frame = (frame.assign(_strength=strength).sort_values("_strength", ascending=False)
                 .groupby("key_for", sort=False).head(10)
                 .sort_values(["key_for", "_strength"], ascending=[False, False]))[keep]
    elif label == "Top collocations" and "ngram" in columns:
        order = next((c for c in ["likelihood_ratio", "log_dice", "pmi", "frequency"] if c in columns), None)
        keep = [c for c in ["ngram", "frequency", "likelihood_ratio", "pmi", "log_dice", "t_score"] if c in columns]
        frame = (frame.sort_values(order, ascending=False) if order else frame)[keep]
    elif label == "Top entities":
        if "frequency" not in columns and "entity" in columns:  # a mentions table: count it
            frame = frame.groupby([c for c in ["entity", "label"] if c in columns], dropna=False).size() \
                .rename("frequency").reset_index()
        if "frequency" in frame.columns:
            frame = frame.sort_values("frequency", ascending=False)
    link = f"<a href='tables/{escape(path.name)}'>{escape(path.name)}</a>"
    return (f"<div><h3>{escape(label)} <span class='muted'>· {link}"
            f"</span></h3>{frame_html(frame, max_rows=20)}</div>")


def key_tables_section(run: RunFolder) -> str:
    """The key tables (top terms, key terms, collocations, entities), found in ``tables/`` by name."""
    tables_dir = run.tables
    parts = []
    for label, patterns, needed in KEY_TABLES:
        paths = find_tables(tables_dir, patterns)
        if not paths:
            parts.append(f"<div><h3>{escape(label)}</h3><p class='missing'>No table named {' or '.join(patterns)} "
                         f"in this "
                         f"run (the notebook that writes it did not run).</p></div>")
            continue
        frames = [(path, read_csv_or_none(path)) for path in paths]
        fitting = [(p, f) for p, f in frames if f is not None and len(f) and needed <= set(f.columns)]
        # whole-corpus tables first: per-period tables repeat terms once per period
        fitting.sort(key=lambda pf: bool({"period", "month", "week"} & set(pf[1].columns)))
        for path, frame in fitting[:KEY_TABLES_PER_HEADING]:
            parts.append(_key_table(label, path, frame))
        if not fitting:
            names = ", ".join(p.name for p, _ in frames)
            parts.append(f"<div><h3>{escape(label)}</h3><p class='missing'>{escape(names)}: empty or without the "
                         f"columns "
                         f"{escape(', '.join(sorted(needed)))}.</p></div>")
    return "<div class='tables'>" + "".join(parts) + "</div>"


# --- sections ---------------------------------------------------------------------------------------------------


def inputs_section(run: RunFolder) -> str:
    """What the run analysed: the articles summary's facts, the inputs each article came from, the manifest."""
    tables_dir, manifest, notebooks, inputs = run.tables, run.manifest, run.notebooks, run.inputs
    parts = []
    summary_path = tables_dir / "articles-summary.csv"
    summary = read_csv_or_none(summary_path) if summary_path.exists() else None
    if summary is not None and len(summary):
        total = summary[summary["collection"] == "all"] if "collection" in summary.columns else summary.tail(1)
        row = total.iloc[0] if len(total) else summary.iloc[-1]
        facts = [("articles", f"{int(row['n_articles']):,}"),
                 ("first date", row.get("first_date", "") if pd.notna(row.get("first_date")) else "none"),
                 ("last date", row.get("last_date", "") if pd.notna(row.get("last_date")) else "none"),
                 ("undated", f"{int(row.get('n_undated', 0)):,}"),
                 ("sources (outlets)", f"{int(row.get('n_sources', 0)):,}")]
        parts.append("<div class='facts'>" + "".join(f"<div class='fact'><b>{escape(v)}</b>{escape(k)}</div>"
                                                     for k, v in facts) + "</div>")
        parts.append(frame_html(summary, max_rows=30))
    else:
        parts.append("<p class='missing'>No <code>tables/articles-summary.csv</code> in this run (write it with "
                     "<code>helpers.save_table(helpers.describe_articles(articles), \"articles-summary\")</code>); "
                     "counts below come from the load report.</p>")
    parts.append(_from_html(inputs, manifest, notebooks))
    if manifest:
        facts = {k: manifest[k] for k in MANIFEST_FACTS if manifest.get(k) not in (None, "", [], {})}
        parts.append("<h3>Run manifest <span class='muted'>· <a href='manifest.json'>manifest.json</a></span></h3>"
                     + dict_html(facts))
        inputs = manifest.get("inputs")
        if isinstance(inputs, list) and inputs and all(isinstance(i, dict) for i in inputs):
            parts.append("<h3>Input files</h3>" + frame_html(pd.DataFrame(inputs), max_rows=30))
    return "".join(parts)


def _from_html(table: pd.DataFrame | None, manifest: dict, notebooks: list[dict]) -> str:
    """The header lines naming each input the articles came from, with its count, and the credit of each sample
    present; read from the load report, so an input that gave nothing is never claimed."""
    if table is None:
        shown = ", ".join(display_path(r) for r in run_roots(manifest, notebooks))
        return (f"<p><b>From:</b> {escape(shown)} <span class='muted'>(no load report in this run, so the articles "
                f"each input gave are not known)</span></p>")
    loaded, empty = table[table["n_articles"] > 0], table[table["n_articles"] == 0]
    named = [f"{escape(display_path(r.input))} ({r.n_articles:,} article{'s' if r.n_articles != 1 else ''})"
             for r in loaded.itertuples()]
    text = f"<p><b>From:</b> {' · '.join(named) if named else 'no input gave an article'}</p>"
    if len(empty):
        text += ("<p class='muted'>Gave no article: " + " · ".join(
            escape(display_path(r.input)) + (f" ({escape(r.reasons)})" if r.reasons else "")
            for r in empty.itertuples())
            + "</p>")
    credits = credits_present(table)
    if credits:
        text += f"<p><b>Credits:</b> {escape('; '.join(credits))}</p>"
    return text


def load_report_section(run: RunFolder) -> str:
    """Inputs per load status, and each input not loaded with the reason."""
    tables_dir = run.tables
    path = tables_dir / "load-report.csv"
    report = read_csv_or_none(path) if path.exists() else None
    if report is None or "status" not in report.columns:
        return "<p class='missing'>No load report in this run (tables/load-report.csv).</p>"
    counts = report.groupby("status").agg(inputs=("status", "size"),
                                          articles=("n_articles", "sum") if "n_articles" in report.columns
                                          else ("status", "size")).reset_index()
    problems = report[report["status"] != "loaded"]
    text = frame_html(counts)
    if len(problems):
        text += "<h3>Inputs not loaded, and why</h3>" + frame_html(problems, max_rows=25)
    else:
        text += "<p>Every input was loaded.</p>"
    return text + "<p class='muted'><a href='tables/load-report.csv'>load-report.csv</a></p>"


def settings_section(run: RunFolder) -> str:
    """The parameters the notebooks ran with: those shared by every notebook once, then the rest."""
    notebooks = run.notebooks
    rows = []
    for notebook in notebooks:
        for key, value in notebook["parameters"].items():
            rows.append({"notebook": notebook["stem"], "parameter": key,
                         "value": json.dumps(value, default=str) if not isinstance(value, str) else value})
    if not rows:
        return "<p class='missing'>No parameters recorded (notebooks not run through the kit's runner).</p>"
    table = pd.DataFrame(rows)
    # a parameter with one value in every notebook is shown once
    shared = table.groupby(["parameter"])["value"].nunique()
    common = table[table["parameter"].isin(shared[shared == 1].index)].drop_duplicates("parameter")
    specific = table[~table["parameter"].isin(common["parameter"])]
    text = "<h3>Shared by every notebook</h3>" + frame_html(common[["parameter", "value"]], max_rows=50)
    if len(specific):
        text += "<h3>Per notebook</h3>" + frame_html(specific, max_rows=100)
    return text


def versions_section(run: RunFolder) -> str:
    """Package versions: as the manifest recorded them at the start, else those installed now."""
    manifest = run.manifest
    from helpers import __version__

    recorded = manifest.get("versions")
    if isinstance(recorded, dict) and recorded:
        rows = [{"package": k, "version": v} for k, v in recorded.items()]
        return "<p class='muted'>As recorded in manifest.json when the run started.</p>" + \
            frame_html(pd.DataFrame(rows), max_rows=60)
    rows = [{"package": "newskit (helpers)", "version": __version__},
            {"package": "python", "version": platform.python_version()}]
    for package in VERSION_PACKAGES:
        try:
            rows.append({"package": package, "version": metadata.version(package)})
        except metadata.PackageNotFoundError:
            rows.append({"package": package, "version": "not installed"})
    return frame_html(pd.DataFrame(rows), max_rows=50)


def resources_section(run: RunFolder) -> str:
    """The NLTK resources found, and the fallback in effect for each one missing."""
    status = resource_status()
    table = status.assign(found=status["found"].map({True: "yes", False: "no"}))
    table = table[["resource", "found", "used_for", "fallback_in_effect"]]
    missing = status.loc[~status["found"].astype(bool), "resource"].tolist()
    lead = (f"<p>{len(missing)} resource{'s' if len(missing) != 1 else ''} missing, so the fallbacks below were in "
            f"effect: {', '.join(missing)}.</p>" if missing else "<p>Every NLTK resource was found.</p>")
    return lead + frame_html(table, max_rows=50)


def notebooks_section(run: RunFolder) -> str:
    """Each executed notebook: its title linked to its HTML, its summary, time taken and errors."""
    run_dir, notebooks = run.path, run.notebooks
    if not notebooks:
        return "<p class='missing'>No executed notebooks in this run.</p>"
    items = []
    for notebook in notebooks:
        html_file = run_dir / "html" / f"{notebook['stem']}.html"
        link = (f"<a href='html/{escape(html_file.name)}'>{escape(notebook['title'])}</a>" if html_file.exists()
                else escape(notebook["title"]))
        summary = notebook["summary"] if len(notebook["summary"]) <= 700 else notebook["summary"][:700] + " …"
        took = f" · {notebook['duration']:.0f} s" if isinstance(notebook["duration"], (int, float)) else ""
        state = (f" · <span class='bad'>{len(notebook['errors'])} error(s): {escape(notebook['errors'][0])}</span>"
                 if notebook["errors"] else "")
        items.append(f"<li>{link} <span class='muted'>· <a href='notebooks/{escape(notebook['name'])}'>ipynb</a>"
                     f"{took}</span>{state}<br><span class='muted'>{inline_markdown(summary)}</span></li>")
    return "<ol>" + "".join(items) + "</ol>"


def figures_section(run: RunFolder) -> str:
    """Every figure embedded, under the notebook that saved it."""
    figures_dir, notebooks = run.figures, run.notebooks
    pngs = {p.stem: p for p in sorted(figures_dir.glob("*.png"))}
    if not pngs:
        return "<p class='missing'>No figures in this run.</p>"
    parts, shown = [], set()
    for notebook in notebooks:
        mine = [pngs[name] for name in notebook["figures"] if name in pngs and name not in shown]
        if mine:
            parts.append(f"<h3>{escape(notebook['title'])}</h3>" + "".join(figure_html(p) for p in mine))
            shown.update(p.stem for p in mine)
    rest = [p for name, p in pngs.items() if name not in shown]
    if rest:
        parts.append(("<h3>Other figures</h3>" if parts else "") + "".join(figure_html(p) for p in rest))
    return "".join(parts)


def all_tables_section(run: RunFolder) -> str:
    """Every table of the run with its rows and columns, linked."""
    tables_dir = run.tables
    rows = []
    for path in sorted(tables_dir.glob("*.csv")):
        frame = read_csv_or_none(path)
        rows.append(f"<tr><td><a href='tables/{escape(path.name)}'>{escape(path.name)}</a></td>"
                    f"<td class='num'>{'unreadable' if frame is None else f'{len(frame):,}'}</td>"
                    f"<td>{'' if frame is None else escape(', '.join(map(str, frame.columns[:12])))}</td></tr>")
    if not rows:
        return "<p class='missing'>No tables in this run.</p>"
    return "<table><thead><tr><th>table</th><th>rows</th><th>columns</th></tr></thead><tbody>" + "".join(rows) + \
        "</tbody></table>"
