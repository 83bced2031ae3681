"""Paper sizes, type pitches and line spacings to the page's grid of character cells."""

from __future__ import annotations

from dataclasses import dataclass

POINTS_PER_INCH = 72.0
HALF_LINES_PER_INCH = 12  # the platen ratchets in half lines: 6 lines per inch, single spaced

PAPERS: dict[str, tuple[float, float]] = {  # width, height in inches
    "foolscap": (8.0, 13.0),
    "quarto": (8.0, 10.0),
    "a4": (210 / 25.4, 297 / 25.4),
    "letter": (8.5, 11.0),
    "a5": (148 / 25.4, 210 / 25.4),  # half an A4 sheet: a booklet's page
    "half-letter": (5.5, 8.5),  # half a letter sheet
}
PITCHES: dict[str, int] = {"pica": 10, "elite": 12}  # characters per inch
SPACINGS: dict[str, int] = {"single": 2, "one-and-a-half": 3, "double": 4}  # half lines a line

BELL_CELLS = 8  # the margin bell rings this many cells before the right stop


@dataclass(frozen=True)
class Margins:
    """Margins in inches: the typist's stops and the first and last lines."""

    left: float = 1.0
    right: float = 0.75
    top: float = 1.0
    bottom: float = 1.0


TYPIST = Margins()


@dataclass(frozen=True)
class Grid:
    """The page as the typist sees it: cells across, half-line rows down, and the stops."""

    paper: str
    pitch: str
    width_pt: float
    height_pt: float
    columns: int  # cells across the whole sheet
    rows: int  # half-line rows down the whole sheet
    left: int  # the left margin stop (first typed cell)
    right: int  # the right margin stop (one past the last typed cell)
    top: int  # row of the first line of the body
    bottom: int  # last row a body line may be typed on
    line_step: int  # half-line rows a carriage return advances
    reflow: str = ""  # a reading edition's grid: lines kept as typed that are too wide are set
    # smaller with this note under them, and tables close up their stops, instead of an error

    @property
    def cell_pt(self) -> float:
        return POINTS_PER_INCH / PITCHES[self.pitch]

    @property
    def row_pt(self) -> float:
        return POINTS_PER_INCH / HALF_LINES_PER_INCH

    @property
    def measure(self) -> int:
        """Cells from the left stop to the right stop: the longest line."""
        return self.right - self.left

    @property
    def centre(self) -> int:
        return self.left + self.measure // 2


def make_grid(paper: str, pitch: str, spacing: str, margins: Margins = TYPIST) -> Grid:
    """The grid for a paper, pitch and spacing (names already validated)."""
    width_in, height_in = PAPERS[paper]
    cpi = PITCHES[pitch]
    columns = int(width_in * cpi + 1e-9)
    rows = int(height_in * HALF_LINES_PER_INCH + 1e-9)
    left = round(margins.left * cpi)
    right = columns - round(margins.right * cpi)
    top = round(margins.top * HALF_LINES_PER_INCH) + 2  # baseline of the first line
    bottom = rows - round(margins.bottom * HALF_LINES_PER_INCH)
    return Grid(
        paper=paper,
        pitch=pitch,
        width_pt=width_in * POINTS_PER_INCH,
        height_pt=height_in * POINTS_PER_INCH,
        columns=columns,
        rows=rows,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        line_step=SPACINGS[spacing],
    )
