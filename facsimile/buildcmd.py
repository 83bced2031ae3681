"""The build command's settings to builds and the lines it prints, without click.

cli.py's `build` and the quick start (launch.py, which answers a plain `facsimile build`
without importing click) both run run_build, so that they do and say the same.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import FacsimileError, display

if TYPE_CHECKING:
    from .driver import BuildSettings
    from .report import BuildReport

PAPER_NAMES = ("foolscap", "quarto", "a4", "letter", "a5", "half-letter")
PITCH_NAMES = ("pica", "elite")
SPACING_NAMES = ("single", "one-and-a-half", "double")
LOOK_NAMES = ("cyclostyle", "typescript", "clean")


class Exit(Exception):
    """The command ends with this code (raised where click's commands call sys.exit)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def echo(message: str, err: bool = False) -> None:
    """One line to standard output (or error), flushed, as click.echo writes it: a character
    the stream cannot encode is replaced, not an error."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return
    line = message + "\n"
    try:
        stream.write(line)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "utf-8"
        stream.write(line.encode(encoding, "replace").decode(encoding))
    stream.flush()


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
              diplomatic: bool, no_cache: bool, watch: bool, quiet: bool) -> int:
    """`facsimile build` with its options as parsed: build (and watch), print; the exit code."""
    from .driver import BuildSettings, find_documents  # here: launch.py imports echo alone

    try:
        from .outputs import distinct_outputs

        folders = tuple(distinct_outputs(find_documents(sources, "build"), out_dir))
    except FacsimileError as error:
        for diagnostic in error.diagnostics:
            echo(str(diagnostic), err=True)
        return error.exit_code
    except (KeyboardInterrupt, Exception) as error:  # noqa: BLE001 - the last guard
        unexpected(error)
        raise
    settings = BuildSettings(out_dir, build_overrides(paper, pitch, spacing, look, paper_tone), seed,
                             diplomatic, not no_cache)
    failed = build_and_say(folders, settings, quiet)
    if watch:
        from .watch import watch_sources

        try:
            watch_sources(folders, lambda: build_and_say(folders, settings, quiet))
        except KeyboardInterrupt:
            echo("facsimile: stopped watching", err=True)
            return 0
    return failed.exit_code if failed is not None else 0


def build_overrides(paper: str | None, pitch: str | None, spacing: str | None, look: str | None,
                    paper_tone: bool | None) -> dict[str, Any]:
    """The manifest keys the options set (those given)."""
    return {k: v for k, v in (("paper", paper), ("pitch", pitch), ("spacing", spacing),
                              ("look", look), ("paper_tone", paper_tone)) if v is not None}


def build_and_say(folders: tuple[Path, ...], settings: BuildSettings, quiet: bool) -> FacsimileError | None:
    """Build the folders, printing each outcome as it comes; the first error, if any."""
    from .driver import build_documents

    failed: FacsimileError | None = None
    if len(folders) > 1:  # a batch: documents built across the cores, then a closing table
        from .batch import build_many, closing_table, row

        outcomes = iter((folder, report, seconds) for folder, report, seconds in build_many(folders, settings))
    else:
        outcomes = iter((folder, report, 0.0) for folder, report in build_documents(folders, settings))
    rows: dict[Path, object] = {}
    while True:
        try:
            outcome = next(outcomes, None)
        except (KeyboardInterrupt, Exception) as error:  # noqa: BLE001 - the last guard
            unexpected(error)
            raise
        if outcome is None:
            if len(rows) > 1 and not quiet:
                for line in closing_table([rows[folder] for folder in folders if folder in rows]):  # type: ignore[misc]
                    echo(line)
            return failed
        folder, report, seconds = outcome
        if len(folders) > 1:
            rows[folder] = row(folder, report, seconds)
        if isinstance(report, FacsimileError):
            for diagnostic in report.diagnostics:
                echo(str(diagnostic), err=True)
            failed = failed or report
        else:
            for warning in report.warnings:
                echo(warning, err=True)
            if not quiet:
                say_built(report)


def pages(count: int) -> str:
    return f"{count} page" + ("" if count == 1 else "s")


def say_unchanged(path: Path, seconds: float) -> None:
    echo(f"{display(path)}: unchanged, {seconds * 1000:.0f} ms")


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
