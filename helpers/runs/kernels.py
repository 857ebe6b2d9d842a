"""The kernels a run executes its notebooks in: papermill's notebook client watching each cell's kernel (its
process, heartbeat and replies, so a silent kernel ends the run instead of leaving it waiting), and kernels that
exit while the next notebook already runs.

A finished notebook needs nothing more from its kernel, yet an orderly kernel exit takes 0.6-0.8 s (mostly
Python's own teardown of what the notebook imported). Inside :func:`overlapped_exits` the client asks the kernel
to exit and goes on; :func:`reap_kernels` later waits for it with jupyter_client's own limits (SIGTERM, then
SIGKILL), so no kernel outlives the run. See docs/runtime.md.
"""

from __future__ import annotations

import contextlib
import sys

# How long a kernel may be silent before the run gives up on it. A cell itself has no limit (big corpora need
# hours): these only catch a kernel that has stopped answering, which would otherwise leave the run waiting forever.
HEARTBEAT_LIMIT = 60.0  # s without a heartbeat: the kernel process is stopped or frozen
REPLY_LIMIT = 60.0  # s after the kernel said it finished the cell (or never said it started it) without its reply


class KernelSilent(Exception):
    """A notebook's kernel stopped answering during a cell (``index``: the cell's position in the notebook)."""

    def __init__(self, index: int, source: str, reason: str):
        super().__init__(reason)
        self.index, self.source, self.reason = index, source, reason


def watched_client():
    """papermill's notebook client, watching each cell's kernel: its process, its heartbeat and its replies."""
    import asyncio
    from time import monotonic

    import zmq

    from jupyter_core.utils import ensure_async, run_sync
    from nbclient.exceptions import DeadKernelError
    from papermill.clientwrap import PapermillNotebookClient

    class WatchedClient(PapermillNotebookClient):
        def _get_timeout(self, cell):
            # outside a cell (the kernel_info request after the last one) a reply takes a moment, not a cell's time
            timeout = super()._get_timeout(cell)
            return timeout if cell is not None or timeout else REPLY_LIMIT

        async def _async_handle_timeout(self, timeout, cell=None):
            if cell is None:
                raise TimeoutError(f"its kernel did not answer within {timeout:.0f} s after the last cell")
            return await super()._async_handle_timeout(timeout, cell)

        async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
            self._cell = {"sent": monotonic(), "started": False, "idle": None, "silent": None}
            try:
                return await super().async_execute_cell(cell, cell_index, *args, **kwargs)
            except DeadKernelError:
                raise KernelSilent(cell_index, cell.source, self._cell.get("why") or "its kernel died") from None

        execute_cell = run_sync(async_execute_cell)  # papermill calls this one

        async def _async_cleanup_kernel(self):
            if self.km is not None and await ensure_async(self.km.is_alive()) and await _leave(self.km):
                if self.kc is not None:
                    self.kc.stop_channels()
                self.kc = self.km = None
                return
            await super()._async_cleanup_kernel()

        _cleanup_kernel = run_sync(_async_cleanup_kernel)  # papermill's setup_kernel calls this one

        def create_kernel_manager(self):
            # jupyter_client gives the kernel CurveZMQ keys of its own, so code and outputs are not sent in plain
            # text over local TCP (ipykernel warns about that once per notebook otherwise)
            km = super().create_kernel_manager()
            if zmq.has("curve"):
                km.transport_encryption = "auto"
            km.client_factory = ready_client(km.client_factory)
            return km

        def on_comm_open_jupyter_widget(self, msg):
            # nbclient stands in for a browser's Output widgets: it keeps their outputs and sends each change back
            # to the kernel on the shell socket while the cell still runs, the only message a run sends mid-cell.
            # The run that hung (issue 18) waited in the one cell that does this (notebook 10's explorer). Without
            # the stand-in, what a widget shows lands in the cell's outputs, where the HTML copy shows it.
            return None

        def process_message(self, msg, cell, cell_index):
            # only messages that answer the current cell's request come here
            self._cell["started"] = True
            if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                self._cell["idle"] = monotonic()
            return super().process_message(msg, cell, cell_index)

        async def _async_poll_kernel_alive(self):
            # nbclient's own check only asks whether the kernel's process exists: a frozen kernel, or one that lost
            # the reply and sits idle, would be waited for forever
            while True:
                await asyncio.sleep(1)
                why = await self._silence()
                if why:
                    self._cell["why"] = why
                    self.task_poll_for_reply.cancel()
                    return

        async def _silence(self) -> str | None:
            state, now = self._cell, monotonic()
            if not await ensure_async(self.km.is_alive()):
                return "its kernel died"
            if self.kc.hb_channel.is_beating():
                state["silent"] = None
            elif now - (state["silent"] or now) > HEARTBEAT_LIMIT:
                return f"its kernel stopped answering (no heartbeat for {HEARTBEAT_LIMIT:.0f} s)"
            else:
                state["silent"] = state["silent"] or now
            if state["idle"] is not None and now - state["idle"] > REPLY_LIMIT:
                return f"its kernel finished the cell but its reply did not come within {REPLY_LIMIT:.0f} s"
            # a kernel frozen before its "busy" left it has not started the cell either: the heartbeat rule names it
            if not state["started"] and state["silent"] is None and now - state["sent"] > REPLY_LIMIT:
                return f"its kernel did not start the cell within {REPLY_LIMIT:.0f} s"
            return None

    return WatchedClient


def ready_client(base):
    """``base`` (a jupyter_client kernel client class) whose ``wait_for_ready`` ends when jupyter_client's own
    handshake does: the kernel has answered ``kernel_info`` on the shell channel and spoken on IOPub. It then skips
    jupyter_client's last step, reading IOPub until it has been silent for 0.2 s: nbclient reads only the messages
    that answer its own requests, so the startup status messages left unread change nothing, and that wait cost
    every notebook of a run 0.2 s.

    >>> from jupyter_client.asynchronous import AsyncKernelClient
    >>> issubclass(ready_client(AsyncKernelClient), AsyncKernelClient)
    True
    """
    from queue import Empty
    from time import monotonic

    from jupyter_core.utils import ensure_async

    class ReadyClient(base):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    reply = await ensure_async(self.shell_channel.get_msg(timeout=1))
                except Empty:
                    reply = None
                if reply is not None and reply["msg_type"] == "kernel_info_reply":
                    try:  # a message on IOPub: its socket is connected too
                        await ensure_async(self.iopub_channel.get_msg(timeout=0.2))
                    except Empty:
                        pass
                    else:
                        self._handle_kernel_info_reply(reply)
                        return
                if not await ensure_async(self._async_is_alive()):
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    return ReadyClient


SAVE_EVERY = 5.0  # seconds between saves of a running notebook (papermill: twice a cell, 3 ms each)


def register_engine() -> str:
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines
    from papermill.log import logger

    class SparingManager(NotebookExecutionManager):
        """papermill's manager, writing the executed notebook at most every :data:`SAVE_EVERY` seconds while it
        runs, and always at its end (a failed run's too, through ``notebook_complete``)."""

        finished = False

        def save(self, **kwargs):
            if self.finished or (self.now() - self.last_save_time).total_seconds() >= SAVE_EVERY:
                super().save(**kwargs)

        def notebook_complete(self, **kwargs):
            self.finished = True
            super().notebook_complete(**kwargs)

    class WatchedEngine(NBClientEngine):
        """papermill's own engine with :func:`watched_client` as the notebook client."""

        @classmethod
        def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False,
                             autosave_cell_every=30, **kwargs):
            nb_man = SparingManager(nb, output_path=output_path, progress_bar=progress_bar, log_output=log_output,
                                    autosave_cell_every=autosave_cell_every)
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
            for unused in ("input_path", "timeout", "startup_timeout"):
                kwargs.pop(unused, None)
            return watched_client()(nb_man, timeout=execution_timeout, startup_timeout=start_timeout,
                                     kernel_name=kernel_name, log=logger, log_output=log_output,
                                     stdout_file=stdout_file, stderr_file=stderr_file, **kwargs).execute()

    papermill_engines.register("newskit", WatchedEngine)
    return "newskit"


_exiting: list | None = None  # kernel managers asked to exit, inside overlapped_exits(); None outside


@contextlib.contextmanager
def overlapped_exits():
    """Within this block a finished notebook's kernel is asked to exit and not waited for; at its end every such
    kernel has exited (or been terminated, after jupyter_client's ``shutdown_wait_time``).

    >>> with overlapped_exits():
    ...     pass  # run notebooks here (execute_notebook)
    """
    global _exiting
    outer, _exiting = _exiting, []
    try:
        yield
    finally:
        reap_kernels(keep=0)
        _exiting = outer


def reap_kernels(*, keep: int = 1) -> None:
    """Wait for the kernels asked to exit, all but the ``keep`` most recent ones (a kernel left a notebook ago has
    long exited: this only collects it). A kernel still running after the manager's ``shutdown_wait_time`` is
    terminated, then killed.

    >>> reap_kernels()  # outside overlapped_exits() there is nothing to wait for
    """
    from jupyter_core.utils import run_sync

    while _exiting is not None and len(_exiting) > keep:
        manager = _exiting.pop(0)
        try:
            run_sync(_finish_exit)(manager)
        except Exception as error:  # said, not raised: it would hide the error a failed run is ending with
            print(f"run: a finished notebook's kernel did not exit cleanly ({error.__class__.__name__}: {error})",
                  file=sys.stderr)


async def _finish_exit(manager) -> None:
    try:
        await manager.finish_shutdown()
    finally:
        await manager.cleanup_resources()


async def _leave(manager) -> bool:
    """Ask ``manager``'s kernel to exit without waiting for it, when inside :func:`overlapped_exits`; False
    outside (the caller then shuts the kernel down itself)."""
    if _exiting is None:
        return False
    # no interrupt first, as jupyter_client's own shutdown sends: the kernel is idle between notebooks, and a
    # SIGINT arriving outside a cell makes ipykernel log "KeyboardInterrupt caught in kernel"
    try:
        await manager.request_shutdown()
    except Exception:  # the request could not be sent: the caller's own shutdown decides
        return False
    _exiting.append(manager)
    return True
