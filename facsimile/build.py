"""A document folder to out/<document>.pdf: the driver that runs the stages in order."""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .atomic import write_atomic
from .cache import Cache, code_fingerprint, options_key, part_key, unchanged_output
from .errors import Diagnostic, SourceError, SourcePos, display
from .fonts import FaceStack, coverage_problems, load_faces
from .grid import FlowLine, Page
from .manifest import MANIFEST
from .merge import Metadata, PartPages, merge
from .model import Document
from .paginate import paginate
from .paper import Grid, make_grid
from .draw import DrawnPage as DrawPage, draw_all, job_for
from .render import assemble, font_codes
from .scanner import is_scan, page_count, place_scan
from .source import load_document
from .typist import type_part

EXTRA_SOURCES = ("corrections.toml", "words.txt", "notes.toml")  # embedded when present


@dataclass(frozen=True)
class PartReport:
    """What building one part gave: its id, pages and the seconds it took."""

    id: str
    title: str
    pages: int
    seconds: float
    cached: bool = False  # taken from the cache, not drawn again


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote."""

    document: str
    path: Path
    parts: tuple[PartReport, ...]
    pages: int
    size: int
    seconds: float
    unchanged: bool = False  # the inputs were those of the last build: nothing was written


@dataclass(frozen=True)
class TypesetPart:
    """A part laid out on pages (an imprint part is set at the foot of the part before it)."""

    id: str
    title: str
    label: str
    machine: str
    pages: tuple[Page, ...]
    seconds: float
    source: str = ""  # a digest of the part's source (and its imprint's): the pages follow from it
    scan: str = ""  # a scanned original placed as the part's pages


def typeset(doc: Document, grid: Grid) -> list[TypesetPart]:
    """Type and paginate every part; raise SourceError with every problem of every part."""
    problems: list[Diagnostic] = []
    flows: list[tuple[Any, list[FlowLine], float, str]] = []
    paragraph = 1
    for part in doc.parts:
        started = time.perf_counter()
        if part.scan:
            flows.append((part.spec, [], 0.0, part.scan))
            continue
        try:
            flow = type_part(part, grid, doc.layout, paragraph)
        except SourceError as exc:
            problems.extend(exc.diagnostics)
            continue
        finally:
            paragraph += sum(block.kind == "paragraph" for block in part.blocks)
        source = repr((part.spec, part.blocks))
        if part.spec.kind == "imprint" and flows and flows[-1][1]:
            spec, previous, seconds, earlier = flows[-1]
            foot = [FlowLine(f.line, f.gap, f.keep, True) for f in flow]
            flows[-1] = (spec, previous + foot, seconds + time.perf_counter() - started, earlier + source)
        else:
            flows.append((part.spec, flow, time.perf_counter() - started, source))
    if problems:
        raise SourceError(problems)
    result: list[TypesetPart] = []
    for spec, flow, seconds, source in flows:
        started = time.perf_counter()
        if not flow and is_scan(spec.file):
            result.append(TypesetPart(spec.id, spec.title, spec.label, spec.machine, (), 0.0, source, source))
            continue
        pages = paginate(flow, grid, doc.layout)
        result.append(TypesetPart(spec.id, spec.title, spec.label, spec.machine, tuple(pages),
                                  seconds + time.perf_counter() - started, source))
    return result


def _typed_chars(parts: list[TypesetPart]) -> set[str]:
    chars: set[str] = set()
    for part in parts:
        for page in part.pages:
            for placed in page.lines:
                chars.update(c[1] for c in placed.line.cells if not c[4])
    chars.discard(" ")
    return chars


def charset(parts: list[TypesetPart], stack: FaceStack) -> dict[str, str]:
    """Every character the document types, by the face that types it."""
    by_face: dict[str, set[str]] = {}
    for ch in _typed_chars(parts):
        face = stack.face_for(ch)
        if face is not None:
            by_face.setdefault(face.name, set()).add(ch)
    return {name: "".join(sorted(chars)) for name, chars in by_face.items()}


def check_coverage(parts: list[TypesetPart], stack: FaceStack, manifest: SourcePos) -> None:
    """Every character no face has, at every place it is typed (found only when there is one)."""
    missing = {ch for ch in _typed_chars(parts) if stack.face_for(ch) is None}
    if not missing:
        return
    cells = ((c.char, c.pos) for part in parts for page in part.pages for placed in page.lines
             for c in placed.line.cells if c.char in missing and not c.ornament)
    raise SourceError(coverage_problems(cells, stack, manifest))


def pdf_date() -> str:
    """The PDF date for the metadata: SOURCE_DATE_EPOCH if set, else no date (reproducible)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return ""
    moment = datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


def prepare(folder: Path, overrides: dict[str, Any] | None, seed: int | None, diplomatic: bool
            ) -> tuple[Document, list[TypesetPart], Grid, FaceStack]:
    """Load, typeset and check a document; every problem of every stage is reported at once
    (a part that did not parse is left out of the later stages, not the whole document)."""
    problems: list[Diagnostic] = []
    try:
        doc = load_document(folder, overrides, seed, diplomatic)
    except SourceError as error:
        if not isinstance(error.partial, Document):
            raise
        problems.extend(error.diagnostics)
        doc = error.partial
    grid = make_grid(doc.layout.paper, doc.layout.pitch, doc.layout.spacing)
    stack = load_faces()
    try:
        parts = typeset(doc, grid)
        check_coverage(parts, stack, SourcePos(display(folder / MANIFEST), 1, 1))
    except SourceError as error:
        problems.extend(error.diagnostics)
    if problems:
        raise SourceError(problems)
    return doc, parts, grid, stack


def source_files(folder: Path, doc: Document) -> list[tuple[str, bytes]]:
    """The text files a build reads from the document folder, to embed in the PDF by their
    names. Scans are not embedded: they are large, and a supplied file is only ever placed
    after it has been checked and stripped."""
    names = {MANIFEST, *(part.spec.file for part in doc.parts if not part.scan)}
    names |= {name for name in EXTRA_SOURCES if (folder / name).is_file()}
    return [(name, (folder / name).read_bytes()) for name in sorted(names)]


def build_document(folder: Path, out_dir: Path, overrides: dict[str, Any] | None = None,
                   seed: int | None = None, *, diplomatic: bool = False, use_cache: bool = True
                   ) -> BuildReport:
    """Build one document folder into out_dir/<folder name>.pdf, atomically.

    With the cache, a build whose inputs are those of the last one writes nothing, and a
    part whose input is unchanged is taken from the cache instead of being drawn again."""
    started = time.perf_counter()
    folder, out_dir = Path(folder), Path(out_dir)
    cache = Cache(out_dir, use_cache)
    path = out_dir / f"{folder.resolve().name}.pdf"
    key = ""
    if use_cache:
        key, path, unchanged = unchanged_output(folder, out_dir, options_key(overrides, seed, diplomatic))
        if unchanged:
            return BuildReport(folder.resolve().name, path, (), 0, path.stat().st_size,
                               time.perf_counter() - started, unchanged=True)
    doc, parts, grid, stack = prepare(folder, overrides, seed, diplomatic)
    chars = charset(parts, stack)
    code = code_fingerprint()
    keys: list[str] = []
    kept: list[bytes | None] = []
    for part in parts:
        if part.scan:
            digest = hashlib.sha256(Path(part.scan).read_bytes()).hexdigest()
            keys.append(part_key(code, digest, repr((grid.width_pt, grid.height_pt))))
        else:
            keys.append(part_key(code, stack.fingerprint, repr(doc.layout), repr(doc.seed), part.source,
                                 repr(chars)))
        kept.append(cache.part(doc.name, part.id, keys[-1]))
    drawing_started = time.perf_counter()
    codes = font_codes(stack, chars)
    todo = [i for i, part in enumerate(parts) if kept[i] is None and not part.scan]
    fresh = draw_all([job_for(parts[i], doc.layout.look, doc.seed, doc.layout.emphasis, doc.layout.paper_tone)
                      for i in todo], grid, stack, codes)
    drawn: dict[int, list[DrawPage]] = dict(zip(todo, fresh))
    drawing = time.perf_counter() - drawing_started
    contents: list[DrawPage] = []
    pieces: list[PartPages] = []
    reports: list[PartReport] = []
    for i, part in enumerate(parts):
        data = kept[i]
        if part.scan:
            if data is None:
                data = place_scan(Path(part.scan), grid.width_pt, grid.height_pt)
                cache.keep_part(doc.name, part.id, keys[i], data)
            pieces.append(PartPages(part.title, part.label, 0, data))
            reports.append(PartReport(part.id, part.title, page_count(data), part.seconds, kept[i] is not None))
            continue
        if i in drawn:
            pages = drawn[i]
            cache.keep_part(doc.name, part.id, keys[i], json.dumps(pages).encode("ascii"))
        else:
            pages = [tuple(p) for p in json.loads(data)]  # type: ignore[arg-type, misc]
        contents.extend(pages)
        pieces.append(PartPages(part.title, part.label, len(pages)))
        share = drawing * len(part.pages) / max(1, sum(len(parts[j].pages) for j in todo)) if i in drawn else 0
        reports.append(PartReport(part.id, part.title, len(pages), part.seconds + share, i not in drawn))
    assembled = assemble(contents, stack, chars, doc.title)
    meta = Metadata(doc.title, doc.author, doc.subject, ", ".join(doc.keywords), pdf_date())
    data = merge(assembled, pieces, meta, source_files(folder, doc))
    write_atomic(path, data)
    if key:
        cache.record(doc.name, key, data)
    return BuildReport(doc.name, path, tuple(reports), sum(r.pages for r in reports), len(data),
                       time.perf_counter() - started)
