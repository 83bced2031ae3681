"""Source folders to rebuilds: the operating system's file events (inotify, watchfiles), else polling.

A rebuild is called with the names of the files that changed. Folders may vanish and come
back (a checkout, an editor's rename, a folder moved away and back): the watcher keeps
watching what exists, waits for what does not, and calls a rebuild when a folder comes
back. A rebuild that fails is the caller's to report; watching goes on.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .walk import walk

POLL_SECONDS = 0.25  # between two looks at the files when polling
SETTLE_MS = 12  # watchfiles' step, and polling's wait for the rest of a save (inotify_events settles on its own)
LONGEST_SAVE_MS = 400  # never wait longer than this for a stream of events to pause
CHECK_MS = 400  # how often the event watcher looks for folders that appeared or were replaced
# Files no build reads: hidden files, editors' swap, backup and lock files, vim's write test.
IGNORED = re.compile(r"(^\.|\.sw.$|~$|^4913$|^#.*#$|\.tmp$|^__pycache__$)")

Rebuild = Callable[[list[str]], object]


def relevant(path: Path, folders: Iterable[Path], ignore: Iterable[Path] = ()) -> bool:
    """Whether a change to path can change a build: inside a watched folder, not hidden or an
    editor's scratch file, and not inside an ignored folder (the output, when it is inside)."""
    path = Path(os.path.abspath(path))
    if any(path == i or i in path.parents for i in ignore):
        return False
    for folder in folders:
        if path == folder or folder in path.parents:
            return not any(IGNORED.search(part) for part in path.relative_to(folder).parts)
    return False


def snapshot(folders: Iterable[Path], ignore: Iterable[Path] = ()) -> dict[Path, tuple[int, int, int]]:
    """Every relevant file under the folders with its inode, modification time and size (the
    walk that inotify's watches take too)."""
    folders, ignore = _absolute(folders), _absolute(ignore)
    seen: dict[Path, tuple[int, int, int]] = {}
    for folder in folders:
        for entry in walk(folder, lambda path: relevant(path, folders, ignore)):
            try:
                if entry.is_file():  # a link to a file counts as that file
                    stat = entry.stat()
                    seen[Path(entry.path)] = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
            except OSError:
                continue
    return seen


def _ignored(roots: list[Path], ignore: Iterable[Path]) -> list[Path]:
    """The ignored paths as the watched folders spell them, since events name paths that way:
    an output folder given by its real path inside a folder watched through a symlink is still
    the output folder (else each build's PDF wakes the watch again). A folder that is or holds
    a watched folder (the output folder set to the document folder) is left out, or nothing in
    that folder would be seen: the caller names the files it writes there instead."""
    real_roots = [(root, Path(os.path.realpath(root))) for root in roots]
    out: list[Path] = []
    for given in _absolute(ignore):
        real = Path(os.path.realpath(given))
        spellings = {given} | {root / real.relative_to(real_root) for root, real_root in real_roots
                               if real == real_root or real_root in real.parents}
        for path in sorted(spellings):
            if not any(path == root or path in root.parents for root in roots):
                out.append(path)
    return out


def _absolute(paths: Iterable[Path]) -> list[Path]:
    return [Path(os.path.abspath(p)) for p in paths]


def _identity(folders: list[Path]) -> tuple[tuple[int, int] | None, ...]:
    """Which of the folders exist, as what: a folder replaced by another is a new one."""
    out: list[tuple[int, int] | None] = []
    for folder in folders:
        try:
            stat = folder.stat()
            out.append((stat.st_dev, stat.st_ino) if folder.is_dir() else None)
        except OSError:
            out.append(None)
    return tuple(out)


def _names(paths: Iterable[Path | str], folders: list[Path]) -> list[str]:
    """Changed paths as a user knows them: inside their folder (named too when there are several)."""
    out: set[str] = set()
    for p in paths:
        path = Path(p)
        folder = next((f for f in folders if path == f or f in path.parents), None)
        if folder is None:
            continue
        inside = [] if path == folder else [path.relative_to(folder).as_posix()]
        out.add("/".join(([folder.name] if len(folders) > 1 or not inside else []) + inside))
    return sorted(out)


def watch_sources(folders: tuple[Path, ...] | list[Path], rebuild: Rebuild, *, ignore: Iterable[Path] = (),
                  stop: threading.Event | None = None, poll: bool = False,
                  poll_seconds: float = POLL_SECONDS, ready: Callable[[str], object] | None = None,
                  events: str = "auto") -> int:
    """Call rebuild(changed names) after each change to the folders' files, until stop is set
    (or forever, until interrupted). Uses the operating system's file events (inotify
    directly on Linux, else watchfiles), or polling when asked, when neither is there or
    when the events fail. ready, if given, is called once watching has begun, with how
    ("file events" or "polling"); a change made since this function was called is not
    missed. events chooses the source of events ("inotify", "watchfiles"; "auto": the
    first that works). Returns the number of rebuilds."""
    stop = stop or threading.Event()
    told: list[str] = []

    def begun(how: str) -> None:
        if ready is not None and not told:
            told.append(how)
            ready(how)

    roots = _absolute(folders)
    skip = _ignored(roots, ignore)
    sources = [] if poll else [name for name in (("inotify", "watchfiles") if events == "auto" else (events,))
                               if _available(name)]
    for name in sources:
        done = _watch_events(roots, skip, rebuild, stop, poll_seconds, begun, _SOURCES[name])
        if done is not None:
            return done
    return _watch_polling(roots, skip, rebuild, stop, poll_seconds, begun)


def _available(source: str) -> bool:
    """Whether a source of file events can be imported here (inotify: Linux only)."""
    try:
        if source == "inotify":
            if not sys.platform.startswith("linux"):
                return False
            import inotify_simple  # noqa: F401 - only to know it is there
        else:
            import watchfiles  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


# a source of batches: the folders, keep, stop, and the files the caller's catch-up found on
# the first batch (a build may have read them: made and removed in one batch, they are changes)
Batches = Callable[[list[Path], Callable[[Path], bool], threading.Event, set[Path]], Iterator[set[Path]]]


def _inotify_batches(present: list[Path], keep: Callable[[Path], bool], stop: threading.Event,
                     caught: set[Path]) -> Iterator[set[Path]]:
    """Changed paths a save at a time from Linux's inotify; an empty batch first, once the
    watch is in place, and after every CHECK_MS without a change."""
    from .inotify_events import FolderEvents

    with FolderEvents(present, keep) as events:
        yield set()
        events.reported |= caught  # made after the watch's walk and found by the catch-up
        yield from events.batches(CHECK_MS, stop.is_set)


def _watchfiles_batches(present: list[Path], keep: Callable[[Path], bool], stop: threading.Event,
                        caught: set[Path]) -> Iterator[set[Path]]:
    """Changed paths from watchfiles (FSEvents, ReadDirectoryChanges, inotify); an empty batch
    after every CHECK_MS without a change, the first once the watcher is in place."""
    import watchfiles

    for changes in watchfiles.watch(*present, watch_filter=lambda change, path: keep(Path(path)),
                                    debounce=LONGEST_SAVE_MS, step=SETTLE_MS, stop_event=stop,
                                    rust_timeout=CHECK_MS, yield_on_timeout=True, raise_interrupt=True,
                                    ignore_permission_denied=True):
        paths = _changed(changes, caught)
        for folder in [path for path in paths if path.is_dir()]:  # a folder that came with its files:
            paths |= set(snapshot([folder]))  # the kernel may tell of them before a watch is on it
        yield {path for path in paths if keep(path)}


_SOURCES: dict[str, Batches] = {"inotify": _inotify_batches, "watchfiles": _watchfiles_batches}


def _watch_events(roots: list[Path], skip: list[Path], rebuild: Rebuild, stop: threading.Event,
                  poll_seconds: float, begun: Callable[[str], None], batches: Batches) -> int | None:
    """Watch with file events; restart the watcher whenever a folder appears, vanishes or is
    replaced, since the kernel's watch stays on the folder that was there. The number of
    rebuilds once stopped, or None when the events failed before the first rebuild (then the
    caller tries another way)."""
    rebuilds = 0
    # the files as they were before the last build that is followed by starting a watcher: what
    # changes before that watcher is in place is caught up with once it is
    before: dict[Path, tuple[int, int, int]] | None = snapshot(roots, skip)
    built_with = _identity(roots)  # the folders as the last build found them
    started = False  # whether a watcher has ever been in place
    while not stop.is_set():
        identity = _identity(roots)
        if identity != built_with:  # a folder came, went or was replaced since the last build
            before, built_with = snapshot(roots, skip), identity
            rebuild(_names(roots, roots))
            rebuilds += 1
        present = [root for root, known in zip(roots, identity) if known is not None]
        if not present:
            begun("file events")
            stop.wait(poll_seconds)
            continue

        def keep(path: Path) -> bool:
            return relevant(path, roots, skip)

        caught: set[Path] = set()  # the files the catch-up finds: a build may read them
        try:
            for paths in batches(present, keep, stop, caught):
                now_identity = _identity(roots)
                if before is not None:  # the watcher is in place: catch up with what it missed
                    now = snapshot(roots, skip)
                    paths |= {p for p in now.keys() | before.keys() if now.get(p) != before.get(p)}
                    caught.update(now)  # in place: the source holds this set
                    before, started = None, True
                    begun("file events")
                again = now_identity != identity  # a folder came, went or was replaced: watch anew
                if paths or now_identity != built_with:
                    if again:
                        before = snapshot(roots, skip)
                    built_with = now_identity
                    rebuild(_names(paths, roots) or _names(roots, roots))
                    rebuilds += 1
                if again:
                    before = before if before is not None else snapshot(roots, skip)
                    break
                if stop.is_set():
                    break
        except (OSError, RuntimeError):  # events failed (a folder vanished at the start, no inotify)
            if _identity(roots) == identity:  # not a folder coming and going: another way from now on
                if not started and not rebuilds:
                    return None
                return rebuilds + _watch_polling(roots, skip, rebuild, stop, poll_seconds, begun)
    return rebuilds


def _changed(changes: set[tuple[object, str]], caught: set[Path]) -> set[Path]:
    """The paths of a batch of events, less scratch files made and removed within it (sed -i's,
    an editor's temporary copy renamed into place) that the catch-up did not find."""
    import watchfiles

    added = {path for change, path in changes if change == watchfiles.Change.added}
    return {Path(path) for _, path in changes
            if not (path in added and not os.path.lexists(path) and Path(path) not in caught)}


def _watch_polling(roots: list[Path], skip: list[Path], rebuild: Rebuild, stop: threading.Event,
                   poll_seconds: float, begun: Callable[[str], None]) -> int:
    """Compare the files' inodes, times and sizes every poll_seconds."""
    before = snapshot(roots, skip)
    begun("polling")
    rebuilds = 0
    while not stop.wait(poll_seconds):
        now = snapshot(roots, skip)
        if now != before:
            time.sleep(SETTLE_MS / 1000)  # let an editor finish writing
            now = snapshot(roots, skip)
            changed = {p for p in now.keys() | before.keys() if now.get(p) != before.get(p)}
            before = now
            rebuild(_names(changed, roots) or _names(roots, roots))
            rebuilds += 1
    return rebuilds
