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


@dataclass(frozen=True)
class Sheet:
    """One page as drawn: its size, its text lines (one text object each), strokes and dots."""

    width: float
    height: float
    lines: tuple[tuple[Glyph, ...], ...]
    strokes: tuple[Stroke, ...] = ()
    dots: tuple[Dot, ...] = ()
    tone: tuple[float, float, float] | None = None
