"""Handout pages and sheet plans to the handout PDF with pypdf: each page once, as a form.

Every handout page becomes one form XObject (its content stream copied as it is, never
parsed) and each sheet side draws its pages with a matrix; a back side that the printer
turns is turned by /Rotate, so that its text reads whole in every extractor. The finished
PDF carries the document's metadata, /Lang, a bookmark per part, page labels with the
printed page numbers, and the document's sources, like the build.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any, Sequence

from .impose import SidePlan


@dataclass(frozen=True)
class Finish:
    """What the handout PDF says about itself."""

    title: str
    author: str
    subject: str
    keywords: str
    date: str  # PDF date, or "" for none (reproducible)
    lang: str
    bookmarks: tuple[tuple[str, int], ...]  # title, 0-based sheet side
    labels: tuple[str, ...]  # one per sheet side
    sources: tuple[tuple[str, bytes], ...]  # embedded, as in the build


def _forms(pdfs: Sequence[bytes], writer: Any) -> list[Any]:
    """Each page of the PDFs as a form XObject in the writer (indirect references)."""
    from pypdf import PdfReader
    from pypdf.generic import (ArrayObject, DecodedStreamObject, FloatObject, NameObject,
                               StreamObject)

    forms: list[Any] = []
    for pdf in pdfs:
        reader = PdfReader(io.BytesIO(pdf))
        for page in reader.pages:
            contents = page.get("/Contents")
            contents = contents.get_object() if contents is not None else None
            if isinstance(contents, StreamObject):
                form = contents.clone(writer)  # the stream as written, still compressed
            else:
                form = DecodedStreamObject()
                form.set_data(b"\n".join(part.get_object().get_data() for part in (contents or ArrayObject())))
            box = page.mediabox
            form[NameObject("/Type")] = NameObject("/XObject")
            form[NameObject("/Subtype")] = NameObject("/Form")
            form[NameObject("/BBox")] = ArrayObject([FloatObject(float(v)) for v in
                                                    (box.left, box.bottom, box.right, box.top)])
            resources = page.get("/Resources")
            if resources is not None:
                form[NameObject("/Resources")] = resources.get_object().clone(writer)
            forms.append((writer._add_object(form), float(box.left), float(box.bottom)))
    return forms


def _number(value: float) -> bytes:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return (text if text not in ("-0", "") else "0").encode("ascii")


def write_sheets(pdfs: Sequence[bytes], plans: Sequence[SidePlan], finish: Finish) -> bytes:
    """The handout PDF: the pages of pdfs (in order, handout page 1 first, the pages left
    blank skipped) on the planned sides."""
    from pypdf import PdfWriter
    from pypdf.generic import (ArrayObject, ByteStringObject, DecodedStreamObject, DictionaryObject,
                               NameObject, NumberObject, TextStringObject)

    writer = PdfWriter()
    forms = _forms(pdfs, writer)
    placed_pages = sorted({p.page for plan in plans for p in plan.placements})
    order = {page: index for index, page in enumerate(placed_pages)}  # handout page: its form
    for plan in plans:
        page = writer.add_blank_page(plan.width, plan.height)
        names = DictionaryObject()
        ops: list[bytes] = []
        for placed in plan.placements:
            ref, left, bottom = forms[order[placed.page]]
            name = f"/P{placed.page}"
            names[NameObject(name)] = ref
            s = placed.scale
            ops.append(b"q %s 0 0 %s %s %s cm %s Do Q" % (
                _number(s), _number(s), _number(placed.x - left * s), _number(placed.y - bottom * s),
                name.encode("ascii")))
        for mark in plan.marks:
            ops.append(b"%s %s %s %s re f" % tuple(_number(v) for v in (mark.x, mark.y, mark.width, mark.height)))
        content = DecodedStreamObject()
        content.set_data(b"\n".join(ops))
        content = content.flate_encode(level=9)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): names})
        page[NameObject("/Contents")] = writer._add_object(content)
        if plan.rotate:
            page[NameObject("/Rotate")] = NumberObject(plan.rotate)
    for title, side in finish.bookmarks:
        writer.add_outline_item(title=title, page_number=side)
    for index, label in enumerate(finish.labels):
        writer.set_page_label(index, index, prefix=label)
    info = {"/Title": finish.title, "/Author": finish.author, "/Subject": finish.subject,
            "/Keywords": finish.keywords, "/Creator": "facsimile", "/Producer": "facsimile (reportlab, pypdf)"}
    if finish.date:
        info["/CreationDate"] = info["/ModDate"] = finish.date
    writer.metadata = info
    for name, data in sorted(finish.sources):  # sorted, or some viewers cannot open them
        writer.add_attachment(name, data)
    writer.page_mode = "/UseOutlines"
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    digest = hashlib.sha256()
    for pdf in pdfs:
        digest.update(hashlib.sha256(pdf).digest())
    digest.update(repr(plans).encode() + repr(finish).encode())
    ident = ByteStringObject(digest.digest()[:16])
    writer._ID = ArrayObject([ident, ident])  # a stable document ID, derived from the content
    writer._root_object[NameObject("/Lang")] = TextStringObject(finish.lang)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
