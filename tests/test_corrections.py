"""Corrections, proofing, the cache, and the source inside the PDF (watching: test_watch.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from facsimile.build import build_document
from facsimile.cli import main
from facsimile.errors import SourceError, UsageError
from facsimile.source.document import load_document
from facsimile.pdf.unpack import unpack
from tests.conftest import PAMPHLET
from tests.helpers import pypdf_words

CORRECTION = """
[[correction]]
part = "a"
received = "{received}"
corrected = "{corrected}"
reason = "a slip"
"""


def text_of(doc) -> str:
    return " ".join(r.text for part in doc.parts for block in part.blocks for line in block.lines
                    for r in line)


def test_corrections_apply_by_default_and_diplomatic_prints_the_text_as_received():
    corrected = text_of(load_document(PAMPHLET))
    received = text_of(load_document(PAMPHLET, diplomatic=True))
    assert "1917, the idea" in corrected and "tbe" not in corrected
    assert "(smychka)" in corrected and "(7.XI)" in corrected and "For literature" in corrected
    assert "‘workers and peasant organization’." in corrected
    assert "1917, tbe idea" in received and "(smyohka)" in received and "Iiterature" in received


def test_applied_corrections_know_where_they_stand_in_the_part():
    doc = load_document(PAMPHLET)
    places = {a.correction.received: (Path(a.at.file).name, a.at.line) for a in doc.corrections}
    assert places["1917, tbe idea"] == ("enclosure-2-prinkipo.txt", 5)
    assert len(doc.corrections) == 5


def test_a_correction_that_no_longer_matches_is_an_error_naming_it(make_document):
    folder = make_document({"a.txt": "The text as it now reads.\n"})
    (folder / "corrections.toml").write_text(CORRECTION.format(received="tbe text", corrected="the text"))
    with pytest.raises(SourceError) as caught:
        load_document(folder)
    (diagnostic,) = caught.value.diagnostics
    assert str(diagnostic).startswith(f"{diagnostic.pos.file}:2:1: error: the received text 'tbe text' "
                                      "is not found in a.txt")


def test_a_correction_found_twice_asks_for_more_context(make_document):
    folder = make_document({"a.txt": "tbe one and tbe other\n"})
    (folder / "corrections.toml").write_text(CORRECTION.format(received="tbe", corrected="the"))
    with pytest.raises(SourceError) as caught:
        load_document(folder)
    assert "is found 2 times" in str(caught.value) and "more of the text" in str(caught.value)


def test_a_correction_of_every_occurrence_says_how_many_it_changed(make_document, tmp_path):
    folder = make_document({"a.txt": "tbe one,\n\ntbe other and tbe third\n"})
    (folder / "corrections.toml").write_text(CORRECTION.format(received="tbe", corrected="the")
                                             + "all = true\n")
    doc = load_document(folder)
    assert text_of(doc) == "the one, the other and the third"
    (applied,) = doc.corrections
    assert applied.count == 3 and (applied.at.line, applied.at.col) == (1, 1)
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "corrections: 1 made, in 3 places" in result.output
    assert "'tbe' -> 'the': 3 places" in result.output


def test_all_must_be_true_or_false(make_document):
    folder = make_document({"a.txt": "tbe one\n"})
    (folder / "corrections.toml").write_text(CORRECTION.format(received="tbe", corrected="the")
                                             + "all = \"yes\"\n")
    with pytest.raises(SourceError) as caught:
        load_document(folder)
    assert "'all' is true or false" in str(caught.value)


def test_a_corrections_file_that_does_not_parse(make_document):
    folder = make_document({"a.txt": "x\n"})
    (folder / "corrections.toml").write_text("[[correction]\npart = 1\n")
    with pytest.raises(SourceError) as caught:
        load_document(folder)
    assert "corrections.toml:1:13: error: not valid TOML" in str(caught.value)


def test_a_correction_for_an_unknown_part(make_document):
    folder = make_document({"a.txt": "x\n"})
    (folder / "corrections.toml").write_text(CORRECTION.format(received="x", corrected="y").replace(
        'part = "a"', 'part = "z"'))
    with pytest.raises(SourceError) as caught:
        load_document(folder)
    assert "no part has the id 'z'" in str(caught.value)


def test_proof_finds_the_real_slips_of_the_received_transcription(pamphlet):
    (pamphlet / "corrections.toml").unlink()
    result = CliRunner().invoke(main, ["proof", str(pamphlet)])
    assert result.exit_code == 1
    tokens = [line.split(": ")[1] for line in result.output.splitlines()]
    assert tokens == ["‘", "7.X1", "tbe", "smyohka", "Iiterature"]
    assert result.output.splitlines()[2].endswith("enclosure-2-prinkipo.txt:5:113: tbe: OCR confusion: "
                                                  "'b' for 'h'? (the)")


def test_proof_says_so_in_one_line_once_the_slips_are_corrected_and_json_on_request(pamphlet):
    result = CliRunner().invoke(main, ["proof", str(pamphlet)])
    assert result.exit_code == 0 and result.output.endswith(f"{pamphlet.name}: no likely slips\n")
    assert len(result.output.splitlines()) == 1
    result = CliRunner().invoke(main, ["proof", "-q", "--all", str(pamphlet)])
    assert result.exit_code == 1 and result.output == ""
    result = CliRunner().invoke(main, ["proof", "--all", "--format", "json", str(pamphlet)])
    assert result.exit_code == 1
    records = json.loads(result.output)
    assert [r["token"] for r in records] == ["‘", "7.X1", "tbe", "smyohka", "Iiterature"]
    assert set(records[0]) == {"file", "line", "col", "token", "kind", "reason"}


def test_proof_reads_any_text_file_and_fails_cleanly_on_a_missing_one(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("The the committee met.\n")
    result = CliRunner().invoke(main, ["proof", str(text)])
    assert result.exit_code == 1 and "doubled word" in result.output
    result = CliRunner().invoke(main, ["proof", str(tmp_path / "absent.txt")])
    assert result.exit_code == 2 and "cannot read this file" in result.output


def test_a_build_with_nothing_changed_writes_nothing(pamphlet, tmp_path):
    out = tmp_path / "out"
    first = build_document(pamphlet, out)
    stamp = first.path.stat().st_mtime_ns
    again = build_document(pamphlet, out)
    assert again.unchanged and again.path.stat().st_mtime_ns == stamp


def test_a_one_word_change_draws_only_that_part_and_gives_the_same_bytes_as_a_cold_build(pamphlet, tmp_path):
    out = tmp_path / "out"
    build_document(pamphlet, out)
    part = pamphlet / "enclosure-1-petrograd.txt"
    part.write_text(part.read_text(encoding="utf-8").replace("securely achieved", "surely achieved"),
                    encoding="utf-8")
    report = build_document(pamphlet, out)
    assert [(p.id, p.cached) for p in report.parts] == [("letter", True), ("enclosure-1", False),
                                                         ("enclosure-2", True)]
    assert "surely" in pypdf_words(report.path)
    cold = build_document(pamphlet, tmp_path / "cold", use_cache=False)
    assert cold.path.read_bytes() == report.path.read_bytes()


def test_a_changed_output_file_is_rebuilt(pamphlet, tmp_path):
    out = tmp_path / "out"
    report = build_document(pamphlet, out)
    report.path.write_bytes(b"damaged")
    again = build_document(pamphlet, out)
    assert not again.unchanged and again.path.read_bytes().startswith(b"%PDF")


def test_a_damaged_cache_entry_is_drawn_again(pamphlet, tmp_path):
    out = tmp_path / "out"
    build_document(pamphlet, out)
    for cached in (out / ".facsimile-cache").iterdir():
        if cached.suffix != ".key":
            cached.write_bytes(b"[damaged")
    (pamphlet / "letter.txt").write_text((pamphlet / "letter.txt").read_text() + "\nOne more line.\n")
    report = build_document(pamphlet, out)
    assert not any(p.cached for p in report.parts)


def test_source_date_epoch_gives_a_stable_id_and_date(pamphlet, tmp_path, monkeypatch):
    from pypdf import PdfReader

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1668816000")
    a = build_document(pamphlet, tmp_path / "a").path
    b = build_document(pamphlet, tmp_path / "b", use_cache=False).path
    assert a.read_bytes() == b.read_bytes()
    assert PdfReader(a).trailer["/ID"][0] == PdfReader(b).trailer["/ID"][0]


def test_the_pdf_carries_its_source_and_unpacking_it_rebuilds_the_same_bytes(pamphlet, tmp_path):
    built = build_document(pamphlet, tmp_path / "out").path
    target = tmp_path / "unpacked" / PAMPHLET.name
    written = unpack(built, target)
    assert sorted(p.name for p in written) == sorted(p.name for p in pamphlet.iterdir())
    rebuilt = build_document(target, tmp_path / "again").path
    assert rebuilt.read_bytes() == built.read_bytes()


def test_unpack_refuses_a_folder_that_is_not_empty_and_a_pdf_without_source(pamphlet, tmp_path):
    built = build_document(pamphlet, tmp_path / "out").path
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    with pytest.raises(UsageError):
        unpack(built, tmp_path / "full")
    assert (tmp_path / "full" / "keep.txt").read_text() == "mine"
    from reportlab.pdfgen.canvas import Canvas

    plain = tmp_path / "plain.pdf"
    canvas = Canvas(str(plain))
    canvas.drawString(72, 72, "no source here")
    canvas.save()
    result = CliRunner().invoke(main, ["unpack", str(plain), str(tmp_path / "new")])
    assert result.exit_code == 2 and "carries no embedded source" in result.output
    assert not (tmp_path / "new").exists()
