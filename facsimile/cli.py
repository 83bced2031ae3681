"""Command-line words to builds: the facsimile command, its options and its messages."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Callable

import click

from .errors import FacsimileError, display

SOURCE_ROOT = Path("source")
OUT_DIR = Path("out")
PAPER_NAMES = ("foolscap", "quarto", "a4", "letter")
PITCH_NAMES = ("pica", "elite")
SPACING_NAMES = ("single", "one-and-a-half", "double")
LOOK_NAMES = ("cyclostyle", "typescript", "clean")


def _fail(error: FacsimileError) -> None:
    for diagnostic in error.diagnostics:
        click.echo(str(diagnostic), err=True)
    sys.exit(error.exit_code)


def _guarded(action: Callable[[], Any]) -> Any:
    """Run an action; our errors become their messages and exit codes, never a traceback."""
    try:
        return action()
    except FacsimileError as error:
        _fail(error)
    except (KeyboardInterrupt, Exception) as error:  # noqa: BLE001 - the last guard
        _unexpected(error)


def _unexpected(error: BaseException) -> None:
    """An interrupt or a bug, said in one line; FACSIMILE_DEBUG=1 shows the traceback."""
    if isinstance(error, KeyboardInterrupt):
        click.echo("facsimile: interrupted; every file in the output folder is complete", err=True)
        sys.exit(130)
    if os.environ.get("FACSIMILE_DEBUG"):
        raise error
    click.echo(f"facsimile: internal error: {type(error).__name__}: {error} (run again with "
               "FACSIMILE_DEBUG=1 for details, and report it)", err=True)
    sys.exit(70)


def find_documents(sources: tuple[Path, ...]) -> list[Path]:
    """The document folders to build: those given, or every folder under source/."""
    if sources:
        return list(sources)
    if not SOURCE_ROOT.is_dir():
        raise FacsimileError.at_path(SOURCE_ROOT, "no source/ folder here: run facsimile in the "
                                     "project folder, or name a document folder")
    found = sorted(p.parent for p in SOURCE_ROOT.glob("*/document.toml"))
    if not found:
        raise FacsimileError.at_path(SOURCE_ROOT, "no document folder (with a document.toml) under "
                                     "source/: add one, or name a document folder")
    return found


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="facsimile")
def main() -> None:
    """Typeset transcribed pamphlets as typed, duplicated leaflets (PDF)."""


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=OUT_DIR,
              show_default=True, help="Folder to write the PDFs into.")
@click.option("--paper", type=click.Choice(PAPER_NAMES, case_sensitive=False),
              help="Paper size (default: the manifest's, else foolscap).")
@click.option("--pitch", type=click.Choice(PITCH_NAMES, case_sensitive=False),
              help="Pica (10 characters an inch) or elite (12).")
@click.option("--spacing", type=click.Choice(SPACING_NAMES, case_sensitive=False),
              help="Line spacing (default: the manifest's, else single).")
@click.option("--look", type=click.Choice(LOOK_NAMES, case_sensitive=False),
              help="cyclostyle (stencil and duplicator, the default), typescript (a ribbon-typed "
                   "original) or clean (no effects).")
@click.option("--paper-tone/--no-paper-tone", default=None,
              help="Tint the sheet off-white like duplicating paper (default: off, so that a "
                   "printed handout spends no toner on a background).")
@click.option("--seed", type=click.IntRange(min=0), help="Seed of the typewriter and duplicator.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
def build(sources: tuple[Path, ...], out_dir: Path, paper: str | None, pitch: str | None,
          spacing: str | None, look: str | None, paper_tone: bool | None, seed: int | None,
          quiet: bool) -> None:
    """Build documents into PDFs, one per document folder.

    With no SOURCE, builds every folder under source/ that holds a document.toml.
    Each PDF is written whole or not at all: a failed build leaves the previous one.

    \b
    Example:
      facsimile build
      facsimile build source/balham-group-document-4 --paper a4 --pitch elite -o /tmp/out
      facsimile build --look clean --seed 7
    """
    from .build import build_document

    folders = _guarded(lambda: find_documents(sources))
    overrides = {k: v for k, v in (("paper", paper), ("pitch", pitch), ("spacing", spacing),
                                   ("look", look), ("paper_tone", paper_tone)) if v is not None}
    failed: FacsimileError | None = None
    for folder in folders:
        try:
            report = build_document(folder, out_dir, overrides, seed)
        except FacsimileError as error:
            for diagnostic in error.diagnostics:
                click.echo(str(diagnostic), err=True)
            failed = failed or error
            continue
        except (KeyboardInterrupt, Exception) as error:  # noqa: BLE001 - the last guard
            _unexpected(error)
            raise
        if not quiet:
            for part in report.parts:
                pages = f"{part.pages} page" + ("" if part.pages == 1 else "s")
                click.echo(f"  {part.id}: {pages}, {part.seconds * 1000:.0f} ms")
            click.echo(f"{display(report.path)}: {report.pages} pages, {report.size:,} bytes, "
                       f"{report.seconds * 1000:.0f} ms")
    if failed is not None:
        sys.exit(failed.exit_code)
