"""A tab rack written as text to tab stops, and a row of tabbed cells to typed cells on the grid.

A rack is written ``12, 40 right, 52 decimal, 30 leader``: each stop is a cell counted from the
left margin (0 is the margin) with its alignment (left, the default; right: the text ends in
that cell; decimal: the point, or where it would stand, is in that cell; centre) and
``leader`` for a run of dots typed up to the text, as in a contents or accounts.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..errors import SourcePos
from .grid import Cell

ALIGNMENTS = ("left", "right", "decimal", "centre")
DEFAULT_EVERY = 5  # with no rack set, a stop every five cells, as for paragraph indents
RULE = re.compile(r"^([-_=])\1{2,}$")  # a cell or a row typed as a ruled line: ---, ___ or ===
FRACTIONS = frozenset("¼½¾⅓⅔⅛⅜⅝⅞")


class TabStop(NamedTuple):
    """One stop of the rack: its cell from the left margin, how text aligns on it, and whether
    dots lead up to the text."""

    col: int
    align: str = "left"
    leader: bool = False


class Key(NamedTuple):
    """One key struck: the character, whether it is emphasised, and where it came from."""

    char: str
    emphasis: bool
    pos: SourcePos


def parse_tabs(spec: str) -> tuple[tuple[TabStop, ...], str]:
    """The stops of a rack, left to right, or a message saying what is wrong with it."""
    stops: list[TabStop] = []
    for entry in (e.strip() for e in spec.split(",")):
        words = entry.split()
        if not words or not words[0].isdigit():
            return (), (f"a tab stop '{entry}' must start with its cell from the left margin, as in "
                        "'12, 40 right, 52 decimal, 30 leader'")
        align, leader = "left", False
        for word in words[1:]:
            word = {"center": "centre", "dots": "leader", "leaders": "leader"}.get(word.lower(), word.lower())
            if word == "leader":
                leader = True
            elif word in ALIGNMENTS:
                align = word
            else:
                return (), f"unknown word '{word}' in the tab stop '{entry}': use left, right, decimal, centre or leader"
        stops.append(TabStop(int(words[0]), align, leader))
    cols = [s.col for s in stops]
    if cols != sorted(set(cols)):
        return (), "tab stops must be given left to right, each once"
    return tuple(stops), ""


def rack(stops: tuple[TabStop, ...], measure: int) -> tuple[TabStop, ...]:
    """The stops in force: those set, or one every five cells."""
    return stops or tuple(TabStop(c) for c in range(DEFAULT_EVERY, measure, DEFAULT_EVERY))


def split_row(keys: list[Key]) -> list[list[Key]]:
    """A source line's keys into the cells between its tabs."""
    cells: list[list[Key]] = [[]]
    for key in keys:
        if key.char == "\t":
            cells.append([])
        else:
            cells[-1].append(key)
    for cell in cells:  # spaces at a cell's ends are the typist's, not the text's
        while cell and cell[-1].char == " ":
            cell.pop()
    return cells


def _anchor(text: str) -> int:
    """Where a figure's point stands in it: at the first full stop, or after its last digit
    before a fraction or a letter (6½, 12s), or after the whole figure."""
    point = text.find(".")
    if point >= 0:
        return point
    end = len(text)
    while end and not text[end - 1].isdigit():
        end -= 1
    return end if end else len(text)


def set_row(cells: list[list[Key]], stops: tuple[TabStop, ...], left: int, rules: dict[int, tuple[int, int]]
            ) -> tuple[list[Cell], dict[int, tuple[int, int]], str]:
    """Type a row: the first cell at the margin, each next one at the next stop where it fits
    (a typist tabs past a stop the carriage has gone by). Returns the typed cells, each text
    cell's extent (first, last column), and the row as read, its cells' words one space apart.
    A cell typed as a rule (---) fills the extent rules gives for its stop, else its own."""
    out: list[Cell] = []
    extents: dict[int, tuple[int, int]] = {}
    words: list[str] = []
    carriage = left  # the next free column
    stop_index = -1  # the stop the last cell went to (-1: the margin)
    for n, keys in enumerate(cells):
        width = len(keys)
        text = "".join(k.char for k in keys)
        if n == 0:
            stop = TabStop(0)
            start = left
        else:
            stop, start = TabStop(0), -1
            for index in range(stop_index + 1, len(stops)):
                candidate = stops[index]
                col = left + candidate.col
                if candidate.align == "right":
                    begin = col - width + 1
                elif candidate.align == "decimal":
                    begin = col - _anchor(text)
                elif candidate.align == "centre":
                    begin = col - width // 2
                else:
                    begin = col
                gap = 1 if (out or carriage > left) and width else 0
                if begin >= carriage + gap or not width:
                    stop, start, stop_index = candidate, max(begin, carriage), index
                    break
            if start < 0:  # past the last stop: a space after the text before, as typed
                start = carriage + (1 if carriage > left else 0)
        if not width:
            continue
        rule = RULE.match(text)
        if rule and n in rules:
            first, last = rules[n]
            out.extend(Cell(c, rule.group(1), False, keys[0].pos, True) for c in range(first, last + 1))
            carriage = last + 1
            continue
        if stop.leader and out:  # dots up to the text, a space clear of the words on either side
            out.extend(Cell(c, ".", False, keys[0].pos, True) for c in range(carriage + 1, start - 1))
        for i, key in enumerate(keys):
            if key.char != " " or key.emphasis:
                out.append(Cell(start + i, key.char, key.emphasis, key.pos, bool(rule)))
        if not rule:
            extents[n] = (start, start + width - 1)
            words.append(" ".join(text.split()))
        carriage = start + width
    return out, extents, " ".join(w for w in words if w)
