"""A document's notes.toml to notes keyed to paragraph numbers, checked against the text."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import Diagnostic, SourceError, SourcePos, display
from ..inputs import TOML_LIMIT, present, read_inside
from .tomlfile import KeyFinder, parse_toml
from ..model import NUMBERED_KINDS, Document
from .textfile import decode

NOTES = "notes.toml"


@dataclass(frozen=True)
class Paragraph:
    """A paragraph's number (the same in every edition), its part and its text."""

    number: int
    part: str
    text: str


@dataclass(frozen=True)
class Note:
    """A note for readers on a term in a numbered paragraph."""

    paragraph: int
    term: str
    text: str
    pos: SourcePos


def paragraphs(doc: Document) -> list[Paragraph]:
    """The document's paragraphs, numbered from 1 through all its parts in order."""
    found: list[Paragraph] = []
    for part in doc.parts:
        for block in part.blocks:
            if block.kind in NUMBERED_KINDS:
                text = " ".join("".join(r.text for r in line) for line in block.lines)
                found.append(Paragraph(len(found) + 1, part.spec.id, text))
    return found


def load_notes(folder: Path, doc: Document) -> list[Note]:
    """The notes of a document folder (none without notes.toml); SourceError lists every note
    that does not parse, names a paragraph that does not exist, or a term not in it."""
    path = folder / NOTES
    if not present(path):
        return []
    shown = display(path)
    lines, problems = decode(read_inside(folder, NOTES, TOML_LIMIT), shown)
    if problems:
        raise SourceError(problems)
    text = "\n".join(lines)
    data, problems = parse_toml(text, shown)
    if data is None:
        raise SourceError(problems)
    where = KeyFinder(shown, text)
    numbered = {p.number: p for p in paragraphs(doc)}
    notes: list[Note] = []
    entries = data.get("note", [])
    if not isinstance(entries, list):
        raise SourceError.at(where.pos("note"), "write each note as a [[note]] table with "
                             "paragraph, term and text")
    for index, entry in enumerate(entries):
        head = where.pos(None, "note", index)
        if not isinstance(entry, dict):
            problems.append(Diagnostic(head, f"note {index + 1} must be a [[note]] table with "
                                       "paragraph (a number), term and text (quoted strings)"))
            continue
        paragraph, term, body = entry.get("paragraph"), entry.get("term"), entry.get("text")
        if (not isinstance(paragraph, int) or isinstance(paragraph, bool) or not isinstance(term, str)
                or not isinstance(body, str)):
            problems.append(Diagnostic(head, f"note {index + 1} needs paragraph (a number), term and "
                                       "text (quoted strings)"))
            continue
        if paragraph not in numbered:
            problems.append(Diagnostic(where.pos("paragraph", "note", index), f"note {index + 1} is "
                                       f"keyed to paragraph {paragraph}, which does not exist: the "
                                       f"paragraphs are numbered 1 to {len(numbered)}"))
            continue
        if term.casefold() not in numbered[paragraph].text.casefold():
            problems.append(Diagnostic(where.pos("term", "note", index), f"the term '{term}' is not in "
                                       f"paragraph {paragraph}: key the note to the paragraph where "
                                       "the term stands, or quote the term as the text has it"))
            continue
        notes.append(Note(paragraph, term, body, head))
    unknown = [key for key in data if key != "note"]
    problems.extend(Diagnostic(where.pos(key), f"unknown key '{key}': notes are [[note]] tables")
                    for key in unknown)
    if problems:
        raise SourceError(problems)
    return notes
