"""Start JupyterLab on the notebooks with the newskit kernel, bound to localhost with a token."""

from __future__ import annotations

import os
import sys

from helpers.settings import NOTEBOOKS_DIR


def lab_command(*, port: int | None = None, token: str | None = None) -> list[str]:
    """The JupyterLab command ``make lab`` runs (root needs ``--allow-root``, as in containers and CI).

    >>> "--ip=127.0.0.1" in lab_command()
    True
    """
    command = [sys.executable, "-m", "jupyterlab", "--ip=127.0.0.1", "--ServerApp.open_browser=False",
               f"--ServerApp.root_dir={NOTEBOOKS_DIR}"]
    if port:
        command.append(f"--port={port}")
    if token:
        command.append(f"--IdentityProvider.token={token}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command
