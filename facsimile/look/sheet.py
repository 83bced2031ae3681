"""What the backend draws, in points: glyphs by line, strokes and dots on a sheet of paper."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class Glyph(NamedTuple):
    """One struck character: face, size, where its origin lands, ink and weight.

    ink: 1.0 is full black, lower prints lighter; weight: extra stroke width in points that
    thickens the glyph as ink spreading through a stencil does (0 is a plain fill).
    """

    char: str
    face: str
    size: float
    x: float
    y: float
    ink: float = 1.0
    weight: float = 0.0


@dataclass(frozen=True)
class Stroke:
    """A line drawn on the sheet (an underscore, a rule), as a polyline."""

    points: tuple[tuple[float, float], ...]
    width: float
    ink: float = 1.0


@dataclass(frozen=True)
class Dot:
    """A filled circle: a speck of ink, or a counter filled in."""

    x: float
    y: float
    radius: float
    ink: float = 1.0


class Hidden(NamedTuple):
    """A character of lettered words, as invisible text over the strokes that letter it: its
    origin on the guide line and its horizontal scale (per cent), so that it spans its letter;
    end: whether it ends a word (a space follows it, for readers that take no gaps)."""

    char: str
    face: str
    size: float
    x: float
    y: float
    stretch: float
    end: bool = False


@dataclass(frozen=True)
class Shape:
    """A typed letter drawn as a figure, not as text: its outline as closed polygons in points,
    filled, and stroked at weight (ink spreading)."""

    contours: tuple[tuple[tuple[float, float], ...], ...]
    ink: float = 1.0
    weight: float = 0.0


@dataclass(frozen=True)
class Lettering:
    """A letterhead line drawn as a figure with its words as content: lettered on the stencil
    with a stylus (strokes), or typed in spaced capitals (shapes); the hidden text is what
    extractors and search read; after: how many typed lines of the sheet precede it; row: the
    grid row of the typed line it stands for."""

    strokes: tuple[Stroke, ...]
    text: tuple[Hidden, ...]
    after: int = 0
    shapes: tuple[Shape, ...] = ()
    row: int = -1


@dataclass(frozen=True)
class Sheet:
    """One page as drawn: its size, its text lines (one text object each), strokes and dots,
    and its lettered lines."""

    width: float
    height: float
    lines: tuple[tuple[Glyph, ...], ...]
    strokes: tuple[Stroke, ...] = ()
    dots: tuple[Dot, ...] = ()
    tone: tuple[float, float, float] | None = None
    lettering: tuple[Lettering, ...] = ()
    actual: tuple[str, ...] = ()  # for the first lines, the text extractors read instead ("": none)
