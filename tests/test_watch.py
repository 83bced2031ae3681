"""Watching: rebuilds on file events (or polling), through files and folders coming and going,
after failed builds, and from the command line; --open hands the PDF to the system's viewer."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

from facsimile.watch import relevant, snapshot, watch_sources
from facsimile.viewer import open_pdf
from tests.conftest import PAMPHLET, ROOT

PATIENCE = 60.0  # seconds to wait for something that should happen at once (a slow, shared machine)


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    target = tmp_path / "source" / PAMPHLET.name
    shutil.copytree(PAMPHLET, target)
    return target


class Watcher:
    """watch_sources in a thread; each rebuild's names arrive on a queue."""

    def __init__(self, folders: list[Path], poll: bool, ignore: tuple[Path, ...] = (), events: str = "auto") -> None:
        self.rebuilds: queue.Queue[list[str]] = queue.Queue()
        self.stop = threading.Event()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=watch_sources, args=(folders, self.rebuilds.put),
                                       kwargs={"ignore": ignore, "stop": self.stop, "poll": poll,
                                               "poll_seconds": 0.05, "events": events}, daemon=True)

    def next(self) -> list[str]:
        got = self.rebuilds.get(timeout=PATIENCE)
        return got

    def until(self, name: str) -> list[str]:
        """The names of each rebuild until one names `name` (an editor may cause several)."""
        seen: list[str] = []
        while name not in seen:
            seen.extend(self.next())
        return seen


@pytest.fixture(params=["inotify", "watchfiles", "polling"])
def watching(request, doc) -> Iterator[tuple[Watcher, Path]]:
    """The watcher in a thread with each source of changes: Linux's inotify (where there is
    one), watchfiles (the other systems' events) and polling."""
    if request.param == "inotify" and not sys.platform.startswith("linux"):
        pytest.skip("inotify is Linux's")
    watcher = Watcher([doc], request.param == "polling", ignore=(doc / "out",),
                      events=request.param if request.param != "polling" else "auto")
    watcher.thread.start()
    yield watcher, doc
    watcher.stop.set()
    watcher.thread.join(PATIENCE)


def settle(watcher: Watcher, doc: Path) -> None:
    """Make sure the watcher is watching: touch a probe file until a rebuild names it."""
    probe = doc / "probe.txt"
    probe.write_text("probe")
    while True:
        try:
            if "probe.txt" in watcher.rebuilds.get(timeout=0.5):
                break
        except queue.Empty:
            probe.write_text(probe.read_text() + ".")
    probe.unlink()
    watcher.until("probe.txt")
    quiet(watcher.rebuilds)


def quiet(rebuilds: queue.Queue, seconds: float = 1.0) -> None:
    """Take what is left of the probing (a probe written again while a slow machine built the
    first write gives a rebuild more) until nothing comes for a while, so that the test's own
    changes are the next rebuilds."""
    while True:
        try:
            rebuilds.get(timeout=seconds)
        except queue.Empty:
            return


def test_an_edit_rebuilds_with_the_file_named(watching):
    watcher, doc = watching
    settle(watcher, doc)
    letter = doc / "letter.txt"
    letter.write_text(letter.read_text() + "\nAn added line.\n")
    assert "letter.txt" in watcher.until("letter.txt")


def test_hidden_swap_and_output_files_are_not_changes(watching):
    watcher, doc = watching
    settle(watcher, doc)
    (doc / ".letter.txt.swp").write_text("swap")
    (doc / "letter.txt~").write_text("backup")
    (doc / "out").mkdir()
    (doc / "out" / "x.pdf").write_text("built")
    (doc / "words.txt").write_text((doc / "words.txt").read_text() + "Purkis\n")
    seen = watcher.until("words.txt")
    assert not any(name.startswith((".", "out")) or name.endswith("~") for name in seen), seen


def test_folders_and_files_appear_and_vanish_under_it(watching):
    watcher, doc = watching
    settle(watcher, doc)
    (doc / "scans").mkdir()
    (doc / "scans" / "page-1.txt").write_text("a scan, say")
    watcher.until("scans/page-1.txt")
    shutil.rmtree(doc / "scans")
    watcher.until("scans/page-1.txt")
    (doc / "notes.toml").unlink()
    watcher.until("notes.toml")
    (doc / "letter.txt").write_text((doc / "letter.txt").read_text() + "\nMore.\n")
    watcher.until("letter.txt")


def test_the_folder_itself_may_vanish_and_come_back(watching, tmp_path):
    watcher, doc = watching
    settle(watcher, doc)
    away = tmp_path / "away"
    os.rename(doc, away)  # as a checkout of another branch, or a folder moved away
    watcher.next()
    os.rename(away, doc)
    watcher.next()  # it is back: a build
    (doc / "letter.txt").write_text((doc / "letter.txt").read_text() + "\nBack.\n")
    watcher.until("letter.txt")  # and its files are watched again


@pytest.fixture(params=["inotify", "watchfiles"])
def saves(request, doc) -> Iterator[tuple[queue.Queue[tuple[list[str], str]], Path]]:
    """A watcher on file events whose every rebuild records the names and letter.txt as the
    rebuild found it; it is in place once the fixture yields."""
    if request.param == "inotify" and not sys.platform.startswith("linux"):
        pytest.skip("inotify is Linux's")
    letter = doc / "letter.txt"
    found: queue.Queue[tuple[list[str], str]] = queue.Queue()
    found.source = request.param  # type: ignore[attr-defined]
    stop, ready = threading.Event(), threading.Event()
    thread = threading.Thread(target=watch_sources, args=([doc], lambda names: found.put((names, letter.read_text() if letter.exists() else ""))),
                              kwargs={"stop": stop, "ready": lambda how: ready.set(), "events": request.param},
                              daemon=True)
    thread.start()
    assert ready.wait(PATIENCE)
    yield found, doc
    stop.set()
    thread.join(PATIENCE)


def one_rebuild(found: queue.Queue[tuple[list[str], str]], final: str) -> list[str]:
    """The rebuilds a save gave, which must read the final text: with inotify exactly one,
    and none in the half second after it; watchfiles, which settles by time alone, may build
    a save caught half way on a busy machine before the rebuild of the whole."""
    names, text = found.get(timeout=PATIENCE)
    if events_source(found) == "watchfiles":
        while text != final:
            names, text = found.get(timeout=PATIENCE)
        return names
    assert text == final
    with pytest.raises(queue.Empty):
        print("a second rebuild:", found.get(timeout=0.5))
    return names


def events_source(found: queue.Queue[tuple[list[str], str]]) -> str:
    return getattr(found, "source")


def test_a_save_by_rename_is_one_rebuild_of_the_final_text(saves):
    """vim's way: a write test, the file renamed to a backup, the new file written, the backup
    removed; and sed -i's: a scratch file written and renamed over the part."""
    found, doc = saves
    letter = doc / "letter.txt"
    text = letter.read_text()
    (doc / "4913").write_text("")
    (doc / "4913").unlink()
    os.rename(letter, doc / "letter.txt~")
    letter.write_text(text + "\nSaved by vim.\n")
    (doc / "letter.txt~").unlink()
    assert one_rebuild(found, text + "\nSaved by vim.\n") == ["letter.txt"]
    scratch = doc / "sedX3bQ2a"
    scratch.write_text(text + "\nSaved by sed.\n")
    os.rename(scratch, letter)
    assert one_rebuild(found, text + "\nSaved by sed.\n") == ["letter.txt"]


def test_a_save_slowed_between_its_steps_is_still_one_rebuild(saves):
    """The same saves with the editor held up between its steps (a busy machine): the part
    moved away and not yet back, or made and not yet written, is not built half way."""
    found, doc = saves
    if events_source(found) == "watchfiles":
        pytest.skip("watchfiles settles by time alone")
    letter = doc / "letter.txt"
    text = letter.read_text()
    os.rename(letter, doc / "letter.txt~")
    time.sleep(0.03)
    with open(letter, "w", encoding="utf-8") as handle:
        time.sleep(0.03)
        handle.write(text + "\nSlow vim.\n")
    (doc / "letter.txt~").unlink()
    assert one_rebuild(found, text + "\nSlow vim.\n") == ["letter.txt"]


def test_a_file_written_in_pieces_is_one_rebuild_of_the_whole(saves):
    """A writer that pauses between pieces with the file open (a slow editor, a script)."""
    found, doc = saves
    if events_source(found) == "watchfiles":
        pytest.skip("watchfiles tells neither writes to a file it has seen change nor closes")
    letter = doc / "letter.txt"
    text = letter.read_text()
    with open(letter, "w", encoding="utf-8") as handle:
        handle.write(text[:100])
        handle.flush()
        time.sleep(0.06)
        handle.write(text[100:] + "\nIn pieces.\n")
        handle.flush()
        time.sleep(0.06)
    assert one_rebuild(found, text + "\nIn pieces.\n") == ["letter.txt"]


def test_relevant_leaves_out_what_no_build_reads(tmp_path):
    folder = tmp_path / "doc"
    assert relevant(folder / "letter.txt", [folder])
    assert relevant(folder / "scans" / "a.png", [folder])
    assert not relevant(folder / ".git" / "index", [folder])
    assert not relevant(folder / ".#letter.txt", [folder])
    assert not relevant(folder / "4913", [folder])
    assert not relevant(folder / "out" / "doc.pdf", [folder], [folder / "out"])
    assert not relevant(tmp_path / "elsewhere.txt", [folder])


def test_the_snapshot_and_the_inotify_watch_share_one_walk_that_skips_what_no_build_reads(tmp_path, monkeypatch):
    """Polling's snapshot and inotify's watches find the same files, and neither lists a folder
    no build reads (.git, the output folder inside the document): the snapshot used to list
    every folder under the document and only then leave their files out."""
    folder = tmp_path / "doc"
    kept = [folder / "letter.txt", folder / "scans" / "a.png"]
    for path in kept + [folder / ".git" / "objects" / "ab" / "cd", folder / "out" / "doc.pdf",
                        folder / "scans" / ".#a.png"]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    listed: list[Path] = []
    scandir = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path: (listed.append(Path(path)), scandir(path))[1])
    ignore = [folder / "out"]
    assert set(snapshot([folder], ignore)) == set(kept)
    assert sorted(listed) == [folder, folder / "scans"]
    if sys.platform.startswith("linux"):
        from facsimile.inotify_events import FolderEvents

        listed.clear()
        with FolderEvents([folder], lambda path: relevant(path, [folder], ignore)) as events:
            assert events.reported == set(kept)
            assert sorted(events.folders.values()) == [folder, folder / "scans"]
        assert sorted(listed) == [folder, folder / "scans"]


# ---- the command line, as a user runs it ---------------------------------------------------

class Command:
    """facsimile running in a child process, its output read line by line."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "facsimile", *args], cwd=cwd,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        env={**os.environ, **(env or {})})
        self.lines: queue.Queue[str] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.seen: list[str] = []

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def until(self, text: str) -> str:
        while True:
            try:
                line = self.lines.get(timeout=PATIENCE)
            except queue.Empty:
                raise AssertionError(f"no line with {text!r} after: {self.seen}") from None
            self.seen.append(line)
            if text in line:
                return line

    def __enter__(self) -> "Command":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(PATIENCE)
        self.reader.join(PATIENCE)  # the pipe ends with the process
        assert self.process.stdout is not None
        self.process.stdout.close()

    def interrupt(self) -> int:
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(PATIENCE)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return code


def test_facsimile_watch_rebuilds_reports_a_failure_and_keeps_watching(doc):
    project = doc.parent.parent
    with Command(["watch"], project) as command:
        command.until("out/balham-group-document-4.pdf: 4 pages")
        assert command.until("watching").startswith("watching source/balham-group-document-4 (file events")
        pdf = project / "out" / "balham-group-document-4.pdf"
        before = pdf.read_bytes()
        letter = doc / "letter.txt"
        good = letter.read_text()
        letter.write_text(good.replace("Face the facts.", "Face the facts, comrades."))
        stamped = command.until("letter.txt changed")
        assert stamped[0] == "[" and stamped[3] == ":" and stamped[9] == "]"  # [HH:MM:SS]
        command.until("  letter: 1 page, drawn")
        command.until("out/balham-group-document-4.pdf: 4 pages")
        assert pdf.read_bytes() != before
        letter.write_text(good + "\n@sideways text\n")
        command.until("letter.txt:")  # the error, at its place
        letter.write_text(good)
        command.until("out/balham-group-document-4.pdf: ")  # still watching: built again
        assert command.interrupt() == 0
        assert "facsimile: stopped watching" in command.seen
    # what a session remembers between rebuilds (parts, compressed streams, font codes) gives
    # the bytes a new process gives
    fresh = subprocess.run([sys.executable, "-m", "facsimile", "build", "--no-cache", "-q", "-o", "fresh"],
                           cwd=project, capture_output=True, text=True)
    assert fresh.returncode == 0, fresh.stderr
    assert (project / "fresh" / pdf.name).read_bytes() == pdf.read_bytes()


def test_build_watch_is_the_same_and_polls_on_request(doc):
    project = doc.parent.parent
    with Command(["build", "--watch", "--poll", "-o", "elsewhere"], project) as command:
        assert "(polling;" in command.until("watching")
        (doc / "words.txt").write_text((doc / "words.txt").read_text() + "Purkis\n")
        command.until("words.txt changed")
        command.until("elsewhere/balham-group-document-4.pdf")
        assert command.interrupt() == 0


def test_handout_watch_makes_the_handout_again(doc):
    project = doc.parent.parent
    with Command(["handout", "--watch"], project) as command:
        command.until("watching")
        (doc / "notes.toml").write_text((doc / "notes.toml").read_text() + "\n")
        command.until("notes.toml changed")
        command.until("out/balham-group-document-4-handout.pdf: facsimile edition, booklet")
        assert command.interrupt() == 0


def test_watch_rebuilds_when_a_font_given_by_font_path_is_edited(doc, tmp_path):
    """--font-path's folder is watched beside the document: fonts.toml or a face edited under
    the session gives a rebuild with the fonts as they are now, the same bytes as a new
    process makes with them; a face spoilt is an error, and mending it builds again."""
    project = doc.parent.parent
    fonts = tmp_path / "myfonts"
    shutil.copytree(ROOT / "fonts", fonts)
    pdf = project / "out" / "balham-group-document-4.pdf"
    with Command(["watch", "--font-path", str(fonts)], project) as command:
        assert "and the fonts in myfonts (" in command.until("watching")
        before = pdf.read_bytes()
        manifest = fonts / "fonts.toml"
        shipped = manifest.read_text()
        manifest.write_text(shipped.replace('skip = "()[]{}"', 'skip = "()[]{}e"'))  # e from the next face
        command.until("myfonts/fonts.toml changed")
        command.until("out/balham-group-document-4.pdf: 4 pages")
        edited = pdf.read_bytes()
        assert edited != before
        face = fonts / "GNUTypewriter.ttf"
        good = face.read_bytes()
        face.write_bytes(good[:1000])
        command.until("myfonts/GNUTypewriter.ttf changed")
        command.until("GNUTypewriter.ttf: error: this font file is not the one")
        face.write_bytes(good)
        command.until("out/balham-group-document-4.pdf: ")  # mended: the PDF of these fonts is there
        assert command.interrupt() == 0
    fresh = subprocess.run([sys.executable, "-m", "facsimile", "build", "--no-cache", "-q", "-o", "fresh",
                            "--font-path", str(fonts)], cwd=project, capture_output=True, text=True)
    assert fresh.returncode == 0, fresh.stderr
    assert (project / "fresh" / pdf.name).read_bytes() == pdf.read_bytes() == edited


@pytest.mark.parametrize("name, edit", [
    ("document.toml", lambda text: text.replace('title = "', 'title = "Watched: ', 1)),
    ("corrections.toml", lambda text: text + '\n[[correction]]\npart = "letter"\nreceived = "Face the facts."\n'
                                             'corrected = "Face the watched facts."\nreason = "a test"\n'),
    ("words.txt", lambda text: text + "Watchedword\n"),
    ("notes.toml", lambda text: text.replace('text = "The Bolshevik', 'text = "Watched. The Bolshevik', 1)),
])
def test_watch_rebuilds_for_the_manifest_corrections_words_and_notes(doc, name, edit):
    """Each of the document's own files, edited under watch, is in the next PDF: it travels
    inside it with the other sources, and a correction is in the text."""
    project = doc.parent.parent
    pdf = project / "out" / "balham-group-document-4.pdf"
    with Command(["watch"], project) as command:
        command.until("watching")
        assert b"Watched" not in sources_in(pdf)
        path = doc / name
        path.write_text(edit(path.read_text()))
        command.until(f"{name} changed")
        command.until("out/balham-group-document-4.pdf: ")
        assert command.interrupt() == 0
    assert b"Watched" in sources_in(pdf) or b"watched" in sources_in(pdf)
    if name == "corrections.toml":
        assert "Face the watched facts." in " ".join(text_of(pdf).split())


def sources_in(pdf: Path) -> bytes:
    """The files a PDF carries (its sources), one after another."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    return b"".join(b"".join(contents) for contents in reader.attachments.values())


def text_of(pdf: Path) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(pdf).pages)


# ---- --open ----------------------------------------------------------------------------------

@pytest.fixture
def fake_viewer(tmp_path, monkeypatch) -> Path:
    """An xdg-open on PATH that writes down what it was asked to open."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "opened.txt"
    script = bin_dir / "xdg-open"
    script.write_text(f'#!/bin/sh\necho "$1" >> {record}\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return record


def test_open_hands_the_pdf_to_the_system_viewer(fake_viewer, tmp_path):
    process = open_pdf(tmp_path / "a.pdf")
    assert process is not None and process.wait(PATIENCE) == 0
    assert fake_viewer.read_text() == f"{tmp_path / 'a.pdf'}\n"


def test_open_is_harmless_without_a_viewer(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no xdg-open, open or gio
    assert open_pdf(tmp_path / "a.pdf") is None


def test_build_open_opens_each_pdf_once(doc, monkeypatch):
    from click.testing import CliRunner

    from facsimile import viewer
    from facsimile.cli import main

    opened: list[Path] = []
    monkeypatch.setattr(viewer, "open_pdf", lambda path: opened.append(path) or object())
    monkeypatch.chdir(doc.parent.parent)
    result = CliRunner().invoke(main, ["build", "--open"])
    assert result.exit_code == 0, result.output
    assert opened == [Path("out") / "balham-group-document-4.pdf"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_a_named_file_made_again_and_removed_within_a_save_is_gone(tmp_path):
    """A file an earlier batch named, then removed, made again and removed in one burst (a
    folder cleared by a script, a sync tool) is gone from the build: it must be named, not
    taken for an editor's scratch file made and removed within the save."""
    from facsimile.inotify_events import FolderEvents

    page = tmp_path / "page.txt"
    with FolderEvents([tmp_path], lambda path: True) as events:
        batches = events.batches(PATIENCE * 1000, lambda: False)
        page.write_text("one")
        assert next(batches) == {page}
        page.unlink()
        page.write_text("two")
        page.unlink()
        assert next(batches) == {page}
        (tmp_path / "scratch.txt").write_text("made and removed")
        (tmp_path / "scratch.txt").unlink()
        (tmp_path / "kept.txt").write_text("kept")
        named: set[Path] = set()
        while tmp_path / "kept.txt" not in named:
            named |= next(batches)
        assert named == {tmp_path / "kept.txt"}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_a_file_the_catch_up_named_and_removed_at_once_is_a_change(doc, monkeypatch):
    """A file made after inotify's walk and before the catch-up's look at the files is named by
    the catch-up; removed during that build, its making and removing came in one batch and were
    taken for an editor's scratch file: no rebuild, the build kept the file (a flaky settle())."""
    from facsimile import inotify_events

    probe = doc / "probe.txt"
    begin = inotify_events.FolderEvents.__init__

    def made_meanwhile(self, *args):  # type: ignore[no-untyped-def]
        begin(self, *args)
        probe.write_text("probe")  # the watch hears it; the catch-up's look finds it

    monkeypatch.setattr(inotify_events.FolderEvents, "__init__", made_meanwhile)
    rebuilds: queue.Queue[list[str]] = queue.Queue()

    def rebuild(names: list[str]) -> None:
        if probe.exists():
            probe.unlink()  # gone before the watcher reads the events of its making
        rebuilds.put(names)

    stop = threading.Event()
    thread = threading.Thread(target=watch_sources, args=([doc], rebuild),
                              kwargs={"stop": stop, "events": "inotify", "ignore": (doc / "out",)}, daemon=True)
    thread.start()
    try:
        assert rebuilds.get(timeout=PATIENCE) == ["probe.txt"]  # the catch-up
        assert rebuilds.get(timeout=PATIENCE) == ["probe.txt"]  # and its removal
    finally:
        stop.set()
        thread.join(PATIENCE)


@pytest.fixture(params=["inotify", "watchfiles", "polling"])
def source(request) -> tuple[bool, str]:
    """How a test's own watcher hears of changes: poll or not, and which events."""
    if request.param == "inotify" and not sys.platform.startswith("linux"):
        pytest.skip("inotify is Linux's")
    return request.param == "polling", request.param if request.param != "polling" else "auto"


def watch_with(folders: list[Path], ignore: tuple[Path, ...], source: tuple[bool, str]) -> Watcher:
    watcher = Watcher(folders, source[0], ignore=ignore, events=source[1])
    watcher.thread.start()
    return watcher


def test_the_output_folder_set_to_the_document_folder_still_sees_edits(doc, source):
    # `facsimile watch doc -o doc`: the folder is both; its PDF is ignored, its sources are not
    watcher = watch_with([doc], (doc, doc / f"{doc.name}.pdf"), source)
    try:
        settle(watcher, doc)
        (doc / f"{doc.name}.pdf").write_text("built")
        letter = doc / "letter.txt"
        letter.write_text(letter.read_text() + "\nAn added line.\n")
        seen = watcher.until("letter.txt")
        assert f"{doc.name}.pdf" not in seen
    finally:
        watcher.stop.set()
        watcher.thread.join(PATIENCE)


def test_an_output_folder_named_by_its_real_path_under_a_symlinked_folder_is_ignored(doc, tmp_path, source):
    # `facsimile watch link -o <the real folder>/out`: else every PDF written wakes the watch again
    link = tmp_path / "link"
    link.symlink_to(doc, target_is_directory=True)
    watcher = watch_with([link], (doc / "out",), source)
    try:
        settle(watcher, link)
        (doc / "out").mkdir()
        (doc / "out" / "x.pdf").write_text("built")
        letter = link / "letter.txt"
        letter.write_text(letter.read_text() + "\nAn added line.\n")
        seen = watcher.until("letter.txt")
        assert not [name for name in seen if name.startswith("out")]
    finally:
        watcher.stop.set()
        watcher.thread.join(PATIENCE)
