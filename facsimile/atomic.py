"""Bytes to a file that appears whole or not at all: temporary file, flush, rename."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from .errors import OutputError, SourcePos, display

# .<name>.<pid>.<random>.tmp: the writer's process id tells a later run whether it is still alive
_TEMPORARY = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")
_CLEANED: set[Path] = set()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except (OverflowError, ValueError):  # no such process id can exist
        return False
    return True


def clean_stale(folder: Path) -> None:
    """Remove temporary files that a writer killed before its rename left in folder (their
    process is gone); the folder is listed once a process."""
    try:
        key = folder.resolve()
    except OSError:
        return
    if key in _CLEANED:
        return
    _CLEANED.add(key)
    try:
        with os.scandir(folder) as entries:
            stale = [entry.name for entry in entries
                     if (match := _TEMPORARY.match(entry.name)) and not _alive(int(match.group(1)))
                     and entry.is_file(follow_symlinks=False)]
    except OSError:
        return
    for name in stale:
        try:
            os.unlink(folder / name)
        except OSError:
            pass


def write_atomic(path: Path, data: bytes, durable: bool = True,
                 advice: str = "choose another folder with --out") -> None:
    """Write data to path so that a reader sees the old file or the new one, never a torn one;
    durable: flushed to the disk before the rename (a cache, checked when read, need not be);
    advice: what a user can do when it cannot be written."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError.at(SourcePos(display(folder)), f"cannot create the output folder "
                             f"({exc.strerror}): {advice}") from None
    clean_stale(folder)
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise OutputError.at(SourcePos(display(path)), f"cannot write this file ({exc.strerror}); "
                             f"the previous file is unchanged: free some space or {advice}") from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
