"""A seed and a machine's name to its worn typewriter: the lasting defect of every letter."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# How far a worn type bar may sit from true, within what text extractors tolerate: poppler
# starts a new word where a baseline moves 0.5 pt within a word, or a gap opens of about
# 0.55 pt (0.3 pt before a turned glyph); the effects keep each strike inside those.
MAX_DEFECT_DY = 0.12
MAX_DEFECT_DX = 0.22


@dataclass(frozen=True)
class Defect:
    """How one type bar strikes, every time: off its line, off centre, light or heavy.

    No lean: a glyph turned even 2 degrees makes poppler split the words around it on a full
    page (measured), so a leaning bar is not imitated."""

    dx: float = 0.0
    dy: float = 0.0
    ink: float = 1.0


NONE = Defect()


@dataclass
class Machine:
    """A typewriter identified by a seed and a name: the same letter carries the same defect
    wherever it is struck, on every page of every part typed on this machine."""

    seed: int
    name: str
    _defects: dict[str, Defect] = field(default_factory=dict, repr=False)

    def defect(self, char: str) -> Defect:
        found = self._defects.get(char)
        if found is None:
            found = self._defects[char] = _draw(random.Random(f"{self.seed}:{self.name}:{char}"))
        return found


def _draw(rng: random.Random) -> Defect:
    """Most bars are nearly true; a few sit high or low, off centre, or print light."""
    dy = rng.uniform(-0.04, 0.04)
    dx = rng.uniform(-0.08, 0.08)
    ink = rng.uniform(0.94, 1.0)
    worn = rng.random()
    if worn < 0.18:
        dy = rng.choice((-1, 1)) * rng.uniform(0.07, MAX_DEFECT_DY)
    elif worn < 0.40:
        dx = rng.choice((-1, 1)) * rng.uniform(0.15, MAX_DEFECT_DX)
    elif worn < 0.48:
        ink = rng.uniform(0.8, 0.88)
    return Defect(dx, dy, ink)
