"""Bad, hostile and huge input, faults and environment: clear errors, nothing lost, nothing let in."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from facsimile.build import build_document
from facsimile.cli import main
from facsimile.errors import OutputError, SourceError
from tests.conftest import PAMPHLET, ROOT
from tests.helpers import pypdf_words
from tests.hostile import hostile_pdf, scan_image

SCAN_PART = """
[[parts]]
id = "{id}"
file = "{file}"
kind = "scan"
title = "{title}"
label = "S-"
"""


def add_scan(folder: Path, file: str, title: str = "Scan of the original") -> None:
    with (folder / "document.toml").open("a", encoding="utf-8") as manifest:
        manifest.write(SCAN_PART.format(id=Path(file).stem, file=file, title=title))


def active_content(pdf: Path, sources: set[str] | None = None) -> list[str]:
    """Every way the PDF could act: actions, scripts, links, annotations, foreign attachments."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    found = []
    root = reader.trailer["/Root"]
    for key in ("/OpenAction", "/AA", "/AcroForm"):
        if key in root:
            found.append(key)
    names = root.get("/Names", {})
    if "/JavaScript" in names:
        found.append("/JavaScript")
    for page in reader.pages:
        for key in ("/Annots", "/AA"):
            if key in page:
                found.append(f"page {key}")
    allowed = sources if sources is not None else {p.name for p in PAMPHLET.iterdir()}
    found.extend(f"attachment {name}" for name in reader.attachments if name not in allowed)
    return found


def test_a_scanned_image_builds_as_a_part_with_bookmark_and_labels(pamphlet, tmp_path):
    scan_image(pamphlet / "scan-letter.png")
    add_scan(pamphlet, "scan-letter.png", "Scan of the covering letter")
    report = build_document(pamphlet, tmp_path / "out")
    from pypdf import PdfReader

    reader = PdfReader(report.path)
    assert len(reader.pages) == 5
    assert reader.page_labels[-1] == "S-1"
    assert reader.outline[-1]["/Title"] == "Scan of the covering letter"
    assert reader.get_destination_page_number(reader.outline[-1]) == 4
    page = reader.pages[4]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (576.0, 936.0)
    assert "/XObject" in page["/Resources"]
    assert [r.id for r in report.parts][-1] == "scan-letter"


def test_a_supplied_pdf_is_placed_without_its_actions_links_or_files(pamphlet, tmp_path):
    hostile_pdf(pamphlet / "supplied.pdf")
    add_scan(pamphlet, "supplied.pdf")
    report = build_document(pamphlet, tmp_path / "out")
    assert report.pages == 5
    assert active_content(report.path) == []
    assert b"payload" not in report.path.read_bytes()


def test_an_encrypted_pdf_is_refused(pamphlet, tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.encrypt("secret")
    with (pamphlet / "locked.pdf").open("wb") as handle:
        writer.write(handle)
    add_scan(pamphlet, "locked.pdf")
    with pytest.raises(SourceError) as caught:
        build_document(pamphlet, tmp_path / "out")
    assert "locked.pdf: error: this PDF is encrypted" in str(caught.value)
    assert not (tmp_path / "out" / f"{PAMPHLET.name}.pdf").exists()


def test_an_image_over_the_pixel_limit_is_refused_before_it_is_decoded(pamphlet, tmp_path):
    from PIL import Image

    Image.new("1", (12000, 9000)).save(pamphlet / "huge.png")  # small file, 108 million pixels
    add_scan(pamphlet, "huge.png")
    with pytest.raises(SourceError) as caught:
        build_document(pamphlet, tmp_path / "out")
    assert "this image is 12000 x 9000 pixels" in str(caught.value)


@pytest.mark.parametrize("name,data", [("broken.png", b"\x89PNG\r\n\x1a\nnot really"),
                                       ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog"),
                                       ("empty.jpg", b"")])
def test_a_damaged_scan_is_a_clear_error(pamphlet, tmp_path, name, data):
    (pamphlet / name).write_bytes(data)
    add_scan(pamphlet, name)
    result = CliRunner().invoke(main, ["build", str(pamphlet), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert f"{name}: error: " in line and "Traceback" not in result.output


def test_markup_looking_text_is_printed_exactly_and_adds_nothing(make_document, tmp_path):
    lines = ['<img src="/etc/passwd"> <a href="javascript:alert(1)">click</a>',
             "&amp; &lt; <font color=red>red</font> %PDF-1.4 endobj",
             "C:\\Windows\\system32 (parentheses) \\(escaped\\) ) ( \\",
             "<![CDATA[x]]> <script>alert(1)</script> /JavaScript /Launch"]
    folder = make_document({"a.txt": "\n\n".join(lines) + "\n"}, extra='look = "clean"')
    pdf = build_document(folder, tmp_path / "out").path
    assert pypdf_words(pdf) == " ".join(lines).split()
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert active_content(pdf, {"document.toml", "a.txt"}) == []
    assert "/XObject" not in reader.pages[0]["/Resources"]


def test_combining_accents_are_composed_and_typed(make_document, tmp_path):
    folder = make_document({"a.txt": "Cafe\u0301 and Zu\u0308rich\n"}, extra='look = "clean"')
    assert pypdf_words(build_document(folder, tmp_path / "out").path) == ["Café", "and", "Zürich"]


def test_right_to_left_text_is_an_error_naming_each_character(make_document, tmp_path):
    folder = make_document({"a.txt": "Shalom \u05e9\u05dc\u05d5\u05dd\n"})
    with pytest.raises(SourceError) as caught:
        build_document(folder, tmp_path / "out")
    found = [str(d) for d in caught.value.diagnostics]
    assert len(found) == 4 and "U+05E9 HEBREW LETTER SHIN is in no typeface" in found[0]
    assert [f.split(": error")[0].rsplit(":", 1)[1] for f in found] == ["8", "9", "10", "11"]


def test_an_empty_part_and_a_huge_word_are_clear_errors(make_document):
    folder = make_document({"a.txt": "\n\n   \n", "b.txt": "word " + "x" * 10_000 + "\n"})
    with pytest.raises(SourceError) as caught:
        build_document(folder, folder.parent / "out")
    text = str(caught.value)
    assert "a.txt:1:1: error: this part has no text" in text
    assert "b.txt:1:6: error: a word of 10000 characters is longer than the line" in text


def test_a_long_paragraph_builds_with_every_word(make_document, tmp_path):
    words = [f"w{n}" for n in range(20_000)]
    folder = make_document({"a.txt": " ".join(words) + "\n"}, extra='look = "clean"')
    report = build_document(folder, tmp_path / "out", use_cache=False)
    assert report.pages > 20
    body = [w for w in pypdf_words(report.path) if w.startswith("w")]
    assert body == words  # every word once, in order, across the pages


def test_a_missing_or_damaged_font_is_a_clear_error(pamphlet, tmp_path, monkeypatch):
    from facsimile import fonts

    fonts_copy = tmp_path / "fonts"
    shutil.copytree(ROOT / "fonts", fonts_copy)
    monkeypatch.setenv("FACSIMILE_FONTS", str(fonts_copy))
    monkeypatch.setattr(fonts, "_CACHE", {})
    (fonts_copy / "GNUTypewriter.ttf").write_bytes(b"\x00\x01\x00\x00 truncated")
    result = CliRunner().invoke(main, ["build", str(pamphlet), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "GNUTypewriter.ttf: error: this font file is not the one" in result.output
    (fonts_copy / "GNUTypewriter.ttf").unlink()
    monkeypatch.setattr(fonts, "_CACHE", {})
    result = CliRunner().invoke(main, ["build", str(pamphlet), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "cannot read this font" in result.output


def test_a_full_disk_leaves_the_previous_pdf_and_no_temporary_file(pamphlet, tmp_path, monkeypatch):
    from facsimile import atomic

    out = tmp_path / "out"
    before = build_document(pamphlet, out).path.read_bytes()
    (pamphlet / "letter.txt").write_text((pamphlet / "letter.txt").read_text() + "\nMore.\n")

    def no_space(fd: int, mode: str):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fdopen", no_space)
    with pytest.raises(OutputError) as caught:
        build_document(pamphlet, out)
    assert "No space left on device" in str(caught.value) and "previous file is unchanged" in str(caught.value)
    assert (out / f"{PAMPHLET.name}.pdf").read_bytes() == before
    assert not [p for p in out.rglob("*.tmp")]


def test_an_interrupt_midway_leaves_only_complete_files(pamphlet, tmp_path, monkeypatch):
    from facsimile import build

    out = tmp_path / "out"
    before = build_document(pamphlet, out).path.read_bytes()
    (pamphlet / "letter.txt").write_text((pamphlet / "letter.txt").read_text() + "\nMore.\n")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "assemble", interrupted)  # the last step before the write
    result = CliRunner().invoke(main, ["build", str(pamphlet), "-o", str(out)])
    assert result.exit_code == 130 and "interrupted" in result.output
    assert (out / f"{PAMPHLET.name}.pdf").read_bytes() == before
    assert not [p for p in out.rglob("*.tmp")]


def test_two_builds_at_once_never_leave_a_torn_file(pamphlet, tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "facsimile.cli", "build", str(pamphlet), "-o", str(out), "-q",
               "--no-cache"]
    runs = [subprocess.Popen(command + ["--seed", str(seed)]) for seed in (1, 2)]
    assert [run.wait(timeout=120) for run in runs] == [0, 0]
    expected = {build_document(pamphlet, tmp_path / f"seed{s}", seed=s).path.read_bytes() for s in (1, 2)}
    assert (out / f"{PAMPHLET.name}.pdf").read_bytes() in expected
    assert not [p for p in out.rglob("*.tmp")]


def test_local_reportlab_settings_and_rl_variables_do_not_change_the_output(pamphlet, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "reportlab_settings.py").write_text("invariant = 0\npageCompression = 0\nuseA85 = 1\n"
                                                "ttfAsciiReadable = 0\n")
    command = [sys.executable, "-c", "import sys; from facsimile.cli import main; sys.exit(main())",
               "build", str(pamphlet), "-q", "--no-cache", "-o"]
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith("RL_")}
    plain = subprocess.run(command + [str(tmp_path / "plain")], env=clean_env, cwd=tmp_path)
    dirty_env = dict(clean_env, RL_invariant="0", RL_pageCompression="0", RL_useA85="1")
    dirty = subprocess.run(command + [str(tmp_path / "dirty")], env=dirty_env, cwd=work)
    assert plain.returncode == dirty.returncode == 0
    name = f"{PAMPHLET.name}.pdf"
    assert (tmp_path / "plain" / name).read_bytes() == (tmp_path / "dirty" / name).read_bytes()
