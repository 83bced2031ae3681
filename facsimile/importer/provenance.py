"""A transcription's lines to its provenance (the archive's headings, source, transcriber,
navigation and 'Last updated' lines) and the lines of the text itself."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import find_date, is_dateline, place_of
from .lines import Line
from .report import Guess

HEADING_LENGTH = 80  # the archive's heading lines are short
BODY_LENGTH = 80  # a line longer than this is running text
DOCUMENT = re.compile(r"^(?:Document|Doc\.|Item|Letter)\s+(?:No\.?\s*)?(\d+[A-Za-z]?)\.?$", re.I)
UPDATED = re.compile(r"^last\s+updated\b", re.I)
TOP = re.compile(r"^(?:top of (?:the )?page|back to top)\.?$", re.I)
PERIODICAL = re.compile(r"^From\s+(?P<name>.+?),\s*(?:Vol\b|Volume\b|No\b|Issue\b|\d)", re.I)
# The keys of the archives' information blocks: 'Transcribed & marked up by ...', 'Source: ...'.
INFORMATION = re.compile(
    r"^(?P<key>Transcribed|Transcription|Marked up|HTML Mark-?up|Mark-?up|Proofread|Proof-?read|"
    r"Written|Source|First Published|Published|Translated|Translation|Copyleft|Public Domain|"
    r"Online Version|Original|Scanned|Keyed)\b\s*(?:&\s*marked up\b)?\s*(?::|by\b)", re.I)


@dataclass(frozen=True)
class Provenance:
    """What the archive said about the text, recorded in the manifest and not typeset."""

    heading: tuple[str, ...] = ()
    author: str = ""
    book: str = ""
    number: str = ""  # Document N
    title: str = ""
    dateline: str = ""  # the heading's place and date ('Battersea, November 1932')
    source: str = ""  # 'From The Militant, Vol. VII No. 2, 14 January 1933, p. 3.'
    information: tuple[str, ...] = ()  # Transcribed ..., Written: ..., Source: ...
    navigation: tuple[str, ...] = ()
    updated: str = ""
    title_line: int = 0  # where the title stands in the transcription

    @property
    def date(self) -> str:
        """The document's date as the provenance gives it: the periodical's issue, else the
        heading's date line, else the 'Written:' line (ISO, or '' if none)."""
        for text in (self.source, self.dateline, *self.information):
            found = find_date(text)
            if found:
                return found[0]
        return ""

    @property
    def place(self) -> str:
        return place_of(self.dateline)


def is_navigation(line: Line) -> bool:
    """The site's navigation line: a few short link words joined by |."""
    if line.hint == "navigation":
        return True
    pieces = [p.strip() for p in line.plain.split("|")]
    return len(pieces) >= 2 and all(0 < len(p) <= 45 for p in pieces)


def is_information(text: str) -> bool:
    return bool(PERIODICAL.match(text) or INFORMATION.match(text))


def _chunks(lines: tuple[Line, ...]) -> list[tuple[int, int, int]]:
    """Runs of non-blank lines as (start, end, blank lines before)."""
    found: list[tuple[int, int, int]] = []
    gap, start = 0, None
    for i, line in enumerate(lines + (Line("", 0),)):
        if line.text.strip():
            if start is None:
                start = i
            continue
        if start is not None:
            found.append((start, i, gap))
            start, gap = None, 0
        gap += 1
    return found


def split_provenance(lines: tuple[Line, ...], guesses: list[Guess]) -> tuple[Provenance, tuple[Line, ...]]:
    """The provenance and the text's own lines (blank lines kept, as received)."""
    end = len(lines)
    navigation: list[str] = []
    updated = ""
    while end > 0:
        line = lines[end - 1]
        text = line.plain
        if not text:
            end -= 1
        elif line.hint == "updated" or UPDATED.match(text):
            updated = updated or text
            guesses.append(Guess(line.number, f"the site's '{text}' line: kept in the manifest", "high"))
            end -= 1
        elif is_navigation(line) or TOP.match(text):
            navigation.insert(0, re.sub(r"\s*\|\s*", " | ", text))
            guesses.append(Guess(line.number, f"the site's navigation line '{text}': kept in the manifest", "high"))
            end -= 1
        else:
            break
    body = lines[:end]
    head_end = _head_end(body)
    found = _read_head(body[:head_end], guesses)
    rest = found.pop("rest")
    navigation[:0] = found.pop("navigation")  # type: ignore[misc]
    provenance = Provenance(navigation=tuple(navigation), updated=updated, **found)  # type: ignore[arg-type]
    return provenance, tuple(rest) + body[head_end:]


def _head_end(lines: tuple[Line, ...]) -> int:
    """Where the archive's head ends: before the run of two or more blank lines that precedes
    the first chunk of running text (or at the last information line, for HTML)."""
    chunks = _chunks(lines)
    for index, (start, end, _) in enumerate(chunks):
        texts = [line.plain for line in lines[start:end]]
        if any(len(t) > BODY_LENGTH and not is_information(t) for t in texts):
            for back in range(index, 0, -1):
                if chunks[back][2] >= 2:
                    return chunks[back][0]
            return 0
    return 0


def _read_head(head: tuple[Line, ...], guesses: list[Guess]) -> dict[str, object]:
    """Sort the head's lines into headings, the document's number and title, the heading's
    date line, information lines, and the lines that already belong to the text."""
    headings: list[Line] = []
    information: list[str] = []
    navigation: list[str] = []
    source = number = ""
    rest: list[Line] = []
    chunks = _chunks(head)
    title_at: int | None = None  # index in headings of the title, once known
    for start, end, _ in chunks:
        chunk = head[start:end]
        for offset, line in enumerate(chunk):
            text = line.plain
            if rest:
                rest.append(line)
                continue
            if is_navigation(line) or TOP.match(text):
                navigation.append(re.sub(r"\s*\|\s*", " | ", text))
                guesses.append(Guess(line.number, f"the site's navigation line '{text}': kept in the manifest",
                                     "high"))
                continue
            if line.hint == "information" or is_information(text):
                if PERIODICAL.match(text) and not source:
                    source = text
                    guesses.append(Guess(line.number, f"source line '{_short(text)}': kept in the manifest; "
                                         "date taken from it", "high"))
                else:
                    information.append(text)
                    guesses.append(Guess(line.number, f"transcriber's line '{_short(text)}': kept in the "
                                         "manifest", "high"))
                continue
            match = DOCUMENT.match(text)
            if match and not number:
                number = match.group(1)
                headings.append(line)
                guesses.append(Guess(line.number, f"'{text}': the document's number in its collection", "high"))
                continue
            taken = _heading_taken(line, offset, len(chunk), headings, number, title_at)
            if taken == "rest":
                rest = [line]  # what follows opens the text itself
                continue
            headings.append(line)
            if taken == "title":
                title_at = len(headings) - 1
        if rest:
            rest.append(Line("", 0))
    fields = _name_headings(headings, number, title_at, guesses)
    fields.update(source=source, information=tuple(information), number=number,
                  heading=tuple(line.plain for line in headings), rest=rest, navigation=navigation)
    return fields


def _heading_taken(line: Line, offset: int, size: int, headings: list[Line], number: str,
                   title_at: int | None) -> str:
    """How a head line is taken: as a heading, the title, or the start of the text itself."""
    text = line.plain
    if line.hint == "title":
        return "title"
    if line.hint in ("author", "subtitle", "heading"):
        return "heading"
    if len(text) > HEADING_LENGTH:
        return "rest"
    if number:  # after 'Document N': the title, then the heading's date line, then the text
        since = [h for h in headings[headings.index(next(h for h in headings if DOCUMENT.match(h.plain))) + 1:]]
        if not since:
            return "title"
        if len(since) == 1 and is_dateline(text):
            return "heading"
        return "rest"
    return "heading"


def _name_headings(headings: list[Line], number: str, title_at: int | None,
                   guesses: list[Guess]) -> dict[str, object]:
    """Author, book, title and date line from the heading lines, by their order."""
    texts = [h.plain for h in headings]
    author = book = title = dateline = ""
    if number:
        at = next(i for i, t in enumerate(texts) if DOCUMENT.match(t))
        before = texts[:at]
        author = before[0] if before else ""
        book = before[1] if len(before) > 1 else ""
        after = texts[at + 1:]
        title = after[0] if after else ""
        dateline = after[1] if len(after) > 1 and is_dateline(after[1]) else ""
    else:
        if title_at is None:
            plain = [i for i, t in enumerate(texts) if not is_dateline(t)]
            title_at = plain[-1] if plain else None  # author, book ..., title
        if title_at is not None:
            title = texts[title_at]
            before = [t for t in texts[:title_at] if not is_dateline(t)]
            author = before[0] if before else ""
            book = before[1] if len(before) > 1 else ""
        dateline = next((t for t in texts if is_dateline(t)), "")
    sure = "high" if headings and headings[0].hint else "medium"
    for name, value in (("author", author), ("book", book), ("title", title), ("date line", dateline)):
        if value:
            line = headings[texts.index(value)].number
            guesses.append(Guess(line, f"heading line '{_short(value)}' taken as the {name}: kept in the "
                                 "manifest", sure))
    title_line = headings[texts.index(title)].number if title else 0
    return {"author": author, "book": book, "title": title, "dateline": dateline, "title_line": title_line}


def _short(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 3] + "..."
