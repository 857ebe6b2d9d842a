"""Fetch the sample corpora (``helpers.settings.SAMPLES``) into ``data/external/``, checksum verified, without ever
failing a run offline: a sample that cannot be fetched costs one line and the run goes on without it.

Where from: each sample's commit-pinned public URL; ``NEWSKIT_SAMPLES_MIRROR`` (a folder or ``file://`` URL holding
the files under their own names) points every sample at a local copy; ``NEWSKIT_SAMPLE_URL`` still points the
Wikinews sample alone at one file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from helpers.settings import SAMPLES, WIKINEWS, Sample, sample_path, sample_url


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_sample(url: str | None = None, dest: Path | None = None, *, sample: Sample = WIKINEWS,
                 timeout: float = 20.0) -> Path | None:
    """Fetch ``sample`` (default: Wikinews) from ``url`` (default: :func:`helpers.settings.sample_url`; ``file://``
    works) to ``dest`` (default: ``data/external/<file name>``) and return its path, or ``None`` with one clear line.

    An existing file with the right checksum is kept; a wrong checksum is never installed.

    >>> fetch_sample("file:///nonexistent/wikinews.csv", Path(tempfile.mkdtemp()) / "s.csv") is None
    sample-data: could not fetch file:///nonexistent/wikinews.csv (...); going on without wikinews_2019.csv.
    True
    """
    url = url or sample_url(sample)
    dest = Path(dest) if dest is not None else sample_path(sample)
    if dest.exists() and _sha256(dest) == sample.sha256:
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=".sample-", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as response:
            for block in iter(lambda: response.read(1 << 20), b""):
                out.write(block)
        actual = _sha256(tmp)
        if actual != sample.sha256:
            print(f"sample-data: {url} has sha256 {actual}, expected {sample.sha256}; not using it, "
                  f"going on without {sample.file_name}.")
            return None
        os.replace(tmp, dest)
        return dest
    except (OSError, urllib.error.URLError, ValueError) as error:
        reason = getattr(error, "reason", None) or getattr(error, "strerror", None) or error.__class__.__name__
        print(f"sample-data: could not fetch {url} ({reason}); going on without {sample.file_name}.")
        return None
    finally:
        tmp.unlink(missing_ok=True)


def fetch_samples(*, url: str | None = None, folder: Path | None = None, timeout: float = 20.0) -> list[Path]:
    """Fetch every sample of ``helpers.settings.SAMPLES`` that is missing or damaged into ``folder`` (default:
    ``data/external/``); return the paths now present.

    ``url`` overrides the Wikinews sample's location (the command line's ``--url``). Each sample not fetched
    prints one line; nothing raises. From a mirror holding no Wikinews file and a damaged congress file:

    >>> from unittest import mock
    >>> from helpers.settings import CONGRESS
    >>> mirror, folder = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
    >>> (mirror / CONGRESS.file_name).write_bytes(b"not the sample") and None
    >>> with mock.patch.dict(os.environ, {"NEWSKIT_SAMPLES_MIRROR": str(mirror), "NEWSKIT_SAMPLE_URL": ""}):
    ...     fetch_samples(folder=folder)
    sample-data: could not fetch file://.../wikinews_2019.csv (...); going on without wikinews_2019.csv.
    sample-data: file://.../congress_press_2024-11.jsonl has sha256 ..., expected 6e9ec453...; not using it,
    going on without congress_press_2024-11.jsonl.
    []
    """
    fetched = []
    for sample in SAMPLES:
        dest = None if folder is None else Path(folder) / sample.file_name
        path = fetch_sample(url if sample == WIKINEWS else None, dest, sample=sample, timeout=timeout)
        if path is not None:
            fetched.append(path)
    return fetched


def main(url: str | None = None) -> int:
    """``make sample-data``: fetch every sample, print one line for each one present; always 0 (offline is fine)."""
    for path in fetch_samples(url=url):
        print(f"sample-data: {path}")
    return 0
