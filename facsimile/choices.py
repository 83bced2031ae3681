"""The names each build option accepts, importable with nothing else (the quick start reads them)."""

PAPER_NAMES = ("foolscap", "quarto", "a4", "letter", "a5", "half-letter")  # layout.paper.PAPERS (a test checks)
PITCH_NAMES = ("pica", "elite")
SPACING_NAMES = ("single", "one-and-a-half", "double")
LOOK_NAMES = ("cyclostyle", "typescript", "clean")
