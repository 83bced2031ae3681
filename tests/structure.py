"""Reading a tagged PDF's structure tree back with pypdf: each element's type and the text of
its marked content in reading order, ActualText taking the place of the glyphs it covers."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _to_unicode(font: Any) -> dict[int, str]:
    """A font's codes to text, from its ToUnicode CMap (bfchar and bfrange entries)."""
    import re

    data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    found: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            found[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for n, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                found[code] = chr(int(text, 16) + n)
    return found


def _content_text(page: Any, reader: Any = None) -> dict[int, str]:
    """The text of each MCID on a page (or in a form XObject: a stream with its own
    resources), with ActualText where a sequence carries it."""
    from pypdf.generic import ContentStream

    fonts = {name: _to_unicode(font.get_object()) for name, font in page["/Resources"]["/Font"].items()}
    contents = page.get_contents() if hasattr(page, "get_contents") else ContentStream(page, reader)
    texts: dict[int, list[str]] = {}
    stack: list[tuple[int | None, bool]] = []
    codes: dict[int, str] = {}
    operations = contents.operations if isinstance(contents, ContentStream) else \
        ContentStream(contents, page.pdf).operations
    for operands, operator in operations:
        if operator == b"BDC":
            props = operands[1].get_object() if len(operands) > 1 else {}
            mcid, actual = props.get("/MCID"), props.get("/ActualText")
            stack.append((int(mcid) if mcid is not None else None, actual is not None))
            owner = mcid if mcid is not None else next((m for m, _ in reversed(stack) if m is not None), None)
            if owner is not None and actual is not None:  # a Span's ActualText inside a cell is the cell's
                texts.setdefault(int(owner), []).append(str(actual))
        elif operator == b"BMC":
            stack.append((None, False))
        elif operator == b"EMC":
            stack.pop()
        elif operator == b"Tf":
            codes = fonts[operands[0]]
        elif operator == b"Tj":
            for mcid, actual in reversed(stack):
                if actual:  # the glyphs of a span read as its ActualText
                    break
                if mcid is not None:
                    texts.setdefault(mcid, []).append("".join(codes.get(b, "") for b in _bytes(operands[0])))
                    break
            else:
                assert stack, "text outside any marked content: neither content nor artifact"
    return {mcid: "".join(parts) for mcid, parts in texts.items()}


def structure_text(pdf: Path) -> list[tuple[str, str]]:
    """Every element that holds marked content, in the tree's order: (type, text)."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    pages = {page.indirect_reference.idnum: page for page in reader.pages}
    cache: dict[int, dict[int, str]] = {}

    def page_text(ref: Any, stream: Any = None) -> dict[int, str]:
        """The MCIDs' texts of a page, or of a form XObject drawn on it (an MCR's /Stm)."""
        if stream is not None:
            if stream.idnum not in cache:
                cache[stream.idnum] = _content_text(stream.get_object(), reader)
            return cache[stream.idnum]
        if ref.idnum not in cache:
            cache[ref.idnum] = _content_text(pages[ref.idnum])
        return cache[ref.idnum]

    found: list[tuple[str, str]] = []

    def walk(node: Any, page: Any) -> None:
        node = node.get_object()
        page = node.get("/Pg", page)
        kids = node.get("/K")
        if kids is None:
            return
        kids = kids if isinstance(kids, list) else [kids]
        text: list[str] = []
        for kid in kids:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, int):
                text.append(page_text(page).get(kid, ""))
            elif kid.get("/Type") == "/MCR":
                text.append(page_text(kid.get("/Pg", page), kid.raw_get("/Stm") if "/Stm" in kid else None
                                      ).get(int(kid["/MCID"]), ""))
            else:
                walk(kid, page)
        if text:
            found.append((str(node["/S"])[1:], "".join(text)))

    walk(reader.trailer["/Root"]["/StructTreeRoot"], None)
    return found


def _bytes(value: Any) -> bytes:
    """A string operand's bytes (pypdf hands some over as text in PDFDocEncoding)."""
    if isinstance(value, bytes):
        return value
    if hasattr(value, "original_bytes"):
        return bytes(value.original_bytes)
    return str(value).encode("latin-1")
