"""A document folder to out/<document>.pdf: the driver that runs the stages in order."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .atomic import write_atomic
from .effects import make_sheets
from .machine import Machine
from .errors import Diagnostic, SourceError, SourcePos, display
from .fonts import FaceStack, coverage_problems, load_faces
from .grid import FlowLine, Page
from .manifest import MANIFEST
from .merge import Metadata, RenderedPart, merge
from .model import Document
from .paginate import paginate
from .paper import Grid, make_grid
from .render import render_pdf
from .source import load_document
from .typist import type_part


@dataclass(frozen=True)
class PartReport:
    """What building one part gave: its id, pages and the seconds it took."""

    id: str
    title: str
    pages: int
    seconds: float


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote."""

    document: str
    path: Path
    parts: tuple[PartReport, ...]
    pages: int
    size: int
    seconds: float


@dataclass(frozen=True)
class TypesetPart:
    """A part laid out on pages (an imprint part is set at the foot of the part before it)."""

    id: str
    title: str
    label: str
    machine: str
    pages: tuple[Page, ...]
    seconds: float


def typeset(doc: Document, grid: Grid) -> list[TypesetPart]:
    """Type and paginate every part; raise SourceError with every problem of every part."""
    problems: list[Diagnostic] = []
    flows: list[tuple[Any, list[FlowLine], float]] = []
    for part in doc.parts:
        started = time.perf_counter()
        try:
            flow = type_part(part, grid, doc.layout)
        except SourceError as exc:
            problems.extend(exc.diagnostics)
            continue
        if part.spec.kind == "imprint" and flows:
            spec, previous, seconds = flows[-1]
            foot = [FlowLine(f.line, f.gap, f.keep, True) for f in flow]
            flows[-1] = (spec, previous + foot, seconds + time.perf_counter() - started)
        else:
            flows.append((part.spec, flow, time.perf_counter() - started))
    if problems:
        raise SourceError(problems)
    result: list[TypesetPart] = []
    for spec, flow, seconds in flows:
        started = time.perf_counter()
        pages = paginate(flow, grid, doc.layout)
        result.append(TypesetPart(spec.id, spec.title, spec.label, spec.machine, tuple(pages),
                                  seconds + time.perf_counter() - started))
    return result


def charset(parts: list[TypesetPart], stack: FaceStack) -> dict[str, str]:
    """Every character the document types, by the face that types it."""
    by_face: dict[str, set[str]] = {}
    for part in parts:
        for page in part.pages:
            for placed in page.lines:
                for cell in placed.line.cells:
                    if cell.char != " " and not cell.ornament:
                        face = stack.face_for(cell.char)
                        if face is not None:
                            by_face.setdefault(face.name, set()).add(cell.char)
    return {name: "".join(sorted(chars)) for name, chars in by_face.items()}


def check_coverage(parts: list[TypesetPart], stack: FaceStack, manifest: SourcePos) -> None:
    cells = ((c.char, c.pos) for part in parts for page in part.pages for placed in page.lines
             for c in placed.line.cells if not c.ornament)
    problems = coverage_problems(cells, stack, manifest)
    if problems:
        raise SourceError(problems)


def pdf_date() -> str:
    """The PDF date for the metadata: SOURCE_DATE_EPOCH if set, else no date (reproducible)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return ""
    moment = datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


def build_document(folder: Path, out_dir: Path, overrides: dict[str, Any] | None = None,
                   seed: int | None = None) -> BuildReport:
    """Build one document folder into out_dir/<folder name>.pdf, atomically."""
    started = time.perf_counter()
    doc = load_document(folder, overrides, seed)
    grid = make_grid(doc.layout.paper, doc.layout.pitch, doc.layout.spacing)
    stack = load_faces()
    parts = typeset(doc, grid)
    check_coverage(parts, stack, SourcePos(display(Path(folder) / MANIFEST), 1, 1))
    chars = charset(parts, stack)
    rendered: list[RenderedPart] = []
    reports: list[PartReport] = []
    for part in parts:
        part_started = time.perf_counter()
        sheets = make_sheets(list(part.pages), grid, stack, doc.layout.look, Machine(doc.seed, part.machine),
                             f"{doc.seed}:{part.id}", doc.layout.emphasis, doc.layout.paper_tone)
        pdf = render_pdf(sheets, stack, chars, part.title)
        rendered.append(RenderedPart(part.title, part.label, pdf, len(part.pages)))
        reports.append(PartReport(part.id, part.title, len(part.pages),
                                  part.seconds + time.perf_counter() - part_started))
    meta = Metadata(doc.title, doc.author, doc.subject, ", ".join(doc.keywords), pdf_date())
    data = merge(rendered, meta)
    path = Path(out_dir) / f"{doc.name}.pdf"
    write_atomic(path, data)
    return BuildReport(doc.name, path, tuple(reports), sum(r.pages for r in rendered), len(data),
                       time.perf_counter() - started)
