"""Scanned pages as a screen reader and an archive find them: each a Figure with the manifest's
description (or one naming the part and page), in its part's place among the Parts, in the
build and in a handout."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from facsimile.build import build_document
from facsimile.handout.build import HandoutOptions, build_handout
from tests.conftest import PAMPHLET
from tests.hostile import scan_image
from tests.pdfa import problems
from tests.test_hardening import add_scan

DESCRIPTION = "The first sheet of the letter as duplicated, its letterhead lettered by stylus"


@pytest.fixture
def scanned(tmp_path: Path) -> Path:
    """Document 4 with a scan of one page as its last part, described in the manifest."""
    folder = tmp_path / "source" / PAMPHLET.name
    shutil.copytree(PAMPHLET, folder)
    scan_image(folder / "scan-letter.png", (300, 450))
    add_scan(folder, "scan-letter.png")
    with (folder / "document.toml").open("a", encoding="utf-8") as manifest:
        manifest.write(f'alt = "{DESCRIPTION}"\n')
    return folder


def _figures(pdf: Path) -> list[tuple[str, str, str]]:
    """Each Figure in the tree: its Part's title, its /Alt, and the MCID's sequence type."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    found: list[tuple[str, str, str]] = []

    def walk(node: object, part: str) -> None:
        node = node.get_object()  # type: ignore[attr-defined]
        if node.get("/S") == "/Part":
            part = str(node.get("/T", ""))
        if node.get("/S") == "/Figure":
            kid = node["/K"]
            kid = kid[0] if isinstance(kid, list) else kid
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and "/Stm" in kid:  # in a form: a handout's imposed page
                data = kid["/Stm"].get_object().get_data()
            else:
                contents = node["/Pg"].get_object()["/Contents"].get_object()
                data = b"".join(c.get_object().get_data() for c in contents) if isinstance(contents, list) \
                    else contents.get_data()
            tag = re.search(rb"/(\w+) <</MCID 0>> BDC", data)
            found.append((part, str(node["/Alt"]), "/" + tag.group(1).decode() if tag else ""))
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid_object = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid_object, dict) and "/S" in kid_object:
                walk(kid, part)

    walk(reader.trailer["/Root"]["/StructTreeRoot"], "")
    return found


def test_a_scanned_page_is_a_figure_with_the_manifests_description(scanned, tmp_path):
    pdf = build_document(scanned, tmp_path / "out").path
    assert problems(pdf) == []
    assert _figures(pdf) == [("Scan of the original", DESCRIPTION, "/Figure")]
    from pypdf import PdfReader

    document = PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"]["/K"][0].get_object()
    titles = [str(kid.get_object()["/T"]) for kid in document["/K"]]
    assert titles[-1] == "Scan of the original" and titles[0].startswith("Covering letter")


def test_a_scan_without_a_description_is_named_by_its_part_and_page(scanned, tmp_path):
    manifest = scanned / "document.toml"
    manifest.write_text(manifest.read_text("utf-8").replace(f'alt = "{DESCRIPTION}"\n', ""), "utf-8")
    pdf = build_document(scanned, tmp_path / "out").path
    ((_, alt, _),) = _figures(pdf)
    assert alt == "A scan of the original: Scan of the original, page 1 of 1."


def test_a_handouts_scan_is_a_figure_in_its_form(scanned, tmp_path):
    report = build_handout(scanned, tmp_path / "out", HandoutOptions(), use_cache=False)
    assert problems(report.path) == []
    assert _figures(report.path) == [("Scan of the original", DESCRIPTION, "/Figure")]


def test_a_bad_description_is_an_error_at_its_line(scanned, tmp_path):
    from facsimile.errors import SourceError

    manifest = scanned / "document.toml"
    manifest.write_text(manifest.read_text("utf-8").replace(f'alt = "{DESCRIPTION}"', "alt = 3"), "utf-8")
    with pytest.raises(SourceError) as caught:
        build_document(scanned, tmp_path / "out")
    assert any("'alt' must be a quoted string" in d.message for d in caught.value.diagnostics)


def test_a_description_longer_than_a_thousand_characters_is_an_error_at_its_key(scanned, tmp_path):
    """A pasted transcription as alt went whole into the PDF (a 1 MB alt, a 1.1 MB PDF)."""
    from facsimile.errors import SourceError
    from facsimile.source.document import load_document

    manifest = scanned / "document.toml"
    text = manifest.read_text("utf-8")
    manifest.write_text(text.replace(DESCRIPTION, "x" * 1_000), "utf-8")
    assert load_document(scanned).parts[-1].spec.alt == "x" * 1_000
    manifest.write_text(text.replace(DESCRIPTION, "x" * 1_001), "utf-8")
    with pytest.raises(SourceError) as caught:
        build_document(scanned, tmp_path / "out")
    (problem,) = caught.value.diagnostics
    line = text.splitlines().index(f'alt = "{DESCRIPTION}"') + 1
    assert problem.pos.file.endswith("document.toml") and (problem.pos.line, problem.pos.col) == (line, 1)
    assert problem.message == ("'alt' is 1,001 characters long, over the limit of 1,000: describe the "
                               "scanned page in a sentence or two")


def test_a_packs_scans_are_figures_in_their_documents_parts(scanned, tmp_path):
    """A pack of a document that is only a scan and Document 4 with a scan at its end: each
    Figure in a Part under its document's Part, in the documents' order."""
    from pypdf import PdfReader

    from facsimile.pack import build_pack

    only = scanned.parent / "only-a-scan"
    only.mkdir()
    scan_image(only / "sheet.png", (300, 450))
    (only / "document.toml").write_text('title = "A sheet"\ndate = "1933-01-01"\nauthor = "Someone"\n', "utf-8")
    add_scan(only, "sheet.png", "The sheet")
    pack = scanned.parent / "volume"
    pack.mkdir()
    (pack / "pack.toml").write_text(f'title = "Two"\ndocuments = ["../only-a-scan", "../{scanned.name}"]\n', "utf-8")
    pdf = build_pack(pack, tmp_path / "out").path
    assert problems(pdf) == []
    assert [(part, alt) for part, alt, _ in _figures(pdf)] == [
        ("The sheet", "A scan of the original: The sheet, page 1 of 1."), ("Scan of the original", DESCRIPTION)]
    document = PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"]["/K"][0].get_object()
    tops = [str(kid.get_object()["/T"]) for kid in document["/K"]]
    assert tops == ["Contents", "A sheet", "To the Delegates to the Party Congress"]
    last = document["/K"][2].get_object()["/K"]
    assert str(last[-1].get_object()["/T"]) == "Scan of the original"
