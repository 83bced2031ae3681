"""A document folder to out/<document>.pdf: the driver that runs the stages in order."""

from __future__ import annotations

import binascii
import re
import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .report import BuildReport, Clock, PartReport, Progress, Step, unchanged_report

from .atomic import write_atomic
from .cache import EXTRA_SOURCES, Cache, code_fingerprint, options_key, part_key, unchanged_output
from .errors import Diagnostic, SourceError, SourcePos, UsageError, display
from .outputs import check_not_an_input
from .inputs import SCAN_LIMIT, TEXT_LIMIT, TOML_LIMIT, digest_bounded, present, read_inside
from .fonts import FaceStack, load_faces
from .source.manifest import MANIFEST
from .pdf.catalog import Finish
from .pdf.colophon import record, statement, with_colophon
from .pdf.merge import PartPages, merge
from .model import Document
from .layout.paper import Grid, make_grid
from .draw import DrawnPage, draw_groups
from .pdf.render import assemble, font_codes
from .pdf.scanner import ScanRefused, page_count, place_scan, strip_placed
from .source.document import load_document
from .layout.typeset import groups, source_charset, typeset



LAST_EPOCH = 253402300799  # 9999-12-31 23:59:59 UTC: a PDF date has four digits of year
UNKNOWN_DATE = "D:19700101000000+00'00'"  # an embedded file's date when none is known (PDF/A asks for
# one; a clock's would change the bytes): the start of SOURCE_DATE_EPOCH's count


def pdf_date() -> str:
    """The PDF date for the metadata: SOURCE_DATE_EPOCH if set, else no date (reproducible).
    UsageError unless it is a whole number of seconds since 1970 from 0 to LAST_EPOCH."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "")
    epoch = raw.strip()
    if not epoch:
        return ""
    if not (epoch.isascii() and epoch.isdigit() and len(epoch) <= 12 and int(epoch) <= LAST_EPOCH):
        shown = raw if len(raw) <= 40 and raw.isprintable() else repr(raw[:40])
        raise UsageError.at(SourcePos("SOURCE_DATE_EPOCH"), f"'{shown}' is not a date: set it to "
                            f"whole seconds since 1970-01-01 UTC, from 0 to {LAST_EPOCH} "
                            "(9999-12-31), e.g. $(git log -1 --format=%ct), or unset it")
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
    if doc.layout.colophon:
        from . import __version__

        doc = with_colophon(doc, statement(doc, diplomatic, __version__, pdf_day()))
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


def pdf_day() -> str:
    """The build's day for the colophon: SOURCE_DATE_EPOCH's, else none (reproducible)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%d") if epoch.isdigit() else ""


def xmp_date() -> str:
    """The build's moment for the XMP, as the Info dictionary's date: SOURCE_DATE_EPOCH's, else none."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if epoch.isdigit() else ""


def outline(pieces: list[PartPages]) -> tuple[tuple[str, str, int, int], ...]:
    """Each part's bookmark title, label prefix, first page and pages, in a text-only document."""
    found: list[tuple[str, str, int, int]] = []
    start = 0
    for piece in pieces:
        found.append((piece.title, piece.label, start, piece.pages))
        start += piece.pages
    return tuple(found)


def finishing(folder: Path, doc: Document, diplomatic: bool, parts: tuple[tuple[str, str, int, int], ...],
              sources: list[tuple[str, bytes]] | None = None, name: str = "") -> Finish:
    """What the PDF's catalog carries: metadata, XMP and output intent (PDF/A), the embedded
    sources with their dates, and the bookmarks and labels when no scan is to be inserted.
    name: what the statement calls the transcription without a provenance source (a pack's title)."""
    from . import __version__

    received = dict(doc.provenance).get("received", "")
    sources_date = pdf_date() or (f"D:{received.replace('-', '')}000000+00'00'"
                                  if re.fullmatch(r"\d{4}-\d{2}-\d{2}", received) else UNKNOWN_DATE)
    paragraphs = statement(doc, diplomatic, __version__, pdf_day(), name)
    return Finish(doc.title, doc.author, doc.subject, ", ".join(doc.keywords), pdf_date(),
                  tuple(source_files(folder, doc) if sources is None else sources), sources_date, parts,
                  record(doc, diplomatic, paragraphs, xmp_date(), doc.layout.pdf_a, doc.lang), lang=doc.lang)


def source_files(folder: Path, doc: Document) -> list[tuple[str, bytes]]:
    """The text files a build reads from the document folder, to embed in the PDF by their
    names. Scans are not embedded: they are large, and a supplied file is only ever placed
    after it has been checked and stripped."""
    names = {MANIFEST, *(part.spec.file for part in doc.parts if not part.scan and part.spec.file)}
    names |= {name for name in EXTRA_SOURCES if present(folder / name)}
    limits = {MANIFEST: TOML_LIMIT, "corrections.toml": TOML_LIMIT, "notes.toml": TOML_LIMIT}
    return [(name, read_inside(folder, name, limits.get(name, TEXT_LIMIT))) for name in sorted(names)]


def part_keys(doc: Document, grid: Grid, stack: FaceStack, chars: dict[str, str]) -> list[str]:
    """The cache key of each group of parts: plain, sorted data only, so that a key is the
    same in every process whatever its hash seed."""
    code = code_fingerprint()
    keys: list[str] = []
    for group in groups(doc):
        if group.lead.scan:
            digest = digest_bounded(Path(group.lead.scan), SCAN_LIMIT, what="scan")
            keys.append(part_key(code, digest, repr((grid.width_pt, grid.height_pt))))
        else:
            keys.append(part_key(code, stack.fingerprint, repr(doc.layout), repr(doc.seed), group.source,
                                 repr(sorted(chars.items()))))
    return keys


def build_document(folder: Path, out_dir: Path, overrides: dict[str, Any] | None = None,
                   seed: int | None = None, *, diplomatic: bool = False, use_cache: bool = True,
                   jobs: int | None = None, progress: Progress | None = None,
                   checked: tuple[str, Path] | None = None) -> BuildReport:
    """Build one document folder into out_dir/<folder name>.pdf, atomically.

    With the cache, a build whose inputs are those of the last one writes nothing, and a
    part whose input is unchanged is taken from the cache instead of being drawn again.
    jobs caps the processes that draw pages (None: every core); progress hears each step;
    checked is (key, path) from the caller's own unchanged_output that found a change, so
    that the inputs are not hashed twice."""
    started = time.perf_counter()
    clock = Clock()
    folder, out_dir = Path(folder), Path(out_dir)
    date = pdf_date()
    cache = Cache(out_dir, use_cache)
    path = out_dir / f"{folder.resolve().name}.pdf"
    key = ""
    if use_cache and checked is not None:  # the caller has just found the inputs changed: its key
        key, path = checked
    elif use_cache:
        key, path, unchanged = unchanged_output(folder, out_dir, options_key(overrides, seed, diplomatic))
        if unchanged:
            return unchanged_report(folder, path, time.perf_counter() - started)
    doc, grid, stack, chars = prepare(folder, overrides, seed, diplomatic)
    tell: Progress = progress or (lambda step: None)
    check_not_an_input(path, folder, doc, stack)
    parts = groups(doc)
    keys = part_keys(doc, grid, stack, chars)
    kept = [cache.part(doc.name, group.lead.spec.id, key) for group, key in zip(parts, keys)]
    kept = [_checked_pages(data, cache, group.lead.spec.id) if data is not None and not group.lead.scan
            else data for group, data in zip(parts, kept)]
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
            data = _placed_scan(Path(group.lead.scan), data, cache, doc.name, spec.id, keys[i], grid)
            pieces.append(PartPages(spec.title, spec.label, 0, data, place=doc.parts.index(group.lead), alt=spec.alt))
            reports.append(PartReport(spec.id, spec.title, page_count(data), 0.0, kept[i] is not None))
            continue
        if i in drawn:
            pages, seconds = drawn[i].pages, drawn[i].seconds
            cache.keep_part(doc.name, spec.id, keys[i], _cache_entry(pages))
        else:
            pages, seconds = data, 0.0  # type: ignore[assignment]
        contents.extend(pages)  # type: ignore[arg-type]
        pieces.append(PartPages(spec.title, spec.label, len(pages)))
        reports.append(PartReport(spec.id, spec.title, len(pages), seconds, i not in drawn))
    tell(Step(doc.name, "assembling", "", 0, 0, len(contents)))
    scans = any(piece.scan for piece in pieces)
    finish = finishing(folder, doc, diplomatic, () if scans else outline(pieces))
    data = assemble(contents, stack, chars, doc.title, [(p.spec.id, p.spec.title) for p in doc.parts], finish)
    clock.lap("assemble")
    if scans:  # pypdf only to insert a scan's pages, and number and bookmark the parts after it
        tell(Step(doc.name, "merging", "", 0, 0, len(contents)))
        data = merge(data, pieces)
        clock.lap("merge")
    tell(Step(doc.name, "writing", "", 0, 0, len(contents)))
    write_atomic(path, data)
    if key:
        cache.record(doc.name, key, data)
    cache.prune(doc.name)
    clock.lap("write")
    made = tuple((a.correction.received, a.correction.corrected, a.count) for a in doc.corrections)
    return BuildReport(doc.name, path, tuple(reports), sum(r.pages for r in reports), len(data),
                       time.perf_counter() - started, stages=tuple(clock.stages), corrections=made,
                       warnings=tuple(cache.warnings))


def _cache_entry(pages: list[DrawnPage]) -> bytes:
    """A part's drawn pages as its cache entry: JSON, each page's content stream in base64."""
    return json.dumps([[width, height, binascii.b2a_base64(content, newline=False).decode("ascii"), marks]
                       for width, height, content, marks in pages]).encode("ascii")


def _content(text: str) -> bytes:
    """A cached page's content stream from its base64: ValueError unless it reads as base64
    and starts as a zlib stream does (a damaged one is drawn again, not put in the PDF)."""
    content = binascii.a2b_base64(text, strict_mode=True)
    if len(content) < 2 or content[0] & 0x0F != 8 or (content[0] << 8 | content[1]) % 31:
        raise ValueError("not a zlib stream")
    return content


def _checked_pages(data: bytes, cache: Cache, part: str) -> list[DrawnPage] | None:
    """A cached part's drawn pages, if they have the shape this version writes (width, height,
    content stream in base64, marks of (mcid, part, block, kind, inner, lang)); else None, with
    a warning, so that the part is drawn again."""
    def number(v: object) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool)

    def mark(m: object) -> bool:
        return (isinstance(m, list) and len(m) == 6 and isinstance(m[0], int) and isinstance(m[1], str)
                and isinstance(m[2], int) and isinstance(m[3], str) and isinstance(m[4], list)
                and all(isinstance(n, int) for n in m[4]) and isinstance(m[5], str)
                and all(ch.isalnum() or ch == "-" for ch in m[5]))

    try:
        pages = json.loads(data)
        if isinstance(pages, list) and pages and all(
                isinstance(p, list) and len(p) == 4 and number(p[0]) and number(p[1])
                and isinstance(p[2], str) and isinstance(p[3], list) and all(mark(m) for m in p[3])
                for p in pages):
            return [(p[0], p[1], _content(p[2]), p[3]) for p in pages]
    except (ValueError, RecursionError):
        pass
    cache.warn(f"{display(cache.folder)}: warning: the cache entry of part '{part}' is not one this "
               "version wrote: dropped, the part is drawn again")
    return None


def _placed_scan(path: Path, cached: bytes | None, cache: Cache, document: str, part: str, key: str,
                 grid: Grid) -> bytes:
    """A scan's part PDF, from the cache or made anew, stripped of anything but page content
    either way: a cache entry gets the same sanitising as a scan placed now."""
    if cached is not None:
        try:
            return strip_placed(cached, grid.width_pt, grid.height_pt)
        except ScanRefused:
            cache.warn(f"{display(cache.folder)}: warning: the cached scan of part '{part}' is not "
                       "one this version wrote: dropped, the scan is placed again")
    fresh = place_scan(path, grid.width_pt, grid.height_pt)
    cache.keep_part(document, part, key, fresh)
    try:
        return strip_placed(fresh, grid.width_pt, grid.height_pt)
    except ScanRefused as refused:
        raise SourceError.at(SourcePos(display(path)), str(refused)) from None


__all__ = ["BuildReport", "PartReport", "Step", "build_document", "prepare", "source_files"]
