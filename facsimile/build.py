"""A document folder to out/<document>.pdf: the driver that runs the stages in order."""

from __future__ import annotations

import hashlib
import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .report import BuildReport, PartReport, Progress, Step, unchanged_report

from .atomic import write_atomic
from .cache import Cache, code_fingerprint, options_key, part_key, unchanged_output
from .errors import Diagnostic, SourceError, SourcePos, display
from .fonts import FaceStack, load_faces
from .source.manifest import MANIFEST
from .pdf.merge import Metadata, PartPages, merge
from .model import Document
from .layout.paper import Grid, make_grid
from .draw import DrawnPage, draw_groups
from .pdf.render import assemble, font_codes
from .pdf.scanner import page_count, place_scan
from .source.document import load_document
from .layout.typeset import groups, source_charset, typeset

EXTRA_SOURCES = ("corrections.toml", "words.txt", "notes.toml")  # embedded when present


def pdf_date() -> str:
    """The PDF date for the metadata: SOURCE_DATE_EPOCH if set, else no date (reproducible)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return ""
    moment = datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


def prepare(folder: Path, overrides: dict[str, Any] | None, seed: int | None, diplomatic: bool
            ) -> tuple[Document, Grid, FaceStack, dict[str, str]]:
    """Load and check a document, and the characters it will type by face; every problem is
    reported at once (a part that did not parse is left out of the later checks)."""
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
    chars: dict[str, str] = {}
    try:
        chars = source_charset(doc, stack, SourcePos(display(folder / MANIFEST), 1, 1))
    except SourceError as error:
        problems.extend(error.diagnostics)
    if problems:  # typeset what did parse too, so that its problems come in the same report
        try:
            typeset(doc, grid)
        except SourceError as error:
            problems.extend(error.diagnostics)
        raise SourceError(problems)
    return doc, grid, stack, chars


def source_files(folder: Path, doc: Document) -> list[tuple[str, bytes]]:
    """The text files a build reads from the document folder, to embed in the PDF by their
    names. Scans are not embedded: they are large, and a supplied file is only ever placed
    after it has been checked and stripped."""
    names = {MANIFEST, *(part.spec.file for part in doc.parts if not part.scan)}
    names |= {name for name in EXTRA_SOURCES if (folder / name).is_file()}
    return [(name, (folder / name).read_bytes()) for name in sorted(names)]


class _Clock:
    """Seconds spent in each stage, in the order the stages ran."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, float]] = []
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages.append((stage, now - self.last))
        self.last = now


def build_document(folder: Path, out_dir: Path, overrides: dict[str, Any] | None = None,
                   seed: int | None = None, *, diplomatic: bool = False, use_cache: bool = True,
                   jobs: int | None = None, progress: Progress | None = None) -> BuildReport:
    """Build one document folder into out_dir/<folder name>.pdf, atomically.

    With the cache, a build whose inputs are those of the last one writes nothing, and a
    part whose input is unchanged is taken from the cache instead of being drawn again.
    jobs caps the processes that draw pages (None: every core); progress hears each step."""
    started = time.perf_counter()
    clock = _Clock()
    folder, out_dir = Path(folder), Path(out_dir)
    cache = Cache(out_dir, use_cache)
    path = out_dir / f"{folder.resolve().name}.pdf"
    key = ""
    if use_cache:
        key, path, unchanged = unchanged_output(folder, out_dir, options_key(overrides, seed, diplomatic))
        if unchanged:
            return unchanged_report(folder, path, time.perf_counter() - started)
    doc, grid, stack, chars = prepare(folder, overrides, seed, diplomatic)
    tell: Progress = progress or (lambda step: None)
    code = code_fingerprint()
    parts = groups(doc)
    keys: list[str] = []
    kept: list[bytes | None] = []
    for group in parts:
        if group.lead.scan:
            digest = hashlib.sha256(Path(group.lead.scan).read_bytes()).hexdigest()
            keys.append(part_key(code, digest, repr((grid.width_pt, grid.height_pt))))
        else:
            keys.append(part_key(code, stack.fingerprint, repr(doc.layout), repr(doc.seed), group.source,
                                 repr(chars)))
        kept.append(cache.part(doc.name, group.lead.spec.id, keys[-1]))
    codes = font_codes(stack, chars)
    todo = [i for i, group in enumerate(parts) if kept[i] is None and not group.lead.scan]
    clock.lap("read")
    made = [0]

    def drawn_one(index: int, pages: int, done: int, total: int) -> None:
        made[0] += pages
        tell(Step(doc.name, "drawing", parts[todo[index]].lead.spec.id, done, total, made[0]))

    drawn = dict(zip(todo, draw_groups([parts[i] for i in todo], doc, grid, stack, codes, jobs, drawn_one)))
    clock.lap("draw")
    problems = [d for result in drawn.values() for d in result.problems]
    if problems:
        raise SourceError(problems)
    contents: list[DrawnPage] = []
    pieces: list[PartPages] = []
    reports: list[PartReport] = []
    for i, group in enumerate(parts):
        spec, data = group.lead.spec, kept[i]
        if group.lead.scan:
            if data is None:
                data = place_scan(Path(group.lead.scan), grid.width_pt, grid.height_pt)
                cache.keep_part(doc.name, spec.id, keys[i], data)
            pieces.append(PartPages(spec.title, spec.label, 0, data))
            reports.append(PartReport(spec.id, spec.title, page_count(data), 0.0, kept[i] is not None))
            continue
        if i in drawn:
            pages, seconds = drawn[i].pages, drawn[i].seconds
            cache.keep_part(doc.name, spec.id, keys[i], json.dumps(pages).encode("ascii"))
        else:
            pages, seconds = [tuple(p) for p in json.loads(data)], 0.0  # type: ignore[arg-type, misc]
        contents.extend(pages)  # type: ignore[arg-type]
        pieces.append(PartPages(spec.title, spec.label, len(pages)))
        reports.append(PartReport(spec.id, spec.title, len(pages), seconds, i not in drawn))
    tell(Step(doc.name, "assembling", "", 0, 0, len(contents)))
    assembled = assemble(contents, stack, chars, doc.title, [(p.spec.id, p.spec.title) for p in doc.parts])
    clock.lap("assemble")
    tell(Step(doc.name, "merging", "", 0, 0, len(contents)))
    meta = Metadata(doc.title, doc.author, doc.subject, ", ".join(doc.keywords), pdf_date())
    data = merge(assembled, pieces, meta, source_files(folder, doc))
    clock.lap("merge")
    write_atomic(path, data)
    if key:
        cache.record(doc.name, key, data)
    clock.lap("write")
    made = tuple((a.correction.received, a.correction.corrected, a.count) for a in doc.corrections)
    return BuildReport(doc.name, path, tuple(reports), sum(r.pages for r in reports), len(data),
                       time.perf_counter() - started, stages=tuple(clock.stages), corrections=made)


__all__ = ["BuildReport", "PartReport", "Step", "build_document", "prepare", "source_files"]
