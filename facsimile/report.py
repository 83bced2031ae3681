"""What a build did and where it is, as plain data: part and document reports, progress steps.

Light on purpose: an unchanged build is answered with a BuildReport before the typesetter,
reportlab or pypdf is imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable


@dataclass(frozen=True)
class PartReport:
    """What building one part gave: its id, pages and the seconds it took."""

    id: str
    title: str
    pages: int
    seconds: float
    cached: bool = False  # taken from the cache, not drawn again


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote, and the seconds each stage took."""

    document: str
    path: Path
    parts: tuple[PartReport, ...]
    pages: int
    size: int
    seconds: float
    unchanged: bool = False  # the inputs were those of the last build: nothing was written
    stages: tuple[tuple[str, float], ...] = ()  # (stage, seconds) in the order they ran
    corrections: tuple[tuple[str, str, int], ...] = ()  # received, corrected, places changed
    warnings: tuple[str, ...] = ()  # things a user should know that did not stop the build

    def record(self) -> dict[str, object]:
        """The report as JSON-ready data (build --format json)."""
        return {"document": self.document, "path": str(self.path), "pages": self.pages,
                "bytes": self.size, "seconds": round(self.seconds, 4), "unchanged": self.unchanged,
                "parts": [{"id": p.id, "title": p.title, "pages": p.pages, "cached": p.cached,
                           "seconds": round(p.seconds, 4)} for p in self.parts],
                "stages": {name: round(seconds, 4) for name, seconds in self.stages}}


@dataclass(frozen=True)
class Step:
    """Where long work is: the document, its stage, the part just done, and units done of all."""

    document: str
    stage: str  # e.g. "drawing", "assembling", "merging", "writing"
    part: str = ""
    done: int = 0
    total: int = 0
    pages: int = 0  # pages made so far


Progress = Callable[[Step], None]


class Clock:
    """Seconds spent in each stage, in the order the stages ran (what --timings prints)."""

    def __init__(self) -> None:
        import time

        self._now = time.perf_counter
        self.stages: list[tuple[str, float]] = []
        self.last = self._now()

    def lap(self, stage: str) -> None:
        """The time since the last lap (or the start) was spent in stage; a stage lapped twice adds up."""
        now = self._now()
        for n, (name, seconds) in enumerate(self.stages):
            if name == stage:
                self.stages[n] = (name, seconds + now - self.last)
                break
        else:
            self.stages.append((stage, now - self.last))
        self.last = now


def unchanged_report(folder: Path, path: Path, seconds: float) -> BuildReport:
    """The report of a build whose inputs were those of the last one: nothing written; the
    pages are counted in the PDF kept (a regular expression: pypdf is not imported)."""
    from .pdf.scanner import page_count

    data = path.read_bytes()
    return BuildReport(Path(folder).resolve().name, path, (), page_count(data), len(data), seconds,
                       unchanged=True, stages=(("check", seconds),))
