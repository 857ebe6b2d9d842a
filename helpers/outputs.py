"""Where a run's figures and tables go: ``<output_dir>/figures`` and ``<output_dir>/tables``."""

from __future__ import annotations

import atexit
import os
import pickle
import tempfile  # noqa: F401  (used by the doctests)
import re
from concurrent.futures import Future
from pathlib import Path

import pandas as pd

from .config import REPORTS_DIR

_output_dir: Path | None = None
_saved: list[Path] = []
# rcParams that belong to the notebook's process (its display backend), not to the figure being written
_PROCESS_RC = ("backend", "backend_fallback", "interactive", "figure.hooks")


def set_output_dir(path: str | os.PathLike | None) -> Path:
    """Make ``path`` the folder that :func:`save_figure` and :func:`save_table` write into, and return it.

    ``None`` means ``reports/interactive`` (what a notebook opened by hand in JupyterLab uses).

    >>> set_output_dir("reports/example").name
    'example'
    """
    global _output_dir
    _output_dir = Path(path) if path else REPORTS_DIR / "interactive"
    _saved.clear()
    return _output_dir


def output_dir() -> Path:
    """The current run's output folder (see :func:`set_output_dir`)."""
    return _output_dir or set_output_dir(os.environ.get("NEWSKIT_OUTPUT_DIR"))


def _stable_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-").lower()


def _figure_of(fig):
    """The Figure behind a Figure, an Axes, or an array/list of Axes (what the plot_* functions return)."""
    if hasattr(fig, "savefig"):
        return fig
    if hasattr(fig, "figure"):
        return fig.figure
    try:
        import numpy as np

        return np.ravel(fig)[0].figure
    except (IndexError, AttributeError, TypeError):
        raise TypeError(f"save_figure needs a matplotlib Figure or Axes, not {type(fig).__name__}") from None


def save_figure(fig, name: str, *, dpi: int = 200, note: str | None = None) -> list[Path]:
    """Write ``fig`` as PNG (``dpi``) and SVG into the run's ``figures`` folder; return both paths.

    ``fig`` may be a Figure or the Axes a ``plot_*`` function returned. The name is made stable (lower case,
    hyphens), so a rerun overwrites the same files. The source note (``note``, else the one set with
    :func:`helpers.set_source_note`) is written under the figure unless it already has one.

    >>> import matplotlib; matplotlib.use("Agg"); import matplotlib.pyplot as plt
    >>> _ = set_output_dir(tempfile.mkdtemp())
    >>> [p.name for p in save_figure(plt.figure(), "Top terms")]
    ['top-terms.png', 'top-terms.svg']
    """
    from .plots import add_source_note

    fig = _figure_of(fig)
    stem = _stable_name(name)
    if not stem:
        raise ValueError(f"save_figure: {name!r} gives no usable file name")
    add_source_note(fig, note)
    folder = output_dir() / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{stem}.png", folder / f"{stem}.svg"]
    writer = _writer()
    if writer is None:
        _write_figure(fig, paths, dpi)
    else:
        # pickled now: the notebook may change or close the figure while the writer draws it
        writer.submit(paths, _write_pickled_figure, pickle.dumps(fig), _figure_rc(), paths, dpi)
    _saved.extend(p for p in paths if p not in _saved)
    return paths


def _write_figure(fig, paths: list[Path], dpi: int) -> None:
    # metadata without dates keeps reruns byte-stable where matplotlib allows it
    fig.savefig(paths[0], dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    # The SVG keeps the layout the PNG's drawing worked out (sizes in points do not depend on the dpi) instead of
    # solving it again: a tenth of the time figures took. It still measures its own tight box.
    engine = fig.get_layout_engine()
    if engine is None:  # nothing to solve; and set_layout_engine(None) would apply the rcParams' engine
        fig.savefig(paths[1], bbox_inches="tight", metadata={"Date": None})
        return
    fig.set_layout_engine("none")
    try:
        fig.savefig(paths[1], bbox_inches="tight", metadata={"Date": None})
    finally:
        fig.set_layout_engine(engine)


def _figure_rc() -> dict:
    import matplotlib

    return {key: value for key, value in matplotlib.rcParams.items() if key not in _PROCESS_RC}


def _write_pickled_figure(payload: bytes, rc: dict, paths: list[Path], dpi: int) -> None:
    import matplotlib
    import matplotlib.pyplot as plt

    with matplotlib.rc_context(rc):
        fig = pickle.loads(payload)
        try:
            _write_figure(fig, paths, dpi)
        finally:
            plt.close(fig)


def save_table(table: pd.DataFrame, name: str) -> Path:
    """Write ``table`` as CSV into the run's ``tables`` folder and return the path.

    >>> _ = set_output_dir(tempfile.mkdtemp())
    >>> save_table(pd.DataFrame({"term": ["libya"]}), "top terms").name
    'top-terms.csv'
    """
    folder = output_dir() / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{_stable_name(name)}.csv"
    writer = _writer()
    if writer is None:
        _write_table(table, path)
    else:
        # a shallow copy is a snapshot under copy-on-write: later edits to ``table`` copy, not change it
        writer.submit([path], _write_table, table.copy(deep=False), path)
    _saved.append(path)
    return path


def _write_table(table: pd.DataFrame, path: Path) -> None:
    table.to_csv(path, index=False)


def saved_outputs() -> pd.DataFrame:
    """What :func:`save_figure` and :func:`save_table` wrote since the last :func:`set_output_dir`.

    >>> _ = set_output_dir(tempfile.mkdtemp()); _ = save_table(pd.DataFrame({"a": [1]}), "t")
    >>> saved_outputs()["file"].tolist()
    ['tables/t.csv']
    """
    wait_for_writes()
    rows = [{"file": str(p.relative_to(output_dir())), "bytes": p.stat().st_size} for p in _saved]
    return pd.DataFrame(rows, columns=["file", "bytes"])


class _BackgroundWriter:
    """One spawned process that draws figures and writes tables while the notebook goes on; a rerun's notebooks
    spent about a quarter of their time in ``savefig`` and ``to_csv``."""

    def __init__(self):
        self.pool = self._new_pool()
        self.pending: list[tuple[list[Path], Future]] = []

    @staticmethod
    def _new_pool():
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        shared = _SharedWriter.connect()
        if shared is not None:
            return shared
        # spawned, not forked: a kernel holds threads and gigabytes of tables the writer does not need
        return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_start_writer)

    def submit(self, paths: list[Path], write, *args) -> None:
        from concurrent.futures.process import BrokenProcessPool

        self.raise_failures(finished_only=True)
        try:
            future = self.pool.submit(write, *args)
        except BrokenProcessPool:  # the writer died (its failure was raised already): a new one takes over
            self.pool = self._new_pool()
            future = self.pool.submit(write, *args)
        self.pending.append(([p.resolve() for p in paths], future))

    def raise_failures(self, *, finished_only: bool = False) -> list[Path]:
        """Wait for the writes (or only collect the finished ones) and raise the first that failed."""
        done, failed = [], None
        for paths, future in list(self.pending):
            if finished_only and not future.done():
                continue
            self.pending.remove((paths, future))
            error = future.exception()
            if error is None:
                done.extend(paths)
            elif failed is None:
                failed = (paths, error)
        if failed is not None:
            paths, error = failed
            raise OSError(f"writing {', '.join(p.name for p in paths)} failed: "
                          f"{error.__class__.__name__}: {error}") from error
        return done


def _start_writer() -> None:
    import signal

    import matplotlib

    # Interrupting the notebook (or a runner shutting its kernel down) signals the kernel's whole process group:
    # the writer finishes its queue and stops when the kernel closes it, instead of dying mid-file.
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401  (imported once, before the first figure arrives)


WRITER_ENV = ("NEWSKIT_WRITER", "NEWSKIT_WRITER_KEY")


def _dial(address: str, key: str):
    """A connection to the run's writer at ``address``, authenticated with the hex ``key``."""
    from multiprocessing.connection import Client

    return Client(address, family="AF_UNIX", authkey=bytes.fromhex(key))


class _SharedWriter:
    """A kernel's connection to the run's one writer process (:class:`WriterService`), used like the
    one-process pool it replaces: ``submit(write, *args)`` returns a future. The job is pickled at the call, so
    what is written is what the notebook had then."""

    def __init__(self, connection):
        import threading

        self.connection = connection
        self.futures: dict[int, Future] = {}
        self.lock = threading.Lock()
        self.count = 0
        self.broken = False
        threading.Thread(target=self._replies, name="newskit-writer-replies", daemon=True).start()

    @classmethod
    def connect(cls, timeout: float = 30.0):
        """A connection to the run's writer named in the environment, or None (no run's writer, or it has stopped,
        or it is not listening within ``timeout`` seconds: the kernel then starts a writer of its own)."""
        import time

        address, key = (os.environ.get(name) for name in WRITER_ENV)
        if not address or not key:
            return None
        deadline = time.monotonic() + timeout
        while True:
            try:
                return cls(_dial(address, key))
            except FileNotFoundError:  # no socket yet: the writer is starting
                if time.monotonic() > deadline:
                    return None
                time.sleep(0.05)
            except (OSError, EOFError, ValueError):  # refused: the writer has stopped
                return None

    def submit(self, write, *args) -> Future:
        from concurrent.futures.process import BrokenProcessPool

        future: Future = Future()
        try:
            job = pickle.dumps((write, args), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # reported when the notebook waits, as the writes that fail in the writer
            future.set_exception(error)
            return future
        with self.lock:
            if self.broken:
                raise BrokenProcessPool("the run's writer process stopped")
            self.count += 1
            self.futures[self.count] = future
            try:
                self.connection.send((self.count, job))
            except (OSError, EOFError) as error:
                self.futures.pop(self.count)
                self.broken = True
                raise BrokenProcessPool(f"the run's writer process stopped ({error})") from error
        return future

    def _replies(self) -> None:
        while True:
            try:
                number, error = self.connection.recv()
            except (OSError, EOFError):
                break
            future = self.futures.pop(number, None)
            if future is not None:
                future.set_result(None) if error is None else future.set_exception(error)
        with self.lock:
            self.broken = True
            stranded, self.futures = list(self.futures.values()), {}
        for future in stranded:
            future.set_exception(OSError("the run's writer process stopped before writing it"))

    def shutdown(self, wait: bool = True) -> None:
        self.connection.close()


class WriterService:
    """The run's one writer process: every notebook's kernel hands it figures and tables (through a Unix socket
    named in :data:`WRITER_ENV`) instead of starting a writer of its own, which cost each notebook about a second
    of processor time to import matplotlib and pandas. Use as a context manager around the run; its
    ``environment`` is what the kernels need to find it.

    >>> with WriterService() as service:  # doctest: +SKIP
    ...     sorted(service.environment)
    ['NEWSKIT_WRITER', 'NEWSKIT_WRITER_KEY']
    """

    def __init__(self):
        import secrets
        import subprocess
        import sys

        self.folder = tempfile.mkdtemp(prefix="newskit-writer-")  # mode 0700: only this user reaches the socket
        key = secrets.token_bytes(16)
        address = os.path.join(self.folder, "writer")
        self.environment = {"NEWSKIT_WRITER": address, "NEWSKIT_WRITER_KEY": key.hex()}
        # A plain subprocess, not multiprocessing's spawn: spawn runs the caller's main script again, which a
        # script calling helpers.run without an ``if __name__ == "__main__"`` guard does not survive.
        package_root = str(Path(__file__).resolve().parents[1])
        path = os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from helpers.outputs import _serve_writes; _serve_writes()"],
            env={**os.environ, **self.environment, "PYTHONPATH": path}, stdin=subprocess.DEVNULL)

    def __enter__(self) -> WriterService:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self, timeout: float = 60.0) -> None:
        """Stop the writer once it has written what it was given (the notebooks waited for theirs already)."""
        import shutil
        import subprocess

        try:
            with _dial(*(self.environment[name] for name in WRITER_ENV)) as connection:
                connection.send(None)
            self.process.wait(timeout)
        except (OSError, EOFError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            shutil.rmtree(self.folder, ignore_errors=True)


def _serve_writes() -> None:
    """The writer process (see :class:`WriterService`): jobs from every connection, written one at a time in the
    order they arrive, until the service closes or the run that started it has gone."""
    import queue
    import signal
    import threading
    import time
    from multiprocessing.connection import Listener

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in the terminal reaches the run, which closes this
    address, key = (os.environ[name] for name in WRITER_ENV)
    # first: kernels connect while matplotlib imports
    listener = Listener(address, family="AF_UNIX", authkey=bytes.fromhex(key))
    _start_writer()
    jobs: queue.Queue = queue.Queue()
    parent = os.getppid()

    def watch_parent() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        jobs.put(None)  # the run died without closing this: finish the queue and stop

    threading.Thread(target=watch_parent, daemon=True).start()

    def receive(connection) -> None:
        while True:
            try:
                message = connection.recv()
            except (OSError, EOFError):
                return
            if message is None:  # the service closes: write what is queued, then stop
                jobs.put(None)
                return
            jobs.put((connection, *message))

    def accept() -> None:
        while True:
            try:
                connection = listener.accept()
            except OSError:
                return  # the listener closed
            except Exception:
                continue  # a client that failed the handshake
            threading.Thread(target=receive, args=(connection,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    while (job := jobs.get()) is not None:
        connection, number, payload = job
        try:
            write, args = pickle.loads(payload)
            write(*args)
            error = None
        except Exception as failed:  # a write that failed, or a job that does not unpickle here
            error = failed
        try:
            try:
                connection.send((number, error))
            except (pickle.PicklingError, TypeError, AttributeError):  # an error that does not pickle
                connection.send((number, RuntimeError(f"{error.__class__.__name__}: {error}")))
        except (OSError, EOFError):
            pass  # the kernel has gone; its files are written all the same
    listener.close()


_background: _BackgroundWriter | None = None


def _writer() -> _BackgroundWriter | None:
    global _background
    if _background is None and background_writes():
        _background = _BackgroundWriter()
    return _background if background_writes() else None


def start_writer() -> None:
    """Start the background writer now, if background writes are on: a kernel that starts ahead of its notebook
    (see :mod:`helpers.runner`) has it ready before the first figure."""
    writer = _writer()
    if writer is not None and not writer.pending:
        writer.pending.append(([], writer.pool.submit(int)))


def background_writes(enabled: bool | None = None) -> bool:
    """Whether :func:`save_figure` and :func:`save_table` hand their files to a background process (``enabled``
    sets it; default: the ``NEWSKIT_BACKGROUND_WRITES`` setting, which ``python -m helpers run`` turns on).

    The notebook goes on while the files are written; :func:`saved_outputs` and :func:`wait_for_writes` wait for
    them and raise the first write that failed.

    >>> background_writes(False)
    False
    """
    if enabled is not None:
        if not enabled:
            wait_for_writes()
        os.environ["NEWSKIT_BACKGROUND_WRITES"] = "1" if enabled else "0"
    return os.environ.get("NEWSKIT_BACKGROUND_WRITES", "0") not in ("", "0", "false", "no")


def wait_for_writes() -> list[Path]:
    """Wait until every figure and table handed to the background writer is on disk; return their paths.

    Raises ``OSError`` naming the file whose write failed.

    >>> wait_for_writes()
    []
    """
    return _background.raise_failures() if _background is not None else []


@atexit.register
def _finish_writes_on_exit() -> None:
    if _background is not None:
        try:
            wait_for_writes()
        finally:
            _background.pool.shutdown(wait=True)
