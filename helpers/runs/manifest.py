"""The run manifest, ``reports/<run>/manifest.json``: what went in, with what settings and software, and what came out.

Keys: ``run`` (folder name), ``status`` (``running``, ``complete``, ``failed``), ``pid``, ``host``, ``started``,
``finished`` (UTC, ISO 8601), ``inputs`` (one record per input file: ``source``, ``file``, ``sha256``, ``bytes``),
``n_articles``, ``parameters``, ``notebooks``, ``versions`` (kit, Python, key libraries), ``nltk_resources``
(found, with location, and the fallbacks in effect), ``sentence_model`` (kind and parameter hash), ``cache``
(folder and what was reused), ``outputs`` (every file written under the run folder: ``file``, ``bytes``,
``sha256``) and, for a failed run, ``error``. Two runs whose ``inputs``, ``parameters``, ``versions``,
``nltk_resources`` and ``sentence_model`` agree give the same tables.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import socket
import tempfile  # noqa: F401  (used by the doctests)
from importlib import metadata
from pathlib import Path

from helpers.store.files import file_sha256, write_json

MANIFEST_NAME = "manifest.json"
KEY_PACKAGES = ["pandas", "numpy", "scipy", "nltk", "matplotlib", "scikit-learn", "pyarrow", "papermill",
                "nbclient", "ipykernel", "trafilatura", "feedparser", "networkx", "wordcloud", "dask"]
REPRODUCIBILITY_KEYS = ["inputs", "parameters", "notebooks", "versions", "nltk_resources", "sentence_model"]


def now_utc() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def versions() -> dict[str, str]:
    """The kit's, Python's and the key libraries' versions (``"not installed"`` for an absent one).

    >>> sorted(versions())[:3]
    ['dask', 'feedparser', 'ipykernel']
    """
    from helpers import __version__

    found = {"newskit": __version__, "python": platform.python_version()}
    for package in KEY_PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return dict(sorted(found.items()))


def nltk_resources() -> dict[str, dict]:
    """Each NLTK resource the kit knows: whether it was found, where, and the fallback in effect when not."""
    from helpers.resources import resource_status

    return {row.resource: {"found": bool(row.found), "location": row.location,
                           "fallback_in_effect": row.fallback_in_effect}
            for row in resource_status().itertuples()}


def outputs_written(run_dir: str | os.PathLike) -> list[dict]:
    """Every file under ``run_dir`` except the manifest, with its size and SHA-256, sorted by path.

    >>> folder = Path(tempfile.mkdtemp()); _ = (folder / "t.csv").write_text("a\\n1\\n")
    >>> [(o["file"], o["bytes"]) for o in outputs_written(folder)]
    [('t.csv', 4)]
    """
    run_dir = Path(run_dir)
    return [{"file": str(p.relative_to(run_dir)), "bytes": p.stat().st_size, "sha256": file_sha256(p)}
            for p in sorted(run_dir.rglob("*")) if p.is_file() and p.name != MANIFEST_NAME
            and not p.name.startswith(".")]


def write_manifest(run_dir: str | os.PathLike, manifest: dict) -> Path:
    """Write ``manifest`` to ``run_dir/manifest.json`` atomically and return the path."""
    return write_json(Path(run_dir) / MANIFEST_NAME, manifest)


def read_manifest(run_dir: str | os.PathLike) -> dict | None:
    """The manifest of a run folder, or ``None`` when there is none (or it cannot be read).

    >>> read_manifest(tempfile.mkdtemp()) is None
    True
    """
    path = Path(run_dir) / MANIFEST_NAME
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def start_manifest(run_dir: str | os.PathLike, *, inputs: list[dict] | None, parameters: dict,
                   notebooks: list[str]) -> dict:
    """Begin a run's manifest (``status: running``) and write it; :func:`finish_manifest` completes it.

    >>> m = start_manifest(tempfile.mkdtemp(), inputs=[], parameters={"TOP_N": 5}, notebooks=["01-x.ipynb"])
    >>> m["status"], m["parameters"]
    ('running', {'TOP_N': 5})
    """
    run_dir = Path(run_dir)
    manifest = {
        "run": run_dir.name, "status": "running", "pid": os.getpid(), "host": socket.gethostname(),
        "started": now_utc(), "finished": None, "inputs": inputs, "n_articles": None, "parameters": parameters,
        "notebooks": notebooks, "versions": versions(), "nltk_resources": nltk_resources(),
        "sentence_model": None, "cache": None, "outputs": [],
    }
    write_manifest(run_dir, manifest)
    return manifest


def finish_manifest(run_dir: str | os.PathLike, manifest: dict, *, status: str = "complete",
                    error: str | None = None) -> dict:
    """Record the end time, the status and every output written, and write the manifest."""
    manifest = {**manifest, "status": status, "finished": now_utc(), "outputs": outputs_written(run_dir)}
    if error:
        manifest["error"] = error
    write_manifest(run_dir, manifest)
    return manifest


def same_inputs(a: dict, b: dict) -> bool:
    """True when two manifests agree on everything that decides a run's tables (:data:`REPRODUCIBILITY_KEYS`).

    >>> same_inputs({"inputs": [1], "parameters": {}}, {"inputs": [1], "parameters": {}, "started": "x"})
    True
    """
    def comparable(m: dict) -> dict:
        picked = {k: m.get(k) for k in REPRODUCIBILITY_KEYS}
        model = picked.get("sentence_model") or {}
        picked["sentence_model"] = model.get("fingerprint")
        picked["parameters"] = {k: v for k, v in (picked.get("parameters") or {}).items() if k != "OUTPUT_DIR"}
        return picked

    return comparable(a) == comparable(b)


def is_unfinished(run_dir: str | os.PathLike) -> bool:
    """True when ``run_dir`` holds a run that stopped before finishing (killed: ``running`` with no live process).

    >>> folder = tempfile.mkdtemp()
    >>> write_manifest(folder, {"status": "running", "pid": 2**22 + 7, "host": socket.gethostname()}).name
    'manifest.json'
    >>> is_unfinished(folder)
    True
    """
    manifest = read_manifest(run_dir)
    if not manifest or manifest.get("status") != "running":
        return False
    if manifest.get("host") != socket.gethostname():
        return False
    try:
        os.kill(int(manifest.get("pid")), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, TypeError, ValueError):
        return False
    return False
