"""A build with nothing to do answered from its last build's file stamps (facsimile/stamps.py):
fast, and never at the cost of a stale PDF. Each test starts from a project whose files are
older than the window in which a stamp is not trusted (stamps.RACY_NS), as an archivist's
are; files a test then writes are that recent, so the content keys answer for them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from facsimile.stamps import RACY_NS
from tests.conftest import PAMPHLET, ROOT

SCENARIOS = 14  # the tests below that take an aged project
LETTER = "letter.txt"


@pytest.fixture(scope="module")
def aged(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Projects made at once, then left to age past the racy window (one wait for them all)."""
    made = []
    for n in range(SCENARIOS):
        project = tmp_path_factory.mktemp(f"aged{n}")
        shutil.copytree(PAMPHLET, project / "source" / PAMPHLET.name)
        shutil.copytree(ROOT / "fonts", project / "fonts")
        made.append(project)
    time.sleep(RACY_NS / 1e9 + 0.2)
    return made


@pytest.fixture
def project(aged: list[Path]) -> Path:
    assert aged, "more tests take an aged project than SCENARIOS says"
    return aged.pop()


def run(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-X", "importtime", "-m", "facsimile", *args], cwd=project,
                          capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})})


def imported(result: subprocess.CompletedProcess) -> set[str]:
    return {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}


def answered_by_stamps(result: subprocess.CompletedProcess) -> bool:
    """Said unchanged without hashing a file: neither pathlib nor hashlib was imported."""
    return result.returncode == 0 and "unchanged" in result.stdout and not {"pathlib", "hashlib"} & imported(result)


def test_a_build_with_nothing_changed_is_answered_from_the_stamps(project):
    assert run(project, "build", "-q").returncode == 0
    again = run(project, "build")
    assert answered_by_stamps(again), again.stderr[-500:]
    assert re.fullmatch(rf"out/{PAMPHLET.name}\.pdf: unchanged, \d+ ms\n", again.stdout)
    quiet = run(project, "build", "-q")
    assert answered_by_stamps(quiet) is False and quiet.returncode == 0 and quiet.stdout == ""
    named = run(project, "build", f"source/{PAMPHLET.name}")  # another command: its own record
    assert named.returncode == 0 and "unchanged" in named.stdout and "pathlib" in imported(named)
    assert answered_by_stamps(run(project, "build", f"source/{PAMPHLET.name}"))


def test_an_edit_that_keeps_the_size_of_a_part_is_built(project):
    assert run(project, "build", "-q").returncode == 0
    letter = project / "source" / PAMPHLET.name / LETTER
    text = letter.read_text(encoding="utf-8")
    assert "Comrade" in text
    before = letter.stat()
    letter.write_text(text.replace("Comrade", "Kamrade", 1), encoding="utf-8")
    assert letter.stat().st_size == before.st_size
    os.utime(letter, ns=(before.st_atime_ns, before.st_mtime_ns))  # even with its time put back
    changed = run(project, "build")
    assert changed.returncode == 0 and "letter: 1 page, drawn" in changed.stdout, changed.stdout


def test_a_file_touched_but_not_changed_is_checked_by_its_content(project):
    assert run(project, "build", "-q").returncode == 0
    os.utime(project / "source" / PAMPHLET.name / LETTER)
    again = run(project, "build")
    assert again.returncode == 0 and "unchanged" in again.stdout and "hashlib" in imported(again)


def test_a_document_added_under_source_is_built_by_a_plain_build(project):
    assert run(project, "build", "-q").returncode == 0
    shutil.copytree(project / "source" / PAMPHLET.name, project / "source" / "second")
    both = run(project, "build")
    assert both.returncode == 0 and "out/second.pdf" in both.stdout and (project / "out" / "second.pdf").is_file()


def test_a_pdf_removed_or_replaced_is_written_again(project):
    assert run(project, "build", "-q").returncode == 0
    pdf = project / "out" / f"{PAMPHLET.name}.pdf"
    good = pdf.read_bytes()
    pdf.unlink()
    assert run(project, "build", "-q").returncode == 0 and pdf.read_bytes() == good
    pdf.write_bytes(good[:-10] + b"0123456789")  # the same size, other bytes
    again = run(project, "build")
    assert again.returncode == 0 and "unchanged" not in again.stdout and pdf.read_bytes() == good


def test_other_options_are_not_answered_by_another_commands_record(project):
    assert run(project, "build", "-q").returncode == 0
    clean = run(project, "build", "--look", "clean")
    assert clean.returncode == 0 and "unchanged" not in clean.stdout
    dated = run(project, "build", env={"SOURCE_DATE_EPOCH": "315532800"})
    assert dated.returncode == 0 and "unchanged" not in dated.stdout


def test_a_damaged_or_forged_record_only_sends_the_check_to_the_content_keys(project):
    assert run(project, "build", "-q").returncode == 0
    (record,) = (project / "out" / ".facsimile-cache").glob("build-*.stamps")
    lines = record.read_text(encoding="utf-8").split("\n")
    letter = next(i for i, line in enumerate(lines) if line.endswith("/" + LETTER))
    lines[letter] = "in\t1:2:3:4\t" + lines[letter].split("\t", 2)[2]  # a stamp that is not the file's
    record.write_text("\n".join(lines), encoding="utf-8")  # and its checksum no longer matches
    again = run(project, "build")
    assert again.returncode == 0 and "unchanged" in again.stdout and "hashlib" in imported(again)
    letter_file = project / "source" / PAMPHLET.name / LETTER
    letter_file.write_text(letter_file.read_text(encoding="utf-8").replace("Comrade", "Kamrade", 1), encoding="utf-8")
    changed = run(project, "build")
    assert changed.returncode == 0 and "letter: 1 page, drawn" in changed.stdout


def test_a_part_reached_through_a_link_that_is_pointed_elsewhere_is_built(project):
    folder = project / "source" / PAMPHLET.name
    (folder / LETTER).rename(folder / "letter-a.txt")
    text = (folder / "letter-a.txt").read_text(encoding="utf-8")
    (folder / "letter-b.txt").write_text(text.replace("Comrade", "Kamrade", 1), encoding="utf-8")
    (folder / LETTER).symlink_to("letter-a.txt")
    for name in ("letter-a.txt", "letter-b.txt"):  # old, as the aged project's other files
        os.utime(folder / name, (time.time() - 60, time.time() - 60))
    time.sleep(RACY_NS / 1e9 + 0.2)  # renamed and linked just now: let the change times age
    assert run(project, "build", "-q").returncode == 0
    assert answered_by_stamps(run(project, "build"))
    (folder / LETTER).unlink()
    (folder / LETTER).symlink_to("letter-b.txt")
    changed = run(project, "build")
    assert changed.returncode == 0 and "letter: 1 page, drawn" in changed.stdout


def test_a_changed_typeface_manifest_is_built_again(project):
    fonts = {"FACSIMILE_FONTS": str(project / "fonts")}
    assert run(project, "build", "-q", env=fonts).returncode == 0
    assert answered_by_stamps(run(project, "build", env=fonts))
    manifest = project / "fonts" / "fonts.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "\n# a note\n", encoding="utf-8")
    changed = run(project, "build", env=fonts)
    assert changed.returncode == 0 and "unchanged" not in changed.stdout


def test_a_folder_whose_name_the_locale_cannot_spell_is_answered_too(project):
    folder = project / "source" / "brochure-\u00e9t\u00e9"
    (project / "source" / PAMPHLET.name).rename(folder)
    posix = {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    built = run(project, "build", "-q", str(folder), env=posix)
    assert built.returncode == 0 and "Traceback" not in built.stderr, built.stderr[-800:]
    again = run(project, "build", str(folder), env=posix)
    assert answered_by_stamps(again) and "Traceback" not in again.stderr


def test_a_pdf_another_build_wrote_over_is_not_vouched_for(tmp_path, monkeypatch):
    """Between this build's writing its PDF and keeping its record, another build (a watch
    with other options, say) writes the same file: the record must not vouch for that PDF."""
    import gc

    import facsimile.launch as launch
    from facsimile import buildcmd

    shutil.copytree(PAMPHLET, tmp_path / "source" / PAMPHLET.name)
    pdf = tmp_path / "out" / f"{PAMPHLET.name}.pdf"
    real = buildcmd.run_build

    def then_another(**params):
        code = real(**params)
        other = pdf.with_suffix(".other")
        other.write_bytes(pdf.read_bytes().replace(b"%%EOF", b"%%EOF\n%another"))
        os.replace(other, pdf)
        return code

    def finish(code: int) -> None:
        raise SystemExit(code)

    monkeypatch.setattr(buildcmd, "run_build", then_another)
    monkeypatch.setattr(launch, "finish", finish)
    monkeypatch.setattr(gc, "set_threshold", lambda *args: None)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["facsimile", "build", "-q"])
    with pytest.raises(SystemExit) as ended:
        launch.main()
    assert ended.value.code == 0 and b"%another" in pdf.read_bytes()
    assert not list((tmp_path / "out" / ".facsimile-cache").glob("build-*.stamps"))


def test_an_output_folder_keeps_the_records_of_its_last_commands_only(tmp_path, monkeypatch):
    from facsimile import stamps

    monkeypatch.chdir(tmp_path)
    for seed in range(stamps.RECORDS_KEPT + 4):
        given = {"sources": ("doc",), "out_dir": "out", **{name: None for name in stamps.OPTIONS}, "seed": seed}
        stamps.record(given, [], [("out/doc.pdf", str(tmp_path / "out" / "doc.pdf"), "1:2:3:4")], [])
        time.sleep(0.01)  # each record newer than the last
    kept = sorted((tmp_path / "out" / ".facsimile-cache").glob("build-*.stamps"))
    assert len(kept) == stamps.RECORDS_KEPT
    newest = {"sources": ("doc",), "out_dir": "out", **{name: None for name in stamps.OPTIONS},
              "seed": stamps.RECORDS_KEPT + 3}
    assert Path(stamps.record_path(newest, stamps.command_key(newest))).exists()


def test_a_manifest_saved_with_a_byte_order_mark_still_names_its_parts(project):
    manifest = project / "source" / PAMPHLET.name / "document.toml"
    manifest.write_bytes(b"\xef\xbb\xbf" + manifest.read_bytes().replace(b"\n", b"\r\n"))  # as Notepad saved it
    time.sleep(RACY_NS / 1e9 + 0.2)
    assert run(project, "build", "-q").returncode == 0
    assert answered_by_stamps(run(project, "build"))
    letter = project / "source" / PAMPHLET.name / LETTER
    letter.write_text(letter.read_text(encoding="utf-8").replace("Comrade", "Kamrade", 1), encoding="utf-8")
    changed = run(project, "build")
    assert changed.returncode == 0 and "letter: 1 page, drawn" in changed.stdout, changed.stdout


def test_another_copy_of_facsimile_does_not_answer_from_this_ones_record(project, tmp_path):
    import facsimile

    assert run(project, "build", "-q").returncode == 0
    assert answered_by_stamps(run(project, "build"))
    copy = tmp_path / "other-install"
    shutil.copytree(Path(facsimile.__file__).parent, copy / "facsimile",
                    ignore=shutil.ignore_patterns("__pycache__"))
    other = run(project, "build", env={"PYTHONPATH": str(copy)})
    assert other.returncode == 0 and not answered_by_stamps(other)  # its own content keys answer


def test_a_folder_given_through_a_link_and_dot_dot_is_stamped_where_the_kernel_goes(project):
    (project / "source" / "sub").mkdir()
    work = project / "work"
    work.mkdir()
    (work / "lnk").symlink_to(project / "source" / "sub")
    given = f"lnk/../{PAMPHLET.name}"  # the kernel: source/sub, then up: source/<document>
    built = subprocess.run([sys.executable, "-m", "facsimile", "build", "-q", given], cwd=work,
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    letter = project / "source" / PAMPHLET.name / LETTER
    letter.write_text(letter.read_text(encoding="utf-8").replace("Comrade", "Kamrade", 1), encoding="utf-8")
    changed = subprocess.run([sys.executable, "-m", "facsimile", "build", given], cwd=work,
                             capture_output=True, text=True, timeout=300)
    assert changed.returncode == 0 and "letter: 1 page, drawn" in changed.stdout, changed.stdout


def test_a_linked_folder_pointed_at_a_renamed_copy_writes_the_pdf_of_its_new_name(project):
    (project / "doc").symlink_to(project / "source" / PAMPHLET.name)
    assert run(project, "build", "-q", "doc").returncode == 0
    assert answered_by_stamps(run(project, "build", "doc"))
    (project / "source" / PAMPHLET.name).rename(project / "source" / "renamed")
    (project / "doc").unlink()
    (project / "doc").symlink_to(project / "source" / "renamed")
    again = run(project, "build", "doc")
    assert again.returncode == 0 and "out/renamed.pdf" in again.stdout and (project / "out" / "renamed.pdf").is_file()


def test_a_fifo_or_a_huge_file_in_place_of_a_record_is_no_answer_and_no_hang(tmp_path):
    shutil.copytree(PAMPHLET, tmp_path / "source" / PAMPHLET.name)
    assert run(tmp_path, "build", "-q").returncode == 0
    (record,) = (tmp_path / "out" / ".facsimile-cache").glob("build-*.stamps")
    record.unlink()
    os.mkfifo(record)  # a reader that opens it blocks until someone writes: the build must not
    done = subprocess.run([sys.executable, "-m", "facsimile", "build"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and "unchanged" in done.stdout and record.is_file()
    record.write_bytes(b"x" * 3_000_000)
    again = run(tmp_path, "build")
    assert again.returncode == 0 and "unchanged" in again.stdout and "hashlib" in imported(again)
