"""The built PDF as a reader finds it: words, bookmarks, labels, fonts, validity, same bytes."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from facsimile.build import build_document
from tests.conftest import PAMPHLET
from tests.helpers import (grid_words, have, pdfium_words, pdftotext_words, pypdf_words, source_words,
                           transcribed_words,
                           typeset_document)


def test_pypdf_gives_back_every_word_in_order(built_pamphlet):
    _, parts = typeset_document(PAMPHLET)
    assert pypdf_words(built_pamphlet) == grid_words(parts)


@pytest.mark.skipif(not have("pdftotext"), reason="poppler-utils is not installed")
def test_pdftotext_gives_back_every_word_in_order(built_pamphlet):
    doc, parts = typeset_document(PAMPHLET)
    assert pdftotext_words(built_pamphlet) == transcribed_words(doc, parts)


def test_pdfium_gives_back_every_word_in_order(built_pamphlet):
    doc, parts = typeset_document(PAMPHLET)
    assert pdfium_words(built_pamphlet) == transcribed_words(doc, parts)


def test_the_typed_words_are_the_sources_words_plus_page_furniture():
    doc, parts = typeset_document(PAMPHLET)
    words = grid_words(parts)
    assert grid_words(parts, chrome=False) == source_words(doc)
    continued = sum(len(p.pages) - 1 for p in parts)
    assert words.count("/over") == continued
    assert len(words) - len(source_words(doc)) == 2 * continued  # '/over' and the page number


def test_a_bookmark_and_page_labels_per_part(built_pamphlet):
    from pypdf import PdfReader

    reader = PdfReader(built_pamphlet)
    titles = [item["/Title"] for item in reader.outline]
    assert titles == ["Covering letter: To the Delegates to the Party Congress (7 November 1932)",
                      "Enclosure 1: Petrograd, 25 October 1917", "Enclosure 2: Prinkipo, 13 October 1932"]
    assert [reader.get_destination_page_number(item) for item in reader.outline] == [0, 1, 2]
    assert reader.page_labels == ["L-1", "E1-1", "E2-1", "E2-2"]


def test_metadata_comes_from_the_manifest(built_pamphlet):
    from pypdf import PdfReader

    info = PdfReader(built_pamphlet).metadata
    assert info.title == "To the Delegates to the Party Congress"
    assert info.author.startswith("The British Group of the Left Opposition")
    assert "Prinkipo" in info.subject and "Balham Group" in info["/Keywords"]


def test_every_page_is_foolscap(built_pamphlet):
    from pypdf import PdfReader

    for page in PdfReader(built_pamphlet).pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (576.0, 936.0)


@pytest.mark.skipif(not have("pdffonts"), reason="poppler-utils is not installed")
def test_every_font_is_embedded_and_its_data_is_not_repeated(built_pamphlet):
    out = subprocess.run(["pdffonts", str(built_pamphlet)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:]]
    assert rows and all(row[-5] == "yes" for row in rows)  # the emb column
    data = built_pamphlet.read_bytes()
    assert data.count(b"/FontFile2") >= 1
    assert data.count(b"/Length1") == len({row[0] for row in rows})  # one font program per face


@pytest.mark.skipif(not have("qpdf"), reason="qpdf is not installed")
def test_qpdf_check_passes(built_pamphlet):
    result = subprocess.run(["qpdf", "--check", str(built_pamphlet)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_build_in_another_folder_gives_identical_bytes(built_pamphlet, tmp_path):
    source = tmp_path / "elsewhere" / "source" / PAMPHLET.name
    shutil.copytree(PAMPHLET, source)
    report = build_document(source, tmp_path / "elsewhere-out")
    assert report.path.read_bytes() == built_pamphlet.read_bytes()


def test_source_date_epoch_sets_the_dates(monkeypatch, tmp_path):
    from pypdf import PdfReader

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    plain = build_document(PAMPHLET, tmp_path / "a").path.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1668816000")
    dated = build_document(PAMPHLET, tmp_path / "b").path
    assert PdfReader(dated).metadata["/CreationDate"] == "D:20221119000000+00'00'"
    assert b"/CreationDate" not in plain


def test_an_edit_in_the_source_reaches_the_pdf(make_document, tmp_path):
    folder = make_document({"a.txt": "The first wording.\n"})
    out = tmp_path / "out"
    build_document(folder, out)
    (folder / "a.txt").write_text("The corrected wording.\n", encoding="utf-8")
    path = build_document(folder, out).path
    assert pypdf_words(path) == ["The", "corrected", "wording."]


def test_a_character_no_font_has_is_an_error_at_every_place(make_document, tmp_path):
    from facsimile.errors import SourceError

    folder = make_document({"a.txt": "One \u4e2d here\n\nand \u4e2d there\n"})
    with pytest.raises(SourceError) as caught:
        build_document(folder, tmp_path / "out")
    found = [str(d) for d in caught.value.diagnostics]
    assert [f.split(": error: ")[0].split(":", 1)[1] for f in found] == ["1:5", "3:5"]
    assert all("U+4E2D CJK UNIFIED IDEOGRAPH-4E2D is in no typeface" in f for f in found)
    assert not (tmp_path / "out").exists()


def test_the_pound_sign_and_ampersand_come_from_the_fallback_face(make_document, tmp_path):
    folder = make_document({"a.txt": "Price \u00a31 & 2d.\n"})
    path = build_document(folder, tmp_path / "out").path
    assert pypdf_words(path) == ["Price", "\u00a31", "&", "2d."]
