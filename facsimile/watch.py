"""Source folders to rebuilds: poll the files' modification times, rebuild when one changes."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

POLL_SECONDS = 0.25


def snapshot(folders: tuple[Path, ...]) -> dict[Path, tuple[int, int]]:
    """Every file under the folders with its modification time and size."""
    seen: dict[Path, tuple[int, int]] = {}
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and not any(p.startswith(".") for p in path.relative_to(folder).parts):
                stat = path.stat()
                seen[path] = (stat.st_mtime_ns, stat.st_size)
    return seen


def watch_sources(folders: tuple[Path, ...], rebuild: Callable[[], object],
                  rounds: int | None = None, poll: float = POLL_SECONDS) -> int:
    """Call rebuild after each change to the folders' files; stop after rounds polls if given
    (for tests), else when interrupted. Returns the number of rebuilds."""
    before = snapshot(folders)
    rebuilds = 0
    count = 0
    while rounds is None or count < rounds:
        time.sleep(poll)
        count += 1
        now = snapshot(folders)
        if now != before:
            time.sleep(0.05)  # let an editor finish writing
            before = snapshot(folders)
            rebuild()
            rebuilds += 1
    return rebuilds
