"""A pack folder (pack.toml: a title, documents in order, an optional introduction) to one
volume: a contents page, every document's pages with its own labels, nested bookmarks, each
face embedded once and every document's sources embedded; or to one Document for handouts."""

from __future__ import annotations

import multiprocessing
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .atomic import write_atomic
from .errors import Diagnostic, SourceError, SourcePos, display
from .model import Block, Document, Part, PartSpec, Run
from .report import BuildReport, PartReport, Progress, Step

PACK = "pack.toml"
KEYS = {"title", "author", "date", "subject", "documents", "introduction", "introduction_title", "contents"}
CONTENTS = "Contents"  # the default heading of the contents page; pack.toml's 'contents' sets another


@dataclass(frozen=True)
class Pack:
    """What pack.toml says."""

    folder: Path
    title: str
    author: str
    date: str
    subject: str
    documents: tuple[Path, ...]
    introduction: str  # a part file in the source format, inside the pack folder ('' for none)
    introduction_title: str
    contents: str


def is_pack(folder: Path) -> bool:
    return (Path(folder) / PACK).is_file()


def read_pack(folder: Path) -> Pack:
    """Read and check pack.toml; every problem at its line."""
    from .source.manifest import KeyFinder, overlong_title
    from .source.textfile import decode

    from .inputs import TOML_LIMIT, read_inside
    from .source.tomlfile import parse_toml

    folder = Path(folder)
    path = folder / PACK
    shown = display(path)
    lines, problems = decode(read_inside(folder, PACK, TOML_LIMIT, what="pack manifest"), shown)
    if problems:
        raise SourceError(problems)
    text = "\n".join(lines)
    parsed, problems = parse_toml(text, shown)
    if parsed is None or problems:
        raise SourceError(problems)
    data = parsed
    where = KeyFinder(shown, text)
    for key in data:
        if key not in KEYS:
            problems.append(Diagnostic(where.pos(key), f"unknown key '{key}': use one of {', '.join(sorted(KEYS))}"))
    strings: dict[str, str] = {}
    for key in ("title", "author", "date", "subject", "introduction", "introduction_title", "contents"):
        value = data.get(key, "")
        if not isinstance(value, str):
            problems.append(Diagnostic(where.pos(key), f"'{key}' must be a quoted string"))
            value = ""
        strings[key] = value.strip()
    if not strings["title"]:
        problems.append(Diagnostic(where.pos("title") if "title" in data else SourcePos(shown, 1, 1),
                                   "'title' is required: add title = \"...\" to pack.toml"))
    elif message := overlong_title(strings["title"], "a longer description goes in 'subject'"):
        problems.append(Diagnostic(where.pos("title"), message))
    for key in ("introduction_title", "contents"):  # headings and bookmarks too
        if message := overlong_title(strings[key], "it is a heading and a bookmark", key):
            problems.append(Diagnostic(where.pos(key), message))
    raw = data.get("documents")
    documents: list[Path] = []
    if not isinstance(raw, list) or not raw or not all(isinstance(d, str) and d.strip() for d in raw):
        problems.append(Diagnostic(where.pos("documents") if "documents" in data else SourcePos(shown, 1, 1),
                                   "'documents' must list the document folders in reading order, as paths "
                                   "from the pack folder: documents = [\"../document-4\", ...]"))
    else:
        for name in raw:
            document = (folder / name)
            if not (document / "document.toml").is_file():
                problems.append(Diagnostic(where.pos("documents"), f"'{name}' is not a document folder (no "
                                           f"{display(document / 'document.toml')}): correct the path"))
            if any(d.resolve().name == document.resolve().name for d in documents):
                problems.append(Diagnostic(where.pos("documents"), f"two documents are named "
                                           f"'{document.resolve().name}': their sources would be embedded "
                                           "under one name; list each document once, or rename one folder"))
            documents.append(document)
    intro = strings["introduction"]
    if intro:
        target = (folder / intro)
        if Path(intro).is_absolute() or not target.resolve().is_relative_to(folder.resolve()):
            problems.append(Diagnostic(where.pos("introduction"), "the introduction must be a file inside the "
                                       "pack folder"))
        elif not target.is_file():
            problems.append(Diagnostic(where.pos("introduction"), f"no such file: create {display(target)} or "
                                       "remove 'introduction'"))
    if problems:
        raise SourceError(problems)
    return Pack(folder, strings["title"], strings["author"], strings["date"], strings["subject"],
                tuple(documents), intro, strings["introduction_title"] or "Introduction",
                strings["contents"] or CONTENTS)


def _introduction(pack: Pack) -> Part | None:
    from .source.markup import parse_part
    from .source.textfile import decode

    if not pack.introduction:
        return None
    from .inputs import TEXT_LIMIT, read_inside

    path = pack.folder / pack.introduction
    shown = display(path)
    lines, problems = decode(read_inside(pack.folder, pack.introduction, TEXT_LIMIT, what="introduction"), shown)
    blocks, more = parse_part(lines, shown) if not problems else ((), [])
    problems.extend(more)
    if problems:
        raise SourceError(problems)
    spec = PartSpec("introduction", pack.introduction, "document", pack.introduction_title, "I-",
                    SourcePos(display(pack.folder / PACK), 1, 1))
    return Part(spec, blocks)


def _contents(pack: Pack, entries: list[tuple[str, int]], measure: int) -> Part:
    """The contents page: the pack's title, author and date, then each entry and its page."""
    pos = SourcePos(display(pack.folder / PACK), 1, 1)

    def block(kind: str, texts: list[str]) -> Block:
        return Block(kind, tuple((Run(t, pos),) for t in texts if t), pos)

    lines = []
    for title, page in entries:
        number = str(page)
        room = measure - len(number) - 2
        shown = title if len(title) <= room else title[: room - 3] + "..."
        lines.append(f"{shown} {'.' * (measure - len(shown) - len(number) - 2)} {number}")
    blocks = [block("heading", [pack.title])]
    if pack.author or pack.date:
        blocks.append(block("centre", [pack.author, pack.date]))
    blocks += [block("heading", [pack.contents]), block("verbatim", lines)]
    return Part(PartSpec("contents", "", "document", pack.contents, "C-", pos), tuple(b for b in blocks if b.lines))


_SHARED: list[Any] = []  # (doc, grid, stack, codes) of each document, for forked workers


def _draw_document(index: int) -> tuple[int, list[Any]]:
    from .draw import draw_groups
    from .layout.typeset import groups

    doc, grid, stack, codes = _SHARED[index]
    return index, draw_groups(groups(doc), doc, grid, stack, codes, 1)


def build_pack(folder: Path, out_dir: Path, overrides: dict[str, Any] | None = None, seed: int | None = None,
               *, diplomatic: bool = False, jobs: int | None = None,
               progress: Progress | None = None) -> BuildReport:
    """Build a pack into out_dir/<pack folder>.pdf: documents drawn on every core, one file."""
    from .build import finishing, prepare, source_files
    from .draw import draw_groups
    from .layout.typeset import Group, groups
    from .pdf.merge import PartPages, merge
    from .pdf.render import assemble, font_codes
    from .pdf.scanner import page_count, place_scan

    started = time.perf_counter()
    tell: Progress = progress or (lambda step: None)
    pack = read_pack(folder)
    name = Path(folder).resolve().name
    prepared, problems = [], []
    for document in pack.documents:
        try:
            prepared.append(prepare(document, overrides, seed, diplomatic))
        except SourceError as error:
            problems.extend(error.diagnostics)
    intro = _introduction(pack)
    if problems:
        raise SourceError(problems)
    stack = prepared[0][2]
    front_doc = replace(prepared[0][0], name=name, title=pack.title, parts=())
    front_grid = prepared[0][1]
    chars: dict[str, set[str]] = {}
    for _, _, _, each in prepared:
        for face, found in each.items():
            chars.setdefault(face, set()).update(found)
    sample = _contents(pack, [(d.title, 9999) for d, *_ in prepared], front_grid.measure)
    from .layout.typeset import source_charset

    front_chars = source_charset(replace(front_doc, parts=(sample,) + ((intro,) if intro else ())), stack,
                                 SourcePos(display(Path(folder) / PACK), 1, 1))
    for face, found in front_chars.items():
        chars.setdefault(face, set()).update(found)
    charset = {face: "".join(sorted(found)) for face, found in chars.items()}
    codes = font_codes(stack, charset)
    _SHARED[:] = [(doc, grid, stack, codes) for doc, grid, _, _ in prepared]
    drawn: list[Any] = [None] * len(prepared)
    cores = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
    try:
        if cores > 1 and len(prepared) > 1 and os.name == "posix":
            with multiprocessing.get_context("fork").Pool(min(cores, len(prepared))) as pool:
                for n, (index, result) in enumerate(pool.imap_unordered(_draw_document, range(len(prepared))), 1):
                    drawn[index] = result
                    tell(Step(name, "drawing", prepared[index][0].name, n, len(prepared)))
        else:
            for index in range(len(prepared)):
                drawn[index] = _draw_document(index)[1]
                tell(Step(name, "drawing", prepared[index][0].name, index + 1, len(prepared)))
    finally:
        _SHARED.clear()
    found = [d for results in drawn for result in results for d in result.problems]
    if found:
        raise SourceError(found)
    front = [Group((intro,), 1)] if intro else []
    pages_before = sum(len(r.pages) for r in draw_groups(front, front_doc, front_grid, stack, codes, 1)) if front else 0
    contents_pages = 1
    for _ in range(3):  # the contents page's length moves the pages it lists: settle them
        page = contents_pages + pages_before + 1
        entries = []
        for (doc, grid, _, _), results in zip(prepared, drawn):
            entries.append((doc.title, page))
            page += sum(len(r.pages) for r in results) + sum(
                page_count(place_scan(Path(g.lead.scan), grid.width_pt, grid.height_pt))
                for g in groups(doc) if g.lead.scan)
        made = draw_groups([Group((_contents(pack, entries, front_grid.measure),), 1)] + front, front_doc,
                           front_grid, stack, codes, 1)
        if len(made[0].pages) == contents_pages:
            break
        contents_pages = len(made[0].pages)
    contents: list[Any] = []
    pieces: list[PartPages] = []
    for drawn_front, part in zip(made, [_contents(pack, entries, front_grid.measure)] + ([intro] if intro else [])):
        contents.extend(drawn_front.pages)
        pieces.append(PartPages(part.spec.title, part.spec.label, len(drawn_front.pages)))
    reports: list[PartReport] = []
    sources = _front_sources(pack)
    tree: list[tuple[str, str, str]] = [(p.spec.id, p.spec.title, "") for p in
                                        [_contents(pack, entries, front_grid.measure)] + ([intro] if intro else [])]
    for number, ((doc, grid, _, _), results, document) in enumerate(zip(prepared, drawn, pack.documents), 1):
        tree.extend((f"{number}/{part.spec.id}", part.spec.title, doc.title) for part in doc.parts)
        pages_of_doc = 0
        for group, result in zip(groups(doc), results):
            spec = group.lead.spec
            label = f"{number}.{spec.label}" if spec.label else f"{number}."
            if group.lead.scan:
                scan = place_scan(Path(group.lead.scan), grid.width_pt, grid.height_pt)
                pieces.append(PartPages(spec.title, label, 0, scan, doc.title, number, place=doc.parts.index(group.lead),
                                        group=len(front) + 1 + number - 1, alt=spec.alt))  # after contents
                # and introduction, each document before it a Part (a scanned one's made by the merge)
                pages_of_doc += page_count(scan)
                continue
            contents.extend((w, h, ops, [m._replace(part=f"{number}/{m.part}") for m in marks])  # a part of
                            for w, h, ops, marks in result.pages)  # its document, in the tree
            pieces.append(PartPages(spec.title, label, len(result.pages), b"", doc.title, number))
            pages_of_doc += len(result.pages)
        reports.append(PartReport(doc.name, doc.title, pages_of_doc, sum(r.seconds for r in results)))
        sources.extend((f"{doc.name}/{file}", data) for file, data in source_files(document, doc))
    tell(Step(name, "assembling", "", 0, 0, len(contents)))
    author = pack.author or "; ".join(dict.fromkeys(doc.author for doc, *_ in prepared))
    keywords = tuple(dict.fromkeys(k for doc, *_ in prepared for k in doc.keywords))
    received = max((dict(doc.provenance).get("received", "") for doc, *_ in prepared), default="")
    volume = replace(front_doc, title=pack.title, author=author, keywords=keywords, date=pack.date or front_doc.date,
                     subject=pack.subject or "; ".join(doc.title for doc, *_ in prepared),
                     provenance=(("received", received),) if received else ())
    finish = finishing(Path(folder), volume, diplomatic, (), sources, name=pack.title)
    assembled = assemble(contents, stack, charset, pack.title, list(tree), finish)
    tell(Step(name, "merging", "", 0, 0, len(contents)))
    data = merge(assembled, pieces)  # the catalog as written; nested bookmarks, labels and scans added
    path = Path(out_dir) / f"{name}.pdf"
    write_atomic(path, data)
    pages = sum(p.pages for p in pieces) + sum(page_count(p.scan) for p in pieces if p.scan)
    return BuildReport(name, path, tuple(reports), pages, len(data), time.perf_counter() - started)


def _front_sources(pack: Pack) -> list[tuple[str, bytes]]:
    """pack.toml and the introduction, read as they were checked."""
    from .inputs import TEXT_LIMIT, TOML_LIMIT, read_inside

    sources = [(PACK, read_inside(pack.folder, PACK, TOML_LIMIT))]
    if pack.introduction:
        sources.append((pack.introduction, read_inside(pack.folder, pack.introduction, TEXT_LIMIT)))
    return sources


def pack_sources(folder: Path) -> list[tuple[str, bytes]]:
    """pack.toml, its introduction and every document's sources, each under its document's name."""
    from .build import prepare, source_files

    pack = read_pack(folder)
    sources = _front_sources(pack)
    for document in pack.documents:
        doc = prepare(document, None, None, False)[0]
        sources.extend((f"{doc.name}/{file}", data) for file, data in source_files(document, doc))
    return sources


def pack_document(folder: Path) -> tuple[Document, Any, Any, dict[str, str]]:
    """The pack as one Document (for handouts): the introduction and every document's parts in
    order, each part titled with its document; laid out as the first document is."""
    from .build import prepare

    pack = read_pack(folder)
    prepared = [prepare(document, None, None, False) for document in pack.documents]
    intro = _introduction(pack)
    parts: list[Part] = [intro] if intro else []
    corrections: list[Any] = []
    chars: dict[str, set[str]] = {}
    for number, (doc, _, _, each) in enumerate(prepared, 1):
        for part in doc.parts:
            spec = replace(part.spec, id=f"{number}-{part.spec.id}", title=f"{doc.title}: {part.spec.title}",
                           machine=f"{doc.name}:{part.spec.machine}")
            parts.append(replace(part, spec=spec))
        corrections.extend(doc.corrections)
        for face, found in each.items():
            chars.setdefault(face, set()).update(found)
    first, grid, stack, _ = prepared[0]
    provenance = tuple((f"document {n}", f"{doc.title} ({doc.author}, {doc.date})")
                       for n, (doc, *_) in enumerate(prepared, 1))
    received = max((dict(doc.provenance).get("received", "") for doc, *_ in prepared), default="")
    if received:  # the newest of its documents: the date its embedded sources carry
        provenance += (("received", received),)
    doc = replace(first, name=Path(folder).resolve().name, title=pack.title,
                  author=pack.author or "; ".join(dict.fromkeys(d.author for d, *_ in prepared)),
                  date=pack.date or first.date, place="", provenance=provenance, parts=tuple(parts),
                  corrections=tuple(corrections))
    return doc, grid, stack, {face: "".join(sorted(found)) for face, found in chars.items()}


__all__ = ["PACK", "Pack", "build_pack", "is_pack", "pack_document", "pack_sources", "read_pack"]
