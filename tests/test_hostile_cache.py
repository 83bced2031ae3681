"""The cache is untrusted, keys are stable, outputs never overwrite inputs, killed builds leave
nothing that lives forever."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from facsimile.build import build_document
from facsimile.cache import CACHE_DIR, Cache
from facsimile.cli import main
from facsimile.errors import OutputError
from tests.conftest import PAMPHLET, ROOT
from tests.hostile import hostile_pdf, scan_image
from tests.test_hardening import active_content, add_scan


def entries(out: Path, part: str) -> list[Path]:
    return sorted((out / CACHE_DIR).glob(f"{PAMPHLET.name}.{part}.*"))


def test_entries_swapped_between_parts_are_dropped_redrawn_and_said(pamphlet, tmp_path):
    out = tmp_path / "out"
    build_document(pamphlet, out)
    cold = build_document(pamphlet, tmp_path / "cold", use_cache=False).path.read_bytes()
    (letter,), (enclosure,) = entries(out, "letter"), entries(out, "enclosure-1")
    letter_bytes, enclosure_bytes = letter.read_bytes(), enclosure.read_bytes()
    letter.write_bytes(enclosure_bytes)
    enclosure.write_bytes(letter_bytes)
    (out / f"{PAMPHLET.name}.pdf").unlink()
    report = build_document(pamphlet, out)
    assert {p.id for p in report.parts if not p.cached} == {"letter", "enclosure-1"}
    assert len(report.warnings) == 2 and all("damaged or foreign cache entry" in w for w in report.warnings)
    assert report.path.read_bytes() == cold  # the same bytes as a build without the cache


def test_a_crafted_entry_with_a_valid_shape_but_no_seal_is_not_used(pamphlet, tmp_path):
    out = tmp_path / "out"
    build_document(pamphlet, out)
    (entry,) = entries(out, "letter")
    entry.write_bytes(b'[[576.0, 936.0, "BT /F1 40 Tf 72 500 Td (INJECTED) Tj ET", []]]')
    (out / f"{PAMPHLET.name}.pdf").unlink()
    result = CliRunner().invoke(main, ["build", str(pamphlet), "-o", str(out)])
    assert result.exit_code == 0
    assert "warning: a damaged or foreign cache entry: dropped, part 'letter' is drawn again" in result.output
    assert b"INJECTED" not in (out / f"{PAMPHLET.name}.pdf").read_bytes()


def test_a_cached_scan_is_stripped_like_a_fresh_one(pamphlet, tmp_path):
    """Even an entry sealed correctly (by someone who knows how) carries no action into the PDF."""
    scan_image(pamphlet / "scan-letter.png", (300, 450))
    add_scan(pamphlet, "scan-letter.png")
    out = tmp_path / "out"
    build_document(pamphlet, out)
    (entry,) = entries(out, "scan-letter")
    key = entry.name.rsplit(".", 1)[1]
    crafted = hostile_pdf(tmp_path / "crafted.pdf").read_bytes()
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(tmp_path / "crafted.pdf"))
    writer.pages[0].mediabox.upper_right = (576, 936)
    import io

    buffer = io.BytesIO()
    writer.write(buffer)
    crafted = buffer.getvalue()
    Cache(out).keep_part(PAMPHLET.name, "scan-letter", key, crafted)
    (out / f"{PAMPHLET.name}.pdf").unlink()
    report = build_document(pamphlet, out)
    assert [p.cached for p in report.parts if p.id == "scan-letter"] == [True]
    sources = {p.name for p in PAMPHLET.iterdir()}
    assert active_content(report.path, sources) == []


def test_an_unwritable_cache_is_a_warning_and_the_build_succeeds(pamphlet, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / CACHE_DIR).write_text("a file where the cache folder goes\n")
    result = CliRunner().invoke(main, ["build", str(pamphlet), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "warning: the cache cannot be written" in result.output and "building without it" in result.output
    assert (out / f"{PAMPHLET.name}.pdf").exists()
    cold = build_document(pamphlet, tmp_path / "cold", use_cache=False).path.read_bytes()
    assert (out / f"{PAMPHLET.name}.pdf").read_bytes() == cold


def test_cache_cleanup_lists_the_cache_once_whatever_the_parts(tmp_path, monkeypatch):
    cache = Cache(tmp_path)
    cache.folder.mkdir()
    for part in range(2000):  # 2,000 parts, 6 versions each
        for version in range(6):
            path = cache.folder / f"doc.p{part}.{version:032x}"
            path.write_bytes(b"")
            os.utime(path, (1000 + version, 1000 + version))
    listings = []
    real = os.scandir
    monkeypatch.setattr(os, "scandir", lambda p=".": listings.append(p) or real(p))
    cache.prune("doc")
    assert len(listings) <= 2  # once for stale temporary files, once for the versions
    left = sorted(p.name for p in cache.folder.iterdir() if p.name.startswith("doc.p7."))
    assert left == [f"doc.p7.{v:032x}" for v in (2, 3, 4, 5)]  # the newest four of each part


KEYS = """
import sys
from pathlib import Path
from facsimile.build import part_keys, prepare
from facsimile.cache import document_key
from facsimile.locations import fonts_folder
folder = Path(sys.argv[1])
doc, grid, stack, chars = prepare(folder, None, None, False)
print(document_key(folder, fonts_folder(), "options"))
print(" ".join(part_keys(doc, grid, stack, chars)))
"""


def test_every_cache_key_is_the_same_whatever_the_hash_seed(make_document):
    # Characters of two faces in about equal numbers: the order in which a set of them is
    # walked (it follows the hash seed) decided the order of the faces in the key.
    folder = make_document({"a.txt": "Signs: § ¶ © ® ° ± ² ³ µ · ¹ º « » ¼ ½ ¾ × ÷ ¢ £ ¥ ¦ ¬ ª.\n",
                            "b.txt": "A second part, of other letters: qwertyuiop zxcvbnm.\n"})
    seen = set()
    for seed in ("0", "1", "2", "3", "4", "5", "12345", "4294967295"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", KEYS, str(folder)], capture_output=True, text=True,
                              env=env, cwd=ROOT, timeout=120)
        assert done.returncode == 0, done.stderr
        seen.add(done.stdout)
    assert len(seen) == 1
    document, parts = seen.pop().splitlines()
    assert len(document) == 64 and len(parts.split()) == 2


def test_the_output_folder_set_to_the_document_folder_never_overwrites_a_scan(pamphlet, tmp_path):
    scan = scan_image(pamphlet / f"{PAMPHLET.name}.png", (300, 450))
    scan.rename(pamphlet / "scan.png")
    pdf_scan = pamphlet / f"{PAMPHLET.name}.pdf"
    hostile_pdf(pdf_scan)  # a scan part named exactly like the PDF the build writes
    add_scan(pamphlet, pdf_scan.name)
    before = pdf_scan.read_bytes()
    with pytest.raises(OutputError) as caught:
        build_document(pamphlet, pamphlet)
    assert "the output would overwrite" in str(caught.value) and "which the build reads" in str(caught.value)
    assert pdf_scan.read_bytes() == before
    result = CliRunner().invoke(main, ["build", str(pamphlet), "-o", str(pamphlet)])
    assert result.exit_code == 3 and pdf_scan.read_bytes() == before


def test_two_documents_with_one_name_are_an_error_before_anything_is_written(tmp_path):
    first, second = tmp_path / "a" / "doc", tmp_path / "b" / "doc"
    shutil.copytree(PAMPHLET, first)
    shutil.copytree(PAMPHLET, second)
    for command, written in (("build", "doc.pdf"), ("handout", "doc-handout.pdf")):
        result = CliRunner().invoke(main, [command, str(first), str(second), "-o", str(tmp_path / "out")])
        assert result.exit_code == 2
        assert "would both be written to" in result.output and "--out" in result.output
        assert not (tmp_path / "out" / written).exists()
    result = CliRunner().invoke(main, ["build", str(first), str(first), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0  # the same folder twice is built once


STALLED = """
import os, sys, time
from pathlib import Path
import facsimile.atomic as atomic
def stall(fd):
    print("writing", flush=True)
    time.sleep(600)
os.fsync = stall
atomic.write_atomic(Path(sys.argv[1]), b"%PDF-1.7 half a file")
"""


def test_a_build_killed_mid_write_leaves_no_temporary_file_after_the_next_run(pamphlet, tmp_path):
    out = tmp_path / "out"
    writer = subprocess.Popen([sys.executable, "-c", STALLED, str(out / f"{PAMPHLET.name}.pdf")],
                              stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
        assert [p.name for p in out.glob(".*.tmp")], "the writer made its temporary file"
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        if writer.stdout is not None:
            writer.stdout.close()
    assert len(list(out.glob(".*.tmp"))) == 1  # what SIGKILL leaves
    build_document(pamphlet, out)
    assert list(out.glob(".*.tmp")) == []
    assert list((out / CACHE_DIR).glob(".*.tmp")) == []


def test_image_scans_make_pages_qpdf_and_poppler_find_valid(pamphlet, tmp_path):
    if not (shutil.which("qpdf") and shutil.which("pdftoppm")):
        pytest.skip("qpdf and poppler-utils not installed")
    scan_image(pamphlet / "scan-letter.png", (300, 450))
    add_scan(pamphlet, "scan-letter.png")
    pdf = build_document(pamphlet, tmp_path / "out").path
    check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert check.returncode == 0 and "WARNING" not in check.stdout + check.stderr
    render = subprocess.run(["pdftoppm", "-r", "20", "-f", "5", "-l", "5", "-png", str(pdf),
                             str(tmp_path / "page")], capture_output=True, text=True)
    assert render.returncode == 0 and render.stderr == ""  # no "Unknown font tag 'F1'"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
    assert text.stderr == ""


def test_a_listing_another_version_wrote_is_read_again_so_an_edit_is_never_missed(pamphlet: Path,
                                                                                   tmp_path: Path,
                                                                                   monkeypatch: pytest.MonkeyPatch):
    """The record keeps what document.toml names, so that an unchanged build need not parse it.
    What it names is this code's reading of it: a listing an older version wrote (here, one that
    did not read the last part) must not stand for this version's, or an edit to that part would
    never be built."""
    import hashlib

    from facsimile import cache

    out = tmp_path / "out"
    digest = hashlib.sha256((pamphlet / "document.toml").read_bytes()).hexdigest()
    with monkeypatch.context() as older:
        real = cache.named_files

        def older_reading(folder: Path, known: dict[str, list[str]] | None = None) -> list[str]:
            names = real(folder, known)
            cache._LISTED[digest] = cache._LISTED[digest][:-1]
            return names[:-1]

        older.setattr(cache, "_CODE", ["an older facsimile, which did not read the last part"])
        older.setattr(cache, "named_files", older_reading)
        build_document(pamphlet, out)
    assert not build_document(pamphlet, out).unchanged  # this version: its code changed
    assert build_document(pamphlet, out).unchanged
    with (pamphlet / "imprint.txt").open("a", encoding="utf-8") as imprint:
        imprint.write("\nReprinted as a test.\n")
    assert not build_document(pamphlet, out).unchanged
