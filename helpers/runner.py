"""Execute the notebooks in order into ``reports/<run-name>/``: executed notebooks, HTML, figures, tables, manifest.

A run writes only under its run folder (plus the shared, content-keyed cache, ``NEWSKIT_CACHE``); it never
edits ``data/`` or the committed notebooks (kernels start in the run folder). An existing run folder is refused
unless ``replace=True``, except the remains of a run that was killed before finishing, which are replaced.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
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
    from .manifest import is_unfinished

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


def cell_timeout() -> float | None:
    """Seconds a notebook cell may run (``NEWSKIT_CELL_TIMEOUT``; unset or 0: no limit, for big corpora).

    ``make test`` sets it, so that a lost kernel reply fails and is retried instead of hanging the suite.

    >>> os.environ.pop("NEWSKIT_CELL_TIMEOUT", None) and None; cell_timeout() is None
    True
    """
    value = float(os.environ.get("NEWSKIT_CELL_TIMEOUT") or 0)
    return value if value > 0 else None


def execute_notebook(notebook: Path, run_dir: Path, parameters: dict, *, progress: bool = False,
                     kernel=None, html: bool = True) -> Path:
    """Execute one notebook with ``parameters`` injected into its ``parameters`` cell; write it and its HTML.

    The kernel starts in ``run_dir``, so a stray relative write lands in the run, never beside the notebooks.
    ``kernel``: a :class:`_Kernel` already started (its owner shuts it down); ``html=False`` leaves the HTML
    to :func:`export_html`.
    """
    import papermill

    executed = run_dir / "notebooks" / notebook.name
    executed.parent.mkdir(parents=True, exist_ok=True)
    timeout = cell_timeout()
    for attempt in (1, 2):
        try:
            papermill.execute_notebook(str(notebook), str(executed), parameters=parameters,
                                       kernel_name=_kernel_name(), cwd=str(run_dir), execution_timeout=timeout,
                                       progress_bar=progress and {"desc": notebook.stem, "leave": False},
                                       log_output=False, **({"km": kernel.manager} if kernel else {}))
            break
        except papermill.PapermillExecutionError as error:
            raise NotebookFailed(notebook.name, error.exec_count, f"{error.ename}: {error.evalue}") from None
        except TimeoutError:
            # jupyter_client/ipykernel now and then lose a cell's reply while the kernel sits idle (seen about once
            # in ten full runs under load): run the notebook once more, in a kernel of its own; its steps come from
            # the caches.
            if attempt == 2:
                raise NotebookFailed(notebook.name, None, f"a cell got no reply within {timeout:.0f} s, twice") from None
            print(f"run: {notebook.name}: a cell got no reply within {timeout:.0f} s; running the notebook again",
                  file=sys.stderr)
            kernel = None
    if html:
        export_html(executed, run_dir)
    return executed


def export_html(executed: Path, run_dir: Path) -> Path:
    """The executed notebook as ``html/<name>.html`` in the run folder."""
    import nbformat
    from nbconvert import HTMLExporter

    html_dir = run_dir / "html"
    html_dir.mkdir(exist_ok=True)
    body, _ = HTMLExporter().from_notebook_node(nbformat.read(executed, as_version=4))
    target = html_dir / f"{executed.stem}.html"
    target.write_text(body, encoding="utf-8")
    return target


# What every notebook imports first (its opening cell, then loading the cached articles and tokens: NLTK with
# scipy.stats, datasketch): about 3 s a notebook, imported in the next kernel while the current notebook runs;
# and its connection to the run's writer of figures and tables, made.
WARM_UP = ("import matplotlib.pyplot, numpy, pandas, scipy.sparse\n"
           "import helpers, helpers.articles, helpers.cache, helpers.keywords, helpers.outputs, helpers.plots\n"
           "import helpers.tokens\n"
           "helpers.outputs.start_writer()")


class _Kernel:
    """A notebook's kernel, started before its turn in ``run_dir`` with :data:`WARM_UP` queued, so that a kernel
    starts and imports while the notebook before it runs. Its owner shuts it down (papermill only uses it)."""

    def __init__(self, run_dir: Path):
        from jupyter_client.blocking import BlockingKernelClient
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        # Unix sockets in a folder of its own, where the system has them, instead of TCP ports: a port a shut-down
        # kernel used can be handed to a later kernel of the run while a client of the old one still reconnects
        # (a benchmark run logged dozens of "DELIM not in msg_list" errors), and TCP printed a warning per kernel.
        self.sockets = tempfile.mkdtemp(prefix="newskit-kernel-") if os.name == "posix" else None
        sockets = {"transport": "ipc", "ip": os.path.join(self.sockets, "k"),
                   "connection_file": os.path.join(self.sockets, "kernel.json")} if self.sockets else {}
        # The asynchronous manager, as nbclient's own: it awaits the manager's client inside its event loop.
        self.manager = AsyncKernelManager(kernel_name=_kernel_name(), **sockets)
        run_sync(self.manager.start_kernel)(cwd=str(run_dir))
        self._client = BlockingKernelClient()
        self._client.load_connection_info(self.manager.get_connection_info())
        self._client.start_channels()
        # Not waited for: the kernel runs it on starting, before the notebook's first cell (messages queue).
        self._client.execute(WARM_UP, silent=True, store_history=False)

    def set_environment(self, values: dict[str, str | None]) -> None:
        """Set (``None``: unset) environment variables in the started kernel, before the notebook's first cell."""
        code = "import os\n" + "".join(
            f"os.environ[{key!r}] = {value!r}\n" if value is not None else f"os.environ.pop({key!r}, None)\n"
            for key, value in values.items())
        self._client.execute(code, silent=True, store_history=False)

    def shut_down(self) -> None:
        from jupyter_core.utils import run_sync

        try:
            self._client.stop_channels()
            if self.manager.has_kernel:
                run_sync(self.manager.shutdown_kernel)(now=False)
        finally:
            run_sync(self.manager.cleanup_resources)()
            if self.sockets:
                shutil.rmtree(self.sockets, ignore_errors=True)


@contextlib.contextmanager
def _pipelined(run_dir: Path, *, first: bool = True):
    """Run notebooks one after another while the next kernel starts and each finished notebook's HTML is written
    and its kernel shut down in a background thread: a rerun's notebooks each spent about 4 s on these. With
    ``first``, the first kernel starts at once (it boots while the run prepares the corpus; ``environment``
    passes it what the run learnt since).

    Yields ``(execute(notebook, parameters, last, progress), environment(values))``; leaving the block waits for
    the background work."""
    from concurrent.futures import ThreadPoolExecutor

    background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newskit-run")
    pending: list = []
    ahead = [_Kernel(run_dir)] if first else []

    def finish(kernel: _Kernel | None, executed: Path | None) -> None:
        try:
            if kernel is not None:
                kernel.shut_down()
        finally:
            if executed is not None:
                export_html(executed, run_dir)

    def environment(values: dict[str, str | None]) -> None:
        for kernel in ahead:
            kernel.set_environment(values)

    def execute(notebook: Path, parameters: dict, last: bool, progress: bool) -> Path:
        kernel = ahead.pop() if ahead else _Kernel(run_dir)
        if not last:
            ahead.append(_Kernel(run_dir))
        try:
            executed = execute_notebook(notebook, run_dir, parameters, progress=progress, kernel=kernel, html=False)
        except BaseException:
            pending.append(background.submit(finish, kernel, None))
            raise
        pending.append(background.submit(finish, kernel, executed))
        return executed

    try:
        yield execute, environment
    finally:
        for kernel in ahead:
            pending.append(background.submit(finish, kernel, None))
        background.shutdown(wait=True)
    for future in pending:
        future.result()


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


@contextlib.contextmanager
def _environment(**values: str | None):
    """Set environment variables for the kernels this run starts, and put the old values back afterwards."""
    old = {k: os.environ.get(k) for k in values}
    os.environ.update({k: v for k, v in values.items() if v is not None})
    try:
        yield
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def prepare_corpus(sources: list, run_dir: Path, manifest: dict, *, progress: bool = True) -> dict:
    """Load and tokenise the run's articles through the caches before the notebooks start, and save the run's
    article list and term frequencies (what ``python -m helpers diff`` compares).

    Returns the environment the kernels need so that they use the same sentence model.
    """
    from .articles import require_articles
    from .cache import cached_load_articles, cached_tokenize
    from .keywords import frequencies
    from .outputs import _stable_name

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
    from .cache import cache_dir

    return cache_dir()


def previous_run(run_dir: Path) -> Path | None:
    """The most recently finished complete run beside ``run_dir`` (same parent folder), if any."""
    from .manifest import read_manifest

    candidates = []
    for folder in Path(run_dir).parent.iterdir():
        manifest = read_manifest(folder) if folder.is_dir() and folder != run_dir else None
        if manifest and manifest.get("status") == "complete" and manifest.get("finished"):
            candidates.append((manifest["finished"], folder.name, folder))
    return max(candidates)[2] if candidates else None


def run(articles: list[str] | None = None, out: str | Path | None = None, *, notebooks: list[str] | None = None,
        params: dict | None = None, replace: bool = False, notebooks_dir: str | Path = NOTEBOOKS_DIR,
        compare_with: str | Path | None | bool = None, cache: str | Path | None = None,
        progress: bool = True) -> Path:
    """Run the notebooks on ``articles`` (default: the kit's articles and the sample) into ``out``.

    Writes ``manifest.json`` (see :mod:`helpers.manifest`), and compares with ``compare_with`` (default: the
    latest complete run beside ``out``; ``False`` for none) in ``changes/`` and the report.
    Returns the run folder; raises :class:`NotebookFailed` naming the notebook and cell that failed.
    """
    from .cache import input_fingerprint
    from .config import default_sources
    from .manifest import finish_manifest, start_manifest
    from .outputs import WriterService
    from .report import write_report

    if not articles and not SAMPLE_PATH.exists():
        from .sample_data import fetch_samples

        fetch_samples()
    selected = list_notebooks(notebooks, folder=Path(notebooks_dir))
    check_parameters(selected, params or {})
    sources = [str(Path(a).resolve()) for a in articles or []]
    run_dir = new_run_dir(out, replace=replace).resolve()
    parameters = {"ARTICLES": sources, "OUTPUT_DIR": str(run_dir), **(params or {})}
    # kernels inherit these; each notebook's figures and tables are written by the run's writer process while it
    # goes on (its last cell, saved_outputs(), waits for them)
    with WriterService() as writer, _environment(NEWSKIT_CACHE=str(Path(cache).resolve()) if cache else None,
                                                 NEWSKIT_BACKGROUND_WRITES="1", **writer.environment):
        manifest = start_manifest(run_dir, inputs=input_fingerprint(sources or default_sources()),
                                  parameters=parameters, notebooks=[n.name for n in selected])
        try:
            with _pipelined(run_dir, first=bool(selected)) as (execute, environment):
                kernel_env = prepare_corpus(sources or default_sources(), run_dir, manifest, progress=progress)
                environment(kernel_env)
                with _environment(**kernel_env):
                    for notebook in _progress_over(selected, progress):
                        print(f"run: executing {notebook.name}", file=sys.stderr, flush=True)
                        execute(notebook, parameters, last=notebook == selected[-1], progress=progress)
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
    from .diff import append_to_report, diff_runs, write_changes

    if compare_with is False:
        return
    previous = Path(compare_with) if compare_with else previous_run(run_dir)
    if previous is None:
        return
    changes = diff_runs(previous, run_dir)
    write_changes(changes, run_dir / "changes")
    append_to_report(run_dir / "index.html", changes, previous=previous.name)
