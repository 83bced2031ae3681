"""Groups of parts to drawn pages (PDF operators): typeset and struck, on every core if worth it.

Each page is drawn from its own seeded random stream, so a page comes out the same whichever
process draws it, in whatever order: the output does not depend on the number of cores.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .look.effects import make_sheets
from .errors import Diagnostic, SourceError
from .fonts import FaceStack
from .layout.grid import Page
from .look.machine import Machine
from .model import Document
from .layout.paper import Grid
from .pdf.render import Codes, page_operators
from .look.sheet import Sheet
from .layout.typeset import Group, typeset_group

PARALLEL_PAGES = 24  # below this, starting workers costs more than it saves
PAGES_A_SHARE = 30  # a group longer than this is drawn in shares, one a core
CHARACTERS_A_PAGE = 2500  # to guess a group's pages before it is typeset

DrawnPage = tuple[float, float, str]  # width, height, operators


@dataclass(frozen=True)
class Drawn:
    """A group's pages, drawn, or the problems that stopped it."""

    pages: list[DrawnPage]
    problems: list[Diagnostic]
    seconds: float = 0.0


_SHARED: tuple[list[Group], Document, Grid, FaceStack, Codes] | None = None  # for forked workers


def _draw(task: tuple[int, int, int]) -> tuple[list[tuple[int, DrawnPage]], list[Diagnostic], float]:
    """Typeset a group and draw every shares-th of its pages, starting at share."""
    import time

    assert _SHARED is not None
    groups, doc, grid, stack, codes = _SHARED
    index, share, shares = task
    started = time.perf_counter()
    group = groups[index]
    try:
        part = typeset_group(group, doc, grid)
    except SourceError as error:
        return [], (error.diagnostics if share == 0 else []), 0.0
    mine = [page for n, page in enumerate(part.pages) if n % shares == share]
    sheets = part_sheets(mine, part.machine, part.id, doc, grid, stack)
    drawn = [(page.number, (s.width, s.height, page_operators(s, codes))) for page, s in zip(mine, sheets)]
    return drawn, [], time.perf_counter() - started


def part_sheets(pages: list[Page], machine: str, part: str, doc: Document, grid: Grid, stack: FaceStack,
                look: str | None = None) -> list[Sheet]:
    """A part's pages struck in the document's look (or another): on the part's typewriter,
    with the part's random streams, so that a page is the same wherever it is drawn."""
    layout = doc.layout
    return make_sheets(pages, grid, stack, look or layout.look, Machine(doc.seed, machine),
                       f"{doc.seed}:{part}", layout.emphasis, layout.paper_tone)


def _estimate(group: Group) -> int:
    characters = sum(len(run.text) for part in group.parts for block in part.blocks
                     for line in block.lines for run in line)
    return 1 + characters // CHARACTERS_A_PAGE


def draw_groups(groups: list[Group], doc: Document, grid: Grid, stack: FaceStack, codes: Codes) -> list[Drawn]:
    """Typeset and draw each group's pages: in this process for a short document, else in
    shares on every core."""
    global _SHARED
    cores = min(os.cpu_count() or 1, 4)
    estimates = [_estimate(group) for group in groups]
    parallel = sum(estimates) >= PARALLEL_PAGES and cores >= 2 and os.name == "posix"
    tasks = [(i, share, shares) for i, estimate in enumerate(estimates)
             for shares in [min(cores, max(1, estimate // PAGES_A_SHARE)) if parallel else 1]
             for share in range(shares)]
    _SHARED = (groups, doc, grid, stack, codes)
    try:
        if parallel:
            import multiprocessing

            with multiprocessing.get_context("fork").Pool(cores) as pool:
                results = pool.map(_draw, tasks, chunksize=1)
        else:
            results = [_draw(task) for task in tasks]
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
