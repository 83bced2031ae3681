"""Typeset parts to page contents (PDF operators), on every core when there are pages enough.

Each page is drawn from its own seeded random stream, so a page comes out the same whichever
process draws it, in whatever order: the output does not depend on the number of cores.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from .effects import make_sheets
from .fonts import FaceStack
from .grid import Page
from .machine import Machine
from .paper import Grid
from .render import Codes, page_operators

PARALLEL_PAGES = 24  # below this, starting workers costs more than it saves
CHUNK_PAGES = 8


@dataclass(frozen=True)
class Job:
    """The pages of one part to draw, and how."""

    pages: tuple[Page, ...]
    look: str
    seed: int
    machine: str
    stream: str  # the part's seed for its random streams
    emphasis: str
    paper_tone: bool


DrawnPage = tuple[float, float, str]  # width, height, operators

_SHARED: tuple[list[Job], Grid, FaceStack, Codes] | None = None  # read by forked workers


def draw(job: Job, grid: Grid, stack: FaceStack, codes: Codes) -> list[DrawnPage]:
    sheets = make_sheets(list(job.pages), grid, stack, job.look, Machine(job.seed, job.machine), job.stream,
                         job.emphasis, job.paper_tone)
    return [(s.width, s.height, page_operators(s, codes)) for s in sheets]


def _draw_chunk(task: tuple[int, int, int]) -> list[DrawnPage]:
    assert _SHARED is not None
    jobs, grid, stack, codes = _SHARED
    index, start, end = task
    job = jobs[index]
    return draw(Job(job.pages[start:end], job.look, job.seed, job.machine, job.stream, job.emphasis,
                    job.paper_tone), grid, stack, codes)


def draw_all(jobs: list[Job], grid: Grid, stack: FaceStack, codes: Codes) -> list[list[DrawnPage]]:
    """Draw every job's pages; in chunks on all cores when there are enough of them."""
    total = sum(len(job.pages) for job in jobs)
    cores = min(os.cpu_count() or 1, 4)
    if total < PARALLEL_PAGES or cores < 2 or os.name != "posix":
        return [draw(job, grid, stack, codes) for job in jobs]
    import multiprocessing

    global _SHARED
    tasks = [(i, start, min(start + CHUNK_PAGES, len(job.pages)))
             for i, job in enumerate(jobs) for start in range(0, len(job.pages), CHUNK_PAGES)]
    _SHARED = (jobs, grid, stack, codes)
    try:
        with multiprocessing.get_context("fork").Pool(cores) as pool:
            chunks = pool.map(_draw_chunk, tasks, chunksize=1)
    finally:
        _SHARED = None
    drawn: list[list[DrawnPage]] = [[] for _ in jobs]
    for (index, _, _), pages in zip(tasks, chunks):
        drawn[index].extend(pages)
    return drawn


def job_for(part: Any, look: str, seed: int, emphasis: str, paper_tone: bool) -> Job:
    return Job(tuple(part.pages), look, seed, part.machine, f"{seed}:{part.id}", emphasis, paper_tone)
