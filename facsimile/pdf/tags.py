"""Typed pages and their struck sheets to tags: the block each drawn line belongs to, the page
furniture that is an artifact, and the text a reader gets where the glyphs differ from the
transcription (ActualText); and the marks of every page to the document's structure tree.

Plain data only: render.py writes these as marked content and PDF objects.
"""

from __future__ import annotations

from typing import Iterable, NamedTuple

from ..layout.grid import Cell, Page, TypedLine
from ..layout.keyboard import SUBSTITUTES
from ..look.sheet import Sheet
from ..model import Part

ARTIFACT_ROLES = frozenset({"folio", "continuation"})  # page numbers and '/over': pagination

# A block kind to its structure type. Kinds a reader knows by a standard name keep it; the
# letter's own parts get a name of their own, mapped to a standard type by the RoleMap.
STRUCTURE: dict[str, str] = {
    "letterhead": "H1",
    "heading": "H2",
    "copy": "Copy",
    "paragraph": "P",
    "block": "P",
    "verbatim": "P",
    "centre": "P",
    "right": "P",
    "date": "Date",
    "to": "Address",
    "salutation": "Salutation",
    "close": "Close",
    "signature": "Signature",
    "imprint": "Imprint",
    "quote": "BlockQuote",
    "list": "L",
    "table": "Table",
    "note": "Note",
    "figure": "Figure",  # a scanned page
}
ROLE_MAP: dict[str, str] = {
    "Copy": "H2",
    "Date": "P",
    "Address": "P",
    "Salutation": "P",
    "Close": "P",
    "Signature": "P",
    "Imprint": "P",
    "Colophon": "Note",
}
STANDARD = frozenset({"Document", "Part", "Sect", "Div", "H1", "H2", "H3", "P", "L", "LI", "Lbl",
                      "LBody", "Table", "TR", "TD", "TH", "Note", "BlockQuote", "Span", "Figure"})


class LineTag(NamedTuple):
    """How one drawn line is marked: the part and block it was typed from (an artifact has
    none), and the ActualText of its glyphs from start to end (exclusive) where they differ."""

    part: str
    block: int
    kind: str
    artifact: bool
    spans: tuple[tuple[int, int, str], ...] = ()
    breaks: tuple[int, ...] = ()  # glyphs after which a space is drawn: the words' ends
    inner: tuple[int, ...] = ()  # where in its block: a list item's (level,)
    cells: tuple[tuple[int, int, int, int, int], ...] = ()  # a table row's cells: (first glyph, end,
    # row, column, CELLS' index: TD, TH in the head), or a list item's label and text (level, column,
    # Lbl, LBody), each its own sequence (with its span's ActualText)
    langs: tuple[str, ...] = ()  # each glyph's language where some differ from the document's ("")


class Mark(NamedTuple):
    """A marked-content sequence of a page: its MCID and the element it belongs to (and where in
    it: a list item's (level,), a table cell's (row, column, head))."""

    mcid: int
    part: str
    block: int
    kind: str
    inner: tuple[int, ...] = ()
    lang: str = ""  # its words' language, where it is not the document's


CELLS = ("TD", "TH", "Lbl", "LBody")  # the sequences a line is cut into: its cells, or label and text
LABEL = 2  # CELLS' index of a list item's label


def structure_type(kind: str) -> str:
    return STRUCTURE.get(kind, "P")


def substitutions(parts: Iterable[Part]) -> dict[tuple[str, int, int], str]:
    """Every place in the parts' sources where the typist struck a substitute (a straight quote
    for a curly one, hyphens for a dash), with the transcription's character there. Given only
    the parts a page is typed from (never the whole document per part, which grew as its square)."""
    found: dict[tuple[str, int, int], str] = {}
    for part in parts:
        runs = [run for block in part.blocks for line in block.lines for run in line]
        for run in runs:
            if SUBSTITUTED.isdisjoint(run.text):
                continue
            file, line, col = run.pos
            for i, ch in enumerate(run.text):
                if ch in SUBSTITUTED:
                    found[(file, line, col + i)] = ch
        file, line, col = part.spec.pos
        for text in part.spec.head + part.spec.letterhead:  # typed from the manifest's place
            found.update(((file, line, col + i), ch) for i, ch in enumerate(text) if ch in SUBSTITUTED)
    return found


def languages(parts: Iterable[Part]) -> dict[tuple[str, int, int], str]:
    """Every place in the parts' sources typed from words marked in another language ({ru:...}),
    with that language."""
    found: dict[tuple[str, int, int], str] = {}
    for part in parts:
        for block in part.blocks:
            for line in block.lines:
                for run in line:
                    if run.lang:
                        file, number, col = run.pos
                        found.update(((file, number, col + i), run.lang) for i in range(len(run.text)))
    return found


SUBSTITUTED = frozenset(ch for ch, keys in SUBSTITUTES.items() if keys.strip())  # not the spaces


def line_tags(page: Page, sheet: Sheet, substituted: dict[tuple[str, int, int], str] | None,
              languages: dict[tuple[str, int, int], str] | None = None) -> tuple[LineTag, ...]:
    """A tag for each of the sheet's text lines, in order. The look strikes the glyph cells of
    each line of the page that has any (not the rules); a line whose glyphs do not match its
    cells is still tagged, without ActualText. With substituted None (the typed text layer), only
    the lines that must read as one (a table's row, a line poppler would split) have ActualText,
    and it gives the keys struck."""
    tags: list[LineTag] = []
    drawn = iter(sheet.lines)
    lettered = {item.row for item in sheet.lettering}  # drawn as lettering, not as a text line
    for placed in page.lines:
        line = placed.line
        if line.role == "rule" or placed.row in lettered:
            continue
        cells = [c for c in line.cells if c.char != " " and not c.ornament]
        if not cells:
            continue
        glyphs = next(drawn, None)
        if glyphs is None:
            break
        if line.role in ARTIFACT_ROLES:
            tags.append(LineTag("", 0, "", True))
            continue
        spans: tuple[tuple[int, int, str], ...] = ()
        breaks: tuple[int, ...] = ()
        inner = (line.level,) if line.kind == "item" else ()
        row: tuple[tuple[int, int, int, int, int], ...] = ()
        if len(glyphs) == len(cells) and all(g[0] == c.char for g, c in zip(glyphs, cells)):
            row = table_cells(line, cells, placed.row)
            if line.kind == "item":  # the label and the text of an item's first line: Lbl and LBody
                row = tuple((start, end, line.level, column, LABEL + column) for start, end, _, column, _ in row)
            words = _words(line.cells, line.scale)
            breaks = tuple(max(index for index, _ in word) for word in words if any(i >= 0 for i, _ in word))
            if line.actual or line.across:  # one span: a table row's gaps read as spaces, spaced words
                # whole; in the typed text layer with the keys struck, not the transcription's characters
                spans = ((0, len(glyphs), _line_text(words, substituted or {})),)
            elif substituted is not None:
                spans = actual_spans(words, substituted)
            if row:  # each cell its own span: its words as transcribed (in the typed layer, as struck)
                spans = tuple((start, end, _line_text([w for w in words if any(start <= i < end for i, _ in w)],
                                                      substituted or {})) for start, end, *_ in row)
        langs: tuple[str, ...] = ()
        if languages and len(glyphs) == len(cells):
            found = tuple(languages.get(tuple(c.pos), "") if c.pos is not None else "" for c in cells)  # type: ignore[arg-type]
            langs = found if any(found) else ()
        tags.append(LineTag(line.part, line.block, line.kind, False, spans, breaks, inner, row, langs))
    tags.extend(LineTag("", 0, "", True) for _ in drawn)  # drawn lines the page does not know
    return tuple(tags)


def table_cells(line: TypedLine, cells: list[Cell], row: int) -> tuple[tuple[int, int, int, int, int], ...]:
    """A table row's cells as runs of its drawn glyphs: (first, end, row, column, head), the row
    named by the source line it was typed from (a row is one line), else by its place."""
    if not line.columns:
        return ()
    where = next((c.pos.line for c in cells if c.pos is not None), -row)
    found: list[tuple[int, int, int, int, int]] = []
    for column, first, last in line.columns:
        inside = [i for i, cell in enumerate(cells) if first <= cell.col <= last]
        if inside and inside == list(range(inside[0], inside[-1] + 1)):
            found.append((inside[0], inside[-1] + 1, where, column, int(line.head)))
    covered = sum(end - start for start, end, *_ in found)
    return tuple(found) if covered == len(cells) else ()  # every glyph in a cell, or none tagged so


def lettering_tags(page: Page, sheet: Sheet) -> tuple[LineTag, ...]:
    """A tag for each of the sheet's lettered lines: the block of the typed line it stands for
    (its words are that block's content; its strokes are marked as an artifact)."""
    rows = {placed.row: placed.line for placed in page.lines}
    tags: list[LineTag] = []
    for item in sheet.lettering:
        line = rows.get(item.row)
        tags.append(LineTag("", 0, "", True) if line is None or not line.kind
                    else LineTag(line.part, line.block, line.kind, False))
    return tuple(tags)


def actual_spans(words: list[list[tuple[int, Cell]]], substituted: dict[tuple[str, int, int], str]
                 ) -> tuple[tuple[int, int, str], ...]:
    """The spans of a line's glyphs (indices among its drawn cells) whose text is not the
    transcription's: a word typed with spaces between its letters reads as the word, and a
    substitute reads as the character it stands for."""
    spans: list[tuple[int, int, str]] = []
    for word in words:
        glyph_cells = [(index, cell) for index, cell in word if index >= 0]
        if not glyph_cells:
            continue
        spaced = any(index < 0 for index, _ in word)
        groups: list[tuple[int, int, str, object]] = []  # first, last, text, substituted place
        for index, cell in glyph_cells:
            pos = tuple(cell.pos) if cell.pos is not None else None
            source = substituted.get(pos) if pos is not None else None  # type: ignore[arg-type]
            if source is not None and groups and groups[-1][3] == pos:  # the second hyphen of a dash
                groups[-1] = (groups[-1][0], index, source, pos)
                continue
            groups.append((index, index, cell.char if source is None else source,
                           pos if source is not None else None))
        # pdfium puts a space after ActualText that stands for several glyphs, unless it ends the
        # word: such a word, like a spaced one, is given whole
        spaced = spaced or any(last > first for first, last, _, place in groups if place)
        if spaced:
            spans.append((glyph_cells[0][0], glyph_cells[-1][0] + 1, "".join(g[2] for g in groups)))
        else:
            spans.extend((first, last + 1, text) for first, last, text, place in groups if place)
    return tuple(spans)


def _line_text(words: list[list[tuple[int, Cell]]], substituted: dict[tuple[str, int, int], str]) -> str:
    """A line's words as the transcription has them, one space between each (a typed table's
    row, whose cells stand far apart, is read as one line of words)."""
    out: list[str] = []
    for word in words:
        glyph_cells = [(index, cell) for index, cell in word if index >= 0]
        if not glyph_cells:
            continue
        text = list(cell.char for _, cell in glyph_cells)
        for first, last, source in actual_spans([word], substituted):
            start = next(n for n, (index, _) in enumerate(glyph_cells) if index == first)
            end = next(n for n, (index, _) in enumerate(glyph_cells) if index == last - 1)
            text[start:end + 1] = [source] + [""] * (end - start)
        out.append("".join(text))
    return " ".join(out)


def _words(cells: tuple[Cell, ...], scale: int) -> list[list[tuple[int, Cell]]]:
    """The line's cells in words, each cell with its index among the drawn cells (-1 for a
    space struck between the letters of a spaced word, which belongs to the word)."""
    words: list[list[tuple[int, Cell]]] = []
    current: list[tuple[int, Cell]] = []
    index = 0
    previous_col = None
    for n, cell in enumerate(cells):
        if cell.ornament:
            continue
        if cell.char == " ":
            following = cells[n + 1] if n + 1 < len(cells) else None
            inserted = (cell.pos is not None and following is not None and following.pos == cell.pos
                        and following.char != " " and bool(current))
            if inserted:
                current.append((-1, cell))
                previous_col = cell.col
                continue
            if current:
                words.append(current)
            current, previous_col = [], None
            continue
        if current and previous_col is not None and cell.col - previous_col > scale:
            words.append(current)
            current = []
        current.append((index, cell))
        index += 1
        previous_col = cell.col
    if current:
        words.append(current)
    return words


class Element(NamedTuple):
    """A structure element: its type, title, the marks it holds as (page index, MCID), and its
    children, in reading order."""

    type: str
    title: str
    marks: tuple[tuple[int, int], ...]
    children: tuple["Element", ...] = ()
    lang: str = ""  # where it differs from its parent's
    alt: str = ""  # a figure's alternate description


Placed = tuple[int, int, tuple[int, ...], str]  # a mark in the tree: page, MCID, place in its block, lang


def structure(marks: list[list[Mark]], parts: list[tuple[str, str]] | list[tuple[str, str, str]],
              alts: dict[tuple[str, int], str] | None = None) -> Element:
    """The document's structure from every page's marks: a Document of Parts (in the order of
    parts given as (id, title), or (id, title, group): the parts of a group, a pack's document,
    nested in a Part titled with it), each of its blocks' elements in order; a block that runs
    over pages holds a mark on each. alts: a figure's description, by (part, block)."""
    blocks: dict[tuple[str, int], list[Placed]] = {}
    kinds: dict[tuple[str, int], str] = {}
    for page, found in enumerate(marks):
        for mark in found:
            key = (mark.part, mark.block)
            blocks.setdefault(key, []).append((page, mark.mcid, tuple(mark.inner), mark.lang))
            kinds[key] = mark.kind
    titles = {entry[0]: entry[1] for entry in parts}
    group_of = {entry[0]: entry[2] for entry in parts if len(entry) > 2 and entry[2]}  # type: ignore[misc]
    order = [entry[0] for entry in parts] + sorted({p for p, _ in blocks} - set(titles))
    by_part: dict[str, list[tuple[str, int]]] = {}  # each part's blocks: not every block for every part
    for key in blocks:
        by_part.setdefault(key[0], []).append(key)
    children: list[Element] = []
    groups: list[str] = []  # the group each child stands for ("": a part of its own)
    for pid in order:
        keys = sorted(by_part.get(pid, ()))
        if not keys:
            continue
        part = Element("Part", titles.get(pid, pid), (), _lists(
            [(kinds[k], blocks[k], (alts or {}).get(k, "")) for k in keys]))
        group = group_of.get(pid, "")
        if group and groups and groups[-1] == group:
            children[-1] = children[-1]._replace(children=children[-1].children + (part,))
        else:
            children.append(Element("Part", group, (), (part,)) if group else part)
            groups.append(group)
    return Element("Document", "", (), tuple(children))


def _element(kind: str, marks: list[Placed], alt: str = "") -> Element:
    """A block's element: a table's rows and cells (TR, TH/TD) from its marks' places, else the
    block's type holding its marks."""
    if kind == "table" and any(inner for _, _, inner, _ in marks):
        rows: dict[int, dict[int, list[Placed]]] = {}
        heads: dict[tuple[int, int], bool] = {}
        loose: list[Placed] = []  # a row whose cells could not be told apart
        for mark in marks:
            if len(mark[2]) == 3:
                row, column, head = mark[2]
                rows.setdefault(row, {}).setdefault(column, []).append(mark)
                heads[(row, column)] = bool(head)
            else:
                loose.append(mark)
        every = sorted({column for columns in rows.values() for column in columns})
        cells = [Element("TR", "", (), tuple(  # an empty cell (nothing typed in its column) stays a cell
            _spoken("TH" if heads.get((row, column), False) else "TD", columns.get(column, []))
            for column in every)) for row, columns in rows.items()]
        if loose:
            cells.append(Element("TR", "", (), (_spoken("TD", loose),)))
        first = {(page, mcid): n for n, (page, mcid, *_) in enumerate(marks)}
        cells.sort(key=lambda tr: min(first[m] for td in tr.children for m in _marks_in(td)))  # reading order
        return Element("Table", "", (), tuple(cells))
    return _spoken(structure_type(kind), marks)._replace(alt=alt)


def _marks_in(element: Element) -> list[tuple[int, int]]:
    """An element's marks and its children's, in order."""
    return list(element.marks) + [m for child in element.children for m in _marks_in(child)]


def _spoken(kind: str, marks: list[Placed]) -> Element:
    """An element holding marks: with the language of its words if they all share one other
    than the document's, else with a Span for each run of words in one language (a Span with
    /Lang where it is another)."""
    langs = {lang for *_, lang in marks}
    if langs == {""}:
        return Element(kind, "", tuple((page, mcid) for page, mcid, *_ in marks))
    if len(langs) == 1:
        return Element(kind, "", tuple((page, mcid) for page, mcid, *_ in marks), lang=langs.pop())
    runs: list[tuple[str, list[tuple[int, int]]]] = []
    for page, mcid, _, lang in marks:
        if runs and runs[-1][0] == lang:
            runs[-1][1].append((page, mcid))
        else:
            runs.append((lang, [(page, mcid)]))
    return Element(kind, "", (), tuple(Element("Span", "", tuple(found), lang=lang) for lang, found in runs))


def _lists(blocks: list[tuple[str, list[Placed], str]]) -> tuple[Element, ...]:
    """A part's blocks as elements, each run of list items one L of LI (each its Lbl and its
    LBody), an item of a deeper level in an L of its own inside the item before it."""
    out: list[Element] = []
    run: list[tuple[int, Element]] = []  # the open list's items: (level, LI)

    def close() -> None:
        if run:
            out.append(_nest(run))
            run.clear()

    for kind, marks, alt in blocks:
        if kind != "item":
            close()
            out.append(_element(kind, marks, alt))
            continue
        level = next((inner[0] for _, _, inner, _ in marks if inner), 0)
        label = [m for m in marks if len(m[2]) == 3 and m[2][2] == LABEL]
        body = _spoken("LBody", [m for m in marks if m not in label])
        run.append((level, Element("LI", "", (), ((_spoken("Lbl", label),) if label else ()) + (body,))))
    close()
    return tuple(out)


def _nest(items: list[tuple[int, Element]]) -> Element:
    """Items with their levels to an L, the deeper ones in an L inside the item before them."""
    top = min(level for level, _ in items)
    out: list[Element] = []
    deeper: list[tuple[int, Element]] = []
    for level, item in items:
        if level > top and out:
            deeper.append((level, item))
            continue
        if deeper:
            out[-1] = out[-1]._replace(children=out[-1].children + (_nest(deeper),))
            deeper = []
        out.append(item)
    if deeper:
        out[-1] = out[-1]._replace(children=out[-1].children + (_nest(deeper),))
    return Element("L", "", (), tuple(out))
