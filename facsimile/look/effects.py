"""Typed pages on the grid to sheets in points, through a look: typewriter, stencil, duplicator.

Pure and seeded: the same pages, look and seed give the same sheets. Per-glyph movement stays
inside what extractors tolerate; larger movement is applied to a whole line or page.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Callable

from ..fonts import FaceStack
from ..layout.grid import Page, PlacedLine
from .machine import NONE, Machine
from ..layout.paper import Grid
from .sheet import Dot, Glyph, Lettering, Sheet, Stroke
from .stylus import Guide, letter_placed, rule_placed, stylus_for, typed_figure

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
                seed: str, emphasis: str = "underscore", paper_tone: bool = False,
                guide: Guide | None = None) -> list[Sheet]:
    """Strike every cell of every page through the look; one random stream per page, seeded
    by the part's seed and the page's number, so that pages can be drawn in any order. With a
    guide, letterheads are lettered with a stylus (look/stylus.py) and their rules ruled."""
    look = LOOKS[look_name]
    size = type_size(grid)
    typed_head = guide is not None and look.name == "typescript"  # spaced capitals, underscored
    stylus = stylus_for(guide, look) if guide is not None and not typed_head else None
    sheets: list[Sheet] = []
    for page in pages:
        rng = random.Random(f"{seed}:{page.number}")
        inking = _inking(rng, look)
        lines: list[tuple[Glyph, ...]] = []
        strokes: list[Stroke] = []
        dots: list[Dot] = []
        lettering: list[Lettering] = []
        actual: list[str] = []
        for placed in page.lines:
            if stylus is not None and placed.line.role in ("letterhead", "rule") and (
                    placed.line.scale > 1 or placed.line.role == "rule"):
                stream = f"{seed}:{page.number}:stylus"
                if placed.line.role == "rule":
                    lift = 0.15 if lettering else 0.35  # the rule below the letters a little lower
                    y = grid.height_pt - placed.row * grid.row_pt + size * lift
                    strokes.extend(rule_placed(placed, grid, y, stylus, stream, inking))
                else:
                    lettering.append(letter_placed(placed, grid, stylus, stack, stream, inking, len(lines)))
                continue
            if typed_head and placed.line.role == "letterhead":  # its letters a figure, its words text
                before = len(lines)
                _strike_line(placed, grid, stack, look, machine, rng, size, emphasis, inking, lines, strokes, dots)
                if len(lines) > before:
                    lettering.append(typed_figure(lines.pop(), grid.cell_pt, stack, len(lines), placed.row))
                continue
            struck = len(lines)
            _strike_line(placed, grid, stack, look, machine, rng, size, emphasis, inking, lines, strokes, dots)
            read = placed.line.actual or (" ".join(placed.line.searchable_text.split()) if placed.line.across else "")
            if read and len(lines) > struck:  # read as one line (an untagged page's ActualText)
                actual.extend("" for _ in range(len(lines) - 1 - len(actual)))
                actual.append(read)
        if inking is not None:
            dots.extend(_specks(rng, grid))
        sheets.append(Sheet(grid.width_pt, grid.height_pt, tuple(lines), tuple(strokes), tuple(dots),
                            PAPER_TONE if paper_tone else None, tuple(lettering), tuple(actual)))
    return sheets


def _quantised(ink: float) -> float:
    """Ink in steps of 1/20: in a small glyph the eye sees no finer step, and the PDF changes
    colour less often (a third smaller than with unrounded ink)."""
    step = int(ink * 20 + 0.5)
    return 1.0 if step >= 20 else 0.35 if step < 7 else step / 20


def _strike_line(placed: PlacedLine, grid: Grid, stack: FaceStack, look: Look, machine: Machine,
                 rng: random.Random, size: float, emphasis: str, inking: Inking | None,
                 lines: list[tuple[Glyph, ...]], strokes: list[Stroke], dots: list[Dot]) -> None:
    """Strike one line's cells, adding its glyphs, underscores and stencil marks to the sheet."""
    line = placed.line
    cell = grid.cell_pt
    scale = line.scale
    baseline = grid.height_pt - placed.row * grid.row_pt
    width_pt, height_pt = grid.width_pt, grid.height_pt
    s = look.strike
    rnd = rng.random
    # The platen and carriage: a whole line may sit a little off (moves every glyph together).
    line_dx = (rnd() - 0.5) * 0.6 * s
    line_dy = (rnd() - 0.5) * 0.7 * s
    # The duplicator moves the line as a unit to where the turned stencil puts its start, and
    # inks it: the line stays level, for extractors file words into lines by their baselines
    # and a line sloping even a quarter point across loses words' order (measured).
    fade, gradient = 1.0, 0.0
    if inking is not None and line.cells:
        start_x = line.cells[0].col * cell
        x, y = inking.place(start_x, baseline, width_pt, height_pt)
        line_dx += x - start_x
        line_dy += y - baseline
        fade = inking.at(0.0, baseline, width_pt, height_pt)
        gradient = inking.gradient * inking.direction[0] / width_pt
    if line.role == "rule":
        rule = _rule(line.cells[0].col * cell, (line.cells[-1].col + 1) * cell, baseline + size * 0.35, rng, look)
        if inking is not None:  # a stylus rule is drawn on the stencil: it turns with the sheet
            rule = Stroke(tuple(inking.place(px, py, width_pt, height_pt) for px, py in rule.points),
                          rule.width, _quantised(rule.ink * fade))
        strokes.append(rule)
        return
    base_y = baseline + line_dy
    shrink = line.shrink  # a line kept as typed but set smaller to fit a reading edition's line
    glyph_size = size * scale * shrink
    width = cell * scale * shrink
    origin = grid.left * cell * (1 - shrink)  # the smaller cells start at the left margin
    double = emphasis == "double"
    glyphs: list[Glyph] = []
    previous_col, previous_end = -10, 0.0
    word_ink = look.ink
    metrics = _METRICS.setdefault((stack.fingerprint, glyph_size, width), {})
    for c in line.cells:
        col, char, emphasised, _, ornament = c
        x0 = col * cell * shrink + origin + line_dx
        if ornament:  # a mark, not text: a dash or a ruled line's -, = or _, a leader's dot
            _ornament(char, x0, base_y, width, size, look, strokes, dots)
            continue
        if previous_col != col - scale:  # the duplicator's fade, taken once a word
            word_ink = look.ink * (fade - gradient * x0)
        ink = word_ink
        if char != " ":
            try:
                face_name, advance, centring = metrics[char]
            except KeyError:
                face = stack.face_for(char)
                assert face is not None, "coverage is checked before effects"
                advance = face.advances[ord(char)] * glyph_size / 1000.0
                face_name, centring = face.name, (width - advance) / 2
                metrics[char] = (face_name, advance, centring)
            x = x0 + centring
            y = base_y
            weight = 0.0
            if s:
                defect = machine.defect(char) if look.machine else NONE
                chance = rnd()
                pressure = 1.0 if chance > 0.2 else 0.9 if chance > 0.03 else 0.62 + 0.16 * rnd()
                x += defect.dx + (rnd() - 0.5) * 0.1
                ink *= defect.ink * pressure
                weight = look.weight * (0.7 + 0.6 * pressure) if look.weight else 0.0
                if weight and not char.isascii():
                    weight *= _thinning(face_name, char, stack)
                if previous_col == col - scale:
                    y += defect.dy + (rnd() - 0.5) * 0.06
                    # Inside a word: poppler starts a new word at a gap of about 0.55 pt.
                    x = min(x, previous_end + 0.4)
                # else: a word's first letter sits on the line, for poppler files a word into
                # a line by its first letter's baseline (a fraction of a point off, and it can
                # land in another line's bucket, out of reading order: measured)
            if emphasised and double:  # struck twice: blacker and heavier
                ink, weight = 1.0, weight + 0.32
            if s or inking is not None:
                ink = _quantised(ink)
                # twentieths of a point: none sees finer (int(... + 0.5): round() costs more)
                x, y = int(x * 20 + 0.5) / 20, int(y * 20 + 0.5) / 20
                weight = int(weight * 20 + 0.5) / 20
            glyphs.append(_new(Glyph, (char, face_name, glyph_size, x, y, ink, weight)))
            previous_col, previous_end = col, x + advance
            if look.stencil and char in STENCIL_HOLES:
                mark = _stencil_mark(char, x, y, glyph_size, ink, rnd)
                if mark is not None:
                    dots.append(mark)
        if emphasised and emphasis == "underscore":
            strokes.append(_underscore(x0, base_y, width, size, _quantised(ink), look, rnd))
    if glyphs:
        lines.append(tuple(glyphs))


def _ornament(char: str, x0: float, baseline: float, width: float, size: float, look: Look,
              strokes: list[Stroke], dots: list[Dot]) -> None:
    """A typed mark drawn as a shape, so that no extractor reads it as text."""
    if char == ".":
        dots.append(Dot(x0 + 0.5 * width, baseline + 0.05 * size, 0.055 * size, look.ink))
        return
    levels = {"=": (0.17, 0.33), "_": (-UNDERSCORE_DROP,)}.get(char, (0.25,))
    inset = 0.0 if char in "=_" else 0.22  # a rule's strokes meet from cell to cell
    for level in levels:
        y = baseline + level * size
        strokes.append(Stroke(((x0 + inset * width, y), (x0 + (1 - inset) * width, y)), 0.08 * size, look.ink))


STENCIL_HOLES = "eao."
_THINNING: dict[tuple[str, str], float] = {}
THINNING_SIZE = 96  # pixels an em, to measure a glyph's outline
BUSY = 1.15  # an outline this many times an n's is too busy to take the stencil's spread


def _thinning(face_name: str, char: str, stack: FaceStack) -> float:
    """1, or 0 for a busy glyph: the stroke that thickens every glyph closes the narrow gaps of
    й, ж or ü into a blot (a viewer draws no stroke thinner than a device pixel, so a thinner
    stroke is no cure): a glyph whose outline is BUSY times an n's or longer is only filled.
    Measured once a process, rasterised with Pillow."""
    key = (face_name, char)
    if key not in _THINNING:
        busy = _outline(face_name, char, stack) >= BUSY * _outline(face_name, "n", stack)
        _THINNING[key] = 0.0 if busy else 1.0
    return _THINNING[key]


def _outline(face_name: str, char: str, stack: FaceStack) -> int:
    """The pixels on the outline of a glyph rasterised at THINNING_SIZE."""
    from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

    face = next(f for f in stack.faces if f.name == face_name)
    font = ImageFont.truetype(str(face.path), THINNING_SIZE)
    image = Image.new("L", (THINNING_SIZE * 2, THINNING_SIZE * 2), 0)
    ImageDraw.Draw(image).text((THINNING_SIZE // 2, THINNING_SIZE // 4), char, fill=255, font=font)
    ink = image.point(lambda v: 255 if v > 127 else 0)
    edge = ImageChops.subtract(ink, ink.filter(ImageFilter.MinFilter(3)))
    return edge.histogram()[255]
_METRICS: dict[tuple[int, float, float], dict[str, tuple[str, float, float]]] = {}  # face, advance, centring
_new = tuple.__new__  # makes a NamedTuple without its Python-level __new__: half the cost


def _stencil_mark(char: str, x: float, y: float, size: float, ink: float, rnd: Callable[[], float]
                  ) -> Dot | None:
    """Counters that filled in, centres that fell out of the wax (printed as solid dots)."""
    centre_x = x + size * 0.3
    chance = rnd()
    if char in "eao" and chance < 0.05:  # not more: an o filled in reads as an e
        return Dot(centre_x, y + size * (0.30 if char == "e" else 0.22), size * (0.05 + 0.03 * round(rnd(), 1)), ink)
    if char == "o" and chance < 0.07:
        return Dot(centre_x, y + size * 0.22, size * 0.12, ink)
    if char == "." and chance < 0.15:
        return Dot(centre_x, y + size * 0.05, size * 0.07, ink)
    return None


def _underscore(x0: float, baseline: float, width: float, size: float, ink: float, look: Look,
                rnd: Callable[[], float]) -> Stroke:
    """A typed underscore: a short stroke in its cell, with gaps, taking the ink of the letter."""
    s = look.strike
    y = baseline - UNDERSCORE_DROP * size + (rnd() - 0.5) * 0.24 * s
    inset = 0.5 + 0.25 * rnd() * s
    return Stroke(((x0 + inset, y), (x0 + width - inset, y + (rnd() - 0.5) * 0.16 * s)),
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
