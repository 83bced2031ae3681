"""Sheets to the bytes of one PDF with reportlab: one text object a line, glyphs placed one by one.

reportlab embeds and subsets the TrueType faces and writes the file; the page content is
written here as PDF operators, one text object per line with each glyph at its own origin
(a relative Td), which is what extractors need and a fraction of the cost of reportlab's
text objects. reportlab reads reportlab_settings modules and RL_* variables when imported;
those are neutralised so that the output depends only on the source and the options.
"""

from __future__ import annotations

import io
import os
import sys
import zlib
from typing import Any, Iterable

from ..fonts import FaceStack
from ..look.sheet import Glyph, Lettering, Shape, Sheet, Stroke
from ..kept import Kept
from .catalog import Finish, finish_document
from .deflate import compress, remember_pages
from .tags import CELLS, ROLE_MAP, Element, LineTag, Mark, structure, structure_type

_REGISTERED: dict[str, str] = {}  # face name -> the SHA-256 of the file registered under it


def reportlab() -> Any:
    """Import reportlab with no local settings: an empty reportlab_settings module stands in
    for any on the path or in the working folder, HOME points nowhere (no
    ~/.reportlab_settings), and no RL_* variable is seen; then fix the two settings we rely on."""
    if "reportlab.rl_config" not in sys.modules:
        import types

        from .imaging import defer_pil_image

        defer_pil_image()  # reportlab imports PIL.Image; only an image drawn needs it

        saved_env = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("RL_")}
        saved_home = os.environ.get("HOME")
        os.environ["HOME"] = os.path.join(os.sep, "nonexistent-facsimile-home")
        saved_module = sys.modules.get("reportlab_settings")
        sys.modules["reportlab_settings"] = types.ModuleType("reportlab_settings")
        try:
            from reportlab import rl_config
        finally:
            os.environ.update(saved_env)
            if saved_home is None:
                os.environ.pop("HOME", None)
            else:
                os.environ["HOME"] = saved_home
            if saved_module is None:
                sys.modules.pop("reportlab_settings", None)
            else:
                sys.modules["reportlab_settings"] = saved_module
        rl_config.invariant = 1
        rl_config.useA85 = 0
    import reportlab.rl_config

    return reportlab.rl_config


def register_faces(stack: FaceStack) -> None:
    """Make the faces known to reportlab once per process."""
    reportlab()
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for face in stack.faces:
        if _REGISTERED.get(face.name) != face.sha256:  # new, or another file since (a font edited under a watch)
            font = face.font if face.font is not None else TTFont(face.name, str(face.path), asciiReadable=1)
            _remember_subsets(font.face)
            pdfmetrics.registerFont(font)
            _REGISTERED[face.name] = face.sha256


COMPRESSED_KEPT = 64 * 1024 * 1024  # bytes of compressed streams a process remembers


def remember_compressed() -> None:
    """From now on in this process, remember each stream reportlab compresses (the faces'
    subsets, the ICC profile, the sources) by a digest of its content: for a long-lived
    process (watch), whose rebuilds then compress only what changed, not the same 100 KB of
    faces again (2-3 ms of each rebuild of Document 4). The bytes are the same, zlib being the
    same function of the same input. The least recently used are forgotten past
    COMPRESSED_KEPT. Pages drawn again are compressed from where they changed (deflate.py),
    and an unchanged letterhead's figure is drawn once."""
    reportlab()
    import hashlib
    import zlib
    from collections import OrderedDict

    from reportlab.pdfbase import pdfdoc

    kept: OrderedDict[bytes, bytes] = OrderedDict()
    size = [0]

    def encode(text: str | bytes) -> bytes:
        data = text.encode("utf8") if isinstance(text, str) else text
        key = hashlib.blake2b(data, digest_size=20).digest() + len(data).to_bytes(8, "little")
        found = kept.get(key)
        if found is not None:
            kept.move_to_end(key)
            return found
        made = zlib.compress(data)
        kept[key] = made
        size[0] += len(made)
        while size[0] > COMPRESSED_KEPT and kept:
            size[0] -= len(kept.popitem(last=False)[1])
        return made

    remember_pages()  # and a page drawn again is compressed from where it changed
    FIGURES.keep_here()  # and a letterhead's figure drawn once
    if not getattr(pdfdoc.PDFZCompress, "remembers", False):
        pdfdoc.PDFZCompress.encode = encode  # the one instance every stream's filter list names
        pdfdoc.PDFZCompress.remembers = True


def _remember_subsets(face: Any) -> None:
    """A subset of a face depends only on its characters: remember each one made, so that the
    parts and rebuilds of a session (a watch, a handout) cut it once."""
    make = face.makeSubset
    made: dict[tuple[int, ...], bytes] = {}

    def subset(chars: list[int]) -> bytes:
        key = tuple(chars)
        if key not in made:
            made[key] = make(chars)
        return made[key]

    face.makeSubset = subset


Codes = dict[tuple[str, str], tuple[str, str, float]]  # (face, char) -> (font resource, PDF string,
# advance in ems)


def _canvas(buffer: io.BytesIO, size: tuple[float, float], stack: FaceStack, charset: dict[str, str],
            title: str) -> tuple[Any, Codes]:
    """A canvas with the document's subsets seeded in a fixed order, and the codes that draw
    each character in them: the same charset gives the same names and codes, in any process."""
    register_faces(stack)
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(buffer, pagesize=size, invariant=1, pageCompression=1,
                    initialFontName=stack.faces[0].name, initialFontSize=10)
    canvas.setTitle(title)
    canvas.setCreator("facsimile")
    canvas.setProducer("facsimile")
    codes: Codes = {}
    for name in sorted(charset):
        font = pdfmetrics.getFont(name)
        for ch in charset[name]:
            ((subset, encoded),) = font.splitString(ch, canvas._doc)
            codes[(name, ch)] = (font.getSubsetInternalName(subset, canvas._doc), _escape(encoded),
                                 font.stringWidth(ch, 1.0))
    for name in sorted(charset):  # a space in each face, after its characters: the words' spaces
        font = pdfmetrics.getFont(name)
        ((subset, encoded),) = font.splitString(" ", canvas._doc)
        internal = font.getSubsetInternalName(subset, canvas._doc)
        codes[(name, " ")] = (internal, _escape(encoded), font.stringWidth(" ", 1.0))
    return canvas, codes


_CODES: dict[tuple[object, ...], Codes] = {}  # font_codes' answers in this process (a watch's rebuilds)


def font_codes(stack: FaceStack, charset: dict[str, str]) -> Codes:
    """The codes page_operators needs, for drawing pages before the document is assembled:
    the same faces and characters give the same codes, so a process works them out once
    (each time cost a canvas of its own). Not to be changed by the caller."""
    key = (tuple(face.name for face in stack.faces), stack.fingerprint, tuple(sorted(charset.items())))
    found = _CODES.get(key)
    if found is None:
        found = _CODES[key] = _canvas(io.BytesIO(), (100.0, 100.0), stack, charset, "")[1]
        while len(_CODES) > 16:
            del _CODES[next(iter(_CODES))]
    return found


PREAMBLE = "1 0 0 1 0 0 cm "  # what reportlab's canvas writes first on each page of ours


def content_stream(operators: str, page: object = None) -> bytes:
    """A page's operators as the compressed content stream that reportlab would write for them
    (its preamble first, the same text, the same zlib call): made where the page is drawn, on
    every core, instead of one by one while the document is assembled. page names the page
    across a watch's rebuilds, whose compression resumes where the page is as it was."""
    return compress(f"{PREAMBLE}\n{operators}\n \n".encode("utf8"), page)


def assemble(pages: list[tuple[float, float, str | bytes]] | list[tuple[float, float, str | bytes, list[Mark]]],
             stack: FaceStack, charset: dict[str, str], title: str,
             parts: list[tuple[str, str]] | None = None, finish: Finish | None = None) -> bytes:
    """One PDF from page contents (width, height, operators or content_stream's bytes[, marks]):
    the faces embedded once. With parts (id, title) the PDF is tagged: the pages' marks become
    its structure tree; with finish, it carries its bookmarks, labels, metadata, XMP, output
    intent and sources."""
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream

    buffer = io.BytesIO()
    first = (pages[0][0], pages[0][1]) if pages else (595.0, 842.0)
    canvas, _ = _canvas(buffer, first, stack, charset, title)
    for page in pages:
        canvas.setPageSize((page[0], page[1]))
        content = page[2]
        if isinstance(content, bytes) and canvas._preamble != PREAMBLE:  # not as content_stream made it
            content = zlib.decompress(content).decode("utf8")[len(PREAMBLE) + 1:-3]
        if isinstance(content, bytes):
            canvas.showPage()
            canvas._doc.Pages.pages[-1].Contents = PDFStream(
                PDFDictionary({"Filter": PDFArray([PDFName("FlateDecode")])}), content)
        else:
            canvas._code.append(content)
            canvas.showPage()
    if parts is not None:
        marks = [[Mark(*m) for m in page[3]] if len(page) > 3 else [] for page in pages]  # type: ignore[misc]
        write_structure(canvas._doc, structure(marks, parts), marks, finish.lang if finish else "en-GB")
    if finish is not None:
        finish_document(canvas._doc, finish, len(pages))
    canvas.save()
    return buffer.getvalue()


def write_structure(doc: Any, root: Element, marks: list[list[Mark]], lang: str) -> None:
    """Write the structure tree into reportlab's document: the elements, the ParentTree that
    finds an element from a page's MCID, the RoleMap, and the catalog's marks of a tagged PDF."""
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFPage, PDFString

    page_keys = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]
    pages = doc.Pages.pages
    page_refs = [doc.Reference(page) for page in pages]
    owner: dict[tuple[int, int], Any] = {}  # (page, MCID) -> the element that holds it
    tree_root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
    root_ref = doc.Reference(tree_root)

    def element(node: Element, parent: Any) -> Any:
        entries: dict[str, Any] = {"Type": PDFName("StructElem"), "S": PDFName(node.type), "P": parent}
        if node.title:
            entries["T"] = PDFString(node.title)
        if node.lang:
            entries["Lang"] = PDFString(node.lang)
        if node.alt:
            entries["Alt"] = PDFString(node.alt)
        made = PDFDictionary(entries)
        ref = doc.Reference(made)
        kids: list[Any] = []
        if node.marks:
            first_page = node.marks[0][0]
            made["Pg"] = page_refs[first_page]
            for page, mcid in node.marks:
                owner[(page, mcid)] = ref
                kids.append(mcid if page == first_page else PDFDictionary(
                    {"Type": PDFName("MCR"), "Pg": page_refs[page], "MCID": mcid}))
        kids.extend(element(child, ref) for child in node.children)
        made["K"] = kids[0] if len(kids) == 1 and isinstance(kids[0], int) else PDFArray(kids)
        return ref

    tree_root["K"] = PDFArray([element(root, root_ref)])
    nums: list[Any] = []
    for number, found in enumerate(marks):
        if found:
            pages[number].StructParents = number
            nums.extend([number, PDFArray([owner[(number, m.mcid)] for m in found])])
        pages[number].Tabs = PDFName("S")
        pages[number].__NoDefault__ = page_keys
    tree_root["ParentTree"] = doc.Reference(PDFDictionary({"Nums": PDFArray(nums)}))
    tree_root["ParentTreeNextKey"] = len(marks)
    tree_root["RoleMap"] = PDFDictionary({name: PDFName(standard) for name, standard in sorted(ROLE_MAP.items())})
    catalog = doc.Catalog
    catalog.StructTreeRoot = root_ref
    catalog.MarkInfo = PDFDictionary({"Marked": "true"})
    catalog.Lang = PDFString(lang)
    catalog.ViewerPreferences = PDFDictionary({"DisplayDocTitle": "true"})


def render_pdf(sheets: Iterable[Sheet], stack: FaceStack, charset: dict[str, str], title: str) -> bytes:
    """Draw the sheets into a PDF; charset maps each face to every character the whole document
    types with it, so that every PDF made with it embeds an identical subset."""
    codes = font_codes(stack, charset)
    return assemble([(s.width, s.height, page_operators(s, codes)) for s in sheets], stack, charset, title)


def _escape(encoded: bytes) -> str:
    out = []
    for byte in encoded:
        ch = chr(byte)
        if ch in "()\\":
            out.append("\\" + ch)
        elif 32 <= byte < 127:
            out.append(ch)
        else:
            out.append(f"\\{byte:03o}")
    return "".join(out)


_NUMBERS: dict[float, str] = {}
_MOVES: dict[tuple[int, int, str], str] = {}  # a glyph's move and show, by offset and code


def _n(value: float) -> str:
    """A number as PDF writes it: at most two decimals, no trailing zeros (remembered: on a
    typed page the same few offsets recur thousands of times)."""
    try:
        return _NUMBERS[value]
    except KeyError:
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        text = "0" if text in ("-0", "") else text
        if len(_NUMBERS) < 100_000:
            _NUMBERS[value] = text
        return text


def _stroke_operators(strokes: Iterable[Stroke], ops: list[str]) -> tuple[float, float]:
    """Strokes as path operators appended to ops, setting grey and width only when they
    change; the ink and width last set (both -1 when there was no stroke)."""
    ink = width = -1.0
    for stroke in strokes:
        if stroke.ink != ink:
            ink = stroke.ink
            ops.append(f"{_n(1.0 - ink)} G")
        if stroke.width != width:
            width = stroke.width
            ops.append(f"{_n(width)} w")
        (x0, y0), *rest = stroke.points
        ops.append(f"{_n(x0)} {_n(y0)} m " + " ".join(f"{_n(px)} {_n(py)} l" for px, py in rest) + " S")
    return ink, width


FIGURES: Kept[tuple[str, ...]] = Kept(64)  # a watch's letterhead figures, by strokes and shapes


def _figure(strokes: tuple[Stroke, ...], shapes: tuple[Shape, ...]) -> tuple[str, ...]:
    """A lettered line's figure as path operators: its strokes (round caps and joins at the
    stylus width) and typed outlines, inside q/Q. Remembered: a watch's rebuilds draw the same
    letterhead on every save (the typed one is 5,000 points)."""
    return FIGURES.made((strokes, shapes), lambda: _figure_operators(strokes, shapes))


def _figure_operators(strokes: tuple[Stroke, ...], shapes: tuple[Shape, ...]) -> tuple[str, ...]:
    ops = ["q 1 J 1 j"]
    ink, width = _stroke_operators(strokes, ops)
    for shape in shapes:
        if shape.ink != ink:
            ink = shape.ink
            grey = _n(1.0 - ink)
            ops.append(f"{grey} g {grey} G")
        if shape.weight and shape.weight != width:
            width = shape.weight
            ops.append(f"{_n(width)} w")
        for (x0, y0), *rest in shape.contours:
            ops.append(f"{_n(x0)} {_n(y0)} m " + " ".join(f"{_n(px)} {_n(py)} l" for px, py in rest) + " h")
        ops.append("B" if shape.weight else "f")
    ops.append("Q")
    return tuple(ops)


def lettering_operators(item: Lettering, codes: Codes) -> tuple[list[str], list[str]]:
    """A lettered line as its figure, the strokes (round caps and joins at the stylus width)
    or typed outlines, and its content, its words as invisible text (render mode 3) over
    them, each character stretched (Tz) to span its letter; each inside q/Q, so that neither
    the mode nor the stretch reaches the typed lines."""
    ops = list(_figure(item.strokes, item.shapes))
    text = ["q BT 3 Tr"]
    font, size, stretch, x, y = "", -1.0, -1.0, 0.0, 0.0
    for char, face, glyph_size, gx, gy, glyph_stretch, end in item.text:
        name, code, _ = codes[(face, char)]
        if name != font or glyph_size != size:
            font, size = name, glyph_size
            text.append(f"{font} {_n(size)} Tf")
        if glyph_stretch != stretch:
            stretch = glyph_stretch
            text.append(f"{_n(stretch)} Tz")
        text.append(f"{_n(gx - x)} {_n(gy - y)} Td ({code}) Tj")
        x, y = gx, gy
        space = codes.get((face, " ")) if end else None
        if space is not None:  # a word space, for readers that take no gaps
            if space[0] != font:
                font = space[0]
                text.append(f"{font} {_n(size)} Tf")
            text.append(f"({space[1]}) Tj")
    text.append("ET Q")
    return ops, text


def _lettered(item: Lettering, codes: Codes, tag: LineTag | None, marks: list[Mark] | None) -> list[str]:
    """A lettered line's operators; tagged, its figure an artifact and its words the content of
    its block (the letterhead's heading), marked with the next MCID."""
    figure, content = lettering_operators(item, codes)
    if marks is None:
        return figure + content
    if tag is None or tag.artifact:
        return ["/Artifact BMC", *figure, *content, "EMC"]
    marks.append(Mark(len(marks), tag.part, tag.block, tag.kind))
    return ["/Artifact BMC", *figure, "EMC", f"/{structure_type(tag.kind)} <</MCID {len(marks) - 1}>> BDC",
            *content, "EMC"]


def page_operators(sheet: Sheet, codes: Codes) -> str:
    """The content of one page as PDF operators, untagged."""
    return _operators(sheet, codes, None)[0]


def tagged_operators(sheet: Sheet, codes: Codes, tags: tuple[LineTag, ...]) -> tuple[str, list[Mark]]:
    """The content of one page as PDF operators, marked: each block's lines on the page in one
    marked-content sequence with an MCID, page furniture and the look's marks as artifacts,
    and ActualText where the glyphs are not the transcription's text. Also the page's marks.
    tags: one for each of the sheet's lines, then one for each of its lettered lines."""
    return _operators(sheet, codes, tags)


def _lettering(sheet: Sheet, item: tuple[int, Lettering], codes: Codes, tags: tuple[LineTag, ...] | None,
               marks: list[Mark]) -> list[str]:
    number, lettering = item
    if tags is None:
        return _lettered(lettering, codes, None, None)
    at = len(sheet.lines) + number
    return _lettered(lettering, codes, tags[at] if at < len(tags) else None, marks)


def _sequence(kind: str, lang: str) -> str:
    """The tag of a block's marked-content sequence: its structure type, or Span for words in
    another language."""
    return "Span" if lang else structure_type(kind)


def _lang(lang: str) -> str:
    """A property list's /Lang entry, or nothing (a tag checked by the markup: letters, digits, -)."""
    return f" /Lang ({lang})" if lang else ""


def _text(value: str) -> str:
    """A PDF text string for a content stream: UTF-16BE, in hex."""
    return "<FEFF" + value.encode("utf-16-be").hex().upper() + ">"


def _joins(line: tuple[Glyph, ...], actual: str) -> list[bool]:
    """For each glyph, whether the next one continues its word in the actual text (the letters of
    a spaced word): such glyphs are shown one after another without a move, so that an
    extractor that ignores ActualText (pypdf) reads no space between them either."""
    joins = [False] * len(line)
    letters = iter(enumerate(actual))
    last = -1
    for i, glyph in enumerate(line):
        for at, ch in letters:
            if ch == glyph.char:
                if i and at == last + 1:
                    joins[i - 1] = True
                last = at
                break
            if ch != " ":
                return [False] * len(line)
        else:
            return [False] * len(line)
    return joins


def _operators(sheet: Sheet, codes: Codes, tags: tuple[LineTag, ...] | None) -> tuple[str, list[Mark]]:
    ops: list[str] = []
    marks: list[Mark] = []
    tagged = tags is not None
    if sheet.tone is not None:
        r, g, b = sheet.tone
        ops.append(("/Artifact BMC " if tagged else "")
                   + f"{_n(r)} {_n(g)} {_n(b)} rg 0 0 {_n(sheet.width)} {_n(sheet.height)} re f"
                   + (" EMC" if tagged else ""))
    open_block: tuple[str, int] | None = None  # the element whose sequence is open
    mode = 0  # the text render mode: it is text state, and lasts from one text object to the next
    lettered = list(enumerate(sheet.lettering))  # in reading order, each before the line it precedes
    for number, line in enumerate(sheet.lines):
        if lettered and lettered[0][1].after <= number and open_block is not None:
            ops.append("EMC")
            open_block = None
        while lettered and lettered[0][1].after <= number:
            ops.extend(_lettering(sheet, lettered.pop(0), codes, tags, marks))
        spans: dict[int, tuple[int, str]] = {}
        breaks: frozenset[int] = frozenset()
        cells: dict[int, tuple[int, int, int, int, int]] = {}  # a table row's cells, by first glyph
        langs: tuple[str, ...] = ()
        lang = ""  # the language of the open sequence
        if tags is not None:
            tag = tags[number] if number < len(tags) else LineTag("", 0, "", True)
            langs = tag.langs
            lang = langs[0] if langs else ""
            key = None if tag.artifact else (tag.part, tag.block, lang)
            cells = {cell[0]: cell for cell in tag.cells} if not tag.artifact else {}
            if (key != open_block or cells) and open_block is not None:
                ops.append("EMC")
                open_block = None
            if tag.artifact:
                ops.append("/Artifact <</Type /Pagination>> BDC")
            elif key != open_block and not cells:
                ops.append(f"/{_sequence(tag.kind, lang)} <</MCID {len(marks)}{_lang(lang)}>> BDC")
                marks.append(Mark(len(marks), tag.part, tag.block, tag.kind, tag.inner, lang))
                open_block = key
            spans = {start: (end, text) for start, end, text in tag.spans}
            breaks = frozenset(tag.breaks)
        elif number < len(sheet.actual) and sheet.actual[number]:  # untagged: the line is one span
            spans = {0: (len(line), sheet.actual[number])}
        whole = spans.get(0, (-1, ""))[0] == len(line)  # a line read as one span: its words' spaces still drawn
        joins = [False] * len(line)
        for start, (end, text) in spans.items():
            joins[start:end] = _joins(line[start:end], text)
        spacing = rise = 0.0  # Tc and Ts: set only inside a joined word, and reset after it
        ops.append("BT")
        font = ""
        size = -1.0
        ink = -1.0
        weight = -1.0
        x = y = 0.0
        span_end = -1
        cell_end = -1
        cell_spanned = False
        for index, (char, face, glyph_size, gx, gy, glyph_ink, glyph_weight) in enumerate(line):
            if index in cells:  # a table cell: its own sequence, with its words' ActualText
                _, cell_end, row, column, head = cells[index]
                cell_spanned = index in spans
                within = langs[index:cell_end]  # the cell's language, if all its words share one
                cell_lang = within[0] if within and len(set(within)) == 1 else ""
                ops.append(f"/{CELLS[head]} <</MCID {len(marks)}{_lang(cell_lang)}>> BDC")
                if cell_spanned:  # a Span's: poppler reads ActualText from a Span only, pdfium from the innermost
                    gap = " " if cell_end < len(line) else ""  # a space to the next cell, as typed
                    ops.append(f"/Span <</ActualText {_text(spans[index][1] + gap)}>> BDC")
                marks.append(Mark(len(marks), tag.part, tag.block, tag.kind, (row, column, head), cell_lang))
            elif spans and index in spans:  # its own sequence: poppler ends the MCID at a nested EMC
                span_end, actual = spans[index]
                if tagged:
                    lang = langs[index] if langs else ""
                    ops.append(f"EMC /Span <</MCID {len(marks)} /ActualText {_text(actual)}{_lang(lang)}>> BDC")
                    marks.append(Mark(len(marks), tag.part, tag.block, tag.kind, tag.inner, lang))
                else:
                    ops.append(f"/Span <</ActualText {_text(actual)}>> BDC")
            elif langs and not cells and span_end < 0 and langs[index] != lang:  # words in another language: a sequence
                lang = langs[index]  # of their own, with /Lang
                ops.append(f"EMC /{_sequence(tag.kind, lang)} <</MCID {len(marks)}{_lang(lang)}>> BDC")
                marks.append(Mark(len(marks), tag.part, tag.block, tag.kind, tag.inner, lang))
                open_block = (tag.part, tag.block, lang)
            name, code, advance = codes[(face, char)]
            if name != font or glyph_size != size:
                font, size = name, glyph_size
                ops.append(f"{font} {_n(size)} Tf")
            if glyph_ink != ink:
                ink = glyph_ink
                grey = _n(1.0 - ink)
                ops.append(f"{grey} g {grey} G")
            if glyph_weight != weight:
                if (glyph_weight > 0) != (mode == 2):
                    mode = 2 if glyph_weight > 0 else 0
                    ops.append(f"{mode} Tr")
                weight = glyph_weight
                if weight > 0:
                    ops.append(f"{_n(weight)} w")
            if index and joins[index - 1]:  # no move: Tc after the glyph before put it here
                lift = round(gy - y, 2)
                if lift != rise:
                    rise = lift
                    ops.append(f"{_n(rise)} Ts")
                move = f"({code}) Tj"
            else:
                if rise:
                    rise = 0.0
                    ops.append("0 Ts")
                # hundredths of a point, as integers: exact sums, and moves that recur are remembered
                dx, dy = int((gx - x) * 100 + 100000.5) - 100000, int((gy - y) * 100 + 100000.5) - 100000
                move = _MOVES.get((dx, dy, code))
                if move is None:
                    move = f"{_n(dx / 100)} {_n(dy / 100)} Td ({code}) Tj"
                    if len(_MOVES) < 200_000:
                        _MOVES[(dx, dy, code)] = move
                x, y = x + dx / 100, y + dy / 100
            after = round(line[index + 1].x - gx - advance * glyph_size, 2) if joins[index] else 0.0
            if after != spacing:
                spacing = after
                ops.append(f"{_n(spacing)} Tc")
            ops.append(move)
            if index + 1 == span_end:
                if tagged:
                    lang = langs[index + 1] if index + 1 < len(langs) else lang
                    ops.append(f"EMC /{_sequence(tag.kind, lang)} <</MCID {len(marks)}{_lang(lang)}>> BDC")
                    marks.append(Mark(len(marks), tag.part, tag.block, tag.kind, tag.inner, lang))
                    open_block = (tag.part, tag.block, lang)
                else:
                    ops.append("EMC")
                span_end = -1
            if index in breaks and (span_end < 0 or whole):  # a word space, for readers that take no gaps
                space_font, space, _ = codes[(face, " ")]
                if space_font != font:
                    font = space_font
                    ops.append(f"{font} {_n(size)} Tf")
                ops.append(f"({space}) Tj")
            if index + 1 == cell_end:  # the cell with its word space, and a space at the next cell:
                if index + 1 < len(line) and cell_spanned:  # its ActualText spans the gap (poppler
                    space_font, space, space_advance = codes[(face, " ")]  # spreads it over the span,
                    if space_font != font:  # and takes no gap in a row for a gutter between columns)
                        font = space_font
                        ops.append(f"{font} {_n(size)} Tf")
                    gap_x = line[index + 1].x - space_advance * size
                    dx, dy = int((gap_x - x) * 100 + 100000.5) - 100000, int((gy - y) * 100 + 100000.5) - 100000
                    ops.append(f"{_n(dx / 100)} {_n(dy / 100)} Td ({space}) Tj")
                    x, y = x + dx / 100, y + dy / 100
                ops.append("EMC EMC" if cell_spanned else "EMC")
                cell_end = -1
        if spacing or rise:  # text state outlasts the text object
            ops.append("0 Tc 0 Ts")
        ops.append("ET")
        if tags is not None and open_block is None and not cells:  # an artifact's sequence
            ops.append("EMC")
    if open_block is not None:
        ops.append("EMC")
    for item in lettered:
        ops.extend(_lettering(sheet, item, codes, tags, marks))
    if sheet.strokes:
        if tagged:
            ops.append("/Artifact BMC")
        ops.append("1 J")
        _stroke_operators(sheet.strokes, ops)
        if tagged:
            ops.append("EMC")
    if sheet.dots:  # a dot is a stroke of no length with a round cap: a fifth of a circle's bytes
        if tagged:
            ops.append("/Artifact BMC")
        ops.append("1 J")
        ink = width = -1.0
        for dot in sorted(sheet.dots, key=lambda d: (d.ink, d.radius, d.x, d.y)):
            if dot.ink != ink:
                ink = dot.ink
                ops.append(f"{_n(1.0 - ink)} G")
            if round(2 * dot.radius, 2) != width:
                width = round(2 * dot.radius, 2)
                ops.append(f"{_n(width)} w")
            ops.append(f"{_n(dot.x)} {_n(dot.y)} m {_n(dot.x)} {_n(dot.y)} l S")
        if tagged:
            ops.append("EMC")
    return "\n".join(ops), marks
