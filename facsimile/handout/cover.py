"""A document's manifest to the handout's covers: the cover, the inside cover, the back cover.

The cover names the document, the parts with their full titles (wrapped, never cut) and
pages, and the source by what it is: its title, archive and address. The inside cover
holds the rest of the provenance, the back cover the colophon. The web page's furniture
recorded in the manifest (its heading, navigation and 'Last updated' lines) is not printed.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import SourcePos
from ..model import Block, Document, Part, PartSpec, Run

# The words the covers add around the texts: labels, not words of the texts.
LABELS = {
    "contents": "Contents", "source": "Source", "provenance": "About this text",
    "colophon": "About this handout", "unpacked": "The transcription, its corrections and "
    "notes travel inside this PDF: facsimile unpack writes the document folder back.",
    "numbers": "Paragraphs are numbered the same in both editions, so that a group can say "
    "\"paragraph 7\"; the notes are keyed to those numbers.",
    "facsimile": "Facsimile edition: the pages as typed on a stencil and run off on a duplicator, "
    "reduced to fit.",
    "reading": "Reading edition: the text set anew, with the corrections made and notes for readers.",
    "made": "Made with facsimile.",
}
SOURCE_KEYS = ("title", "archive", "address")  # the source named by what it is
FALLBACK_SOURCE = "source"  # a free-text source, printed when the named ones are absent
FURNITURE = ("heading", "navigation", "updated")  # the web page's own lines: recorded, not printed
INDENT = 2  # a wrapped contents entry's hanging indent, in cells


def _part(pid: str, title: str, blocks: list[Block]) -> Part:
    return Part(PartSpec(pid, "", "document", title, "", SourcePos("handout")), tuple(blocks))


def _lines(kind: str, texts: list[str], pos: SourcePos, emphasis: bool = False) -> Block:
    return Block(kind, tuple((Run(t, pos, emphasis),) for t in texts), pos)


def editorial(doc: Document) -> Document:
    """The document as the covers are typed: no emphasis by the capitals rule (ETOL, OCR)."""
    return replace(doc, layout=replace(doc.layout, capitals=False))


def contents_lines(contents: list[tuple[str, int]], measure: int) -> list[str]:
    """Each part's full title, wrapped with a hanging indent, and a dot leader on its last
    line to its page number."""
    out: list[str] = []
    for title, page in contents:
        number = str(page)
        lines: list[str] = []
        line = ""
        for word in title.split():
            width = measure - (INDENT if lines else 0)
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
        last_width = measure - (INDENT if len(lines) > 1 else 0)
        if len(lines[-1]) + len(number) + 3 > last_width:  # no room for the leader: a line of its own
            lines.append("")
            last_width = measure - INDENT
        leader = "." * max(1, last_width - len(lines[-1]) - len(number) - 2)
        lines[-1] = f"{lines[-1]} {leader} {number}".lstrip()
        out.extend((" " * INDENT if i else "") + text for i, text in enumerate(lines))
    return out


def readable_date(date: str) -> str:
    """1932-11-07 as 7 November 1932; any other form as written."""
    months = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
    parts = date.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and 1 <= int(parts[1]) <= 12:
        return f"{int(parts[2])} {months[int(parts[1]) - 1]} {parts[0]}"
    return date


def source_lines(doc: Document) -> list[str]:
    """The source by what it is: its title, archive and address, else the manifest's source."""
    given = dict(doc.provenance)
    named = [given[key].replace("\n", "; ") for key in SOURCE_KEYS if given.get(key)]
    if named:
        return named
    return [given[FALLBACK_SOURCE].replace("\n", "; ")] if given.get(FALLBACK_SOURCE) else []


def break_address(address: str, measure: int) -> list[str]:
    """An address too long for a line, broken after a / (or, failing that, anywhere)."""
    lines: list[str] = []
    rest = address
    while len(rest) > measure:
        cut = rest.rfind("/", 0, measure) + 1 or measure
        lines.append(rest[:cut])
        rest = rest[cut:]
    return lines + ([rest] if rest else [])


def cover(doc: Document, contents: list[tuple[str, int]], measure: int) -> Part:
    """The cover: title, place and date, author, the parts with their pages, the source."""
    pos = SourcePos("document.toml", 1, 1)
    blocks = [_lines("heading", [doc.title], pos, True),
              _lines("centre", [", ".join(x for x in (doc.place, readable_date(doc.date)) if x)], pos)]
    if doc.author:
        blocks.append(Block("block", ((Run(doc.author, pos),),), pos))
    blocks.append(_lines("heading", [LABELS["contents"]], pos, True))
    blocks.append(_lines("verbatim", contents_lines(contents, measure), pos))
    sources = source_lines(doc)
    if sources:
        blocks.append(_lines("heading", [LABELS["source"]], pos, True))
        for line in sources:
            if " " not in line.strip() and len(line) > measure:  # an address: broken after a /
                blocks.append(_lines("verbatim", break_address(line, measure), pos))
            else:
                blocks.append(Block("block", ((Run(line, pos),),), pos))
    return _part("handout-cover", doc.title, blocks)


def inside_cover(doc: Document) -> Part | None:
    """The rest of the provenance: how the text was received and what was done to it."""
    pos = SourcePos("document.toml", 1, 1)
    given = dict(doc.provenance)
    on_cover = set(SOURCE_KEYS) | ({FALLBACK_SOURCE} if not any(given.get(k) for k in SOURCE_KEYS) else set())
    shown = [(key, value) for key, value in doc.provenance if key not in FURNITURE and key not in on_cover]
    if not shown:
        return None
    blocks = [_lines("heading", [LABELS["provenance"]], pos, True)]
    for key, value in shown:
        blocks.append(Block("block", ((Run(key.capitalize() + ": ", pos),
                                       Run("; ".join(value.split("\n")), pos)),), pos))
    return _part("handout-inside-cover", LABELS["provenance"], blocks)


def colophon(doc: Document, edition: str, statement: tuple[str, ...] = ()) -> Part:
    """The back cover: what this handout is, the colophon's statement of how it was made (if
    given), and that it carries its sources."""
    pos = SourcePos("handout")
    blocks = [_lines("heading", [LABELS["colophon"]], pos, True)]
    blocks.append(Block("block", ((Run(LABELS[edition], pos),),), pos))
    blocks.extend(Block("block", ((Run(paragraph, pos),),), pos) for paragraph in statement)
    for key in ("numbers", "unpacked", "made"):
        blocks.append(Block("block", ((Run(LABELS[key], pos),),), pos))
    return _part("handout-colophon", LABELS["colophon"], blocks)
