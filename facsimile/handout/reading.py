"""A document to handout pages: the parts, notes and corrections, with margin numbers.

The reading edition is set anew for reading: the clean look on the handout's page, larger
type on request, the paragraph numbers in the left margin beside each paragraph's first
line, line numbers every five lines if asked, and a wide right margin for notes. Both
editions share the cover and the paragraph numbers, so a group shares one reference.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, NamedTuple

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
from ..pdf.render import assemble, font_codes, tagged_operators
from ..pdf.tags import Mark, lettering_tags, line_tags
from ..look.sheet import Glyph, Sheet
from .cover import editorial

# The words the handout adds around the texts: labels, not words of the texts.
LABELS = {"contents": "Contents", "source": "Source", "notes": "Notes", "corrections": "Corrections",
          "paragraph": "paragraph", "corrected": "corrected to", "places": "places",
          "changed": "changed", "to": "to",
          "smaller": "[set smaller to keep its lines as typed]"}
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
    grid = make_grid(edition.paper, "pica" if edition.large_type else "elite", "single", margins)
    return replace(grid, reflow=LABELS["smaller"])  # every block reflows; none stops the edition


def reading_document(doc: Document) -> Document:
    """The document as the reading edition sets it: clean, without typist's folios, one space
    between sentences (a typist's two read to poppler as a gap between columns)."""
    layout = replace(doc.layout, look="clean", folios=False, continuation="none", paper_tone=False,
                     letterhead="plain", sentence_space=1)
    return replace(doc, layout=layout)


def _part(pid: str, title: str, blocks: list[Block]) -> Part:
    return Part(PartSpec(pid, "", "document", title, "", SourcePos("handout")), tuple(blocks))


def _lines(kind: str, texts: list[str], pos: SourcePos, emphasis: bool = False) -> Block:
    return Block(kind, tuple((Run(t, pos, emphasis),) for t in texts), pos)


def note_marker(number: int) -> str:
    """The mark typed after a noted term, and before its note: [3]."""
    return f"[{number}]"


def mark_notes(doc: Document, notes: list[Note]) -> Document:
    """The document with each noted term marked with its note's number, after its first
    occurrence in the paragraph the note is keyed to."""
    by_paragraph: dict[int, list[tuple[int, Note]]] = {}
    for number, note in enumerate(notes, start=1):
        by_paragraph.setdefault(note.paragraph, []).append((number, note))
    count = 0
    parts = []
    for part in doc.parts:
        blocks = []
        for block in part.blocks:
            if block.kind == "paragraph":
                count += 1
                for number, note in by_paragraph.get(count, []):
                    block = _marked(block, note.term, note_marker(number), note.pos)
            blocks.append(block)
        parts.append(replace(part, blocks=tuple(blocks)))
    return replace(doc, parts=tuple(parts))


def _marked(block: Block, term: str, marker: str, pos: SourcePos) -> Block:
    """The block with marker typed right after the first occurrence of term (its lines are
    joined by a space, as the paragraph is numbered and searched)."""
    spans: list[tuple[int, int, int, int]] = []  # start in the joined text, line, run, run length
    offset = 0
    for li, line in enumerate(block.lines):
        for ri, run in enumerate(line):
            spans.append((offset, li, ri, len(run.text)))
            offset += len(run.text)
        offset += 1  # the space that joins the lines
    text = " ".join("".join(r.text for r in line) for line in block.lines)
    found = text.casefold().find(term.casefold())
    if found < 0:
        return block
    end = found + len(term)
    for start, li, ri, length in spans:
        if start < end <= start + length:
            run = block.lines[li][ri]
            cut = end - start
            pieces = (Run(run.text[:cut], run.pos, run.emphasis), Run(marker, pos),
                      Run(run.text[cut:], run.pos._replace(col=run.pos.col + cut), run.emphasis))
            line = block.lines[li][:ri] + tuple(p for p in pieces if p.text) + block.lines[li][ri + 1:]
            return replace(block, lines=block.lines[:li] + (line,) + block.lines[li + 1:])
    return block


def changed_span(received: str, corrected: str) -> tuple[int, int, int]:
    """Where two texts differ: the common prefix's length and the lengths of the differing
    middles of received and corrected."""
    head = 0
    while head < min(len(received), len(corrected)) and received[head] == corrected[head]:
        head += 1
    tail = 0
    while (tail < min(len(received), len(corrected)) - head
           and received[-1 - tail] == corrected[-1 - tail]):
        tail += 1
    return head, len(received) - head - tail, len(corrected) - head - tail


def named(text: str) -> str:
    """Characters as a reader can tell them apart: letters and digits as they are, any
    other character by its Unicode name (quotation marks look alike in typewriter type)."""
    if text and all(ch.isalnum() or ch == " " for ch in text):
        return text
    import unicodedata

    return ", ".join(unicodedata.name(ch, f"U+{ord(ch):04X}").lower() if not ch.isalnum() else ch
                     for ch in text) or "nothing"


def _emphasised(text: str, head: int, length: int, pos: SourcePos) -> tuple[Run, ...]:
    """The text with the characters from head, length long, underscored."""
    runs = (Run(text[:head], pos), Run(text[head:head + length], pos, True), Run(text[head + length:], pos))
    return tuple(run for run in runs if run.text)


def appendices(notes: list[Note], corrections: tuple[Applied, ...], paragraphs: list[Paragraph],
               titles: dict[str, str] | None = None) -> list[Part]:
    """The notes, numbered as their marks in the text and keyed to paragraphs, and the
    corrections made, each where it stands, with exactly the characters that changed."""
    parts: list[Part] = []
    if notes:
        blocks = [_lines("heading", [LABELS["notes"]], notes[0].pos, True)]
        for number, note in enumerate(notes, start=1):
            blocks.append(Block("block", ((Run(f"{note_marker(number)} ", note.pos),
                                           Run(note.term, note.pos, True),
                                           Run(f" ({LABELS['paragraph']} {note.paragraph}): " + note.text,
                                               note.pos)),), note.pos))
        parts.append(_part("handout-notes", LABELS["notes"], blocks))
    if corrections:
        pos = corrections[0].correction.pos
        blocks = [_lines("heading", [LABELS["corrections"]], pos, True)]
        for applied in corrections:
            c = applied.correction
            where = next((f"[{p.number}] " for p in paragraphs
                          if p.part == c.part and c.corrected in p.text),
                         f"[{(titles or {}).get(c.part, c.part)}] ")
            head, old, new = changed_span(c.received, c.corrected)
            change = (f" ({LABELS['changed']}: {named(c.received[head:head + old])} {LABELS['to']} "
                      f"{named(c.corrected[head:head + new])})")
            runs = ((Run(where, c.pos),) + _emphasised(c.received, head, old, c.pos)
                    + (Run(f" {LABELS['corrected']} ", c.pos),) + _emphasised(c.corrected, head, new, c.pos)
                    + (Run(change + f": {c.reason}", c.pos),)
                    + ((Run(f" ({applied.count} {LABELS['places']})", c.pos),) if applied.count > 1 else ()))
            blocks.append(Block("block", (runs,), c.pos))
        parts.append(_part("handout-corrections", LABELS["corrections"], blocks))
    return parts


def typeset_reading(doc: Document, extra: list[Part], grid: Grid, stack: FaceStack,
                    on_typeset: Callable[[str, int, int], object] | None = None) -> list[TypesetPart]:
    """Typeset the document's parts (numbered) and extra unnumbered parts on the reading grid
    (editorial text: no emphasis by the capitals rule); on_typeset hears each numbered part."""
    numbered = typeset(doc, grid, on_typeset)
    others = typeset(replace(editorial(doc), parts=tuple(extra)), grid) if extra else []
    for part in numbered + others:
        check_coverage([part], stack, SourcePos("handout"))
    return numbered + others


def margin_glyphs(page: Page, grid: Grid, stack: FaceStack, folio: int | None, paragraphs: bool,
                  line_numbers: bool, size: float, gap: float = 1.0, shift: float = 0.0
                  ) -> list[tuple[Glyph, ...]]:
    """Paragraph numbers beside first lines, gap cells left of the margin (one cell keeps them
    in the line's reading order for poppler; a facsimile page needs room for the duplicator's
    skew), line numbers every five lines, and the page number; the numbers beside the text
    move with it by shift points, the page number stays centred."""
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
            text(str(placed.line.paragraph), (grid.left - gap) * cell + shift, None, y)
        if placed.line.role in ("body", "close", "signature", "date", "imprint") and placed.line.cells:
            body += 1
            if line_numbers and body % 5 == 0:
                text(str(body), (grid.right + 4) * cell + shift, None, y)
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


def mirror_shift(grid: Grid, folio: int) -> float:
    """How far (points) a left-hand (even) page moves its text, so that the wide margin for
    readers' notes is on the outside of every page, never in the fold."""
    if folio % 2:
        return 0.0
    return (grid.width_pt - grid.right * grid.cell_pt) - grid.left * grid.cell_pt


def _shifted(sheet: Sheet, dx: float) -> Sheet:
    if not dx:
        return sheet
    return replace(sheet, lines=tuple(tuple(g._replace(x=g.x + dx) for g in line) for line in sheet.lines),
                   strokes=tuple(replace(s, points=tuple((x + dx, y) for x, y in s.points)) for s in sheet.strokes),
                   dots=tuple(replace(d, x=d.x + dx) for d in sheet.dots))


class Rendered(NamedTuple):
    """One PDF of handout pages, and the marked content of each of its pages (for the tree)."""

    pdf: bytes
    marks: tuple[tuple[Mark, ...], ...]


def render_pages(parts: list[TypesetPart], grid: Grid, stack: FaceStack, doc: Document, first_folio: int,
                 numbers: bool, line_numbers: bool, chars: dict[str, str], look: str = "clean",
                 gap: float = 1.0, mirror: bool = False,
                 substituted: dict[tuple[str, int, int], str] | None = None,
                 languages: dict[tuple[str, int, int], str] | None = None) -> list[Rendered]:
    """One PDF of the typeset parts' pages, struck in the look, with the margin numbers and
    the handout's page numbers (from first_folio; none on page 1); mirrored, the even pages'
    text moves so that the wide margin is on the outside. Its content is marked as the build
    marks it (the margin numbers and page numbers are artifacts); substituted: the places of
    the typist's substitutes, for ActualText (None: the typed keys, no ActualText); languages:
    the places of words in another language, for /Lang."""
    if not parts:
        return []
    size = type_size(grid)
    folio = first_folio
    codes = font_codes(stack, chars)
    drawn: list[tuple[float, float, str, list[Mark]]] = []
    for part in parts:
        for page, sheet in zip(part.pages, part_sheets(list(part.pages), part.machine, part.id, doc, grid,
                                                       stack, look)):
            shift = mirror_shift(grid, folio) if mirror else 0.0
            extra = margin_glyphs(page, grid, stack, folio if folio > 1 else None, numbers, line_numbers,
                                  size, gap, shift)
            sheet = _shifted(sheet, shift)
            decorated = replace(sheet, lines=sheet.lines + tuple(extra))
            tags = line_tags(page, decorated, substituted, languages) + lettering_tags(page, decorated)
            drawn.append((decorated.width, decorated.height, *tagged_operators(decorated, codes, tags)))
            folio += 1
    return [Rendered(assemble(drawn, stack, chars, parts[0].title), tuple(tuple(d[3]) for d in drawn))]
