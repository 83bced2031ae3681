"""The build command's settings to builds and the lines it prints, without click.

cli.py's `build` and the quick start (launch.py, which answers a plain `facsimile build`
without importing click) both run run_build, so that they do and say the same.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (an unchanged build needs none)

from .errors import FacsimileError, display

if TYPE_CHECKING:
    from typing import Any, Callable, Iterator

    from .driver import BuildSettings
    from .report import BuildReport

from .choices import LOOK_NAMES, PAPER_NAMES, PITCH_NAMES, SPACING_NAMES  # noqa: F401 - cli.py reads them here
from .echo import echo
from .stamps import UNCHANGED


class Exit(Exception):
    """The command ends with this code (raised where click's commands call sys.exit)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def unexpected(error: BaseException) -> None:
    """An interrupt or a bug, said in one line; FACSIMILE_DEBUG=1 shows the traceback."""
    if isinstance(error, KeyboardInterrupt):
        echo("facsimile: interrupted; every file in the output folder is complete", err=True)
        raise Exit(130)
    if os.environ.get("FACSIMILE_DEBUG"):
        raise error
    echo(f"facsimile: internal error: {type(error).__name__}: {error} (run again with "
         "FACSIMILE_DEBUG=1 for details, and report it)", err=True)
    raise Exit(70)


def run_build(sources: tuple[Path, ...], out_dir: Path, paper: str | None, pitch: str | None,
              spacing: str | None, look: str | None, paper_tone: bool | None, seed: int | None,
              diplomatic: bool, no_cache: bool, watch: bool, quiet: bool, jobs: int | None = None,
              font_path: Path | None = None, timings: bool = False, output: str = "text",
              open_pdf: bool = False, poll: bool = False, command: str = "build",
              text_layer: str | None = None, pdf_a: bool | None = None, colophon: bool | None = None) -> int:
    """`facsimile build` (or watch) with its options as parsed: build (and watch), print; the
    exit code."""
    from .driver import BuildSettings, find_documents  # here: launch.py imports echo alone

    try:
        from .outputs import distinct_outputs

        folders = tuple(distinct_outputs(find_documents(sources, command), out_dir))
    except FacsimileError as error:
        for diagnostic in error.diagnostics:
            echo(str(diagnostic), err=True)
        return error.exit_code
    except (KeyboardInterrupt, Exception) as error:  # noqa: BLE001 - the last guard
        unexpected(error)
        raise
    settings = BuildSettings(out_dir, build_overrides(paper, pitch, spacing, look, paper_tone, text_layer,
                                                      pdf_a, colophon), seed, diplomatic, not no_cache, jobs,
                             font_path)
    run = BuildRun(folders, settings, quiet, output, timings, open_pdf)
    failed = run.once()
    if watch:
        code = watch_and_say(folders, run.once, out_dir, quiet or output == "json", poll, user_fonts(font_path))
        if code is not None:
            return code
    return failed.exit_code if failed is not None else 0


def user_fonts(font_path: Path | None) -> Path | None:
    """The fonts folder a user gave (--font-path, else FACSIMILE_FONTS), watched beside the
    documents; None for the shipped fonts, which no one edits."""
    given = font_path or os.environ.get("FACSIMILE_FONTS")
    return Path(given) if given else None


def watch_and_say(folders: tuple[Path, ...], again: Callable[[], object], out_dir: Path, quiet: bool,
                  poll: bool, fonts: Path | None = None, suffix: str = ".pdf") -> int | None:
    """Say what is watched once watching has begun, then call again after each change with a
    timestamped line naming what changed, until Ctrl-C (then 0); a failed build is reported by
    again, and watching goes on. fonts, if given, is watched too (a face or fonts.toml edited).
    What again writes (out_dir, and in it each folder's name + suffix) wakes no rebuild."""
    import time

    from .watch import watch_sources

    def ready(how: str) -> None:
        if not quiet:
            also = f" and the fonts in {display(fonts)}" if fonts is not None else ""
            echo(f"watching {', '.join(display(f) for f in folders)}{also} ({how}; Ctrl-C stops)")

    def changed(names: list[str]) -> None:
        if not quiet:
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            echo(f"[{time.strftime('%H:%M:%S')}] {shown or 'a file'} changed: building")
        again()
        settle_heap()

    settle_heap = long_lived()
    try:
        # the PDFs by name too: when out_dir is a document folder, watching leaves it out of ignore
        written = tuple(out_dir / f"{folder.resolve().name}{suffix}" for folder in folders)
        watch_sources(folders + ((fonts,) if fonts is not None else ()), changed, ignore=(out_dir, *written),
                      poll=poll, ready=ready)
    except KeyboardInterrupt:
        echo("facsimile: stopped watching", err=True)
        return 0
    return None


def long_lived() -> Callable[[], None]:
    """Make this process one that rebuilds again and again (a watch): the streams it compresses
    and the letterheads it letters remembered, so that a rebuild redoes only what changed
    (pages compressed from where they changed); cycles looked for seldom, as
    a build's are. Returns settle_heap, to call once each rebuild's PDF is in place: it
    collects that rebuild's cycles, then sets what is left aside (modules, faces, caches), so
    that the next rebuild's collections look only at its own objects (3 ms less CPU a rebuild
    of Document 4)."""
    import gc

    from .look.stylus import LETTERINGS
    from .pdf.render import remember_compressed

    def settle_heap() -> None:
        gc.collect()
        gc.freeze()

    remember_compressed()
    LETTERINGS.keep_here()
    gc.set_threshold(50_000, 20, 20)
    settle_heap()
    return settle_heap


def build_overrides(paper: str | None, pitch: str | None, spacing: str | None, look: str | None,
                    paper_tone: bool | None, text_layer: str | None = None, pdf_a: bool | None = None,
                    colophon: bool | None = None) -> dict[str, Any]:
    """The manifest keys the options set (those given)."""
    return {k: v for k, v in (("paper", paper), ("pitch", pitch), ("spacing", spacing),
                              ("look", look), ("paper_tone", paper_tone), ("text_layer", text_layer),
                              ("pdf_a", pdf_a), ("colophon", colophon)) if v is not None}


class BuildRun:
    """One build or watch command: its folders and settings, how it prints, what it opened."""

    def __init__(self, folders: tuple[Path, ...], settings: BuildSettings, quiet: bool = False,
                 output: str = "text", timings: bool = False, open_pdf: bool = False) -> None:
        self.folders, self.settings, self.quiet = folders, settings, quiet
        self.output, self.timings, self.open_pdf = output, timings, open_pdf
        self.opened: set[Path] = set()

    def once(self) -> FacsimileError | None:
        """Build every folder, printing each outcome as it comes, and after a batch of several
        a closing table; on a terminal, work past a second shows a progress bar. The first
        error, if any."""
        from .driver import build_documents
        from .progress import ProgressBar, on_terminal

        failed: FacsimileError | None = None
        bar = ProgressBar(len(self.folders), not self.quiet and self.output == "text" and on_terminal())
        rows: dict[Path, object] = {}
        if len(self.folders) > 1:  # a batch: documents built across the cores, then a closing table
            from .batch import build_many, closing_table, row

            outcomes: Iterator[tuple[Path, BuildReport | FacsimileError, float]] = iter(
                build_many(self.folders, self.settings))
        else:
            outcomes = iter((folder, report, 0.0) for folder, report in
                            build_documents(self.folders, self.settings, bar))
        while True:
            try:
                outcome = next(outcomes, None)
            except (KeyboardInterrupt, Exception) as error:  # noqa: BLE001 - the last guard
                bar.close()
                unexpected(error)
                raise
            if outcome is None:
                break
            folder, report, seconds = outcome
            bar.clear()
            if len(self.folders) > 1:
                rows[folder] = row(folder, report, seconds)
            if isinstance(report, FacsimileError):
                for diagnostic in report.diagnostics:
                    echo(str(diagnostic), err=True)
                failed = failed or report
            else:
                for warning in report.warnings:
                    echo(warning, err=True)
                self.say(report)
                self.show(report.path)
            bar.done()
        bar.close()
        if len(rows) > 1 and not self.quiet and self.output == "text":
            for line in closing_table([rows[folder] for folder in self.folders if folder in rows]):  # type: ignore[misc]
                echo(line)
        return failed

    def say(self, report: BuildReport) -> None:
        """The report as lines (a line per part, one for the PDF), or a JSON object a line."""
        if self.output == "json":
            import json

            echo(json.dumps(report.record(), ensure_ascii=False))
            return
        if self.quiet:
            return
        say_built(report)
        if self.timings:
            echo(say_timings(report.stages))

    def show(self, path: Path) -> None:
        """Open a PDF in the system's viewer the first time it is built (--open)."""
        if self.open_pdf and path not in self.opened:
            from . import viewer

            self.opened.add(path)
            if viewer.open_pdf(path) is None and not self.quiet:
                echo(f"{display(path)}: no viewer to open it with (xdg-open or open)", err=True)


def say_timings(stages: tuple[tuple[str, float], ...] | list[tuple[str, float]]) -> str:
    """--timings' line: each stage's milliseconds, in the order they ran."""
    return "  timings: " + ", ".join(f"{stage} {seconds * 1000:.0f} ms" for stage, seconds in stages)


def pages(count: int) -> str:
    return f"{count} page" + ("" if count == 1 else "s")


def say_unchanged(path: Path, seconds: float) -> None:
    echo(UNCHANGED.format(path=display(path), ms=seconds * 1000))


def say_built(report: BuildReport) -> None:
    """A line per part drawn or taken from the cache, and one for the PDF."""
    if report.unchanged:
        say_unchanged(report.path, report.seconds)
        return
    for part in report.parts:
        how = "from the cache" if part.cached else "drawn"
        echo(f"  {part.id}: {pages(part.pages)}, {how}, {part.seconds * 1000:.0f} ms")
    if report.corrections:
        places = sum(count for _, _, count in report.corrections)
        echo(f"  corrections: {len(report.corrections)} made, in {places} place{'s' if places != 1 else ''}")
        for received, corrected, count in report.corrections:
            if count > 1:
                echo(f"    '{received}' -> '{corrected}': {count} places")
    echo(f"{display(report.path)}: {pages(report.pages)}, {report.size:,} bytes, "
         f"{report.seconds * 1000:.0f} ms")
