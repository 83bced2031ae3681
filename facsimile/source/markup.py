"""A part file's lines to blocks of runs, collecting every markup problem with its place.

The markup, in full (docs/source-format.md says more):
- Paragraphs are plain text separated by blank lines; their lines are joined and reflowed.
- A line ``@kind`` or ``@kind text`` opens a block of that kind; the block runs to the next
  blank line. ``@@`` at the start of a line types a literal ``@``.
- ``*words*`` are emphasised; ``**`` types a literal asterisk.
- ``~words~`` are typed in spaced letters; ``~~`` types a literal tilde.
- ``{ru:words}`` are words in another language (a BCP 47 tag: ru, de, fr-CH); typed as they
  are, they carry the language to the tagged PDF. ``{{`` and ``}}`` type literal braces.
- A ``@list`` block's items start with their labels (``1.``, ``(a)``, ``i.``); an item
  indented in the source is nested one level, and no deeper. Each item becomes a block of
  kind ``item``.
"""

from __future__ import annotations

import re

from ..errors import Diagnostic, SourcePos
from ..model import BLOCK_KINDS, EMPTY_KINDS, OPTION_KINDS, Block, Run

DIRECTIVE = "@"
EMPHASIS = "*"
SPACED = "~"
MARKS = {EMPHASIS: "emphasis opened with * is not closed in this block: close it with a second *, "
                   "or write ** for a literal asterisk",
         SPACED: "spaced letters opened with ~ are not closed in this block: close them with a "
                 "second ~, or write ~~ for a literal tilde"}
OPEN_LANGUAGE, CLOSE_LANGUAGE = "{", "}"
LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")  # a BCP 47 tag: ru, en-GB, sr-Latn
LANGUAGE_LONGEST = 35  # RFC 5646 4.4.1: the longest tag a reader must keep; longer is a mistake
LANGUAGE_TAG = re.compile(rf"({LANGUAGE.pattern}):")


def language_tag(text: str) -> bool:
    """Whether text is a language tag a PDF's /Lang and XMP can carry (the manifest's lang, {ru:...})."""
    return len(text) <= LANGUAGE_LONGEST and LANGUAGE.fullmatch(text) is not None
ALIASES = {"center": "centre", "place": "date", "sig": "signature"}
SETTINGS = {  # what a bare @tabs or @space is told to write on its line
    "tabs": "@tabs needs its tab stops on its line, each a cell from the left margin, as in "
            "'@tabs 12, 40 right, 52 decimal'",
    "space": "@space needs its setting on its line: a number of blank lines from 1 to 60, as in "
             "'@space 3', or 'lower', as in '@space lower'",
}
LABEL = re.compile(r"^(\((?:\d{1,3}|[a-zA-Z]|[ivxlcIVXLC]{1,6})\)|(?:\d{1,3}|[a-zA-Z]|[ivxlcIVXLC]{1,6})[.)])(?=\s|$)")


def parse_part(lines: list[str], name: str) -> tuple[tuple[Block, ...], list[Diagnostic]]:
    """Parse the lines of one part file into blocks; problems are returned, never raised."""
    problems: list[Diagnostic] = []
    blocks: list[Block] = []
    kind: str | None = None
    start = SourcePos(name)
    body: list[tuple[int, int, str]] = []  # (line number, column of text, text)

    option = ""
    indents: list[int] = []  # a list's lines: how far each is indented in the source

    def close() -> None:
        nonlocal kind, body, option
        if kind in EMPTY_KINDS:
            if not option:  # one error, here (a line under it may be its setting), and no block
                problems.append(Diagnostic(start, SETTINGS[kind]))  # for the typist to find wanting
            else:
                if body:
                    problems.append(Diagnostic(SourcePos(name, body[0][0], body[0][1]), f"@{kind} has "
                                               "no lines of its own: leave a blank line after it"))
                blocks.append(Block(kind, (), start, option))
        elif kind is not None:
            if not body:
                problems.append(
                    Diagnostic(start, f"@{kind} has no text: write its lines under it, "
                               "before the next blank line, or delete it")
                )
            elif kind == "list":
                blocks.extend(_items(body, indents, name, problems))
            else:
                runs = _inline(body, name, problems)
                blocks.append(Block(kind, runs, start, option))
        kind, body, option = None, [], ""
        indents.clear()

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            close()
            continue
        if line.startswith(DIRECTIVE) and not line.startswith(DIRECTIVE * 2):
            close()
            word, _, rest = line[1:].partition(" ")
            word = ALIASES.get(word.lower(), word.lower())
            start = SourcePos(name, number, 1)
            if word not in BLOCK_KINDS or word == "paragraph":
                known = ", ".join("@" + k for k in BLOCK_KINDS if k != "paragraph")
                problems.append(
                    Diagnostic(start, f"unknown directive '@{line[1:].split(' ')[0]}': use one of "
                               f"{known}, or write @@ to type a literal @")
                )
                kind = "paragraph"
            else:
                kind = word
            if kind in OPTION_KINDS:
                option = rest.strip()
                continue
            if rest.strip():
                index = line.index(" ") + 1
                while line[index] == " ":
                    index += 1
                body.append((number, index + 1, rest.strip()))
            continue
        if kind is None:
            kind, start = "paragraph", SourcePos(name, number, 1)
        text = line[1:] if line.startswith(DIRECTIVE * 2) else line
        offset = 2 if text is not line else 1
        if kind in ("verbatim", "table"):  # tabs move to the rack's stops
            body.append((number, offset, text.rstrip()))
        else:
            text = text.replace("\t", " ")  # elsewhere a tab is a space
            stripped = text.lstrip()
            body.append((number, offset + len(text) - len(stripped), stripped.rstrip()))
            indents.append(len(text) - len(stripped))
    close()
    return tuple(blocks), problems


def _items(body: list[tuple[int, int, str]], indents: list[int], name: str, problems: list[Diagnostic]
           ) -> list[Block]:
    """A @list's lines to its items: a line that starts with a label opens an item (nested if
    it is indented), the lines after it continue it. Each item's option is 'level label'.
    Lists nest one level: an item indented further than the first nested one under the same
    item is an error (kept nested one level, so the lines under it do not err again)."""
    items: list[tuple[str, int, SourcePos, list[tuple[int, int, str]]]] = []
    nested: tuple[int, int] | None = None  # the first nested item under the item above: indent, line
    for (number, col, text), indent in zip(body, indents):
        match = LABEL.match(text)
        if match:
            if not indent:
                nested = None
            elif nested is None:
                nested = (indent, number)
            elif indent > nested[0]:
                problems.append(Diagnostic(SourcePos(name, number, col), "a @list nests one level, and "
                                           "this item is indented further than the nested item on line "
                                           f"{nested[1]}: indent it as far as that one, or write it into "
                                           "the text of the item above"))
            rest = text[match.end():].lstrip()
            if not rest:  # kept as an item all the same, so the lines under it do not err again
                problems.append(Diagnostic(SourcePos(name, number, col), f"the item '{match.group(1)}' "
                                           "has no text: write its text after the label on the same "
                                           "line, or join this line to the line above if it continues it"))
            items.append((match.group(1), 1 if indent else 0, SourcePos(name, number, col),
                          [(number, col + len(text) - len(rest), rest)]))
        elif items:
            items[-1][3].append((number, col, text))
        else:
            problems.append(Diagnostic(SourcePos(name, number, col), "a @list's first line must start "
                                       "with its label, as in '1. ...', '(a) ...' or 'i. ...'"))
            return []
    return [Block("item", _inline(lines, name, problems), pos, f"{level} {label}")
            for label, level, pos, lines in items]


def _inline(body: list[tuple[int, int, str]], name: str, problems: list[Diagnostic]
            ) -> tuple[tuple[Run, ...], ...]:
    """Split each line of a block into runs at the emphasis and spacing marks."""
    state = {EMPHASIS: False, SPACED: False}
    opened: dict[str, SourcePos] = {}
    out: list[tuple[Run, ...]] = []
    lang = ""  # the language span open, if any: it may run over lines, not over blocks
    spoken = False  # whether the open span has words in it yet
    for number, col, text in body:
        if EMPHASIS not in text and SPACED not in text and OPEN_LANGUAGE not in text \
                and CLOSE_LANGUAGE not in text:  # the common line: one run, nothing to look at
            spoken = spoken or bool(lang and text.strip())
            out.append((Run(text, SourcePos(name, number, col), state[EMPHASIS], state[SPACED], lang),)
                       if text else ())
            continue
        runs: list[Run] = []
        chunk: list[str] = []
        chunk_col = col
        i = 0

        def flush(next_col: int) -> None:
            nonlocal chunk, chunk_col, spoken
            if chunk:
                spoken = spoken or bool(lang and "".join(chunk).strip())
                runs.append(Run("".join(chunk), SourcePos(name, number, chunk_col), state[EMPHASIS],
                                state[SPACED], lang))
            chunk, chunk_col = [], next_col

        while i < len(text):
            ch = text[i]
            if ch in MARKS and text[i:i + 2] == ch * 2:
                flush(col + i)
                spoken = spoken or bool(lang)
                runs.append(Run(ch, SourcePos(name, number, col + i), state[EMPHASIS], state[SPACED], lang))
                chunk_col = col + i + 2
                i += 2
                continue
            if ch in MARKS:
                flush(col + i + 1)
                state[ch] = not state[ch]
                if state[ch]:
                    opened[ch] = SourcePos(name, number, col + i)
                i += 1
                continue
            if ch in (OPEN_LANGUAGE, CLOSE_LANGUAGE) and text[i:i + 2] == ch * 2:  # a literal brace
                flush(col + i)
                spoken = spoken or bool(lang)
                runs.append(Run(ch, SourcePos(name, number, col + i), state[EMPHASIS], state[SPACED], lang))
                chunk_col = col + i + 2
                i += 2
                continue
            if ch == OPEN_LANGUAGE:
                tag = LANGUAGE_TAG.match(text, i + 1)
                where = SourcePos(name, number, col + i)
                if lang:
                    problems.append(Diagnostic(where, f"a language span is already open (since "
                                               f"{opened[OPEN_LANGUAGE].line}:{opened[OPEN_LANGUAGE].col}): "
                                               "close it with } first, or write {{ for a literal brace"))
                elif tag is None or not language_tag(tag.group(1)):
                    problems.append(Diagnostic(where, "{ opens words in another language, as in "
                                               "{ru:Троцкий} (a language tag, a colon, the words, }): "
                                               "write {{ for a literal brace"))
                else:
                    flush(col + tag.end())
                    lang, spoken = tag.group(1), False
                    opened[OPEN_LANGUAGE] = where
                    i = tag.end()
                    continue
                i += 1
                continue
            if ch == CLOSE_LANGUAGE:
                if lang:
                    flush(col + i + 1)
                    if not spoken:
                        problems.append(Diagnostic(opened[OPEN_LANGUAGE], f"the {{{lang}:...}} span is "
                                                   "empty: put the words in another language inside "
                                                   "it, or remove it"))
                    lang = ""
                else:
                    problems.append(Diagnostic(SourcePos(name, number, col + i), "} closes a language "
                                               "span, and none is open here: write }} for a literal brace"))
                i += 1
                continue
            if not chunk:
                chunk_col = col + i
            chunk.append(ch)
            i += 1
        flush(col + len(text))
        out.append(tuple(runs))
    if lang:
        problems.append(Diagnostic(opened[OPEN_LANGUAGE], f"the language span {{{lang}: is not closed in "
                                   "this block: close it with }, or write {{ for a literal brace"))
    for mark, message in MARKS.items():
        if state[mark]:
            problems.append(Diagnostic(opened[mark], message))
    return tuple(out)
