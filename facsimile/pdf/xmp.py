"""A document's catalogue record to an XMP packet: Dublin Core, the PDF/A-3b and PDF/UA-1
identification, and the colophon's statement (with the extension schemas PDF/A asks for)."""

from __future__ import annotations

from dataclasses import dataclass

FACSIMILE_NS = "https://facsimile.invalid/ns/archival/1.0/"  # a name, never fetched


def escape(text: str) -> str:
    """Text as XML character data: &, < and > as entities. (xml.sax.saxutils.escape does the
    same, but importing it imports urllib, http.client and email: 10 ms of every build.)"""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


@dataclass(frozen=True)
class Record:
    """What a catalogue reads from the file: the same values as the Info dictionary, where
    both have them."""

    title: str
    creator: str
    description: str  # the Info dictionary's Subject
    keywords: tuple[str, ...]
    date: str  # the document's own date, as written in the manifest (1932-11-07)
    language: str
    source: str  # where the transcription came from, with the archive's address
    rights: str
    edition: str  # facsimile (corrections applied) or diplomatic (as received)
    statement: str  # the colophon: what this PDF is and how it was made
    tool: str  # the Info dictionary's Creator
    producer: str
    created: str = ""  # ISO 8601 from SOURCE_DATE_EPOCH, or empty: no date, reproducible
    pdf_a: bool = True


def _alt(value: str, lang: str) -> str:
    return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}</rdf:li></rdf:Alt>'


def _extension(prefix: str, uri: str, schema: str, properties: list[tuple[str, str, str]]) -> str:
    rows = "".join(
        f"<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>{name}</pdfaProperty:name>"
        f"<pdfaProperty:valueType>{kind}</pdfaProperty:valueType>"
        f"<pdfaProperty:category>internal</pdfaProperty:category>"
        f"<pdfaProperty:description>{escape(about)}</pdfaProperty:description></rdf:li>"
        for name, kind, about in properties)
    return (f"<rdf:li rdf:parseType=\"Resource\"><pdfaSchema:schema>{escape(schema)}</pdfaSchema:schema>"
            f"<pdfaSchema:namespaceURI>{uri}</pdfaSchema:namespaceURI>"
            f"<pdfaSchema:prefix>{prefix}</pdfaSchema:prefix>"
            f"<pdfaSchema:property><rdf:Seq>{rows}</rdf:Seq></pdfaSchema:property></rdf:li>")


def xmp_packet(record: Record) -> bytes:
    """The XMP packet, UTF-8, with the padding and trailer a packet carries."""
    lang = record.language
    dates = f"<xmp:CreateDate>{record.created}</xmp:CreateDate><xmp:ModifyDate>{record.created}</xmp:ModifyDate>" \
        f"<xmp:MetadataDate>{record.created}</xmp:MetadataDate>" if record.created else ""
    keywords = "".join(f"<rdf:li>{escape(k)}</rdf:li>" for k in record.keywords)
    identification = (
        "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\""
        " xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">"
        "<pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"
        "<pdfuaid:part>1</pdfuaid:part></rdf:Description>") if record.pdf_a else ""
    extensions = (
        "<rdf:Description rdf:about=\"\" xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\""
        " xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\""
        " xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">"
        "<pdfaExtension:schemas><rdf:Bag>"
        + _extension("pdfuaid", "http://www.aiim.org/pdfua/ns/id/", "PDF/UA identification",
                     [("part", "Integer", "The part of ISO 14289 the file conforms to")])
        + _extension("fx", FACSIMILE_NS, "facsimile: how this edition was made",
                     [("edition", "Text", "facsimile (corrections applied) or diplomatic (as received)"),
                      ("statement", "Text", "The colophon: what this PDF is and how it was made")])
        + "</rdf:Bag></pdfaExtension:schemas></rdf:Description>") if record.pdf_a else ""
    body = (
        "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
        " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\""
        f" xmlns:fx=\"{FACSIMILE_NS}\">"
        "<dc:format>application/pdf</dc:format>"
        f"<dc:title>{_alt(record.title, lang)}</dc:title>"
        f"<dc:creator><rdf:Seq><rdf:li>{escape(record.creator)}</rdf:li></rdf:Seq></dc:creator>"
        f"<dc:description>{_alt(record.description, lang)}</dc:description>"
        f"<dc:subject><rdf:Bag>{keywords}</rdf:Bag></dc:subject>"
        f"<dc:date><rdf:Seq><rdf:li>{escape(record.date)}</rdf:li></rdf:Seq></dc:date>"
        f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>"
        f"<dc:source>{escape(record.source)}</dc:source>"
        f"<dc:rights>{_alt(record.rights, lang)}</dc:rights>"
        f"<pdf:Keywords>{escape(', '.join(record.keywords))}</pdf:Keywords>"
        f"<pdf:Producer>{escape(record.producer)}</pdf:Producer>"
        f"<xmp:CreatorTool>{escape(record.tool)}</xmp:CreatorTool>{dates}"
        f"<fx:edition>{escape(record.edition)}</fx:edition>"
        f"<fx:statement>{escape(record.statement)}</fx:statement>"
        "</rdf:Description>")
    text = ("<?xpacket begin=\"\ufeff\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">"
            "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
            f"{body}{identification}{extensions}</rdf:RDF></x:xmpmeta>\n"
            + (" " * 99 + "\n") * 20 + "<?xpacket end=\"w\"?>")
    return text.encode("utf-8", "replace")  # a stray surrogate becomes '?', never an error
