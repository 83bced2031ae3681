"""Groups of parts to drawn pages (PDF operators): typeset and struck, on every core if worth it.

Each page is drawn from its own seeded random stream, so a page comes out the same whichever
process draws it, in whatever order: the output does not depend on the number of cores.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable

from .look.effects import make_sheets
from .errors import Diagnostic, SourceError
from .fonts import FaceStack
from .layout.grid import Page
from .look.machine import Machine
from .model import Document
from .layout.paper import Grid
from .pdf.render import Codes, content_stream, tagged_operators
from .pdf.tags import Mark, languages, lettering_tags, line_tags, substitutions
from .look.sheet import Sheet
from .look.stylus import Guide
from .layout.typeset import Group, typeset_group

PARALLEL_PAGES = 24  # below this, starting a pool of workers costs more than it saves
FORK_CHARACTERS = 2000  # below this, even one forked child costs more than it saves (about 8 ms of work)
PAGES_A_SHARE = 30  # a group longer than this is drawn in shares, one a core
CHARACTERS_A_PAGE = 2500  # to guess a group's pages before it is typeset

DrawnPage = tuple[float, float, bytes, list[Mark]]  # width, height, content stream (compressed), marked content
OnDrawn = Callable[[int, int, int, int], None]  # group index, pages drawn, tasks done, tasks


@dataclass(frozen=True)
class Drawn:
    """A group's pages, drawn, or the problems that stopped it."""

    pages: list[DrawnPage]
    problems: list[Diagnostic]
    seconds: float = 0.0


# for forked workers; the last: the ids of the document's own parts (front matter is not one)
_SHARED: tuple[list[Group], Document, Grid, FaceStack, Codes, frozenset[str]] | None = None


def _draw(task: tuple[int, int, int]) -> tuple[list[tuple[int, DrawnPage]], list[Diagnostic], float]:
    """Typeset a group and draw every shares-th of its pages, starting at share."""
    import time

    assert _SHARED is not None
    groups, doc, grid, stack, codes, documented = _SHARED
    index, share, shares = task
    started = time.perf_counter()
    group = groups[index]
    try:
        part = typeset_group(group, doc, grid)
    except SourceError as error:
        return [], (error.diagnostics if share == 0 else []), 0.0
    mine = [page for n, page in enumerate(part.pages) if n % shares == share]
    sheets = part_sheets(mine, part.machine, part.id, doc, grid, stack)
    # the substitutes of this group's own parts only: the whole document's for each group grew
    # as the square of its length; a pack's contents page (not a part of its document, its runs
    # sharing one place) has none, as before
    substituted = (substitutions(p for p in group.parts if p.spec.id in documented)
                   if doc.layout.text_layer == "transcription" else None)
    spoken = languages(p for p in group.parts if p.spec.id in documented)
    drawn = []
    for page, sheet in zip(mine, sheets):
        operators, marks = tagged_operators(sheet, codes, line_tags(page, sheet, substituted, spoken)
                                            + lettering_tags(page, sheet))
        stream = content_stream(operators, (doc.name, group.lead.spec.id, page.number))
        drawn.append((page.number, (sheet.width, sheet.height, stream, marks)))
    return drawn, [], time.perf_counter() - started


def part_sheets(pages: list[Page], machine: str, part: str, doc: Document, grid: Grid, stack: FaceStack,
                look: str | None = None) -> list[Sheet]:
    """A part's pages struck in the document's look (or another): on the part's typewriter,
    with the part's random streams, so that a page is the same wherever it is drawn."""
    layout = doc.layout
    guide = Guide(layout.guide, layout.size, layout.hand) if layout.letterhead == "stylus" else None
    return make_sheets(pages, grid, stack, look or layout.look, Machine(doc.seed, machine),
                       f"{doc.seed}:{part}", layout.emphasis, layout.paper_tone, guide)


def _characters(group: Group) -> int:
    return sum(len(run.text) for part in group.parts for block in part.blocks for line in block.lines for run in line)


def _alone() -> bool:
    """Whether this process runs one thread: only then is a bare fork safe (a lock another
    thread holds would stay held in the child)."""
    import sys

    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


def draw_groups(groups: list[Group], doc: Document, grid: Grid, stack: FaceStack, codes: Codes,
                jobs: int | None = None, on_drawn: OnDrawn | None = None) -> list[Drawn]:
    """Typeset and draw each group's pages: in this process for a short document of one group
    (or with jobs=1), shared with one forked child for a short one of several, else in shares
    on up to jobs processes (None: every core). on_drawn hears each
    share as it is finished, in whatever order they finish."""
    global _SHARED
    cores = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
    characters = [_characters(group) for group in groups]
    estimates = [1 + n // CHARACTERS_A_PAGE for n in characters]
    parallel = sum(estimates) >= PARALLEL_PAGES and cores >= 2 and os.name == "posix"
    paired = (not parallel and len(groups) >= 2 and cores >= 2 and hasattr(os, "fork")
              and sum(characters) >= FORK_CHARACTERS and _alone())
    tasks = [(i, share, shares) for i, estimate in enumerate(estimates)
             for shares in [min(cores, max(1, estimate // PAGES_A_SHARE)) if parallel else 1]
             for share in range(shares)]
    results: list[tuple[list[tuple[int, DrawnPage]], list[Diagnostic], float]] = [([], [], 0.0)] * len(tasks)

    def done(n: int, position: int, result: tuple[list[tuple[int, DrawnPage]], list[Diagnostic], float]) -> None:
        results[position] = result
        if on_drawn is not None:
            on_drawn(tasks[position][0], len(result[0]), n, len(tasks))

    _SHARED = (groups, doc, grid, stack, codes, frozenset(part.spec.id for part in doc.parts))
    try:
        if parallel:
            from .workers import unordered

            for n, (position, result) in enumerate(unordered(_draw_at, list(enumerate(tasks)),
                                                             min(cores, len(tasks))), 1):
                done(n, position, result)
        elif paired:  # a short document: its groups shared with one forked child
            from .workers import in_two

            for n, result in enumerate(in_two(_draw, tasks, [characters[i] for i, _, _ in tasks]), 1):
                done(n, n - 1, result)
        else:
            for n, task in enumerate(tasks, 1):
                done(n, n - 1, _draw(task))
    finally:
        _SHARED = None
    pages: list[list[tuple[int, DrawnPage]]] = [[] for _ in groups]
    problems: list[list[Diagnostic]] = [[] for _ in groups]
    seconds = [0.0 for _ in groups]
    for (index, _, _), (drawn, found, spent) in zip(tasks, results):
        pages[index].extend(drawn)
        problems[index].extend(found)
        seconds[index] += spent
    return [Drawn([page for _, page in sorted(p)], found, spent)
            for p, found, spent in zip(pages, problems, seconds)]


def _draw_at(item: tuple[int, tuple[int, int, int]]
             ) -> tuple[int, tuple[list[tuple[int, DrawnPage]], list[Diagnostic], float]]:
    """A task drawn in a worker, with its place in the task list (results come in any order)."""
    position, task = item
    return position, _draw(task)
