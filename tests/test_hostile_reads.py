"""A crafted document folder: links out of it, FIFOs, directories, huge files, no manifest.

Every entry point (build, handout, proof) reads only regular files inside the document
folder, within documented limits, and says what is wrong in one line; nothing hangs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from facsimile.cli import main
from facsimile.inputs import TEXT_LIMIT, TOML_LIMIT
from tests.conftest import PAMPHLET

SECRET = "root:x:0:0:a secret from outside the folder\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    return secret


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def facsimile(args: list[str], timeout: float = 60, cwd: Path | None = None,
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The command in its own process: a FIFO that hangs it fails the test instead of the suite."""
    return subprocess.run([sys.executable, "-m", "facsimile", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd, env=env)


@pytest.mark.parametrize("name", ["words.txt", "notes.toml", "corrections.toml"])
def test_a_symlink_out_of_the_folder_is_never_read_nor_embedded(pamphlet, outside, tmp_path, name):
    (pamphlet / name).unlink(missing_ok=True)
    (pamphlet / name).symlink_to(outside)
    code, output = run("build", str(pamphlet), "-o", str(tmp_path / "out"))
    assert code == 2
    assert f"{name}: error: file '{name}' is outside the document folder" in output
    assert not (tmp_path / "out" / f"{PAMPHLET.name}.pdf").exists()
    code, output = run("proof", str(pamphlet))
    if name != "notes.toml":  # proof reads corrections and words, not notes
        assert code == 2 and "outside the document folder" in output
    code, output = run("handout", str(pamphlet), "-o", str(tmp_path / "hand"))
    assert code == 2 and "outside the document folder" in output and SECRET not in output


def test_a_part_that_links_out_of_the_folder_is_refused(pamphlet, outside, tmp_path):
    (pamphlet / "letter.txt").unlink()
    (pamphlet / "letter.txt").symlink_to(outside)
    code, output = run("build", str(pamphlet), "-o", str(tmp_path / "out"))
    assert code == 2 and "document.toml" in output and "outside the document folder" in output
    assert "root:x" not in output


def test_a_link_that_stays_inside_the_folder_is_read(pamphlet, tmp_path):
    (pamphlet / "kept").mkdir()
    (pamphlet / "words.txt").rename(pamphlet / "kept" / "words.txt")
    (pamphlet / "words.txt").symlink_to(Path("kept") / "words.txt")
    code, output = run("build", str(pamphlet), "-o", str(tmp_path / "out"), "-q")
    assert code == 0, output


@pytest.mark.parametrize("name", ["words.txt", "letter.txt"])
def test_a_link_to_itself_is_named_with_no_traceback(pamphlet, tmp_path, name):
    (pamphlet / name).unlink()
    (pamphlet / name).symlink_to(name)  # a loop: Path.resolve raises RuntimeError on Python 3.11
    done = subprocess.run([sys.executable, "-m", "facsimile", "build", str(pamphlet), "-o", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and name in done.stderr and "outside the document folder" in done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("name", ["corrections.toml", "words.txt", "notes.toml", "letter.txt"])
def test_a_fifo_in_place_of_a_file_is_named_and_nothing_hangs(pamphlet, tmp_path, name):
    (pamphlet / name).unlink(missing_ok=True)
    os.mkfifo(pamphlet / name)
    done = facsimile(["build", str(pamphlet), "-o", str(tmp_path / "out")], timeout=60)
    assert done.returncode == 2
    assert f"{name}: error: this " in done.stderr and "a FIFO (named pipe), not a regular file" in done.stderr
    if name != "notes.toml":
        done = facsimile(["proof", str(pamphlet)], timeout=60)
        assert done.returncode == 2 and "FIFO" in done.stderr
    done = facsimile(["proof", str(pamphlet / name)], timeout=60)
    assert done.returncode == 2 and "FIFO" in done.stderr


def test_a_directory_in_place_of_the_corrections_is_an_error_never_skipped(pamphlet, tmp_path):
    (pamphlet / "corrections.toml").unlink()
    (pamphlet / "corrections.toml").mkdir()
    code, output = run("build", str(pamphlet), "-o", str(tmp_path / "out"))
    assert code == 2 and "corrections.toml: error: this file is a directory, not a regular file" in output


def test_an_unreadable_corrections_file_is_an_error(pamphlet, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    (pamphlet / "corrections.toml").chmod(0)
    code, output = run("build", str(pamphlet), "-o", str(tmp_path / "out"))
    assert code == 2 and "corrections.toml: error: cannot read" in output


def test_files_over_the_limits_are_refused_before_they_are_read(pamphlet, tmp_path):
    with (pamphlet / "letter.txt").open("ab") as handle:  # sparse: costs no disk
        handle.truncate(TEXT_LIMIT + 1)
    code, output = run("build", str(pamphlet), "-o", str(tmp_path / "out"))
    assert code == 2 and "letter.txt: error: this part file is" in output and "over the limit of 16 MiB" in output
    shutil.copy(PAMPHLET / "letter.txt", pamphlet / "letter.txt")
    with (pamphlet / "corrections.toml").open("ab") as handle:
        handle.truncate(TOML_LIMIT + 1)
    code, output = run("build", str(pamphlet), "-o", str(tmp_path / "out"))
    assert code == 2 and "over the limit of 4 MiB" in output


def test_a_folder_without_a_manifest_is_not_read_at_all(tmp_path):
    folder = tmp_path / "not-a-document"
    folder.mkdir()
    os.mkfifo(folder / "pipe")  # reading any file of it would hang
    with (folder / "big.bin").open("wb") as handle:
        handle.truncate(8 * 1024**3)  # sparse 8 GB
    done = facsimile(["build", str(folder), "-o", str(tmp_path / "out")], timeout=60)
    assert done.returncode == 2 and "document.toml: error: missing manifest" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_binary_file_given_to_proof_is_one_error(tmp_path):
    binary = tmp_path / "picture.png"
    binary.write_bytes(bytes(range(256)) * 4000)
    code, output = run("proof", str(binary))
    assert code == 2
    assert output.count("\n") == 1 and "this is a binary file, not text" in output


def test_a_file_of_many_bad_bytes_is_reported_in_a_bounded_number_of_lines(tmp_path):
    text = tmp_path / "latin1.txt"
    text.write_bytes(b"caf\xe9 " * 20_000)
    code, output = run("proof", str(text))
    assert code == 2
    assert output.count("\n") == 51 and "only the first 50 are shown" in output


def test_a_huge_text_for_proof_is_refused_at_once(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    code, output = run("proof", str(big))
    assert code == 2 and "50 MiB, over the limit of 4 MiB" in output


def test_a_ten_megabyte_line_is_one_error_at_its_place(make_document, tmp_path):
    folder = make_document({"a.txt": "word " * 2_000_000 + "\n"})
    code, output = run("build", str(folder), "-o", str(tmp_path / "out"))
    assert code == 2
    assert output.count("\n") == 1 and "a.txt:1:2000001: error: this line is 10,000,000 characters" in output
    code, output = run("proof", str(folder / "a.txt"))   # over proof's own size limit
    assert code == 2 and output.count("\n") == 1 and "over the limit of 4 MiB" in output
    line = tmp_path / "line.txt"   # under the size limit, over the line limit
    line.write_text("word " * 420_000 + "\n", encoding="utf-8")
    code, output = run("proof", str(line))
    assert code == 2 and "line.txt:1:2000001: error: this line is 2,100,000 characters" in output


def test_device_files_are_refused(tmp_path):
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    code, output = run("proof", "/dev/zero")
    assert code == 2 and "this file is a device, not a regular file" in output
