"""A PDF built by facsimile to the document folder embedded in it (manifest, parts, notes).

The PDF is untrusted: it is read as a regular file within a limit (never a FIFO or a
device), its embedded names must be plain relative names (no '..', no leading dot, no line
break, each once), and the folder is written whole into a temporary sibling and renamed into
place, so that a failure leaves nothing behind.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
from pathlib import Path

from ..errors import FacsimileError, OutputError, SourceError, SourcePos, UsageError, display
from ..inputs import PDF_LIMIT, present, read_bounded

SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*")
MAX_FILES = 1000
MAX_BYTES = 64 * 1024 * 1024
ADVICE = "give unpack another TARGET folder"


def read_sources(pdf: Path) -> dict[str, bytes]:
    """The files embedded in a PDF, checked: names stay inside a folder, each once, sizes are
    bounded."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its warnings would break our one line
    shown = display(pdf)
    if not present(pdf):
        raise UsageError.at(SourcePos(shown), "no such file: give unpack the path of a PDF that "
                            "facsimile built")
    data = read_bounded(pdf, PDF_LIMIT, what="PDF")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise SourceError.at(SourcePos(shown), "this PDF is encrypted: unpack a PDF that "
                                 "facsimile built")
        attachments = reader.attachments
        files: dict[str, bytes] = {}
        total = 0
        for name in sorted(attachments):
            if len(attachments[name]) != 1:
                raise SourceError.at(SourcePos(shown), f"this PDF embeds '{_shown(name)}' "
                                     f"{len(attachments[name])} times: a facsimile PDF embeds each "
                                     "file once; refusing to unpack it")
            for content in attachments[name]:
                total += len(content)
                if len(files) >= MAX_FILES or total > MAX_BYTES:
                    raise SourceError.at(SourcePos(shown), "this PDF embeds more files than a "
                                         "document folder holds: it was not made by facsimile")
                files[name] = content
    except FacsimileError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, NotImplementedError, ZeroDivisionError, OSError) as exc:
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise SourceError.at(SourcePos(shown), f"this file is not a readable PDF ({reason}): give "
                             "unpack a PDF that facsimile built") from None
    if "document.toml" not in files:
        raise SourceError.at(SourcePos(shown), "this PDF carries no embedded source (no "
                             "document.toml): only PDFs built by facsimile can be unpacked")
    bad = [name for name in files if not SAFE_NAME.fullmatch(name) or ".." in name.split("/")]
    if bad:
        raise SourceError.at(SourcePos(shown), f"embedded file name '{_shown(bad[0])}' is not a plain "
                             "name inside the target folder: refusing to unpack this PDF")
    folded = {}
    for name in files:  # two names one file system would take for one (README and readme)
        if name.casefold() in folded:
            raise SourceError.at(SourcePos(shown), f"embedded files '{folded[name.casefold()]}' and "
                                 f"'{name}' differ only in case: refusing to unpack this PDF")
        folded[name.casefold()] = name
    return files


def _shown(name: str) -> str:
    return name.encode("unicode_escape").decode("ascii")[:80]


def unpack(pdf: Path, target: Path) -> list[Path]:
    """Write the PDF's embedded document folder into target (absent or empty), whole or not
    at all: into a temporary sibling folder first, renamed into place at the end."""
    shown = SourcePos(display(target))
    if target.is_symlink() or (target.exists() and (not target.is_dir() or any(target.iterdir()))):
        raise UsageError.at(shown, "TARGET exists and is not an empty folder: give unpack a new "
                            "folder, so that nothing is overwritten")
    files = read_sources(pdf)
    parent = target.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise OutputError.at(shown, f"cannot create the folder ({exc.strerror}): {ADVICE}") from None
    try:
        for name, data in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "xb") as handle:
                handle.write(data)
        os.chmod(staging, 0o755)
        if target.exists():
            target.rmdir()  # empty, checked above
        os.rename(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError.at(shown, f"cannot write the folder ({exc.strerror}); nothing was "
                             f"written: {ADVICE}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [target / name for name in files]
