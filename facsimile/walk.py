"""A folder's files, found in one walk that the watcher's snapshot and its inotify watches share."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterator

Keep = Callable[[Path], bool]  # whether a path (file or folder) matters to a build


def walk(folder: Path, keep: Keep, enter: Callable[[Path], bool] | None = None) -> Iterator[os.DirEntry[str]]:
    """Every entry under folder that is not a folder (a symbolic link to one included, not
    followed) and that keep accepts, not looking into a folder keep refuses or that cannot be
    listed. enter, if given, is called with each folder before it is listed (a watch put on it
    first misses no file made meanwhile) and says whether to list it."""
    folders = [Path(folder)]
    while folders:
        here = folders.pop()
        if enter is not None and not enter(here):
            continue
        try:
            entries = list(os.scandir(here))
        except OSError:  # vanished, or not ours to read
            continue
        for entry in entries:
            path = Path(entry.path)
            if not keep(path):
                continue
            try:
                inside = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if inside:
                folders.append(path)
            else:
                yield entry
