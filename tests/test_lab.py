"""`make lab` serves JupyterLab on localhost with a token, and offers the newskit kernel."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from jupyter_client.kernelspec import KernelSpecManager

from helpers.runs.lab import lab_command
from needs import skip_or_fail

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_lab_serves_the_newskit_kernel_on_localhost_with_a_token():
    if "newskit" not in KernelSpecManager().find_kernel_specs():
        skip_or_fail("the newskit kernel is not registered (make setup registers it)")
    port, token = _free_port(), "newskit-test-token"
    server = subprocess.Popen(lab_command(port=port, token=token), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        specs = None
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{base}/api/kernelspecs?token={token}", timeout=2) as response:
                    specs = json.load(response)
                break
            except OSError:
                time.sleep(0.5)
        assert specs is not None, "JupyterLab did not answer within 60 s"
        assert "newskit" in specs["kernelspecs"]
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{base}/api/kernelspecs", timeout=2)
        assert refused.value.code == 403
        with urllib.request.urlopen(f"{base}/api/contents?token={token}", timeout=5) as response:
            names = {item["name"] for item in json.load(response)["content"]}
        assert "01-load-articles.ipynb" in names
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_notebook_opened_by_hand_runs_with_its_own_defaults(tmp_path, monkeypatch):
    """What a user gets in JupyterLab: no injected parameters, outputs under reports/interactive."""
    import nbclient
    import nbformat

    from helpers.runs.runner import _kernel_name, list_notebooks

    monkeypatch.setenv("NEWSKIT_REPORTS", str(tmp_path))
    notebook = list_notebooks(["01"])[0]
    nb = nbformat.read(notebook, as_version=4)
    nbclient.NotebookClient(nb, kernel_name=_kernel_name(), timeout=300,
                            resources={"metadata": {"path": str(notebook.parent)}}).execute()
    report = tmp_path / "interactive" / "tables" / "load-report.csv"
    assert report.exists() and "loaded" in report.read_text()
