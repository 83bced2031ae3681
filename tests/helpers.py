"""Reading words back: from the source's parsed runs, from the typed grid, from a PDF."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from facsimile.layout.typeset import TypesetPart, typeset
from facsimile.layout.grid import to_text
from facsimile.layout.keyboard import typed
from facsimile.model import Document
from facsimile.layout.paper import make_grid
from facsimile.source.document import load_document

CHROME_ROLES = ("folio", "continuation")


def source_words(doc: Document, as_typed: bool = True) -> list[str]:
    """The words of every part as the typist types them (typewriter substitutions applied), or
    with the transcription's characters (as_typed False: what ActualText gives a reader)."""
    words: list[str] = []
    for part in doc.parts:
        for line in part.spec.head:  # the manifest's heads come first ("COPY")
            words.extend(line.split())
        for line in part.spec.letterhead:
            words.extend((line.upper() if doc.layout.letterhead != "plain" else line).split())
        for block in part.blocks:
            text = " ".join("".join(typed(ch) if as_typed else ch for run in line for ch in run.text)
                            for line in block.lines)
            if block.kind == "letterhead" and doc.layout.letterhead != "plain":
                text = text.upper()  # a letterhead is typed in capitals
            words.extend(text.split())
    return words


def typeset_document(folder: Path, **overrides: str) -> tuple[Document, list[TypesetPart]]:
    doc = load_document(folder, overrides or None)
    grid = make_grid(doc.layout.paper, doc.layout.pitch, doc.layout.spacing)
    return doc, typeset(doc, grid)


def grid_words(parts: list[TypesetPart], chrome: bool = True) -> list[str]:
    """The words on the typed pages, in reading order, with or without page numbers and marks."""
    words: list[str] = []
    for part in parts:
        for page in part.pages:
            for placed in sorted(page.lines, key=lambda p: p.row):
                if not chrome and placed.line.role in CHROME_ROLES:
                    continue
                words.extend(placed.line.searchable_text.split())
    return words


def transcribed_words(doc: Document, parts: list[TypesetPart], chrome: bool = True) -> list[str]:
    """The words on the typed pages as a reader that honours ActualText gets them: where the
    typist struck a substitute (a straight quote, hyphens for a dash), the transcription's
    character. Found from the source's runs, independently of the PDF writer."""
    from facsimile.layout.keyboard import SUBSTITUTES

    stands_for: dict[tuple[str, int, int], str] = {}
    for part in doc.parts:
        for block in part.blocks:
            for line in block.lines:
                for run in line:
                    for i, ch in enumerate(run.text):
                        if SUBSTITUTES.get(ch, " ").strip():
                            stands_for[(run.pos[0], run.pos[1], run.pos[2] + i)] = ch
    words: list[str] = []
    for part in parts:
        for page in part.pages:
            for placed in sorted(page.lines, key=lambda p: p.row):
                line = placed.line
                if not chrome and line.role in CHROME_ROLES:
                    continue
                out: list[str] = []
                col = line.cells[0].col if line.cells else 0
                previous = None
                for cell in line.cells:
                    where = tuple(cell.pos) if cell.pos is not None else None
                    if where in stands_for and where == previous:  # the second key of one character
                        col = cell.col + line.scale
                        continue
                    out.append(" " * ((cell.col - col) // line.scale))
                    out.append(" " if cell.ornament else stands_for.get(where, cell.char))  # type: ignore[arg-type]
                    col, previous = cell.col + line.scale, where
                words.extend("".join(out).split())
    return words


def page_texts(parts: list[TypesetPart]) -> list[str]:
    return [to_text(page) for part in parts for page in part.pages]


def pypdf_words(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(pdf).pages).split()


def pdftotext_words(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    return out.split()


def pdfium_words(pdf: Path) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    words: list[str] = []
    for page in document:
        words.extend(page.get_textpage().get_text_range().split())
    return words


def have(tool: str) -> bool:
    return shutil.which(tool) is not None


def run(*args: str):
    """The facsimile command through click's runner: its result (exit code, output)."""
    from click.testing import CliRunner

    from facsimile.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def actual_texts(content: bytes) -> list[str]:
    """The ActualText strings of a content stream (as facsimile writes them: UTF-16BE in hex)."""
    import re

    return [bytes.fromhex(text.decode()).decode("utf-16-be").lstrip("\ufeff")
            for text in re.findall(rb"/ActualText <([0-9A-Fa-f]+)>", content)]
