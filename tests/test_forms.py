"""The typist's forms of issue 12: spaced letters, tab stops and tables, lists, quotes, space."""

from __future__ import annotations

from pathlib import Path

import pytest

from facsimile.build import build_document
from facsimile.errors import SourceError
from facsimile.layout.grid import to_text
from tests.helpers import have, pdfium_words, pdftotext_words, pypdf_words, typeset_document


def extracted(pdf: Path) -> dict[str, list[str]]:
    found = {"pypdf": pypdf_words(pdf), "pdfium": pdfium_words(pdf)}
    if have("pdftotext"):
        found["pdftotext"] = pdftotext_words(pdf)
    return found


def lines_of(folder: Path, **overrides: str) -> list[str]:
    _, parts = typeset_document(folder, **overrides)
    return [line.rstrip() for part in parts for page in part.pages for line in to_text(page).split("\n")]


# --- spaced letters ------------------------------------------------------------------------------

SPACED = """\
@spaced
WORKERS OF THE WORLD

Come on ~Sunday next~ to hear the case for ~SOCIALISM~ put plainly, and bring *your* friends.
"""


def test_spaced_letters_are_typed_a_cell_apart_and_three_between_words(make_document):
    lines = [line.strip() for line in lines_of(make_document({"a.txt": SPACED})) if line.strip()]
    assert lines[0] == "W O R K E R S   O F   T H E   W O R L D"
    assert "on   S u n d a y   n e x t   to hear" in " ".join(lines[1:])
    folder = make_document({"b.txt": "The case for ~SOCIALISM~, and ~it~.\n"}, name="b")
    assert lines_of(folder)[0].strip() == "The case for   S O C I A L I S M, and   i t."


@pytest.mark.parametrize("look", ["clean", "cyclostyle"])
@pytest.mark.parametrize("emphasis", ["underscore", "spaced"])
def test_spaced_letters_read_back_as_words_in_every_extractor(make_document, tmp_path, look, emphasis):
    folder = make_document({"a.txt": SPACED}, extra=f'look = "{look}"\nemphasis = "{emphasis}"\n'
                                                    'letterhead = "spaced"')
    pdf = build_document(folder, tmp_path / "out").path
    want = "WORKERS OF THE WORLD Come on Sunday next to hear the case for SOCIALISM put plainly, " \
           "and bring your friends.".split()
    for name, words in extracted(pdf).items():
        assert words == want, name


def test_an_unclosed_tilde_is_an_error_at_its_place(make_document):
    folder = make_document({"a.txt": "One ~two three.\n"})
    with pytest.raises(SourceError) as caught:
        typeset_document(folder)
    (problem,) = caught.value.diagnostics
    assert (problem.pos.line, problem.pos.col) == (1, 5) and "~~" in problem.message
