"""A letterhead's typed cells to lettering: a guide's letters drawn with a stylus by a hand.

The stylus follows each slot of a celluloid guide in one line of its point's width: round at
its ends and joins, a little wider where it cut deeper, now and then skipping. The hand moves
the guide along by eye, so letters sit a little off the guide line and their spacing varies,
and each stroke wanders slowly (a smooth deviation, not noise on every point). The words stay
text: each letter carries an invisible character spanning it, level on the guide line.
Pure and seeded: the same line, settings and random stream give the same lettering.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, NamedTuple

from ..fonts import FaceStack
from ..kept import Kept
from ..guides import CAP_HEIGHT, Letter, guides, size_pt
from ..layout.grid import PlacedLine
from ..layout.paper import Grid
from .sheet import Glyph, Hidden, Lettering, Shape, Stroke

if TYPE_CHECKING:
    from .effects import Inking, Look

STEP = 3.0  # points between the points a stroke is followed by: the wander is smooth over a dozen
SPACED_TEXT = 2.0  # the hidden text over spaced capitals, over their size: its letters reach the next
TEXT_SIZE = 1.45  # the hidden text's size over the capitals' height: a typed capital as tall
Place = Callable[[float, float], tuple[float, float]]  # where the duplicator lays a point of the stencil


@dataclass(frozen=True)
class Stylus:
    """The guide and the hand: the guide's face, its capitals' height in points, how steady
    the hand (0 shaky, 1 steady; None for no hand at all: lettered plainly), the stylus point
    (points) and the ink."""

    guide: str
    size: float
    hand: float | None
    point: float
    ink: float


class Guide(NamedTuple):
    """What the manifest asks of the lettering: the guide's name, its size in mm, the hand."""

    name: str
    size_mm: int
    hand: float


def stylus_for(guide: Guide, look: Look) -> Stylus:
    """The stylus of a look: the hand's wobble where the look imitates one (none when clean),
    a point that cuts a line as heavy as the typed letters, and their ink."""
    size = size_pt(guide.size_mm)
    return Stylus(guide.name, size, guide.hand if look.strike else None,
                  round(0.9 + 0.025 * size + 2 * look.weight, 2), look.ink)


LETTERINGS: Kept[Lettering] = Kept(64)  # a watch's letterings, by what made them (buildcmd.long_lived)


def letter_placed(placed: PlacedLine, grid: Grid, stylus: Stylus, stack: FaceStack, seed: str,
                  inking: Inking | None, after: int) -> Lettering:
    """Letter a letterhead line of the typist's grid: its words centred where the typist
    centred them, on its baseline, from its own random stream (seeded by the part, the page
    and the row), placed and inked by the duplicator if there is one."""
    return LETTERINGS.made(("lettered", placed, grid, stylus, stack.fingerprint, seed, inking, after),
                           lambda: _letter_placed(placed, grid, stylus, stack, seed, inking, after))


def _letter_placed(placed: PlacedLine, grid: Grid, stylus: Stylus, stack: FaceStack, seed: str,
                   inking: Inking | None, after: int) -> Lettering:
    line = placed.line
    cell = grid.cell_pt
    words: list[str] = []
    previous = -10
    for c in line.cells:
        if c.col != previous + line.scale or not words:
            words.append("")
        words[-1] += c.char
        previous = c.col
    centre = (line.cells[0].col + line.cells[-1].col + line.scale) * cell / 2
    baseline = grid.height_pt - placed.row * grid.row_pt
    width, height = grid.width_pt, grid.height_pt
    place: Place | None = None
    fade: Callable[[float, float], float] | None = None
    if inking is not None:
        place = _laying(inking, width, height)
        fade = lambda x, y: inking.at(x, y, width, height)  # noqa: E731
    rng = random.Random(f"{seed}:{placed.row}")
    lettering = letter_line(words, centre, baseline, grid.measure * cell, stylus, stack, rng, place, fade)
    return Lettering(lettering.strokes, lettering.text, after, row=placed.row)


def rule_placed(placed: PlacedLine, grid: Grid, y: float, stylus: Stylus, seed: str,
                inking: Inking | None) -> list[Stroke]:
    """A ruled line of the typist's grid drawn with the stylus against a ruler."""
    line = placed.line
    width, height = grid.width_pt, grid.height_pt
    place: Place | None = None
    ink = stylus.ink
    if inking is not None:
        place = _laying(inking, width, height)
        ink = _quantised(ink * inking.at(0.0, y, width, height))
    rng = random.Random(f"{seed}:{placed.row}")
    return ruled(line.cells[0].col * grid.cell_pt, (line.cells[-1].col + 1) * grid.cell_pt, y, stylus,
                 rng, place, ink)


def _laying(inking: Inking, width: float, height: float) -> Place:
    """Inking.place as one affine map worked out once: a lettered line has thousands of points."""
    ox, oy = inking.place(0.0, 0.0, width, height)
    ax, ay = inking.place(1.0, 0.0, width, height)
    cos, sin = ax - ox, ay - oy
    return lambda x, y: (cos * x - sin * y + ox, sin * x + cos * y + oy)


def letter_line(words: list[str], centre: float, baseline: float, measure: float, stylus: Stylus,
                stack: FaceStack, rng: random.Random, place: Place | None,
                fade: Callable[[float, float], float] | None) -> Lettering:
    """Letter words centred on centre along the guide line at baseline, squeezed up if wider
    than measure; place lays the stencil on the sheet and fade inks it (None: neither)."""
    letters = guides()[stylus.guide]
    unit = stylus.size / CAP_HEIGHT
    shake = 0.0 if stylus.hand is None else 0.3 + 1.4 * (1.0 - stylus.hand)
    uniform = rng.uniform
    # Where each letter's slot stands on the guide line: spaced by eye.
    slots: list[tuple[int, str, float]] = []  # word, character, x along the line
    x = 0.0
    for n, word in enumerate(words):
        if n:
            x += letters[" "].advance * unit * (1.0 + uniform(-0.1, 0.1) * shake)
        for ch in word:
            slots.append((n, ch, x))
            x += letters[ch].advance * unit * (1.0 + uniform(-0.06, 0.06) * shake)
    squeeze = min(1.0, measure / x) if x > 0 else 1.0
    left = centre - x * squeeze / 2
    strokes: list[Stroke] = []
    for _, ch, at in slots:
        letter = letters[ch]
        ox = left + at * squeeze
        ink = stylus.ink
        if fade is not None:
            ink = _quantised(ink * fade(ox, baseline))
        if shake:  # the letter off the guide line, and turned a little
            dy = rng.gauss(0.0, 0.016) * stylus.size * shake
            turn = rng.gauss(0.0, 0.007) * shake
        else:
            dy = turn = 0.0
        strokes.extend(_letter(letter, ox, baseline + dy, unit * squeeze, unit, turn, stylus, shake, ink,
                               rng, place))
    text = _hidden(slots, words, left, squeeze, unit, letters, baseline, stylus, stack, place)
    return Lettering(tuple(strokes), text)


def _letter(letter: Letter, ox: float, oy: float, sx: float, sy: float, turn: float, stylus: Stylus,
            shake: float, ink: float, rng: random.Random, place: Place | None) -> list[Stroke]:
    """The strokes of one letter, each followed with the hand's wobble and pressure."""
    out: list[Stroke] = []
    cos, sin = math.cos(turn), math.sin(turn)
    for path in letter.strokes:
        points = [(ox + px * sx * cos - py * sy * sin, oy + px * sx * sin + py * sy * cos) for px, py in path]
        out.extend(_stroke(points, stylus, shake, ink, rng, place))
    return out


def _stroke(points: list[tuple[float, float]], stylus: Stylus, shake: float, ink: float,
            rng: random.Random, place: Place | None) -> list[Stroke]:
    """One pass of the stylus along points: a smooth wander, the pressure along it, a skip
    now and then; split where the width changes (a stroke has one width)."""
    uniform = rng.uniform
    followed = _resample(points)
    length = followed[-1][2]
    width = stylus.point
    if not shake:
        laid = [place(x, y) for x, y, _ in followed] if place else [(x, y) for x, y, _ in followed]
        return [Stroke(tuple(_rounded(p) for p in laid), width, ink)]
    size = stylus.size
    amplitude = 0.02 * size * shake
    wave_x, wave_y = uniform(0.7, 1.6) * size, uniform(0.7, 1.6) * size
    phase_x, phase_y = uniform(0, 2 * math.pi), uniform(0, 2 * math.pi)
    drift_x, drift_y = uniform(-1, 1) * amplitude, uniform(-1, 1) * amplitude  # where the stylus set down
    press = uniform(0.88, 1.12)  # how hard this stroke was pressed; it changes along it
    press_every = uniform(0.35, 0.6) * size
    press_depth = 0.1 + 0.06 * shake
    pressures = [width * press * (1.0 + uniform(-press_depth, press_depth))
                 for _ in range(int(length / press_every) + 1)]
    skip_from = skip_to = -1.0
    if length > 0.3 * size and rng.random() < 0.03 + 0.03 * shake:
        skip_from = uniform(0.3, 0.65) * length
        skip_to = skip_from + uniform(0.3, 0.7) * stylus.point + 0.2
    widths = [int(p * 20 + 0.5) / 20 for p in pressures]  # twentieths of a point: runs of one width
    runs: list[tuple[float, list[tuple[float, float]]]] = []  # a width and the points drawn at it
    current: list[tuple[float, float]] | None = None
    current_width = 0.0
    kx, ky, per = 2 * math.pi / wave_x, 2 * math.pi / wave_y, 1.0 / press_every
    sin = math.sin
    for x, y, s in followed:
        if skip_from <= s <= skip_to:  # the stylus skipped: a short gap in the cut
            current = None
            continue
        x += amplitude * sin(kx * s + phase_x) + drift_x
        y += amplitude * sin(ky * s + phase_y) + drift_y
        if place is not None:
            x, y = place(x, y)
        point = (int(x * 100 + 0.5) / 100, int(y * 100 + 0.5) / 100)
        w = widths[int(s * per)]
        if current is None:
            current = [point]
            runs.append((w, current))
        elif w != current_width:
            current = [current[-1], point]  # a new width from the same point: no break in the line
            runs.append((w, current))
        else:
            current.append(point)
        current_width = w
    return [Stroke(tuple(run), w, ink) for w, run in runs if len(run) > 1]


def _resample(points: list[tuple[float, float]]) -> list[tuple[float, float, float]]:
    """The path's points with points added along long segments, each with its distance along."""
    out = [(points[0][0], points[0][1], 0.0)]
    travelled = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        length = math.hypot(x1 - x0, y1 - y0)
        steps = max(1, int(length / STEP + 0.999))
        for i in range(1, steps + 1):
            t = i / steps
            out.append((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, travelled + length * t))
        travelled += length
    return out


def _hidden(slots: list[tuple[int, str, float]], words: list[str], left: float, squeeze: float,
            unit: float, letters: dict[str, Letter], baseline: float, stylus: Stylus, stack: FaceStack,
            place: Place | None) -> tuple[Hidden, ...]:
    """A character of the typewriter's face over each letter, level on the guide line, each
    stretched to reach the next letter of its word (extractors then read whole words)."""
    size = stylus.size * TEXT_SIZE
    dx = dy = 0.0
    if place is not None and slots:  # the duplicator moves the text with the middle of the line
        middle = left + (slots[-1][2] * squeeze) / 2
        px, py = place(middle, baseline)
        dx, dy = px - middle, py - baseline
    y = int((baseline + dy) * 100 + 0.5) / 100
    out: list[Hidden] = []
    for i, (word, ch, at) in enumerate(slots):
        face = stack.face_for(ch)
        assert face is not None, "coverage is checked before effects"
        x = left + at * squeeze
        end = not (i + 1 < len(slots) and slots[i + 1][0] == word)
        reach = (letters[ch].advance * unit if end else slots[i + 1][2] - at) * squeeze
        natural = face.advances[ord(ch)] * size / 1000.0
        stretch = round(100.0 * reach / natural, 1) if natural else 100.0
        out.append(Hidden(ch, face.name, round(size, 2), int((x + dx) * 100 + 0.5) / 100, y, stretch, end))
    return tuple(out)


def ruled(x_from: float, x_to: float, y: float, stylus: Stylus, rng: random.Random,
          place: Place | None, ink: float) -> list[Stroke]:
    """A rule drawn with the stylus against a ruler: straight, not quite level, its ends
    uneven, its width following the pressure."""
    if stylus.hand is None:
        return [Stroke(((x_from, y), (x_to, y)), stylus.point, ink)]
    shake = 0.3 + 1.4 * (1.0 - stylus.hand)
    uniform = rng.uniform
    start = x_from + uniform(-2.5, 3.0) * shake
    end = x_to + uniform(-3.0, 2.5) * shake
    rise = uniform(-0.9, 0.9) * shake
    y += uniform(-0.5, 0.5) * shake
    pieces = 8
    press, phase = uniform(0.9, 1.1), uniform(0, 2 * math.pi)
    out: list[Stroke] = []
    for i in range(pieces):
        t0, t1 = i / pieces, (i + 1) / pieces
        a = (start + (end - start) * t0, y + rise * t0)
        b = (start + (end - start) * t1, y + rise * t1)
        if place is not None:
            a, b = place(*a), place(*b)
        w = stylus.point * press * (1.0 + 0.12 * math.sin(math.pi * 1.3 * t0 + phase))
        out.append(Stroke((_rounded(a), _rounded(b)), int(w * 20 + 0.5) / 20, ink))
    return out


def _rounded(p: tuple[float, float]) -> tuple[float, float]:
    return (int(p[0] * 100 + 0.5) / 100, int(p[1] * 100 + 0.5) / 100)


def _quantised(ink: float) -> float:
    step = int(ink * 20 + 0.5)
    return 1.0 if step >= 20 else 0.35 if step < 7 else step / 20


def typed_figure(glyphs: tuple[Glyph, ...], cell: float, stack: FaceStack, after: int, row: int) -> Lettering:
    """A letterhead typed in spaced capitals, as a figure: each struck letter drawn as its
    outline (text extractors would read spaced letters as words of one letter), and its words
    as hidden text, each character stretched to reach the next letter of its word."""
    return LETTERINGS.made(("typed", glyphs, cell, stack.fingerprint, after, row),
                           lambda: _typed_figure(glyphs, cell, stack, after, row))


def _typed_figure(glyphs: tuple[Glyph, ...], cell: float, stack: FaceStack, after: int, row: int) -> Lettering:
    from ..outlines import outline  # only a typed head needs it: not imported by other builds

    shapes: list[Shape] = []
    for char, face_name, size, x, y, ink, weight in glyphs:
        face = stack.face_for(char)
        assert face is not None, "coverage is checked before effects"
        contours = tuple(tuple((_hundredth(x + px * size), _hundredth(y + py * size)) for px, py in contour)
                         for contour in outline(face, char))
        if contours:
            shapes.append(Shape(contours, ink, weight))
    text: list[Hidden] = []
    y = glyphs[0].y if glyphs else 0.0
    for i, (char, face_name, size, x, _, _, _) in enumerate(glyphs):
        face = stack.face_for(char)
        assert face is not None
        natural = face.advances[ord(char)] * size * SPACED_TEXT / 1000.0
        reach = natural
        end = not (i + 1 < len(glyphs) and glyphs[i + 1].x - x < 3 * cell)  # else the next letter of its word
        if not end:
            reach = glyphs[i + 1].x - x
        stretch = round(100.0 * reach / natural, 1) if natural else 100.0
        text.append(Hidden(char, face_name, size * SPACED_TEXT, x, y, stretch, end))
    return Lettering((), tuple(text), after, tuple(shapes), row)


def _hundredth(value: float) -> float:
    return int(value * 100 + 100000.5) / 100 - 1000
