"""facsimile init: a new document folder from a shipped template that builds and proofs clean."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from facsimile.cli import main
from facsimile.model import BLOCK_KINDS
from facsimile.newdoc import KINDS, template_files
from facsimile.source.manifest import LAYOUT_KEYS, META_KEYS, PART_KEYS
from tests.helpers import run

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("kind", KINDS)
def test_a_new_document_of_each_kind_builds_at_once_and_proofs_clean(kind, tmp_path, monkeypatch):
    from pypdf import PdfReader

    monkeypatch.chdir(tmp_path)
    result = run("init", "mydoc", "--kind", kind)
    assert result.exit_code == 0, result.output
    assert "facsimile build mydoc" in result.output
    built = run("build", "mydoc")
    assert built.exit_code == 0, built.output
    pdf = tmp_path / "out" / "mydoc.pdf"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert "This is a paragraph: plain text, with a blank line before the next one." in text
    assert run("proof", "mydoc").exit_code == 0


@pytest.mark.parametrize("kind", KINDS)
def test_a_template_uses_every_directive_and_explains_every_manifest_key(kind):
    files = dict(template_files(kind))
    manifest = files["document.toml"].decode()
    data = tomllib.loads(manifest)
    parts_text = "\n".join(files[part["file"]].decode() for part in data["parts"])
    used = {line.split()[0][1:] for line in parts_text.splitlines() if line.startswith("@") and not line.startswith("@@")}
    assert used == set(BLOCK_KINDS) - {"paragraph"}
    assert "*emphasised*" in parts_text and "**" in parts_text and "\n@@" in parts_text
    assert META_KEYS | LAYOUT_KEYS <= set(data) and PART_KEYS <= set(data["parts"][0])
    for line in manifest.split("\n[")[0].splitlines():  # every top-level key is explained beside it
        if "=" in line and not line.startswith("#") and line.split("=")[0].strip() in META_KEYS | LAYOUT_KEYS:
            assert "#" in line, line


@pytest.mark.parametrize("kind", KINDS)
def test_corrections_words_and_notes_start_empty(kind):
    files = dict(template_files(kind))
    assert tomllib.loads(files["corrections.toml"].decode()) == {}
    assert tomllib.loads(files["notes.toml"].decode()) == {}
    assert all(line.startswith("#") for line in files["words.txt"].decode().splitlines())


def test_init_without_a_folder_starts_a_project_that_a_bare_build_builds(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("init", "--kind", "leaflet").exit_code == 0
    assert (tmp_path / "source" / "leaflet" / "document.toml").is_file()
    result = run("build")
    assert result.exit_code == 0 and "out/leaflet.pdf: 1 page," in result.output


def test_init_refuses_a_folder_that_is_not_empty_and_leaves_it_alone(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mydoc").mkdir()
    (tmp_path / "mydoc" / "notes.txt").write_text("mine")
    result = run("init", "mydoc")
    assert result.exit_code == 2 and "mydoc is not empty: name a new folder" in result.output
    assert [p.name for p in (tmp_path / "mydoc").iterdir()] == ["notes.txt"]
    (tmp_path / "empty").mkdir()
    assert run("init", "empty").exit_code == 0 and (tmp_path / "empty" / "letter.txt").is_file()


def test_an_unknown_kind_is_refused_by_the_option(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("init", "x", "--kind", "novel")
    assert result.exit_code == 2 and "'novel' is not one of" in result.output
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("command", ["build", "proof", "handout"])
def test_outside_a_project_every_command_says_what_to_do(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, [command])
    assert result.exit_code in (1, 2) and "facsimile init mydoc" in result.output
    run("init", "mydoc")
    monkeypatch.chdir(tmp_path / "mydoc")
    result = CliRunner().invoke(main, [command])
    assert f"cd .. && facsimile {command} mydoc" in result.output


def test_every_template_file_is_shipped_in_the_wheel():
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["facsimile"]
    shipped = ROOT / "facsimile" / "templates"
    for path in shipped.rglob("*"):
        if path.is_file():
            name = path.relative_to(ROOT / "facsimile").as_posix()
            assert any(fnmatch.fnmatch(name, glob) for glob in globs), name
