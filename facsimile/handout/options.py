"""Handout options to a cache key, and whether the handout they give is already in out/.

Light on purpose: an unchanged handout is answered before the typesetter is imported.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from pathlib import Path


@dataclass(frozen=True)
class HandoutOptions:
    """How the handout is laid out and which edition it carries."""

    layout: str = "booklet"  # booklet, 2up, single
    sheet: str = "a4"  # a4 or letter
    flip: str = "long"  # the edge the printer turns the sheet on: long (most printers) or short
    creep: float | None = None  # mm the innermost sheet of a signature moves towards the fold
    edition: str = "facsimile"  # facsimile or reading
    large_type: bool = False
    line_numbers: bool = False
    signature: int | None = None  # sheets folded together; None: chosen for the stack
    paper_thickness: float = 0.1  # mm a sheet adds to the creep (80 g/m2 office paper)
    colophon: bool = True  # the back cover says what this is and how it was made


def handout_path(folder: Path, out_dir: Path) -> Path:
    return Path(out_dir) / f"{Path(folder).resolve().name}-handout.pdf"


def handout_key(folder: Path, options: HandoutOptions) -> str:
    """The key of a handout: the code, fonts, document files and these options."""
    from ..cache import document_key
    from ..locations import fonts_folder

    return document_key(Path(folder), fonts_folder(), repr(("handout", astuple(options))))


def unchanged_handout(folder: Path, out_dir: Path, options: HandoutOptions) -> tuple[str, Path, bool]:
    """The handout's key, its path, and whether that file is the one this key gives."""
    from ..cache import Cache

    path = handout_path(folder, out_dir)
    if not Path(folder).is_dir():
        return "", path, False
    key = handout_key(folder, options)
    return key, path, Cache(Path(out_dir)).unchanged(path.stem, key, path)
