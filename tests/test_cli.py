"""The command line as a user meets it: output lines, exit codes, one-line errors, nothing lost."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import PAMPHLET
from tests.helpers import run


def test_build_with_no_argument_builds_everything_under_source(project):
    result = run("build")
    assert result.exit_code == 0, result.output
    assert "  letter: 1 page, " in result.output
    assert "out/balham-group-document-4.pdf: 4 pages, " in result.output
    assert (project / "out" / "balham-group-document-4.pdf").stat().st_size > 10_000


def test_quiet_prints_nothing_on_success(project):
    result = run("build", "--quiet")
    assert result.exit_code == 0 and result.output == ""


def test_options_change_the_paper_and_pitch(project):
    from pypdf import PdfReader

    result = run("build", "--paper", "a4", "--pitch", "elite", "-o", "a4")
    assert result.exit_code == 0, result.output
    page = PdfReader(project / "a4" / "balham-group-document-4.pdf").pages[0]
    assert round(float(page.mediabox.width)) == 595


def test_an_unknown_paper_is_refused_by_the_option(project):
    result = run("build", "--paper", "A3")
    assert result.exit_code == 2 and "'A3' is not one of" in result.output


def test_a_bad_source_fails_with_one_line_errors_and_leaves_the_previous_pdf(project):
    assert run("build").exit_code == 0
    pdf = project / "out" / "balham-group-document-4.pdf"
    before = pdf.read_bytes()
    letter = project / "source" / PAMPHLET.name / "letter.txt"
    original = letter.read_bytes()
    letter.write_text(letter.read_text(encoding="utf-8") + "\n@sideways text\n\n*unclosed\n", encoding="utf-8")
    edited = letter.read_bytes()
    result = run("build")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 2 and all(": error: " in line for line in lines)
    assert lines[0].startswith("source/balham-group-document-4/letter.txt:")
    assert "Traceback" not in result.output
    assert pdf.read_bytes() == before
    assert letter.read_bytes() == edited != original
    assert [p.name for p in (project / "out").iterdir() if not p.name.startswith(".")] == [
        "balham-group-document-4.pdf"]


def test_a_missing_document_folder(project):
    result = run("build", "source/nowhere")
    assert result.exit_code == 2
    assert result.output.strip() == ("source/nowhere: error: no such document folder: give the path "
                                     "of a folder that holds a document.toml")


def test_no_source_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("build")
    assert result.exit_code == 1 and "no source/ folder here" in result.output


def test_an_unwritable_output_folder_is_a_clear_error(project):
    if os.geteuid() == 0:
        blocker = project / "blocked"
        blocker.write_text("a file where a folder should be")
        result = run("build", "-o", "blocked/sub")
    else:
        (project / "ro").mkdir(mode=0o500)
        result = run("build", "-o", "ro")
    assert result.exit_code == 3
    assert "error: cannot" in result.output and "Traceback" not in result.output


def test_help_shows_an_example():
    result = run("build", "--help")
    assert result.exit_code == 0 and "Example:" in result.output and "facsimile build" in result.output


def test_a_one_page_document_says_1_page(make_document, tmp_path):
    folder = make_document({"note.txt": "A short note.\n"})
    result = run("build", str(folder), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "leaflet.pdf: 1 page, " in result.output
