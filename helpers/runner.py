"""Execute the notebooks in order into ``reports/<run-name>/``: executed notebooks, HTML, figures, tables."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile  # noqa: F401  (used by the doctests)
import sys
from pathlib import Path

from .config import NOTEBOOKS_DIR, REPORTS_DIR, SAMPLE_PATH

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
    notebooks = sorted(p for p in folder.glob("[0-9][0-9]-*.ipynb"))
    if names:
        notebooks = [p for p in notebooks if any(p.name.startswith(n) or p.stem == n for n in names)]
        if not notebooks:
            raise ValueError(f"no notebook in {folder} matches {names}")
    return notebooks


def new_run_dir(out: str | Path | None, *, replace: bool = False) -> Path:
    """The run folder: ``out`` or ``reports/run-<timestamp>``; refuses a non-empty one unless ``replace``.

    >>> new_run_dir(tempfile.mkdtemp()).is_dir()
    True
    """
    run_dir = Path(out) if out else REPORTS_DIR / dt.datetime.now().strftime("run-%Y%m%d-%H%M%S")
    if run_dir.exists() and any(run_dir.iterdir()):
        if not replace:
            raise FileExistsError(f"{run_dir} already holds a run; choose another OUT or pass --replace")
        shutil.rmtree(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    return run_dir


def _kernel_name() -> str:
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL_NAME if KERNEL_NAME in KernelSpecManager().find_kernel_specs() else "python3"


def execute_notebook(notebook: Path, run_dir: Path, parameters: dict) -> Path:
    """Execute one notebook with ``parameters`` injected into its ``parameters`` cell; write it and its HTML."""
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    executed = run_dir / "notebooks" / notebook.name
    executed.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(str(notebook), str(executed), parameters=parameters, kernel_name=_kernel_name(),
                                   cwd=str(notebook.parent), progress_bar=False, log_output=False)
    except papermill.PapermillExecutionError as error:
        raise NotebookFailed(notebook.name, error.exec_count, f"{error.ename}: {error.evalue}") from None
    html_dir = run_dir / "html"
    html_dir.mkdir(exist_ok=True)
    body, _ = HTMLExporter().from_notebook_node(nbformat.read(executed, as_version=4))
    (html_dir / f"{notebook.stem}.html").write_text(body, encoding="utf-8")
    return executed


def run(articles: list[str] | None = None, out: str | Path | None = None, *, notebooks: list[str] | None = None,
        params: dict | None = None, replace: bool = False) -> Path:
    """Run the notebooks on ``articles`` (default: the kit's articles and the sample) into ``out``.

    Returns the run folder; raises :class:`NotebookFailed` naming the notebook and cell that failed.
    """
    from .report import write_report
    from .sample_data import fetch_sample

    if not articles and not SAMPLE_PATH.exists():
        fetch_sample()
    run_dir = new_run_dir(out, replace=replace).resolve()
    parameters = {"ARTICLES": [str(Path(a).resolve()) for a in articles or []], "OUTPUT_DIR": str(run_dir),
                  **(params or {})}
    for notebook in list_notebooks(notebooks):
        print(f"run: executing {notebook.name}", file=sys.stderr, flush=True)
        execute_notebook(notebook, run_dir, parameters)
    write_report(run_dir)
    return run_dir
