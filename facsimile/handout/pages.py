"""A handout's typeset body to page PDFs: one PDF a run of parts between scans, drawn in
shares on every core when the handout is long (as the build draws its pages)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from ..layout.typeset import TypesetPart
from .reading import Rendered, render_pages

PARALLEL_PAGES = 24  # below this, starting workers costs more than it saves


@dataclass(frozen=True)
class BodyStyle:
    """How the body's pages are drawn (the arguments of render_pages after the parts)."""

    grid: Any
    stack: Any
    doc: Any
    line_numbers: bool
    chars: dict[str, str]
    look: str
    gap: float
    mirror: bool
    substituted: dict[tuple[str, int, int], str] | None = None  # for ActualText; None: none
    languages: dict[tuple[str, int, int], str] | None = None  # for /Lang


_SHARED: tuple[list[tuple[list[TypesetPart], int]], BodyStyle] | None = None  # for forked workers


def _draw(index: int) -> list[Rendered]:
    assert _SHARED is not None
    shares, style = _SHARED
    parts, folio = shares[index]
    return render_pages(parts, style.grid, style.stack, style.doc, folio, True, style.line_numbers,
                        style.chars, style.look, style.gap, style.mirror, style.substituted,
                         style.languages)


def _split(parts: list[TypesetPart], folio: int, count: int) -> list[tuple[list[TypesetPart], int]]:
    """A run of parts cut into count shares of about equal pages, each with its first folio."""
    total = sum(len(p.pages) for p in parts)
    shares: list[tuple[list[TypesetPart], int]] = []
    current: list[TypesetPart] = []
    start, pages = folio, 0
    for part in parts:
        current.append(part)
        pages += len(part.pages)
        if pages * count >= total * (len(shares) + 1) and len(shares) < count - 1:
            shares.append((current, start))
            start, current = folio + pages, []
    if current:
        shares.append((current, start))
    return shares


def draw_body(runs: list[tuple[list[TypesetPart], int]], style: BodyStyle, jobs: int | None = None
              ) -> list[list[Rendered]]:
    """Each run of parts (with its first folio) drawn as PDFs, in order: one PDF for a short
    run, else one a share on up to jobs processes (None: every core)."""
    global _SHARED
    cores = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
    total = sum(len(p.pages) for parts, _ in runs for p in parts)
    parallel = total >= PARALLEL_PAGES and cores >= 2 and os.name == "posix"
    shares: list[tuple[list[TypesetPart], int]] = []
    owner: list[int] = []
    for index, (parts, folio) in enumerate(runs):
        pages = sum(len(p.pages) for p in parts)
        count = cores if parallel and pages >= PARALLEL_PAGES else 1
        for share in _split(parts, folio, count):
            shares.append(share)
            owner.append(index)
    _SHARED = (shares, style)
    try:
        if parallel and len(shares) > 1:
            import multiprocessing

            with multiprocessing.get_context("fork").Pool(min(cores, len(shares))) as pool:
                drawn = pool.map(_draw, range(len(shares)))
        else:
            drawn = [_draw(i) for i in range(len(shares))]
    finally:
        _SHARED = None
    out: list[list[Rendered]] = [[] for _ in runs]
    for index, pdfs in zip(owner, drawn):
        out[index].extend(pdfs)
    return out
