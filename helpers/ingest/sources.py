"""What the user pointed at, expanded into inputs: files, folders (recursively), globs and zip archives.

Zip members are read in memory and never extracted, so a member named ``../../etc/passwd`` or ``/etc/passwd``
can write nothing anywhere; such members are still reported as skipped, since no article archive needs them.
"""

from __future__ import annotations

import glob
import gzip
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from .common import LoadError

MAX_ZIP_DEPTH = 2


@dataclass
class Input:
    """One file or archive member to read. ``problem`` is ``(status, reason)`` when it must not be read."""

    name: str
    collection: str
    path: Path | None = None
    data: bytes | None = None
    problem: tuple[str, str] | None = None

    @property
    def suffix(self) -> str:
        name = self.name.lower().split("!")[-1]
        if name.endswith(".gz"):
            name = name[:-3]
        return PurePosixPath(name).suffix

    @property
    def gzipped(self) -> bool:
        return self.name.lower().endswith(".gz")


def collection_name(source) -> str:
    """The name of a top-level input: a folder's or file's name without suffix (``articles``, ``wikinews_2019``).

    >>> collection_name("data/articles/"), collection_name("data/external/wikinews_2019.csv")
    ('articles', 'wikinews_2019')
    >>> collection_name("pages/**/*.html"), collection_name("feeds.zip")
    ('pages', 'feeds')
    """
    text = str(source)
    literal = re.split(r"[*?\[]", text)[0]
    if literal != text and not literal.endswith("/"):
        literal = literal.rpartition("/")[0]
    path = Path(literal.rstrip("/") or ".")
    name = path.resolve().name if path.name in ("", ".", "..") else path.name
    name = name.removesuffix(".gz")
    return Path(name).stem or "articles"


def unsafe_member(name: str) -> bool:
    """True for archive member names that would escape an extraction folder (absolute, drive, ``..``).

    >>> unsafe_member("../evil.txt"), unsafe_member("/etc/passwd"), unsafe_member("C:\\\\x.txt"), unsafe_member("a/b.txt")
    (True, True, True, False)
    """
    posix, windows = PurePosixPath(name.replace("\\", "/")), PureWindowsPath(name)
    return posix.is_absolute() or bool(windows.drive) or name.startswith(("/", "\\")) or ".." in posix.parts


def read_limited(handle, limit: int, what: str) -> bytes:
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise LoadError(f"{what} is larger than the {limit / 1e6:.0f} MB limit (max_file_size); "
                        "split it or raise the limit", "skipped")
    return data


def input_bytes(item: Input, *, max_file_size: int) -> bytes:
    """The (decompressed) bytes of an input, refusing anything over ``max_file_size`` before reading it whole."""
    if item.data is not None:
        data = item.data
    else:
        size = item.path.stat().st_size
        if size > max_file_size:
            raise LoadError(f"file is {size / 1e6:.1f} MB, over the {max_file_size / 1e6:.0f} MB limit "
                            "(max_file_size); split it or raise the limit", "skipped")
        data = item.path.read_bytes()
    if item.gzipped:
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
                data = read_limited(handle, max_file_size, "decompressed file")
        except (OSError, EOFError) as error:
            raise LoadError(f"not a valid gzip file: {error}")
    return data


def _zip_members(data_or_path, name: str, collection: str, max_file_size: int, depth: int = 1) -> list[Input]:
    try:
        archive = zipfile.ZipFile(data_or_path)
    except (zipfile.BadZipFile, OSError) as error:
        return [Input(name, collection, problem=("error", f"not a valid zip archive: {error}"))]
    items = []
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            member = f"{name}!{info.filename}"
            if info.is_dir():
                continue
            if unsafe_member(info.filename):
                items.append(Input(member, collection, problem=(
                    "skipped", "unsafe path in the archive (absolute or with '..'); never extracted or read")))
            elif PurePosixPath(info.filename).name.startswith(".") or info.filename.startswith("__MACOSX/"):
                items.append(Input(member, collection, problem=("skipped", "hidden or system file in the archive")))
            elif info.flag_bits & 0x1:
                items.append(Input(member, collection, problem=("error", "encrypted archive member")))
            elif info.file_size > max_file_size:
                items.append(Input(member, collection, problem=(
                    "skipped", f"member is {info.file_size / 1e6:.1f} MB, over the {max_file_size / 1e6:.0f} MB "
                               "limit (max_file_size)")))
            else:
                try:
                    with archive.open(info) as handle:
                        data = read_limited(handle, max_file_size, "archive member")
                except LoadError as error:
                    items.append(Input(member, collection, problem=(error.status, error.reason)))
                    continue
                except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
                    items.append(Input(member, collection, problem=("error", f"archive member unreadable: {error}")))
                    continue
                if info.filename.lower().endswith(".zip"):
                    if depth >= MAX_ZIP_DEPTH:
                        items.append(Input(member, collection, problem=("skipped", "zip nested too deeply")))
                    else:
                        items.extend(_zip_members(io.BytesIO(data), member, collection, max_file_size, depth + 1))
                else:
                    items.append(Input(member, collection, data=data))
    if not items:
        items.append(Input(name, collection, problem=("empty", "zip archive with no files")))
    return items


def _file_inputs(path: Path, collection: str, max_file_size: int, hidden_ok: bool = False) -> list[Input]:
    if not hidden_ok and path.name.startswith("."):
        return [Input(str(path), collection, problem=("skipped", "hidden file"))]
    if path.suffix.lower() == ".zip":
        if path.stat().st_size > max_file_size:
            return [Input(str(path), collection, problem=(
                "skipped", f"archive is over the {max_file_size / 1e6:.0f} MB limit (max_file_size)"))]
        return _zip_members(path, str(path), collection, max_file_size)
    return [Input(str(path), collection, path=path)]


def expand(source, *, max_file_size: int) -> list[Input]:
    """Inputs for one source: a file, a folder (recursively, sorted), a glob or a zip archive.

    A source that matches nothing is one input with an error, so it shows in the load report.
    """
    path = Path(source)
    collection = collection_name(source)
    if path.is_dir():
        items = []
        for found in sorted(p for p in path.rglob("*") if p.is_file()):
            relative = found.relative_to(path)
            if any(part.startswith(".") for part in relative.parts):
                items.append(Input(str(found), collection, problem=("skipped", "hidden file or folder")))
            else:
                items.extend(_file_inputs(found, collection, max_file_size, hidden_ok=True))
        return items or [Input(str(path), collection, problem=("empty", "folder with no files"))]
    if path.is_file():
        return _file_inputs(path, collection, max_file_size, hidden_ok=True)
    matches = sorted(Path(p) for p in glob.glob(str(source), recursive=True) if Path(p).is_file())
    if not matches:
        return [Input(str(source), collection, problem=("error", "no such file or folder, and no glob match"))]
    return [item for match in matches for item in _file_inputs(match, collection, max_file_size)]
