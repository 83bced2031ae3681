"""Words with their spacing to lines, greedily, as a typist breaks them at the margin bell."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class Token:
    """A word to type: its width in cells, the spaces typed before it, and whether a line may
    break before it (a spaced dash stays with the words on either side of it)."""

    width: int
    space_before: int = 1
    glue: bool = False


class WordTooLong(Exception):
    """A word wider than the line: the typist could not type it without breaking it."""

    def __init__(self, index: int, width: int, measure: int) -> None:
        super().__init__(index, width, measure)
        self.index, self.width, self.measure = index, width, measure


def wrap(tokens: Sequence[Token], measure: int, indent: int = 0) -> list[list[int]]:
    """Break tokens into lines no wider than measure cells; the first line starts indent cells in.

    Greedy: a word goes on the line if it ends at or before the right stop (the bell rings
    eight cells earlier; the typist finishes a word that fits). Returns the token indices of
    each line. A word wider than the whole line raises WordTooLong.
    """
    lines: list[list[int]] = []
    current: list[int] = []
    used = indent
    groups = _groups(tokens)
    for group in groups:
        for i in group:
            if tokens[i].width > measure:
                raise WordTooLong(i, tokens[i].width, measure)
        width = sum(tokens[i].width for i in group) + sum(tokens[i].space_before for i in group[1:])
        available = measure
        if current and used + tokens[group[0]].space_before + width <= available:
            current.extend(group)
            used += tokens[group[0]].space_before + width
            continue
        if current:
            lines.append(current)
            current, used = [], 0
        start = indent if not lines else 0
        if start + width <= available:
            current, used = list(group), start + width
            continue
        # A glued group wider than the line: break inside it after all, word by word.
        for i in group:
            if current and used + tokens[i].space_before + tokens[i].width <= available:
                current.append(i)
                used += tokens[i].space_before + tokens[i].width
            else:
                if current:
                    lines.append(current)
                start = indent if not lines else 0
                if start + tokens[i].width > available:
                    start = 0
                current, used = [i], start + tokens[i].width
    if current:
        lines.append(current)
    return lines


def _groups(tokens: Sequence[Token]) -> list[list[int]]:
    groups: list[list[int]] = []
    for i, token in enumerate(tokens):
        if token.glue and groups:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def wrap_text(text: str, measure: int, indent: int = 0) -> list[str]:
    """Wrap plain words separated by single spaces: the breaker as tests and docs show it."""
    words = text.split()
    tokens = [Token(len(w), glue=w in ("-", "--") or n > 0 and words[n - 1] in ("-", "--"))
              for n, w in enumerate(words)]
    return [(" " * indent if n == 0 else "") + " ".join(words[i] for i in line)
            for n, line in enumerate(wrap(tokens, measure, indent))]
