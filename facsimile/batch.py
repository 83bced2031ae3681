"""Many document folders to builds on every core, and their outcomes to the closing table."""

from __future__ import annotations

import multiprocessing
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from .driver import BuildSettings, build_one, default_jobs, fonts_from
from .errors import Diagnostic, FacsimileError
from .report import BuildReport

SUGGESTION = re.compile(r"(?m)^#\s*\[\[correction\]\]\s*$")


@dataclass(frozen=True)
class Row:
    """One document's line in the closing table."""

    document: str
    pages: int
    size: int
    seconds: float
    warnings: int
    errors: int = 0  # the diagnostics of a build that failed
    unchanged: bool = False


def pending_suggestions(folder: Path) -> int:
    """Suggested corrections still commented out in corrections.toml (written by import or by
    hand), waiting for someone to read the text: the batch's warnings."""
    try:
        return len(SUGGESTION.findall((Path(folder) / "corrections.toml").read_text("utf-8", errors="replace")))
    except OSError:
        return 0


def row(folder: Path, outcome: BuildReport | FacsimileError, seconds: float = 0.0) -> Row:
    name = Path(folder).resolve().name
    if isinstance(outcome, FacsimileError):
        return Row(name, 0, 0, seconds, pending_suggestions(folder), max(1, len(outcome.diagnostics)))
    return Row(name, outcome.pages, outcome.size, outcome.seconds, pending_suggestions(folder),
               unchanged=outcome.unchanged)


def _build(task: tuple[str, BuildSettings]) -> tuple[str, object, float]:
    """Build one folder in a worker; an error comes back as its class and diagnostics."""
    import time

    folder, settings = task
    started = time.perf_counter()
    with fonts_from(settings.font_path):
        try:
            return folder, build_one(Path(folder), settings), time.perf_counter() - started
        except FacsimileError as error:
            return folder, (type(error), error.diagnostics), time.perf_counter() - started


def build_many(folders: list[Path] | tuple[Path, ...], settings: BuildSettings
               ) -> Iterator[tuple[Path, BuildReport | FacsimileError, float]]:
    """Build the folders, a document a process on up to the settings' jobs (one a core), and
    yield each as it is done with its report or error and the seconds it took; one that fails
    never stops the others."""
    jobs = settings.jobs or default_jobs()
    one = replace(settings, jobs=1)  # each document drawn in its own process, not shared again
    tasks = [(str(folder), one) for folder in folders]
    if jobs > 1 and len(folders) > 1 and os.name == "posix":
        _warm()  # imported once here, shared by every forked worker instead of imported in each
        with multiprocessing.get_context("fork").Pool(min(jobs, len(folders))) as pool:
            results: Iterator[tuple[str, object, float]] = pool.imap_unordered(_build, tasks)
            for folder, outcome, seconds in results:
                yield Path(folder), _outcome(outcome), seconds
        return
    for task in tasks:
        folder, outcome, seconds = _build((task[0], settings))
        yield Path(folder), _outcome(outcome), seconds


def _warm() -> None:
    """Import the typesetter, reportlab and pypdf before forking the workers."""
    from . import build  # noqa: F401
    from .pdf.render import reportlab

    reportlab()
    import pypdf  # noqa: F401


def _outcome(outcome: object) -> BuildReport | FacsimileError:
    if isinstance(outcome, BuildReport):
        return outcome
    kind, diagnostics = outcome  # type: ignore[misc]
    error = kind(list(diagnostics)) if issubclass(kind, FacsimileError) else FacsimileError(list(diagnostics))
    return error  # type: ignore[no-any-return]


def closing_table(rows: list[Row]) -> list[str]:
    """The table printed after a build of many documents, in the order they were named."""
    width = max([len("document")] + [len(r.document) for r in rows])
    lines = [f"{'document':<{width}}  {'pages':>6}  {'bytes':>10}  {'seconds':>7}  warnings"]
    for r in rows:
        if r.errors:
            pages, size = "failed", "-"
        else:
            pages, size = str(r.pages) if not r.unchanged else "-", f"{r.size:,}"
        note = f"  ({r.errors} error{'s' if r.errors != 1 else ''})" if r.errors else (
            "  (unchanged)" if r.unchanged else "")
        lines.append(f"{r.document:<{width}}  {pages:>6}  {size:>10}  {r.seconds:>7.2f}  {r.warnings:>8}{note}")
    failed = sum(1 for r in rows if r.errors)
    built = len(rows) - failed
    lines.append(f"{len(rows)} documents: {built} built, {failed} failed; {sum(r.pages for r in rows)} pages, "
                 f"{sum(r.size for r in rows if not r.errors):,} bytes")
    return lines


__all__ = ["Row", "build_many", "closing_table", "pending_suggestions", "row"]
