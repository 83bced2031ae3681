"""The corpus of issue 12: five short documents of the period's shapes, built in every look, on
foolscap, quarto and A4, in pica and elite, and as handouts, every word read back in order."""

from __future__ import annotations

from pathlib import Path

import pytest

from facsimile.build import build_document
from facsimile.handout.build import build_handout
from facsimile.handout.options import HandoutOptions
from tests.helpers import have, pdfium_words, pdftotext_words, pypdf_words, typeset_document
from tests.reading import handout_words, in_order, read_words

CORPUS = Path(__file__).parent / "corpus"
DOCUMENTS = ("meeting-notice", "branch-minutes", "letter-with-postscript", "numbered-report", "spaced-leaflet")
PAPERS = ("foolscap", "quarto", "a4")
PITCHES = ("pica", "elite")
HEADING_KINDS = ("heading", "centre", "spaced")
needs_poppler = pytest.mark.skipif(not have("pdftotext"), reason="poppler-utils is not installed")


def check_extractors(pdf: Path, want: list[str]) -> None:
    assert pypdf_words(pdf) == want, "pypdf"
    assert pdfium_words(pdf) == want, "pdfium"
    if have("pdftotext"):
        assert pdftotext_words(pdf) == want, "pdftotext"


@pytest.mark.parametrize("pitch", PITCHES)
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_word_in_order_on_every_paper_and_pitch(tmp_path, name, paper, pitch):
    options = {"paper": paper, "pitch": pitch, "look": "clean"}
    _, parts = typeset_document(CORPUS / name, **options)
    pdf = build_document(CORPUS / name, tmp_path, options).path
    check_extractors(pdf, read_words(parts))
    for part in parts:  # never a heading, a section number or a lead-in alone at a page's foot
        for page in part.pages[:-1]:
            last = [p.line for p in page.lines if p.line.role not in ("folio", "continuation")][-1]
            assert last.kind not in HEADING_KINDS and not last.text.rstrip().endswith(":"), (page.number, last.text)


# The looks with their effects: each document once, on a paper and pitch that turn with it.
SAMPLES = [(name, look, PAPERS[n % 3], PITCHES[(n + i) % 2])
           for n, name in enumerate(DOCUMENTS) for i, look in enumerate(("cyclostyle", "typescript"))]


@pytest.mark.parametrize("name, look, paper, pitch", SAMPLES)
def test_every_word_in_order_in_the_looks(tmp_path, name, look, paper, pitch):
    options = {"paper": paper, "pitch": pitch, "look": look}
    _, parts = typeset_document(CORPUS / name, **options)
    pdf = build_document(CORPUS / name, tmp_path, options).path
    check_extractors(pdf, read_words(parts))


@needs_poppler
@pytest.mark.parametrize("layout", ["single", "booklet"])
@pytest.mark.parametrize("edition", ["reading", "facsimile"])
@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_document_builds_as_every_handout_with_its_words_in_order(tmp_path, name, edition, layout):
    pdf = build_handout(CORPUS / name, tmp_path, HandoutOptions(layout=layout, edition=edition)).path
    _, parts = typeset_document(CORPUS / name)
    body = read_words(parts, chrome=False)
    # each handout page read where it lies on its sheet, as held: the body's words in order,
    # among the cover's and the margins' paragraph numbers
    for extractor, words in handout_words(pdf, tmp_path).items():
        assert in_order(body, words) == len(body), extractor


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_typed_text_layer_reads_tables_by_row_with_the_keys_struck(tmp_path, name):
    options = {"text_layer": "typed", "pitch": "pica"}
    _, parts = typeset_document(CORPUS / name, **options)
    pdf = build_document(CORPUS / name, tmp_path, options).path
    check_extractors(pdf, read_words(parts))
