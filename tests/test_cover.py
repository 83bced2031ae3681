"""The handout's covers: full titles wrapped, the source named by what it is, no web page
furniture, no underscored editorial text, provenance inside, the colophon at the back."""

from __future__ import annotations

import subprocess
from dataclasses import replace

import pytest

from facsimile.handout.build import HandoutOptions, build_handout
from facsimile.handout.cover import break_address, contents_lines, cover, editorial, inside_cover
from facsimile.handout.reading import Edition, reading_document, reading_grid
from facsimile.layout.typeset import typeset
from facsimile.source.document import load_document
from tests.conftest import PAMPHLET
from tests.helpers import have

needs_poppler = pytest.mark.skipif(not have("pdftotext"), reason="poppler-utils is not installed")


def test_a_long_title_is_wrapped_with_its_page_number_on_its_last_line():
    lines = contents_lines([("Covering letter: To the Delegates to the Party Congress (7 November 1932)", 3),
                            ("Imprint", 12)], 40)
    assert lines == ["Covering letter: To the Delegates to the",
                     "  Party Congress (7 November 1932) ... 3",
                     "Imprint ............................. 12"]
    assert [len(line) for line in lines] == [40, 40, 40]  # the numbers in a column at the right


def test_an_address_too_long_for_the_line_breaks_after_a_slash():
    assert break_address("www.marxists.org/history/etol/document/balham/", 30) == [
        "www.marxists.org/history/etol/", "document/balham/"]


def test_the_cover_types_no_editorial_word_underscored():
    doc = editorial(reading_document(load_document(PAMPHLET)))
    grid = reading_grid(Edition("reading", "a5"))
    parts = [cover(doc, [("Enclosure 2: Prinkipo, 13 October 1932", 5)], grid.measure), inside_cover(doc)]
    for part in typeset(replace(doc, parts=tuple(parts)), grid):
        for page in part.pages:
            for placed in page.lines:
                underscored = "".join(c.char for c in placed.line.cells if c.emphasis).strip()
                assert not underscored or placed.line.kind == "heading", underscored


@needs_poppler
@pytest.mark.parametrize("edition", ["facsimile", "reading"])
def test_covers_name_the_source_and_keep_provenance_inside_and_the_colophon_last(tmp_path, edition):
    report = build_handout(PAMPHLET, tmp_path, HandoutOptions(layout="single", edition=edition))

    def page(n: int) -> str:
        out = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(report.path), "-"],
                             capture_output=True, text=True, check=True).stdout
        return " ".join(out.split())

    first, second, last = page(1), page(2), page(report.pages)
    doc = load_document(PAMPHLET)
    for title, number in report.contents:
        assert title in first, title  # whole, never cut
    given = dict(doc.provenance)
    for key in ("title", "archive"):
        assert given[key] in first
    assert given["address"] in first.replace(" ", "")
    for furniture in ("shared/", "seed/", given["navigation"], given["updated"], "Navigation:"):
        assert furniture not in first + second + last
    assert given["omitted"] in second
    assert "Made with facsimile" in last and "unpack" in last
    assert "This is not a scan of the original sheets of 1932-11-07" in last  # the colophon, by default
    assert ("is clean" in last) == (edition == "reading") and ("seed 1932" in last) == (edition == "facsimile")
    assert first.count("Contents") == 1


def test_a_handout_without_the_colophon_keeps_its_back_cover(tmp_path):
    from pypdf import PdfReader

    report = build_handout(PAMPHLET, tmp_path, HandoutOptions(layout="single", colophon=False))
    last = " ".join(PdfReader(report.path).pages[-1].extract_text().split())
    assert "Made with facsimile" in last and "not a scan" not in last
