"""A document to handout pages: the parts, notes and corrections, with margin numbers.

The reading edition is set anew for reading: the clean look on the handout's page, larger
type on request, the paragraph numbers in the left margin beside each paragraph's first
line, line numbers every five lines if asked, and a wide right margin for notes. Both
editions share the cover and the paragraph numbers, so a group shares one reference.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..layout.typeset import TypesetPart, charset, check_coverage, typeset
from ..source.corrections import Applied
from ..draw import part_sheets
from ..look.effects import type_size
from ..errors import SourcePos
from ..fonts import FaceStack
from ..layout.grid import Page
from ..model import Block, Document, Part, PartSpec, Run
from ..source.notes import Note, Paragraph
from ..layout.paper import Grid, Margins, make_grid
from ..pdf.render import render_pdf
from ..look.sheet import Glyph

# The words the handout adds around the texts: labels, not words of the texts.
LABELS = {"notes": "Notes", "corrections": "Corrections",
          "corrected": "corrected to", "places": "places"}
HALF_SHEET = Margins(left=0.7, right=1.1, top=0.6, bottom=0.7)
FULL_SHEET = Margins(left=1.0, right=2.0, top=0.8, bottom=0.9)
NUMBER_SIZE = 1.0  # margin numbers, as a share of the type size: smaller ones read as a column
NUMBER_INK = 0.55


@dataclass(frozen=True)
class Edition:
    """What the handout's pages are set with."""

    name: str  # facsimile or reading
    paper: str  # the handout page: a5, half-letter, a4, letter
    large_type: bool = False
    line_numbers: bool = False


def reading_grid(edition: Edition) -> Grid:
    margins = HALF_SHEET if edition.paper in ("a5", "half-letter") else FULL_SHEET
    return make_grid(edition.paper, "pica" if edition.large_type else "elite", "single", margins)


def reading_document(doc: Document) -> Document:
    """The document as the reading edition sets it: clean, without typist's folios."""
    layout = replace(doc.layout, look="clean", folios=False, continuation="none", paper_tone=False,
                     letterhead="plain")
    return replace(doc, layout=layout)


def _part(pid: str, title: str, blocks: list[Block]) -> Part:
    return Part(PartSpec(pid, "", "document", title, "", SourcePos("handout")), tuple(blocks))


def _lines(kind: str, texts: list[str], pos: SourcePos, emphasis: bool = False) -> Block:
    return Block(kind, tuple((Run(t, pos, emphasis),) for t in texts), pos)


def appendices(notes: list[Note], corrections: tuple[Applied, ...], paragraphs: list[Paragraph]) -> list[Part]:
    """The notes, keyed to paragraphs, and the corrections made, each where it stands."""
    parts: list[Part] = []
    if notes:
        blocks = [_lines("heading", [LABELS["notes"]], notes[0].pos, True)]
        for note in notes:
            blocks.append(Block("block", ((Run(f"[{note.paragraph}] ", note.pos),
                                           Run(note.term, note.pos, True),
                                           Run(": " + note.text, note.pos)),), note.pos))
        parts.append(_part("notes", LABELS["notes"], blocks))
    if corrections:
        pos = corrections[0].correction.pos
        blocks = [_lines("heading", [LABELS["corrections"]], pos, True)]
        for applied in corrections:
            c = applied.correction
            where = next((f"[{p.number}] " for p in paragraphs
                          if p.part == c.part and c.corrected in p.text), f"[{c.part}] ")
            blocks.append(Block("block", ((Run(where, c.pos), Run(c.received, c.pos, True),
                                           Run(f" {LABELS['corrected']} ", c.pos), Run(c.corrected, c.pos, True),
                                           Run(f": {c.reason}", c.pos))
                                          + ((Run(f" ({applied.count} {LABELS['places']})", c.pos),)
                                             if applied.count > 1 else ()),), c.pos))
        parts.append(_part("corrections", LABELS["corrections"], blocks))
    return parts


def typeset_reading(doc: Document, extra: list[Part], grid: Grid, stack: FaceStack) -> list[TypesetPart]:
    """Typeset the document's parts (numbered) and extra unnumbered parts on the reading grid."""
    numbered = typeset(doc, grid)
    others = typeset(replace(doc, parts=tuple(extra)), grid) if extra else []
    for part in numbered + others:
        check_coverage([part], stack, SourcePos("handout"))
    return numbered + others


def margin_glyphs(page: Page, grid: Grid, stack: FaceStack, folio: int | None, paragraphs: bool,
                  line_numbers: bool, size: float, gap: float = 1.0) -> list[tuple[Glyph, ...]]:
    """Paragraph numbers beside first lines, gap cells left of the margin (one cell keeps them
    in the line's reading order for poppler; a facsimile page needs room for the duplicator's
    skew), line numbers every five lines, and the page number."""
    small = size * NUMBER_SIZE
    cell = grid.cell_pt
    out: list[tuple[Glyph, ...]] = []

    def text(value: str, right_x: float | None, centre_x: float | None, y: float) -> None:
        glyphs = []
        width = small * 0.6
        x = (right_x - width * len(value)) if right_x is not None else (centre_x or 0) - width * len(value) / 2
        for ch in value:
            face = stack.face_for(ch)
            if face is not None:
                glyphs.append(Glyph(ch, face.name, small, x, y, NUMBER_INK, 0.0))
            x += width
        out.append(tuple(glyphs))

    body = 0
    for placed in sorted(page.lines, key=lambda p: p.row):
        y = grid.height_pt - placed.row * grid.row_pt
        if paragraphs and placed.line.paragraph:
            text(str(placed.line.paragraph), (grid.left - gap) * cell, None, y)
        if placed.line.role in ("body", "close", "signature", "date", "imprint") and placed.line.cells:
            body += 1
            if line_numbers and body % 5 == 0:
                text(str(body), (grid.right + 4) * cell, None, y)
    if folio is not None:
        text(str(folio), None, grid.width_pt / 2, grid.row_pt * 4)
    return [line for line in out if line]


def shared_charset(parts: list[TypesetPart], stack: FaceStack) -> dict[str, str]:
    """Every character of every page of the handout, and the digits of its margin numbers:
    one subset for all its PDFs, so that imposition keeps one copy of each face."""
    chars = charset(parts, stack)
    digits = stack.face_for("0")
    assert digits is not None
    chars[digits.name] = "".join(sorted(set(chars.get(digits.name, "")) | set("0123456789")))
    return chars


def render_pages(parts: list[TypesetPart], grid: Grid, stack: FaceStack, doc: Document, first_folio: int,
                 numbers: bool, line_numbers: bool, chars: dict[str, str], look: str = "clean",
                 gap: float = 1.0) -> list[bytes]:
    """One PDF per typeset part: its pages struck in the look, with the margin numbers and
    the handout's page numbers (from first_folio; none on page 1)."""
    size = type_size(grid)
    pdfs: list[bytes] = []
    folio = first_folio
    for part in parts:
        decorated = []
        for page, sheet in zip(part.pages, part_sheets(list(part.pages), part.machine, part.id, doc, grid,
                                                       stack, look)):
            extra = margin_glyphs(page, grid, stack, folio if folio > 1 else None, numbers, line_numbers,
                                  size, gap)
            decorated.append(replace(sheet, lines=sheet.lines + tuple(extra)))
            folio += 1
        pdfs.append(render_pdf(decorated, stack, chars, part.title))
    return pdfs
