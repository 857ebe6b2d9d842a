"""The run report: ``reports/<run>/index.html``, one self-contained page showing the whole run.

Everything on the page is read from the run folder after the notebooks ran: ``notebooks/`` (executed, with the
parameters papermill injected), ``html/``, ``figures/*.png`` (embedded as data URIs, so the page has no external
resource and can be mailed as one file), ``tables/*.csv`` (the key tables are found by name: ``top-terms.csv``,
``keyness*.csv``, ``collocations*.csv``, ``entities*.csv``; a missing one is said to be missing) and, when present,
``manifest.json``. Nothing is recomputed.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import numbers
import platform
import re
import tempfile  # noqa: F401  (used by the doctests)
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.resources import resource_status
from helpers.runs.report_speakers import who_speaks_html

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
SCREENSHOT_NAME = "report-screenshot.png"
# what the run manifest (manifest.json, written by the runner) adds to the inputs section
MANIFEST_FACTS = ["started", "n_articles", "sentence_model", "host", "cache"]

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


# --- reading the run folder -------------------------------------------------------------------------------------


def _read_notebooks(run_dir: Path) -> list[dict]:
    """One record per executed notebook: name, title, summary, parameters, duration, errors, figures it saved."""
    import nbformat

    records = []
    for path in sorted((run_dir / "notebooks").glob("*.ipynb")):
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as error:  # a damaged notebook is reported on the page, not raised
            records.append({"name": path.name, "stem": path.stem, "title": path.stem, "summary": "",
                            "parameters": {}, "duration": None, "errors": [f"unreadable: {error}"], "figures": []})
            continue
        markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
        first = markdown[0] if markdown else ""
        title = next((line[2:].strip() for line in first.splitlines() if line.startswith("# ")), path.stem)
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", first) if p.strip() and not p.startswith("#")]
        summary = paragraphs[0] if paragraphs else ""
        papermill = nb.metadata.get("papermill", {})
        errors, outputs_text = [], []
        for cell in nb.cells:
            for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
                if output.get("output_type") == "error":
                    errors.append(f"{output.get('ename')}: {output.get('evalue')}")
                text = output.get("text") or output.get("data", {}).get("text/plain", "")
                outputs_text.append(text if isinstance(text, str) else "".join(text))
        figures = list(dict.fromkeys(re.findall(r"figures/([\w.-]+)\.png", "\n".join(outputs_text))))
        records.append({"name": path.name, "stem": path.stem, "title": title, "summary": summary,
                        "parameters": papermill.get("parameters", {}), "duration": papermill.get("duration"),
                        "errors": errors, "figures": figures})
    return records


def _read_csv(path: Path) -> pd.DataFrame | None:
    try:
        return pd.read_csv(path)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError, OSError):
        return None


def _find_tables(tables_dir: Path, patterns: list[str]) -> list[Path]:
    found: dict[Path, None] = {}
    for pattern in patterns:
        for path in sorted(tables_dir.glob(pattern)):
            found[path] = None
    return list(found)


def _manifest(run_dir: Path) -> dict:
    path = run_dir / "manifest.json"
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, OSError):
        return {"manifest.json": "present but unreadable"}


# --- small HTML builders ----------------------------------------------------------------------------------------


def _e(value) -> str:
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
    return f"<td>{_e(value)}</td>"


def _frame_html(frame: pd.DataFrame, *, max_rows: int = 15) -> str:
    shown = frame.head(max_rows)
    head = "".join(f"<th>{_e(c)}</th>" for c in shown.columns)
    rows = "".join("<tr>" + "".join(_cell_html(v) for v in record) + "</tr>"
                   for record in shown.itertuples(index=False))
    more = f"<p class='muted'>First {max_rows} of {len(frame):,} rows.</p>" if len(frame) > max_rows else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{more}"


def _dict_html(mapping: dict) -> str:
    if not mapping:
        return "<p class='missing'>none</p>"
    rows = "".join(f"<tr><th>{_e(k)}</th><td><code>{_e(json.dumps(v, default=str) if not isinstance(v, str) else v)}"
                   f"</code></td></tr>" for k, v in mapping.items())
    return f"<table>{rows}</table>"


def _png_width(data: bytes) -> int | None:
    """Pixel width from a PNG's IHDR chunk (bytes 16-20), without decoding the image."""
    return int.from_bytes(data[16:20], "big") if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 24 else None


def _inline_markdown(text: str) -> str:
    """The markdown a notebook's opening paragraph uses (bold, italics, code) as HTML; everything else escaped."""
    text = _e(text)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", text)
    return re.sub(r"(?<![\w*])\*([^*]+)\*(?![\w*])", r"<i>\1</i>", text)


def _figure_html(png: Path) -> str:
    raw = png.read_bytes()
    data = base64.b64encode(raw).decode("ascii")
    width = _png_width(raw)
    # figures are saved at 200 dpi: shown at half their pixel width they appear at their drawn size in inches
    size = f" width='{width // 2}'" if width else ""
    caption = png.stem.replace("-", " ")
    svg = png.with_suffix(".svg")
    link = f" · <a href='figures/{_e(svg.name)}'>SVG</a>" if svg.exists() else ""
    return (f"<figure id='fig-{_e(png.stem)}'><img alt='{_e(caption)}'{size} src='data:image/png;base64,{data}'>"
            f"<figcaption><code>figures/{_e(png.name)}</code>{link}</figcaption></figure>")


# --- key tables -------------------------------------------------------------------------------------------------


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
    return (f"<div><h3>{_e(label)} <span class='muted'>· <a href='tables/{_e(path.name)}'>{_e(path.name)}</a>"
            f"</span></h3>{_frame_html(frame, max_rows=20)}</div>")


def _key_tables_html(tables_dir: Path) -> str:
    parts = []
    for label, patterns, needed in KEY_TABLES:
        paths = _find_tables(tables_dir, patterns)
        if not paths:
            parts.append(f"<div><h3>{_e(label)}</h3><p class='missing'>No table named {' or '.join(patterns)} in this "
                         f"run (the notebook that writes it did not run).</p></div>")
            continue
        frames = [(path, _read_csv(path)) for path in paths]
        fitting = [(p, f) for p, f in frames if f is not None and len(f) and needed <= set(f.columns)]
        # whole-corpus tables first: per-period tables repeat terms once per period
        fitting.sort(key=lambda pf: bool({"period", "month", "week"} & set(pf[1].columns)))
        for path, frame in fitting[:KEY_TABLES_PER_HEADING]:
            parts.append(_key_table(label, path, frame))
        if not fitting:
            names = ", ".join(p.name for p, _ in frames)
            parts.append(f"<div><h3>{_e(label)}</h3><p class='missing'>{_e(names)}: empty or without the columns "
                         f"{_e(', '.join(sorted(needed)))}.</p></div>")
    return "<div class='tables'>" + "".join(parts) + "</div>"


# --- sections ---------------------------------------------------------------------------------------------------


def _inputs_html(tables_dir: Path, manifest: dict, notebooks: list[dict], inputs: pd.DataFrame | None) -> str:
    parts = []
    summary = _read_csv(tables_dir / "articles-summary.csv") if (tables_dir / "articles-summary.csv").exists() else None
    if summary is not None and len(summary):
        total = summary[summary["collection"] == "all"] if "collection" in summary.columns else summary.tail(1)
        row = total.iloc[0] if len(total) else summary.iloc[-1]
        facts = [("articles", f"{int(row['n_articles']):,}"),
                 ("first date", row.get("first_date", "") if pd.notna(row.get("first_date")) else "none"),
                 ("last date", row.get("last_date", "") if pd.notna(row.get("last_date")) else "none"),
                 ("undated", f"{int(row.get('n_undated', 0)):,}"),
                 ("sources (outlets)", f"{int(row.get('n_sources', 0)):,}")]
        parts.append("<div class='facts'>" + "".join(f"<div class='fact'><b>{_e(v)}</b>{_e(k)}</div>"
                                                     for k, v in facts) + "</div>")
        parts.append(_frame_html(summary, max_rows=30))
    else:
        parts.append("<p class='missing'>No <code>tables/articles-summary.csv</code> in this run (write it with "
                     "<code>helpers.save_table(helpers.describe_articles(articles), \"articles-summary\")</code>); "
                     "counts below come from the load report.</p>")
    parts.append(_from_html(inputs, manifest, notebooks))
    if manifest:
        facts = {k: manifest[k] for k in MANIFEST_FACTS if manifest.get(k) not in (None, "", [], {})}
        parts.append("<h3>Run manifest <span class='muted'>· <a href='manifest.json'>manifest.json</a></span></h3>"
                     + _dict_html(facts))
        inputs = manifest.get("inputs")
        if isinstance(inputs, list) and inputs and all(isinstance(i, dict) for i in inputs):
            parts.append("<h3>Input files</h3>" + _frame_html(pd.DataFrame(inputs), max_rows=30))
    return "".join(parts)


def _run_roots(manifest: dict, notebooks: list[dict]) -> list[str]:
    """The inputs the run was given: from the manifest (the defaults it used included), else the ARTICLES
    parameter, else the defaults' candidates."""
    from helpers.settings import ARTICLES_DIR, SAMPLES, sample_path

    recorded = manifest.get("inputs")
    if isinstance(recorded, list) and recorded and all(isinstance(i, dict) and i.get("source") for i in recorded):
        return list(dict.fromkeys(str(i["source"]) for i in recorded))
    given = next((n["parameters"].get("ARTICLES") for n in notebooks if n["parameters"].get("ARTICLES")), None)
    if given:
        return [str(g) for g in given]
    return [str(ARTICLES_DIR)] + [str(sample_path(s)) for s in SAMPLES]


def _root_of(name: str, roots: list[str]) -> str:
    """The given input a load-report row belongs to (a folder, file or glob it came through), else the row itself."""
    for root in roots:
        literal = re.split(r"[*?\[]", root)[0].rstrip("/")
        if name == root or name == literal or name.startswith(literal + "/") or name.startswith(literal + ":") \
                or name.startswith(literal + "!"):
            return root
    return name


def _display_path(path: str) -> str:
    """A path inside the project shown relative to it (data/articles); any other as given."""
    from helpers.settings import PROJECT_ROOT

    try:
        return Path(path).relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return path


def loaded_inputs(load_report: pd.DataFrame, roots: list[str]) -> pd.DataFrame:
    """Articles loaded per given input, from a load report: ``input, n_articles, reasons, credit``.

    ``roots`` are the inputs the run was given (folders, files, globs); each report row is counted under the one it
    came through (a row under none is its own input); a root no row came through is left out. ``reasons`` says
    why rows gave no article; ``credit`` is the credit line of a sample (``helpers.settings.SAMPLES``, by file name)
    whose articles the input gave.

    >>> report = pd.DataFrame({"input": ["/x/articles/a.txt", "/x/congress_press_2024-11.jsonl",
    ...                                  "/x/congress_press_2024-11.jsonl:261", "/y/b.sgm"],
    ...                        "status": ["loaded", "loaded", "empty", "skipped"],
    ...                        "reason": ["", "JSON Lines", "no text", "unsupported file type '.sgm'"],
    ...                        "n_articles": [1, 370, 0, 0]})
    >>> roots = ["/x/articles", "/x/wikinews_2019.csv", "/x/congress_press_2024-11.jsonl", "/y"]
    >>> table = loaded_inputs(report, roots)
    >>> table[["input", "n_articles", "reasons"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['/x/articles', 1, ''], ['/x/congress_press_2024-11.jsonl', 370, 'empty: no text'],
     ['/y', 0, "skipped: unsupported file type '.sgm'"]]
    >>> table.loc[1, "credit"]
    'U.S. congressional press releases, public domain; compiled by dwillis/congress-press'
    """
    from helpers.settings import SAMPLES

    credits = {sample.file_name: sample.credit for sample in SAMPLES}
    rows: dict[str, dict] = {}
    for record in load_report.itertuples(index=False):
        name = str(record.input)
        root = _root_of(name, roots)
        row = rows.setdefault(root, {"input": root, "n_articles": 0, "reasons": [], "credit": []})
        n = int(record.n_articles) if pd.notna(record.n_articles) else 0
        row["n_articles"] += n
        file_name = Path(re.sub(r"(:\d+|!.*)$", "", name)).name
        if n and file_name in credits:
            row["credit"].append(credits[file_name])
        reason = getattr(record, "reason", "")
        if record.status != "loaded" and isinstance(reason, str) and reason:
            row["reasons"].append(f"{record.status}: {reason}")
    order = {root: i for i, root in enumerate(roots)}
    table = pd.DataFrame(sorted(rows.values(), key=lambda r: order.get(r["input"], len(order))),
                         columns=["input", "n_articles", "reasons", "credit"])
    table["reasons"] = table["reasons"].map(lambda r: "; ".join(dict.fromkeys(r)))
    table["credit"] = table["credit"].map(lambda c: "; ".join(dict.fromkeys(c)))
    return table.astype({"input": "str", "n_articles": "int64", "reasons": "str", "credit": "str"})


def _inputs_table(tables_dir: Path, manifest: dict, notebooks: list[dict]) -> pd.DataFrame | None:
    """:func:`loaded_inputs` of this run's load report, or ``None`` when the run has none."""
    path = tables_dir / "load-report.csv"
    report = _read_csv(path) if path.exists() else None
    if report is None or not {"input", "status", "n_articles"} <= set(report.columns):
        return None
    return loaded_inputs(report, _run_roots(manifest, notebooks))


def _credits_present(table: pd.DataFrame | None) -> list[str]:
    """Credit lines of the samples whose articles this run loaded."""
    if table is None:
        return []
    return list(dict.fromkeys(c for c in table.loc[table["n_articles"] > 0, "credit"] if c))


def _from_html(table: pd.DataFrame | None, manifest: dict, notebooks: list[dict]) -> str:
    """The header lines naming each input the articles came from, with its count, and the credit of each sample
    present; read from the load report, so an input that gave nothing is never claimed."""
    if table is None:
        shown = ", ".join(_display_path(r) for r in _run_roots(manifest, notebooks))
        return (f"<p><b>From:</b> {_e(shown)} <span class='muted'>(no load report in this run, so the articles "
                f"each input gave are not known)</span></p>")
    loaded, empty = table[table["n_articles"] > 0], table[table["n_articles"] == 0]
    named = [f"{_e(_display_path(r.input))} ({r.n_articles:,} article{'s' if r.n_articles != 1 else ''})"
             for r in loaded.itertuples()]
    text = f"<p><b>From:</b> {' · '.join(named) if named else 'no input gave an article'}</p>"
    if len(empty):
        text += ("<p class='muted'>Gave no article: " + " · ".join(
            _e(_display_path(r.input)) + (f" ({_e(r.reasons)})" if r.reasons else "") for r in empty.itertuples())
            + "</p>")
    credits = _credits_present(table)
    if credits:
        text += f"<p><b>Credits:</b> {_e('; '.join(credits))}</p>"
    return text


def _load_report_html(tables_dir: Path) -> str:
    path = tables_dir / "load-report.csv"
    report = _read_csv(path) if path.exists() else None
    if report is None or "status" not in report.columns:
        return "<p class='missing'>No load report in this run (tables/load-report.csv).</p>"
    counts = report.groupby("status").agg(inputs=("status", "size"),
                                          articles=("n_articles", "sum") if "n_articles" in report.columns
                                          else ("status", "size")).reset_index()
    problems = report[report["status"] != "loaded"]
    text = _frame_html(counts)
    if len(problems):
        text += "<h3>Inputs not loaded, and why</h3>" + _frame_html(problems, max_rows=25)
    else:
        text += "<p>Every input was loaded.</p>"
    return text + "<p class='muted'><a href='tables/load-report.csv'>load-report.csv</a></p>"


def _settings_html(notebooks: list[dict]) -> str:
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
    text = "<h3>Shared by every notebook</h3>" + _frame_html(common[["parameter", "value"]], max_rows=50)
    if len(specific):
        text += "<h3>Per notebook</h3>" + _frame_html(specific, max_rows=100)
    return text


def _versions_html(manifest: dict) -> str:
    from helpers import __version__

    recorded = manifest.get("versions")
    if isinstance(recorded, dict) and recorded:
        rows = [{"package": k, "version": v} for k, v in recorded.items()]
        return "<p class='muted'>As recorded in manifest.json when the run started.</p>" + \
            _frame_html(pd.DataFrame(rows), max_rows=60)
    rows = [{"package": "newskit (helpers)", "version": __version__},
            {"package": "python", "version": platform.python_version()}]
    for package in VERSION_PACKAGES:
        try:
            rows.append({"package": package, "version": metadata.version(package)})
        except metadata.PackageNotFoundError:
            rows.append({"package": package, "version": "not installed"})
    return _frame_html(pd.DataFrame(rows), max_rows=50)


def _resources_html() -> str:
    status = resource_status()
    table = status.assign(found=status["found"].map({True: "yes", False: "no"}))
    table = table[["resource", "found", "used_for", "fallback_in_effect"]]
    missing = status.loc[~status["found"].astype(bool), "resource"].tolist()
    lead = (f"<p>{len(missing)} resource{'s' if len(missing) != 1 else ''} missing, so the fallbacks below were in "
            f"effect: {', '.join(missing)}.</p>" if missing else "<p>Every NLTK resource was found.</p>")
    return lead + _frame_html(table, max_rows=50)


def _notebooks_html(run_dir: Path, notebooks: list[dict]) -> str:
    if not notebooks:
        return "<p class='missing'>No executed notebooks in this run.</p>"
    items = []
    for notebook in notebooks:
        html_file = run_dir / "html" / f"{notebook['stem']}.html"
        link = (f"<a href='html/{_e(html_file.name)}'>{_e(notebook['title'])}</a>" if html_file.exists()
                else _e(notebook["title"]))
        summary = notebook["summary"] if len(notebook["summary"]) <= 700 else notebook["summary"][:700] + " …"
        took = f" · {notebook['duration']:.0f} s" if isinstance(notebook["duration"], (int, float)) else ""
        state = (f" · <span class='bad'>{len(notebook['errors'])} error(s): {_e(notebook['errors'][0])}</span>"
                 if notebook["errors"] else "")
        items.append(f"<li>{link} <span class='muted'>· <a href='notebooks/{_e(notebook['name'])}'>ipynb</a>"
                     f"{took}</span>{state}<br><span class='muted'>{_inline_markdown(summary)}</span></li>")
    return "<ol>" + "".join(items) + "</ol>"


def _figures_html(figures_dir: Path, notebooks: list[dict]) -> str:
    pngs = {p.stem: p for p in sorted(figures_dir.glob("*.png"))}
    if not pngs:
        return "<p class='missing'>No figures in this run.</p>"
    parts, shown = [], set()
    for notebook in notebooks:
        mine = [pngs[name] for name in notebook["figures"] if name in pngs and name not in shown]
        if mine:
            parts.append(f"<h3>{_e(notebook['title'])}</h3>" + "".join(_figure_html(p) for p in mine))
            shown.update(p.stem for p in mine)
    rest = [p for name, p in pngs.items() if name not in shown]
    if rest:
        parts.append(("<h3>Other figures</h3>" if parts else "") + "".join(_figure_html(p) for p in rest))
    return "".join(parts)


def _all_tables_html(tables_dir: Path) -> str:
    rows = []
    for path in sorted(tables_dir.glob("*.csv")):
        frame = _read_csv(path)
        rows.append(f"<tr><td><a href='tables/{_e(path.name)}'>{_e(path.name)}</a></td>"
                    f"<td class='num'>{'unreadable' if frame is None else f'{len(frame):,}'}</td>"
                    f"<td>{'' if frame is None else _e(', '.join(map(str, frame.columns[:12])))}</td></tr>")
    if not rows:
        return "<p class='missing'>No tables in this run.</p>"
    return "<table><thead><tr><th>table</th><th>rows</th><th>columns</th></tr></thead><tbody>" + "".join(rows) + \
        "</tbody></table>"


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
        ("who-speaks", "Who speaks", who_speaks_html(tables_dir, _frame_html)),
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


def describe_articles(articles: pd.DataFrame) -> pd.DataFrame:
    """What a run analysed, per collection and in total: the inputs section of the run report.

    Columns: ``collection, n_articles, first_date, last_date, n_undated, n_sources, top_sources, credit``; the last
    row, ``collection == "all"``, is the whole corpus.

    >>> arts = pd.DataFrame({"collection": ["articles", "wikinews_2019", "wikinews_2019"],
    ...                      "date": pd.to_datetime([None, "2019-01-04", "2019-12-30"], utc=True),
    ...                      "source": [None, "wikinews", "wikinews"]})
    >>> describe_articles(arts)[["collection", "n_articles", "first_date", "n_undated", "credit"]].values.tolist()
    [['articles', 1, nan, 1, ''], ['wikinews_2019', 2, '2019-01-04', 0, 'Wikinews CC BY 2.5'], ['all', 3, '2019-01-04', 1, 'Wikinews CC BY 2.5']]
    """
    from helpers.charts.plots import CREDITS

    frame = articles.copy()
    if "collection" not in frame.columns:
        frame["collection"] = "articles"
    frame["_date"] = pd.to_datetime(frame["date"], errors="coerce", utc=True) if "date" in frame.columns else pd.NaT
    frame["_source"] = frame["source"] if "source" in frame.columns else None

    def summarise(name: str, part: pd.DataFrame) -> dict:
        dates, outlets = part["_date"].dropna(), part["_source"].dropna().astype(str)
        counts = outlets.value_counts().head(5)
        credits = [CREDITS[c] for c in pd.unique(part["collection"].dropna()) if c in CREDITS]
        return {"collection": name, "n_articles": len(part),
                "first_date": f"{dates.min():%Y-%m-%d}" if len(dates) else None,
                "last_date": f"{dates.max():%Y-%m-%d}" if len(dates) else None,
                "n_undated": int(part["_date"].isna().sum()), "n_sources": int(outlets.nunique()),
                "top_sources": "; ".join(f"{s} ({n})" for s, n in counts.items()),
                "credit": "; ".join(dict.fromkeys(credits))}

    rows = [summarise(str(name), part) for name, part in frame.groupby("collection", sort=True, dropna=False)]
    rows.append(summarise("all", frame))
    return pd.DataFrame(rows).astype({"first_date": "str", "last_date": "str"})


def browser_check(index: Path, *, screenshot: Path | None = None, timeout_ms: int = 30_000) -> dict:
    """Open ``index`` in headless Chromium (Playwright) and report what a reader would see.

    Returns ``{"console_errors": [...], "images": n, "broken_images": [alt, ...], "screenshot": path}``; raises
    ``RuntimeError`` saying why when Playwright or a Chromium binary is missing. Chromium is Debian's
    ``/usr/bin/chromium`` when present (``apt-get install chromium``), else Playwright's own download.
    """
    import shutil

    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise RuntimeError("the browser check needs the playwright package (pip install playwright)") from error
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
    index = Path(index).resolve()
    errors: list[str] = []
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=executable, args=args, headless=True)
        except Exception as error:
            raise RuntimeError(f"no usable Chromium ({executable or 'none on PATH'}): {str(error)[:300]}") from None
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(index.as_uri(), wait_until="load", timeout=timeout_ms)
            images = page.evaluate("""() => Array.from(document.images).map(img => ({
                alt: img.alt, complete: img.complete, width: img.naturalWidth}))""")
            if screenshot is not None:
                screenshot = Path(screenshot)
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(screenshot), full_page=False)
        finally:
            browser.close()
    return {"console_errors": errors, "images": len(images),
            "broken_images": [i["alt"] for i in images if not i["complete"] or i["width"] == 0],
            "screenshot": screenshot}
