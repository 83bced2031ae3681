"""Sheets to the bytes of one PDF with reportlab: one text object a line, glyphs placed one by one."""

from __future__ import annotations

import io
from typing import Iterable

from .fonts import FaceStack
from .sheet import Sheet

_REGISTERED: set[str] = set()


def register_faces(stack: FaceStack) -> None:
    """Make the faces known to reportlab once per process."""
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
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen.canvas import Canvas

    register_faces(stack)
    buffer = io.BytesIO()
    sheets = list(sheets)
    width, height = (sheets[0].width, sheets[0].height) if sheets else (595.0, 842.0)
    first_face = stack.faces[0].name
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1, pageCompression=1,
                    initialFontName=first_face, initialFontSize=10)
    canvas.setTitle(title)
    canvas.setCreator("facsimile")
    canvas.setProducer("facsimile")
    for name in sorted(charset):  # the same subsets, under the same names, in every part
        font = pdfmetrics.getFont(name)
        for subset, _ in font.splitString("".join(sorted(charset[name])), canvas._doc):
            font.getSubsetInternalName(subset, canvas._doc)
    for sheet in sheets:
        canvas.setPageSize((sheet.width, sheet.height))
        _draw(canvas, sheet)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw(canvas: "Canvas", sheet: Sheet) -> None:  # type: ignore[name-defined]  # noqa: F821
    if sheet.tone is not None:
        canvas.setFillColorRGB(*sheet.tone)
        canvas.rect(0, 0, sheet.width, sheet.height, stroke=0, fill=1)
    for line in sheet.lines:
        text = canvas.beginText()
        font: tuple[str, float] | None = None
        ink: float | None = None
        mode = 0
        weight = -1.0
        for glyph in line:
            if font != (glyph.face, glyph.size):
                font = (glyph.face, glyph.size)
                text.setFont(glyph.face, glyph.size)
            if glyph.ink != ink:
                ink = glyph.ink
                grey = 1.0 - ink
                text.setFillGray(grey)
                text.setStrokeGray(grey)
            wanted = 2 if glyph.weight > 0 else 0
            if wanted != mode:
                mode = wanted
                text.setTextRenderMode(mode)
            if glyph.weight > 0 and glyph.weight != weight:
                weight = glyph.weight
                text._code.append(f"{weight:.3f} w")
            text.setTextOrigin(glyph.x, glyph.y)
            text.textOut(glyph.char)
        canvas.drawText(text)
    for stroke in sheet.strokes:
        canvas.setStrokeGray(1.0 - stroke.ink)
        canvas.setLineWidth(stroke.width)
        canvas.setLineCap(1)
        path = canvas.beginPath()
        path.moveTo(*stroke.points[0])
        for point in stroke.points[1:]:
            path.lineTo(*point)
        canvas.drawPath(path, stroke=1, fill=0)
    for dot in sheet.dots:
        canvas.setFillGray(1.0 - dot.ink)
        canvas.circle(dot.x, dot.y, dot.radius, stroke=0, fill=1)
