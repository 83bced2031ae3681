"""Part PDFs to one document PDF with pypdf: bookmarks, page labels, metadata, shared fonts."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass


@dataclass(frozen=True)
class RenderedPart:
    """A part's PDF bytes, its bookmark title and its page-label prefix."""

    title: str
    label: str
    pdf: bytes
    pages: int


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    subject: str
    keywords: str
    date: str  # PDF date string, D:YYYYMMDDHHmmSS+00'00'


def merge(parts: list[RenderedPart], meta: Metadata, sources: list[tuple[str, bytes]] = ()) -> bytes:  # type: ignore[assignment]
    """Merge the parts in order; each gets a bookmark and its own page numbering. The sources
    (name, bytes) are embedded, in sorted order, so that the PDF carries its own source."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject

    writer = PdfWriter()
    start = 0
    for part in parts:
        reader = PdfReader(io.BytesIO(part.pdf))
        writer.append(reader, outline_item=part.title)
        count = len(reader.pages)
        if count:
            writer.set_page_label(start, start + count - 1, style="/D", prefix=part.label or None, start=1)
        start += count
    info = {
        "/Title": meta.title,
        "/Author": meta.author,
        "/Subject": meta.subject,
        "/Keywords": meta.keywords,
        "/Creator": "facsimile",
        "/Producer": "facsimile (reportlab, pypdf)",
    }
    if meta.date:
        info["/CreationDate"] = info["/ModDate"] = meta.date
    writer.add_metadata(info)
    for name, data in sorted(sources):  # sorted, or some viewers cannot open them
        writer.add_attachment(name, data)
    writer.page_mode = "/UseOutlines"
    for _ in range(2):  # a second pass merges the dictionaries whose references the first made equal
        writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part.pdf).digest())
    digest.update(repr(meta).encode())
    for name, data in sorted(sources):
        digest.update(name.encode() + hashlib.sha256(data).digest())
    ident = ByteStringObject(digest.digest()[:16])
    writer._ID = ArrayObject([ident, ident])  # a stable document ID, derived from the content
    writer._root_object[NameObject("/Lang")] = writer._root_object.get("/Lang") or _text("en-GB")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _text(value: str):  # type: ignore[no-untyped-def]
    from pypdf.generic import TextStringObject

    return TextStringObject(value)
