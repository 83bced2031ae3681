"""The PDF/A-3b and PDF/UA rules this project checks itself (veraPDF, the reference validator,
cannot be installed from the registries it reaches). Each rule is one function of a PDF's
parsed objects; a finding is one line. No conformance is claimed beyond these rules."""

from __future__ import annotations

import re
import xml.dom.minidom
from pathlib import Path
from typing import Any

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS = {"dc": "http://purl.org/dc/elements/1.1/", "xmp": "http://ns.adobe.com/xap/1.0/",
      "pdf": "http://ns.adobe.com/pdf/1.3/", "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
      "pdfuaid": "http://www.aiim.org/pdfua/ns/id/"}

RULES = (
    "the header is %PDF-1.n with n at most 7, followed by a comment of four bytes above 127",
    "the trailer has an /ID of two strings and no /Encrypt",
    "the catalog's /Metadata is an unfiltered XML stream holding XMP that parses",
    "the XMP names PDF/A part 3 conformance B and PDF/UA part 1, with an extension schema for pdfuaid",
    "the XMP agrees with the Info dictionary: title, author, subject, keywords, creator, producer, dates",
    "one /GTS_PDFA1 output intent with an embedded RGB monitor profile of ICC version 2 to 4",
    "every font is embedded, with a /ToUnicode map giving every code a page uses a character",
    "the catalog's /AF lists every embedded file, each a /Filespec with /F, /UF, /AFRelationship, "
    "and a stream with a MIME /Subtype and /Params /ModDate",
    "no /JavaScript, /AA, /Launch, /Encrypt, transparency group, soft mask, blend mode or alpha below 1",
    "tagged (PDF/UA): /MarkInfo /Marked true, a /StructTreeRoot, /Lang, /DisplayDocTitle true",
)


def _xmp_values(dom: Any, ns: str, name: str) -> list[str]:
    found = []
    for node in dom.getElementsByTagNameNS(NS[ns], name):
        items = node.getElementsByTagNameNS(RDF, "li")
        nodes = items if items.length else [node]
        found.extend("".join(c.data for c in n.childNodes if c.nodeType == c.TEXT_NODE) for n in nodes)
    return found


def problems(pdf: Path) -> list[str]:
    """Every breach of RULES found in the file, one line each (empty: none found)."""
    from pypdf import PdfReader

    data = pdf.read_bytes()
    found: list[str] = []
    header = re.match(rb"%PDF-1\.([0-7])\r?\n%([^\r\n]*)", data)
    if not header or sum(b > 127 for b in header.group(2)[:4]) < 4:
        found.append(RULES[0])
    reader = PdfReader(pdf)
    trailer = reader.trailer
    ident = trailer.get("/ID")
    if not ident or len(ident) != 2 or "/Encrypt" in trailer:
        found.append(RULES[1])
    root = trailer["/Root"]
    info = reader.metadata or {}
    stream = root.get("/Metadata")
    dom = None
    if stream is None:
        found.append(RULES[2])
    else:
        stream = stream.get_object()
        if "/Filter" in stream or stream.get("/Subtype") != "/XML" or stream.get("/Type") != "/Metadata":
            found.append(RULES[2])
        try:
            dom = xml.dom.minidom.parseString(stream.get_data())
        except Exception:  # noqa: BLE001 - any parse failure is the finding
            found.append(RULES[2])
    if dom is not None:
        if _xmp_values(dom, "pdfaid", "part") != ["3"] or _xmp_values(dom, "pdfaid", "conformance") != ["B"] \
                or _xmp_values(dom, "pdfuaid", "part") != ["1"] or b"pdfaSchema:prefix>pdfuaid<" not in stream.get_data():
            found.append(RULES[3])
        pairs = [("/Title", "dc", "title"), ("/Author", "dc", "creator"), ("/Subject", "dc", "description"),
                 ("/Keywords", "pdf", "Keywords"), ("/Creator", "xmp", "CreatorTool"), ("/Producer", "pdf", "Producer")]
        for key, ns, name in pairs:
            if [str(info.get(key, ""))] != (_xmp_values(dom, ns, name) or [""]):
                found.append(f"{RULES[4]} ({key})")
        if ("/CreationDate" in info) != bool(_xmp_values(dom, "xmp", "CreateDate")):
            found.append(f"{RULES[4]} (/CreationDate)")
    intents = [i.get_object() for i in root.get("/OutputIntents", [])]
    pdfa = [i for i in intents if i.get("/S") == "/GTS_PDFA1"]
    if len(pdfa) != 1 or "/DestOutputProfile" not in pdfa[0]:
        found.append(RULES[5])
    else:
        profile = pdfa[0]["/DestOutputProfile"].get_object()
        icc = profile.get_data()
        if profile.get("/N") != 3 or icc[12:16] != b"mntr" or icc[16:20] != b"RGB " or not 2 <= icc[8] <= 4:
            found.append(RULES[5])
    for number, page in enumerate(reader.pages):
        found.extend(_font_problems(page.get("/Resources", {}), page.get_contents(), reader, f"page {number + 1}"))
    names = root.get("/Names", {}).get("/EmbeddedFiles", {}).get("/Names", [])
    specs = [names[i + 1].get_object() for i in range(0, len(names), 2)]
    associated = [s.get_object() for s in root.get("/AF", [])]
    if specs and [id(s) for s in specs] != [id(s) for s in associated] and specs != associated:
        found.append(RULES[7])
    for spec in specs:
        ef = spec.get("/EF", {}).get("/F")
        ef = ef.get_object() if ef is not None else {}
        if spec.get("/Type") != "/Filespec" or not {"/F", "/UF", "/AFRelationship"} <= set(spec) \
                or "/Subtype" not in ef or "/ModDate" not in ef.get("/Params", {}):
            found.append(f"{RULES[7]} ({spec.get('/F')})")
    forbidden = [rb"/JavaScript", rb"/AA\b", rb"/Launch", rb"/Encrypt", rb"/S\s*/Transparency", rb"/SMask",
                 rb"/BM\s*/(?!Normal)", rb"/CA\s+0?\.", rb"/ca\s+0?\."]
    plain = _uncompressed_objects(reader)
    for pattern in forbidden:
        if re.search(pattern, plain):
            found.append(f"{RULES[8]} ({pattern.decode()})")
    marked = root.get("/MarkInfo", {}).get("/Marked")
    if not bool(marked) or "/StructTreeRoot" not in root or not root.get("/Lang") \
            or not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle")):
        found.append(RULES[9])
    return found


def _font_problems(resources: Any, contents: Any, reader: Any, where: str) -> list[str]:
    """RULES[6] for one content stream and its resources, and for every form XObject it can draw
    (an imposed page is a form)."""
    from pypdf.generic import ContentStream

    from tests.structure import _bytes, _to_unicode

    found: list[str] = []
    resources = resources.get_object() if resources is not None else {}
    fonts = resources.get("/Font", {})
    used: dict[str, set[int]] = {}
    current = ""
    if contents is not None:
        stream = contents if isinstance(contents, ContentStream) else ContentStream(contents, reader)
        for operands, operator in stream.operations:
            if operator == b"Tf":
                current = operands[0]
            elif operator == b"Tj":
                used.setdefault(current, set()).update(_bytes(operands[0]))
    for name, font in fonts.items():
        font = font.get_object()
        descriptor = font.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            found.append(f"{RULES[6]} ({where}: {name} is not embedded)")
        if "/ToUnicode" not in font:
            found.append(f"{RULES[6]} ({where}: {name} has no /ToUnicode)")
            continue
        mapping = _to_unicode(font)
        unmapped = sorted(c for c in used.get(name, ()) if not mapping.get(c, "").strip("\x00"))
        if unmapped:
            found.append(f"{RULES[6]} ({where}: {name} codes {unmapped})")
    for name, xobject in resources.get("/XObject", {}).items():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            found.extend(_font_problems(xobject.get("/Resources"), xobject, reader, f"{where}, form {name}"))
    return found


def _uncompressed_objects(reader: Any) -> bytes:
    """Every dictionary of the file written out, streams' dictionaries included (not their data)."""
    chunks: list[bytes] = []
    seen: set[int] = set()

    def walk(obj: Any) -> None:
        from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                return
            seen.add(obj.idnum)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                chunks.append(f"{key} ".encode())
                if not isinstance(value, (DictionaryObject, ArrayObject, IndirectObject)):
                    chunks.append(f"{value}\n".encode("utf-8", "replace"))
                walk(value)
        elif isinstance(obj, ArrayObject):
            for value in obj:
                walk(value)

    walk(reader.trailer)
    return b"".join(chunks)
