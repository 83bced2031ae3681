"""A transcription file to a document folder: manifest, part files, suggested corrections, and
the report of every guess; written whole into a new folder, or only reported (dry run)."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import Diagnostic, FacsimileError, OutputError, SourceError, SourcePos, UsageError, display
from .guess import Block, Drafted, draft_part, part_title
from .lines import Line, read_text
from .provenance import Provenance, split_provenance
from .report import Guess
from .split import chunks_of, split_parts
from .suggest import suggestions

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
HTML_SUFFIXES = (".htm", ".html", ".xhtml")
SINGLE = ("date", "to", "salutation", "imprint")  # blocks written as '@kind text' when one line


@dataclass(frozen=True)
class Imported:
    """What an import makes: the files (name, text) of the folder and the guesses made."""

    name: str  # the folder's suggested name
    files: tuple[tuple[str, str], ...]
    guesses: tuple[Guess, ...]
    source: str  # the transcription as the user named it
    title: str
    date: str
    parts: tuple[tuple[str, str], ...]  # (id, kind) of each part

    def report(self) -> list[str]:
        return [guess.show(self.source) for guess in self.guesses]


def readable(date: str) -> str:
    """1932-11-07 as 7 November 1932, 1932-11 as November 1932."""
    pieces = date.split("-")
    if len(pieces) >= 2 and pieces[1].isdigit() and 1 <= int(pieces[1]) <= 12:
        month = MONTHS[int(pieces[1]) - 1]
        return f"{int(pieces[2])} {month} {pieces[0]}" if len(pieces) == 3 else f"{month} {pieces[0]}"
    return date


def _read(path: Path) -> bytes:
    """The transcription's bytes: a regular file, read up to the limit of any text source."""
    from ..inputs import TEXT_LIMIT, present, read_bounded

    shown = display(path)
    if not present(path):
        raise UsageError.at(SourcePos(shown), "no such file: give the path of a saved transcription "
                            "(a .txt or .html file)")
    return read_bounded(path, TEXT_LIMIT, shown, "transcription")


def read_lines(path: Path) -> tuple[Line, ...]:
    """The transcription's lines, from plain text or from the archive's HTML page."""
    data = _read(path)
    shown = display(path)
    head = data[:2048].lstrip().lower()
    if path.suffix.lower() in HTML_SUFFIXES or head.startswith((b"<!doctype html", b"<html")):
        from .html import read_html

        return read_html(data, shown)
    return read_text(data, shown)


def slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words)[:60].strip("-") or "imported"


def import_transcription(path: Path) -> Imported:
    """Read a transcription and guess its provenance, parts and directives."""
    path = Path(path)
    lines = read_lines(path)
    guesses: list[Guess] = []
    provenance, body = split_provenance(lines, guesses)
    chunks = chunks_of(body)
    if not chunks:
        raise SourceError.at(SourcePos(display(path)), "no text found after the archive's headings "
                             "and navigation: is this a transcription?")
    groups = split_parts(chunks, guesses)
    title = _within_limit(provenance.title or _first_words(groups))
    drafts: list[Drafted] = []
    for index, group in enumerate(groups):
        after_letter = bool(drafts) and drafts[0].kind == "letter" and not (
            index == len(groups) - 1 and len(group) == 1 and len(group[0].lines) <= 4 and
            draft_part(group, index, False, provenance.title, []).kind == "imprint")
        drafts.append(draft_part(group, index, after_letter, provenance.title, guesses, provenance.title_line))
    for draft, group in zip(drafts, groups):
        guesses.append(Guess(group[0].number, f"part kind '{draft.kind}': {draft.looks}",
                             "high" if draft.kind in ("imprint",) else "medium"))
    date = _best_date(provenance, drafts)
    if not date:
        guesses.append(Guess(0, "no date found: the manifest says 'undated'; give the date", "low"))
    guesses.sort(key=lambda g: g.line)
    files, parts = _files(path, provenance, drafts, title, date or "undated", guesses)
    name = slug(provenance.book + " document " + provenance.number) if provenance.number else slug(title)
    return Imported(name, tuple(files), tuple(guesses), display(path), title, date, tuple(parts))


def _best_date(provenance: Provenance, drafts: list[Drafted]) -> str:
    """The provenance's date, made exact by the text's first date line where they agree
    ('November 1932' in the heading, 'Nov. 7th, 1932.' on the letter); else the text's."""
    body = next((found for d in drafts for b in d.blocks if b.kind == "date" for found in [_date_of(b)]
                 if found), "")
    given = provenance.date
    if given and body.startswith(given):
        return body
    return given or body


def _date_of(block: Block) -> str:
    from .dates import find_date

    found = find_date(" ".join(line.plain for line in block.lines))
    return found[0] if found else ""


def _first_words(groups: list[list]) -> str:  # type: ignore[type-arg]
    words = " ".join(groups[0][0].texts).split()
    return " ".join(words[:8]) + (" ..." if len(words) > 8 else "")


def _within_limit(title: str) -> str:
    """A title cut at a word to fit the manifest's TITLE_LONGEST, ' ...' marking the cut: the
    words in full stay in the text or the provenance."""
    from ..source.manifest import TITLE_LONGEST

    if len(title) <= TITLE_LONGEST:
        return title
    cut = title[: TITLE_LONGEST - len(" ...") + 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut.strip() else cut[:-1]).rstrip() + " ..."


def _part_text(blocks: tuple[Block, ...]) -> str:
    out: list[str] = []
    for block in blocks:
        texts = [line.text.strip() for line in block.lines]
        if block.kind in SINGLE and len(texts) == 1 and not texts[0].startswith("@"):
            out.append(f"@{block.kind} {texts[0]}")
        else:
            out.extend(([f"@{block.kind}"] if block.kind else []) + texts)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _files(path: Path, provenance: Provenance, drafts: list[Drafted], title: str, date: str,
           guesses: list[Guess]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The folder's files: document.toml, one file per part, corrections.toml."""
    counts: dict[str, int] = {}
    enclosures = sum(d.kind == "enclosure" for d in drafts)
    parts: list[tuple[str, str, str]] = []
    tables: list[str] = []
    moved: list[str] = []
    heads = False
    for draft in drafts:
        counts[draft.kind] = counts.get(draft.kind, 0) + 1
        n = counts[draft.kind]
        total = sum(d.kind == draft.kind for d in drafts)
        pid = draft.kind if total == 1 and draft.kind != "document" else f"{draft.kind}-{n}"
        pid = "text" if draft.kind == "document" and total == 1 else pid
        label = {"letter": "L-", "enclosure": f"E{n}-" if enclosures > 1 else "E-"}.get(draft.kind, "")
        text = _part_text(draft.blocks)
        parts.append((pid, f"{pid}.txt", text))
        table = [f"# guessed: {draft.looks}", "[[parts]]", f"id = {_q(pid)}", f"file = {_q(pid + '.txt')}",
                 f"kind = {_q(draft.kind)}", f"title = {_q(_within_limit(part_title(draft, n, title)))}"]
        if label:
            table.append(f"label = {_q(label)}")
        if draft.head:
            heads = heads or "COPY" in draft.head
            table.append(f"head = [{', '.join(_q(h) for h in draft.head)}]")
        tables.append("\n".join(table))
        moved.extend(m for m in draft.moved if m not in moved)
    author = provenance.author or next((d.first("signature") for d in drafts if d.first("signature")), "") \
        or "Unknown"
    place = provenance.place or next((_place(d) for d in drafts if _place(d)), "")
    manifest = [
        f"# Imported by `facsimile import` from {path.name}. The parts keep the transcription's",
        "# wording exactly as received; each part's kind is a guess, said in the comment above it.",
        "# Check the guesses (the import printed each one, with how sure it is), then build.",
        "",
        f"title = {_q(title)}",
        f"date = {_q(date)}",
    ]
    if place:
        manifest.append(f"place = {_q(place)}")
    manifest.append(f"author = {_q(author)}")
    if provenance.book:
        manifest.append(f"keywords = [{_q(provenance.book)}]")
    manifest += ["", "[provenance]", f"source = {_q('imported from ' + path.name)}"]
    for key, value in (("heading", provenance.heading), ("information", provenance.information)):
        if value:
            manifest.append(f"{key} = [{', '.join(_q(v) for v in value)}]")
    for key, value in (("periodical", provenance.source), ("document", provenance.number),
                       ("navigation", " | ".join(provenance.navigation)), ("updated", provenance.updated)):
        if value:
            manifest.append(f"{key} = {_q(value)}")
    if moved:
        manifest.append(f"order = {_q(' '.join(moved))}")
    if heads:
        manifest.append(f"editorial = {_q('Not in the transcription: the COPY heads of the enclosures.')}")
    manifest += [""] + [t + "\n" for t in tables]
    corrections, _ = suggestions(parts)
    files = [("document.toml", "\n".join(manifest).rstrip("\n") + "\n")]
    files += [(file, text) for _, file, text in parts]
    files.append(("corrections.toml", corrections))
    return files, [(pid, kind) for (pid, _, _), kind in zip(parts, (d.kind for d in drafts))]


def _place(draft: Drafted) -> str:
    from .dates import place_of

    place = place_of(draft.first("date"))
    return place.title() if place.isupper() else place


def check_target(target: Path) -> None:
    """A folder the import may write: one that does not exist yet, or an empty one."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise OutputError.at(SourcePos(display(target)), "already exists and is not empty: choose another "
                             "folder with -o, or remove it")


def write_folder(imported: Imported, target: Path) -> list[Path]:
    """Write the folder whole into target (which must not exist, or be empty), after checking
    that it loads as a document; nothing is left behind if anything fails."""
    target = Path(target)
    check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for name, text in imported.files:
            (scratch / name).write_text(text, encoding="utf-8")
        check_folder(scratch)
        if target.exists():
            target.rmdir()
        scratch.rename(target)
    except FacsimileError:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    except OSError as exc:
        shutil.rmtree(scratch, ignore_errors=True)
        raise OutputError.at(SourcePos(display(target)), f"cannot write the folder ({exc.strerror})") from None
    return [target / name for name, _ in imported.files]


def check_folder(folder: Path) -> None:
    """The written folder loads as a document, and every character it types has a face."""
    from ..build import prepare

    try:
        prepare(folder, None, None, False)
    except SourceError as error:
        raise SourceError([Diagnostic(d.pos, "the imported text will not build: " + d.message)
                           for d in error.diagnostics]) from None
