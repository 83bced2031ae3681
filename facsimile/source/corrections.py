"""A document's corrections.toml to corrections applied to the part texts as received.

The transcription stays as received; each correction names its part, the text as received
with enough context to occur exactly once (or, with ``all = true``, every occurrence), the
corrected text and a reason (TEI's sic/corr).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, SourcePos
from .tomlfile import KeyFinder, parse_toml

CORRECTIONS = "corrections.toml"
KEYS = ("part", "received", "corrected", "reason")
FLAGS = ("all",)  # all = true: correct every occurrence of the received text


@dataclass(frozen=True)
class Correction:
    """One correction as recorded, and where it stands in corrections.toml."""

    part: str
    received: str
    corrected: str
    reason: str
    pos: SourcePos
    every: bool = False  # all = true: every occurrence, not exactly one


@dataclass(frozen=True)
class Applied:
    """A correction applied: where in the part file the received text first stood, and in how
    many places it was changed."""

    correction: Correction
    at: SourcePos
    count: int = 1


def parse_corrections(text: str, name: str) -> tuple[list[Correction], list[Diagnostic]]:
    """Parse corrections.toml; every problem is returned with its place."""
    data, toml_problems = parse_toml(text, name)
    if data is None:
        return [], toml_problems
    where = KeyFinder(name, text)
    problems: list[Diagnostic] = []
    for key in data:
        if key != "correction":
            problems.append(Diagnostic(where.pos(key), f"unknown key '{key}': corrections are "
                                       "[[correction]] tables"))
    entries: Any = data.get("correction", [])
    if not isinstance(entries, list):
        return [], problems + [Diagnostic(where.pos("correction"), "write each correction as a "
                                          "[[correction]] table")]
    found: list[Correction] = []
    for index, entry in enumerate(entries):
        head = where.pos(None, "correction", index)
        values: dict[str, str] = {}
        if not isinstance(entry, dict):
            problems.append(Diagnostic(head, f"correction {index + 1} must be a [[correction]] table "
                                       "with part, received, corrected and reason"))
            continue
        for key in entry:
            if key not in KEYS + FLAGS:
                problems.append(Diagnostic(where.pos(key, "correction", index), f"unknown key "
                                           f"'{key}': use {', '.join(KEYS + FLAGS)}"))
        every = entry.get("all", False)
        if not isinstance(every, bool):
            problems.append(Diagnostic(where.pos("all", "correction", index), "'all' is true or false"))
            every = False
        for key in KEYS:
            value = entry.get(key)
            if not isinstance(value, str) or (key != "corrected" and not value.strip()):
                problems.append(Diagnostic(head, f"correction {index + 1} needs '{key}' (a quoted "
                                           "string)"))
                value = ""
            values[key] = value
        if values["received"] and values["received"] == values["corrected"]:
            problems.append(Diagnostic(head, f"correction {index + 1} changes nothing: "
                                       "'corrected' is the text as received"))
        found.append(Correction(values["part"], values["received"], values["corrected"],
                                values["reason"], head, every))
    return found, problems


def apply(corrections: list[Correction], part: str, lines: list[str], shown: str
          ) -> tuple[list[str], list[Applied], list[Diagnostic]]:
    """Apply a part's corrections to its lines (each received text must occur exactly once,
    or at least once for a correction of every occurrence)."""
    text = "\n".join(lines)
    applied: list[Applied] = []
    problems: list[Diagnostic] = []
    for correction in corrections:
        if correction.part != part:
            continue
        count = text.count(correction.received)
        if count == 0 or (count > 1 and not correction.every):
            where = "is not found" if count == 0 else f"is found {count} times"
            advice = ("the source has changed since: update or remove the correction" if count == 0
                      else "give more of the text around it, so that it occurs once, or add "
                      "all = true to correct every occurrence")
            problems.append(Diagnostic(correction.pos, f"the received text '{correction.received}' "
                                       f"{where} in {Path(shown).name}: {advice}"))
            continue
        start = text.index(correction.received)
        line = text.count("\n", 0, start) + 1
        col = start - (text.rfind("\n", 0, start) + 1) + 1
        applied.append(Applied(correction, SourcePos(shown, line, col), count))
        text = text.replace(correction.received, correction.corrected, -1 if correction.every else 1)
    return text.split("\n"), applied, problems


def unknown_parts(corrections: list[Correction], parts: set[str]) -> list[Diagnostic]:
    return [Diagnostic(c.pos, f"no part has the id '{c.part}': use one of {', '.join(sorted(parts))}")
            for c in corrections if c.part not in parts]
