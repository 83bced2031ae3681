"""A finished document's catalogue facts and structure to pypdf objects: Info, XMP, the sRGB
output intent, the sources as associated files, and a structure tree whose marked content
may live in form XObjects (an imposed page: PDF 1.7 section 14.7.4.3).

The pypdf counterpart of catalog.py and render.write_structure, for PDFs that pypdf writes
(handouts, imposed from form XObjects).
"""

from __future__ import annotations

import hashlib
from typing import Any, Sequence

from .catalog import OUTPUT_CONDITION, Finish, icc_profile, mime_type
from .tags import ROLE_MAP, Element, Mark
from .xmp import xmp_packet

PDF_HEADER = b"%PDF-1.7"  # structure, associated files and PDF/A-3 are PDF 1.7


def write_catalogue(writer: Any, finish: Finish) -> None:
    """The Info dictionary, /Lang, the sources as associated files, and (PDF/A) the XMP packet
    and the output intent, on a pypdf writer."""
    from pypdf.generic import (ArrayObject, ByteStringObject, DecodedStreamObject, DictionaryObject,
                               NameObject, NumberObject, TextStringObject)

    def name(value: str) -> NameObject:
        return NameObject("/" + "".join(ch if ch.isalnum() or ch in "-_." else f"#{ord(ch):02X}" for ch in value))

    root = writer._root_object
    info = {"/Title": finish.title, "/Author": finish.author, "/Subject": finish.subject,
            "/Keywords": finish.keywords, "/Creator": "facsimile", "/Producer": finish.producer}
    if finish.date:
        info["/CreationDate"] = info["/ModDate"] = finish.date
    writer.metadata = info
    root[NameObject("/Lang")] = TextStringObject(finish.lang)
    specs: list[Any] = []
    names: list[Any] = []
    for file, data in sorted(finish.sources):  # sorted, or some viewers cannot open them
        params = DictionaryObject({NameObject("/Size"): NumberObject(len(data)),
                                   NameObject("/CheckSum"): ByteStringObject(hashlib.md5(data).digest())})
        if finish.sources_date:
            params[NameObject("/ModDate")] = TextStringObject(finish.sources_date)
        stream = DecodedStreamObject()
        stream.set_data(data)
        stream = stream.flate_encode(level=9)
        stream.update({NameObject("/Type"): NameObject("/EmbeddedFile"), NameObject("/Subtype"): name(mime_type(file)),
                       NameObject("/Params"): params})
        stream_ref = writer._add_object(stream)
        spec = writer._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/Filespec"), NameObject("/F"): TextStringObject(file),
            NameObject("/UF"): TextStringObject(file),
            NameObject("/EF"): DictionaryObject({NameObject("/F"): stream_ref, NameObject("/UF"): stream_ref}),
            NameObject("/AFRelationship"): NameObject("/Source")}))
        specs.append(spec)
        names.extend([TextStringObject(file), spec])
    if specs:
        root[NameObject("/Names")] = DictionaryObject({NameObject("/EmbeddedFiles"): DictionaryObject(
            {NameObject("/Names"): ArrayObject(names)})})
        root[NameObject("/AF")] = writer._add_object(ArrayObject(specs))
    if finish.record is not None:
        metadata = DecodedStreamObject()  # unfiltered: PDF/A readers scan for it
        metadata.set_data(xmp_packet(finish.record))
        metadata.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
        root[NameObject("/Metadata")] = writer._add_object(metadata)
    if finish.record is not None and finish.record.pdf_a:
        profile = DecodedStreamObject()
        profile.set_data(icc_profile())
        profile = profile.flate_encode(level=9)
        profile[NameObject("/N")] = NumberObject(3)
        root[NameObject("/OutputIntents")] = ArrayObject([DictionaryObject({
            NameObject("/Type"): NameObject("/OutputIntent"), NameObject("/S"): NameObject("/GTS_PDFA1"),
            NameObject("/OutputConditionIdentifier"): TextStringObject(OUTPUT_CONDITION),
            NameObject("/Info"): TextStringObject(OUTPUT_CONDITION),
            NameObject("/RegistryName"): TextStringObject("http://www.color.org"),
            NameObject("/DestOutputProfile"): writer._add_object(profile)})])
    writer.pdf_header = PDF_HEADER


def write_tree(writer: Any, root: Element, marks: Sequence[Sequence[Mark]], places: Sequence[tuple[Any, Any]],
               pages: Sequence[Any]) -> None:
    """The structure tree on a pypdf writer. marks: each drawn page's marked content; places:
    for each drawn page, the sheet side it is drawn on and the form XObject that holds its
    content (None: the side's own content). Each form with marks gets its own /StructParents,
    and each mark is reached by a marked-content reference naming the form (/Stm) and the side
    (/Pg). pages: every side, each given /Tabs /S."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

    tree_root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    root_ref = writer._add_object(tree_root)
    owner: dict[tuple[int, int], Any] = {}

    def element(node: Element, parent: Any) -> Any:
        made = DictionaryObject({NameObject("/Type"): NameObject("/StructElem"),
                                 NameObject("/S"): NameObject("/" + node.type), NameObject("/P"): parent})
        if node.title:
            made[NameObject("/T")] = TextStringObject(node.title)
        if node.lang:
            made[NameObject("/Lang")] = TextStringObject(node.lang)
        if node.alt:
            made[NameObject("/Alt")] = TextStringObject(node.alt)
        ref = writer._add_object(made)
        kids: list[Any] = []
        if node.marks:
            first_side, _ = places[node.marks[0][0]]
            made[NameObject("/Pg")] = first_side
            for page, mcid in node.marks:
                owner[(page, mcid)] = ref
                side, form = places[page]
                if form is None and side == first_side:
                    kids.append(NumberObject(mcid))
                    continue
                entry = DictionaryObject({NameObject("/Type"): NameObject("/MCR"), NameObject("/Pg"): side,
                                          NameObject("/MCID"): NumberObject(mcid)})
                if form is not None:
                    entry[NameObject("/Stm")] = form
                kids.append(entry)
        kids.extend(element(child, ref) for child in node.children)
        made[NameObject("/K")] = kids[0] if len(kids) == 1 and isinstance(kids[0], NumberObject) else ArrayObject(kids)
        return ref

    tree_root[NameObject("/K")] = ArrayObject([element(root, root_ref)])
    nums: list[Any] = []
    for number, found in enumerate(marks):
        if not found:
            continue
        side, form = places[number]
        holder = (form or side).get_object()
        holder[NameObject("/StructParents")] = NumberObject(number)
        nums.extend([NumberObject(number), ArrayObject([owner[(number, m.mcid)] for m in found])])
    for side in pages:
        side.get_object()[NameObject("/Tabs")] = NameObject("/S")
    tree_root[NameObject("/ParentTree")] = writer._add_object(DictionaryObject({NameObject("/Nums"): ArrayObject(nums)}))
    tree_root[NameObject("/ParentTreeNextKey")] = NumberObject(len(marks))
    tree_root[NameObject("/RoleMap")] = DictionaryObject(
        {NameObject("/" + k): NameObject("/" + v) for k, v in sorted(ROLE_MAP.items())})
    catalog = writer._root_object
    catalog[NameObject("/StructTreeRoot")] = root_ref
    catalog[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): _true()})
    catalog[NameObject("/ViewerPreferences")] = DictionaryObject({NameObject("/DisplayDocTitle"): _true()})


def _true() -> Any:
    from pypdf.generic import BooleanObject

    return BooleanObject(True)
