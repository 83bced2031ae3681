"""facsimile build of many documents: built across the cores, a closing table, and a non-zero
exit if any failed, after building all the others."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from facsimile.batch import build_many
from facsimile.cli import main
from facsimile.driver import BuildSettings
from facsimile.importer import import_transcription, write_folder
from tests.conftest import PAMPHLET, ROOT

CORPUS = ROOT / "tests" / "corpus" / "import"
SEED = ROOT / "tests" / "corpus" / "seed" / "balham-group-document-4.txt"


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    source = tmp_path / "source"
    shutil.copytree(PAMPHLET, source / "a-pamphlet")
    write_folder(import_transcription(CORPUS / "statement-title-block.txt"), source / "b-statement")
    (source / "c-broken").mkdir()
    (source / "c-broken" / "document.toml").write_text('title = "Broken"\n', "utf-8")
    write_folder(import_transcription(CORPUS / "militant-page.html"), source / "d-html")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_batch_builds_the_others_prints_a_table_and_fails(project: Path) -> None:
    folders = sorted(str(p.relative_to(project)) for p in (project / "source").iterdir())
    result = CliRunner().invoke(main, ["build", *folders])
    assert result.exit_code == 2
    for name in ("a-pamphlet", "b-statement", "d-html"):
        assert (project / "out" / f"{name}.pdf").is_file()
    assert not (project / "out" / "c-broken.pdf").exists()
    lines = result.output.splitlines()
    head = lines.index(next(line for line in lines if line.startswith("document ")))
    assert lines[head].split() == ["document", "pages", "bytes", "seconds", "warnings"]
    table = lines[head + 1: head + 5]
    assert [line.split()[0] for line in table] == ["a-pamphlet", "b-statement", "c-broken", "d-html"]
    assert table[0].split()[1] == "4" and table[2].split()[1] == "failed" and "(3 errors)" in table[2]
    assert lines[head + 5].startswith("4 documents: 3 built, 1 failed;")
    assert result.output.count("'date' is required") == 1


def test_warnings_count_the_suggestions_left_to_review(project: Path) -> None:
    write_folder(import_transcription(SEED), project / "source" / "e-seed")
    result = CliRunner().invoke(main, ["build", "source/a-pamphlet", "source/e-seed"])
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split() for line in result.output.splitlines() if line.startswith(("a-", "e-"))
            and "pdf" not in line}
    assert rows["a-pamphlet"][4] == "0" and rows["e-seed"][4] == "4"  # tbe, 7.X1, Iiterature, a quote


def test_across_the_cores_gives_the_same_bytes_as_one_by_one(project: Path) -> None:
    folders = [project / "source" / name for name in ("a-pamphlet", "b-statement", "d-html")]
    many = {f.name: r.path.read_bytes() for f, r, _ in build_many(folders, BuildSettings(project / "two", jobs=2))}
    one = {f.name: r.path.read_bytes() for f, r, _ in build_many(folders, BuildSettings(project / "one", jobs=1))}
    assert many == one and len(many) == 3
