"""The archival PDF as an archivist checks it: PDF/A rules, XMP, associated files, colophon."""

from __future__ import annotations

import subprocess
import sys
import xml.dom.minidom

import pytest

from facsimile.build import build_document
from facsimile.pdf.catalog import icc_profile
from facsimile.pdf.tags import SUBSTITUTED
from tests.conftest import PAMPHLET, ROOT
from tests.helpers import actual_texts, have, pdftotext_words
from tests.pdfa import RULES, _xmp_values, problems


def xmp(pdf):
    from pypdf import PdfReader

    return xml.dom.minidom.parseString(PdfReader(pdf).trailer["/Root"]["/Metadata"].get_object().get_data())


def test_document_4_keeps_every_rule_checked(built_pamphlet):
    assert problems(built_pamphlet) == []


def test_the_rules_find_what_a_pdf_without_pdf_a_lacks(tmp_path):
    pdf = build_document(PAMPHLET, tmp_path, {"pdf_a": False}).path
    found = problems(pdf)
    assert RULES[3] in found and RULES[5] in found
    assert len(pdf.read_bytes()) < len(build_document(PAMPHLET, tmp_path / "a").path.read_bytes())


def test_the_xmp_is_the_catalogue_record(built_pamphlet):
    dom = xmp(built_pamphlet)
    assert _xmp_values(dom, "dc", "title") == ["To the Delegates to the Party Congress"]
    assert _xmp_values(dom, "dc", "date") == ["1932-11-07"]
    assert _xmp_values(dom, "dc", "creator")[0].startswith("The British Group of the Left Opposition")
    (source,) = _xmp_values(dom, "dc", "source")
    assert "Reg Groves" in source and "https://www.marxists.org/history/etol/" in source
    assert _xmp_values(dom, "dc", "rights") and _xmp_values(dom, "dc", "language") == ["en-GB"]
    fx = dom.getElementsByTagName("fx:edition")[0].firstChild.data
    assert fx == "facsimile"
    statement = dom.getElementsByTagName("fx:statement")[0].firstChild.data
    assert "not a scan" in statement and "1932-11-07" in statement and "seed 1932" in statement
    assert "5 editorial corrections" in statement


def test_the_diplomatic_edition_says_so(tmp_path):
    dom = xmp(build_document(PAMPHLET, tmp_path, diplomatic=True).path)
    assert dom.getElementsByTagName("fx:edition")[0].firstChild.data == "diplomatic"
    assert "exactly as received" in dom.getElementsByTagName("fx:statement")[0].firstChild.data


def test_the_sources_are_associated_files_with_types_and_dates(tmp_path, monkeypatch):
    from pypdf import PdfReader

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pdf = build_document(PAMPHLET, tmp_path).path
    root = PdfReader(pdf).trailer["/Root"]
    specs = [spec.get_object() for spec in root["/AF"]]
    names = [str(spec["/UF"]) for spec in specs]
    assert names == sorted(names) and "letter.txt" in names and "document.toml" in names
    for spec in specs:
        stream = spec["/EF"]["/F"].get_object()
        assert spec["/AFRelationship"] == "/Source"
        assert stream["/Subtype"] == ("/application/toml" if spec["/F"].endswith(".toml") else "/text/plain")
        assert stream["/Params"]["/ModDate"] == "D:20231114221320+00'00'"
        assert stream.get_data() == (PAMPHLET / str(spec["/F"])).read_bytes()
    assert _xmp_values(xmp(pdf), "xmp", "CreateDate") == ["2023-11-14T22:13:20Z"]
    assert problems(pdf) == []


def test_the_output_intent_carries_the_shipped_srgb_profile(built_pamphlet):
    from pypdf import PdfReader

    (intent,) = PdfReader(built_pamphlet).trailer["/Root"]["/OutputIntents"]
    assert intent["/OutputConditionIdentifier"] == "sRGB IEC61966-2.1"
    assert intent["/DestOutputProfile"].get_object().get_data() == icc_profile()


def test_the_colophon_is_off_by_default_and_a_last_page_when_asked(tmp_path, built_pamphlet):
    from pypdf import PdfReader

    pdf = build_document(PAMPHLET, tmp_path, {"colophon": True}).path
    reader = PdfReader(pdf)
    assert len(reader.pages) == len(PdfReader(built_pamphlet).pages) + 1
    assert reader.page_labels[-1] == "C-1" and reader.outline[-1]["/Title"] == "Colophon"
    last = " ".join(reader.pages[-1].extract_text().split())
    assert last.startswith("This is not a scan of the original sheets of 1932-11-07.")
    assert "seed 1932" in last and "Balham Group office typewriter" in last
    statement = xmp(pdf).getElementsByTagName("fx:statement")[0].firstChild.data
    assert " ".join(statement.split()) == last
    if have("pdftotext"):
        assert "Colophon" not in pdftotext_words(built_pamphlet)
    assert problems(pdf) == []


def test_a_text_only_build_never_imports_pypdf(tmp_path):
    code = ("import sys; from facsimile.build import build_document; "
            f"build_document({str(PAMPHLET)!r}, {str(tmp_path)!r}, use_cache=False); "
            "print('pypdf' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_same_source_and_date_give_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = build_document(PAMPHLET, tmp_path / "a", {"colophon": True}, use_cache=False).path.read_bytes()
    again = build_document(PAMPHLET, tmp_path / "b", {"colophon": True}, use_cache=False).path.read_bytes()
    assert first == again


@pytest.mark.skipif(not have("qpdf"), reason="qpdf is not installed")
def test_qpdf_finds_nothing_wrong_with_the_archival_pdf(tmp_path):
    pdf = build_document(PAMPHLET, tmp_path, {"colophon": True}).path
    result = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert result.returncode == 0 and "No syntax or stream encoding errors" in result.stdout


@pytest.mark.parametrize("fast", [True, False])
def test_the_flags_reach_the_build_on_both_command_lines(tmp_path, fast):
    from pypdf import PdfReader

    args = ["build", str(PAMPHLET), "-o", str(tmp_path), "--colophon", "--no-pdf-a", "--text-layer", "typed", "-q"]
    if fast:  # the plain parser of launch.py
        run = subprocess.run([sys.executable, "-m", "facsimile", *args], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
    else:  # click, as an unusual spelling sends it there
        from click.testing import CliRunner

        from facsimile.cli import main

        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
    pdf = tmp_path / f"{PAMPHLET.name}.pdf"
    reader = PdfReader(pdf)
    assert reader.page_labels[-1] == "C-1" and "/OutputIntents" not in reader.trailer["/Root"]
    content = b"".join(p.get_contents().get_data() for p in reader.pages)
    assert all(not set(text) & SUBSTITUTED for text in actual_texts(content))  # the keys struck, as typed


CORPUS_DOCUMENTS = sorted(p.parent for p in (ROOT / "tests" / "corpus").glob("*/document.toml"))


@pytest.mark.parametrize("folder", CORPUS_DOCUMENTS, ids=lambda p: p.name)
def test_every_corpus_document_keeps_every_rule_checked(tmp_path, monkeypatch, folder):
    """Documents of other shapes (lists, tables, no provenance dates) keep the rules too; an
    embedded file with no date known carries the epoch's, never the clock's."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    pdf = build_document(folder, tmp_path, use_cache=False).path
    assert problems(pdf) == []


def test_the_manifests_language_is_the_pdfs(tmp_path):
    """A document in German says so: catalog /Lang, XMP dc:language; a bad tag is an error at its line."""
    import shutil

    from pypdf import PdfReader

    from facsimile.errors import SourceError

    folder = tmp_path / "source" / "german"
    shutil.copytree(ROOT / "tests" / "corpus" / "meeting-notice", folder)
    manifest = folder / "document.toml"
    manifest.write_text('lang = "de"\n' + manifest.read_text("utf-8"), "utf-8")
    pdf = build_document(folder, tmp_path / "out").path
    assert PdfReader(pdf).trailer["/Root"]["/Lang"] == "de"
    assert _xmp_values(xmp(pdf), "dc", "language") == ["de"]
    assert problems(pdf) == []
    manifest.write_text(manifest.read_text("utf-8").replace('lang = "de"', 'lang = "German"'), "utf-8")
    with pytest.raises(SourceError) as caught:
        build_document(folder, tmp_path / "out2")
    (found,) = [d for d in caught.value.diagnostics if "'lang'" in d.message]
    assert found.pos.line == 1


def test_a_huge_language_tag_is_refused_at_its_line(tmp_path):
    """A 'lang' of a megabyte of well-formed subtags would fill /Lang and the XMP: an error at its line, no PDF."""
    import shutil

    from click.testing import CliRunner

    from facsimile.cli import main

    folder = tmp_path / "source" / "huge-lang"
    shutil.copytree(ROOT / "tests" / "corpus" / "meeting-notice", folder)
    manifest = folder / "document.toml"
    manifest.write_text('lang = "en' + "-abcdefgh" * 100_000 + '"\n' + manifest.read_text("utf-8"), "utf-8")
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "document.toml:1:1: error: 'lang' is the language of the text" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / "huge-lang.pdf").exists()
