"""A document's parts to typeset pages (TypesetPart), and the characters they will type.

A group is a text part with the imprint parts that follow it (typed at the foot of its last
page); each group is typeset on its own, so groups can be typeset in any process.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from ..errors import Diagnostic, SourceError, SourcePos
from ..fonts import FaceStack, coverage_problems
from .grid import FlowLine, Page
from .keyboard import SUBSTITUTES
from ..model import NUMBERED_KINDS, Document, Part
from .paginate import paginate
from .paper import Grid
from .typist import type_part


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


@dataclass(frozen=True)
class Group:
    """A text part and the imprints typed at its foot, or a scan; and the number of the first
    paragraph in it (paragraphs are numbered through the whole document)."""

    parts: tuple[Part, ...]
    first_paragraph: int

    @property
    def lead(self) -> Part:
        return self.parts[0]

    @property
    def source(self) -> str:
        """What the group's pages follow from (with the layout and the seed)."""
        return self.lead.scan or "".join(repr((p.spec, p.blocks, self.first_paragraph)) for p in self.parts)


def groups(doc: Document) -> list[Group]:
    """The document's parts in groups: an imprint joins the text part before it."""
    found: list[Group] = []
    paragraph = 1
    for part in doc.parts:
        if part.spec.kind == "imprint" and found and not found[-1].lead.scan:
            found[-1] = Group(found[-1].parts + (part,), found[-1].first_paragraph)
        else:
            found.append(Group((part,), paragraph))
        paragraph += sum(block.kind in NUMBERED_KINDS for block in part.blocks)
    return found


def typeset_group(group: Group, doc: Document, grid: Grid) -> TypesetPart:
    """Type and paginate one group; SourceError lists every problem in it."""
    started = time.perf_counter()
    spec = group.lead.spec
    if group.lead.scan:
        return TypesetPart(spec.id, spec.title, spec.label, spec.machine, (), 0.0, group.source, group.lead.scan)
    problems: list[Diagnostic] = []
    flow: list[FlowLine] = []
    paragraph = group.first_paragraph
    for index, part in enumerate(group.parts):
        try:
            lines = type_part(part, grid, doc.layout, paragraph)
        except SourceError as exc:
            problems.extend(exc.diagnostics)
            lines = []
        paragraph += sum(block.kind in NUMBERED_KINDS for block in part.blocks)
        flow.extend(lines if index == 0 else [FlowLine(f.line, f.gap, f.keep, True) for f in lines])
    if problems:
        raise SourceError(problems)
    pages = paginate(flow, grid, doc.layout)
    return TypesetPart(spec.id, spec.title, spec.label, spec.machine, tuple(pages),
                       time.perf_counter() - started, group.source)


def typeset(doc: Document, grid: Grid, on_typeset: Callable[[str, int, int], object] | None = None
            ) -> list[TypesetPart]:
    """Type and paginate every group; raise SourceError with every problem of every part.
    on_typeset, if given, hears each group done: its lead part's id, groups done, groups."""
    problems: list[Diagnostic] = []
    result: list[TypesetPart] = []
    every = groups(doc)
    for done, group in enumerate(every, 1):
        try:
            result.append(typeset_group(group, doc, grid))
        except SourceError as exc:
            problems.extend(exc.diagnostics)
        if on_typeset is not None:
            on_typeset(group.lead.spec.id, done, len(every))
    if problems:
        raise SourceError(problems)
    return result


def _texts(doc: Document) -> list[tuple[str, SourcePos, bool]]:
    """Every run of text the typist will type, with its place and whether it is typed in
    capitals too (a letterhead), and the manifest's heads."""
    capitals = doc.layout.letterhead != "plain"
    found: list[tuple[str, SourcePos, bool]] = []
    for part in doc.parts:
        for block in part.blocks:
            upper = capitals and block.kind == "letterhead"
            found.extend((run.text, run.pos, upper) for line in block.lines for run in line)
            if block.kind == "item":  # its label
                found.append((block.option, block.pos, False))
            elif block.kind == "quote":  # the quotation mark a quoted paragraph opens with
                found.append(('"', block.pos, False))
        found.extend((text, part.spec.pos, True) for text in part.spec.head + part.spec.letterhead)
    return found


def _typed(text: str, upper: bool) -> set[str]:
    keys = set("".join(SUBSTITUTES.get(ch, ch) for ch in set(text)))
    return keys | {k for key in keys for k in key.upper()} if upper else keys


def source_charset(doc: Document, stack: FaceStack, manifest: SourcePos) -> dict[str, str]:
    """The characters the document will type, by face, known before any page is typeset:
    every part's PDF pages can then be drawn with one subset, in any process. SourceError
    names every place of a character no face has."""
    texts = _texts(doc)
    distinct: set[str] = set("0123456789")
    if doc.layout.continuation == "mark":
        distinct |= set(doc.layout.continuation_mark)
    for text, _, upper in texts:
        distinct |= _typed(text, upper)
    distinct.discard(" ")
    distinct.discard("\t")  # a tab moves the carriage: no key types it
    missing = {ch for ch in distinct if stack.face_for(ch) is None}
    if missing:  # only now walk the characters one by one, to name every place
        places: list[tuple[str, SourcePos]] = []
        for text, (file, line, col), upper in texts:
            for i, ch in enumerate(text):
                places.extend((key, SourcePos(file, line, col + i)) for key in _typed(ch, upper) if key in missing)
        places.extend((ch, manifest) for ch in doc.layout.continuation_mark if ch in missing)
        raise SourceError(coverage_problems(places, stack, manifest))
    by_face: dict[str, set[str]] = {}
    for ch in distinct:
        face = stack.face_for(ch)
        assert face is not None
        by_face.setdefault(face.name, set()).add(ch)
    return {name: "".join(sorted(found)) for name, found in by_face.items()}


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
