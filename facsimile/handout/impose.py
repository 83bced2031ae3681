"""Handout pages to printed sheets with pypdf: booklet (saddle stitch), 2-up or one a side.

The order functions are pure and name pages from 1 (0 is a blank); imposition places each
page scaled to fit its slot, centred, with creep for thick booklets and the back sides
turned for printers that flip on the other edge.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any, Sequence

from ..errors import SourcePos, UsageError

POINTS_PER_MM = 72 / 25.4
SHEETS: dict[str, tuple[float, float]] = {  # portrait width, height in points
    "a4": (595.2756, 841.8898),
    "letter": (612.0, 792.0),
}
LAYOUTS = ("booklet", "2up", "single")
FLIPS = ("long", "short")


@dataclass(frozen=True)
class Side:
    """One side of a sheet: the pages in its slots, left to right (0 for a blank)."""

    sheet: int  # 1-based
    back: bool
    pages: tuple[int, ...]


def booklet_order(count: int) -> list[Side]:
    """Saddle-stitch order for count pages: padded with blanks at the end to a multiple of 4;
    sheet i's front holds pages (last - 2i, 2i + 1), its back (2i + 2, last - 2i - 1)."""
    total = 4 * max(1, math.ceil(count / 4))

    def page(n: int) -> int:
        return n if n <= count else 0

    sides: list[Side] = []
    for i in range(total // 4):
        sides.append(Side(i + 1, False, (page(total - 2 * i), page(2 * i + 1))))
        sides.append(Side(i + 1, True, (page(2 * i + 2), page(total - 2 * i - 1))))
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


def order(layout: str, count: int) -> list[Side]:
    return {"booklet": booklet_order, "2up": two_up_order, "single": single_order}[layout](count)


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


def impose(pages: Sequence[Any], layout: str, sheet: str, flip: str, creep_mm: float,
           title: str = "") -> tuple[bytes, list[Side]]:
    """Place pages (pypdf page objects; None for a page left blank) on sheets in the layout's
    order, and write the sheets as a PDF."""
    from pypdf import PdfWriter, Transformation

    sides = order(layout, len(pages))
    width, height = sheet_size(layout, sheet)
    slots = len(sides[0].pages)
    slot_width = width / slots
    readers = list(pages)
    sheets = max(side.sheet for side in sides)
    writer = PdfWriter()
    for side in sides:
        target = writer.add_blank_page(width, height)
        for slot, number in enumerate(side.pages):
            if number == 0:
                continue
            page = readers[number - 1]
            if page is None:
                continue
            w, h = float(page.mediabox.width), float(page.mediabox.height)
            scale = min(slot_width / w, height / h)
            spare = (slot_width - w * scale) / 2
            shift = 0.0
            if layout == "booklet" and creep_mm and sheets > 1:
                shift = creep_mm * POINTS_PER_MM * (side.sheet - 1) / (sheets - 1)
                if shift > spare + 1e-6:
                    raise UsageError.at(SourcePos("--creep"), f"a creep of {creep_mm:g} mm pushes page "
                                        f"{number} off its half of the sheet: its page leaves "
                                        f"{spare / POINTS_PER_MM:.1f} mm to spare; use --creep "
                                        f"{math.floor(spare / POINTS_PER_MM * 10) / 10:g} or less")
                shift *= -1 if slot == 0 else 1  # outwards: away from the fold
            x = slot * slot_width + spare + shift
            y = (height - h * scale) / 2
            move = Transformation().translate(-float(page.mediabox.left), -float(page.mediabox.bottom))
            move = move.scale(scale).translate(x, y)
            if side.back and turns_back(layout, flip):
                move = move.transform(Transformation((-1, 0, 0, -1, width, height)))  # a half turn
            target.merge_transformed_page(page, move)
        target.compress_content_streams()
    writer.add_metadata({"/Title": title, "/Creator": "facsimile", "/Producer": "facsimile (reportlab, pypdf)"})
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), sides
