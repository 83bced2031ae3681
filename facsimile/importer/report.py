"""What the importer guessed, where, and how sure it is: one line each."""

from __future__ import annotations

from dataclasses import dataclass

SURENESS = ("high", "medium", "low")


@dataclass(frozen=True)
class Guess:
    """One guess: the received line it rests on (0 for the whole file), what, and how sure."""

    line: int
    what: str
    sure: str  # high, medium or low

    def show(self, shown: str) -> str:
        where = f"{shown}:{self.line}" if self.line else shown
        return f"{where}: {self.what} ({self.sure})"
