"""Document folders and text files to proof findings: file:line:col lines or JSON records."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError, SourcePos, display
from ..inputs import PROOF_LIMIT, TEXT_LIMIT, on_disk, present, read_bounded, read_inside
from ..report import Clock
from ..source.manifest import MANIFEST
from .slips import Finding, iter_findings, load_accepted
from .wordlist import frequencies
from ..source.textfile import decode

ACCEPTED = "words.txt"
SHOWN = 1000  # findings shown a file: more means the wrong file, or a file not yet proofread


@dataclass(frozen=True)
class Located:
    """A finding in a file."""

    file: str
    finding: Finding

    def line(self) -> str:
        f = self.finding
        return f"{self.file}:{f.line}:{f.col}: {f.token}: {f.reason}"

    def record(self) -> dict[str, object]:
        f = self.finding
        return {"file": self.file, "line": f.line, "col": f.col, "token": f.token, "kind": f.kind,
                "reason": f.reason}


@dataclass(frozen=True)
class More:
    """How many findings of a file were left out after the first SHOWN."""

    file: str
    count: int

    def line(self) -> str:
        return (f"{self.file}: \u2026 and {self.count:,} more likely slips (only the first "
                f"{SHOWN:,} of a file are shown)")

    def record(self) -> dict[str, object]:
        return {"file": self.file, "more": self.count}


def proof_path(path: Path, include_corrected: bool = False, clock: Clock | None = None) -> list[Located | More]:
    """Proof a document folder (its parts, less what corrections.toml already corrects) or a
    plain UTF-8 text file. clock, if given, laps "word list" (loaded once a process), "read"
    and "check" (added up over the files)."""
    clock = clock or Clock()
    frequencies()
    clock.lap("word list")
    if path.is_dir():
        return _proof_document(path, include_corrected, clock)
    if not present(path):
        raise SourceError.at(SourcePos(display(path)), "cannot read this file (no such file or folder): give "
                             "the path of a "
                             "document folder or a text file")
    return _proof_file(path, frozenset(), (), clock=clock)


def _read_lines(path: Path, folder: Path | None = None, limit: int = PROOF_LIMIT,
                what: str = "file") -> tuple[list[str], str]:
    """A text file's lines: a regular file within the limit (and inside folder if given)."""
    shown = display(path)
    if folder is not None:
        data = read_inside(folder, str(path.relative_to(folder)), limit, what=what)
    else:
        data = read_bounded(path, limit, what=what)
    lines, problems = decode(data, shown)
    if problems:
        raise SourceError(problems)
    return lines, shown


def _proof_file(path: Path, accepted: frozenset[str], spans: tuple[tuple[int, int, int], ...],
                markup: bool = False, folder: Path | None = None, clock: Clock | None = None) -> list[Located | More]:
    clock = clock or Clock()
    lines, shown = _read_lines(path, folder)
    clock.lap("read")
    if markup:  # a directive's name (@date, @to) is markup, not text: blank it, keeping columns
        lines = [" " * len(line.split(" ", 1)[0]) + line[len(line.split(" ", 1)[0]):]
                 if line.startswith("@") and not line.startswith("@@") else line for line in lines]
    out: list[Located | More] = []
    more = 0
    corrected: dict[int, list[tuple[int, int]]] = {}
    for f_line, start, end in spans:
        corrected.setdefault(f_line, []).append((start, end))
    for finding in iter_findings(lines, accepted):
        if any(start <= finding.col < end for start, end in corrected.get(finding.line, ())):
            continue
        if len(out) < SHOWN:
            out.append(Located(shown, finding))
        else:
            more += 1
    if more:
        out.append(More(shown, more))
    clock.lap("check")
    return out


def _proof_document(folder: Path, include_corrected: bool, clock: Clock) -> list[Located]:
    from ..source.document import load_document

    if not present(folder / MANIFEST):
        raise SourceError.at(SourcePos(display(folder)), "not a document folder (no document.toml): "
                             "give a document folder or a text file")
    doc = load_document(folder)
    accepted: frozenset[str] = frozenset()
    if present(folder / ACCEPTED):
        lines, _ = _read_lines(folder / ACCEPTED, folder, TEXT_LIMIT, "file")
        accepted = load_accepted("\n".join(lines))
    clock.lap("read")
    found: list[Located | More] = []
    for part in doc.parts:
        path = folder / on_disk(part.spec.file)
        spans = () if include_corrected else tuple(
            (a.at.line, a.at.col, a.at.col + len(a.correction.received))
            for a in doc.corrections if a.at.file == display(path))
        if part.scan:  # a scan has no text to proof
            continue
        found.extend(_proof_file(path, accepted, spans, markup=True, folder=folder, clock=clock))
    return found


def as_json(found: list[Located | More]) -> str:
    return json.dumps([f.record() for f in found], indent=2, ensure_ascii=False)
