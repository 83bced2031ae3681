"""A build's command, inputs and outputs to their file stamps, and the check, with os alone,
that none has changed: the answer of a `facsimile build` with nothing to do.

The content keys (cache.py) are the truth: they hash every input. Hashing costs little, but
what it imports (pathlib, hashlib, re) costs more than the check itself, on top of starting
Python. So, as make and git do, a build also keeps the stamps (inode, size, change times) of
every file and folder its answer depended on: the code, the typefaces, the files each
manifest names (or their absence), the folders searched for documents, and each PDF written.
A later build of the same command in the same folder, whose stamps all match, is unchanged.

A stamp is taken before the file is read, so that an edit made while a build runs is seen
next time. A file changed within RACY_NS of its stamp (an edit in the same tick of the
clock could leave size and times alone) is recorded as unknown: the next check hashes it.
The record is a convenience: anything unusual in it (damaged, foreign, another version's)
means only that the content keys are consulted.
"""

from __future__ import annotations

import os
import stat
import sys
import time
import zlib

RECORD_MAGIC = "facsimile-stamps 1"
RACY_NS = 2_000_000_000  # a file changed this recently is checked by its content instead
UNCHANGED = "{path}: unchanged, {ms:.0f} ms"  # the line of an unchanged build (buildcmd.say_unchanged)
OPTIONS = ("paper", "pitch", "spacing", "look", "paper_tone", "seed", "diplomatic", "text_layer",
           "pdf_a", "colophon")  # the build options that change a PDF, as launch.parse_build reads them
MAX_RECORD = 1_000_000  # bytes: a record longer than this is not one of ours
RECORDS_KEPT = 16  # commands remembered an output folder, the least recently run forgotten


def command_key(params: dict[str, object]) -> str:
    """Everything a build's answer depends on besides files: which facsimile answers (this copy
    of the package, on this Python, in this environment with its reportlab), the working
    folder, the command as given (documents, output folder, options) and the environment
    variables that choose fonts and dates. Where each document folder given really is (a link
    may point elsewhere since) is checked apart, by unchanged()."""
    return repr((os.path.dirname(os.path.realpath(__file__)), sys.executable, sys.version, sys.prefix,
                 os.path.realpath(os.getcwd()), [str(s) for s in params["sources"]],  # type: ignore[attr-defined]
                 str(params["out_dir"]), [params[name] for name in OPTIONS],
                 os.environ.get("SOURCE_DATE_EPOCH"), os.environ.get("FACSIMILE_FONTS")))


def here(path: str) -> str:
    """A path made absolute as the kernel will follow it: the working folder joined before it,
    nothing collapsed ('link/..' is where the link leads, then up, not the working folder)."""
    return path if os.path.isabs(path) else os.path.join(os.getcwd(), path)


def record_path(params: dict[str, object], key: str) -> str:
    """Where the command's record lives: in the cache folder of its output folder, named by a
    checksum of the command (the record repeats the command, so a clash is only a miss)."""
    return os.path.join(str(params["out_dir"]), ".facsimile-cache", f"build-{zlib.crc32(_bytes(key)):08x}.stamps")


def _bytes(text: str) -> bytes:
    """Text as the file system spells its names (so that a name the locale cannot decode
    comes back as the same str when read again, as os gives it)."""
    return os.fsencode(text)


def stamp(path: str, taken_ns: int | None = None) -> str:
    """A file's or folder's stamp: inode, size, modification and change times; '-' when it is
    absent; '?' when it changed too recently before taken_ns to be trusted."""
    try:
        s = os.stat(path)
    except OSError:
        return "-"
    except (ValueError, UnicodeError):  # a name the file system cannot take: never trusted
        return "?"
    if taken_ns is not None and max(s.st_mtime_ns, s.st_ctime_ns) > taken_ns - RACY_NS:
        return "?"
    return f"{s.st_ino}:{s.st_size}:{s.st_mtime_ns}:{s.st_ctime_ns}"


def unchanged(params: dict[str, object]) -> list[tuple[str, float]] | None:
    """For a command whose record matches every stamp: each PDF's line (as display() shows it)
    with the time its check took; None when anything differs or cannot be told (then the
    content keys decide)."""
    started = time.perf_counter()
    try:
        key = command_key(params)
        text = os.fsdecode(_read_record(record_path(params, key)))
    except (OSError, ValueError):  # UnicodeError is a ValueError
        return None
    lines = text.split("\n")
    if len(text) > MAX_RECORD or len(lines) < 3 or lines[-1] != "" or lines[0] != RECORD_MAGIC:
        return None
    if lines[1] != key or lines[-2] != f"end {zlib.crc32(_bytes(chr(10).join(lines[:-2]))):08x}":
        return None
    answers: list[tuple[str, float]] = []
    for line in lines[2:-2]:
        kind, _, rest = line.partition("\t")
        recorded, _, path = rest.partition("\t")
        shown = ""
        if kind == "pdf":
            shown, _, path = path.partition("\0")
        elif kind == "folder":  # a document folder given: where it leads now, against then
            if os.path.realpath(path) != recorded:
                return None
            continue
        elif kind != "in":
            return None
        if not path or recorded in ("?", "") or (kind == "pdf" and recorded == "-") or stamp(path) != recorded:
            return None
        if kind == "pdf":
            answers.append((shown, time.perf_counter() - started))
            started = time.perf_counter()
    return answers or None


def _read_record(path: str) -> bytes:
    """A record's bytes, up to one more than MAX_RECORD; OSError unless it is a regular file
    (opened without waiting: a FIFO put in its place must not hang the build)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path}: not a regular file")
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_RECORD and (chunk := os.read(fd, MAX_RECORD + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def say(answers: list[tuple[str, float]]) -> None:
    """The unchanged builds' lines, as the build command prints them."""
    from .echo import echo

    for shown, seconds in answers:
        echo(UNCHANGED.format(path=shown, ms=seconds * 1000))


def record(params: dict[str, object], inputs: list[tuple[str, str]], outputs: list[tuple[str, str, str]],
           folders: list[tuple[str, str]]) -> None:
    """Keep the command's record: inputs as (stamp taken before reading, path), outputs as
    (what display() shows, path, stamp of the PDF this build wrote or found), and the
    document folders given as (where each led, the path given). Not written when a path
    cannot be kept on a line, or a PDF is not there; a failure to write is no one's concern
    (the content keys still answer)."""
    if any(recorded == "-" for _, _, recorded in outputs):
        return
    names = [path for _, path in inputs] + [text for output in outputs for text in output[:2]]
    if any(ch in name for name in names + [text for folder in folders for text in folder] for ch in "\n\r\0"):
        return  # a name that cannot be kept on a line: the content keys answer for it
    key = command_key(params)
    lines = [RECORD_MAGIC, key]
    lines += [f"folder\t{real}\t{path}" for real, path in folders]
    lines += [f"in\t{recorded}\t{path}" for recorded, path in inputs]
    # a PDF's line: its stamp, then what a user is shown, NUL, the path stamped
    lines += [f"pdf\t{recorded}\t{shown}\0{path}" for shown, path, recorded in outputs]
    try:
        lines.append(f"end {zlib.crc32(_bytes(chr(10).join(lines))):08x}")
        target = record_path(params, key)
    except ValueError:  # text the file system cannot spell
        return
    from pathlib import Path

    from .atomic import write_atomic
    from .errors import FacsimileError

    try:
        write_atomic(Path(target), _bytes("\n".join(lines) + "\n"), durable=False)
    except (FacsimileError, OSError, ValueError):
        return
    _prune(os.path.dirname(target))


def _prune(folder: str) -> None:
    """Keep the records of the RECORDS_KEPT commands run last in this output folder (each set
    of options has its own): the others would only accumulate."""
    try:
        with os.scandir(folder) as entries:
            found = sorted((entry.stat(follow_symlinks=False).st_mtime_ns, entry.path) for entry in entries
                           if entry.name.startswith("build-") and entry.name.endswith(".stamps"))
    except OSError:
        return
    for _, path in found[:-RECORDS_KEPT]:
        try:
            os.unlink(path)
        except OSError:
            pass
