"""Supplied files that try to act on a reader's machine, and scans made for tests."""

from __future__ import annotations

from pathlib import Path


def hostile_pdf(path: Path) -> Path:
    """A one-page PDF with an opening JavaScript action, a launch action, a link and an
    embedded file: everything a placed scan must not carry into our PDF."""
    from pypdf import PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    writer.add_annotation(0, Link(rect=(50, 50, 200, 200), url="https://example.invalid/"))
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"),
        NameObject("/JS"): TextStringObject("app.alert('opened');"),
    })
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): DictionaryObject({
        NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("/bin/sh")})})
    writer.add_attachment("payload.sh", b"echo owned\n")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def scan_image(path: Path, size: tuple[int, int] = (1200, 1900)) -> Path:
    """A grey 'scan' of a typed page: ruled lines where the text would be."""
    from PIL import Image, ImageDraw

    image = Image.new("L", size, 235)
    draw = ImageDraw.Draw(image)
    for y in range(size[1] // 10, size[1] * 9 // 10, 40):
        draw.line((size[0] // 8, y, size[0] * 7 // 8, y), fill=40, width=6)
    image.save(path, dpi=(150, 150))
    return path
