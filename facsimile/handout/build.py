"""A document folder to out/<document>-handout.pdf: cover, pages and notes, imposed on sheets."""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..atomic import write_atomic
from ..build import prepare
from ..layout.typeset import TypesetPart, typeset
from .impose import impose, page_size
from ..source.notes import load_notes, paragraphs
from .reading import (Edition, appendices, cover, reading_document, reading_grid, render_pages,
                      shared_charset, typeset_reading)
from ..pdf.scanner import place_scan

HALF = {"a4": "a5", "letter": "half-letter"}


@dataclass(frozen=True)
class HandoutOptions:
    """How the handout is laid out and which edition it carries."""

    layout: str = "booklet"  # booklet, 2up, single
    sheet: str = "a4"  # a4 or letter
    flip: str = "long"  # the edge the printer turns the sheet on: long (most printers) or short
    creep: float = 0.0  # millimetres the innermost sheet's pages move outwards
    edition: str = "facsimile"  # facsimile or reading
    large_type: bool = False
    line_numbers: bool = False


@dataclass(frozen=True)
class HandoutReport:
    """What a handout build wrote."""

    document: str
    path: Path
    pages: int  # handout pages, blanks included
    sheets: int
    size: int
    seconds: float
    contents: tuple[tuple[str, int], ...]  # each part's title and first page


def _pages_of(pdfs: list[bytes]) -> list[Any]:
    """The pages of PDFs, to impose."""
    from pypdf import PdfReader

    return [page for pdf in pdfs for page in PdfReader(io.BytesIO(pdf)).pages]


def build_handout(folder: Path, out_dir: Path, options: HandoutOptions) -> HandoutReport:
    """Typeset the document's handout and impose it for double-sided printing."""
    started = time.perf_counter()
    folder = Path(folder)
    doc, grid, stack, _ = prepare(folder, None, None, False)
    facsimile_parts = typeset(doc, grid)
    notes = load_notes(folder, doc)
    numbered = paragraphs(doc)
    paper = HALF[options.sheet] if options.layout in ("booklet", "2up") else options.sheet
    edition = Edition(options.edition, paper, options.large_type,
                      options.line_numbers and options.edition == "reading")
    rgrid = reading_grid(edition)

    if options.edition == "reading":
        body_parts = typeset_reading(reading_document(doc), appendices(notes, doc.corrections, numbered),
                                     rgrid, stack)
    else:
        body_parts = facsimile_parts
    scans = {part.id: place_scan(Path(part.scan), grid.width_pt, grid.height_pt)
             for part in body_parts if part.scan}

    def count(part: TypesetPart) -> int:
        return len(_pages_of([scans[part.id]])) if part.scan else len(part.pages)

    contents: list[tuple[str, int]] = []
    cover_parts: list[TypesetPart] = []
    cover_pages = 1
    for _ in range(3):  # the cover's length moves the page numbers it lists: settle them
        page = cover_pages + 1
        contents = []
        for part in body_parts:
            contents.append((part.title, page))
            page += count(part)
        cover_doc = replace(reading_document(doc), parts=(cover(doc, contents, rgrid.measure),))
        cover_parts = typeset_reading(cover_doc, [], rgrid, stack)
        if len(cover_parts[0].pages) == cover_pages:
            break
        cover_pages = len(cover_parts[0].pages)

    chars = shared_charset(cover_parts + [p for p in body_parts if not p.scan], stack)
    pdfs = render_pages(cover_parts, rgrid, stack, reading_document(doc), 1, False, False, chars)
    if options.edition == "reading":
        body_grid, body_doc, look, gap = rgrid, reading_document(doc), "clean", 1.0
    else:  # the facsimile's pages, numbered further from the text: the duplicator moves lines
        body_grid, body_doc, look, gap = grid, doc, doc.layout.look, 2.5
    folio = cover_pages + 1
    for part in body_parts:
        if part.scan:
            pdfs.append(scans[part.id])
        else:
            pdfs.extend(render_pages([part], body_grid, stack, body_doc, folio, True, edition.line_numbers,
                                     chars, look, gap))
        folio += count(part)
    pages = _pages_of(pdfs)
    data, sides = impose(pages, options.layout, options.sheet, options.flip, options.creep,
                         f"{doc.title} ({options.edition} edition, {options.layout})")
    path = Path(out_dir) / f"{doc.name}-handout.pdf"
    write_atomic(path, data)
    return HandoutReport(doc.name, path, len(pages), max(s.sheet for s in sides), len(data),
                         time.perf_counter() - started, tuple(contents))


__all__ = ["HandoutOptions", "HandoutReport", "build_handout", "page_size"]
