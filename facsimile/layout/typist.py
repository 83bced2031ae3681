"""A part's blocks to a flow of typed lines on the grid, by the typist's conventions."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import NamedTuple

from ..guides import has_all, size_pt
from ..errors import Diagnostic, SourceError, SourcePos
from .grid import Cell, FlowLine, TypedLine
from .keyboard import SUBSTITUTES
from .linebreak import Token, WordTooLong, wrap
from ..model import NUMBERED_KINDS, Block, Layout, Part, Run
from .paper import SPACINGS, Grid
from .tabs import RULE, Key, TabStop, parse_tabs, rack, set_row, split_row

SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
INITIAL = re.compile(r"^[\"'(]*[A-Z]\.$")
OPENS_SENTENCE = re.compile(r"^[\"'(\[]*[A-Z]")
DASHES = {"-", "--"}
SUBSTITUTED = frozenset(SUBSTITUTES)


@dataclass(frozen=True)
class Word:
    """A word to type: its keys, the spaces before it, whether it is held to the word before,
    whether those spaces are underscored, and its text (kept: it is asked for often)."""

    keys: tuple[Key, ...]
    space_before: int
    glue: bool
    emphasised_space: bool  # the spaces before it are underscored too
    text: str = ""
    plain: str = ""  # a word typed in spaced letters: the word as read, without the spaces

    def __post_init__(self) -> None:
        if not self.text:
            object.__setattr__(self, "text", "".join(k.char for k in self.keys))


def type_part(part: Part, grid: Grid, layout: Layout, first_paragraph: int = 1) -> list[FlowLine]:
    """Type every block of a part; raise SourceError listing every word too long for the line.
    The first line of each paragraph carries its number, counted from first_paragraph."""
    flow: list[FlowLine] = []
    problems: list[Diagnostic] = []
    previous: Block | None = None
    tab = close_tab(part, grid, layout)
    stops = parse_tabs(layout.tabs)[0] if layout.tabs else ()  # the manifest's rack (checked there)
    space = 0  # blank lines asked for by @space, above the next block
    lower = False  # @space lower: the next block goes lower on a short last page
    blocks = _with_heads(part)
    for number, block in enumerate(blocks, start=1):
        if block.kind == "tabs":
            stops, problem = _rack(block, grid)
            if problem:
                problems.append(problem)
            continue
        if block.kind == "space":
            if block.option.lower() == "lower":
                lower = True
            elif not block.option.isdigit() or not 1 <= int(block.option) <= 60:
                problems.append(Diagnostic(block.pos, f"@space needs a number of blank lines from 1 to "
                                           f"60, or 'lower', not '{block.option}'"))
            else:
                space += int(block.option)
            continue
        try:
            lines = [replace(line, kind=block.kind, block=number, part=part.spec.id)
                     for line in type_block(block, grid, layout, tab, stops)]
        except _TooLong as exc:
            problems.extend(exc.problems)
            continue
        if block.kind not in ("verbatim", "table"):
            lines = _gutters_read_across(lines, grid.line_step > SPACINGS["single"])
        gap = 0 if previous is None else _gap(previous, block, layout)
        if space:
            gap, space = gap + space, 0
        if block.kind in NUMBERED_KINDS and lines:
            lines[0] = replace(lines[0], paragraph=first_paragraph)
            first_paragraph += 1
        if block.kind == "letterhead" and layout.rules and lines and not _underscored_head(layout):
            rule = TypedLine((Cell(grid.left, " "), Cell(grid.right - 1, " ")), "rule", kind=block.kind,
                             block=number, part=part.spec.id)
            lines = [rule] + lines + [rule]
        keep_block = block.kind in ("close", "signature")
        total = len(lines)
        head = _table_head(lines) if block.kind == "table" else 0
        for n, line in enumerate(lines):
            if n == 0:
                keep = keep_block and previous is not None
            elif block.kind in ("paragraph", "imprint", "block", "item", "quote"):
                # No orphan (first line alone at a foot), no widow (last line alone at a head).
                keep = total <= 3 or n == 1 or n == total - 1
            elif block.kind == "table":  # the head with the first row; never a rule or the last row alone
                keep = total <= 5 or n <= head + 1 or n == total - 1 or _is_rule(line)
            else:
                keep = True
            line_gap = gap if n == 0 else 0
            if line.scale > 1 or line.tall:  # room above for letters two lines tall (or as lettered)
                line_gap = max(line_gap, (line.tall or line.scale) - 1)
            flow.append(FlowLine(line, line_gap, keep, block.kind == "imprint", lower and n == 0))
        lower = lower and not lines
        if lines and (block.kind in HEADING_KINDS or _leads_in(block, blocks[number:])):
            # A heading, a centred section number or a list's lead-in is never left alone at the
            # foot of a page: keep what follows with it.
            flow.append(FlowLine(TypedLine((), "blank"), 0, True))
        previous = block
    if problems:
        raise SourceError(problems)
    return _drop_markers(flow)


HEADING_KINDS = ("letterhead", "heading", "copy", "centre", "spaced")  # kept with what follows
LEADS_TO = ("item", "table", "quote")  # what a lead-in ending with a colon introduces


def _leads_in(block: Block, after: list[Block]) -> bool:
    """A block ending with a colon, before a list, table or quotation: its lead-in."""
    following = next((b for b in after if b.kind not in ("tabs", "space")), None)
    if following is None or following.kind not in LEADS_TO or not block.lines:
        return False
    last = block.lines[-1]
    return bool(last) and last[-1].text.rstrip().endswith(":")


def _gaps(line: TypedLine) -> list[tuple[int, int]]:
    """The runs of two or more empty cells between a line's typed cells (first, last)."""
    cols = [c.col for c in line.cells if c.char != " " or c.emphasis]
    return [(a + 1, b - 1) for a, b in zip(cols, cols[1:]) if b - a > 2]


def _gutters_read_across(lines: list[TypedLine], spaced: bool) -> list[TypedLine]:
    """A line with a wide gap (two spaces after a sentence, a hanging label) that poppler could
    take for a gutter between columns reads as one line. In single spacing poppler joins the
    lines of a block, and a gap splits a line only where no line above or below in its block
    types across it; spaced wider (spaced: one-and-a-half, double), every line stands alone
    and any such gap splits it (measured on the corpus' report), so every one is marked."""
    out = list(lines)
    for n, line in enumerate(lines):
        if line.actual or not line.cells:
            continue
        neighbours = [lines[m] for m in (n - 1, n + 1) if 0 <= m < len(lines) and lines[m].cells]
        for first, last in _gaps(line):
            if spaced or not neighbours or any(not any(first <= c.col <= last for c in other.cells)
                                               or other.cells[-1].col < last for other in neighbours):
                out[n] = replace(line, across=True)
                break
    return out


def _is_rule(line: TypedLine) -> bool:
    return bool(line.cells) and all(c.ornament for c in line.cells)


def _table_head(lines: list[TypedLine]) -> int:
    """The index of a table's first ruled line under its head (0 if it has none)."""
    return next((n for n, line in enumerate(lines) if n and _is_rule(line)), 0)


def _with_heads(part: Part) -> list[Block]:
    """The part's blocks behind the heads its manifest entry asks for: the copy head ("COPY"),
    centred and emphasised, and an editorial letterhead for a part that has none of its own."""
    pos = part.spec.pos
    heads: list[Block] = []
    if part.spec.head:
        heads.append(Block("copy", tuple((Run(text, pos, True),) for text in part.spec.head), pos))
    if part.spec.letterhead:
        heads.append(Block("letterhead", tuple((Run(text, pos),) for text in part.spec.letterhead), pos))
    return heads + list(part.blocks)


def _drop_markers(flow: list[FlowLine]) -> list[FlowLine]:
    """Turn keep-with-next markers into keep flags on the following line."""
    out: list[FlowLine] = []
    carry = False
    for item in flow:
        if item.line.role == "blank":
            carry = True
            continue
        if carry:
            item = FlowLine(item.line, item.gap, True, item.foot, item.lower)
            carry = False
        out.append(item)
    return out


def _gap(previous: Block, block: Block, layout: Layout) -> int:
    if (previous.kind == block.kind == "item" and block.option.partition(" ")[0] not in ("", "0")
            and layout.spacing == "single"):
        # a nested item follows the item above it closely, as typists set sub-items; spaced
        # wider, it keeps the gap: closed up there, beside a handout's paragraph numbers,
        # poppler read an item's short last line after the next item (measured on the report)
        return 0
    if previous.kind == block.kind and block.kind in NUMBERED_KINDS:
        return layout.paragraph_gap
    if previous.kind == "letterhead":
        return 2
    return max(1, layout.paragraph_gap)


class _TooLong(Exception):
    def __init__(self, problems: list[Diagnostic]) -> None:
        super().__init__(problems)
        self.problems = problems


def _rack(block: Block, grid: Grid) -> tuple[tuple[TabStop, ...], Diagnostic | None]:
    """The stops a @tabs line (or a @table's own line) sets, or what is wrong with them."""
    stops, problem = parse_tabs(block.option)
    if not problem and stops and stops[-1].col >= grid.measure and not grid.reflow:
        problem = (f"the tab stop at {stops[-1].col} is past the right margin: the line is "
                   f"{grid.measure} cells (count from 0 at the left margin)")
    return stops, (Diagnostic(block.pos, problem) if problem else None)


def close_tab(part: Part, grid: Grid, layout: Layout) -> int:
    """The tab stop for the close and signature: the centre, or further left so that the
    longest line of the close fits, as a typist would set it."""
    longest = max((_width(words) for block in part.blocks if block.kind in ("close", "signature")
                   for words in _words(block, layout)), default=0)
    return max(grid.left, min(grid.centre, grid.right - longest))


def _width(words: list[Word]) -> int:
    return sum(len(w.keys) for w in words) + sum(w.space_before for w in words[1:])


def type_block(block: Block, grid: Grid, layout: Layout, tab: int | None = None,
               stops: tuple[TabStop, ...] = ()) -> list[TypedLine]:
    """The lines of one block, placed on the grid; tabs go to the stops of the rack."""
    kind = block.kind
    role = {"paragraph": "body", "to": "body", "salutation": "body", "centre": "body",
            "right": "body", "block": "body", "spaced": "body", "table": "body"}.get(kind, kind)
    if kind == "table":
        if block.option:
            own, problem = _rack(block, grid)
            if problem:
                raise _TooLong([problem])
            stops = own
        return _table(_source_lines(block), grid, rack(stops, grid.measure))
    if kind == "verbatim":
        return _verbatim_lines(_source_lines(block), grid, role, rack(stops, grid.measure))
    if kind == "item":
        return _item(block, grid, layout)
    if kind == "quote":
        return _quote(block, grid, layout)
    if kind == "paragraph":
        return _set(_words(block, layout), grid.left, grid.measure, layout.indent, "left", grid, role)
    if kind in ("to", "salutation", "imprint", "block"):
        return _set(_words(block, layout), grid.left, grid.measure, 0, "left", grid, role)
    if kind in ("close", "signature"):
        tab = grid.centre if tab is None else tab
        return _set(_words(block, layout), tab, grid.right - tab, 0, "left", grid, role, per_line=True)
    if kind == "letterhead" and layout.letterhead != "plain":
        return _letterhead(block, grid, layout)
    align = {"date": "right", "right": "right"}.get(kind, "centre")
    return _set(_words(block, layout), grid.left, grid.measure, 0, align, grid, role, per_line=True)


HANG = 5  # cells from a label to its text: the next tab stop, as a typist set it
QUOTE_INDENT = 5  # a block quotation is indented this many cells on both sides
QUOTATION_MARKS = ("\"", "'")


def _item(block: Block, grid: Grid, layout: Layout) -> list[TypedLine]:
    """A list item: its label at the margin (a nested one at the text of the level above) and
    its text wrapped under the text, not under the label (a hanging indent)."""
    level, _, label = block.option.partition(" ")
    label_col = grid.left + HANG * int(level or 0)
    text_col = label_col + HANG * max(1, -(-(len(label) + 1) // HANG))
    if text_col >= grid.right - HANG:  # no room left to hang the text: set it after the label
        text_col = label_col + len(label) + 1
    lines = [replace(line, level=int(level or 0))
             for line in _set(_words(block, layout), text_col, grid.right - text_col, 0, "left", grid, "body",
                                  widen=False)]
    if lines:  # read as one line: poppler would take a column of labels for a column of text
        cells = tuple(Cell(label_col + i, ch, False, block.pos) for i, ch in enumerate(label))
        read = lines[0].actual or " ".join(lines[0].searchable_text.split())
        last = max((cell.col for cell in lines[0].cells), default=text_col)
        lines[0] = replace(lines[0], cells=cells + lines[0].cells, actual=f"{label} {read}",  # the label and
                           columns=((0, label_col, label_col + len(label) - 1), (1, text_col, last)))  # the text
    return lines


def _quote(block: Block, grid: Grid, layout: Layout) -> list[TypedLine]:
    """A quoted paragraph, indented on both sides, opening with a quotation mark as each
    quoted paragraph then did (the mark is typed if the text has none)."""
    words = _words(block, layout)
    first = next((line for line in words if line), None)
    if first is not None and not first[0].text.startswith(QUOTATION_MARKS):
        word = first[0]
        mark = Key('"', False, word.keys[0].pos)
        first[0] = Word((mark,) + word.keys, word.space_before, word.glue, word.emphasised_space)
    indent = min(QUOTE_INDENT, grid.measure // 8)
    return _set(words, grid.left + indent, grid.measure - 2 * indent, 0, "left", grid, "body", widen=False)


def _letterhead(block: Block, grid: Grid, layout: Layout) -> list[TypedLine]:
    """The sender's head in capitals: large stylus letters two cells wide (a line too long is
    broken), typed capitals where a word is too long for them, or spaced capitals if asked."""
    capitals = [[Word(tuple(Key(k.char.upper(), k.emphasis, k.pos) for k in w.keys), w.space_before,
                      w.glue, w.emphasised_space) for w in line] for line in _words(block, layout)]
    style = layout.letterhead
    if _underscored_head(layout):  # no stencil: typed in spaced capitals, underscored
        capitals = [[Word(tuple(Key(k.char, True, k.pos) for k in w.keys), w.space_before, w.glue, n > 0)
                     for n, w in enumerate(line)] for line in capitals]
        style = "spaced"
    elif style == "stylus" and not all(has_all(layout.guide, w.text) for line in capitals for w in line):
        style = "large"  # a character the guide has no slot for: typed large instead
    scale, tall = 2, 0
    if style == "stylus":
        scale, tall = lettering_cells(layout, grid)
    part = grid.measure // scale
    if style in ("large", "stylus") and all(len(w.keys) <= part for line in capitals for w in line):
        lines = _set(capitals, 0, part, 0, "centre", grid, "letterhead", per_line=True)
        offset = grid.left + (grid.measure % scale + 1) // 2
        return [TypedLine(tuple(Cell(offset + scale * c.col, c.char, c.emphasis, c.pos) for c in line.cells),
                          "letterhead", scale=scale, tall=tall) for line in lines]
    if style == "spaced":
        capitals = [_spaced(line) for line in capitals]
    lines = _set(capitals, grid.left, grid.measure, 0, "centre", grid, "letterhead", per_line=True)
    if _underscored_head(layout):  # a line between underscored lines, clear of the letters below
        lines = [replace(line, tall=2) for line in lines]
    return lines


def _underscored_head(layout: Layout) -> bool:
    """On a ribbon original there is no stencil to letter: the typist spaces the letterhead's
    capitals and underscores them (no ruled lines)."""
    return layout.letterhead == "stylus" and layout.look == "typescript"


GUIDE_ADVANCE = 0.9  # a guide's capitals run about 0.9 of their height wide, spacing included
LETTERED_LEADING = 1.35  # lettered lines stand this many capital heights apart, at least


def lettering_cells(layout: Layout, grid: Grid) -> tuple[int, int]:
    """How many cells a lettered capital takes on the typist's grid, and how many lines a
    lettered line stands in: the guide's size in the grid's units."""
    height = size_pt(layout.size)
    line_pt = grid.line_step * grid.row_pt
    return (max(2, round(height * GUIDE_ADVANCE / grid.cell_pt)),
            max(1, math.ceil(height * LETTERED_LEADING / line_pt)))


def _spaced(words: list[Word]) -> list[Word]:
    """Spaced capitals: a space between letters, three between words."""
    out: list[Word] = []
    for n, word in enumerate(words):
        keys: list[Key] = []
        for i, key in enumerate(word.keys):
            if i:
                keys.append(Key(" ", key.emphasis and word.keys[i - 1].emphasis, key.pos))
            keys.append(key)
        out.append(Word(tuple(keys), 3 if n else word.space_before, word.glue, word.emphasised_space,
                        plain=word.plain or word.text))
    return out


_new = tuple.__new__  # makes a NamedTuple without its Python-level __new__: half the cost


def _source_lines(block: Block) -> list[list[Key]]:
    """The keys struck for each source line, each with the place of its character."""
    out: list[list[Key]] = []
    for line in block.lines:
        keys: list[Key] = []
        for run in line:
            file, number, col = run.pos
            emphasis = run.emphasis
            if SUBSTITUTED.isdisjoint(run.text):  # the common case, in one comprehension
                keys.extend([_new(Key, (ch, emphasis, _new(SourcePos, (file, number, col + i))))
                             for i, ch in enumerate(run.text)])
                continue
            for i, ch in enumerate(run.text):
                where = _new(SourcePos, (file, number, col + i))
                keys.extend(_new(Key, (k, emphasis, where)) for k in SUBSTITUTES.get(ch, ch))
        out.append(keys)
    return out


def _words(block: Block, layout: Layout) -> list[list[Word]]:
    """Split each source line of a block into words (joined later, or kept per line)."""
    per_line: list[list[Word]] = []
    history: list[Word] = []
    for keys in _source_lines(block):
        words: list[Word] = []
        current: list[Key] = []
        spaces: list[Key] = []
        keys.append(_new(Key, (" ", False, SourcePos(""))))
        for key in keys:
            if key[0] == " ":  # (tuple indexing: a NamedTuple's names cost a call each)
                if current:
                    words.append(_word(current, history, layout, spaces))
                    history.append(words[-1])
                    current, spaces = [], []
                spaces.append(key)
                continue
            current.append(key)
        per_line.append(words)
    spaced = {(run.pos.line, run.pos.col + i) for line in block.lines for run in line
              if run.spaced or block.kind == "spaced" for i in range(len(run.text))}
    if layout.capitals and block.kind not in ("letterhead", "copy"):
        per_line = [_emphasise_capitals(words, spaced) for words in per_line]
    if layout.emphasis == "spaced":
        per_line = [_space_emphasis(words) for words in per_line]
    if spaced:
        per_line = [_space_marked(words, spaced) for words in per_line]
    return per_line


def _space_marked(words: list[Word], spaced: set[tuple[int, int]]) -> list[Word]:
    """Words marked ~so~ (or in a @spaced block) in spaced letters, three spaces around them,
    whatever the document's emphasis."""
    out: list[Word] = []
    after = False  # the word before ended in spaced letters
    for word in words:
        marked = [(k.pos.line, k.pos.col) in spaced for k in word.keys]
        if any(marked) and not word.plain:
            keys: list[Key] = []
            for i, key in enumerate(word.keys):
                if i and marked[i] and marked[i - 1]:
                    keys.append(Key(" ", key.emphasis and word.keys[i - 1].emphasis, key.pos))
                keys.append(key)
            space = max(3, word.space_before) if out and (marked[0] or after) else word.space_before
            word = Word(tuple(keys), space, word.glue, word.emphasised_space, plain=word.text)
        elif after:
            word = Word(word.keys, max(3, word.space_before), word.glue, word.emphasised_space, word.text,
                        word.plain)
        after = any(marked) and marked[-1]
        out.append(word)
    return out


CAPITALS = re.compile(r"^[\"'(]*([A-Z][A-Z'-]*[A-Z])[\"').,;:!?]*$")


def _emphasise_capitals(words: list[Word], spaced: set[tuple[int, int]] = set()) -> list[Word]:
    """Words in capitals (TROTSKY, STEWART PURKIS) are emphasised like marked emphasis;
    initialisms with full stops (U.S.S.R., C.I., N.W.11) are not, nor are spaced capitals
    (their spacing is their emphasis)."""
    out: list[Word] = []
    for word in words:
        match = CAPITALS.match(word.text)
        if match and spaced and (word.keys[0].pos.line, word.keys[0].pos.col) in spaced:
            match = None
        if match and not set(match.group(1)) <= set("IVXLCDM"):  # II, XIV: numerals, not emphasis
            first, last = match.span(1)
            keys = tuple(Key(k.char, k.emphasis or first <= i < last, k.pos) for i, k in enumerate(word.keys))
            joined = bool(out) and out[-1].keys[-1].emphasis and keys[0].emphasis
            word = Word(keys, word.space_before, word.glue, word.emphasised_space or joined, word.text)
        out.append(word)
    return out


def _space_emphasis(words: list[Word]) -> list[Word]:
    """Emphasis by spacing: an emphasised word's letters spaced out, three spaces around it."""
    out: list[Word] = []
    for word in words:
        if all(k.emphasis for k in word.keys):
            (word,) = _spaced([word])
            word = Word(word.keys, 3 if out else word.space_before, word.glue, False, plain=word.plain)
        elif out and all(k.emphasis for k in out[-1].keys):
            word = Word(word.keys, max(3, word.space_before), word.glue, False)
        out.append(word)
    return out


def _word(keys: list[Key], before: list[Word], layout: Layout, spaces: list[Key]) -> Word:
    text = "".join([k[0] for k in keys])
    space = 1
    if before:
        prev = before[-1].text
        if prev.endswith(":") or (SENTENCE_END.search(prev) and not INITIAL.match(prev)
                                  and OPENS_SENTENCE.match(text)):
            space = layout.sentence_space or 1
    emphasised = bool(before) and keys[0][1] and before[-1].keys[-1][1] and all(s[1] for s in spaces)
    # A spaced dash is held between its neighbours: never first on a line, and never last, where
    # poppler would take it for a hyphenation and drop it from the text.
    glue = text in DASHES or bool(before) and before[-1].text in DASHES
    return Word(tuple(keys), space, glue, emphasised, text)


def _set(lines: list[list[Word]], left: int, measure: int, indent: int, align: str, grid: Grid,
         role: str, per_line: bool = False, widen: bool = True) -> list[TypedLine]:
    """Wrap words (all of a block's lines run together, or each source line on its own) and
    place each line by its alignment. With widen, a word too long for a narrowed measure has the
    block typed from the margin on the whole line (a close); without, it is an error, as where a
    list's label stands at the margin or a quotation's indent is its form."""
    groups = lines if per_line else [[w for line in lines for w in line]]
    out: list[TypedLine] = []
    problems: list[Diagnostic] = []
    for words in groups:
        if not words:
            continue
        if per_line and len(words) > 1 and words[0].space_before > 1:
            words[0] = Word(words[0].keys, 1, words[0].glue, words[0].emphasised_space, words[0].text)
        tokens = [Token(len(w.keys), w.space_before, w.glue) for w in words]
        try:
            broken = wrap(tokens, measure, indent)
        except WordTooLong:
            if widen and measure < grid.measure:  # a close too long for the half line: type it from the left
                return _set(lines, grid.left, grid.measure, indent, align, grid, role, per_line)
            problems.extend(Diagnostic(w.keys[0].pos, f"a word of {len(w.keys)} characters is longer "
                                       f"than the line ({measure} cells): break it with a space "
                                       "or a hyphen, or choose elite pitch or wider paper")
                            for w in words if len(w.keys) > measure)
            continue
        for n, indices in enumerate(broken):
            width = sum(len(words[i].keys) for i in indices) + sum(words[i].space_before for i in indices[1:])
            if align == "centre":
                start = left + (measure - width) // 2  # backspace half the count from the centre
            elif align == "right":
                start = left + measure - width
            else:  # the indent is given up only when the first word would not fit with it
                start = left + (indent if n == 0 and indent + width <= measure else 0)
            cells: list[Cell] = []
            col = start
            for j, index in enumerate(indices):
                word = words[index]
                if j:
                    if word.emphasised_space:
                        cells.extend(_new(Cell, (col + s, " ", True, None, False))
                                     for s in range(word.space_before))
                    col += word.space_before
                cells.extend([_new(Cell, (col + i, char, emphasis, pos, False))
                              for i, (char, emphasis, pos) in enumerate(word.keys)])
                col += len(word.keys)
            actual = ""
            if any(words[i].plain for i in indices):  # read spaced letters back as words
                actual = " ".join(words[i].plain or words[i].text for i in indices)
            out.append(TypedLine(tuple(cells), role, actual=actual))
    if problems:
        raise _TooLong(problems)
    return out


def _verbatim_lines(lines: list[list[Key]], grid: Grid, role: str, stops: tuple[TabStop, ...] = ()
                    ) -> list[TypedLine]:
    """Each line kept as typed, a tab to the next stop of the rack; every line too long for the
    measure is reported at once (on a reading edition's grid, the block is set smaller)."""
    out: list[TypedLine] = []
    problems: list[Diagnostic] = []
    for keys in lines:
        if any(k.char == "\t" for k in keys):
            cells, _, read = set_row(split_row(keys), stops, grid.left, {})
            line = TypedLine(tuple(cells), role, actual=read)
        else:
            line = _verbatim(keys, grid, role)
        if _overflow(line, grid) and not grid.reflow:
            problems.append(_too_wide(line, keys, grid))
        out.append(line)
    if problems:
        raise _TooLong(problems)
    return _smaller(out, grid, role)


def _overflow(line: TypedLine, grid: Grid) -> bool:
    return bool(line.cells) and line.cells[-1].col >= grid.right


def _too_wide(line: TypedLine, keys: list[Key], grid: Grid) -> Diagnostic:
    width = line.cells[-1].col - grid.left + 1
    if any(k.char == "\t" for k in keys):
        return Diagnostic(keys[0].pos, f"this row is {width} cells, longer than the line ({grid.measure}): "
                          "set the tab stops closer, shorten a cell, or choose elite pitch or wider paper")
    return Diagnostic(keys[min(grid.measure, len(keys) - 1)].pos, f"this line kept as typed is {len(keys)} "
                      f"cells, longer than the line ({grid.measure}): shorten it, or choose elite pitch "
                      "or wider paper")


def _smaller(lines: list[TypedLine], grid: Grid, role: str) -> list[TypedLine]:
    """Lines kept as typed, set smaller to fit a reading edition's line if they must be, with the
    edition's note under them."""
    widest = max((line.cells[-1].col - grid.left + 1 for line in lines if line.cells), default=0)
    if widest <= grid.measure or not grid.reflow:
        return lines
    shrink = grid.measure / widest
    note = TypedLine(tuple(Cell(grid.left + i, ch) for i, ch in enumerate(grid.reflow) if ch != " "), role)
    return [replace(line, shrink=shrink) for line in lines] + [note]


def _table(rows: list[list[Key]], grid: Grid, stops: tuple[TabStop, ...]) -> list[TypedLine]:
    """A typed table: each source line a row, its cells at the stops; a row typed as a rule
    (---, ___, ===) runs across the table, a cell typed as one across its column. On a reading
    edition's narrower line, a table too wide closes up its columns, or is set smaller."""
    lines, problems, columns = _table_lines(rows, grid, stops)
    if problems and grid.reflow:
        lines, problems, _ = _table_lines(rows, grid, _closed_up(columns, stops, grid))
        if problems:
            return _headed(_smaller(_table_lines(rows, replace(grid, right=10 ** 6), stops)[0], grid, "body"))
    if problems:
        raise _TooLong(problems)
    return _headed(lines)


def _headed(lines: list[TypedLine]) -> list[TypedLine]:
    """The table's lines with the rows above the rule under its head marked as its head."""
    head = _table_head(lines)
    return [replace(line, head=True) if n < head else line for n, line in enumerate(lines)]


def _closed_up(columns: dict[int, tuple[int, int]], stops: tuple[TabStop, ...], grid: Grid
               ) -> tuple[TabStop, ...]:
    """The stops for the columns set side by side, two cells apart (three more for leader dots),
    each keeping its alignment: cell n of each row goes to stop n - 1, as it was set."""
    closed: list[TabStop] = []
    end = columns.get(0, (grid.left, grid.left - 1))[1] - grid.left
    for n in range(1, max(columns, default=0) + 1):
        stop = stops[n - 1] if n - 1 < len(stops) else TabStop(0)
        lo, hi = columns.get(n, (grid.left, grid.left))
        start = end + 2 + (3 if stop.leader else 0)
        where = {"right": start + hi - lo, "centre": start + (hi - lo) // 2,
                 "decimal": start + (grid.left + stop.col - lo)}.get(stop.align, start)
        closed.append(TabStop(max(where, closed[-1].col + 1 if closed else 1), stop.align, stop.leader))
        end = start + hi - lo
    return tuple(closed)


def _table_lines(rows: list[list[Key]], grid: Grid, stops: tuple[TabStop, ...]
                 ) -> tuple[list[TypedLine], list[Diagnostic], dict[int, tuple[int, int]]]:
    """The rows set at the stops, the rows too wide for the line, and the columns' extents."""
    split = [split_row(keys) for keys in rows]
    columns: dict[int, tuple[int, int]] = {}
    for cells in split:  # first the columns' extents, from the cells of text
        for n, (first, last) in set_row(cells, stops, grid.left, {})[1].items():
            lo, hi = columns.get(n, (first, last))
            columns[n] = (min(lo, first), max(hi, last))
    left = min((lo for lo, _ in columns.values()), default=grid.left)
    right = max((hi for _, hi in columns.values()), default=grid.right - 1)
    out: list[TypedLine] = []
    problems: list[Diagnostic] = []
    for keys, cells in zip(rows, split):
        if not keys:
            continue
        texts = ["".join(k.char for k in cell) for cell in cells]
        rule = RULE.match(texts[0]) if len(cells) == 1 else None
        if rule:
            out.append(TypedLine(tuple(Cell(c, rule.group(1), False, keys[0].pos, True)
                                       for c in range(left, right + 1)), "body"))
            continue
        typed, extents, read = set_row(cells, stops, grid.left, columns)
        line = TypedLine(tuple(typed), "body", actual=read if len(cells) > 1 else "",
                         columns=tuple((n, first, last) for n, (first, last) in sorted(extents.items())))
        if _overflow(line, grid):
            problems.append(_too_wide(line, keys, grid))
        out.append(line)
    return out, problems, columns


def _verbatim(keys: list[Key], grid: Grid, role: str) -> TypedLine:
    text = "".join(k.char for k in keys)
    return TypedLine(tuple(Cell(grid.left + i, k.char, k.emphasis, k.pos)
                           for i, k in enumerate(keys) if k.char != " " or k.emphasis), role,
                     # columns padded by hand read row by row too
                     actual=" ".join(text.split()) if "   " in text.strip() else "")
