"""Problems found in the user's input or environment, turned into one-line messages and exit codes."""

from __future__ import annotations

import os
from collections import namedtuple
from pathlib import Path

# The tuples below are made with collections.namedtuple rather than typing.NamedTuple (the
# same classes): every command imports this module, and an unchanged build imports nothing
# else that needs the typing module.


class SourcePos(namedtuple("SourcePos", ("file", "line", "col"), defaults=(0, 0))):
    """A place in a source file: 1-based line and column (a tuple: one is made per character)."""

    __slots__ = ()
    file: str
    line: int
    col: int

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        return f"{self.file}:{self.line}:{self.col}"

    def shifted(self, columns: int) -> "SourcePos":
        return SourcePos(self.file, self.line, self.col + columns)


class Diagnostic(namedtuple("Diagnostic", ("pos", "message"))):
    """One problem at one place, with what to do about it (a tuple, not a dataclass: this
    module is imported by every command, and a dataclass costs a module and a compile)."""

    __slots__ = ()
    pos: SourcePos
    message: str

    def __str__(self) -> str:
        return f"{self.pos}: error: {self.message}"


class FacsimileError(Exception):
    """The root of every error facsimile reports to a user; carries its exit code."""

    exit_code = 1

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic | str) -> None:
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic(SourcePos("facsimile"), diagnostics)]
        elif isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics: list[Diagnostic] = sorted(diagnostics, key=lambda d: d.pos)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    @classmethod
    def at(cls, pos: SourcePos, message: str) -> "FacsimileError":
        return cls([Diagnostic(pos, message)])

    @classmethod
    def at_path(cls, path: "Path | str", message: str) -> "FacsimileError":
        return cls([Diagnostic(SourcePos(display(path)), message)])


class SourceError(FacsimileError):
    """Bad input in a document folder: manifest, part files, markup, characters."""

    exit_code = 2
    partial: object = None  # the document as far as it parsed, for reporting later problems too


class UsageError(FacsimileError):
    """A bad option or argument on the command line."""

    exit_code = 2


class OutputError(FacsimileError):
    """The output could not be written; the previous output is left as it was."""

    exit_code = 3


def display(path: Path | str) -> str:
    """A path as a user would type it: relative to the working folder where possible."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(_here()))
    except (ValueError, RuntimeError, OSError):  # not under it; a symlink loop (3.11); no working folder
        return str(p)


_HERE: dict[str, Path] = {}


def _here() -> Path:
    """The working folder resolved, remembered by the name os.getcwd gives it (a build says
    where dozens of files are: half the cost of each was resolving the same folder again)."""
    cwd = os.getcwd()
    found = _HERE.get(cwd)
    if found is None:
        found = _HERE[cwd] = Path(cwd).resolve()
    return found
