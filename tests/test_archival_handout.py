"""Handouts as an archive and a screen reader find them: tagged in the document's order whatever
sheet a page is printed on, PDF/A-3b by the rules we check, printer's marks as artifacts, and
the colophon on the back cover by default."""

from __future__ import annotations

import re
import subprocess

import pytest

from facsimile.handout.build import HandoutOptions, build_handout
from facsimile.source.document import load_document
from tests.conftest import PAMPHLET
from tests.helpers import have, source_words
from tests.pdfa import RULES, problems
from tests.structure import structure_text
from tests.test_tagged import source_elements

KINDS = [("booklet", "facsimile"), ("single", "facsimile"), ("booklet", "reading"), ("2up", "reading")]


@pytest.fixture(scope="module")
def handouts(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], object]:
    root = tmp_path_factory.mktemp("archival-handouts")
    return {(layout, edition): build_handout(PAMPHLET, root / f"{layout}-{edition}",
                                             HandoutOptions(layout=layout, edition=edition), use_cache=False)
            for layout, edition in KINDS}


@pytest.mark.parametrize("kind", KINDS)
def test_every_handout_keeps_every_rule_checked(handouts, kind):
    assert problems(handouts[kind].path) == []


@pytest.mark.parametrize("kind", KINDS)
def test_the_structure_reads_the_document_in_its_own_order_not_the_sheets(handouts, kind):
    read = [(kind_, text.split()) for kind_, text in structure_text(handouts[kind].path)]
    words = [w for _, text in read for w in text]
    position = 0
    for word in source_words(load_document(PAMPHLET), as_typed=False):  # ActualText: the transcription's
        position = words.index(word, position) + 1 if kind[1] == "facsimile" else \
            next(n for n in range(position, len(words)) if re.sub(r"\[\d+\]", "", words[n]).casefold()
                 == word.casefold()) + 1
    if kind[1] == "facsimile":  # the letter's blocks whole and in order, between the covers
        expected = source_elements()
        starts = [n for n in range(len(read)) if read[n:n + len(expected)] == expected]
        assert starts, "the document's blocks are not in the handout's tree as in the build's"
    assert read[0] == ("H2", load_document(PAMPHLET).title.split())  # the cover opens it
    assert "not a scan" in " ".join(words)  # the colophon (a booklet may fold it onto the inside cover)


def test_a_booklet_and_a_single_sheet_handout_hold_one_structure(handouts):
    """Imposition changes where a page is printed, never what the tree reads: the booklet's tree
    holds the same document blocks in the same order as the single-sheet handout's."""
    booklet = [t for _, t in structure_text(handouts[("booklet", "facsimile")].path)]
    single = [t for _, t in structure_text(handouts[("single", "facsimile")].path)]
    numbers = re.compile(r"\.+ \d+")  # the contents' page numbers differ: blanks, the folded cover
    assert sorted(numbers.sub("", t) for t in booklet) == sorted(numbers.sub("", t) for t in single)
    body = [t for t in single if t in booklet]
    assert [t for t in booklet if t in body] == body


@pytest.mark.skipif(not have("pdfinfo"), reason="poppler-utils is not installed")
def test_pdfinfo_reads_the_booklet_tree_through_its_forms(handouts):
    report = handouts[("booklet", "facsimile")]
    out = subprocess.run(["pdfinfo", "-struct-text", str(report.path)], capture_output=True, text=True,
                         check=True).stdout
    parts = re.findall(r'^  Part "(.*)"$', out, re.M)
    doc = load_document(PAMPHLET)
    titles = [part.spec.title for part in doc.parts]
    assert [p for p in parts if p in titles] == [t for t in titles if t in parts]
    assert parts[0] == doc.title and "About this handout" in parts[-1:] + parts[1:2]
    text = " ".join(re.findall(r'^ *"(.*)"$', out, re.M)).split()
    assert "FROM" in text and len(text) > 1000


def test_fold_and_signature_marks_are_printers_artifacts(handouts):
    from pypdf import PdfReader

    reader = PdfReader(handouts[("booklet", "facsimile")].path)
    side = reader.pages[0].get_contents().get_data()
    assert b"/Artifact <</Type /Page>> BDC" in side and side.count(b" re f") >= 2
    for page in reader.pages:
        for form in page["/Resources"]["/XObject"].values():
            assert "/StructParents" in form.get_object()


def test_the_checker_finds_an_untagged_handout(tmp_path, handouts):
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=PdfReader(handouts[("single", "facsimile")].path))
    del writer._root_object[NameObject("/StructTreeRoot")]
    del writer._root_object[NameObject("/OutputIntents")]
    stripped = tmp_path / "stripped.pdf"
    with stripped.open("wb") as out:
        writer.write(out)
    found = problems(stripped)
    assert RULES[5] in found and RULES[9] in found


def test_a_handout_is_the_same_bytes_twice(tmp_path):
    options = HandoutOptions(layout="booklet")
    first = build_handout(PAMPHLET, tmp_path / "a", options, use_cache=False).path.read_bytes()
    second = build_handout(PAMPHLET, tmp_path / "b", options, use_cache=False).path.read_bytes()
    assert first == second


@pytest.mark.skipif(not have("qpdf"), reason="qpdf is not installed")
@pytest.mark.parametrize("kind", KINDS)
def test_qpdf_finds_nothing_wrong(handouts, kind):
    result = subprocess.run(["qpdf", "--check", str(handouts[kind].path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
