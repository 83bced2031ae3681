"""Where facsimile finds what it ships: the fonts folder ($FACSIMILE_FONTS, else beside the package)."""

from __future__ import annotations

import os
from pathlib import Path


def fonts_folder() -> Path:
    """The folder of shipped fonts: $FACSIMILE_FONTS, else fonts/ beside the package."""
    env = os.environ.get("FACSIMILE_FONTS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "fonts"
