"""A path a document names to its bytes: inside its folder, a regular file, read up to a limit.

Every file facsimile reads on a user's behalf (manifest, parts, corrections, words, notes,
scans, fonts, the PDF given to unpack, the files given to proof) comes through here, so
that a crafted folder cannot make a build read outside itself (a symlink to /etc/passwd),
hang on a FIFO, read a device without end (/dev/zero) or exhaust memory. The limits are
generous for real pamphlets: Document 4 is 30 kB of text, and a 2,000-page document 5 MB.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from .errors import SourceError, SourcePos, display

MiB = 1024 * 1024
TOML_LIMIT = 4 * MiB  # document.toml, corrections.toml, notes.toml, fonts.toml: 10,000 parts is 1 MB
TEXT_LIMIT = 16 * MiB  # a part, words.txt: about 6,000 typed pages
PROOF_LIMIT = 4 * MiB  # a text proofed (a file given to proof, a part): 14 to 21 s on 2 shared cores
SCAN_LIMIT = 256 * MiB  # a scan of the original (PDF or image), checked again in its child
FONT_LIMIT = 32 * MiB  # a TrueType face
PDF_LIMIT = 512 * MiB  # a PDF given to unpack
CACHE_LIMIT = 512 * MiB  # an entry in the cache folder


def _size(n: int) -> str:
    return f"{n // MiB} MiB" if n >= MiB else f"{n:,} bytes"


def what_it_is(mode: int) -> str:
    """A file type as a user would name it: 'a FIFO (named pipe)', 'a directory', ..."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISREG(mode):
        return "a regular file"
    return "not a regular file"


def on_disk(name: str) -> str:
    """A file name from a UTF-8 source as the file system stores it: under a locale whose
    encoding cannot spell it (LANG=C), the name's UTF-8 bytes, as Python names such files."""
    import sys

    if sys.getfilesystemencoding().lower().replace("-", "") in ("utf8",):
        return name
    try:
        os.fsencode(name)
        return name
    except UnicodeEncodeError:
        return os.fsdecode(name.encode("utf-8", "surrogateescape"))


def inside(folder: Path, name: str | Path) -> Path | None:
    """folder/name resolved (symlinks followed) if it stays inside the folder, else None."""
    name = on_disk(str(name))
    if Path(name).is_absolute():
        return None
    root = Path(folder).resolve()
    try:
        path = (root / name).resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL in the name
        return None
    return path if path.is_relative_to(root) else None


def present(path: Path) -> bool:
    """Whether anything stands at path (a dangling symlink, a FIFO or a directory count)."""
    try:
        os.lstat(path)
        return True
    except (OSError, ValueError):
        return False


def _at(path: Path, shown: str | None) -> SourcePos:
    """Where an error about path points: as the caller names it, else as display() shows it
    (worked out only when there is an error: a build reads dozens of files)."""
    return SourcePos(shown or display(path))


def open_checked(path: Path, limit: int, shown: str | None = None, what: str = "file") -> tuple[int, int]:
    """Open path for reading without blocking; return (fd, size). SourceError when it is
    missing, not a regular file, or larger than limit."""
    try:
        before = os.stat(path)
    except FileNotFoundError:
        raise SourceError.at(_at(path, shown), f"this {what} does not exist: create it, or "
                             "correct the name that points to it") from None
    except (OSError, ValueError) as exc:
        raise SourceError.at(_at(path, shown), f"cannot read this {what} "
                             f"({getattr(exc, 'strerror', None) or exc}): check that you may read it") from None
    if not stat.S_ISREG(before.st_mode):
        raise SourceError.at(_at(path, shown), f"this {what} is {what_it_is(before.st_mode)}, not a "
                             "regular file: only regular files are read")
    if before.st_size > limit:
        raise SourceError.at(_at(path, shown), f"this {what} is {_size(before.st_size)}, over the "
                             f"limit of {_size(limit)} for it: split it, or check that it is the "
                             "right file")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise SourceError.at(_at(path, shown), f"cannot read this {what} ({exc.strerror}): check "
                             "that you may read it") from None
    after = os.fstat(fd)  # the file opened is the one checked (not swapped for a FIFO since)
    if not stat.S_ISREG(after.st_mode):
        os.close(fd)
        raise SourceError.at(_at(path, shown), f"this {what} is {what_it_is(after.st_mode)}, not a "
                             "regular file: only regular files are read")
    return fd, after.st_size


def read_bounded(path: Path, limit: int, shown: str | None = None, what: str = "file") -> bytes:
    """The bytes of a regular file of at most limit bytes (it may not grow past it while read)."""
    fd, _ = open_checked(path, limit, shown, what)
    chunks: list[bytes] = []
    total = 0
    try:
        while True:
            chunk = os.read(fd, min(MiB, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise SourceError.at(_at(path, shown), f"this {what} grew over the limit of "
                                     f"{_size(limit)} while it was read: check that it is the right file")
    except OSError as exc:
        raise SourceError.at(_at(path, shown), f"cannot read this {what} ({exc.strerror}): check "
                             "that you may read it") from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_inside(folder: Path, name: str, limit: int, pos: SourcePos | None = None,
                what: str = "file") -> bytes:
    """The bytes of folder/name, which must stay inside the folder (after symlinks) and be a
    regular file of at most limit bytes; errors point at pos (where the name was given)."""
    path = inside(folder, name)
    shown = display(Path(folder) / name)
    if path is None:
        raise SourceError.at(pos or SourcePos(shown), f"{what} '{name}' is outside the document "
                             "folder (or a link that leads out of it): keep every file inside the folder")
    return read_bounded(path, limit, shown, what)


def digest_bounded(path: Path, limit: int, shown: str | None = None, what: str = "file") -> str:
    """The SHA-256 of a regular file of at most limit bytes, read a block at a time."""
    fd, _ = open_checked(path, limit, shown, what)
    h = hashlib.sha256()
    total = 0
    try:
        while chunk := os.read(fd, MiB):
            total += len(chunk)
            if total > limit:
                raise SourceError.at(_at(path, shown), f"this {what} grew over the limit of "
                                     f"{_size(limit)} while it was read")
            h.update(chunk)
    except OSError as exc:
        raise SourceError.at(_at(path, shown), f"cannot read this {what} ({exc.strerror})") from None
    finally:
        os.close(fd)
    return h.hexdigest()
