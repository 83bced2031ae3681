"""Typed cells, lines and pages on the character grid, and a page as plain text for tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from ..errors import SourcePos


class Cell(NamedTuple):
    """One typed character in one cell; emphasis is underscored (or struck twice) by the look.
    (A tuple rather than a dataclass: a page has thousands and a tuple is made five times faster.)"""

    col: int
    char: str
    emphasis: bool = False
    pos: SourcePos | None = None
    ornament: bool = False  # drawn as a mark, not text: the dashes around a page number


@dataclass(frozen=True)
class TypedLine:
    """The cells of one typed line, and its role (body, heading, folio, continuation, ...)."""

    cells: tuple[Cell, ...]
    role: str = "body"
    scale: int = 1  # 2: large stylus capitals, each two cells wide and two lines tall
    tall: int = 0  # lines a lettered line stands in (0: as many as its scale)
    paragraph: int = 0  # on a paragraph's first line: its number in the document (1, 2, ...)
    kind: str = ""  # the kind of block it was typed from ("" for page furniture: folios, marks)
    block: int = 0  # that block's place in its part, from 1 (heads included): a tagged PDF's element
    part: str = ""  # the id of the part it belongs to
    across: bool = False  # read as one span in a tagged PDF: a wide gap poppler would take for a gutter
    shrink: float = 1.0  # below 1: set smaller (a reading edition's line kept as typed, too wide)
    actual: str = ""  # the line as extractors should read it where its glyphs would mislead them:
    # spaced letters as words, a table row's wide gaps as single spaces (PDF ActualText)
    level: int = 0  # a list item's nesting (0: the outer list)
    columns: tuple[tuple[int, int, int], ...] = ()  # a table row's cells, a list item's label and text
    # on its first line: (column, first, last grid col)
    head: bool = False  # a table row above the rule under its head

    @property
    def text(self) -> str:
        """The line as typed, from its first cell, spaces between cells filled in."""
        return self._joined(ornaments=True)

    @property
    def searchable_text(self) -> str:
        """The line as a reader's search finds it: ornaments are marks, not text."""
        return self._joined(ornaments=False)

    def _joined(self, ornaments: bool) -> str:
        out: list[str] = []
        col = self.cells[0].col if self.cells else 0
        for cell in self.cells:
            out.append(" " * ((cell.col - col) // self.scale))
            out.append(cell.char if ornaments or not cell.ornament else " ")
            col = cell.col + self.scale
        return "".join(out)


@dataclass(frozen=True)
class PlacedLine:
    """A typed line at a half-line row of the sheet."""

    row: int
    line: TypedLine


@dataclass(frozen=True)
class Page:
    """One typed sheet: its number within the part and its lines, top to bottom."""

    number: int
    lines: tuple[PlacedLine, ...]


def to_text(page: Page) -> str:
    """The page as plain text, one text line per line of the sheet (6 to the inch)."""
    rows: dict[int, str] = {}
    for placed in page.lines:
        line = placed.line
        if not line.cells:
            continue
        index = placed.row // 2
        row = list(rows.get(index, ""))
        for cell in line.cells:
            while len(row) <= cell.col:
                row.append(" ")
            if cell.char != " ":
                row[cell.col] = cell.char
        rows[index] = "".join(row)
    if not rows:
        return ""
    first, last = min(rows), max(rows)
    return "\n".join(rows.get(i, "").rstrip() for i in range(first, last + 1)) + "\n"


@dataclass(frozen=True)
class FlowLine:
    """A typed line in the flow of a part, before pagination.

    gap: blank lines above it (dropped at the top of a page); keep: no page break above it;
    foot: set at the foot of the last page (an imprint).
    """

    line: TypedLine
    gap: int = 0
    keep: bool = False
    foot: bool = False
    lower: bool = False  # @space lower: on a short last page, half the room left goes above it
