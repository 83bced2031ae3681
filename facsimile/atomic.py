"""Bytes to a file that appears whole or not at all: temporary file, flush, rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError, SourcePos, display


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Write data to path so that a reader sees the old file or the new one, never a torn one;
    durable: flushed to the disk before the rename (a cache, checked when read, need not be)."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError.at(SourcePos(display(folder)), f"cannot create the output folder "
                             f"({exc.strerror}): choose another with --out") from None
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise OutputError.at(SourcePos(display(path)), f"cannot write the PDF ({exc.strerror}); "
                             "the previous file is unchanged: free some space or choose another "
                             "folder with --out") from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
