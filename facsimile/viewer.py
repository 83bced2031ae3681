"""A built PDF to the system's viewer (xdg-open, open, or the Windows shell); nothing when none exists."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def viewer_command(path: Path) -> list[str] | None:
    """The command that opens a file in the desktop's viewer here, or None when there is none."""
    for opener in (("open",) if sys.platform == "darwin" else ("xdg-open", "gio")):
        found = shutil.which(opener)
        if found:
            return [found, "open", str(path)] if opener == "gio" else [found, str(path)]
    return None


def open_pdf(path: Path) -> subprocess.Popen[bytes] | None:
    """Open the PDF in the system's viewer without waiting for it (its output is dropped);
    the process started, or None when no viewer could be started."""
    if sys.platform == "win32":  # pragma: no cover - not on this project's machines
        os.startfile(path)  # type: ignore[attr-defined]
        return None
    command = viewer_command(Path(path).resolve())
    if command is None:
        return None
    try:
        return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        return None
