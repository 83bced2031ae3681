"""The assembled pages to the document PDF with pypdf: scans, bookmarks, page labels, metadata, sources."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass


@dataclass(frozen=True)
class PartPages:
    """A part's bookmark title, page-label prefix and page count in the assembled PDF, or the
    PDF of a scan to insert in its place."""

    title: str
    label: str
    pages: int
    scan: bytes = b""
    parent: str = ""  # a pack's document: its parts nest under a bookmark with this title
    document: int = 0  # which document of a pack the part belongs to
    place: int = -1  # a scan's place among its document's Parts in the tree (-1: its pages are not tagged)
    group: int = -1  # in a pack: the place of its document's Part among the Document's (else -1)
    alt: str = ""  # the manifest's description of a scan


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    subject: str
    keywords: str
    date: str  # PDF date string, D:YYYYMMDDHHmmSS+00'00'


def merge(document: bytes, parts: list[PartPages], meta: Metadata | None = None,
          sources: list[tuple[str, bytes]] = ()) -> bytes:  # type: ignore[assignment]
    """Finish the assembled pages as one document: scans inserted where their parts stand, a
    bookmark and page numbering per part; and with meta, the Info dictionary and the sources
    (name, bytes) embedded in sorted order. Without meta, the catalog written with the pages
    (metadata, XMP, output intent, sources, structure) is carried over as it is."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(document)))
    start = 0
    parent: tuple[int, object] | None = None  # the open document bookmark of a pack
    for part in parts:
        count = part.pages
        if part.scan:
            scan = PdfReader(io.BytesIO(part.scan))
            writer.merge(start, scan)
            count = len(scan.pages)
            if part.place >= 0 and "/StructTreeRoot" in writer._root_object:
                _figures(writer, start, count, part)
        if part.parent and (parent is None or parent[0] != part.document):
            parent = (part.document, writer.add_outline_item(title=part.parent, page_number=start))
        elif not part.parent:
            parent = None
        if count:
            writer.add_outline_item(title=part.title, page_number=start,
                                    parent=parent[1] if parent else None)  # type: ignore[arg-type]
            writer.set_page_label(start, start + count - 1, style="/D", prefix=part.label or None, start=1)
        start += count
    info = {} if meta is None else {
        "/Title": meta.title,
        "/Author": meta.author,
        "/Subject": meta.subject,
        "/Keywords": meta.keywords,
        "/Creator": "facsimile",
        "/Producer": "facsimile (reportlab, pypdf)",
    }
    if meta is not None and meta.date:
        info["/CreationDate"] = info["/ModDate"] = meta.date
    if meta is not None:
        writer.metadata = info  # replaces what reportlab wrote (its fixed 2000-01-01 dates among it)
    for name, data in sorted(sources):  # sorted, or some viewers cannot open them
        writer.add_attachment(name, data)
    writer.page_mode = "/UseOutlines"
    for _ in range(2):  # a second pass merges the dictionaries whose references the first made equal
        writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    digest = hashlib.sha256(hashlib.sha256(document).digest())
    for part in parts:
        digest.update(repr((part.title, part.label, part.pages, part.parent, part.document, part.place, part.group,
                            part.alt)).encode()
                      + hashlib.sha256(part.scan).digest())
    digest.update(repr(meta).encode())
    for name, data in sorted(sources):
        digest.update(name.encode() + hashlib.sha256(data).digest())
    ident = ByteStringObject(digest.digest()[:16])
    writer._ID = ArrayObject([ident, ident])  # a stable document ID, derived from the content
    writer._root_object[NameObject("/Lang")] = writer._root_object.get("/Lang") or _text("en-GB")
    if meta is None:
        writer.pdf_header = b"%PDF-1.7"  # structure, associated files and PDF/A-3 are PDF 1.7
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _figures(writer: object, start: int, count: int, part: PartPages) -> None:
    """A scan's pages tagged: each page's content one Figure with an /Alt (the manifest's, or
    one naming the part and page), the Figures in a Part put at its place among the Parts (in
    a pack, among its document's, in that document's Part, made here if it has none yet).
    Scans are tagged in order, so the Parts before a scan's place are all in the tree."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

    from .colophon import scan_description

    tree = writer._root_object["/StructTreeRoot"].get_object()  # type: ignore[attr-defined]
    document_ref = tree["/K"][0]
    if part.group >= 0:  # a pack: the scan's document's Part
        kids = document_ref.get_object()["/K"]
        found = kids[part.group] if part.group < len(kids) else None
        if found is None or found.get_object().get("/T") != part.parent:
            found = writer._add_object(DictionaryObject({  # type: ignore[attr-defined]
                NameObject("/Type"): NameObject("/StructElem"), NameObject("/S"): NameObject("/Part"),
                NameObject("/P"): document_ref, NameObject("/T"): TextStringObject(part.parent),
                NameObject("/K"): ArrayObject()}))
            kids.insert(min(part.group, len(kids)), found)
        document_ref = found
    document = document_ref.get_object()
    nums = tree["/ParentTree"].get_object()["/Nums"]
    key = int(tree["/ParentTreeNextKey"])
    element = DictionaryObject({NameObject("/Type"): NameObject("/StructElem"), NameObject("/S"): NameObject("/Part"),
                                NameObject("/P"): document_ref, NameObject("/T"): TextStringObject(part.title)})
    element_ref = writer._add_object(element)  # type: ignore[attr-defined]
    figures: list[object] = []
    for number in range(count):
        page = writer.pages[start + number]  # type: ignore[attr-defined]
        as_figure(page, writer)
        figure = writer._add_object(DictionaryObject({  # type: ignore[attr-defined]
            NameObject("/Type"): NameObject("/StructElem"), NameObject("/S"): NameObject("/Figure"),
            NameObject("/P"): element_ref, NameObject("/Pg"): page.indirect_reference, NameObject("/K"): NumberObject(0),
            NameObject("/Alt"): TextStringObject(scan_description(part.title, part.alt, number + 1, count))}))
        figures.append(figure)
        page[NameObject("/StructParents")] = NumberObject(key)
        page[NameObject("/Tabs")] = NameObject("/S")
        nums.extend([NumberObject(key), ArrayObject([figure])])
        key += 1
    element[NameObject("/K")] = ArrayObject(figures)
    kids = document["/K"]
    if not isinstance(kids, ArrayObject):  # a Part of one kid holds it alone
        kids = document[NameObject("/K")] = ArrayObject([kids])
    kids.insert(min(part.place, len(kids)), element_ref)
    tree[NameObject("/ParentTreeNextKey")] = NumberObject(key)


def as_figure(page: object, writer: object) -> None:
    """A page's content marked as one Figure, MCID 0 (a scan: its image and nothing else)."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject

    contents = page.get("/Contents")  # type: ignore[attr-defined]
    contents = contents.get_object() if contents is not None else ArrayObject()
    data = b"\n".join(c.get_object().get_data() for c in contents) if isinstance(contents, ArrayObject) \
        else contents.get_data()
    stream = DecodedStreamObject()
    stream.set_data(b"/Figure <</MCID 0>> BDC\n" + data + b"\nEMC")
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode(level=9))  # type: ignore[attr-defined,index]


def figure_pages(pdf: bytes) -> bytes:
    """A scan's PDF with each page's content marked as one Figure (MCID 0), for a handout."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        as_figure(page, writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _text(value: str):  # type: ignore[no-untyped-def]
    from pypdf.generic import TextStringObject

    return TextStringObject(value)
