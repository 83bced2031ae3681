"""The text's lines to chunks (runs of lines between blank lines) and the chunks to parts,
split where the transcription separates them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import is_dateline
from .lines import Line
from .report import Guess

PART_GAP = 3  # a run of this many blank lines separates parts
SHORT_LINE = 60  # a close, signature, letterhead or heading line is short
COPY = re.compile(r"^(?:\(?copy\)?|true copy)\.?$", re.I)
ENCLOSURE = re.compile(r"^(?:enclosure|appendix|supplement|annex|attachment)\b.{0,50}$", re.I)
IMPRINT = re.compile(
    r"\b(?:write to|published by|printed by|printed and published|issued by|obtainable from|"
    r"(?:copies|literature|information|particulars)\b.{0,60}\b(?:from|write)|price\s+\d)", re.I)
SALUTATION = re.compile(
    r"^(?:(?:my )?dear\b.{0,40}|(?:comrades?|friends?|fellow[- ]workers?|workers|brothers?|sisters?|"
    r"sirs?|gentlemen|madam)\b.{0,20})[,:!.]?$", re.I)


@dataclass(frozen=True)
class Chunk:
    """Lines between blank lines, and the number of blank lines before them."""

    lines: tuple[Line, ...]
    gap: int

    @property
    def texts(self) -> list[str]:
        return [line.plain for line in self.lines]

    @property
    def number(self) -> int:
        return self.lines[0].number

    @property
    def running(self) -> bool:
        """Running text (a paragraph), not a few short lines."""
        return any(len(t) > SHORT_LINE for t in self.texts) or self.lines[0].hint in ("quote", "item")

    @property
    def short(self) -> bool:
        return not self.running and len(self.lines) <= 5


def chunks_of(lines: tuple[Line, ...]) -> list[Chunk]:
    found: list[Chunk] = []
    gap, current = 0, []  # type: ignore[var-annotated]
    for line in lines + (Line("", 0),):
        if line.text.strip():
            current.append(line)
            continue
        if current:
            found.append(Chunk(tuple(current), gap))
            current, gap = [], 0
        gap += 1
    return found


def is_imprint(chunk: Chunk) -> bool:
    return len(chunk.lines) <= 4 and bool(IMPRINT.search(" ".join(chunk.texts)))


def is_signature_like(chunk: Chunk) -> bool:
    """A few short lines that can end a letter: no exclamation or question."""
    return chunk.short and not any(t.rstrip().endswith(("!", "?", ":")) for t in chunk.texts)


def _opens_letter(chunks: list[Chunk], index: int) -> bool:
    """A dateline (or letterhead ending in one) after a signature, with a letter after it."""
    chunk = chunks[index]
    if not (chunk.short and is_dateline(chunk.texts[-1])) or index == 0 or index + 1 >= len(chunks):
        return False
    following = chunks[index + 1]
    if following.gap >= PART_GAP:
        return False  # the dateline closes this part; the run of blank lines opens the next
    opening = SALUTATION.match(following.texts[0]) or following.texts[0].startswith("To ") or (
        following.running and not is_imprint(following))
    return bool(opening) and is_signature_like(chunks[index - 1]) and not is_dateline(chunks[index - 1].texts[-1])


def split_parts(chunks: list[Chunk], guesses: list[Guess]) -> list[list[Chunk]]:
    """Parts, each a list of chunks: a new part at a run of blank lines, a COPY line, an
    enclosure heading, or a new letterhead or dateline after a signature; a closing imprint
    is a part of its own."""
    parts: list[list[Chunk]] = [[]]
    for index, chunk in enumerate(chunks):
        reason = ""
        first = chunk.texts[0]
        if chunk.gap >= PART_GAP:
            reason = f"a run of {chunk.gap} blank lines"
        elif COPY.match(first):
            reason = f"the line '{first}'"
        elif ENCLOSURE.match(first) and chunk.short:
            reason = f"the heading '{first}'"
        elif _opens_letter(chunks, index):
            reason = "a new dateline after a signature"
        if reason and parts[-1]:
            guesses.append(Guess(chunk.number, f"a new part starts here, at {reason}",
                                 "high" if chunk.gap >= PART_GAP or COPY.match(first) else "medium"))
            parts.append([])
        parts[-1].append(chunk)
    last = parts[-1]
    if len(last) > 1 and is_imprint(last[-1]):
        guesses.append(Guess(last[-1].number, "the closing lines are an imprint (publisher, address): "
                             "a part of its own, typed at the foot of the last page", "high"))
        parts.append([last.pop()])
    return [part for part in parts if part]
