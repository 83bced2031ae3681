"""The lettering guides' faces (guides.txt, from the Hershey fonts) to centre-line strokes.

A guide is a celluloid template: the stylus follows each letter's slot in one even line. Its
letters are polylines in guide units (capitals 21 units tall, y growing upwards from the
baseline), each with the advance the guide gives it. Below every stage: the typist asks which
characters a guide has and how wide its capitals run; the look letters with the strokes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import NamedTuple

GUIDE_FILE = Path(__file__).with_name("guides.txt")
CAP_HEIGHT = 21.0  # guide units from the baseline to the top of a capital
SIZES_MM = (6, 8, 10, 12)  # the heights the guides were sold in
MM = 72 / 25.4  # points in a millimetre


class Letter(NamedTuple):
    """One slot of a guide: its strokes (polylines, guide units, origin at the left bearing on
    the baseline) and its advance."""

    strokes: tuple[tuple[tuple[float, float], ...], ...]
    advance: float


def _letter(data: str) -> Letter:
    left, right = ord(data[0]) - 82, ord(data[1]) - 82
    strokes: list[tuple[tuple[float, float], ...]] = []
    current: list[tuple[float, float]] = []
    body = data[2:]
    for i in range(0, len(body) - 1, 2):
        pair = body[i:i + 2]
        if pair == " R":
            if len(current) > 1:
                strokes.append(tuple(current))
            current = []
        else:
            current.append((float(ord(pair[0]) - 82 - left), float(9 - (ord(pair[1]) - 82))))
    if len(current) > 1:
        strokes.append(tuple(current))
    return Letter(tuple(strokes), float(right - left))


class _Guide(dict[str, Letter]):
    """A guide's letters by character, each read from its line when first asked for."""

    def __init__(self, lines: dict[str, str]) -> None:
        super().__init__()
        self.lines = lines

    def __missing__(self, ch: str) -> Letter:
        letter = self[ch] = _letter(self.lines[ch])
        return letter

    def __contains__(self, ch: object) -> bool:
        return ch in self.lines


@cache
def guides() -> dict[str, _Guide]:
    """Every guide by name (the file is read once a process, a letter when first used)."""
    raw: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in GUIDE_FILE.read_text(encoding="utf-8").split("\n"):
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = raw.setdefault(line.strip("[]"), {})
            continue
        code, _, data = line.partition(" ")
        current[chr(int(code, 16))] = data
    return {name: _Guide(lines) for name, lines in raw.items()}


GUIDE_NAMES = ("gothic", "roman")  # the upright single-stroke gothic most offices had; a roman with serifs


def has_all(guide: str, text: str) -> bool:
    """Whether the guide has a slot for every character of the text."""
    letters = guides()[guide]
    return all(ch in letters for ch in text)


def size_pt(size_mm: int) -> float:
    """A guide's capital height in points."""
    return size_mm * MM
