"""Absurd TOML, environment and options: each a clear error at its place, never exit 70.
Fuzzing of the TOML readers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from facsimile.cli import main
from facsimile.errors import FacsimileError
from facsimile.model import Document
from facsimile.source.corrections import parse_corrections
from facsimile.source.manifest import parse_manifest
from facsimile.source.notes import load_notes
from tests.conftest import PAMPHLET, ROOT

HEAD = 'title = "t"\ndate = "d"\nauthor = "a"\n'
PART = '[[parts]]\nfile = "a.txt"\nkind = "letter"\ntitle = "A"\n'


def build(folder: Path, out: Path, *options: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(out), *options])
    return result.exit_code, result.output


@pytest.mark.parametrize("manifest, expected", [
    (HEAD + "seed = " + "9" * 5000 + "\n" + PART, "document.toml:4:8: error: a number with thousands of digits"),
    (HEAD + "seed = 99999999999999999999\n" + PART, "document.toml:4:1: error: 'seed' is a number of 20 digits"),
    (HEAD + "x = " + "[" * 5000 + "]" * 5000 + "\n" + PART, "error: tables or arrays nested more than 16 deep"),
    (HEAD + "x = " + "{a = " * 40 + "1" + "}" * 40 + "\n" + PART, "error: tables or arrays nested more than 16 deep"),
    (HEAD + "indent = nan\n" + PART, "document.toml:4:1: error: 'indent' is nan: write a finite number"),
    (HEAD + "[provenance]\nsource = -inf\n" + PART, "document.toml:5:1: error: 'source' is -inf"),
    (HEAD + "seed = 1.5\n" + PART, "document.toml:4:1: error: 'seed' must be a whole number"),
    (HEAD + "parts = 3\n", "the manifest lists no parts"),
    (HEAD + "parts = [1, \"x\"]\n", "each part must be a [[parts]] table"),
    (HEAD + "keywords = [[1]]\n" + PART, "'keywords' must be a list of strings"),
])
def test_absurd_manifests_are_clear_errors(make_document, tmp_path, manifest, expected):
    folder = make_document({"a.txt": "Text.\n"})
    (folder / "document.toml").write_text(manifest)
    code, output = build(folder, tmp_path / "out")
    assert code == 2, output
    assert expected in output and "internal error" not in output


@pytest.mark.parametrize("corrections, expected", [
    ('correction = "x"\n', "write each correction as a [[correction]] table"),
    ("correction = [1, 2]\n", "correction 1 must be a [[correction]] table"),
    ('[[correction]]\npart = 1\nreceived = []\ncorrected = {}\nreason = 2.5\n', "correction 1 needs 'part'"),
    ("[[correction]]\npart = nan\n", "'part' is nan"),
    ("x = " + "[" * 3000 + "]" * 3000 + "\n", "nested more than 16 deep"),
    ("[[correction]\n", "corrections.toml:1:13: error: not valid TOML"),
    ("\x00\x01binary", "this is a binary file, not text"),
])
def test_wrong_corrections_are_errors_never_skipped(make_document, tmp_path, corrections, expected):
    folder = make_document({"a.txt": "Text.\n"})
    (folder / "corrections.toml").write_bytes(corrections.encode())
    code, output = build(folder, tmp_path / "out")
    assert code == 2 and expected in output and "internal error" not in output, output


@pytest.mark.parametrize("notes, expected", [
    ("note = 1\n", "write each note as a [[note]] table"),
    ('note = ["x"]\n', "note 1 must be a [[note]] table"),
    ('[[note]]\nparagraph = true\nterm = "x"\ntext = "y"\n', "note 1 needs paragraph (a number)"),
    ('[[note]]\nparagraph = 1\nterm = "x"\ntext = inf\n', "'text' is inf"),
    ("[[note]]\nparagraph = " + "1" * 5000 + "\n", "a number with thousands of digits"),
])
def test_wrong_notes_are_clear_errors_in_the_reading_handout(make_document, tmp_path, notes, expected):
    folder = make_document({"a.txt": "Text of a paragraph.\n"})
    (folder / "notes.toml").write_text(notes)
    result = CliRunner().invoke(main, ["handout", str(folder), "-o", str(tmp_path / "out"),
                                       "--edition", "reading"])
    assert result.exit_code == 2 and expected in result.output, result.output
    assert "internal error" not in result.output


@pytest.mark.parametrize("epoch", ["-1", "abc", "1e9", "²", "١٢٣", "253402300800", "9" * 5000, "12 34"])
def test_a_bad_source_date_epoch_says_what_is_accepted(make_document, tmp_path, monkeypatch, epoch):
    folder = make_document({"a.txt": "Text.\n"})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    code, output = build(folder, tmp_path / "out")
    assert code == 2 and output.startswith("SOURCE_DATE_EPOCH: error: ")
    assert "whole seconds since 1970-01-01 UTC, from 0 to 253402300799" in output
    result = CliRunner().invoke(main, ["handout", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "SOURCE_DATE_EPOCH: error" in result.output


def test_the_last_accepted_source_date_epoch_builds(make_document, tmp_path, monkeypatch):
    folder = make_document({"a.txt": "Text.\n"})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    code, output = build(folder, tmp_path / "out", "-q")
    assert code == 0, output
    from pypdf import PdfReader

    assert PdfReader(tmp_path / "out" / "leaflet.pdf").metadata["/CreationDate"] == "D:99991231235959+00'00'"


@pytest.mark.parametrize("value", ["nan", "inf", "-nan", "infinity"])
def test_creep_that_is_not_a_number_is_a_usage_error(make_document, tmp_path, value):
    folder = make_document({"a.txt": "Text.\n"})
    result = CliRunner().invoke(main, ["handout", str(folder), "-o", str(tmp_path / "out"), "--creep", value])
    assert result.exit_code == 2
    assert "--creep" in result.output and "finite number" in result.output


def test_a_non_ascii_file_name_under_the_posix_locale(tmp_path):
    folder = tmp_path / "source" / "brochure-été"
    folder.mkdir(parents=True)
    (folder / "document.toml").write_text(HEAD + PART.replace("a.txt", "lettre-reçue.txt"), encoding="utf-8")
    (folder / "lettre-reçue.txt").write_text("Une lettre reçue.\n", encoding="utf-8")
    (folder / "latin-\udce9.txt".encode("utf-8", "surrogateescape").decode("latin-1")).write_text("x")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    env.update(LANG="C", LC_ALL="C", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0")
    for args in (["build", str(folder), "-o", str(tmp_path / "out")], ["proof", str(folder)]):
        done = subprocess.run([sys.executable, "-m", "facsimile", *args], capture_output=True,
                              env=env, cwd=tmp_path, timeout=120)
        assert done.returncode in (0, 1), done.stderr
        assert b"internal error" not in done.stderr and b"Traceback" not in done.stderr
    assert (tmp_path / "out" / "brochure-été.pdf").exists()


TOML_VALUES = st.recursive(
    st.one_of(st.integers(), st.floats(), st.booleans(), st.text(max_size=8),
              st.sampled_from(["nan", "inf", "-inf", "1979-05-27", "0x1F", "9" * 60])),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(["part", "received", "corrected", "reason",
                                                             "paragraph", "term", "text", "file"]),
                                            inner, max_size=3)),
    max_leaves=8)


def toml_line(key: str, value: object) -> str:
    if isinstance(value, str) and value in ("nan", "inf", "-inf", "1979-05-27", "0x1F") or (
            isinstance(value, str) and value.isdigit()):
        return f"{key} = {value}"
    import json

    try:
        return f"{key} = {json.dumps(value, allow_nan=False)}"
    except ValueError:
        return f"{key} = nan"


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["title", "seed", "indent", "parts", "correction", "note",
                                            "paper", "keywords", "provenance"]), TOML_VALUES),
                max_size=6),
       st.text(max_size=40))
def test_the_toml_readers_return_data_or_diagnostics_and_never_raise(pairs, noise):
    text = "\n".join(toml_line(k, v) for k, v in pairs) + "\n" + noise
    parse_manifest(text, "document.toml")
    parse_corrections(text, "corrections.toml")


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
          max_examples=40)
@given(st.lists(st.tuples(st.sampled_from(["note", "x"]), TOML_VALUES), max_size=4), st.binary(max_size=20))
def test_the_notes_reader_returns_notes_or_our_error(tmp_path_factory, pairs, noise):
    folder = tmp_path_factory.mktemp("notes")
    text = "\n".join(toml_line(k, v) for k, v in pairs) + "\n"
    (folder / "notes.toml").write_bytes(text.encode() + noise)
    try:
        load_notes(folder, Document(name="n", title="t", date="", place="", author="", subject="",
                                    keywords=(), provenance=(), layout=None, seed=0, parts=()))  # type: ignore[arg-type]
    except FacsimileError:
        pass


def test_a_control_character_escaped_in_the_manifest_is_an_error_at_its_key(tmp_path: Path) -> None:
    """TOML's \\u0007 escapes pass the text file's own check for control bytes; in a title or
    a scan's description they would reach the PDF's metadata and a screen reader."""
    folder = tmp_path / "doc"
    shutil.copytree(PAMPHLET, folder)
    manifest = folder / "document.toml"
    text = manifest.read_text("utf-8")
    manifest.write_text(text.replace('title = "', 'title = "\\u0007', 1), "utf-8")
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code != 0 and "Traceback" not in result.output
    line = next(l for l in result.output.splitlines() if "U+0007" in l)
    assert line.startswith(f"{folder / 'document.toml'}:") and "'title'" in line
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("*.pdf"))
