"""What the user pointed at, expanded into inputs: files, folders (recursively), globs and zip archives.

Every path found has an input, so every one gets a row in the load report: files to read, and hidden files,
symbolic links that are dangling or lead to folders, special files (pipes, devices) and unreadable folders, each
with the reason it is not read.

Zip members are read in memory, one at a time when their turn comes, and never extracted, so a member named
``../../etc/passwd`` can write nothing anywhere. What one archive may unpack is limited (see ``helpers.config``):
each member's size, all members' total, and the ratio of unpacked to packed size above which a member is a bomb.
Members with the same bytes (CRC-32 and size) as an earlier member are reported as duplicates without being read.
"""

from __future__ import annotations

import glob
import gzip
import io
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath

from helpers import settings as config
from helpers.load.common import LoadError

SPECIAL_FILES = [(stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                 (stat.S_ISBLK, "a block device")]


@dataclass
class Input:
    """One file or archive member to read. ``problem`` is ``(status, reason)`` when it must not be read.

    An archive member names its ``archive`` (the zip's path, or its bytes for a zip inside a zip) and ``member``;
    its bytes are read from the archive when asked for (:attr:`data`), so a large archive is never held whole.
    ``note`` is added to the input's reason in the load report (a file name that is not UTF-8, say).
    """

    name: str
    collection: str
    path: Path | None = None
    raw: bytes | None = None
    problem: tuple[str, str] | None = None
    archive: Path | bytes | None = None
    member: str | None = None
    note: str = ""

    @property
    def data(self) -> bytes | None:
        """The bytes held or the archive member's bytes (read now, not kept); ``None`` for a file on disk."""
        if self.raw is not None:
            return self.raw
        if self.member is None:
            return None
        if isinstance(self.archive, (str, os.PathLike)):
            stamp = os.stat(self.archive)
            archive = _open_archive(os.getpid(), str(self.archive), stamp.st_mtime_ns, stamp.st_size)
        else:
            archive = _open_archive(os.getpid(), self.archive)
        with archive.open(self.member) as handle:
            return handle.read()

    @property
    def suffix(self) -> str:
        name = self.name.lower().split("!")[-1]
        if name.endswith(".gz"):
            name = name[:-3]
        return PurePosixPath(name).suffix

    @property
    def gzipped(self) -> bool:
        return self.name.lower().endswith(".gz")


@lru_cache(maxsize=2)
def _open_archive(pid: int, source: str | bytes, *stamp) -> zipfile.ZipFile:
    """The archive open for reading its members one after another: opening it again for each member would read its
    whole directory each time (quadratic in members). Keyed by process, since a forked worker must not share the
    parent's file position, and by modification time and size, so a changed archive is opened afresh."""
    return zipfile.ZipFile(source if isinstance(source, str) else io.BytesIO(source))


def display_name(path) -> str:
    """A path as text that every writer accepts: bytes that are not UTF-8 (kept by Python as lone surrogates) are
    shown as ``\\xNN`` escapes.

    >>> display_name(os.fsdecode(b"caf\\xe9.txt"))
    'caf\\\\xe9.txt'
    """
    text = str(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _named(where, collection: str, **fields) -> Input:
    """An input for the path ``where``, its name escaped and noted when the file name is not UTF-8."""
    name = display_name(where)
    if name != str(where) and fields.get("problem") is None:
        fields["note"] = "file name is not valid UTF-8 (shown with \\x escapes)"
    return Input(name, collection, **fields)


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
    return display_name(Path(name).stem or "articles")


def unsafe_member(name: str) -> bool:
    """True for archive member names that would escape an extraction folder (absolute, drive, ``..``).

    >>> unsafe_member("../evil.txt"), unsafe_member("/etc/passwd"), unsafe_member("C:\\\\x.txt"), unsafe_member("a/b.txt")
    (True, True, True, False)
    """
    posix, windows = PurePosixPath(name.replace("\\", "/")), PureWindowsPath(name)
    return posix.is_absolute() or bool(windows.drive) or name.startswith(("/", "\\")) or ".." in posix.parts


def _mb(size: float) -> str:
    """A size for a person: ``1.5 MB``, ``20 MB``; under 0.1 MB in kB."""
    if size < 100_000:
        return f"{size / 1e3:,.1f}".removesuffix(".0") + " kB"
    return f"{size / 1e6:,.1f}".removesuffix(".0") + " MB"


def read_limited(handle, limit: int, what: str) -> bytes:
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise LoadError(f"{what} is larger than the {_mb(limit)} limit (max_file_size, NEWSKIT_MAX_FILE_SIZE_MB); "
                        "split it or raise the limit", "skipped")
    return data


def bomb_reason(unpacked: int, packed: int, what: str) -> str | None:
    """Why ``unpacked`` bytes from ``packed`` compressed ones count as a decompression bomb, or ``None``.

    >>> bomb_reason(200_000_000, 200_000, "member") is not None, bomb_reason(5_000, 10, "member")
    (True, None)
    """
    ratio = unpacked / max(packed, 1)
    if unpacked < config.COMPRESSION_RATIO_FLOOR_MB * 1e6 or ratio <= config.MAX_COMPRESSION_RATIO:
        return None
    return (f"{what} unpacks {_mb(packed)} to {_mb(unpacked)}, a ratio of {ratio:,.0f} above the limit of "
            f"{config.MAX_COMPRESSION_RATIO:,.0f} (NEWSKIT_MAX_COMPRESSION_RATIO): a decompression bomb, not read")


def input_bytes(item: Input, *, max_file_size: int) -> bytes:
    """The (decompressed) bytes of an input, refusing anything over ``max_file_size`` before reading it whole."""
    if item.path is not None:
        size = item.path.stat().st_size
        if size > max_file_size:
            raise LoadError(f"file is {_mb(size)}, over the {_mb(max_file_size)} limit (max_file_size, "
                            "NEWSKIT_MAX_FILE_SIZE_MB); split it or raise the limit", "skipped")
        data = item.path.read_bytes()
    else:
        try:
            data = item.data
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, zlib.error) as error:
            raise LoadError(f"archive member unreadable: {error}")
    if item.gzipped:
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
                unpacked = read_limited(handle, max_file_size, "decompressed file")
        except (OSError, EOFError) as error:
            raise LoadError(f"not a valid gzip file: {error}")
        reason = bomb_reason(len(unpacked), len(data), "gzip file")
        if reason:
            raise LoadError(reason, "skipped")
        data = unpacked
    return data


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


class _ArchiveBudget:
    """What one archive (its nested zips included) has unpacked so far, against MAX_ARCHIVE_UNPACKED_MB."""

    def __init__(self):
        self.used = 0
        self.limit = int(config.MAX_ARCHIVE_UNPACKED_MB * 1e6)

    def refuse(self, size: int) -> str | None:
        if self.used + size > self.limit:
            return (f"the archive's members would unpack to {_mb(self.used + size)} with this one, over the "
                    f"{_mb(self.limit)} limit for one archive (NEWSKIT_MAX_ARCHIVE_UNPACKED_MB); not read")
        self.used += size
        return None


def _zip_members(source, name: str, collection: str, max_file_size: int, depth: int = 1,
                 budget: _ArchiveBudget | None = None) -> list[Input]:
    budget = budget or _ArchiveBudget()
    try:
        archive = zipfile.ZipFile(source if isinstance(source, (str, os.PathLike)) else io.BytesIO(source))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        return [Input(name, collection, problem=("error", f"not a valid zip archive: {error}"))]
    items = []
    seen: dict[tuple[int, int], str] = {}
    with archive:
        infos = sorted(archive.infolist(), key=lambda i: i.filename)
        for info in infos:
            member = display_name(f"{name}!{info.filename}")
            if info.is_dir():
                continue

            def skip(status: str, reason: str):
                items.append(Input(member, collection, problem=(status, reason)))

            if unsafe_member(info.filename):
                skip("skipped", "unsafe path in the archive (absolute or with '..'); never extracted or read")
            elif PurePosixPath(info.filename).name.startswith(".") or info.filename.startswith("__MACOSX/"):
                skip("skipped", "hidden or system file in the archive")
            elif _is_symlink(info):
                skip("skipped", "symbolic link in the archive; links are not followed, so nothing outside it is read")
            elif info.flag_bits & 0x1:
                skip("error", "encrypted archive member")
            elif info.file_size > max_file_size:
                skip("skipped", f"member is {_mb(info.file_size)}, over the {_mb(max_file_size)} limit "
                                "(max_file_size, NEWSKIT_MAX_FILE_SIZE_MB)")
            elif (key := (info.CRC, info.file_size)) in seen and info.file_size:
                skip("duplicate", f"same bytes (CRC-32 and size) as {seen[key]}; not read again")
            elif reason := bomb_reason(info.file_size, info.compress_size, "member"):
                skip("skipped", reason)
            elif reason := budget.refuse(info.file_size):
                skip("skipped", reason)
            elif info.filename.lower().endswith(".zip"):
                seen[key] = member
                if depth >= config.MAX_ZIP_DEPTH:
                    skip("skipped", f"zip nested more than {config.MAX_ZIP_DEPTH} deep (NEWSKIT_MAX_ZIP_DEPTH)")
                    continue
                try:
                    with archive.open(info) as handle:
                        inner = read_limited(handle, max_file_size, "archive member")
                except LoadError as error:
                    skip(error.status, error.reason)
                    continue
                except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
                    skip("error", f"archive member unreadable: {error}")
                    continue
                items.extend(_zip_members(inner, member, collection, max_file_size, depth + 1, budget))
            else:
                seen[key] = member
                items.append(Input(member, collection, archive=source, member=info.filename))
    if not items:
        items.append(Input(name, collection, problem=("empty", "zip archive with no files")))
    return items


def _file_inputs(path: Path, collection: str, max_file_size: int, hidden_ok: bool = False) -> list[Input]:
    """Inputs for one path found on disk: the file, the members of a zip, or the reason it is not read."""
    try:
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            target = display_name(os.readlink(path))
            if not path.exists():
                return [_named(path, collection, problem=("skipped", f"dangling symbolic link (to {target})"))]
            if path.is_dir():
                return [_named(path, collection, problem=(
                    "skipped", f"symbolic link to a folder ({target}), not followed: links can loop or lead out of "
                               "the folder; give that folder as a source to read it"))]
            mode = path.stat().st_mode
        kind = next((what for test, what in SPECIAL_FILES if test(mode)), None)
        if kind:
            return [_named(path, collection, problem=("skipped", f"not a regular file but {kind}"))]
        if not hidden_ok and path.name.startswith("."):
            return [_named(path, collection, problem=("skipped", "hidden file"))]
        if path.suffix.lower() == ".zip":
            size = path.stat().st_size
            if size > max_file_size:
                return [_named(path, collection, problem=(
                    "skipped", f"archive is {_mb(size)}, over the {_mb(max_file_size)} limit (max_file_size, "
                               "NEWSKIT_MAX_FILE_SIZE_MB)"))]
            return _zip_members(path, display_name(path), collection, max_file_size)
    except OSError as error:
        return [_named(path, collection, problem=("error", f"cannot be read: {error.strerror or error}"))]
    return [_named(path, collection, path=path)]


def _folder_inputs(folder: Path, collection: str, max_file_size: int) -> list[Input]:
    """Every entry under ``folder`` in path order, links to folders not followed; empty and unreadable folders too."""
    found: list[tuple[Path, tuple[str, str] | None]] = []
    unreadable: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=unreadable.append):
        root_path = Path(root)
        linked = [d for d in dirs if (root_path / d).is_symlink()]
        dirs[:] = [d for d in dirs if d not in linked]
        if not files and not dirs and not linked and root_path != folder:
            found.append((root_path, ("empty", "folder with no files")))
        found.extend((root_path / entry, None) for entry in files + linked)
    found.extend((Path(error.filename), ("error", f"folder cannot be read: {error.strerror or error}"))
                 for error in unreadable if error.filename and Path(error.filename) != folder)
    items: list[Input] = []
    for path, problem in sorted(found, key=lambda pair: pair[0]):
        if problem is None and any(part.startswith(".") for part in path.relative_to(folder).parts):
            problem = ("skipped", "hidden file or folder")
        if problem:
            items.append(_named(path, collection, problem=problem))
        else:
            items.extend(_file_inputs(path, collection, max_file_size, hidden_ok=True))
    return items


def expand(source, *, max_file_size: int) -> list[Input]:
    """Inputs for one source: a file, a folder (recursively, sorted), a glob or a zip archive.

    A source that matches nothing is one input with an error, so it shows in the load report.
    """
    path = Path(source)
    collection = collection_name(source)
    if path.is_dir():
        if not os.access(path, os.R_OK | os.X_OK):
            return [_named(path, collection, problem=("error", "folder cannot be read: permission denied"))]
        items = _folder_inputs(path, collection, max_file_size)
        return items or [_named(path, collection, problem=("empty", "folder with no files"))]
    if path.exists() or path.is_symlink():
        return _file_inputs(path, collection, max_file_size, hidden_ok=True)
    matches = sorted(Path(p) for p in glob.glob(str(source), recursive=True) if not Path(p).is_dir())
    if not matches:
        return [_named(source, collection, problem=("error", "no such file or folder, and no glob match"))]
    return [item for match in matches for item in _file_inputs(match, collection, max_file_size)]
