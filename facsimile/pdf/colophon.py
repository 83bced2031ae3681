"""A document and its build to the colophon: the statement of what this PDF is (its words from
colophon.toml), the part that types it on a last page, and the catalogue record for the XMP."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from functools import lru_cache
from typing import Any

from ..errors import SourcePos
from ..locations import package_data
from ..model import Block, Document, Part, PartSpec, Run
from .xmp import Record

COLOPHON_ID = "colophon"


@lru_cache(maxsize=1)
def _words() -> dict[str, Any]:
    return tomllib.loads(package_data("facsimile.pdf", __file__, "colophon.toml").decode("utf-8"))


def _provenance(doc: Document) -> dict[str, str]:
    return {key: value for key, value in doc.provenance}


def source_line(doc: Document) -> str:
    """Where the transcription came from: the manifest's provenance source, archive and address."""
    found = _provenance(doc)
    return " - ".join(part for part in (found.get("source", ""), found.get("archive", ""),
                                        found.get("address", "")) if part)


def statement(doc: Document, diplomatic: bool, version: str, built: str, name: str = "") -> tuple[str, ...]:
    """The colophon's paragraphs. built: the build's date (YYYY-MM-DD) or empty; name: what the
    transcription is called when the provenance gives no source (a pack's title), else the
    document folder's name."""
    words = _words()
    found = _provenance(doc)
    machines = sorted({part.spec.machine for part in doc.parts if not part.scan and part.spec.id != COLOPHON_ID})
    count = sum(getattr(applied, "count", 1) for applied in doc.corrections)
    corrections = words["diplomatic"] if diplomatic else \
        words["corrected"].format(count=count) if count else words["uncorrected"]
    simulation = words["clean"] if doc.layout.look == "clean" else \
        words["simulated"].format(look=doc.layout.look, machines=", ".join(machines), seed=doc.seed)
    fields = {
        "date": doc.date, "title": doc.title, "version": version, "source": source_line(doc) or name or _readable(doc.name),
        "received": words["received"].format(received=found["received"]) if found.get("received") else "",
        "simulation": simulation,
        "corrections": corrections,
        "built": words["built"].format(when=built) if built else words["undated"],
    }
    return tuple(paragraph.format(**fields) for paragraph in words["paragraphs"])


def _readable(name: str) -> str:
    """A folder name as text: bytes the locale could not decode (kept as surrogates) read as UTF-8."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def with_colophon(doc: Document, paragraphs: tuple[str, ...]) -> Document:
    """The document with a last part that types the colophon's paragraphs, as blocks."""
    words = _words()
    pos = SourcePos("colophon.toml", 1, 1)
    spec = PartSpec(COLOPHON_ID, "", "document", words["title"], words["label"], pos, machine="colophon")
    blocks = tuple(Block("block", ((Run(text, SourcePos("colophon.toml", n, 1)),),), pos)
                   for n, text in enumerate(paragraphs, start=1))
    return replace(doc, parts=doc.parts + (Part(spec, blocks),))


def record(doc: Document, diplomatic: bool, paragraphs: tuple[str, ...], created: str, pdf_a: bool,
           lang: str) -> Record:
    """The catalogue record for the XMP: the manifest's metadata and the colophon's statement."""
    found = _provenance(doc)
    return Record(
        title=doc.title, creator=doc.author, description=doc.subject, keywords=doc.keywords,
        date=doc.date, language=lang, source=source_line(doc), rights=found.get("rights", ""),
        edition="diplomatic" if diplomatic else "facsimile", statement=" ".join(paragraphs),
        tool="facsimile", producer="facsimile (reportlab)", created=created, pdf_a=pdf_a)


def scan_description(title: str, alt: str, page: int, pages: int) -> str:
    """A scanned page's /Alt: the manifest's description of the part (numbered on a scan of
    several pages), else one naming the part and the page."""
    words = _words()
    if alt:
        return words["scan_page"].format(alt=alt, page=page, pages=pages) if pages > 1 else alt
    return words["scan"].format(title=title, page=page, pages=pages)
