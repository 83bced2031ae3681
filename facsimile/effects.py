"""Typed pages on the grid to sheets in points: each glyph centred in its cell, emphasis drawn."""

from __future__ import annotations

from .fonts import FaceStack
from .grid import Page
from .paper import Grid
from .sheet import Glyph, Sheet, Stroke

EM_OF_CELL = 0.625  # the type size is the cell width over this: a pica cell holds a 11.5 pt face
UNDERSCORE_DROP = 0.22  # an underscore sits this many ems below the baseline


def type_size(grid: Grid) -> float:
    return grid.cell_pt / EM_OF_CELL


def clean_sheets(pages: list[Page], grid: Grid, stack: FaceStack) -> list[Sheet]:
    """The pages as a clean typescript: every glyph centred in its cell, emphasis underscored."""
    size = type_size(grid)
    cell = grid.cell_pt
    sheets: list[Sheet] = []
    for page in pages:
        lines: list[tuple[Glyph, ...]] = []
        strokes: list[Stroke] = []
        for placed in page.lines:
            baseline = grid.height_pt - placed.row * grid.row_pt
            glyphs: list[Glyph] = []
            for c in placed.line.cells:
                x0 = c.col * cell
                if c.ornament:
                    y = baseline + 0.25 * size
                    strokes.append(Stroke(((x0 + 0.22 * cell, y), (x0 + 0.78 * cell, y)), 0.08 * size))
                elif c.char != " ":
                    face = stack.face_for(c.char)
                    assert face is not None, "coverage is checked before effects"
                    advance = face.advances[ord(c.char)] * size / 1000.0
                    glyphs.append(Glyph(c.char, face.name, size, x0 + (cell - advance) / 2, baseline))
                if c.emphasis:
                    y = baseline - UNDERSCORE_DROP * size
                    strokes.append(Stroke(((x0 + 0.5, y), (x0 + cell - 0.5, y)), 0.6))
            if glyphs:
                lines.append(tuple(glyphs))
        sheets.append(Sheet(grid.width_pt, grid.height_pt, tuple(lines), tuple(strokes)))
    return sheets
