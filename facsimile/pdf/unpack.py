"""A PDF built by facsimile to the document folder embedded in it (manifest, parts, notes)."""

from __future__ import annotations

import re
from pathlib import Path

from ..atomic import write_atomic
from ..errors import FacsimileError, SourceError, SourcePos, UsageError, display

SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$")
MAX_FILES = 1000
MAX_BYTES = 64 * 1024 * 1024


def read_sources(pdf: Path) -> dict[str, bytes]:
    """The files embedded in a PDF, checked: names stay inside a folder, sizes are bounded."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its warnings would break our one line
    shown = display(pdf)
    try:
        reader = PdfReader(pdf)
        if reader.is_encrypted:
            raise SourceError.at(SourcePos(shown), "this PDF is encrypted: unpack a PDF that "
                                 "facsimile built")
        attachments = reader.attachments
        files: dict[str, bytes] = {}
        total = 0
        for name in sorted(attachments):
            for data in attachments[name]:
                total += len(data)
                if len(files) >= MAX_FILES or total > MAX_BYTES:
                    raise SourceError.at(SourcePos(shown), "this PDF embeds more files than a "
                                         "document folder holds: it was not made by facsimile")
                files[name] = data
    except FileNotFoundError:
        raise UsageError.at(SourcePos(shown), "no such file: give the path of a PDF that "
                            "facsimile built") from None
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise SourceError.at(SourcePos(shown), f"this file is not a readable PDF ({exc}): give a "
                             "PDF that facsimile built") from None
    if "document.toml" not in files:
        raise SourceError.at(SourcePos(shown), "this PDF carries no embedded source (no "
                             "document.toml): only PDFs built by facsimile can be unpacked")
    bad = [name for name in files if not SAFE_NAME.match(name) or ".." in name.split("/")]
    if bad:
        raise SourceError.at(SourcePos(shown), f"embedded file name '{bad[0]}' would leave the "
                             "target folder: refusing to unpack this PDF")
    return files


def unpack(pdf: Path, target: Path) -> list[Path]:
    """Write the PDF's embedded document folder into target (absent or empty)."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError.at(SourcePos(display(target)), "the target exists and is not an empty "
                            "folder: give a new folder, so that nothing is overwritten")
    files = read_sources(pdf)
    written: list[Path] = []
    try:
        for name, data in files.items():
            path = target / name
            write_atomic(path, data)
            written.append(path)
    except FacsimileError:
        raise
    return written
