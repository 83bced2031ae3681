"""The tagged PDF as a screen reader and a checker find it: structure, reading order, artifacts."""

from __future__ import annotations

import re
import subprocess

import pytest

from facsimile.build import build_document
from facsimile.pdf.tags import ROLE_MAP, STANDARD, SUBSTITUTED, structure_type
from facsimile.source.document import load_document
from tests.conftest import PAMPHLET
from tests.helpers import actual_texts, grid_words, have, pdfium_words, pdftotext_words, pypdf_words, typeset_document
from tests.structure import structure_text


def source_elements(folder=PAMPHLET) -> list[tuple[str, list[str]]]:
    """What the structure should hold, read from the source alone: each block's type and its
    words as transcribed (curly quotes and dashes kept), a letterhead in the capitals it is typed in."""
    doc = load_document(folder)
    found: list[tuple[str, list[str]]] = []
    for part in doc.parts:
        for line in part.spec.head:
            found.append((structure_type("copy"), line.split()))
        if part.spec.letterhead:
            found.append((structure_type("letterhead"), " ".join(part.spec.letterhead).upper().split()))
        for block in part.blocks:
            text = " ".join("".join(run.text for run in line) for line in block.lines)
            if block.kind == "letterhead":
                text = text.upper()
            found.append((structure_type(block.kind), text.split()))
    return found


def test_the_structure_tree_reads_the_transcription_block_by_block(built_pamphlet):
    read = [(kind, text.split()) for kind, text in structure_text(built_pamphlet)]
    assert read == source_elements()


def test_the_structure_has_a_part_per_part_with_its_title(built_pamphlet):
    from pypdf import PdfReader

    root = PdfReader(built_pamphlet).trailer["/Root"]
    document = root["/StructTreeRoot"]["/K"][0].get_object()
    assert document["/S"] == "/Document"
    parts = [kid.get_object() for kid in document["/K"]]
    assert [p["/S"] for p in parts] == ["/Part"] * 4
    assert [p["/T"] for p in parts] == [p.spec.title for p in load_document(PAMPHLET).parts]


def test_the_catalog_says_it_is_tagged_in_english(built_pamphlet):
    from pypdf import PdfReader

    reader = PdfReader(built_pamphlet)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 - a PDF boolean
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    tree = root["/StructTreeRoot"]
    role_map = tree["/RoleMap"]
    assert {str(k)[1:]: str(v)[1:] for k, v in role_map.items()} == ROLE_MAP
    assert all(v in STANDARD for v in ROLE_MAP.values())
    nums = tree["/ParentTree"]["/Nums"]
    assert [page["/StructParents"] for page in reader.pages] == list(range(len(reader.pages)))
    assert nums[::2] == list(range(len(reader.pages)))
    assert all(page["/Tabs"] == "/S" for page in reader.pages)


@pytest.mark.skipif(not have("pdfinfo"), reason="poppler-utils is not installed")
def test_pdfinfo_shows_every_word_of_the_structure_in_order(built_pamphlet):
    """poppler's own reading of the tree (it shows the glyphs, not their ActualText)."""
    out = subprocess.run(["pdfinfo", "-struct-text", str(built_pamphlet)], capture_output=True,
                         text=True, check=True).stdout
    assert re.findall(r"^ *(\w+)", out, re.M)[:3] == ["Document", "Part", "H1"]
    text = "".join(re.findall(r'^ *"(.*)"$', out, re.M))
    _, parts = typeset_document(PAMPHLET)
    assert text.split() == grid_words(parts, chrome=False)


def test_page_numbers_and_continuation_marks_are_artifacts(built_pamphlet):
    read = " ".join(text for _, text in structure_text(built_pamphlet)).split()
    assert "/over" not in read and "2" not in read
    assert "/over" in pdftotext_words(built_pamphlet) if have("pdftotext") else True


def test_the_typed_text_layer_gives_the_keys_struck(tmp_path):
    pdf = build_document(PAMPHLET, tmp_path, {"text_layer": "typed"}).path
    _, parts = typeset_document(PAMPHLET)
    # ActualText only over lines that must read as one, and it gives the keys struck
    assert all(not set(text) & SUBSTITUTED for text in actual_texts(_content(pdf)))
    assert pdfium_words(pdf) == grid_words(parts) == pypdf_words(pdf)
    if have("pdftotext"):
        assert pdftotext_words(pdf) == grid_words(parts)
    assert [kind for kind, _ in structure_text(pdf)] == [kind for kind, _ in source_elements()]


def test_spaced_letters_read_as_words(make_document, tmp_path):
    folder = make_document({"letter.txt": "@letterhead\nBalham Group\n\nDear Comrades, *read* this.\n"},
                           extra='letterhead = "spaced"\nemphasis = "spaced"\n')
    pdf = build_document(folder, tmp_path).path
    read = [(kind, text.split()) for kind, text in structure_text(pdf)]
    assert read == [("H1", ["BALHAM", "GROUP"]), ("P", ["Dear", "Comrades,", "read", "this."])]
    words = ["BALHAM", "GROUP", "Dear", "Comrades,", "read", "this."]
    assert pdfium_words(pdf) == words
    if have("pdftotext"):  # in content order: poppler's layout mode sets a spaced word apart as a column
        raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True)
        assert raw.stdout.split() == words
    # pypdf reads no ActualText, but a spaced word's letters are shown without moves between them
    assert pypdf_words(pdf) == words


def _content(pdf) -> bytes:
    from pypdf import PdfReader

    return b"".join(page.get_contents().get_data() for page in PdfReader(pdf).pages)
