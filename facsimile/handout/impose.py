"""Handout page sizes to sheet plans: which page goes in which slot of which side, by what matrix.

Pure geometry, no PDF library: the order functions name pages from 1 (0 is a blank); a
booklet is cut into signatures, each folded and nested on its own; every page is fitted
inside the sheet less an 8 mm margin at each edge, moved towards the fold by the creep of
its sheet, and the back sides that a printer turns are marked to be turned by /Rotate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from ..errors import SourcePos, UsageError

POINTS_PER_MM = 72 / 25.4
SHEETS: dict[str, tuple[float, float]] = {  # portrait width, height in points
    "a4": (595.2756, 841.8898),
    "letter": (612.0, 792.0),
}
LAYOUTS = ("booklet", "2up", "single")
FLIPS = ("long", "short")
EDGE_MM = 8.0  # nothing is printed nearer a sheet's edge: many home printers cannot print there
GUTTER_MM = 3.0  # the least room between a page and the fold (or the cut) of a two-page side
PAPER_THICKNESS_MM = 0.1  # 80 g/m2 office paper
STAPLE_MM = 2.0  # the stack a long-arm stapler closes through the fold: 20 sheets of 80 g/m2
ONE_SIGNATURE_SHEETS = 12  # a booklet up to this many sheets folds flat as one
SIGNATURE_SHEETS = 8  # a larger one folds in signatures of this many sheets (32 pages)
MARK_MM = 5.0  # the length of a fold mark; a collating mark is this tall
COLLATING_WIDTH_MM = 2.0


@dataclass(frozen=True)
class Side:
    """One side of a sheet: the pages in its slots, left to right (0 for a blank)."""

    sheet: int  # 1-based, through the whole handout
    back: bool
    pages: tuple[int, ...]
    signature: int = 1  # 1-based
    depth: int = 0  # the sheet's place in its signature: 0 is the outermost


@dataclass(frozen=True)
class Placement:
    """A page drawn on a side: scaled by scale, its lower left corner at (x, y) points."""

    page: int  # 1-based handout page
    scale: float
    x: float
    y: float


@dataclass(frozen=True)
class Mark:
    """A filled rectangle in sheet points: a fold mark or a signature's collating mark."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class SidePlan:
    """A sheet side as it is written: size, the turn for the printer, pages and marks."""

    side: Side
    width: float
    height: float
    rotate: int  # 0 or 180: /Rotate, so that the content (and its text) is never turned
    placements: tuple[Placement, ...]
    marks: tuple[Mark, ...]


def signature_sizes(sheets: int, per_signature: int | None) -> list[int]:
    """Sheets in each signature: one for a thin booklet, else SIGNATURE_SHEETS each (or as
    asked), the last holding what is left."""
    size = per_signature or (sheets if sheets <= ONE_SIGNATURE_SHEETS else SIGNATURE_SHEETS)
    full, rest = divmod(sheets, size)
    return [size] * full + ([rest] if rest else [])


def booklet_order(count: int, per_signature: int | None = None) -> list[Side]:
    """Saddle-stitch order for count pages, padded with blanks at the end to a multiple of 4,
    in signatures: in a signature of pages first..last, its sheet i's front holds
    (last - 2i, first + 2i), its back (first + 2i + 1, last - 2i - 1)."""
    total = 4 * max(1, math.ceil(count / 4))

    def page(n: int) -> int:
        return n if n <= count else 0

    sides: list[Side] = []
    first, sheet = 1, 1
    for number, size in enumerate(signature_sizes(total // 4, per_signature), start=1):
        last = first + 4 * size - 1
        for i in range(size):
            sides.append(Side(sheet, False, (page(last - 2 * i), page(first + 2 * i)), number, i))
            sides.append(Side(sheet, True, (page(first + 2 * i + 1), page(last - 2 * i - 1)), number, i))
            sheet += 1
        first = last + 1
    return sides


def two_up_order(count: int) -> list[Side]:
    """Two pages a side in reading order, printed double-sided: sheet 1 holds 1-2 and 3-4."""
    sides: list[Side] = []
    for index in range(math.ceil(count / 2)):
        first = 2 * index + 1
        sides.append(Side(index // 2 + 1, index % 2 == 1,
                          (first, first + 1 if first + 1 <= count else 0)))
    return sides


def single_order(count: int) -> list[Side]:
    """One page a side, printed double-sided."""
    return [Side(n // 2 + 1, n % 2 == 1, (n + 1,)) for n in range(count)]


def order(layout: str, count: int, per_signature: int | None = None) -> list[Side]:
    if layout == "booklet":
        return booklet_order(count, per_signature)
    return {"2up": two_up_order, "single": single_order}[layout](count)


def folded(sides: Sequence[Side]) -> list[int]:
    """The pages in the order a reader meets them once each signature of a booklet is folded
    and the signatures stacked: the outer sheet's front right, its back left, and so on in,
    then out again through the back rights and front lefts (0 for a blank)."""
    pages: list[int] = []
    for number in sorted({s.signature for s in sides}):
        sheets = sorted({s.sheet for s in sides if s.signature == number})
        front = {s.sheet: s.pages for s in sides if s.signature == number and not s.back}
        back = {s.sheet: s.pages for s in sides if s.signature == number and s.back}
        for sheet in sheets:
            pages += [front[sheet][1], back[sheet][0]]
        for sheet in reversed(sheets):
            pages += [back[sheet][1], front[sheet][0]]
    return pages


def page_size(layout: str, sheet: str) -> tuple[float, float]:
    """The size a handout page is made for: half the sheet (booklet, 2-up) or the sheet."""
    width, height = SHEETS[sheet]
    return (height / 2, width) if layout in ("booklet", "2up") else (width, height)


def sheet_size(layout: str, sheet: str) -> tuple[float, float]:
    """Landscape for two pages a side, portrait for one."""
    width, height = SHEETS[sheet]
    return (height, width) if layout in ("booklet", "2up") else (width, height)


def turns_back(layout: str, flip: str) -> bool:
    """Whether back sides are turned 180 degrees: a landscape sheet of two pages reads right
    when the printer flips on the short edge, a portrait sheet on the long edge."""
    landscape = layout in ("booklet", "2up")
    return (flip == "long") if landscape else (flip == "short")


def creep_of(depth: int, deepest: int, thickness_mm: float, creep_mm: float | None) -> float:
    """How far (mm) the pages of a sheet move towards the fold: a sheet's fore-edge stands
    out beyond the sheet outside it by about one paper thickness, so by depth x thickness;
    or, with an explicit creep for the innermost sheet, that share of it."""
    if creep_mm is not None:
        return creep_mm * depth / deepest if deepest else 0.0
    return depth * thickness_mm


def plan(sizes: Sequence[tuple[float, float] | None], layout: str, sheet: str, flip: str,
         per_signature: int | None = None, thickness_mm: float = PAPER_THICKNESS_MM,
         creep_mm: float | None = None) -> list[SidePlan]:
    """Where each page (of these sizes, in points; None for a page left blank) goes on which
    side of which sheet."""
    sides = order(layout, len(sizes), per_signature)
    width, height = sheet_size(layout, sheet)
    slots = len(sides[0].pages)
    slot_width = width / slots
    edge = EDGE_MM * POINTS_PER_MM
    deepest = {s.signature: s.depth for s in sides}
    most = max((creep_of(s.depth, deepest[s.signature], thickness_mm, creep_mm) for s in sides),
               default=0.0) if layout == "booklet" else 0.0
    gutter = (GUTTER_MM + most) * POINTS_PER_MM if slots == 2 else edge
    room = slot_width - edge - gutter
    if room < slot_width / 2:
        limit = (slot_width / 2 - edge) / POINTS_PER_MM - GUTTER_MM
        raise UsageError.at(SourcePos("--creep"), f"a creep of {most:g} mm leaves the pages too "
                            f"little of their half of the sheet: use a creep of {limit:.0f} mm or "
                            "less, or smaller signatures (--signature)")
    turned = turns_back(layout, flip)
    plans: list[SidePlan] = []
    for side in sides:
        placements: list[Placement] = []
        for slot, number in enumerate(side.pages):
            size = sizes[number - 1] if number else None
            if size is None:
                continue
            w, h = size
            scale = min(room / w, (height - 2 * edge) / h)
            # the box a page may take: the slot less the edge margin and the gutter
            if slots == 1:
                left = edge
            else:
                left = edge if slot == 0 else slot_width + gutter
            x = left + (room - w * scale) / 2
            if layout == "booklet":
                shift = creep_of(side.depth, deepest[side.signature], thickness_mm, creep_mm) * POINTS_PER_MM
                x += shift if slot == 0 else -shift  # towards the fold
            placements.append(Placement(number, scale, x, (height - h * scale) / 2))
        marks = fold_marks(side, width, height, len(deepest)) if layout == "booklet" else ()
        plans.append(SidePlan(side, width, height, 180 if side.back and turned else 0,
                              tuple(placements), marks))
    return plans


def fold_marks(side: Side, width: float, height: float, signatures: int) -> tuple[Mark, ...]:
    """On the outside of each sheet, short rules at the ends of the fold; on the outermost
    sheet of each signature, a collating mark on the spine, one step lower per signature,
    so that gathered signatures show a staircase and one out of order stands out."""
    if side.back:
        return ()
    edge, length = EDGE_MM * POINTS_PER_MM, MARK_MM * POINTS_PER_MM
    hair = 0.5
    marks = [Mark(width / 2 - hair / 2, edge, hair, length),
             Mark(width / 2 - hair / 2, height - edge - length, hair, length)]
    if side.depth == 0 and signatures > 1:
        bar = COLLATING_WIDTH_MM * POINTS_PER_MM
        steps = max(1, int((height - 2 * edge - 4 * length) // length))
        top = height - edge - 2 * length - ((side.signature - 1) % steps) * length
        marks.append(Mark(width / 2 - bar / 2, top - length, bar, length))
    return tuple(marks)


def staple_sheets(thickness_mm: float) -> int:
    """The sheets one staple closes through the fold, for paper of this thickness."""
    return max(1, int(STAPLE_MM / thickness_mm + 1e-9))


def staple_warning(signatures: Sequence[int], thickness_mm: float) -> str:
    """A warning if a signature is thicker than one staple closes through the fold, else ""."""
    most = staple_sheets(thickness_mm)
    if not signatures or max(signatures) <= most:
        return ""
    return (f"a signature of {max(signatures)} sheets is more than one staple closes through the "
            f"fold (about {most} sheets of {thickness_mm:g} mm paper): use --signature {most} or "
            "fewer, and sew or glue the signatures together")
