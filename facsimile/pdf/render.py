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
from typing import Any, Iterable

from ..fonts import FaceStack
from ..look.sheet import Sheet

_REGISTERED: set[str] = set()


def reportlab() -> Any:
    """Import reportlab with no local settings: an empty reportlab_settings module stands in
    for any on the path or in the working folder, HOME points nowhere (no
    ~/.reportlab_settings), and no RL_* variable is seen; then fix the two settings we rely on."""
    if "reportlab.rl_config" not in sys.modules:
        import types

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
        key = f"{face.name}:{face.sha256}"
        if key not in _REGISTERED:
            font = face.font if face.font is not None else TTFont(face.name, str(face.path), asciiReadable=1)
            _remember_subsets(font.face)
            pdfmetrics.registerFont(font)
            _REGISTERED.add(key)


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


Codes = dict[tuple[str, str], tuple[str, str]]  # (face, char) -> (font resource, PDF string)


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
            codes[(name, ch)] = (font.getSubsetInternalName(subset, canvas._doc), _escape(encoded))
    return canvas, codes


def font_codes(stack: FaceStack, charset: dict[str, str]) -> Codes:
    """The codes page_operators needs, for drawing pages before the document is assembled."""
    return _canvas(io.BytesIO(), (100.0, 100.0), stack, charset, "")[1]


def assemble(pages: list[tuple[float, float, str]], stack: FaceStack, charset: dict[str, str],
             title: str) -> bytes:
    """One PDF from page contents (width, height, operators): the faces embedded once."""
    buffer = io.BytesIO()
    first = (pages[0][0], pages[0][1]) if pages else (595.0, 842.0)
    canvas, _ = _canvas(buffer, first, stack, charset, title)
    for width, height, content in pages:
        canvas.setPageSize((width, height))
        canvas._code.append(content)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


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


def page_operators(sheet: Sheet, codes: dict[tuple[str, str], tuple[str, str]]) -> str:
    """The content of one page as PDF operators."""
    ops: list[str] = []
    if sheet.tone is not None:
        r, g, b = sheet.tone
        ops.append(f"{_n(r)} {_n(g)} {_n(b)} rg 0 0 {_n(sheet.width)} {_n(sheet.height)} re f")
    mode = 0  # the text render mode: it is text state, and lasts from one text object to the next
    for line in sheet.lines:
        ops.append("BT")
        font = ""
        size = -1.0
        ink = -1.0
        weight = -1.0
        x = y = 0.0
        for char, face, glyph_size, gx, gy, glyph_ink, glyph_weight in line:
            name, code = codes[(face, char)]
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
            # hundredths of a point, as integers: exact sums, and moves that recur are remembered
            dx, dy = int((gx - x) * 100 + 100000.5) - 100000, int((gy - y) * 100 + 100000.5) - 100000
            move = _MOVES.get((dx, dy, code))
            if move is None:
                move = f"{_n(dx / 100)} {_n(dy / 100)} Td ({code}) Tj"
                if len(_MOVES) < 200_000:
                    _MOVES[(dx, dy, code)] = move
            ops.append(move)
            x, y = x + dx / 100, y + dy / 100
        ops.append("ET")
    if sheet.strokes:
        ops.append("1 J")
        ink = width = -1.0
        for stroke in sheet.strokes:
            if stroke.ink != ink:
                ink = stroke.ink
                ops.append(f"{_n(1.0 - ink)} G")
            if stroke.width != width:
                width = stroke.width
                ops.append(f"{_n(width)} w")
            (x0, y0), *rest = stroke.points
            ops.append(f"{_n(x0)} {_n(y0)} m " + " ".join(f"{_n(px)} {_n(py)} l" for px, py in rest) + " S")
    if sheet.dots:  # a dot is a stroke of no length with a round cap: a fifth of a circle's bytes
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
    return "\n".join(ops)
