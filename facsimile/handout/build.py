"""A document folder to out/<document>-handout.pdf: cover, pages and notes, imposed on sheets."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

from ..atomic import write_atomic
from ..build import finishing, pdf_date, pdf_day, prepare
from ..cache import Cache
from ..fonts import load_faces
from ..outputs import check_not_an_input
from ..report import Clock, Progress, Step
from ..layout.typeset import TypesetPart, typeset
from ..model import Document, Part
from ..pdf.colophon import scan_description, statement
from ..pdf.merge import figure_pages
from ..pdf.tags import Mark, languages, structure, substitutions
from ..pdf.scanner import page_count, place_scan
from ..source.notes import load_notes, paragraphs
from .impose import plan, page_size, signature_sizes, staple_warning
from .options import HandoutOptions, handout_path, unchanged_handout
from .cover import colophon, cover, editorial, inside_cover
from .reading import (Edition, Rendered, appendices, mark_notes, reading_document, reading_grid, render_pages,
                      shared_charset, typeset_reading)
from .pages import BodyStyle, draw_body
from .sheets import Finish, write_sheets

HALF = {"a4": "a5", "letter": "half-letter"}
PRODUCER = "facsimile (reportlab, pypdf)"


@dataclass(frozen=True)
class HandoutReport:
    """What a handout build wrote."""

    document: str
    path: Path
    pages: int  # handout pages, blanks included
    sheets: int
    size: int
    seconds: float
    contents: tuple[tuple[str, int], ...]  # each part's title and first page
    signatures: tuple[int, ...] = ()  # sheets in each signature of a booklet
    warnings: tuple[str, ...] = ()
    unchanged: bool = False
    stages: tuple[tuple[str, float], ...] = ()  # (stage, seconds) in the order they ran (--timings)


@dataclass(frozen=True)
class HandoutPages:
    """The handout's pages before imposition: one PDF per part, each page's size in points,
    and each part's title and first page (the cover first)."""

    pdfs: tuple[bytes, ...]
    sizes: tuple[tuple[float, float] | None, ...]  # None: a page left blank
    contents: tuple[tuple[str, int], ...]
    bookmarks: tuple[tuple[str, int], ...]
    marks: tuple[tuple[Mark, ...], ...] = ()  # each drawn page's marked content, in order
    parts: tuple[tuple[str, str], ...] = ()  # the structure's parts (id, title), in reading order
    alts: tuple[tuple[tuple[str, int], str], ...] = ()  # each scanned page's Figure description


def handout_pages(folder: Path, options: HandoutOptions, progress: Progress | None = None,
                  clock: Clock | None = None) -> tuple[HandoutPages, object]:
    """Typeset and draw the handout's pages, in reading order: the cover and inside cover,
    the parts, the reading edition's appendices, any blanks a booklet needs and the back
    cover. Returns them and the document. clock, if given, laps read, typeset and draw."""
    clock = clock or Clock()
    pack = (Path(folder) / "pack.toml").is_file()
    if pack:  # a pack: its documents as one, under its title
        from ..pack import pack_document

        doc, grid, stack, _ = pack_document(Path(folder))
    else:
        doc, grid, stack, _ = prepare(Path(folder), None, None, False)
    tell: Progress = progress or (lambda step: None)
    notes = load_notes(Path(folder), doc)
    clock.lap("read")
    tell(Step(doc.name, "typesetting"))

    def typeset_one_more(part: str, done: int, total: int) -> None:
        tell(Step(doc.name, "typesetting", part, done, total))
    numbered = paragraphs(doc)
    paper = HALF[options.sheet] if options.layout in ("booklet", "2up") else options.sheet
    edition = Edition(options.edition, paper, options.large_type,
                      options.line_numbers and options.edition == "reading")
    rgrid = reading_grid(edition)

    if options.edition == "reading":
        titles = {part.spec.id: part.spec.title for part in doc.parts}
        body_parts = typeset_reading(mark_notes(reading_document(doc), notes),
                                     appendices(notes, doc.corrections, numbered, titles), rgrid, stack,
                                     typeset_one_more)
        body_size = (rgrid.width_pt, rgrid.height_pt)
    else:
        body_parts = typeset(doc, grid, typeset_one_more)
        body_size = (grid.width_pt, grid.height_pt)
    scans = {part.id: place_scan(Path(part.scan), grid.width_pt, grid.height_pt)
             for part in body_parts if part.scan}

    def count(part: TypesetPart) -> int:
        return page_count(scans[part.id]) if part.scan else len(part.pages)

    cover_doc = editorial(reading_document(doc))
    inside = inside_cover(cover_doc)
    back = colophon(cover_doc, options.edition, handout_statement(doc, options, pack) if options.colophon else ())

    def typeset_one(part: Part | None) -> list[TypesetPart]:
        return typeset_reading(replace(cover_doc, parts=(part,)), [], rgrid, stack) if part else []

    inside_parts, back_parts = typeset_one(inside), typeset_one(back)
    if options.layout == "booklet":  # the colophon on the inside cover, if that saves a sheet
        body_total = sum(count(part) for part in body_parts)
        both = typeset_one(replace(back, blocks=(inside.blocks if inside else ()) + back.blocks))
        apart = 1 + pages_of(inside_parts) + body_total + pages_of(back_parts)
        if -(-(1 + pages_of(both) + body_total) // 4) < -(-apart // 4):
            inside_parts, back_parts = both, []
    inside_pages = pages_of(inside_parts)
    contents: list[tuple[str, int]] = []
    cover_parts: list[TypesetPart] = []
    cover_pages = 1
    for _ in range(3):  # the cover's length moves the page numbers it lists: settle them
        page = cover_pages + inside_pages + 1
        contents = []
        for part in body_parts:
            contents.append((part.title, page))
            page += count(part)
        cover_parts = typeset_reading(replace(cover_doc, parts=(cover(cover_doc, contents, rgrid.measure),)),
                                      [], rgrid, stack)
        if len(cover_parts[0].pages) == cover_pages:
            break
        cover_pages = len(cover_parts[0].pages)

    front = cover_parts + inside_parts
    clock.lap("typeset")
    chars = shared_charset(front + back_parts + [p for p in body_parts if not p.scan], stack)
    rendered = render_pages(front, rgrid, stack, cover_doc, 1, False, False, chars, substituted={})
    sizes: list[tuple[float, float] | None] = [(rgrid.width_pt, rgrid.height_pt)] * (cover_pages + inside_pages)
    if options.edition == "reading":
        body_grid, body_doc, look, gap = rgrid, reading_document(doc), "clean", 1.0
    else:  # the facsimile's pages, numbered further from the text: the duplicator moves lines
        body_grid, body_doc, look, gap = grid, doc, doc.layout.look, 2.5
    folio = cover_pages + inside_pages + 1
    runs: list[tuple[list[TypesetPart], int]] = []  # runs of typed parts between scans
    for part in body_parts:
        if not part.scan:
            if not runs or runs[-1][1] + pages_of(runs[-1][0]) != folio:
                runs.append(([], folio))
            runs[-1][0].append(part)
        folio += count(part)
    substituted = substitutions(doc.parts) if doc.layout.text_layer == "transcription" else None
    style = BodyStyle(body_grid, stack, body_doc, edition.line_numbers, chars, look, gap,
                      mirror=options.edition == "reading", substituted=substituted, languages=languages(doc.parts))
    tell(Step(doc.name, "drawing", "", 0, len(body_parts), folio - 1))
    drawn = iter(draw_body(runs, style))
    alts: dict[tuple[str, int], str] = {}
    described = {p.spec.id: p.spec.alt for p in doc.parts}
    folio = cover_pages + inside_pages + 1
    for done, part in enumerate(body_parts, 1):
        if part.scan:
            pages = count(part)  # each page a Figure, described by the manifest or by its part and page
            rendered.append(Rendered(figure_pages(scans[part.id]),
                                     tuple((Mark(0, part.id, n, "figure"),) for n in range(1, pages + 1))))
            alts.update({(part.id, n): scan_description(part.title, described.get(part.id, ""), n, pages)
                         for n in range(1, pages + 1)})
            sizes += [(grid.width_pt, grid.height_pt)] * count(part)
        else:
            if any(first == folio for _, first in runs):
                rendered.extend(next(drawn))
            sizes += [body_size] * count(part)
        folio += count(part)
        tell(Step(doc.name, "drawing", part.id, done, len(body_parts), folio - 1))
    back_pages = pages_of(back_parts)
    if options.layout == "booklet":  # blanks before the back cover, so that it falls last
        sizes += [None] * (-(len(sizes) + back_pages) % 4)
    if back_parts:
        rendered.extend(render_pages(back_parts, rgrid, stack, cover_doc, 1, False, False, chars, substituted={}))
    sizes += [(rgrid.width_pt, rgrid.height_pt)] * back_pages
    bookmarks = [(doc.title, 1)] + contents
    order = [(part.id, part.title) for part in front] + [(part.spec.id, part.spec.title) for part in doc.parts] \
        + [(part.id, part.title) for part in body_parts + back_parts]  # a part listed twice stands first
    titles: dict[str, str] = {}
    for pid, title in order:  # a part listed twice stands where it is first listed
        titles.setdefault(pid, title)
    clock.lap("draw")
    return HandoutPages(tuple(r.pdf for r in rendered), tuple(sizes), tuple(contents), tuple(bookmarks),
                        tuple(m for r in rendered for m in r.marks), tuple(titles.items()), tuple(alts.items())), doc


def handout_statement(doc: Document, options: HandoutOptions, pack: bool = False) -> tuple[str, ...]:
    """The colophon's statement for this handout: of the facsimile's pages as built, or of the
    reading edition's clean pages; a pack's, without a source of its own, names its title."""
    from .. import __version__

    shown = reading_document(doc) if options.edition == "reading" else doc
    return statement(shown, False, __version__, pdf_day(), doc.title if pack else "")


def _pack_sources(folder: Path) -> list[tuple[str, bytes]]:
    from ..pack import pack_sources

    return pack_sources(folder)


def pages_of(parts: list[TypesetPart]) -> int:
    return sum(len(part.pages) for part in parts)


def side_label(pages: tuple[int, ...]) -> str:
    """A sheet side's page label: the numbers of the pages on it, as printed."""
    return ", ".join(str(n) for n in pages if n) or "-"


def build_handout(folder: Path, out_dir: Path, options: HandoutOptions, use_cache: bool = True,
                  progress: Progress | None = None) -> HandoutReport:
    """Typeset the document's handout and impose it for double-sided printing; with the
    cache, a handout whose inputs and options are those of the last one writes nothing.
    progress, if given, hears each part drawn and the imposition."""
    started = time.perf_counter()
    clock = Clock()
    folder, out_dir = Path(folder), Path(out_dir)
    pdf_date()  # a bad SOURCE_DATE_EPOCH is a usage error before reportlab reads it too
    key = ""
    pack = (folder / "pack.toml").is_file()  # its documents live outside its folder: no whole-build key
    if use_cache and not pack:
        key, path, unchanged = unchanged_handout(folder, out_dir, options)
        if unchanged:
            return HandoutReport(folder.resolve().name, path, 0, 0, path.stat().st_size,
                                 time.perf_counter() - started, (), unchanged=True,
                                 stages=(("check", time.perf_counter() - started),))
    clock.lap("check")
    made, doc = handout_pages(folder, options, progress, clock)
    if progress is not None:
        progress(Step(doc.name, "imposing", "", 0, 0, len(made.sizes)))  # type: ignore[attr-defined]
    plans = plan(made.sizes, options.layout, options.sheet, options.flip, options.signature,
                 options.paper_thickness, options.creep)
    side_of = {p: index for index, sp in enumerate(plans) for p in sp.side.pages if p}
    catalogue = finishing(folder, doc, False, (), _pack_sources(folder) if pack else None)  # type: ignore[arg-type]
    title = f"{doc.title} ({options.edition} edition, {options.layout})"  # type: ignore[attr-defined]
    paragraphs = handout_statement(doc, options, pack)  # type: ignore[arg-type]
    record = replace(catalogue.record, title=title, producer=PRODUCER, statement=" ".join(paragraphs)) \
        if catalogue.record is not None else None
    catalogue = replace(catalogue, title=title, producer=PRODUCER, record=record)
    finish = Finish(catalogue,
                    bookmarks=tuple((title, side_of[page]) for title, page in made.bookmarks if page in side_of),
                    labels=tuple(side_label(sp.side.pages) for sp in plans),
                    structure=structure([list(m) for m in made.marks], list(made.parts), dict(made.alts)),
                    marks=made.marks)
    data = write_sheets(made.pdfs, plans, finish)
    clock.lap("impose")
    path = handout_path(folder, out_dir)
    check_not_an_input(path, folder, doc, load_faces())  # type: ignore[arg-type]
    write_atomic(path, data)
    if key:
        Cache(out_dir).record(path.stem, key, data)
    clock.lap("write")
    signatures = tuple(signature_sizes(max(sp.side.sheet for sp in plans), options.signature)
                       ) if options.layout == "booklet" else ()
    warning = staple_warning(signatures, options.paper_thickness)
    warnings = [warning] if warning else []
    return HandoutReport(doc.name, path, len(made.sizes), max(sp.side.sheet for sp in plans),  # type: ignore[attr-defined]
                         len(data), time.perf_counter() - started, made.contents, signatures,
                         tuple(warnings), stages=tuple(clock.stages))


__all__ = ["HandoutOptions", "HandoutReport", "build_handout", "handout_pages", "page_size"]
