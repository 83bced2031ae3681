"""Handout pages and sheet plans to the handout PDF with pypdf: each page once, as a form.

Every handout page becomes one form XObject (its content stream copied as it is, never
parsed) and each sheet side draws its pages with a matrix; a back side that the printer
turns is turned by /Rotate, so that its text reads whole in every extractor. The finished
PDF carries the document's metadata, /Lang, a bookmark per part, page labels with the
printed page numbers, and the document's sources, like the build; and it is tagged: each
form keeps its page's marked content and its own /StructParents, and the structure tree
reads the pages in the document's order, whatever sheet a page is printed on. Fold and
signature marks are artifacts (printer's marks).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any, Sequence

from ..pdf.catalog import Finish as Catalogue
from ..pdf.tags import Element, Mark
from .impose import SidePlan


@dataclass(frozen=True)
class Finish:
    """What the handout PDF says about itself: its catalogue (metadata, XMP, output intent,
    sources), bookmarks and labels, and its structure (None: untagged)."""

    catalogue: Catalogue
    bookmarks: tuple[tuple[str, int], ...]  # title, 0-based sheet side
    labels: tuple[str, ...]  # one per sheet side
    structure: Element | None = None
    marks: tuple[tuple[Mark, ...], ...] = ()  # each drawn page's marked content, in order


def _forms(pdfs: Sequence[bytes], writer: Any, matrices: Sequence[tuple[float, float, float] | None]) -> list[Any]:
    """Each page of the PDFs as a form XObject in the writer (indirect references), drawn where
    it stands on its sheet side: its matrix (scale, x, y) is the first operator of the form's
    own content and its box is on the side, so that the side draws it with no matrix (pdfium
    places the text of an ActualText span in a form without the form's matrix: so there is
    none)."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DecodedStreamObject, FloatObject, NameObject

    forms: list[Any] = []
    for pdf in pdfs:
        reader = PdfReader(io.BytesIO(pdf))
        for page in reader.pages:
            box = page.mediabox
            s, x, y = matrices[len(forms)] or (1.0, 0.0, 0.0)
            left, bottom = float(box.left), float(box.bottom)
            tx, ty = x - left * s, y - bottom * s
            form = DecodedStreamObject()
            contents = page.get("/Contents")
            contents = contents.get_object() if contents is not None else ArrayObject()
            data = b"\n".join(part.get_object().get_data() for part in contents) \
                if isinstance(contents, ArrayObject) else contents.get_data()
            form.set_data(b"q %s 0 0 %s %s %s cm\n%s\nQ" % (_number(s), _number(s), _number(tx), _number(ty), data))
            form = form.flate_encode(level=6)
            form[NameObject("/Type")] = NameObject("/XObject")
            form[NameObject("/Subtype")] = NameObject("/Form")
            form[NameObject("/BBox")] = ArrayObject([FloatObject(round(v, 4)) for v in (
                left * s + tx, bottom * s + ty, float(box.right) * s + tx, float(box.top) * s + ty)])
            resources = page.get("/Resources")
            if resources is not None:
                form[NameObject("/Resources")] = resources.get_object().clone(writer)
            forms.append(writer._add_object(form))
    return forms


def _number(value: float) -> bytes:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return (text if text not in ("-0", "") else "0").encode("ascii")


def write_sheets(pdfs: Sequence[bytes], plans: Sequence[SidePlan], finish: Finish) -> bytes:
    """The handout PDF: the pages of pdfs (in order, handout page 1 first, the pages left
    blank skipped) on the planned sides."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject

    from ..pdf.archive import write_catalogue, write_tree

    writer = PdfWriter()
    placed_pages = sorted({p.page for plan in plans for p in plan.placements})
    order = {page: index for index, page in enumerate(placed_pages)}  # handout page: its form
    matrices: list[tuple[float, float, float] | None] = [None] * len(placed_pages)
    for plan in plans:
        for placed in plan.placements:
            matrices[order[placed.page]] = (placed.scale, placed.x, placed.y)
    forms = _forms(pdfs, writer, matrices)
    places: list[object] = [None] * len(forms)
    sides: list[object] = []
    for plan in plans:
        page = writer.add_blank_page(plan.width, plan.height)
        names = DictionaryObject()
        ops: list[bytes] = []
        for placed in plan.placements:
            ref = forms[order[placed.page]]
            places[order[placed.page]] = (page.indirect_reference, ref)
            name = f"/P{placed.page}"
            names[NameObject(name)] = ref
            ops.append(b"%s Do" % name.encode("ascii"))
        if plan.marks:  # printer's marks: artifacts of the page, not of the document
            ops.append(b"/Artifact <</Type /Page>> BDC")
            ops.extend(b"%s %s %s %s re f" % tuple(_number(v) for v in (mark.x, mark.y, mark.width, mark.height))
                       for mark in plan.marks)
            ops.append(b"EMC")
        content = DecodedStreamObject()
        content.set_data(b"\n".join(ops))
        content = content.flate_encode(level=9)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): names})
        page[NameObject("/Contents")] = writer._add_object(content)
        if plan.rotate:
            page[NameObject("/Rotate")] = NumberObject(plan.rotate)
        sides.append(page.indirect_reference)
    for title, side in finish.bookmarks:
        writer.add_outline_item(title=title, page_number=side)
    for index, label in enumerate(finish.labels):
        writer.set_page_label(index, index, prefix=label)
    write_catalogue(writer, finish.catalogue)
    if finish.structure is not None:
        write_tree(writer, finish.structure, finish.marks, places, sides)
    writer.page_mode = "/UseOutlines"
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    digest = hashlib.sha256()
    for pdf in pdfs:
        digest.update(hashlib.sha256(pdf).digest())
    digest.update(repr(plans).encode() + repr(finish).encode())
    ident = ByteStringObject(digest.digest()[:16])
    writer._ID = ArrayObject([ident, ident])  # a stable document ID, derived from the content
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
