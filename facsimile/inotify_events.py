"""Folders to batches of changed paths, from Linux's inotify: one batch a save, handed over
as soon as the save is complete.

watchfiles (used elsewhere) wakes every few milliseconds to look for changes and then waits a
further step for the rest of a save, which costs 12 to 24 ms of every rebuild; here the
watcher sleeps in poll() until the kernel has an event, so it costs nothing while idle and
wakes at once. A save is complete when every file made or written in it has been closed and
no event has come for SETTLE_MS (an editor's save is a burst: a scratch file, a rename, a
write, a chmod, a backup removed); a file made or written and not yet closed holds the batch
back, and a file moved away and not yet back makes the quiet time GONE_MS, up to
LONGEST_SAVE_MS in all.
Every event resets the quiet time, a repeated write to the same file too.
"""

from __future__ import annotations

import math
import os
import time
from pathlib import Path
from typing import Callable, Iterator

import inotify_simple
from inotify_simple import flags

from .walk import Keep, walk

SETTLE_MS = 4  # quiet time after the last event of a save, once its files are closed
GONE_MS = 100  # quiet time while a file moved away or removed has not come back (a save by rename)
LONGEST_SAVE_MS = 400  # never hold a batch back longer than this
_WATCHED = (flags.MODIFY | flags.CLOSE_WRITE | flags.ATTRIB | flags.CREATE | flags.DELETE | flags.MOVED_FROM
            | flags.MOVED_TO | flags.DELETE_SELF | flags.MOVE_SELF | flags.EXCL_UNLINK | flags.ONLYDIR)
_ARRIVED = flags.CREATE | flags.MOVED_TO
_LEFT = flags.DELETE | flags.MOVED_FROM


class FolderEvents:
    """An inotify watch on folders and every folder under them that keep accepts; folders that
    appear later are watched as they come. Raises OSError when inotify cannot be had (not
    Linux, the watch limit reached)."""

    def __init__(self, roots: list[Path], keep: Keep) -> None:
        self.keep, self.roots = keep, list(roots)
        self.notify = inotify_simple.INotify()
        self.folders: dict[int, Path] = {}  # watch descriptor -> folder
        # paths a build may have read: there when the watch began, named by a batch since, or
        # found by the caller's catch-up (made after the walk, their own events still queued)
        self.reported: set[Path] = set()
        try:
            for root in roots:
                self.reported |= self._add_tree(root, root=True)
        except OSError:
            self.close()
            raise

    def close(self) -> None:
        self.notify.close()

    def __enter__(self) -> "FolderEvents":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _add_tree(self, folder: Path, root: bool = False) -> set[Path]:
        """Watch a folder and the folders under it; the files found in them (for a folder that
        arrived with files already in it, as a folder moved in or unpacked)."""

        def enter(here: Path) -> bool:  # watched before it is listed: a file made meanwhile is seen
            try:
                wd = self.notify.add_watch(here, _WATCHED)
            except (FileNotFoundError, NotADirectoryError, PermissionError):
                if root and here == folder:
                    raise
                return False  # gone again already, or not ours to read
            self.folders[wd] = here
            return True

        return {Path(entry.path) for entry in walk(folder, self.keep, enter)}

    def _drop_tree(self, folder: Path) -> None:
        """Stop watching a folder that moved away, and the folders under it (their events would
        come with the old names)."""
        for wd, path in list(self.folders.items()):
            if path == folder or folder in path.parents:
                del self.folders[wd]
                try:
                    self.notify.rm_watch(wd)
                except OSError:
                    pass

    def batches(self, timeout_ms: int, stop: Callable[[], bool]) -> Iterator[set[Path]]:
        """A batch of changed paths per save, or an empty batch after timeout_ms without one
        (for the caller to look around); ends when stop() is true. A path made and removed
        within a batch (an editor's scratch file) is not in it. When the kernel's queue
        overflowed (events were lost) the batch names the roots themselves: look at everything."""
        while not stop():
            events = list(self.notify.read(timeout=timeout_ms))
            changed: set[Path] = set()
            made: set[Path] = set()
            writing: set[Path] = set()
            removed: set[Path] = set()
            first = time.monotonic()
            while events:
                for event in events:
                    self._take(event, changed, made, writing, removed)
                left = LONGEST_SAVE_MS - (time.monotonic() - first) * 1000
                if left <= 0 or not (changed or writing):
                    break
                # quiet for SETTLE_MS once every file written is closed; else wait for the close;
                # a file moved away or removed and not back yet may be a save by rename half done
                gone = any(not os.path.lexists(path) for path in removed - made)
                quiet = left if writing else min(left, GONE_MS if gone else SETTLE_MS)
                events = list(self.notify.read(timeout=math.ceil(quiet)))
            # made and gone within the batch is an editor's scratch file, unless a build may have
            # read it (there as the watch began, or named by an earlier batch, its own events
            # coming after): then it is gone
            batch = {path for path in changed if path not in made or path in self.reported or os.path.lexists(path)}
            there = {path for path in batch if os.path.lexists(path)}
            self.reported = (self.reported - batch) | there
            yield batch

    def _take(self, event: inotify_simple.Event, changed: set[Path], made: set[Path], writing: set[Path],
              removed: set[Path]) -> None:
        """Note one event: what changed, what was made or removed in this batch, which files
        are open for writing (made or written, and not closed since)."""
        mask = event.mask
        if mask & flags.Q_OVERFLOW:
            changed.update(self.roots)
            return
        folder = self.folders.get(event.wd)
        if mask & flags.IGNORED:  # the watch is gone (its folder removed)
            self.folders.pop(event.wd, None)
            return
        if folder is None:
            return
        path = folder / event.name if event.name else folder
        if not event.name:  # the watched folder itself went away (removed, moved)
            if mask & (flags.DELETE_SELF | flags.MOVE_SELF):
                changed.add(path)
            return
        if not self.keep(path):
            return
        if mask & flags.ISDIR:
            if mask & _ARRIVED:
                changed.add(path)
                changed |= self._add_tree(path)
            elif mask & _LEFT:
                changed.add(path)
                self._drop_tree(path)
            return
        changed.add(path)
        if mask & _ARRIVED:
            made.add(path)
        if mask & (flags.MODIFY | flags.CREATE):  # made by open(): written until it is closed
            writing.add(path)
        if mask & (flags.CLOSE_WRITE | flags.DELETE | flags.MOVED_FROM):
            writing.discard(path)
        if mask & _LEFT:
            removed.add(path)
