"""The quick start of `facsimile build`: read without click, it builds and says exactly what
click's command does, and hands anything it does not know to click."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from facsimile.cli import build, main
from facsimile.launch import FLAGS, VALUE_OPTIONS, parse_build
from tests.conftest import PAMPHLET


def click_params(args: list[str]) -> dict:
    """The parameters click's build command reads from the same words."""
    return dict(build.make_context("build", list(args)).params)


@pytest.mark.parametrize("args", [
    [],
    ["source/a"],
    ["source/a", "source/b", "-o", "x"],
    ["--out=somewhere", "--paper", "A4", "--pitch=Elite", "--spacing", "double"],
    ["--look", "clean", "--seed", "7", "--no-cache", "-q", "--diplomatic"],
    ["--paper-tone", "--no-paper-tone", "--watch", "--quiet", "d"],
    ["--look", "clean", "--look", "typescript"],  # the last one counts, as in click
    ["-o", "a", "--", "-strange-folder", "--look"],
    ["--seed", "0"],
    ["--timings", "-q", "d"],
])
def test_the_options_read_are_those_click_reads(args):
    ours = parse_build(["build", *args])
    assert ours is not None
    assert ours == click_params(args)


@pytest.mark.parametrize("args", [
    ["proof"], ["build", "--help"], ["build", "-h"], ["--version"], ["build", "--look", "bogus"],
    ["build", "--seed", "-1"], ["build", "--seed", "x"], ["build", "--seed", "+3"], ["build", "-qo", "x"],
    ["build", "--look"], ["build", "--unknown"], ["build", "--quiet=yes"], ["build", "-o", ""],
])
def test_anything_else_goes_to_click(args):
    assert parse_build(args) is None


def test_every_option_of_the_quick_start_is_one_of_clicks_build_options():
    declared = {flag: param.name for param in build.params for flag in (*param.opts, *param.secondary_opts)}
    for flag, name in VALUE_OPTIONS.items():
        assert declared.get(flag) == name
    for flag, (name, _) in FLAGS.items():
        assert declared.get(flag) == name


WORDS = st.sampled_from(["build", "-o", "--out", "--paper", "--pitch", "--spacing", "--look", "--seed",
                         "--paper-tone", "--no-paper-tone", "--diplomatic", "--no-cache", "--watch", "-q",
                         "--quiet", "--", "a4", "A4", "elite", "double", "clean", "Clean", "7", "-3", "",
                         "x", "--look=clean", "--seed=5", "--out=o", "-", "--help", "--jobs"])


@given(st.lists(WORDS, max_size=8))
def test_whatever_the_words_the_quick_start_reads_them_as_click_does_or_not_at_all(words):
    ours = parse_build(["build", *words])
    if ours is not None:
        assert ours == click_params(words)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(PAMPHLET, tmp_path / "source" / PAMPHLET.name)
    return tmp_path


def command_line(project: Path, *args: str, importtime: bool = False) -> subprocess.CompletedProcess:
    python = [sys.executable] + (["-X", "importtime"] if importtime else [])
    return subprocess.run(python + ["-m", "facsimile", *args], cwd=project, capture_output=True, text=True,
                          timeout=300)


def without_times(text: str) -> str:
    return re.sub(r"\d+ ms", "N ms", text)


def test_a_build_says_and_writes_what_clicks_command_does(project, monkeypatch):
    quick = command_line(project, "build", "--look", "clean", "-o", "quick")
    monkeypatch.chdir(project)
    slow = CliRunner().invoke(main, ["build", "--look", "clean", "-o", "slow"])
    assert quick.returncode == slow.exit_code == 0, quick.stderr
    assert without_times(quick.stdout).replace("quick/", "slow/") == without_times(slow.stdout)
    name = f"{PAMPHLET.name}.pdf"
    assert (project / "quick" / name).read_bytes() == (project / "slow" / name).read_bytes()
    again = command_line(project, "build", "--look", "clean", "-o", "quick")
    assert again.returncode == 0 and re.fullmatch(r"quick/\S+\.pdf: unchanged, \d+ ms\n", again.stdout)


def test_a_failed_build_says_the_same_lines_and_exit_code_as_click(project, monkeypatch):
    letter = project / "source" / PAMPHLET.name / "letter.txt"
    letter.write_text(letter.read_text(encoding="utf-8") + "\n@sideways text\n", encoding="utf-8")
    quick = command_line(project, "build", "-q")
    monkeypatch.chdir(project)
    slow = CliRunner().invoke(main, ["build", "-q"])
    assert quick.returncode == slow.exit_code != 0
    assert quick.stderr == slow.stderr and "letter.txt:" in quick.stderr and "Traceback" not in quick.stderr
    missing = command_line(project, "build", "no-such-folder")
    assert missing.returncode == CliRunner().invoke(main, ["build", "no-such-folder"]).exit_code != 0
    assert missing.stderr.startswith("no-such-folder: error: ")


def imported(stderr: str) -> set[str]:
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines() if line.startswith("import time:")}


def test_a_plain_build_does_not_import_click_and_an_unchanged_one_not_the_typesetter(project):
    built = command_line(project, "build", "-q", importtime=True)
    assert built.returncode == 0 and "click" not in imported(built.stderr)
    unchanged = command_line(project, "build", importtime=True)
    assert unchanged.returncode == 0 and "unchanged" in unchanged.stdout
    modules = imported(unchanged.stderr)
    assert not {"click", "reportlab", "pypdf", "facsimile.build", "facsimile.layout"} & modules
    assert not {"click", "reportlab", "facsimile.build", "dataclasses", "typing", "tomllib"} & modules
    slow = subprocess.run([sys.executable, "-c", "from facsimile.cli import main; main(prog_name='facsimile')",
                           "build"], cwd=project, capture_output=True, text=True, timeout=300)  # click's path
    assert slow.returncode == 0 and without_times(unchanged.stdout) == without_times(slow.stdout)
    named = command_line(project, "build", f"source/{PAMPHLET.name}", importtime=True)  # the folder given
    assert named.returncode == 0 and "unchanged" in named.stdout
    assert not {"click", "reportlab", "facsimile.build", "dataclasses", "typing", "tomllib"} & imported(named.stderr)
    helped = command_line(project, "build", "--help", importtime=True)
    assert helped.returncode == 0 and "click" in imported(helped.stderr) and "--no-cache" in helped.stdout


def test_an_unchanged_build_trusts_a_manifest_listing_only_when_its_seal_holds(project):
    assert command_line(project, "build", "-q").returncode == 0
    record = project / "out" / ".facsimile-cache" / f"{PAMPHLET.name}.key"
    lines = record.read_text(encoding="ascii").splitlines()
    assert [line.split()[0] for line in lines[1:]] == ["listing", "listing"]  # the manifest and fonts.toml
    damaged = [line[:-2] + ("00" if not line.endswith("00") else "11") for line in lines[1:]]
    record.write_text("\n".join([lines[0], *damaged]) + "\n", encoding="ascii")
    again = command_line(project, "build", f"source/{PAMPHLET.name}", importtime=True)  # parsed again
    assert again.returncode == 0 and "unchanged" in again.stdout and "tomllib" in imported(again.stderr)
    letter = project / "source" / PAMPHLET.name / "letter.txt"
    letter.write_text(letter.read_text(encoding="utf-8").replace("Comrade", "Comrades", 1), encoding="utf-8")
    changed = command_line(project, "build")
    assert changed.returncode == 0 and "unchanged" not in changed.stdout


def test_a_plain_build_in_a_project_of_several_documents_is_left_to_the_driver(project):
    assert command_line(project, "build", "-q").returncode == 0
    shutil.copytree(project / "source" / PAMPHLET.name, project / "source" / "second")
    assert command_line(project, "build", "-q").returncode == 0  # builds the second one
    again = command_line(project, "build", importtime=True)
    assert again.returncode == 0 and "dataclasses" in imported(again.stderr)  # the driver's batch, with its table
    assert f"out/{PAMPHLET.name}.pdf: unchanged" in again.stdout and "out/second.pdf: unchanged" in again.stdout
    assert "2 documents" in again.stdout
