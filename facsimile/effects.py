"""Typed pages on the grid to sheets in points, through a look: typewriter, stencil, duplicator.

Pure and seeded: the same pages, look and seed give the same sheets. Per-glyph movement stays
inside what extractors tolerate; larger movement is applied to a whole line or page.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace

from .fonts import FaceStack
from .grid import Cell, Page, PlacedLine
from .machine import NONE, Machine
from .paper import Grid
from .sheet import Dot, Glyph, Sheet, Stroke

EM_OF_CELL = 0.625  # the type size is the cell width over this: a pica cell holds a 11.5 pt face
UNDERSCORE_DROP = 0.22  # an underscore sits this many ems below the baseline
PAPER_TONE = (0.975, 0.962, 0.93)  # absorbent duplicating paper, off-white


@dataclass(frozen=True)
class Look:
    """What a look applies: the worn machine, strike variation, the stencil, the duplicator."""

    name: str
    machine: bool
    strike: float  # 0 for none; else the scale of per-strike variation
    stencil: bool
    duplicator: bool
    weight: float  # base stroke (pt) that thickens every glyph
    ink: float  # base ink


LOOKS = {
    "clean": Look("clean", machine=False, strike=0.0, stencil=False, duplicator=False, weight=0.0, ink=1.0),
    "typescript": Look("typescript", machine=True, strike=1.0, stencil=False, duplicator=False,
                       weight=0.06, ink=0.9),
    "cyclostyle": Look("cyclostyle", machine=True, strike=1.0, stencil=True, duplicator=True,
                       weight=0.09, ink=0.96),
}


def type_size(grid: Grid) -> float:
    return grid.cell_pt / EM_OF_CELL


@dataclass(frozen=True)
class Inking:
    """The duplicator's ink across one sheet: a gradient, bands from the drum, skew and offset."""

    direction: tuple[float, float]
    gradient: float
    band_amplitude: float
    band_period: float
    band_phase: float
    angle: float
    dx: float
    dy: float

    def place(self, x: float, y: float, width: float, height: float) -> tuple[float, float]:
        """Where the duplicator lays a point of the stencil: turned about the sheet's centre
        and shifted."""
        a = math.radians(self.angle)
        cx, cy = width / 2, height / 2
        return (cx + (x - cx) * math.cos(a) - (y - cy) * math.sin(a) + self.dx,
                cy + (x - cx) * math.sin(a) + (y - cy) * math.cos(a) + self.dy)

    def at(self, x: float, y: float, width: float, height: float) -> float:
        along = (x / width) * self.direction[0] + (y / height) * self.direction[1]
        band = self.band_amplitude * math.sin(2 * math.pi * y / self.band_period + self.band_phase)
        return 1.0 - self.gradient * along - band


def _inking(rng: random.Random, look: Look) -> Inking | None:
    if not look.duplicator:
        return None
    side = rng.choice(((1.0, 0.0), (-1.0, 0.0), (0.0, 1.0), (0.0, -1.0)))
    return Inking(
        direction=side,
        gradient=rng.uniform(0.10, 0.20),
        band_amplitude=rng.uniform(0.03, 0.06),
        band_period=rng.uniform(140, 260),
        band_phase=rng.uniform(0, 2 * math.pi),
        angle=rng.uniform(-0.35, 0.35),
        dx=rng.uniform(-4.0, 4.0),
        dy=rng.uniform(-4.0, 4.0),
    )


def make_sheets(pages: list[Page], grid: Grid, stack: FaceStack, look_name: str, machine: Machine,
                seed: str, emphasis: str = "underscore", paper_tone: bool = False) -> list[Sheet]:
    """Strike every cell of every page through the look; one random stream per part (seed)."""
    look = LOOKS[look_name]
    rng = random.Random(seed)
    size = type_size(grid)
    sheets: list[Sheet] = []
    for page in pages:
        inking = _inking(rng, look)
        lines: list[tuple[Glyph, ...]] = []
        strokes: list[Stroke] = []
        dots: list[Dot] = []
        for placed in page.lines:
            glyphs, marks, spots = _strike_line(placed, grid, stack, look, machine, rng, size, emphasis)
            if inking is not None:
                glyphs, marks, spots = _duplicated(placed, glyphs, marks, spots, inking, grid)
            if glyphs:
                lines.append(tuple(glyphs))
            strokes.extend(marks)
            dots.extend(spots)
        if inking is not None:
            dots.extend(_specks(rng, grid))
        sheets.append(Sheet(grid.width_pt, grid.height_pt, tuple(lines), tuple(strokes), tuple(dots),
                            PAPER_TONE if paper_tone else None))
    return sheets


def _strike_line(placed: PlacedLine, grid: Grid, stack: FaceStack, look: Look, machine: Machine,
                 rng: random.Random, size: float, emphasis: str
                 ) -> tuple[list[Glyph], list[Stroke], list[Dot]]:
    line = placed.line
    cell = grid.cell_pt
    scale = line.scale
    baseline = grid.height_pt - placed.row * grid.row_pt
    # The platen and carriage: a whole line may sit a little off (moves every glyph together).
    line_dy = rng.uniform(-0.35, 0.35) * look.strike
    line_dx = rng.uniform(-0.3, 0.3) * look.strike
    glyphs: list[Glyph] = []
    strokes: list[Stroke] = []
    dots: list[Dot] = []
    if line.role == "rule":
        strokes.append(_rule(line.cells[0].col * cell, (line.cells[-1].col + 1) * cell,
                             baseline + size * 0.35, rng, look))
        return glyphs, strokes, dots
    previous: tuple[int, float] | None = None  # the last glyph's column and where its advance ends
    for c in line.cells:
        x0 = c.col * cell + line_dx
        width = cell * scale
        if c.ornament:
            y = baseline + line_dy + 0.25 * size
            strokes.append(Stroke(((x0 + 0.22 * width, y), (x0 + 0.78 * width, y)), 0.08 * size, look.ink))
            continue
        ink = look.ink
        if c.char != " ":
            glyph, advance = _strike(c, x0, baseline + line_dy, width, size * scale, stack, look, machine,
                                     rng, emphasis)
            if previous is not None and previous[0] == c.col - scale:
                # Inside a word: poppler starts a new word at a gap of about 0.55 pt.
                limit = previous[1] + 0.4
                if glyph.x > limit:
                    glyph = glyph._replace(x=limit)
            else:
                # A word's first letter sits on the line: poppler files a word into a line by
                # the baseline of its first letter, and a word a fraction of a point off can
                # land in another line's bucket and out of reading order (measured).
                glyph = glyph._replace(y=baseline + line_dy)
            previous = (c.col, glyph.x + advance)
            glyphs.append(glyph)
            ink = glyph.ink
            if look.stencil:
                dots.extend(_stencil_marks(glyph, width, rng))
        if c.emphasis and emphasis == "underscore":
            strokes.append(_underscore(x0, baseline + line_dy, width, size, ink, look, rng))
    return glyphs, strokes, dots


def _strike(c: Cell, x0: float, baseline: float, width: float, size: float, stack: FaceStack,
            look: Look, machine: Machine, rng: random.Random, emphasis: str) -> tuple[Glyph, float]:
    face = stack.face_for(c.char)
    assert face is not None, "coverage is checked before effects"
    advance = face.advances[ord(c.char)] * size / 1000.0
    x = x0 + (width - advance) / 2
    if not look.strike:  # the clean look: every glyph true in its cell
        ink = 1.0 if c.emphasis and emphasis == "double" else look.ink
        weight = 0.32 if c.emphasis and emphasis == "double" else 0.0
        return Glyph(c.char, face.name, size, x, baseline, ink, weight), advance
    defect = machine.defect(c.char) if look.machine else NONE
    s = look.strike
    pressure = 1.0 - abs(rng.gauss(0, 0.05)) * s
    if rng.random() < 0.03:  # a key struck softly
        pressure *= rng.uniform(0.62, 0.78)
    x += defect.dx + rng.uniform(-0.05, 0.05) * s
    y = baseline + defect.dy + rng.uniform(-0.03, 0.03) * s
    ink = look.ink * defect.ink * pressure
    weight = look.weight * (0.7 + 0.6 * pressure) if look.weight else 0.0
    if c.emphasis and emphasis == "double":  # struck twice: blacker and heavier
        ink, weight = 1.0, weight + 0.32
    return Glyph(c.char, face.name, size, x, y, _clamp(ink), weight), advance


def _stencil_marks(glyph: Glyph, width: float, rng: random.Random) -> list[Dot]:
    """Counters that filled in, centres that fell out of the wax (printed as solid dots)."""
    marks: list[Dot] = []
    centre_x = glyph.x + glyph.size * 0.3
    if glyph.char in "eao" and rng.random() < 0.10:
        marks.append(Dot(centre_x, glyph.y + glyph.size * (0.30 if glyph.char == "e" else 0.22),
                         glyph.size * rng.uniform(0.05, 0.08), glyph.ink))
    elif glyph.char == "o" and rng.random() < 0.06:
        marks.append(Dot(centre_x, glyph.y + glyph.size * 0.22, glyph.size * 0.12, glyph.ink))
    elif glyph.char == "." and rng.random() < 0.15:
        marks.append(Dot(centre_x, glyph.y + glyph.size * 0.05, glyph.size * 0.07, glyph.ink))
    return marks


def _underscore(x0: float, baseline: float, width: float, size: float, ink: float, look: Look,
                rng: random.Random) -> Stroke:
    """A typed underscore: a short stroke in its cell, with gaps, taking the ink of the letter."""
    s = look.strike
    y = baseline - UNDERSCORE_DROP * size + rng.uniform(-0.12, 0.12) * s
    inset = 0.5 + rng.uniform(0.0, 0.25) * s
    return Stroke(((x0 + inset, y), (x0 + width - inset, y + rng.uniform(-0.08, 0.08) * s)),
                  0.6 + look.weight, ink)


def _rule(x_from: float, x_to: float, y: float, rng: random.Random, look: Look) -> Stroke:
    """A rule drawn on the stencil with a stylus: not quite straight."""
    if not look.strike:
        return Stroke(((x_from, y), (x_to, y)), 0.8, look.ink)
    steps = 12
    slope = rng.uniform(-0.6, 0.6)
    points = []
    wobble = 0.0
    for i in range(steps + 1):
        t = i / steps
        wobble = 0.6 * wobble + rng.uniform(-0.35, 0.35)
        points.append((x_from + (x_to - x_from) * t + rng.uniform(-0.3, 0.3) * (0 < i < steps),
                       y + slope * t + wobble))
    return Stroke(tuple(points), rng.uniform(0.8, 1.1), look.ink)


def _specks(rng: random.Random, grid: Grid) -> list[Dot]:
    """Specks of ink the duplicator leaves about the sheet."""
    count = rng.randint(5, 16)
    return [Dot(rng.uniform(0.04, 0.96) * grid.width_pt, rng.uniform(0.04, 0.96) * grid.height_pt,
                rng.uniform(0.15, 0.55), rng.uniform(0.45, 0.85)) for _ in range(count)]


def _duplicated(placed: PlacedLine, glyphs: list[Glyph], marks: list[Stroke], spots: list[Dot],
                inking: Inking, grid: Grid) -> tuple[list[Glyph], list[Stroke], list[Dot]]:
    """The duplicator's inking and skew on one line. The line moves as a unit to where the
    turned stencil puts its start and stays level: extractors file words into lines by their
    baselines, and a line sloping even a quarter of a point across loses words' order (measured).
    A stylus rule is drawn on the stencil itself, so it turns with the sheet."""
    w, h = grid.width_pt, grid.height_pt
    if placed.line.role == "rule":
        return glyphs, [Stroke(tuple(inking.place(x, y, w, h) for x, y in m.points), m.width,
                               _clamp(m.ink * inking.at(*m.points[0], w, h))) for m in marks], spots
    start_x = placed.line.cells[0].col * grid.cell_pt if placed.line.cells else 0.0
    start_y = h - placed.row * grid.row_pt
    x, y = inking.place(start_x, start_y, w, h)
    dx, dy = x - start_x, y - start_y
    glyphs = [g._replace(x=g.x + dx, y=g.y + dy, ink=_clamp(g.ink * inking.at(g.x, g.y, w, h))) for g in glyphs]
    marks = [Stroke(tuple((px + dx, py + dy) for px, py in m.points), m.width,
                    _clamp(m.ink * inking.at(*m.points[0], w, h))) for m in marks]
    spots = [replace(d, x=d.x + dx, y=d.y + dy) for d in spots]
    return glyphs, marks, spots


def _clamp(ink: float) -> float:
    return max(0.35, min(1.0, round(ink, 3)))
