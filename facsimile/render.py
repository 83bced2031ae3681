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

from .fonts import FaceStack
from .sheet import Sheet

_REGISTERED: set[str] = set()
KAPPA = 0.5523  # control-point distance of a quarter-circle Bezier, as a fraction of the radius


def reportlab() -> Any:
    """Import reportlab with no local settings: no reportlab_settings module from the working
    folder or the home folder, no RL_* environment variable; then restore its defaults."""
    if "reportlab.rl_config" not in sys.modules:
        saved_env = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("RL_")}
        saved_path = list(sys.path)
        sys.path[:] = [p for p in sys.path if p not in ("", ".", os.getcwd())]
        saved_module = sys.modules.pop("reportlab_settings", None)
        try:
            from reportlab import rl_config, rl_settings
        finally:
            os.environ.update(saved_env)
            sys.path[:] = saved_path
            if saved_module is not None:
                sys.modules["reportlab_settings"] = saved_module
        for name in rl_settings.__all__:  # whatever a ~/.reportlab_settings set, undo it
            setattr(rl_config, name, getattr(rl_settings, name))
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
            pdfmetrics.registerFont(TTFont(face.name, str(face.path), asciiReadable=1))
            _REGISTERED.add(key)


def render_pdf(sheets: Iterable[Sheet], stack: FaceStack, charset: dict[str, str], title: str) -> bytes:
    """Draw the sheets into a PDF; charset maps each face to every character the whole document
    types with it, so that every part embeds an identical subset (merged once, not per part)."""
    register_faces(stack)
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    sheets = list(sheets)
    width, height = (sheets[0].width, sheets[0].height) if sheets else (595.0, 842.0)
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1, pageCompression=1,
                    initialFontName=stack.faces[0].name, initialFontSize=10)
    canvas.setTitle(title)
    canvas.setCreator("facsimile")
    canvas.setProducer("facsimile")
    codes: dict[tuple[str, str], tuple[str, str]] = {}
    for name in sorted(charset):  # the same subsets, under the same names, in every part
        font = pdfmetrics.getFont(name)
        for ch in charset[name]:
            ((subset, encoded),) = font.splitString(ch, canvas._doc)
            codes[(name, ch)] = (font.getSubsetInternalName(subset, canvas._doc), _escape(encoded))
    for sheet in sheets:
        canvas.setPageSize((sheet.width, sheet.height))
        canvas._code.append(page_operators(sheet, codes))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


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


def _n(value: float) -> str:
    """A number as PDF writes it: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def page_operators(sheet: Sheet, codes: dict[tuple[str, str], tuple[str, str]]) -> str:
    """The content of one page as PDF operators."""
    ops: list[str] = []
    if sheet.tone is not None:
        r, g, b = sheet.tone
        ops.append(f"{_n(r)} {_n(g)} {_n(b)} rg 0 0 {_n(sheet.width)} {_n(sheet.height)} re f")
    for line in sheet.lines:
        ops.append("BT")
        font = ""
        size = -1.0
        ink = -1.0
        weight = -1.0
        x = y = 0.0
        for glyph in line:
            name, code = codes[(glyph.face, glyph.char)]
            if name != font or glyph.size != size:
                font, size = name, glyph.size
                ops.append(f"{font} {_n(size)} Tf")
            if glyph.ink != ink:
                ink = glyph.ink
                grey = _n(1.0 - ink)
                ops.append(f"{grey} g {grey} G")
            if glyph.weight != weight:
                if (glyph.weight > 0) != (weight > 0):
                    ops.append("2 Tr" if glyph.weight > 0 else "0 Tr")
                weight = glyph.weight
                if weight > 0:
                    ops.append(f"{_n(weight)} w")
            dx, dy = round(glyph.x - x, 2), round(glyph.y - y, 2)
            ops.append(f"{_n(dx)} {_n(dy)} Td ({code}) Tj")
            x, y = x + dx, y + dy
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
    ink = -1.0
    for dot in sheet.dots:
        if dot.ink != ink:
            ink = dot.ink
            ops.append(f"{_n(1.0 - ink)} g")
        ops.append(_circle(dot.x, dot.y, dot.radius))
    return "\n".join(ops)


def _circle(x: float, y: float, r: float) -> str:
    k = KAPPA * r
    return (f"{_n(x + r)} {_n(y)} m "
            f"{_n(x + r)} {_n(y + k)} {_n(x + k)} {_n(y + r)} {_n(x)} {_n(y + r)} c "
            f"{_n(x - k)} {_n(y + r)} {_n(x - r)} {_n(y + k)} {_n(x - r)} {_n(y)} c "
            f"{_n(x - r)} {_n(y - k)} {_n(x - k)} {_n(y - r)} {_n(x)} {_n(y - r)} c "
            f"{_n(x + k)} {_n(y - r)} {_n(x + r)} {_n(y - k)} {_n(x + r)} {_n(y)} c f")
