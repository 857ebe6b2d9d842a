"""Execute the notebooks in order into ``reports/<run-name>/``: executed notebooks, HTML, figures, tables, manifest.

A run writes only under its run folder (plus the shared, content-keyed cache, ``NEWSKIT_CACHE``); it never
edits ``data/`` or the committed notebooks (kernels start in the run folder). An existing run folder is refused
unless ``replace=True``, except the remains of a run that was killed before finishing, which are replaced.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import shutil
import sys
import tempfile  # noqa: F401  (used by the doctests)
from pathlib import Path

from helpers.runs.kernels import KernelSilent, overlapped_exits, reap_kernels, register_engine
from helpers.settings import NOTEBOOKS_DIR, REPORTS_DIR, SAMPLES, cell_timeout, kernel_environment, sample_path

KERNEL_NAME = "newskit"


class NotebookFailed(RuntimeError):
    """A notebook raised: carries the notebook's name and the number of the failing cell."""

    def __init__(self, notebook: str, cell: int | None, message: str):
        where = f"cell {cell}" if cell is not None else "an unknown cell"
        super().__init__(f"notebook {notebook} failed in {where}: {message}")
        self.notebook, self.cell = notebook, cell


def list_notebooks(names: list[str] | None = None, folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The kit's notebooks in reading order (``NN-topic.ipynb``), or those whose names start with ``names``.

    >>> list_notebooks()[0].name
    '01-load-articles.ipynb'
    """
    notebooks = sorted(p for p in Path(folder).glob("[0-9][0-9]-*.ipynb"))
    if names:
        notebooks = [p for p in notebooks if any(p.name.startswith(n) or p.stem == n for n in names)]
        if not notebooks:
            raise ValueError(f"no notebook in {folder} matches {names}")
    return notebooks


def new_run_dir(out: str | Path | None, *, replace: bool = False) -> Path:
    """The run folder: ``out`` or ``reports/run-<timestamp>``; refuses a non-empty one unless ``replace``.

    The remains of a killed run (manifest still ``running``, its process gone) are replaced without asking.

    >>> new_run_dir(tempfile.mkdtemp()).is_dir()
    True
    """
    from helpers.runs.manifest import is_unfinished

    run_dir = Path(out) if out else REPORTS_DIR / dt.datetime.now().strftime("run-%Y%m%d-%H%M%S")
    if run_dir.exists() and not run_dir.is_dir():
        raise FileExistsError(f"{run_dir} is a file, not a run folder; choose another OUT")
    if run_dir.exists() and any(run_dir.iterdir()):
        if is_unfinished(run_dir):
            print(f"run: {run_dir} holds a run that was stopped before it finished; starting it again",
                  file=sys.stderr)
        elif not replace:
            raise FileExistsError(f"{run_dir} already holds a run; choose another OUT or pass --replace")
        shutil.rmtree(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    return run_dir


def _kernel_name() -> str:
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL_NAME if KERNEL_NAME in KernelSpecManager().find_kernel_specs() else "python3"


def _first_line(source: str) -> str:
    line = next((line for line in source.splitlines() if line.strip() and not line.startswith("#")), "")
    return line if len(line) <= 70 else line[:67] + "..."


def execute_notebook(notebook: Path, run_dir: Path, parameters: dict, *, progress: bool = False,
                     html: bool = True) -> Path:
    """Execute one notebook with ``parameters`` injected into its ``parameters`` cell; write it and its HTML.

    papermill starts the notebook's kernel in ``run_dir``, so a stray relative write lands in the run, never
    beside the notebooks. A cell runs as long as it needs (``NEWSKIT_CELL_TIMEOUT`` sets a limit), but a kernel
    that stops answering (its process gone or frozen, or a reply that never comes) ends the notebook with
    :class:`NotebookFailed` naming the cell, after :data:`helpers.runs.kernels.HEARTBEAT_LIMIT` /
    :data:`~helpers.runs.kernels.REPLY_LIMIT` seconds.
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError

    executed = run_dir / "notebooks" / notebook.name
    executed.parent.mkdir(parents=True, exist_ok=True)
    timeout = cell_timeout()
    try:
        papermill.execute_notebook(str(notebook), str(executed), parameters=parameters, engine_name=register_engine(),
                                   kernel_name=_kernel_name(), cwd=str(run_dir), execution_timeout=timeout,
                                   progress_bar=progress and {"desc": notebook.stem, "leave": False},
                                   log_output=False)
    except papermill.PapermillExecutionError as error:
        raise NotebookFailed(notebook.name, error.exec_count, f"{error.ename}: {error.evalue}") from None
    except KernelSilent as silent:
        raise NotebookFailed(notebook.name, silent.index, f"{silent.reason} (`{_first_line(silent.source)}`); "
                             "the run stops here instead of waiting") from None
    except CellTimeoutError:
        raise NotebookFailed(notebook.name, None,
                             f"a cell ran longer than NEWSKIT_CELL_TIMEOUT={timeout:.0f} s") from None
    except TimeoutError as error:
        raise NotebookFailed(notebook.name, None, str(error)) from None
    if html:
        export_html(executed, run_dir)
    return executed


@functools.cache
def _html_exporter():
    # one per process: a new exporter loads its templates again (3.4 s CPU for a run's eleven notebooks, 2.4 s
    # with one exporter, measured on the 10k benchmark's rerun notebooks)
    from nbconvert import HTMLExporter

    return HTMLExporter()


def export_html(executed: Path, run_dir: Path) -> Path:
    """The executed notebook as ``html/<name>.html`` in the run folder."""
    import nbformat

    html_dir = run_dir / "html"
    html_dir.mkdir(exist_ok=True)
    body, _ = _html_exporter().from_notebook_node(nbformat.read(executed, as_version=4))
    target = html_dir / f"{executed.stem}.html"
    target.write_text(body, encoding="utf-8")
    return target


def parse_param(text: str) -> tuple[str, object]:
    """``KEY=VALUE`` from the command line; the value is read as JSON when it parses (numbers, lists, true) else text.

    >>> parse_param("TOP_N=30"), parse_param("FOCUS_COLLECTION=articles"), parse_param('TERMS=["libya","drug"]')
    (('TOP_N', 30), ('FOCUS_COLLECTION', 'articles'), ('TERMS', ['libya', 'drug']))
    """
    if "=" not in text:
        raise ValueError(f"--param {text!r}: write KEY=VALUE")
    key, value = text.split("=", 1)
    try:
        return key.strip(), json.loads(value)
    except ValueError:
        return key.strip(), value


def check_parameters(notebooks: list[Path], params: dict) -> None:
    """Refuse a parameter that no selected notebook declares in its ``parameters`` cell (a typo, most likely)."""
    import papermill

    declared: set[str] = set()
    for notebook in notebooks:
        declared |= set(papermill.inspect_notebook(str(notebook)))
    unknown = sorted(set(params) - declared)
    if unknown:
        raise ValueError(f"parameter(s) {', '.join(unknown)} declared by none of the notebooks run; "
                         f"known: {', '.join(sorted(declared))}")


def prepare_corpus(sources: list, run_dir: Path, manifest: dict, *, progress: bool = True) -> dict:
    """Load and tokenise the run's articles through the caches before the notebooks start, and save the run's
    article list and term frequencies (what ``python -m helpers diff`` compares).

    Returns the environment the kernels need so that they use the same sentence model.
    """
    from helpers.load.articles import require_articles
    from helpers.load.load_cache import cached_load_articles
    from helpers.text.token_cache import cached_tokenize
    from helpers.stats.counts import frequencies
    from helpers.runs.outputs import _stable_name

    print("run: loading articles", file=sys.stderr, flush=True)
    articles = require_articles(cached_load_articles(*sources), sources)
    tokens = cached_tokenize(articles, progress=progress)
    model = tokens.attrs["sentence_model"]
    tables = run_dir / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    listing = articles.reindex(columns=["doc_id", "title", "date", "source", "collection", "n_chars", "url"])
    listing.to_csv(tables / f"{_stable_name('run-articles')}.csv", index=False)
    frequencies(tokens).to_csv(tables / "run-term-frequencies.csv", index=False)
    manifest.update(n_articles=len(articles), sentence_model=model,
                    cache={"folder": str(_cache_folder()), "load": articles.attrs.get("cache"),
                           **tokens.attrs["cache"]})
    return {"NEWSKIT_SENTENCE_MODEL": model["path"] if model["kind"] != "pretrained punkt_tab" else None}


def _cache_folder() -> Path:
    from helpers.settings import cache_dir

    return cache_dir()


def previous_run(run_dir: Path) -> Path | None:
    """The most recently finished complete run beside ``run_dir`` (same parent folder), if any."""
    from helpers.runs.manifest import read_manifest

    candidates = []
    for folder in Path(run_dir).parent.iterdir():
        manifest = read_manifest(folder) if folder.is_dir() and folder != run_dir else None
        if manifest and manifest.get("status") == "complete" and manifest.get("finished"):
            candidates.append((manifest["finished"], folder.name, folder))
    return max(candidates)[2] if candidates else None


def run(articles: list[str] | None = None, out: str | Path | None = None, *, notebooks: list[str] | None = None,
        params: dict | None = None, replace: bool = False, compare_with: str | Path | None | bool = None,
        cache: str | Path | None = None, progress: bool = True) -> Path:
    """Run the notebooks on ``articles`` (default: the kit's articles and the sample) into ``out``.

    ``notebooks`` are the kit's notebooks by name or number (``["03", "04"]``, as :func:`list_notebooks` takes
    them), or notebook files given as paths (``list_notebooks(folder=...)`` of another folder).

    Writes ``manifest.json`` (see :mod:`helpers.manifest`), and compares with ``compare_with`` (default: the
    latest complete run beside ``out``; ``False`` for none) in ``changes/`` and the report.
    Returns the run folder; raises :class:`NotebookFailed` naming the notebook and cell that failed.
    """
    from helpers.load.load_cache import input_fingerprint
    from helpers.settings import default_sources
    from helpers.runs.manifest import finish_manifest, start_manifest
    from helpers.runs.report import write_report

    if not articles and not all(sample_path(sample).exists() for sample in SAMPLES):
        from helpers.load.samples import fetch_samples

        fetch_samples()  # offline: one line a sample, and the run goes on without it
    paths = notebooks and all(isinstance(n, Path) for n in notebooks)
    selected = [Path(n) for n in notebooks] if paths else list_notebooks(notebooks)
    check_parameters(selected, params or {})
    sources = [str(Path(a).resolve()) for a in articles or []]
    run_dir = new_run_dir(out, replace=replace).resolve()
    parameters = {"ARTICLES": sources, "OUTPUT_DIR": str(run_dir), **(params or {})}
    with kernel_environment(NEWSKIT_CACHE=str(Path(cache).resolve()) if cache else None):  # the kernels inherit it
        manifest = start_manifest(run_dir, inputs=input_fingerprint(sources or default_sources()),
                                  parameters=parameters, notebooks=[n.name for n in selected])
        try:
            kernel_env = prepare_corpus(sources or default_sources(), run_dir, manifest, progress=progress)
            with kernel_environment(**kernel_env), overlapped_exits():
                for notebook in _progress_over(selected, progress):
                    print(f"run: executing {notebook.name}", file=sys.stderr, flush=True)
                    execute_notebook(notebook, run_dir, parameters, progress=progress)
                    reap_kernels(keep=1)  # the kernel before this notebook's, which exited while it ran
            write_report(run_dir)
            _compare(run_dir, compare_with)
        except BaseException as error:
            finish_manifest(run_dir, manifest, status="failed", error=f"{error.__class__.__name__}: {error}")
            raise
        finish_manifest(run_dir, manifest)
    return run_dir


def _progress_over(notebooks: list[Path], progress: bool):
    from tqdm.auto import tqdm

    return tqdm(notebooks, desc="notebooks", unit="notebook", disable=not progress)


def _compare(run_dir: Path, compare_with) -> None:
    """Write what changed since the previous run into ``changes/`` and as a section of ``index.html``."""
    from helpers.runs.diff import append_to_report, diff_runs, write_changes

    if compare_with is False:
        return
    previous = Path(compare_with) if compare_with else previous_run(run_dir)
    if previous is None:
        return
    changes = diff_runs(previous, run_dir)
    write_changes(changes, run_dir / "changes")
    append_to_report(run_dir / "index.html", changes, previous=previous.name)
