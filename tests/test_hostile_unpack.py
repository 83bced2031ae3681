"""A crafted PDF given to unpack: odd names, duplicates, unknown filters, devices, FIFOs;
the folder is written whole or not at all. Fuzzing of unpack."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from facsimile.cli import main
from facsimile.errors import FacsimileError
from facsimile.pdf.unpack import unpack

MANIFEST = b'title = "t"\ndate = "d"\nauthor = "a"\n[[parts]]\nfile = "a.txt"\nkind = "letter"\ntitle = "A"\n'


def crafted(path: Path, files: list[tuple[str, bytes]]) -> Path:
    """A PDF embedding the files as given (names, order and repeats as they are)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    for name, data in files:
        writer.add_attachment(name, data)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def run_unpack(pdf: Path, target: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["unpack", str(pdf), str(target)])
    return result.exit_code, result.output


@pytest.mark.parametrize("name", ["a.txt\n", "../a.txt", ".hidden", "a/../../b", "/etc/x", "a\\b", "a.txt\r"])
def test_names_that_are_not_plain_are_refused_and_nothing_is_written(tmp_path, name):
    pdf = crafted(tmp_path / "in.pdf", [("document.toml", MANIFEST), (name, b"x")])
    code, output = run_unpack(pdf, tmp_path / "target")
    assert code == 2 and "is not a plain name inside the target folder" in output
    assert not (tmp_path / "target").exists() and not list(tmp_path.glob(".target*"))


def test_a_name_embedded_twice_is_refused(tmp_path):
    pdf = crafted(tmp_path / "in.pdf", [("document.toml", MANIFEST), ("a.txt", b"one"), ("a.txt", b"two")])
    code, output = run_unpack(pdf, tmp_path / "target")
    assert code == 2 and "embeds 'a.txt' 2 times" in output
    assert not (tmp_path / "target").exists()


def test_a_folder_that_cannot_be_written_whole_is_not_written_at_all(tmp_path):
    pdf = crafted(tmp_path / "in.pdf", [("document.toml", MANIFEST), ("a", b"a file"), ("a/b", b"and a folder")])
    code, output = run_unpack(pdf, tmp_path / "target")
    assert code == 3 and "nothing was written" in output and "give unpack another TARGET folder" in output
    assert not (tmp_path / "target").exists() and not list(tmp_path.glob(".target*"))


def test_unpack_messages_name_its_own_arguments(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    pdf = crafted(tmp_path / "in.pdf", [("document.toml", MANIFEST)])
    code, output = run_unpack(pdf, tmp_path / "full")
    assert code == 2 and "TARGET exists" in output and "--out" not in output
    code, output = run_unpack(tmp_path / "absent.pdf", tmp_path / "t")
    assert code == 2 and "give unpack the path of a PDF" in output


def test_an_unknown_filter_in_an_embedded_stream_is_a_clear_error(tmp_path):
    pdf = crafted(tmp_path / "in.pdf", [("document.toml", MANIFEST)])
    data = pdf.read_bytes()
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for obj in writer._objects:
        if obj is not None and hasattr(obj, "get") and obj.get("/Type") == "/EmbeddedFile":
            obj[NameObject("/Filter")] = NameObject("/NoSuchDecode")
    with (tmp_path / "odd.pdf").open("wb") as handle:
        writer.write(handle)
    code, output = run_unpack(tmp_path / "odd.pdf", tmp_path / "target")
    assert code == 2 and "not a readable PDF" in output and "internal error" not in output


def test_dev_zero_and_a_fifo_are_refused_at_once(tmp_path):
    os.mkfifo(tmp_path / "pipe-of-a-pdf")
    for source in ("/dev/zero", str(tmp_path / "pipe-of-a-pdf")):
        done = subprocess.run([sys.executable, "-m", "facsimile", "unpack", source, str(tmp_path / "t")],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and "not a regular file" in done.stderr, done.stderr


def test_a_symlinked_target_is_refused(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere")
    pdf = crafted(tmp_path / "in.pdf", [("document.toml", MANIFEST)])
    code, output = run_unpack(pdf, tmp_path / "link")
    assert code == 2 and list((tmp_path / "elsewhere").iterdir()) == []


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
          max_examples=40)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=12), st.binary(max_size=40)), max_size=4),
       st.integers(min_value=0, max_value=400), st.binary(min_size=1, max_size=8))
def test_unpack_of_a_mangled_pdf_writes_a_whole_folder_or_fails_with_our_error(tmp_path_factory, files,
                                                                             at, junk):
    work = tmp_path_factory.mktemp("unpack")
    pdf = crafted(work / "in.pdf", [("document.toml", MANIFEST), *files])
    data = bytearray(pdf.read_bytes())
    if at % 3:  # damage it somewhere, or not
        data[at % len(data):at % len(data) + len(junk)] = junk
    pdf.write_bytes(bytes(data))
    target = work / "target"
    try:
        written = unpack(pdf, target)
    except FacsimileError:
        assert not target.exists() and not list(work.glob(".target*"))
        return
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == \
        sorted(p.relative_to(target).as_posix() for p in written)
