"""A typeface's character to its outline: closed polygons in ems, as fine as the eye sees.

For a typed letter drawn as a figure rather than as text (a letterhead typed in spaced
capitals carries its words as hidden text; its visible letters must not be read twice). Reads
the glyf table of the face reportlab has already parsed (simple and composite glyphs), follows
its quadratic curves and keeps the points that matter to within TOLERANCE: a worn typewriter
face has a rough edge of some 235 points a capital, and a third of them draw it as well.
"""

from __future__ import annotations

from struct import unpack_from
from typing import Any

from .fonts import Face

Contour = tuple[tuple[float, float], ...]  # a closed polygon, x and y in ems
TOLERANCE = 0.006  # ems: 0.07 pt at a pica type size, a fifth of a pixel at 200 dpi

_ON, _X_SHORT, _Y_SHORT, _REPEAT, _X_SAME, _Y_SAME = 1, 2, 4, 8, 16, 32
_WORDS, _XY, _SCALE, _MORE, _XY_SCALE, _TWO_BY_TWO = 1, 2, 8, 32, 64, 128


_OUTLINES: dict[tuple[str, str], tuple[Contour, ...]] = {}


def outline(face: Face, ch: str) -> tuple[Contour, ...]:
    """The contours of the face's glyph for ch, in ems from its origin (empty for a space)."""
    key = (face.sha256, ch)
    if key not in _OUTLINES:
        ttf = _parsed(face)
        glyph = ttf.charToGlyph.get(ord(ch))
        em = float(ttf.unitsPerEm)
        contours = [] if glyph is None else _glyph(ttf, glyph, 0)
        _OUTLINES[key] = tuple(tuple((x / em, y / em) for x, y in _simplified(_followed(c), TOLERANCE * em))
                               for c in contours if len(c) > 2)
    return _OUTLINES[key]


def _followed(contour: list[tuple[float, float, bool]]) -> list[tuple[float, float]]:
    """A TrueType contour (quadratic, an implied point between two off-curve points) as a
    closed polyline, each curve followed in four steps."""
    start = next((i for i, p in enumerate(contour) if p[2]), None)
    if start is None:  # all off the curve: start halfway between the first two
        (ax, ay, _), (bx, by, _) = contour[0], contour[1]
        first = ((ax + bx) / 2, (ay + by) / 2)
        order = contour[1:] + contour[:1]
    else:
        first = contour[start][:2]
        order = contour[start + 1:] + contour[:start]
    out = [first]
    current = first
    control: tuple[float, float] | None = None
    for x, y, on in order + [(first[0], first[1], True)]:
        if on or control is not None:
            end = (x, y) if on else ((control[0] + x) / 2, (control[1] + y) / 2)  # type: ignore[index]
            if control is None:
                out.append(end)
            else:
                for t in (0.25, 0.5, 0.75, 1.0):
                    u = 1.0 - t
                    out.append((u * u * current[0] + 2 * u * t * control[0] + t * t * end[0],
                                u * u * current[1] + 2 * u * t * control[1] + t * t * end[1]))
            current = end
            control = None
        if not on:
            control = (x, y)
    return out


def _simplified(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """The points of a polyline that keep it within tolerance (Douglas and Peucker)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    spans = [(0, len(points) - 1)]
    while spans:
        a, b = spans.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        dx, dy = bx - ax, by - ay
        length = (dx * dx + dy * dy) ** 0.5
        far, index = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            d = abs(dx * (ay - py) - dy * (ax - px)) / length if length else ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            if d > far:
                far, index = d, i
        if index > 0 and far > tolerance:
            keep[index] = True
            spans.extend(((a, index), (index, b)))
    return [p for p, k in zip(points, keep) if k][:-1]  # closed: the last point is the first


def _parsed(face: Face) -> Any:
    if face.font is not None:
        return face.font.face
    from reportlab.pdfbase.ttfonts import TTFontFile

    return TTFontFile(str(face.path))


def _glyph(ttf: Any, glyph: int, depth: int) -> list[list[tuple[float, float, bool]]]:
    start, end = ttf.glyphPos[glyph], ttf.glyphPos[glyph + 1]
    if end <= start or depth > 4:
        return []
    data = ttf.get_chunk(ttf.get_table_pos("glyf")[0] + start, end - start)
    (count,) = unpack_from(">h", data, 0)
    if count >= 0:
        return _simple(data, count)
    return _composite(ttf, data, depth)


def _simple(data: bytes, count: int) -> list[list[tuple[float, float, bool]]]:
    ends = unpack_from(f">{count}H", data, 10)
    points = ends[-1] + 1 if count else 0
    at = 10 + 2 * count
    (instructions,) = unpack_from(">H", data, at)
    at += 2 + instructions
    flags: list[int] = []
    while len(flags) < points:
        flag = data[at]
        at += 1
        flags.append(flag)
        if flag & _REPEAT:
            flags.extend([flag] * data[at])
            at += 1
    coordinates: list[list[int]] = []
    for short, same in ((_X_SHORT, _X_SAME), (_Y_SHORT, _Y_SAME)):
        values, value = [], 0
        for flag in flags[:points]:
            if flag & short:
                value += data[at] if flag & same else -data[at]
                at += 1
            elif not flag & same:
                value += unpack_from(">h", data, at)[0]
                at += 2
            values.append(value)
        coordinates.append(values)
    xs, ys = coordinates
    contours, first = [], 0
    for last in ends:
        contours.append([(float(xs[i]), float(ys[i]), bool(flags[i] & _ON)) for i in range(first, last + 1)])
        first = last + 1
    return contours


def _composite(ttf: Any, data: bytes, depth: int) -> list[list[tuple[float, float, bool]]]:
    contours: list[list[tuple[float, float, bool]]] = []
    at = 10
    while True:
        flags, component = unpack_from(">HH", data, at)
        at += 4
        if flags & _WORDS:
            dx, dy = unpack_from(">hh", data, at)
            at += 4
        else:
            dx, dy = unpack_from(">bb", data, at)
            at += 2
        a = d = 1.0
        b = c = 0.0
        if flags & _SCALE:
            a = d = unpack_from(">h", data, at)[0] / 16384
            at += 2
        elif flags & _XY_SCALE:
            a, d = (v / 16384 for v in unpack_from(">hh", data, at))
            at += 4
        elif flags & _TWO_BY_TWO:
            a, b, c, d = (v / 16384 for v in unpack_from(">hhhh", data, at))
            at += 8
        if not flags & _XY:
            dx = dy = 0  # point matching: rare in a typewriter face; placed at the origin
        for contour in _glyph(ttf, component, depth + 1):
            contours.append([(a * x + c * y + dx, b * x + d * y + dy, on) for x, y, on in contour])
        if not flags & _MORE:
            return contours
