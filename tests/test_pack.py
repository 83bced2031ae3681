"""Reading packs: pack.toml to one volume with contents, nested bookmarks, labels, one copy of
each face and every document's sources; and handouts of a pack."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from facsimile.build import build_document
from facsimile.cli import main
from facsimile.handout.build import HandoutOptions, build_handout
from facsimile.importer import import_transcription, write_folder
from facsimile.pack import build_pack
from tests.conftest import PAMPHLET, ROOT
from tests.helpers import have, pdfium_words, pdftotext_words, pypdf_words

CORPUS = ROOT / "tests" / "corpus" / "import"
PACK = """\
title = "Readings for March"
author = "A reading group"
documents = ["../balham-group-document-4", "../letter-dear-comrades", "../militant-page"]
introduction = "introduction.txt"
"""
EXTRACTORS = [pypdf_words, pdfium_words] + ([pdftotext_words] if have("pdftotext") else [])


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Document 4 and two imported documents under source/, and a pack of the three."""
    root = tmp_path_factory.mktemp("pack")
    shutil.copytree(PAMPHLET, root / "source" / PAMPHLET.name)
    for sample in ("letter-dear-comrades.txt", "militant-page.html"):
        write_folder(import_transcription(CORPUS / sample), root / "source" / sample.split(".")[0])
    pack = root / "source" / "march"
    pack.mkdir()
    (pack / "pack.toml").write_text(PACK, "utf-8")
    (pack / "introduction.txt").write_text("@heading Introduction\n\nThree documents read together.\n", "utf-8")
    return root


@pytest.fixture(scope="module")
def volume(project: Path) -> Path:
    return build_pack(project / "source" / "march", project / "out").path


def _outline(reader: PdfReader) -> list[object]:
    def walk(items: list) -> list[object]:  # type: ignore[type-arg]
        out: list[object] = []
        for item in items:
            if isinstance(item, list):
                out.append(walk(item))
            else:
                out.append(item.title)
        return out

    return walk(reader.outline)


def test_bookmarks_are_documents_then_parts(volume: Path) -> None:
    outline = _outline(PdfReader(volume))
    assert outline[:3] == ["Contents", "Introduction", "To the Delegates to the Party Congress"]
    assert outline[3] == ["Covering letter: To the Delegates to the Party Congress (7 November 1932)",
                          "Enclosure 1: Petrograd, 25 October 1917", "Enclosure 2: Prinkipo, 13 October 1932"]
    assert outline[4:6] == ["Letter to the Islington Branch", ["Letter to the Islington Branch (14 March 1933)"]]
    assert outline[6] == "For a Workers’ Defence Guard"


def test_each_document_keeps_its_page_labels(volume: Path) -> None:
    reader = PdfReader(volume)
    assert list(reader.page_labels) == ["C-1", "I-1", "1.L-1", "1.E1-1", "1.E2-1", "1.E2-2", "2.L-1", "3.1"]


def test_one_copy_of_each_face_and_every_source(volume: Path) -> None:
    reader = PdfReader(volume)
    fonts = {page["/Resources"]["/Font"][name].indirect_reference.idnum
             for page in reader.pages for name in page["/Resources"]["/Font"]}
    assert len(fonts) == 2  # the typewriter face and the one for its missing characters
    names = set(reader.attachments)
    assert {"pack.toml", "introduction.txt", "balham-group-document-4/letter.txt",
            "balham-group-document-4/corrections.toml", "letter-dear-comrades/letter.txt",
            "militant-page/text.txt", "militant-page/document.toml"} <= names


def test_the_documents_words_come_back_in_order_after_the_contents(project: Path, volume: Path) -> None:
    alone = [build_document(project / "source" / name, project / "alone", use_cache=False).path
             for name in ("balham-group-document-4", "letter-dear-comrades", "militant-page")]
    for extract in EXTRACTORS:
        words = extract(volume)
        expected = [w for pdf in alone for w in extract(pdf)]
        assert words[-len(expected):] == expected, extract.__name__
        front = words[: len(words) - len(expected)]
        assert front[:3] == ["Readings", "for", "March"] and "Introduction" in front


def test_a_pack_makes_a_booklet(project: Path) -> None:
    report = build_handout(project / "source" / "march", project / "out", HandoutOptions())
    reader = PdfReader(report.path)
    assert report.sheets >= 2 and len(reader.pages) == report.sheets * 2
    titles = [title for title, _ in report.contents]
    assert titles[0] == "Introduction" and any(t.startswith("For a Workers’ Defence Guard") for t in titles)


def test_a_pack_builds_from_the_command_line_with_the_documents(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["build", "source/march", "-o", "cli-out", "-q"])
    assert result.exit_code == 0, result.output
    assert (project / "cli-out" / "march.pdf").is_file()


def test_a_bad_pack_is_one_line_at_its_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    pack = tmp_path / "source" / "bad"
    pack.mkdir(parents=True)
    (pack / "pack.toml").write_text('title = "A pack"\ndocuments = ["../nowhere"]\n', "utf-8")
    result = CliRunner().invoke(main, ["build", "source/bad"])
    assert result.exit_code == 2
    assert result.output.strip() == ("source/bad/pack.toml:2:1: error: '../nowhere' is not a document folder "
                                     "(no source/nowhere/document.toml): correct the path")


def test_a_pack_title_longer_than_three_hundred_characters_is_an_error_at_its_key(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pack's title is the volume's metadata title, its contents heading and a handout's."""
    monkeypatch.chdir(project)
    long = project / "source" / "long"
    long.mkdir()
    (long / "pack.toml").write_text(f'documents = ["../letter-dear-comrades"]\ntitle = "{"x" * 301}"\n', "utf-8")
    result = CliRunner().invoke(main, ["build", "source/long", "-o", "long-out"])
    assert result.exit_code == 2
    assert result.output.strip() == ("source/long/pack.toml:2:1: error: 'title' is 301 characters long, over "
                                     "the limit of 300: shorten it to a line or two (a longer description "
                                     "goes in 'subject')")


@pytest.mark.parametrize("key", ["introduction_title", "contents"])
def test_a_pack_heading_longer_than_three_hundred_characters_is_an_error_at_its_key(
        project: Path, monkeypatch: pytest.MonkeyPatch, key: str) -> None:
    """The introduction's title and the contents' heading are headings and bookmarks too."""
    monkeypatch.chdir(project)
    long = project / "source" / f"long-{key}"
    long.mkdir()
    (long / "pack.toml").write_text(f'title = "A pack"\ndocuments = ["../letter-dear-comrades"]\n'
                                    f'{key} = "{"x" * 301}"\n', "utf-8")
    result = CliRunner().invoke(main, ["build", f"source/long-{key}", "-o", f"long-out-{key}"])
    assert result.exit_code == 2
    assert result.output.strip() == (f"source/long-{key}/pack.toml:3:1: error: '{key}' is 301 characters long, over "
                                     "the limit of 300: shorten it to a line or two (it is a heading and a "
                                     "bookmark)")
    (long / "pack.toml").write_text(f'title = "A pack"\ndocuments = ["../letter-dear-comrades"]\n'
                                    f'{key} = "{"x" * 300}"\n', "utf-8")
    assert CliRunner().invoke(main, ["build", f"source/long-{key}", "-o", f"long-out-{key}"]).exit_code == 0


def test_a_document_listed_twice_is_refused(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    twice = project / "source" / "twice"
    twice.mkdir()
    (twice / "pack.toml").write_text('title = "Twice"\ndocuments = ["../d-one", "../d-one"]\n'.replace(
        "d-one", "letter-dear-comrades"), "utf-8")
    result = CliRunner().invoke(main, ["build", "source/twice", "-o", "twice-out"])
    assert result.exit_code == 2 and "two documents are named 'letter-dear-comrades'" in result.output
    assert not (project / "twice-out" / "twice.pdf").exists()


def test_a_volume_is_tagged_pdf_a_with_a_part_for_each_document(volume: Path) -> None:
    """The volume keeps every rule checked, and its tree nests each document's parts under a
    Part titled with the document, after the contents and the introduction."""
    from tests.pdfa import problems
    from tests.structure import structure_text

    assert problems(volume) == []
    reader = PdfReader(volume)
    (document,) = reader.trailer["/Root"]["/StructTreeRoot"]["/K"]
    tops = [kid.get_object() for kid in document.get_object()["/K"]]
    assert [str(t["/T"]) for t in tops][:2] == ["Contents", "Introduction"]
    documents = tops[2:]
    assert len(documents) == 3 and str(documents[0]["/T"]) == "To the Delegates to the Party Congress"
    assert all(str(kid.get_object()["/S"]) == "/Part" for t in documents for kid in t["/K"])
    words = " ".join(text for _, text in structure_text(volume)).split()
    assert words[:4] == ["Readings", "for", "March", "A"] and "Three" in words


def test_a_pack_handout_is_tagged_pdf_a(project: Path, tmp_path: Path) -> None:
    from tests.pdfa import problems

    report = build_handout(project / "source" / "march", tmp_path, HandoutOptions(layout="single"))
    assert problems(report.path) == []
    assert "not a scan" in " ".join(PdfReader(report.path).pages[-1].extract_text().split())


def test_a_packs_statement_names_its_title_not_its_folder(project: Path, volume: Path, tmp_path: Path) -> None:
    """A pack has no provenance source of its own, and its statement said it was typeset 'from
    the transcription march', the pack folder's name; it names the pack's title."""
    from tests.test_archival import xmp

    report = build_handout(project / "source" / "march", tmp_path, HandoutOptions(layout="single"))
    back = " ".join(PdfReader(report.path).pages[-1].extract_text().split())
    for text in (back, xmp(report.path).getElementsByTagName("fx:statement")[0].firstChild.data,
                 xmp(volume).getElementsByTagName("fx:statement")[0].firstChild.data):
        said = " ".join(text.split())
        assert "from the transcription Readings for March," in said and "transcription march" not in said

