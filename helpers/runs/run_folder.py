"""Reading a run folder for the report: the executed notebooks, tables and manifest, and which inputs gave the
articles (from the load report)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd


def read_notebooks(run_dir: Path) -> list[dict]:
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


def read_csv_or_none(path: Path) -> pd.DataFrame | None:
    """The table in ``path``, or ``None`` when it is missing, empty or unreadable (the report says so, never fails).

    >>> read_csv_or_none(Path("no-such-table.csv")) is None
    True
    """
    try:
        return pd.read_csv(path)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError, OSError):
        return None


def find_tables(tables_dir: Path, patterns: list[str]) -> list[Path]:
    """The files of ``tables_dir`` matching ``patterns``, in the order of the patterns, each once."""
    found: dict[Path, None] = {}
    for pattern in patterns:
        for path in sorted(tables_dir.glob(pattern)):
            found[path] = None
    return list(found)


def run_manifest(run_dir: Path) -> dict:
    """The run's ``manifest.json`` as a dict: empty when absent, one entry saying so when unreadable."""
    path = run_dir / "manifest.json"
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, OSError):
        return {"manifest.json": "present but unreadable"}


def run_roots(manifest: dict, notebooks: list[dict]) -> list[str]:
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


def display_path(path: str) -> str:
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


def inputs_table(tables_dir: Path, manifest: dict, notebooks: list[dict]) -> pd.DataFrame | None:
    """:func:`loaded_inputs` of this run's load report, or ``None`` when the run has none."""
    path = tables_dir / "load-report.csv"
    report = read_csv_or_none(path) if path.exists() else None
    if report is None or not {"input", "status", "n_articles"} <= set(report.columns):
        return None
    return loaded_inputs(report, run_roots(manifest, notebooks))


def credits_present(table: pd.DataFrame | None) -> list[str]:
    """Credit lines of the samples whose articles this run loaded."""
    if table is None:
        return []
    return list(dict.fromkeys(c for c in table.loc[table["n_articles"] > 0, "credit"] if c))


@dataclass(frozen=True)
class RunFolder:
    """A run folder as the report's sections read it: its paths, and what is read from it once for every section
    (the executed notebooks, the manifest, the articles each input gave)."""

    path: Path
    notebooks: list[dict]
    manifest: dict
    inputs: pd.DataFrame | None

    @property
    def tables(self) -> Path:
        return self.path / "tables"

    @property
    def figures(self) -> Path:
        return self.path / "figures"


def read_run(run_dir: Path) -> RunFolder:
    """Read ``run_dir`` for the report: notebooks, manifest and the inputs table (``None`` without a load report).

    >>> import tempfile
    >>> run = read_run(Path(tempfile.mkdtemp()))
    >>> run.notebooks, run.manifest, run.inputs, run.tables.name
    ([], {}, None, 'tables')
    """
    run_dir = Path(run_dir)
    notebooks = read_notebooks(run_dir)
    manifest = run_manifest(run_dir)
    return RunFolder(run_dir, notebooks, manifest, inputs_table(run_dir / "tables", manifest, notebooks))
