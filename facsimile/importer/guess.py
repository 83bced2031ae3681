"""A part's chunks to blocks with directives (letterhead, date, addressee, salutation, close,
signature, postscript, headings), and the part's kind, each guess reported."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..source.markup import LABEL
from .dates import find_date, is_dateline, place_of
from .lines import Line, escape
from .report import Guess
from .split import COPY, ENCLOSURE, SALUTATION, SHORT_LINE, Chunk, is_imprint, is_signature_like

CLOSE = re.compile(
    r"^(?:yours\b.{0,30}|(?:with )?(?:communist|comradely|fraternal|revolutionary|bolshevik|best|warm(?:est)?|"
    r"kind(?:est)?)\b.{0,25}(?:greetings?|regards|wishes)|fraternally|comradely|sincerely|faithfully|"
    r"greetings|with greetings|salud|in solidarity|for the\b.{0,60})[,.!]?$", re.I)
POSTSCRIPT = re.compile(r"^(?:P\.\s?S\.|PS\b|Post-?script\b|N\.\s?B\.)", re.I)
OPENING_QUOTES = ('"', "'", "\u201c", "\u2018", "\u00ab")
NUMBERED = re.compile(r"^(?:\(?\d{1,2}[.)]|\(?[a-h][.)]|\(?[ivx]{1,4}[.)])\s")  # what opens an item, as guessed


@dataclass(frozen=True)
class Block:
    """A block of the part file: a directive ('' for a paragraph) and its lines."""

    kind: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Drafted:
    """A part as guessed: its kind, what it looks like, its head lines and blocks."""

    kind: str  # letter, enclosure, imprint, document
    looks: str  # what the guess rests on, for the manifest's comment
    head: tuple[str, ...]
    blocks: tuple[Block, ...]
    moved: tuple[str, ...] = ()  # lines typed elsewhere than received, said in the provenance

    def first(self, kind: str) -> str:
        return next((" ".join(l.plain for l in b.lines) for b in self.blocks if b.kind == kind), "")


def _all_caps(texts: list[str]) -> bool:
    letters = [c for t in texts for c in t if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _name_like(chunk: Chunk) -> bool:
    words = [w for t in chunk.texts for w in t.split()]
    capital = [w for w in words if w[:1].isupper() or not w[:1].isalpha()]
    return len(words) <= 8 and len(capital) >= len(words) * 0.6


def draft_part(chunks: list[Chunk], index: int, after_letter: bool, title: str,
               guesses: list[Guess], title_line: int = 0) -> Drafted:
    """Guess the directives of one part's chunks and the part's kind."""
    received = list(chunks)
    chunks = list(chunks)
    head: list[str] = []
    said: list[Guess] = []
    while chunks and (COPY.match(chunks[0].texts[0]) or (ENCLOSURE.match(chunks[0].texts[0]) and chunks[0].short)):
        first = chunks[0]
        head.append(first.texts[0])
        said.append(Guess(first.number, f"'{first.texts[0]}' typed as the part's head, centred and "
                          "underscored", "high"))
        rest = first.lines[1:]
        chunks[0:1] = [Chunk(rest, 0)] if rest else []
    if not chunks:  # nothing under the head: the line is the part's text
        chunks, head, said = received, [], []
    guesses.extend(said)
    if len(chunks) == 1 and is_imprint(chunks[0]) and index > 0:
        guesses.append(Guess(chunks[0].number, "imprint", "high"))
        return Drafted("imprint", "an imprint: who published it and where to write", tuple(head),
                       (Block("imprint", chunks[0].lines),))
    opening, body_from = _opening(chunks, index, guesses)
    closing, body_to = _closing(chunks, body_from, guesses)
    middle = [_middle(chunk, guesses) for chunk in chunks[body_from:body_to]]
    blocks = opening + _joined_lists([b for group in middle for b in group]) + closing
    kinds = {b.kind for b in blocks}
    moved: list[str] = []
    letterish = kinds & {"letterhead", "to", "salutation", "close", "signature"}
    if kinds & {"letterhead", "to", "salutation"} or (letterish and "heading" not in kinds) or after_letter:
        kind = "enclosure" if after_letter else "letter"
        if kind == "enclosure" and not head:
            head.append("COPY")
            guesses.append(Guess(chunks[0].number if chunks else 0, "an enclosure: typed under a COPY head, "
                                 "as copies sent with a letter were", "medium"))
        if not any(b.kind == "date" for b in opening) and closing and closing[-1].kind == "date" \
                and not kinds & {"close", "signature"}:
            date = closing.pop()
            blocks.remove(date)
            blocks.insert(0, date)
            moved.append(f"The {kind}'s place and date line, which the transcription gives at its end, is "
                         "typed at its head, as on a letter.")
            guesses.append(Guess(date.lines[0].number, f"date line '{date.lines[0].plain}' at the end of "
                                 f"{'an' if kind == 'enclosure' else 'a'} {kind} with no signature: moved to its "
                                 "head, as on a letter", "medium"))
        if kind == "letter" and title.lower().startswith("to ") and "to" not in kinds:
            at = max((i + 1 for i, b in enumerate(blocks) if b.kind in ("letterhead", "date")), default=0)
            blocks.insert(at, Block("to", (Line(escape(title), title_line),)))
            moved.append("The page's title line is typed as the letter's addressee.")
            guesses.append(Guess(title_line, f"the title '{title}' reads as an addressee: typed as the letter's "
                                 "addressee, under its letterhead and date", "medium"))
        looks = ", ".join(sorted(letterish)) or "follows a letter"
        looks = f"{'an' if kind == 'enclosure' else 'a'} {kind}: {looks}"
    else:
        kind = "document"
        looks = "a statement or leaflet: a title block over running text" if blocks and blocks[0].kind == "heading" else \
            "running text with no letter's opening or close: a leaflet, article or statement"
    return Drafted(kind, looks, tuple(head), tuple(blocks), tuple(moved))


def _opening(chunks: list[Chunk], index: int, guesses: list[Guess]) -> tuple[list[Block], int]:
    """Letterhead, date, addressee, title block and salutation at the head of a part."""
    blocks: list[Block] = []
    at = 0
    while at < len(chunks) and not chunks[at].running:
        chunk = chunks[at]
        texts = chunk.texts
        if is_dateline(texts[-1]) and len(texts) > 1 and all(len(t) <= SHORT_LINE for t in texts):
            blocks.append(Block("letterhead", chunk.lines[:-1]))
            blocks.append(Block("date", chunk.lines[-1:]))
            guesses.append(Guess(chunk.number, f"letterhead '{' / '.join(texts[:-1])}'", "medium"))
            guesses.append(Guess(chunk.lines[-1].number, f"date line '{texts[-1]}'", "high"))
        elif len(texts) == 1 and is_dateline(texts[0]):
            blocks.append(Block("date", chunk.lines))
            guesses.append(Guess(chunk.number, f"date line '{texts[0]}'", "high"))
        elif SALUTATION.match(texts[0]) and len(texts) == 1:
            blocks.append(Block("salutation", chunk.lines))
            guesses.append(Guess(chunk.number, f"salutation '{texts[0]}'", "high"))
        elif texts[0].lower().startswith("to ") or (at + 1 < len(chunks) and SALUTATION.match(chunks[at + 1].texts[0])
                                                    and len(texts) <= 4):
            blocks.append(Block("to", chunk.lines))
            guesses.append(Guess(chunk.number, f"addressee '{' / '.join(texts)}'",
                                 "high" if texts[0].lower().startswith("to ") else "medium"))
        elif texts[0].lower().startswith("from ") and not blocks:
            blocks.append(Block("letterhead", chunk.lines))
            guesses.append(Guess(chunk.number, f"letterhead '{' / '.join(texts)}'", "medium"))
        elif len(texts) <= 4 and (_all_caps(texts) or not blocks):
            blocks.append(Block("heading", chunk.lines))
            guesses.append(Guess(chunk.number, f"title block '{' / '.join(texts)}' typed as a centred heading",
                                 "medium"))
        else:
            break
        at += 1
    if at < len(chunks) and chunks[at].running and len(chunks[at].lines) > 1 \
            and SALUTATION.match(chunks[at].texts[0]) and len(chunks[at].texts[0]) <= 40:
        chunk = chunks[at]  # 'Dear Comrades,' on the first line of the first paragraph
        blocks.append(Block("salutation", chunk.lines[:1]))
        guesses.append(Guess(chunk.number, f"salutation '{chunk.texts[0]}'", "high"))
        chunks[at] = Chunk(chunk.lines[1:], 0)
    return blocks, at


def _closing(chunks: list[Chunk], start: int, guesses: list[Guess]) -> tuple[list[Block], int]:
    """Close, signature, postscript, date line and imprint at the foot of a part."""
    end = len(chunks)
    tail: list[Block] = []
    while end > start + 1:  # a postscript, and date lines, after everything else
        chunk = chunks[end - 1]
        if POSTSCRIPT.match(chunk.texts[0]):
            tail.insert(0, Block("block", chunk.lines))
            guesses.append(Guess(chunk.number, "postscript: typed as a blocked paragraph (the format has no "
                                 "@postscript)", "high"))
        elif chunk.short and len(chunk.lines) == 1 and is_dateline(chunk.texts[0]):
            tail.insert(0, Block("date", chunk.lines))
            guesses.append(Guess(chunk.number, f"date line '{chunk.texts[0]}' at the foot", "high"))
        elif is_imprint(chunk) and chunk.short:
            tail.insert(0, Block("imprint", chunk.lines))
            guesses.append(Guess(chunk.number, "imprint", "medium"))
        else:
            break
        end -= 1
    first = end
    while first > start + 1 and is_signature_like(chunks[first - 1]):
        first -= 1
    while first < end and SALUTATION.match(chunks[first].texts[0]):
        first += 1  # 'Dear Comrades,' opens a letter, never closes one
    while first < end:  # the region holds a close, or only names
        region = chunks[first:end]
        if CLOSE.match(region[0].texts[0]) or region[0].texts[0].endswith(",") or all(map(_name_like, region)):
            break
        first += 1
    blocks: list[Block] = []
    region = chunks[first:end]
    for n, chunk in enumerate(region):
        lines = chunk.lines
        if n == 0 and (CLOSE.match(chunk.texts[0]) or chunk.texts[0].endswith(",")):
            split = len(lines) if len(region) > 1 else 1  # a close over a signature of its own
            blocks.append(Block("close", lines[:split]))
            guesses.append(Guess(chunk.number, f"close '{' / '.join(chunk.texts[:split])}'",
                                 "high" if CLOSE.match(chunk.texts[0]) else "medium"))
            lines = lines[split:]
        if lines:
            blocks.append(Block("signature", lines))
            guesses.append(Guess(lines[0].number, f"signature '{' / '.join(l.plain for l in lines)}'",
                                 "medium"))
    return blocks + tail, first


def _middle(chunk: Chunk, guesses: list[Guess]) -> list[Block]:
    """A chunk between the opening and the close: a paragraph, a subheading, a list item."""
    texts = chunk.texts
    if not chunk.running and len(texts) <= 2 and not texts[-1].rstrip().endswith((".", "!", "?", ",", ";", ":")):
        guesses.append(Guess(chunk.number, f"subheading '{' / '.join(texts)}' typed centred", "medium"))
        return [Block("heading", chunk.lines)]
    if NUMBERED.match(texts[0]) and LABEL.match(chunk.lines[0].text.strip()):  # the markup reads it too
        if any(map(_opens_item, chunk.lines[1:])):  # a wrapped line that opens like a label
            guesses.append(Guess(chunk.number, f"numbered item '{texts[0][:30]}...': kept as a paragraph, "
                                 "since a later line of it opens like a label", "low"))
            return [Block("", chunk.lines)]
        guesses.append(Guess(chunk.number, f"numbered item '{texts[0][:30]}...': typed as a list item, "
                             "the text hanging under the text", "medium"))
        return [Block("list", chunk.lines)]
    if chunk.lines[0].hint == "quote":
        if texts[0].lstrip().startswith(OPENING_QUOTES):
            guesses.append(Guess(chunk.number, "quoted paragraph: typed as a quotation, indented both sides",
                                 "medium"))
            return [Block("quote", chunk.lines)]
        guesses.append(Guess(chunk.number, "quoted block without a quotation mark: typed as a blocked "
                             "paragraph (a quotation would add a mark the text lacks)", "medium"))
        return [Block("block", chunk.lines)]
    return [Block("", chunk.lines)]


def _opens_item(line: Line) -> bool:
    """Whether a line would open a list item: as the markup reads it when written (a bare '2.',
    'J. Smith'), or as the importer guesses one."""
    return bool(LABEL.match(line.text.strip()) or NUMBERED.match(line.plain))


def _joined_lists(blocks: list[Block]) -> list[Block]:
    """Items received as paragraphs of their own, one after another, as one list block."""
    joined: list[Block] = []
    for block in blocks:
        if block.kind == "list" and joined and joined[-1].kind == "list":
            joined[-1] = Block("list", joined[-1].lines + block.lines)
        else:
            joined.append(block)
    return joined


def part_title(draft: Drafted, kind_number: int, doc_title: str) -> str:
    """The part's bookmark: its kind, and its place and date where it gives them."""
    date_text = draft.first("date")
    found = find_date(date_text) if date_text else None
    when = ""
    if found:
        from .writer import readable

        place = place_of(date_text)
        when = ", ".join(x for x in (place.title() if place.isupper() else place, readable(found[0])) if x)
    if draft.kind == "letter":
        named = doc_title if doc_title.lower().startswith("letter") else f"Letter: {doc_title}"
        return named + (f" ({when})" if when else "")
    if draft.kind == "enclosure":
        return f"Enclosure {kind_number}" + (f": {when}" if when else "")
    if draft.kind == "imprint":
        return "Imprint"
    return doc_title
