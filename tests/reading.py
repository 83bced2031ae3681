"""A handout as a reader holds it, to each handout page's words from pypdf, pdftotext and pdfium,
and recall: how many of the words wanted come back in order (a longest common subsequence)."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from typing import Any, Sequence

EXTRACTORS = ("pypdf", "pdftotext", "pdfium")
_PLACED = re.compile(rb"/P(\d+) Do")  # a handout page drawn on its side: its form's box is in the side's space


def as_held(pdf: Path) -> bytes:
    """The handout with every side as a reader holds it: the printer's /Rotate undone (the
    content of a side is upright; only /Rotate turns it for the printer)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, NumberObject

    writer = PdfWriter(clone_from=PdfReader(pdf))
    for page in writer.pages:
        page[NameObject("/Rotate")] = NumberObject(0)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def handout_page_words(pdf: Path, work: Path, area: bool = False) -> dict[str, dict[int, list[str]]]:
    """Each extractor's words of each handout page (by its number), each page read alone where
    it lies on its sheet, as held: a copy of its side with only that page drawn. With area,
    also "pdftotext-area": pdftotext reading the page's box of the whole side (-x -y -W -H),
    poppler's other way of reading part of a page, which orders some lines differently."""
    import pypdfium2 as pdfium
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    held = work / f"{pdf.stem}-held.pdf"
    held.write_bytes(as_held(pdf))
    reader = PdfReader(held)
    out: dict[str, dict[int, list[str]]] = {name: {} for name in EXTRACTORS + (("pdftotext-area",) if area else ())}
    alone = PdfWriter()
    numbers: list[int] = []
    for index, side in enumerate(reader.pages):
        height = float(side.mediabox.height)
        data = side.get_contents().get_data()
        forms = side["/Resources"]["/XObject"]
        for match in _PLACED.finditer(data):
            number = int(match[1])
            if area:
                left, bottom, right, top = (float(v) for v in forms[f"/P{number}"].get_object()["/BBox"])
                out["pdftotext-area"][number] = subprocess.run(
                    ["pdftotext", "-enc", "UTF-8", "-f", str(index + 1), "-l", str(index + 1),
                     "-x", str(int(left)), "-y", str(int(height - top)), "-W", str(int(right - left) + 1),
                     "-H", str(int(top - bottom) + 1), str(held), "-"],
                    capture_output=True, text=True, check=True).stdout.split()
            page = alone.add_blank_page(float(side.mediabox.width), height)
            content = DecodedStreamObject()
            content.set_data(match[0])
            page[NameObject("/Resources")] = side["/Resources"].clone(alone)
            page[NameObject("/Contents")] = alone._add_object(content)
            numbers.append(number)
    pages = work / f"{pdf.stem}-alone.pdf"
    with open(pages, "wb") as stream:
        alone.write(stream)
    texts = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pages), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    document = pdfium.PdfDocument(str(pages))
    try:
        for n, (number, page) in enumerate(zip(numbers, PdfReader(pages).pages)):
            out["pypdf"][number] = page.extract_text().split()
            out["pdftotext"][number] = texts[n].split()
            out["pdfium"][number] = document[n].get_textpage().get_text_range().split()
    finally:
        document.close()
    return out


def handout_words(pdf: Path, work: Path, area: bool = False) -> dict[str, list[str]]:
    """Each extractor's words of the whole handout, its pages in order as a reader turns them."""
    pages = handout_page_words(pdf, work, area)
    return {name: [w for n in sorted(by_page) for w in by_page[n]] for name, by_page in pages.items()}


def read_words(parts: Sequence[Any], chrome: bool = True) -> list[str]:
    """The words a reader should get from the typed pages: each line as read (spaced letters as
    words, a table row's cells one space apart), in order down each page; without page numbers
    and continuation marks if chrome is False."""
    words: list[str] = []
    for part in parts:
        for page in part.pages:
            for placed in sorted(page.lines, key=lambda p: p.row):
                line = placed.line
                if not chrome and line.role in ("folio", "continuation"):
                    continue
                words.extend((line.actual or line.searchable_text).split())
    return words


def as_typed(words: list[str]) -> list[str]:
    """Words with every character a typist could not strike as the keys struck instead (a
    curly quote as a straight one), so that a reading of ActualText compares with the keys."""
    from facsimile.layout.keyboard import typed

    return "".join(typed(ch) for ch in " ".join(words)).split()


def in_order(want: list[str], got: list[str]) -> int:
    """How many of the words wanted come back in order among those got: the length of the
    longest common subsequence (Hunt-Szymanski: fast where words recur little)."""
    import bisect

    where: dict[str, list[int]] = {}
    for index, word in enumerate(got):
        where.setdefault(word, []).append(index)
    ends: list[int] = []  # ends[k]: the smallest position in got that ends a run of k + 1
    for word in want:
        for position in reversed(where.get(word, ())):
            k = bisect.bisect_left(ends, position)
            if k == len(ends):
                ends.append(position)
            else:
                ends[k] = position
    return len(ends)


def recall(want: list[str], got: list[str]) -> float:
    """The share of the words wanted that come back in order (1.0: every one)."""
    return in_order(want, got) / len(want) if want else 1.0
