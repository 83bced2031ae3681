"""The document model: frozen dataclasses that every stage passes on, from source to sheets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .errors import SourcePos

BlockKind = Literal[
    "paragraph",  # reflowed, first line indented
    "letterhead",  # the sender's head, centred
    "heading",  # a centred heading
    "date",  # place and date line, ranged right
    "to",  # the addressee, flush left
    "salutation",  # "Dear Comrades,", flush left
    "centre",  # lines centred by counting
    "right",  # lines ranged right
    "verbatim",  # lines kept exactly as typed
    "close",  # complimentary close, typed from the centre, kept with what precedes it
    "signature",  # the typed signature under the close
    "imprint",  # the printer's or publisher's line, at the foot of the last page
    "block",  # a blocked paragraph: reflowed, not indented, not numbered
    "spaced",  # lines centred in spaced letters (S O C I A L I S M)
    "table",  # rows of cells at tab stops, with ruled lines, heads and totals
    "tabs",  # sets the tab rack for the rest of the part (no lines of its own)
    "space",  # blank lines (no lines of its own)
    "list",  # numbered or lettered items with hanging indents, one level nested (becomes items)
    "quote",  # a quoted paragraph, indented both sides, opening with a quotation mark
]
NUMBERED_KINDS = ("paragraph", "item", "quote")  # numbered through the document, for notes
OPTION_KINDS = ("table", "tabs", "space")  # the rest of the directive's line is an option, not text
EMPTY_KINDS = ("tabs", "space")  # blocks of an option only

BLOCK_KINDS: tuple[str, ...] = BlockKind.__args__  # type: ignore[attr-defined]

PartKind = Literal["letter", "enclosure", "imprint", "document", "scan"]
PART_KINDS: tuple[str, ...] = PartKind.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Run:
    """Text from one source line with one emphasis; character i stands at pos.col + i."""

    text: str
    pos: SourcePos
    emphasis: bool = False
    spaced: bool = False  # typed in spaced letters, a space between letters, three between words
    lang: str = ""  # the language of its words where it is not the document's (a BCP 47 tag: ru, de)


@dataclass(frozen=True)
class Block:
    """A paragraph or a set of lines of one kind, as written in a part file."""

    kind: str
    lines: tuple[tuple[Run, ...], ...]
    pos: SourcePos
    option: str = ""  # what follows the directive of a kind that takes one: a table's tab stops


@dataclass(frozen=True)
class Layout:
    """How the typist sets the page: paper, type, spacing and conventions."""

    paper: str = "foolscap"
    pitch: str = "pica"
    spacing: str = "single"
    indent: int = 5
    paragraph_gap: int = 1
    sentence_space: int = 2
    continuation: str = "mark"
    continuation_mark: str = "/over"
    look: str = "cyclostyle"  # cyclostyle, typescript or clean
    paper_tone: bool = False  # tint the sheet off-white (off: a handout spends no toner on it)
    emphasis: str = "underscore"  # underscore, double (struck twice) or spaced
    capitals: bool = True  # emphasise runs of words in capitals (names, signatures) too
    letterhead: str = "stylus"  # stylus (lettered through a guide), large, spaced or plain
    rules: bool = True  # stylus rules above and below the letterhead
    guide: str = "gothic"  # the lettering guide: gothic (single-stroke, upright) or roman (serifs)
    size: int = 6  # the guide's capital height in mm: 6, 8, 10 or 12, as the guides were sold
    hand: float = 0.5  # how steady the hand that lettered it: 0 shaky to 1 steady
    folios: bool = True  # '- 2 -' at the head of each page after a part's first
    tabs: str = ""  # the tab rack for every part: '12, 40 right, 52 decimal' (none: every 5 cells)
    text_layer: str = "transcription"  # what copied text gives: the transcription's characters, or as typed
    pdf_a: bool = True  # PDF/A-3b: XMP metadata, an sRGB output intent, the sources as associated files
    colophon: bool = False  # a last page saying what this PDF is and how it was made


@dataclass(frozen=True)
class PartSpec:
    """A part as the manifest lists it."""

    id: str
    file: str
    kind: str
    title: str
    label: str
    pos: SourcePos
    machine: str = "typewriter"  # parts typed on the same machine share its worn letters
    head: tuple[str, ...] = ()  # lines typed centred and underscored above the part ("COPY")
    letterhead: tuple[str, ...] = ()  # an editorial letterhead, for a part that has none of its own
    alt: str = ""  # a scan's description for a screen reader (else one naming the part and page)


@dataclass(frozen=True)
class Part:
    """A part with its parsed blocks."""

    spec: PartSpec
    blocks: tuple[Block, ...]
    scan: str = ""  # the path of a scanned original (PDF or image) placed as the part's pages


@dataclass(frozen=True)
class Document:
    """A whole pamphlet: metadata from the manifest and its parts in order."""

    name: str
    title: str
    date: str
    place: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    provenance: tuple[tuple[str, str], ...]
    layout: Layout
    seed: int
    parts: tuple[Part, ...] = field(default=())
    corrections: tuple[Any, ...] = field(default=())  # corrections.Applied, in order of parts
    lang: str = "en-GB"  # the language of its text (a BCP 47 tag): the PDF's /Lang and dc:language
