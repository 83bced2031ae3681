"""TOML text to plain data, or diagnostics at file:line:col: syntax, nesting, absurd numbers.

tomllib raises on some inputs with errors that are not TOMLDecodeError (a 5,000-digit
integer, nesting deep enough to exhaust the recursion limit) and accepts NaN and infinite
floats and integers of any size; here every one of those becomes a diagnostic a user can act
on, at the place it stands where that can be found.
"""

from __future__ import annotations

import math
import re
import tomllib
from typing import Any

from ..errors import Diagnostic, SourcePos


class KeyFinder:
    """Finds where a key stands in the manifest text, so that errors can point at it (the
    text is read once: a manifest of hundreds of parts is asked for hundreds of places)."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.headers: dict[tuple[str, int], SourcePos] = {}
        self.keys: dict[tuple[str | None, int, str], SourcePos] = {}
        current: str | None = None
        seen: dict[str, int] = {}
        for number, line in enumerate(text.split("\n"), start=1):
            stripped = line.strip()
            header = re.match(r"^\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?", stripped)
            if header:
                current = header.group(1)
                seen[current] = seen.get(current, -1) + 1
                self.headers.setdefault((current, seen[current]), SourcePos(name, number, line.index("[") + 1))
                continue
            match = re.match(r"^(\s*)([\"']?)([A-Za-z0-9_-]+)\2\s*=", line)
            if match:
                where = (current, seen.get(current, 0) if current else 0, match.group(3))
                self.keys.setdefault(where, SourcePos(name, number, len(match.group(1)) + 1))

    def pos(self, key: str | None = None, table: str | None = None, index: int = 0) -> SourcePos:
        if key is None:
            return self.headers.get((table or "", index), SourcePos(self.name, 1, 1))
        return self.keys.get((table, index if table else 0, key), SourcePos(self.name, 1, 1))


MAX_DEPTH = 16  # tables and arrays inside one another: a manifest needs 3
MAX_INTEGER = 2**63 - 1  # TOML's own limit: larger integers are outside its specification
_LONG_NUMBER = re.compile(r"[0-9_]{40,}")


def _pos_of(text: str, name: str, offset: int) -> SourcePos:
    line = text.count("\n", 0, offset) + 1
    return SourcePos(name, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def _deep_place(text: str, name: str) -> SourcePos:
    """Where the brackets first nest deeper than MAX_DEPTH (strings are not skipped: this only
    points at the place after tomllib has given up)."""
    depth = 0
    for offset, ch in enumerate(text):
        if ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _pos_of(text, name, offset)
        elif ch in "]}":
            depth = max(0, depth - 1)
        elif ch == "\n" and depth <= 2:
            depth = 0  # a table header's brackets close on their line
    return SourcePos(name, 1, 1)


def parse_toml(text: str, name: str) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """The TOML document as plain data, or None and the problem that stopped it; the data's
    values are then checked (nesting, NaN, infinity, huge numbers), each at its place."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = re.search(r"\(at line (\d+), column (\d+)\)", message)
        pos = SourcePos(name, int(at.group(1)), int(at.group(2))) if at else SourcePos(name, 1, 1)
        reason = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        return None, [Diagnostic(pos, f"not valid TOML ({reason}): fix the syntax here")]
    except RecursionError:
        return None, [Diagnostic(_deep_place(text, name), f"tables or arrays nested more than "
                                 f"{MAX_DEPTH} deep: a document needs at most 3; remove the nesting")]
    except (ValueError, OverflowError):  # int() of thousands of digits
        long = _LONG_NUMBER.search(text)
        pos = _pos_of(text, name, long.start()) if long else SourcePos(name, 1, 1)
        return None, [Diagnostic(pos, "a number with thousands of digits: write a whole number "
                                 f"below {MAX_INTEGER:,}")]
    problems: list[Diagnostic] = []
    _check(data, (), _LazyFinder(name, text), problems)
    return (data if not problems else None), problems


class _LazyFinder:
    """A KeyFinder made only when a value needs its place (most files have no problem)."""

    def __init__(self, name: str, text: str) -> None:
        self.name, self.text, self.found = name, text, None

    def pos(self, key: str | None = None, table: str | None = None, index: int = 0) -> SourcePos:
        if self.found is None:
            self.found = KeyFinder(self.name, self.text)
        return self.found.pos(key, table, index)


def place(where: Any, path: tuple[str | int, ...]) -> SourcePos:
    """The place of a value reached by path: a top-level key, a key of a [table], or a key of
    the n-th [[table]]; deeper values point at the nearest of those."""
    if len(path) >= 3 and isinstance(path[0], str) and isinstance(path[1], int) and isinstance(path[2], str):
        return where.pos(path[2], path[0], path[1])
    if len(path) >= 2 and isinstance(path[0], str) and isinstance(path[1], int):
        return where.pos(None, path[0], path[1])
    if len(path) >= 2 and isinstance(path[0], str) and isinstance(path[1], str):
        found = where.pos(path[1], path[0], 0)
        if found.line != 1 or found.col != 1:
            return found
    if path and isinstance(path[0], str):
        return where.pos(path[0])
    return where.pos()


_CONTROL = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]")  # C0 and C1 controls, less tab and line feed


def _check(value: Any, path: tuple[str | int, ...], where: Any, problems: list[Diagnostic]) -> None:
    if len(problems) >= 20:
        return
    if len(path) > MAX_DEPTH:
        problems.append(Diagnostic(place(where, path), f"tables or arrays nested more than "
                                   f"{MAX_DEPTH} deep: a document needs at most 3; remove the nesting"))
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _check(item, path + (key,), where, problems)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, path + (index,), where, problems)
    elif isinstance(value, str) and (control := _CONTROL.search(value)):
        problems.append(Diagnostic(place(where, path), f"'{_name(path)}' holds the control character "
                                   f"U+{ord(control.group()):04X} (a TOML escape such as \\u0007): "
                                   "remove it; only tabs and line breaks may stand in text"))
    elif isinstance(value, float) and not math.isfinite(value):
        problems.append(Diagnostic(place(where, path), f"'{_name(path)}' is {value}: write a "
                                   "finite number (nan and inf mean nothing here)"))
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
        problems.append(Diagnostic(place(where, path), f"'{_name(path)}' is a number of "
                                   f"{len(str(abs(value)))} digits: write a whole number below "
                                   f"{MAX_INTEGER:,}"))


def _name(path: tuple[str | int, ...]) -> str:
    keys = [str(p) for p in path if isinstance(p, str)]
    return keys[-1] if keys else "value"
