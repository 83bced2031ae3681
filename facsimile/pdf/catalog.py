"""A document's finishing facts to reportlab catalog objects: bookmarks, page labels, Info,
XMP, the sRGB output intent, the sources as associated files, the header version and the ID.

Written in the same pass as the pages, so that a text-only document needs no second library.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from ..locations import package_data
from .xmp import Record, xmp_packet

ICC_PROFILE = "sRGB.icc"  # from Debian's icc-profiles-free (zlib licence): see icc/README.md
OUTPUT_CONDITION = "sRGB IEC61966-2.1"
MIME_TYPES = {".toml": "application/toml", ".txt": "text/plain", ".md": "text/markdown"}


@dataclass(frozen=True)
class Finish:
    """What the catalog carries besides the pages. outline: (title, label prefix, first page,
    pages) per part, or empty when a scan is still to be inserted (the merge numbers them then)."""

    title: str
    author: str
    subject: str
    keywords: str
    date: str  # PDF date of the build (SOURCE_DATE_EPOCH), or empty
    sources: tuple[tuple[str, bytes], ...]
    sources_date: str  # PDF date for the embedded files' ModDate, or empty
    outline: tuple[tuple[str, str, int, int], ...] = ()
    record: Record | None = None  # None: no XMP, no output intent (not PDF/A)
    lang: str = "en-GB"
    producer: str = "facsimile (reportlab)"


def mime_type(name: str) -> str:
    suffix = name[name.rfind("."):] if "." in name else ""
    return MIME_TYPES.get(suffix, "application/octet-stream")


def icc_profile() -> bytes:
    return package_data("facsimile.pdf", __file__, "icc", ICC_PROFILE)


def _name(value: str) -> str:
    """A PDF name, with every character outside the regular ones escaped (text/plain)."""
    return "/" + "".join(ch if ch.isalnum() or ch in "-_." else f"#{ord(ch):02X}" for ch in value)


def finish_document(doc: Any, finish: Finish, pages: int) -> None:
    """Write the finishing objects into reportlab's document before it is saved."""
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString, PDFZCompress

    catalog = doc.Catalog
    page_refs = [doc.Reference(page) for page in doc.Pages.pages]
    doc._pdfVersion = (1, 7)  # structure, associated files and PDF/A-3 are PDF 1.7
    doc.info = _Info(finish)
    catalog.Lang = PDFString(finish.lang)
    if finish.outline:
        items = [PDFDictionary({"Title": PDFString(title), "Dest": PDFArray([page_refs[first], PDFName("Fit")])})
                 for title, _, first, count in finish.outline if count]
        outline = _Outline({"Type": PDFName("Outlines"), "Count": len(items)})
        outline_ref = doc.Reference(outline)
        refs = [doc.Reference(item) for item in items]
        for n, item in enumerate(items):
            item["Parent"] = outline_ref
            if n:
                item["Prev"] = refs[n - 1]
            if n + 1 < len(items):
                item["Next"] = refs[n + 1]
        if refs:
            outline["First"], outline["Last"] = refs[0], refs[-1]
            doc.Outlines = doc.outline = catalog.Outlines = outline
            catalog.PageMode = PDFName("UseOutlines")
        nums: list[Any] = []
        for _, label, first, count in finish.outline:
            if count:
                entry = {"S": PDFName("D"), "St": 1}
                if label:
                    entry["P"] = PDFString(label)
                nums.extend([first, PDFDictionary(entry)])
        catalog.PageLabels = PDFDictionary({"Nums": PDFArray(nums)})
    specs: list[Any] = []
    names: list[Any] = []
    for name, data in sorted(finish.sources):  # sorted, or some viewers cannot open them
        params: dict[str, Any] = {"Size": len(data), "CheckSum": PDFString(hashlib.md5(data).digest(), enc="raw")}
        if finish.sources_date:
            params["ModDate"] = PDFString(finish.sources_date)
        stream = PDFStream(PDFDictionary({"Type": PDFName("EmbeddedFile"), "Subtype": _name(mime_type(name)),
                                          "Params": PDFDictionary(params)}), data, [PDFZCompress])
        stream_ref = doc.Reference(stream)
        spec = doc.Reference(PDFDictionary({
            "Type": PDFName("Filespec"), "F": PDFString(name), "UF": PDFString(name),
            "EF": PDFDictionary({"F": stream_ref, "UF": stream_ref}), "AFRelationship": PDFName("Source")}))
        specs.append(spec)
        names.extend([PDFString(name), spec])
    if specs:
        catalog.Names = PDFDictionary({"EmbeddedFiles": PDFDictionary({"Names": PDFArray(names)})})
        catalog.AF = doc.Reference(PDFArray(specs))
    if finish.record is not None:
        metadata = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                             xmp_packet(finish.record))  # unfiltered: PDF/A readers scan for it
        catalog.Metadata = doc.Reference(metadata)
    if finish.record is not None and finish.record.pdf_a:
        profile = PDFStream(PDFDictionary({"N": 3}), icc_profile(), [PDFZCompress])
        catalog.OutputIntents = PDFArray([PDFDictionary({
            "Type": PDFName("OutputIntent"), "S": PDFName("GTS_PDFA1"),
            "OutputConditionIdentifier": PDFString(OUTPUT_CONDITION), "Info": PDFString(OUTPUT_CONDITION),
            "RegistryName": PDFString("http://www.color.org"), "DestOutputProfile": doc.Reference(profile)})])
    keys = list(catalog.__NoDefault__) + [k for k in ("AF", "OutputIntents") if k not in catalog.__NoDefault__]
    catalog.__NoDefault__ = keys
    catalog.__Refs__ = [k for k in keys if k not in ("AF", "OutputIntents", "Names", "PageLabels")]
    digest = hashlib.sha256(repr((finish.title, finish.author, finish.subject, finish.keywords, finish.date,
                                  finish.outline, finish.record, finish.sources_date)).encode())
    for name, data in sorted(finish.sources):
        digest.update(name.encode() + hashlib.sha256(data).digest())
    for page in doc.Pages.pages:
        content = getattr(page.Contents, "content", None)  # a stream compressed where it was drawn
        if isinstance(content, bytes):
            digest.update(content)
        else:
            digest.update(page.stream.encode("latin-1") if isinstance(page.stream, str) else page.stream or b"")
    ident = digest.hexdigest()[:32].upper()
    doc._ID = f"[<{ident}><{ident}>]".encode()  # a stable document ID, derived from the content


class _Outline:
    """The outline root as reportlab's document expects to prepare it (already complete)."""

    ready = 1

    def __new__(cls, entries: dict[str, Any]) -> Any:
        from reportlab.pdfbase.pdfdoc import PDFDictionary

        class Outline(PDFDictionary):
            ready = 1

            def prepare(self, document: Any, canvas: Any) -> None:
                return None

        return Outline(entries)


def _Info(finish: Finish) -> Any:  # noqa: N802 - stands for reportlab's PDFInfo
    """The Info dictionary, from the same values as the XMP: no date unless SOURCE_DATE_EPOCH."""
    from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObject, PDFString

    class Info(PDFObject):
        def digest(self, md5object: Any) -> None:
            md5object.update(repr(finish.title).encode())

        def format(self, document: Any) -> bytes:
            entries: dict[str, Any] = {"Title": PDFString(finish.title), "Author": PDFString(finish.author),
                                       "Subject": PDFString(finish.subject), "Keywords": PDFString(finish.keywords),
                                       "Creator": PDFString("facsimile"), "Producer": PDFString(finish.producer),
                                       "Trapped": PDFName("False")}
            if finish.date:
                entries["CreationDate"] = entries["ModDate"] = PDFString(finish.date)
            return PDFDictionary(entries).format(document)

    return Info()
