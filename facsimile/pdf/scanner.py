"""A scan of an original (PDF, PNG, JPEG or TIFF) to a part PDF on our paper, checked and stripped.

Supplied files are read in a child process with a time and memory limit, so that a crafted
file can neither hang the build nor exhaust the machine. PDFs are refused when encrypted or
too large, read with pypdf's decompression limits, and only their page content is kept: no
annotations, actions, JavaScript, forms or embedded files survive. Images are checked against
a pixel limit before they are decoded. Each page is scaled to fit the paper and centred.

Run as a program (python -m facsimile.scanner PATH WIDTH HEIGHT), it writes the part PDF to
standard output, or one line to standard error and exits 2.
"""

from __future__ import annotations

import io
import os
import sys
from typing import Any
from pathlib import Path

from ..errors import SourceError, SourcePos, display

SCAN_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")
MAX_PAGES = 200
MAX_PAGE_POINTS = 200 * 72  # 200 inches a side
MAX_PIXELS = 60_000_000  # about a foolscap sheet at 1,200 dpi
MAX_STREAM_BYTES = 200_000_000
MEMORY_LIMIT = 1536 * 1024 * 1024
TIME_LIMIT = 60  # seconds
MARGIN = 18.0  # points kept clear around a scan


class ScanRefused(Exception):
    """A supplied file that will not be placed, with the reason a user can act on."""


def is_scan(file: str) -> bool:
    return Path(file).suffix.lower() in SCAN_SUFFIXES


def place_scan(path: Path, width: float, height: float) -> bytes:  # noqa: D401
    """The part PDF for a scan, made in a child process with limits; SourceError on refusal."""
    import subprocess

    shown = display(path)
    command = [sys.executable, "-m", "facsimile.pdf.scanner", str(path), repr(width), repr(height)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("RL_")}
    try:
        done = subprocess.run(command, capture_output=True, timeout=TIME_LIMIT, env=env,
                              preexec_fn=_limits if os.name == "posix" else None)
    except subprocess.TimeoutExpired:
        raise SourceError.at(SourcePos(shown), f"reading this scan took more than {TIME_LIMIT} s: "
                             "it may be damaged or crafted; export it again, or use an image") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        message = reason[-1] if reason and done.returncode == 2 else (
            "reading this scan ran out of memory or failed: it may be damaged or crafted; "
            "export it again at a lower resolution")
        raise SourceError.at(SourcePos(shown), message)
    return done.stdout


def page_count(pdf: bytes) -> int:
    """Pages of a part PDF that we made (reportlab or pypdf write one /Type /Page each)."""
    import re

    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def _limits() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (TIME_LIMIT, TIME_LIMIT))


def scan_pdf_bytes(path: Path, width: float, height: float) -> bytes:
    """In the child: the checked, stripped, fitted part PDF (the file is read again here, as a
    regular file within the limit, whatever it became since the build looked at it)."""
    from ..errors import SourceError
    from ..inputs import SCAN_LIMIT, read_bounded

    try:
        data = read_bounded(path, SCAN_LIMIT, what="scan")
    except SourceError as error:
        raise ScanRefused(error.diagnostics[0].message) from None
    if path.suffix.lower() == ".pdf":
        return _from_pdf(io.BytesIO(data), width, height)
    return _from_image(io.BytesIO(data), width, height)


def _limit_pypdf() -> None:
    import logging

    import pypdf.filters

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    for limit in ("ZLIB_MAX_OUTPUT_LENGTH", "LZW_MAX_OUTPUT_LENGTH", "MAX_DECLARED_STREAM_LENGTH",
                  "MAX_ARRAY_BASED_STREAM_OUTPUT_LENGTH", "RUN_LENGTH_MAX_OUTPUT_LENGTH"):
        if hasattr(pypdf.filters, limit):
            setattr(pypdf.filters, limit, min(getattr(pypdf.filters, limit), MAX_STREAM_BYTES))


# What a damaged or crafted PDF makes pypdf raise (besides its own errors): a refusal, never a crash.
READ_ERRORS = (ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError,
               ZeroDivisionError, NotImplementedError)


def _without_actions(page: Any) -> None:
    """A placed page without the links and actions a merged page can bring along."""
    for key in ("/Annots", "/AA"):
        if key in page:
            del page[key]


def _written(writer: Any) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def strip_placed(pdf: bytes, width: float, height: float) -> bytes:
    """A placed scan's part PDF (made now, or taken from the cache) rebuilt from its pages'
    content alone, on pages of our paper's size: whatever else it carries (actions, links,
    scripts, forms, files, outlines) is left behind. ScanRefused when it is not such a PDF."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    _limit_pypdf()
    try:
        reader = PdfReader(io.BytesIO(pdf), strict=False)
        if reader.is_encrypted or not 0 < len(reader.pages) <= MAX_PAGES:
            raise ScanRefused("not a placed scan")
        writer = PdfWriter()
        for page in reader.pages:
            w, h = float(page.mediabox.width), float(page.mediabox.height)
            if abs(w - width) > 0.01 or abs(h - height) > 0.01:
                raise ScanRefused("a page of another size")
            target = writer.add_blank_page(width, height)
            target.merge_page(page)
            _without_actions(target)
        return _written(writer)
    except ScanRefused:
        raise
    except (PyPdfError, *READ_ERRORS) as exc:
        raise ScanRefused(f"this PDF cannot be read ({type(exc).__name__})") from None


def _from_pdf(path: io.BytesIO, width: float, height: float) -> bytes:
    from pypdf import PdfReader, PdfWriter, Transformation
    from pypdf.errors import PyPdfError

    _limit_pypdf()
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            raise ScanRefused("this PDF is encrypted: save an unencrypted copy of the scan")
        count = len(reader.pages)
        if not 0 < count <= MAX_PAGES:
            raise ScanRefused(f"this PDF has {count} pages: a scanned part may have 1 to {MAX_PAGES}")
        writer = PdfWriter()
        for page in reader.pages:
            w, h = float(page.mediabox.width), float(page.mediabox.height)
            if not (0 < w <= MAX_PAGE_POINTS and 0 < h <= MAX_PAGE_POINTS):
                raise ScanRefused(f"a page of this PDF is {w:.0f} x {h:.0f} pt: scans up to "
                                  f"{MAX_PAGE_POINTS // 72} inches a side are placed")
            scale = min((width - 2 * MARGIN) / w, (height - 2 * MARGIN) / h)
            x0, y0 = float(page.mediabox.left), float(page.mediabox.bottom)
            target = writer.add_blank_page(width, height)
            for key in ("/Annots", "/AA"):
                if key in page:
                    del page[key]
            move = (Transformation().translate(-x0, -y0).scale(scale)
                    .translate((width - w * scale) / 2, (height - h * scale) / 2))
            target.merge_transformed_page(page, move)
            _without_actions(target)
        return _written(writer)
    except ScanRefused:
        raise
    except (PyPdfError, *READ_ERRORS) as exc:
        raise ScanRefused(f"this PDF cannot be read ({type(exc).__name__}): export the scan again") from None


def _from_image(path: io.BytesIO, width: float, height: float) -> bytes:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(path) as image:  # reads the header only: the size is known before decoding
            w, h = image.size
            if w * h > MAX_PIXELS:
                raise ScanRefused(f"this image is {w} x {h} pixels: scale it below "
                                  f"{MAX_PIXELS // 1_000_000} million pixels")
            image.load()
            picture = image.convert("L" if image.mode in ("1", "L", "LA", "I", "I;16", "F") else "RGB")
    except ScanRefused:
        raise
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError) as exc:
        raise ScanRefused(f"this image cannot be read ({type(exc).__name__}): export the scan "
                          "again as PNG or JPEG") from None
    from .render import reportlab

    reportlab()
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    dpi = image.info.get("dpi", (0, 0))[0] or 300
    natural = (w * 72 / dpi, h * 72 / dpi)
    scale = min((width - 2 * MARGIN) / natural[0], (height - 2 * MARGIN) / natural[1])
    shown = (natural[0] * scale, natural[1] * scale)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1, pageCompression=1)
    canvas.drawImage(ImageReader(picture), (width - shown[0]) / 2, (height - shown[1]) / 2,
                     shown[0], shown[1])
    canvas.showPage()
    canvas.save()
    return _without_fonts(buffer.getvalue())


def _without_fonts(pdf: bytes) -> bytes:
    """reportlab lists its default Helvetica on every page and selects it in an empty text
    object; an image page uses no font, and an unembedded font is one a validator rightly
    objects to: both go (a font selected but not listed is one poppler objects to)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ContentStream, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        resources = page.get("/Resources")
        if resources is not None and "/Font" in resources.get_object():
            del resources.get_object()[NameObject("/Font")]
        content = ContentStream(page.get_contents(), writer)
        kept: list[tuple[list, bytes]] = []
        text: list[tuple[list, bytes]] | None = None
        for operands, operator in content.operations:
            if operator == b"BT":
                text = [(operands, operator)]
            elif text is not None:
                text.append((operands, operator))
                if operator == b"ET":  # keep a text object only if it shows text
                    if any(op in (b"Tj", b"TJ", b"'", b'"') for _, op in text):
                        kept.extend(text)
                    text = None
            else:
                kept.append((operands, operator))
        content.operations = kept
        page.replace_contents(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def main(argv: list[str]) -> int:
    try:
        path, width, height = Path(argv[0]), float(argv[1]), float(argv[2])
        data = scan_pdf_bytes(path, width, height)
    except ScanRefused as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except MemoryError:
        print("reading this scan needs more memory than allowed: export it at a lower resolution",
              file=sys.stderr)
        return 2
    sys.stdout.buffer.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
