"""The conventional options: --jobs, --font-path, --timings, --format json, defaults in --help,
help summaries whole, --paper agreeing with the README; and the progress shown on a terminal."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import click
import pytest

from facsimile.buildcmd import LOOK_NAMES, PAPER_NAMES, PITCH_NAMES, SPACING_NAMES
from facsimile.cli import main
from facsimile.driver import BuildSettings, build_documents
from facsimile.layout.paper import PAPERS, PITCHES, SPACINGS
from facsimile.progress import ProgressBar
from facsimile.report import Step
from tests.conftest import PAMPHLET, ROOT
from tests.helpers import run


def test_format_json_gives_one_object_a_line_per_document(project):
    result = run("build", "--format", "json")
    assert result.exit_code == 0, result.output
    (line,) = result.output.splitlines()
    record = json.loads(line)
    pdf = project / "out" / "balham-group-document-4.pdf"
    assert record["path"] == "out/balham-group-document-4.pdf" and record["bytes"] == pdf.stat().st_size
    assert record["pages"] == 4 and not record["unchanged"] and record["seconds"] > 0
    assert [p["id"] for p in record["parts"]] == ["letter", "enclosure-1", "enclosure-2"]
    assert sum(p["pages"] for p in record["parts"]) == 4
    again = json.loads(run("build", "--format", "json").output)
    assert again["unchanged"] and again["pages"] == 4 and again["bytes"] == record["bytes"]


def test_timings_name_each_stage(project):
    result = run("build", "--timings", "--no-cache")
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.output.splitlines() if line.startswith("  timings: ")]
    assert [part.split()[0] for part in line[len("  timings: "):].split(", ")] == [
        "read", "draw", "assemble", "write"]  # a text-only document needs no merge


def test_handout_timings_name_each_stage(project):
    result = run("handout", "--timings", "--no-cache")
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.output.splitlines() if line.startswith("  timings: ")]
    stages = [part.split() for part in line[len("  timings: "):].split(", ")]
    assert [stage[0] for stage in stages] == ["check", "read", "typeset", "draw", "impose", "write"]
    assert all(stage[2] == "ms" and stage[1].isdigit() for stage in stages)
    assert run("handout").exit_code == 0  # recorded: the next is answered from its key
    again = run("handout", "--timings")
    assert again.exit_code == 0 and "unchanged" in again.output, again.output
    assert re.fullmatch(r"  timings: check \d+ ms", again.output.splitlines()[-1])


def test_proof_timings_name_each_stage_after_the_findings(project):
    result = run("proof", "--timings")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-2] == "source/balham-group-document-4: no likely slips"
    assert re.fullmatch(r"  timings: word list \d+ ms, read \d+ ms, check \d+ ms", lines[-1])
    as_json = run("proof", "--timings", "--format", "json")
    assert json.loads(as_json.stdout) == [] and "timings: word list" in as_json.stderr


def test_jobs_change_nothing_in_the_pdf(project):
    assert run("build", "--no-cache", "-j", "1", "-o", "one").exit_code == 0
    assert run("build", "--no-cache", "--jobs", "2", "-o", "two").exit_code == 0
    name = "balham-group-document-4.pdf"
    assert (project / "one" / name).read_bytes() == (project / "two" / name).read_bytes()
    assert run("build", "--jobs", "0").exit_code == 2


def test_font_path_reads_the_faces_from_another_folder(project, monkeypatch):
    from facsimile.locations import fonts_folder

    monkeypatch.delenv("FACSIMILE_FONTS", raising=False)
    fonts = shutil.copytree(fonts_folder(), project / "my-fonts")
    assert run("build", "--font-path", str(fonts), "-o", "mine").exit_code == 0
    assert (project / "mine" / "balham-group-document-4.pdf").is_file()
    bad = shutil.copytree(fonts, project / "bad-fonts")
    (bad / "GNUTypewriter.ttf").write_bytes(b"not a font")
    result = run("build", "--font-path", str(bad), "-o", "broken")
    assert result.exit_code == 1 and "bad-fonts/GNUTypewriter.ttf" in result.output
    result = run("build", "--font-path", "nowhere")
    assert result.exit_code == 2 and "nowhere" in result.output


def commands() -> list[click.Command]:
    return list(main.commands.values())  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", commands(), ids=lambda c: c.name)
def test_every_option_shows_its_default_in_help(command):
    result = run(command.name, "--help")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for param in command.params:
        if not isinstance(param, click.Option) or param.name == "help":
            continue
        help_text = " ".join((param.help or "").split())
        entry = text[text.index(help_text[:30]):]
        assert "[default: " in entry[:len(help_text) + 80], f"{command.name} {param.opts}"


def test_help_summaries_are_not_cut_off():
    result = run("--help")
    listed = result.output.split("Commands:")[1].splitlines()
    summaries = [line.split(None, 1)[1] for line in listed if line.strip()]
    assert len(summaries) == len(commands())
    assert not any(summary.endswith("...") for summary in summaries), summaries


def test_the_option_choices_are_the_layout_tables_and_the_readme_lists_them():
    assert PAPER_NAMES == tuple(PAPERS) and PITCH_NAMES == tuple(PITCHES) and SPACING_NAMES == tuple(SPACINGS)
    readme = (ROOT / "README.md").read_text()
    row = next(line for line in readme.splitlines() if line.startswith("| `--paper`"))
    assert re.findall(r"`([a-z0-9-]+)`", row.split("|")[2]) == list(PAPER_NAMES)
    look_row = next(line for line in readme.splitlines() if line.startswith("| `--look`"))
    assert all(f"`{name}`" in look_row for name in LOOK_NAMES)


def test_the_readme_documents_shell_completion():
    readme = (ROOT / "README.md").read_text()
    for shell in ("bash", "zsh", "fish"):
        assert f"_FACSIMILE_COMPLETE={shell}_source facsimile" in readme


def test_a_build_tells_its_progress_part_by_part(project):
    steps: list[Step] = []
    settings = BuildSettings(project / "out", use_cache=False)
    [(_, report)] = list(build_documents([project / "source" / PAMPHLET.name], settings, steps.append))
    drawing = [s for s in steps if s.stage == "drawing"]
    assert sorted(s.part for s in drawing) == sorted(p.id for p in report.parts)
    assert drawing[-1].done == drawing[-1].total and drawing[-1].pages == report.pages
    assert [s.stage for s in steps[len(drawing):]] == ["assembling", "writing"]  # no scan: nothing to merge


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_shows_the_share_the_part_and_the_pages():
    screen = Terminal()
    bar = ProgressBar(2, True, file=screen, delay=0.0)
    bar(Step("doc-a", "drawing", "letter", 1, 2, 12))
    bar.done()
    bar(Step("doc-b", "merging", "", 0, 0, 40))
    bar.clear()
    shown = screen.getvalue()
    assert "doc-a: drawing letter, 12 pages" in shown and "20%" in shown
    assert "doc-b: merging, 40 pages" in shown and "95%" in shown
    assert shown.endswith("\r\033[K")  # wiped before a line is printed
    bar.close()
    assert screen.getvalue().endswith("\033[?25h")  # the cursor is given back


def screen_lines(output: str) -> list[str]:
    """What a terminal shows after output: a carriage return goes back to the line's start,
    ESC[K wipes the rest of the line, the cursor's hide and show leave no mark."""
    lines: list[str] = []
    for raw in output.replace("\033[?25l", "").replace("\033[?25h", "").split("\n"):
        line = ""
        column = 0
        for piece in re.split(r"(\r|\033\[K)", raw):
            if piece == "\r":
                column = 0
            elif piece == "\033[K":
                line = line[:column]
            else:
                line = line[:column] + piece + line[column + len(piece):]
                column += len(piece)
        lines.append(line)
    return lines


def test_on_a_terminal_the_bar_leaves_the_lines_and_never_flashes_at_the_end(project, monkeypatch):
    """A build on a terminal, long enough for the bar: the bar is drawn while it works, the
    lines stand alone, the last line says what was made and the bar is not drawn after it."""
    from facsimile import progress
    from facsimile.buildcmd import run_build

    screen = Terminal()
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr("sys.stdout", screen)
    monkeypatch.setattr("sys.stderr", screen)
    code = run_build((), Path("out"), None, None, None, None, None, None, False, True, False, False)
    output = screen.getvalue()
    assert code == 0 and "building  [" in output and "balham-group-document-4: drawing letter" in output
    shown = [line for line in screen_lines(output) if line]
    assert shown[-1].startswith("out/balham-group-document-4.pdf: 4 pages, ")
    assert not any("building" in line for line in shown), shown
    assert "building" not in output[output.index("out/balham-group-document-4.pdf: "):]  # no flash
    assert output.endswith("\033[?25h")  # the cursor given back


def test_a_handout_tells_its_typesetting_part_by_part(project):
    """A long handout's typesetting (12 s at 500 pages) shows which part it has reached."""
    from facsimile.driver import make_handouts
    from facsimile.handout.options import HandoutOptions

    steps: list[Step] = []
    options = HandoutOptions()
    [(_, report)] = list(make_handouts([project / "source" / PAMPHLET.name], options, project / "out",
                                       False, None, steps.append))
    typesetting = [s for s in steps if s.stage == "typesetting" and s.total]
    assert [s.part for s in typesetting] == ["letter", "enclosure-1", "enclosure-2"]
    assert [s.done for s in typesetting] == [1, 2, 3] and typesetting[-1].total == 3
    screen = Terminal()
    bar = ProgressBar(1, True, file=screen, delay=0.0)
    bar(typesetting[1])
    assert "balham-group-document-4: typesetting enclosure-1, part 2 of 3" in screen.getvalue()


def test_the_time_left_is_from_the_share_done_since_the_start():
    """Ten seconds in and 40 % done: 15 s left, whatever took the first seconds (a long
    typesetting stage shown at 0 % once made click's own estimate hours long)."""
    screen = Terminal()
    bar = ProgressBar(1, True, file=screen, delay=0.0)
    bar.started -= 10.0
    bar(Step("doc", "typesetting"))
    bar(Step("doc", "drawing", "letter", 1, 2, 4))  # drawing is the first 80 %: half of it is 40 %
    last = screen.getvalue().rsplit("\r", 1)[-1]
    assert "40%" in last and re.search(r"00:00:1[45]", last), last


def test_no_bar_for_short_work_or_when_not_at_a_terminal():
    quick, piped = Terminal(), io.StringIO()
    ProgressBar(1, True, file=quick, delay=60.0)(Step("doc", "drawing", "letter", 1, 1, 1))
    ProgressBar(1, False, file=piped, delay=0.0)(Step("doc", "drawing", "letter", 1, 1, 1))
    assert quick.getvalue() == "" and piped.getvalue() == ""


def test_a_piped_build_prints_plain_lines_only(project):
    result = run("build", "--no-cache")
    assert "\r" not in result.output and "%" not in result.output


def test_handout_colophon_is_on_unless_asked_off_and_each_is_its_own_handout(project):
    """--no-colophon leaves the statement off the back cover; switching it is a change, never
    answered from the other's key."""
    from pypdf import PdfReader

    path = project / "out" / f"{PAMPHLET.name}-handout.pdf"

    def back() -> str:
        return " ".join(PdfReader(path).pages[-1].extract_text().split())

    assert run("handout", "--layout", "single").exit_code == 0
    assert "not a scan" in back()
    result = run("handout", "--layout", "single", "--no-colophon")
    assert result.exit_code == 0 and "unchanged" not in result.output, result.output
    assert "not a scan" not in back() and "Made with facsimile" in back()
    assert "--no-colophon" in run("handout", "--help").output
