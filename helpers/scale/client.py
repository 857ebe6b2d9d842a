"""The Dask side of partitioned corpora: is a table a Dask collection, and a ``dask.distributed`` client to run on."""

from __future__ import annotations

import importlib
import os

from helpers.settings import dask_scheduler


def is_dask(obj) -> bool:
    """True for a Dask collection (DataFrame, Series, Bag …), without importing Dask for pandas input.

    >>> import pandas as pd
    >>> is_dask(pd.DataFrame())
    False
    """
    return hasattr(obj, "__dask_graph__") and hasattr(obj, "npartitions")


# The libraries every partition step loads (the driver names no stage). Not NLTK (with scipy.stats, ~0.9 s CPU a
# worker): partitions tokenised through the token cache get the run's sentence model unpickled only where an
# article needs tokenising, and in a rerun most partitions are read back whole.
WORKER_IMPORTS = ("pandas", "pyarrow", "scipy.sparse")


def dask_client(scheduler: str | None = None, *, n_workers: int | None = None, threads_per_worker: int = 1,
                memory_limit: str | float | None = "auto", dashboard_address: str | None = ":8787"):
    """A ``dask.distributed`` client: on ``scheduler`` (or ``$NEWSKIT_DASK_SCHEDULER``, read in helpers.settings) when
    given, else on a new ``LocalCluster`` with one single-threaded worker process per core (tokenising is pure Python: threads would
    share one interpreter lock). Close it with ``client.close()`` (a local cluster closes with it).
    ``memory_limit`` (per worker) and ``dashboard_address`` (``None`` for no dashboard, ``":0"`` for any free port)
    go to the ``LocalCluster``, as Dask reads them.

    A shared cluster, named by its scheduler's address (an in-process one here, to keep the example light):

    >>> from distributed import LocalCluster
    >>> cluster = LocalCluster(n_workers=1, processes=False, dashboard_address=None)
    >>> client = dask_client(cluster.scheduler_address)
    >>> client.submit(sum, [1, 2]).result()
    3
    >>> close_client(client); cluster.close()
    """
    from distributed import Client

    address = scheduler or dask_scheduler()
    if address:
        return Client(address)
    from multiprocessing import resource_tracker

    tracker_was_running = getattr(resource_tracker._resource_tracker, "_fd", None) is not None
    client = Client(n_workers=n_workers or os.cpu_count(), threads_per_worker=threads_per_worker, processes=True,
                    memory_limit=memory_limit, dashboard_address=dashboard_address)
    client.newskit_started_tracker = not tracker_was_running
    # The workers import the libraries every step needs now, while the notebook waits for the cluster anyway.
    client.run(_import_modules, WORKER_IMPORTS)
    return client


def _import_modules(names: tuple[str, ...]) -> None:
    for name in names:
        importlib.import_module(name)


def close_client(client) -> None:
    """Close ``client``; a local cluster it started goes with it (quietly: its workers are ours to stop), a shared
    cluster named by a scheduler address keeps running.

    >>> from distributed import LocalCluster
    >>> cluster = LocalCluster(n_workers=1, processes=False, dashboard_address=None)
    >>> client = dask_client(cluster.scheduler_address)
    >>> close_client(client)
    >>> client.status, cluster.status.name  # the shared cluster keeps running
    ('closed', 'running')
    >>> cluster.close()
    """
    import logging

    cluster = getattr(client, "cluster", None)
    nanny_log = logging.getLogger("distributed.nanny")
    level = nanny_log.level
    nanny_log.setLevel(logging.ERROR)
    try:
        client.close()
        if cluster is not None:
            cluster.close()
            if getattr(client, "newskit_started_tracker", False):
                _stop_resource_tracker()
    finally:
        nanny_log.setLevel(level)


TRACKER_EXIT_LIMIT = 5.0  # s


def _stop_resource_tracker() -> None:
    """Stop the multiprocessing resource tracker the local cluster's workers made this process start.

    It ignores SIGTERM, so a notebook kernel that still had it as a child when asked to shut down waited for it
    until the run's kernel manager gave up after 2.5 s and terminated the kernel (notebook 09, every run): no
    orderly exit. Closing its pipe is how Python stops it; the wait for it to go is limited.
    """
    import time
    from multiprocessing import resource_tracker

    tracker = resource_tracker._resource_tracker
    with tracker._lock:
        fd, pid = getattr(tracker, "_fd", None), getattr(tracker, "_pid", None)
        if fd is None or pid is None:
            return
        os.close(fd)
        tracker._fd = tracker._pid = None
    deadline = time.monotonic() + TRACKER_EXIT_LIMIT
    while time.monotonic() < deadline:
        try:
            if os.waitpid(pid, os.WNOHANG)[0]:
                return
        except ChildProcessError:
            return
        time.sleep(0.01)
