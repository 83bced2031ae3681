"""facsimile import: a web transcription (text or HTML) to a document folder that builds at once."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from facsimile.build import build_document
from facsimile.cli import main
from facsimile.importer import import_transcription, write_folder
from facsimile.importer.writer import read_lines
from facsimile.layout.keyboard import typed
from facsimile.source.document import load_document
from tests.conftest import PAMPHLET, ROOT
from tests.helpers import (grid_words, have, pdfium_words, pdftotext_words, pypdf_words, transcribed_words,
                           typeset_document)

SEED = ROOT / "tests" / "corpus" / "seed" / "balham-group-document-4.txt"  # shared/seed, as received
CORPUS = ROOT / "tests" / "corpus" / "import"
SAMPLES = sorted(p.name for p in CORPUS.iterdir())


def test_the_seed_copy_is_the_one_received() -> None:
    shared = next((p / "shared" / "seed" / SEED.name for p in ROOT.parents if (p / "shared" / "seed" / SEED.name).is_file()),
                  None)
    if shared is None:
        pytest.skip("shared/ is not beside this checkout")
    assert SEED.read_bytes() == shared.read_bytes()
EXTRACTORS = [pypdf_words, pdfium_words] + ([pdftotext_words] if have("pdftotext") else [])


def imported(source: Path, folder: Path) -> Path:
    write_folder(import_transcription(source), folder)
    return folder


def received_words(source: Path, manifest: dict) -> list[str]:
    """The transcription's words, less the lines the manifest's provenance keeps."""
    kept: set[str] = set()
    for value in manifest["provenance"].values():
        for text in value if isinstance(value, list) else [value]:
            kept.update(t.strip() for t in str(text).split(" | "))
            kept.add(str(text).strip())
    words: list[str] = []
    for line in read_lines(source):
        plain = line.plain
        pieces = {p.strip() for p in plain.split("|")}
        if plain in kept or (len(pieces) > 1 and pieces <= kept):
            continue
        words.extend(plain.split())
    return words


def part_words(folder: Path) -> list[str]:
    """The words of the part files as the source format reads them (markup taken away)."""
    doc = load_document(folder, diplomatic=True)
    return [w for part in doc.parts for block in part.blocks
            for w in ([block.option.split()[1]] if block.kind == "item" else [])  # a list item's label
            + [w for line in block.lines for w in "".join(run.text for run in line).split()]]


def pdf_matches_grid(folder: Path, pdf: Path) -> None:
    doc, parts = typeset_document(folder)
    for extract in EXTRACTORS:  # pypdf reads the keys struck; poppler and pdfium honour ActualText
        expected = grid_words(parts) if extract is pypdf_words else transcribed_words(doc, parts)
        assert extract(pdf) == expected, extract.__name__


@pytest.fixture(scope="module")
def seed_import(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return imported(SEED, tmp_path_factory.mktemp("seed") / "document-4")


def test_seed_round_trip_gives_the_hand_made_words_in_order(seed_import: Path, tmp_path: Path) -> None:
    hand = tmp_path / "hand"
    shutil.copytree(PAMPHLET, hand)
    manifest = hand / "document.toml"  # the one editorial addition the importer cannot know of
    manifest.write_text(re.sub(r'(?m)^letterhead = \["Military.*\n', "", manifest.read_text("utf-8")), "utf-8")
    ours = build_document(seed_import, tmp_path / "ours", use_cache=False).path
    theirs = build_document(hand, tmp_path / "theirs", diplomatic=True, use_cache=False).path
    for extract in EXTRACTORS:
        assert extract(ours) == extract(theirs), extract.__name__
    pdf_matches_grid(seed_import, ours)


def test_seed_parts_and_directives_are_recognised(seed_import: Path) -> None:
    manifest = tomllib.loads((seed_import / "document.toml").read_text("utf-8"))
    assert [(p["id"], p["kind"]) for p in manifest["parts"]] == [
        ("letter", "letter"), ("enclosure-1", "enclosure"), ("enclosure-2", "enclosure"), ("imprint", "imprint")]
    assert (manifest["title"], manifest["date"], manifest["place"], manifest["author"]) == (
        "To the Delegates to the Party Congress", "1932-11-07", "Battersea", "Reg Groves")
    provenance = manifest["provenance"]
    assert provenance["navigation"] == "Balham Group Index | ETOL Home Page | Document 5"
    assert provenance["updated"] == "Last updated on 27.12.2002"
    assert provenance["heading"][:3] == ["Reg Groves", "The Balham Group", "Document 4"]
    letter = (seed_import / "letter.txt").read_text("utf-8")
    assert letter.startswith("@letterhead\nFrom the British Group of\nThe Left Opposition of the C.I.\n\n"
                             "@date Nov. 7th, 1932.\n\n@to To the Delegates to the Party Congress\n\n")
    assert letter.endswith("@close\nCommunist greetings,\n\n@signature\n"
                           "The British Group of the Left Opposition of the C.I.\n")
    first = (seed_import / "enclosure-1.txt").read_text("utf-8")
    assert "@close\nMilitary Revolutionary Committee,\n" in first and "@signature\nChairman. L. TROTSKY" in first
    assert first.endswith("@date Petrograd, October 25th (7.X1) 1917. 10 a.m.\n")
    assert (seed_import / "enclosure-2.txt").read_text("utf-8").startswith("@date PRINKIPO. Oct. 13th 1932.\n")
    assert (seed_import / "imprint.txt").read_text("utf-8").startswith("@imprint For Iiterature information")
    everything = "".join(p.read_text("utf-8") for p in seed_import.glob("*.txt"))
    for kept in ("Reg Groves", "ETOL Home Page", "Last updated", "Battersea, November 1932"):
        assert kept not in everything


def test_proof_findings_are_suggested_never_applied(seed_import: Path, tmp_path: Path) -> None:
    text = (seed_import / "corrections.toml").read_text("utf-8")
    assert "correction" not in tomllib.loads(text)  # every suggestion is a comment
    assert '# received = "1917, tbe idea"\n# corrected = "1917, the idea"' in text
    assert "tbe idea" in (seed_import / "enclosure-2.txt").read_text("utf-8")
    accepted = tmp_path / "accepted"
    shutil.copytree(seed_import, accepted)  # a user accepts them all by removing the '# '
    (accepted / "corrections.toml").write_text(re.sub(r"(?m)^# (\[\[correction\]\]|part|received|corrected|reason)",
                                                      r"\1", text), "utf-8")
    doc = load_document(accepted)
    assert len(doc.corrections) == 4
    words = [w for part in doc.parts for block in part.blocks for line in block.lines for run in line
             for w in run.text.split()]
    assert "the" in words and "tbe" not in words and "literature" in words and "(7.XI)" in words


@pytest.mark.parametrize("sample", SAMPLES)
def test_each_sample_builds_without_editing_with_every_word_in_order(sample: str, tmp_path: Path) -> None:
    source = CORPUS / sample
    folder = imported(source, tmp_path / "doc")
    manifest = tomllib.loads((folder / "document.toml").read_text("utf-8"))
    heads = [h for part in manifest["parts"] for h in part.get("head", [])]
    assert heads == []  # no enclosure in these samples: nothing added to the text
    assert part_words(folder) == received_words(source, manifest)
    pdf = build_document(folder, tmp_path / "out", use_cache=False).path
    pdf_matches_grid(folder, pdf)


def _import(sample: str, tmp_path: Path) -> tuple[dict, dict[str, str]]:
    folder = imported(CORPUS / sample, tmp_path / "doc")
    manifest = tomllib.loads((folder / "document.toml").read_text("utf-8"))
    return manifest, {p["id"]: (folder / p["file"]).read_text("utf-8") for p in manifest["parts"]}


def test_a_letter_opening_dear_comrades(tmp_path: Path) -> None:
    manifest, parts = _import("letter-dear-comrades.txt", tmp_path)
    assert (manifest["title"], manifest["date"], manifest["author"]) == (
        "Letter to the Islington Branch", "1933-03-14", "Harry Wicks")
    letter = parts["letter"]
    for expected in ("@date 14th March, 1933.", "@to\nTo the Secretary,\nIslington Branch.",
                     "@salutation Dear Comrades,", "@close\nYours fraternally,",
                     "@signature\nH. Wicks,\nSecretary.", "@block\nP.S. Please send"):
        assert expected in letter


def test_a_statement_with_a_title_block_and_an_imprint(tmp_path: Path) -> None:
    manifest, parts = _import("statement-title-block.txt", tmp_path)
    assert [p["kind"] for p in manifest["parts"]] == ["document", "imprint"]
    assert manifest["title"] == "Statement on the Labour Party and the Elections"
    assert parts["text"].startswith("@heading\nTHE MARXIAN LEAGUE\n\n@heading\nSTATEMENT\n")
    assert "\n1. That no support" in parts["text"]
    assert parts["imprint"].startswith("@imprint Issued by the Marxian League")


def test_a_newspaper_page_keeps_its_source_and_transcriber_in_the_manifest(tmp_path: Path) -> None:
    manifest, parts = _import("newspaper-militant.txt", tmp_path)
    provenance = manifest["provenance"]
    assert provenance["periodical"] == "From The Militant, Vol. VI No. 3, 14 January 1933, p. 4."
    assert provenance["information"][0].startswith("Transcribed & marked up by")
    assert manifest["date"] == "1933-01-14" and manifest["author"] == "Arne Swabeck"
    assert "@heading\nThe Demands of the Marchers" in parts["text"]
    assert "Militant" not in parts["text"] and "Top of page" not in parts["text"]


def test_an_html_page_with_the_archives_markup(tmp_path: Path) -> None:
    manifest, parts = _import("militant-page.html", tmp_path)
    assert (manifest["title"], manifest["author"], manifest["date"]) == (
        "For a Workers’ Defence Guard", "Max Shachtman", "1934-03-17")
    assert manifest["provenance"]["updated"] == "Last updated: 9 November 2014"
    text = parts["text"]
    assert "They were *wrong*, and" in text  # <em> as the typist's underscore
    assert "@block\nEvery workers’ organization" in text  # the blockquote
    assert "@list\n1. A defence guard" in text and "\n2. A common plan" in text  # <ol> numbers as shown
    assert "@heading\nWhat Must Be Done" in text
    assert "Archive" not in text and "Top of page" not in text


def test_the_text_keeps_literal_asterisks_and_ats(tmp_path: Path) -> None:
    source = tmp_path / "odd.txt"
    source.write_text("A Title\n\n\n\nPrice 2*d. for each copy of the pamphlet, and more words to make it a "
                      "paragraph of running text.\n\n@home of the group, with enough words to run on past "
                      "the sixty-character mark.\n", "utf-8")
    folder = imported(source, tmp_path / "doc")
    assert part_words(folder) == ["Price", "2*d.", "for", "each", "copy", "of", "the", "pamphlet,", "and", "more",
                                  "words", "to", "make", "it", "a", "paragraph", "of", "running", "text.",
                                  "@home", "of", "the", "group,", "with", "enough", "words", "to", "run", "on",
                                  "past", "the", "sixty-character", "mark."]


def test_a_title_from_long_first_words_is_cut_to_the_limit_and_builds(tmp_path: Path) -> None:
    """A title over the manifest's 300 characters would not build: the import cuts it at a word,
    and the letter's bookmark with it; the words stay whole in the text."""
    source = tmp_path / "long.txt"
    words = ["Comrades"] + [f"{n}" * 50 for n in range(1, 8)]
    source.write_text(" ".join(words) + " met.\n\nDear Comrades,\n\nThe branch met.\n\nYours fraternally,\n",
                      "utf-8")
    folder = imported(source, tmp_path / "doc")
    manifest = tomllib.loads((folder / "document.toml").read_text("utf-8"))
    assert manifest["title"] == " ".join(words[:6]) + " ..."
    assert all(len(part["title"]) <= 300 for part in manifest["parts"])
    assert part_words(folder)[:8] == words
    build_document(folder, tmp_path / "out", use_cache=False)


def test_dry_run_reports_each_guess_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["import", str(CORPUS / "letter-dear-comrades.txt"), "--dry-run"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) > 8 and all(re.search(r"\((high|medium|low)\)$", line) for line in lines)
    assert any("salutation 'Dear Comrades,'" in line for line in lines)
    assert not any(tmp_path.iterdir())


def test_import_writes_under_source_and_the_folder_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["import", str(CORPUS / "newspaper-militant.txt"), "-q"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "source" / "the-unemployed-march-on-chicago"
    assert (folder / "document.toml").is_file()
    assert result.output.strip().endswith(f"facsimile build {Path('source') / folder.name}")
    again = CliRunner().invoke(main, ["import", str(CORPUS / "newspaper-militant.txt"), "-q"])
    assert again.exit_code == 3 and "already exists and is not empty" in again.output
    assert len(again.output.strip().splitlines()) == 1


def test_bad_input_is_one_line_at_its_place(tmp_path: Path) -> None:
    missing = CliRunner().invoke(main, ["import", str(tmp_path / "nothing.txt")])
    assert missing.exit_code == 2 and "no such file" in missing.output
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"A Title\n\n\nSome text \xff here\n")
    result = CliRunner().invoke(main, ["import", str(bad), "-o", str(tmp_path / "doc")])
    assert result.exit_code == 2 and ":4:11: error: byte 0xFF is not valid UTF-8" in result.output
    assert not (tmp_path / "doc").exists()
    cjk = tmp_path / "cjk.txt"
    cjk.write_text("A Title\n\n\n\n" + "Words of running text that go on long enough to be a paragraph: 中.\n", "utf-8")
    result = CliRunner().invoke(main, ["import", str(cjk), "-o", str(tmp_path / "doc")])
    assert result.exit_code == 2 and "will not build" in result.output and "U+4E2D" in result.output
    assert not (tmp_path / "doc").exists() and list(tmp_path.glob(".doc.*")) == []


def test_a_fifo_or_a_folder_is_refused_without_waiting(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = CliRunner().invoke(main, ["import", str(fifo), "--dry-run"])
    assert result.exit_code == 2 and "is a FIFO (named pipe), not a regular file" in result.output
    result = CliRunner().invoke(main, ["import", str(tmp_path), "--dry-run"])
    assert result.exit_code == 2 and "is a directory, not a regular file" in result.output


def test_an_existing_folder_is_refused_before_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "keep.txt").write_text("mine\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(CORPUS / "letter-dear-comrades.txt"), "-o", str(taken)])
    assert result.exit_code == 3
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "already exists and is not empty" in lines[0]
    assert [p.name for p in taken.iterdir()] == ["keep.txt"]


def test_numbered_points_become_one_list(tmp_path: Path) -> None:
    _, parts = _import("statement-title-block.txt", tmp_path)
    text = parts["text"]
    at = text.index("@list\n1. That no support")
    block = text[at:].split("\n\n")[0].splitlines()
    assert [line[:3] for line in block] == ["@li", "1. ", "2. ", "3. "]
    blocks = load_document(tmp_path / "doc", diplomatic=True).parts[0].blocks
    assert [b.kind for b in blocks].count("item") == 3


@pytest.mark.parametrize("wrapped", ["2.", "J. Smith, who spoke at the meeting.", "IV. of the programme."])
def test_a_point_with_a_wrapped_line_the_markup_reads_as_a_label_builds(wrapped: str, tmp_path: Path) -> None:
    """The importer's guess of a label is narrower than the markup's: a wrapped line that is a
    bare '2.' or opens 'J. Smith' went into the @list, where it was an item with no text (an
    error) or an item of its own. Such a point is kept as a paragraph, and the list builds."""
    source = tmp_path / "points.txt"
    source.write_text("The branch met and, after a long discussion of the work of the district, resolved:\n\n"
                      "1. That the secretary write to the comrades named in section\n"
                      f"{wrapped}\nand ask them to address the branch.\n\n"
                      "2. That the next meeting be held on the first Sunday, at the usual place.\n", "utf-8")
    folder = imported(source, tmp_path / "doc")
    text = (folder / "text.txt").read_text("utf-8")
    assert "\n\n1. That the secretary" in text and "@list\n2. That the next meeting" in text
    blocks = load_document(folder, diplomatic=True).parts[0].blocks
    assert [b.option for b in blocks if b.kind == "item"] == ["0 2."]
    assert part_words(folder) == received_words(source, tomllib.loads((folder / "document.toml").read_text("utf-8")))
    build_document(folder, tmp_path / "out", use_cache=False)


def test_a_point_whose_label_the_markup_does_not_read_is_a_paragraph(tmp_path: Path) -> None:
    """'(1. ...' looks numbered to the importer, but the markup reads no label in it: as a @list
    it would not build."""
    source = tmp_path / "points.txt"
    source.write_text("The branch met and, after a long discussion of the work of the district, resolved:\n\n"
                      "(1. That the secretary write to the comrades named in the minutes, and ask them\n"
                      "to address the branch on the first Sunday of the month, at the usual place.\n\n"
                      "2. That the paper be sold at the gates of the works on each day of the week.\n", "utf-8")
    folder = imported(source, tmp_path / "doc")
    assert "\n\n(1. That the secretary" in (folder / "text.txt").read_text("utf-8")
    build_document(folder, tmp_path / "out", use_cache=False)


def test_a_quoted_block_that_opens_with_a_mark_is_a_quotation(tmp_path: Path) -> None:
    page = (CORPUS / "militant-page.html").read_text("utf-8")
    quoted = tmp_path / "quoted.html"
    quoted.write_text(page.replace("<blockquote>\n<p>", "<blockquote>\n<p>“", 1), "utf-8")
    folder = imported(quoted, tmp_path / "doc")
    text = (folder / "text.txt").read_text("utf-8")
    assert "@quote\n“Every workers’ organization" in text
    assert [b.kind for b in load_document(folder, diplomatic=True).parts[0].blocks].count("quote") == 1
