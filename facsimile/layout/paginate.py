"""A part's flow of typed lines to pages: fill what fits, break where the keeps allow, number."""

from __future__ import annotations

from .grid import Cell, FlowLine, Page, PlacedLine, TypedLine
from ..model import Layout
from .paper import Grid

FOLIO_LINES_ABOVE = 3  # the page number stands three lines above the first line of the body
CONTINUATION_LINES_BELOW = 2  # the continuation mark stands two lines below the last row


def paginate(flow: list[FlowLine], grid: Grid, layout: Layout) -> list[Page]:
    """Set the flow on pages; number them from page 2 ('- 2 -') and mark continued pages."""
    body = [f for f in flow if not f.foot]
    foot = [f for f in flow if f.foot]
    pages: list[list[PlacedLine]] = []
    i = 0
    while i < len(body):
        placed, end = _fill(body, i, grid)
        if end < len(body):
            k = end
            while k > i and body[k].keep:
                k -= 1
            if k > i:  # break where the keeps allow; otherwise where the page is full
                placed, end = placed[: k - i], k
        pages.append(placed)
        i = end
    _lower(pages, [f.line for f in body if f.lower], grid, foot)
    if foot:
        _set_foot(pages, foot, grid)
    if not pages:
        pages.append([])
    result: list[Page] = []
    for number, lines in enumerate(pages, start=1):
        extra: list[PlacedLine] = []
        if number > 1 and layout.folios:
            extra.append(PlacedLine(grid.top - FOLIO_LINES_ABOVE * 2, _folio(number, grid)))
        if number < len(pages):
            mark = _continuation(pages[number], layout)
            if mark:
                cells = _ranged_right(mark, grid, "continuation")
                extra.append(PlacedLine(grid.bottom + CONTINUATION_LINES_BELOW * 2, cells))
        result.append(Page(number, tuple(extra[:1] + lines + extra[1:]) if number > 1
                           else tuple(lines + extra)))
    return result


def _fill(body: list[FlowLine], start: int, grid: Grid) -> tuple[list[PlacedLine], int]:
    """Place lines from start while they fit above the bottom margin."""
    placed: list[PlacedLine] = []
    row = grid.top
    j = start
    while j < len(body):
        if j > start:
            row += grid.line_step * (1 + body[j].gap)
        if row > grid.bottom:
            break
        placed.append(PlacedLine(row, body[j].line))
        j += 1
    if j == start:  # nothing fits: cannot happen with a positive page height, but never loop
        placed.append(PlacedLine(grid.top, body[start].line))
        j += 1
    return placed, j


def _lower(pages: list[list[PlacedLine]], lowered: list[TypedLine], grid: Grid, foot: list[FlowLine]) -> None:
    """On whatever page it falls, move a line asked to go lower (and all after it on that page)
    down by half the room left under the page's last line, in whole lines, as a typist spaced
    a short letter's close and signature down the sheet. On the last page the room keeps the
    foot (an imprint) clear; a page filled to its foot has no room, and nothing moves."""
    for line in lowered:
        for number, page in enumerate(pages):
            at = next((n for n, placed in enumerate(page) if placed.line is line), None)
            if at is None:
                continue
            bottom = grid.bottom
            if foot and number == len(pages) - 1:  # the foot's lines, and a gap above them
                bottom -= grid.line_step * (len(foot) + max(1, foot[0].gap) + sum(f.gap for f in foot[1:]))
            room = bottom - page[-1].row
            shift = (room // 2) // grid.line_step * grid.line_step
            if shift > 0:
                page[at:] = [PlacedLine(placed.row + shift, placed.line) for placed in page[at:]]
            break


def _set_foot(pages: list[list[PlacedLine]], foot: list[FlowLine], grid: Grid) -> None:
    """Set the foot lines (an imprint) at the bottom of the last page, or of a new one."""
    height = grid.line_step * (len(foot) - 1 + sum(f.gap for f in foot[1:]))
    first_row = grid.bottom - height
    gap = max(1, foot[0].gap)
    if not pages or (pages[-1] and pages[-1][-1].row + grid.line_step * (1 + gap) > first_row):
        pages.append([])
    row = first_row
    for n, item in enumerate(foot):
        if n:
            row += grid.line_step * (1 + item.gap)
        pages[-1].append(PlacedLine(row, item.line))


def _continuation(next_page: list[PlacedLine], layout: Layout) -> str:
    if layout.continuation == "mark":
        return layout.continuation_mark
    if layout.continuation == "catchword":
        for placed in next_page:
            words = placed.line.text.split()
            if words:
                return words[0]
    return ""


def _folio(number: int, grid: Grid) -> TypedLine:
    """'- 2 -', centred; the dashes are ornaments, so that a search finds the bare number
    (poppler would take a dash at the end of a line for a hyphenation and drop it)."""
    text = f"- {number} -"
    start = grid.centre - len(text) // 2
    return TypedLine(tuple(Cell(start + i, ch, ornament=ch == "-") for i, ch in enumerate(text)
                           if ch != " "), "folio")


def _ranged_right(text: str, grid: Grid, role: str) -> TypedLine:
    start = grid.right - len(text)
    return TypedLine(tuple(Cell(start + i, ch) for i, ch in enumerate(text) if ch != " "), role)
