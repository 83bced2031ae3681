"""Command-line words to builds: the facsimile command, its options and its messages.

Options in, a driver call (driver.py, handout.build, proof.report, newdoc), messages out.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable, Iterable

import click

from .buildcmd import (LOOK_NAMES, PAPER_NAMES, PITCH_NAMES, SPACING_NAMES, Exit, run_build, say_timings,
                       unexpected, user_fonts, watch_and_say)
from .driver import OUT_DIR, SOURCE_ROOT, find_documents
from .outputs import distinct_outputs
from .errors import FacsimileError, display
from .newdoc import DEFAULT_KIND, KINDS, default_folder, init_document
from .progress import ProgressBar, on_terminal

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100, "show_default": True}


def _guarded(action: Callable[[], Any], exit_code: int | None = None) -> Any:
    """Run an action; our errors become their messages and exit codes (or the command's own
    code for any error), never a traceback."""
    try:
        return action()
    except FacsimileError as error:
        for diagnostic in error.diagnostics:
            click.echo(str(diagnostic), err=True)
        sys.exit(exit_code or error.exit_code)
    except (KeyboardInterrupt, Exception) as error:  # noqa: BLE001 - the last guard
        _unexpected(error)


def _unexpected(error: BaseException) -> None:
    """An interrupt or a bug, said in one line; FACSIMILE_DEBUG=1 shows the traceback."""
    try:
        unexpected(error)
    except Exit as done:
        sys.exit(done.code)


def _finite(value: float | None, option: str) -> float | None:
    """A number option's value, refused when it is nan or infinite (FloatRange lets them by)."""
    import math

    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number of millimetres: give a finite number "
                                 "such as 0.5", param_hint=option)
    return value


def _outcomes(outcomes: Iterable[Any]) -> Iterable[Any]:
    """Each outcome of a driver generator; a bug or an interrupt inside it ends the command
    with one line."""
    iterator = iter(outcomes)
    while True:
        try:
            outcome = next(iterator)
        except StopIteration:
            return
        except (KeyboardInterrupt, Exception) as error:  # noqa: BLE001 - the last guard
            _unexpected(error)
            raise
        yield outcome


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="facsimile")
def main() -> None:
    """Typeset transcribed pamphlets as typed, duplicated leaflets (PDF).

    Start with `facsimile init mydoc`, then `facsimile build mydoc`; `facsimile COMMAND -h`
    says more.
    """


# ---- options shared by the commands that build -------------------------------------------

def _sources(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.argument("sources", nargs=-1, type=click.Path(path_type=Path))(command)


def _watching(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed((
        click.option("--open", "open_pdf", is_flag=True,
                      help="Open each PDF in the system's viewer after the first build.  [default: off]"),
        click.option("--poll", is_flag=True,
                     help="When watching, look at the files every 0.25 s instead of using the "
                          "system's file events (for network folders).  [default: off]"),
    )):
        command = option(command)
    return command


def _build_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = _watching(command)
    for option in reversed((
        click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
                     default=OUT_DIR, help="Folder to write the PDFs into."),
        click.option("--paper", type=click.Choice(PAPER_NAMES, case_sensitive=False),
                     help="Paper size.  [default: the manifest's, else foolscap]"),
        click.option("--pitch", type=click.Choice(PITCH_NAMES, case_sensitive=False),
                     help="Pica (10 characters an inch) or elite (12).  [default: the manifest's, "
                          "else pica]"),
        click.option("--spacing", type=click.Choice(SPACING_NAMES, case_sensitive=False),
                     help="Line spacing.  [default: the manifest's, else single]"),
        click.option("--look", type=click.Choice(LOOK_NAMES, case_sensitive=False),
                     help="cyclostyle (stencil and duplicator), typescript (a ribbon-typed "
                          "original) or clean (no effects).  [default: the manifest's, else "
                          "cyclostyle]"),
        click.option("--paper-tone/--no-paper-tone", default=None,
                     help="Tint the sheet off-white like duplicating paper (off spends no toner "
                          "on a background).  [default: the manifest's, else off]"),
        click.option("--text-layer", "text_layer", type=click.Choice(("transcription", "typed")),
                     help="What copied text gives: the transcription's characters (curly quotes, "
                          "dashes) or the keys the typist struck.  [default: the manifest's, else "
                          "transcription]"),
        click.option("--pdf-a/--no-pdf-a", "pdf_a", default=None,
                     help="PDF/A-3b: XMP, an sRGB output intent, the sources as associated files.  "
                          "[default: the manifest's, else on]"),
        click.option("--colophon/--no-colophon", default=None,
                     help="A last page saying what this PDF is and how it was made.  [default: "
                          "the manifest's, else off]"),
        click.option("--seed", type=click.IntRange(min=0),
                     help="Seed of the typewriter and duplicator.  [default: the manifest's]"),
        click.option("--diplomatic", is_flag=True,
                     help="Print the text exactly as received, without corrections.toml.  "
                          "[default: off]"),
        click.option("--no-cache", "no_cache", is_flag=True,
                     help="Draw every part again instead of taking unchanged ones from the "
                          "cache.  [default: off]"),
        click.option("-j", "--jobs", type=click.IntRange(min=1),
                     help="Processes that draw pages (and build documents of a batch).  "
                          "[default: the cores this process may use]"),
        click.option("--font-path", type=click.Path(path_type=Path, exists=True, file_okay=False),
                     help="A folder holding fonts.toml and its typefaces.  [default: "
                          "$FACSIMILE_FONTS, else the fonts shipped with facsimile]"),
        click.option("--timings", is_flag=True,
                     help="Print the seconds each stage took (read, draw, assemble, merge, "
                          "write).  [default: off]"),
        click.option("--format", "output", type=click.Choice(("text", "json")), default="text",
                     help="text: a line per part and per PDF; json: one JSON object a line per "
                          "document (path, pages, bytes, parts, seconds)."),
    )):
        command = option(command)
    return command


def _quiet(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("-q", "--quiet", is_flag=True, help="Print only errors.  [default: off]")(command)


def _run_build(**options: Any) -> None:
    """Run buildcmd.run_build (shared with the quick start, launch.py) and exit with its code."""
    try:
        code = run_build(**options)
    except Exit as done:
        sys.exit(done.code)
    if code:
        sys.exit(code)


# ---- the commands -------------------------------------------------------------------------

@main.command(short_help="Build documents into PDFs, one per document folder.")
@_sources
@_build_options
@click.option("--watch", is_flag=True,
              help="Build, then rebuild whenever a source file changes (as `facsimile watch`).  "
                   "[default: off]")
@_quiet
def build(**options: Any) -> None:
    """Build documents into PDFs, one per document folder.

    With no SOURCE, builds every folder under source/ that holds a document.toml.
    Each PDF is written whole or not at all: a failed build leaves the previous one.
    On a terminal, work that lasts more than a second shows a progress bar.

    \b
    Example:
      facsimile build
      facsimile build source/balham-group-document-4 --paper a4 --pitch elite -o /tmp/out
      facsimile build --look clean --seed 7 --timings
      facsimile build --format json        # one JSON object a line per document
      facsimile build --watch --open       # rebuild on every save; open the PDF once
    """
    _run_build(**options, command="build")


@main.command(short_help="Build, then rebuild on every save (Ctrl-C stops).")
@_sources
@_build_options
@_quiet
def watch(**options: Any) -> None:
    """Build documents, then rebuild each time a file in their folders changes.

    Uses the system's file events (or --poll), prints a timestamped line per rebuild, keeps
    watching after a failed build, and survives files and folders coming and going. Takes
    every option of `facsimile build`.

    \b
    Example:
      facsimile watch
      facsimile watch source/balham-group-document-4 --open
    """
    _run_build(**options, watch=True, command="watch")


@main.command(short_help="Start a new document folder from a template.")
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@click.option("--kind", type=click.Choice(KINDS), default=DEFAULT_KIND,
              help="letter: a letter with letterhead, close and signature; leaflet: a one-page "
                   "leaflet on quarto; report: a report with an appendix and an imprint.")
def init(folder: Path | None, kind: str) -> None:
    """Write a new document folder that builds at once: a manifest with every key explained,
    a part file that uses every directive, and empty corrections.toml, words.txt and
    notes.toml. FOLDER must not exist or be empty; without it, writes source/KIND here, so
    that a bare `facsimile build` builds it.

    \b
    Example:
      facsimile init mydoc && facsimile build mydoc
      facsimile init --kind leaflet && facsimile build
    """
    target = folder if folder is not None else default_folder(kind)
    written = _guarded(lambda: init_document(target, kind))
    click.echo(f"{display(target)}: a new {kind}: " + ", ".join(p.name for p in written))
    how = "facsimile build" if folder is None else f"facsimile build {display(target)}"
    click.echo(f"next: edit the files, then `{how}`; `facsimile proof` finds slips")


@main.command(short_help="Report likely transcription slips.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output", type=click.Choice(("text", "json")), default="text",
              help="One finding a line (file:line:col: token: reason), or JSON.")
@click.option("--all", "include_corrected", is_flag=True,
              help="Also report slips that corrections.toml already corrects.  [default: off]")
@click.option("--timings", is_flag=True,
              help="Print the time each stage took, over all the files (word list, read, check).  "
                   "[default: off]")
@click.option("-q", "--quiet", is_flag=True,
              help="Print nothing: the exit code says whether slips were found.  [default: off]")
def proof(paths: tuple[Path, ...], output: str, include_corrected: bool, timings: bool, quiet: bool) -> None:
    """Report likely transcription slips in document folders or plain text files.

    Looks for OCR confusions (l, I and 1; rn and m; cl and d), letters mixed with digits,
    malformed roman numerals, quotation marks that open where they should close, doubled
    words, and words missing from the English word list. A document folder's words.txt
    lists accepted names and period spellings; its corrections.toml's slips are not
    reported again. When nothing is found, says so in one line. Exit code: 0 nothing found, 1 findings,
    2 error.

    \b
    Example:
      facsimile proof
      facsimile proof source/balham-group-document-4 --format json
      facsimile proof notes.txt
    """
    from .proof.report import as_json, proof_path
    from .report import Clock

    targets = _guarded(lambda: find_documents(paths, "proof"), exit_code=2)  # 1 means slips were found
    bar = ProgressBar(len(targets), not quiet and output == "text" and on_terminal(), "proofing")
    found = []
    clock = Clock()
    for target in targets:
        found.extend(_guarded(lambda: proof_path(target, include_corrected, clock), exit_code=2))
        bar.done()
    bar.close()
    if quiet:
        sys.exit(1 if found else 0)
    if output == "json":
        click.echo(as_json(found))
    else:
        for item in found:
            click.echo(item.line())
        if not found:
            subject = display(targets[0]) if len(targets) == 1 else f"{len(targets)} documents or files"
            click.echo(f"{subject}: no likely slips")
    if timings:  # on standard error with JSON, which stays one document
        click.echo(say_timings(clock.stages), err=output == "json")
    sys.exit(1 if found else 0)


@main.command("import", short_help="Make a document folder from a web transcription.")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--out", "target", type=click.Path(path_type=Path),
              help="The document folder to write.  [default: source/<name from the title>]")
@click.option("--dry-run", is_flag=True, help="Print what would be guessed; write nothing.  [default: off]")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors and the folder written.  [default: off]")
def import_(file: Path, target: Path | None, dry_run: bool, quiet: bool) -> None:
    """Make a document folder from a web transcription (plain text or a saved HTML page).

    The archive's headings, source, transcriber, navigation and 'Last updated' lines go into
    the manifest, not the text; parts, letterheads, dates, addressees, salutations, closes,
    signatures and imprints are guessed, each reported with how sure it is. The text stays
    exactly as received; `facsimile proof`'s findings are written to corrections.toml as
    commented suggestions. Nothing is fetched from the network.

    \b
    Example:
      facsimile import saved-page.html
      facsimile import document-4.txt -o source/document-4 && facsimile build source/document-4
    """
    from .importer import check_target, import_transcription, write_folder

    imported = _guarded(lambda: import_transcription(file))
    folder = target or SOURCE_ROOT / imported.name
    if not dry_run:
        _guarded(lambda: check_target(folder))
    if not quiet or dry_run:
        for line in imported.report():
            click.echo(line)
    if dry_run:
        return
    _guarded(lambda: write_folder(imported, folder))
    click.echo(f"{display(folder)}: {len(imported.parts)} part{'s' if len(imported.parts) != 1 else ''} "
               f"({', '.join(kind for _, kind in imported.parts)}); build it with: facsimile build "
               f"{display(folder)}")


@main.command(short_help="Write the document folder a built PDF carries.")
@click.argument("pdf", type=click.Path(path_type=Path))
@click.argument("target", type=click.Path(path_type=Path))
def unpack(pdf: Path, target: Path) -> None:
    """Write the document folder embedded in a PDF built by facsimile into TARGET.

    Every PDF facsimile builds carries its manifest, parts, corrections and notes. TARGET
    must not exist or must be empty. Building the unpacked folder gives the same PDF.

    \b
    Example:
      facsimile unpack out/balham-group-document-4.pdf /tmp/balham-group-document-4
      facsimile build /tmp/balham-group-document-4 -o /tmp/out
    """
    from .pdf.unpack import unpack as unpack_pdf

    written = _guarded(lambda: unpack_pdf(pdf, target))
    for path in written:
        click.echo(display(path))


@main.command(short_help="Make a handout for a reading group, ready to print.")
@_sources
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=OUT_DIR,
              help="Folder to write <document>-handout.pdf into.")
@click.option("--layout", type=click.Choice(("booklet", "2up", "single")), default="booklet",
              help="booklet: A5 pages folded from A4 sheets (half-letter from letter) in "
                   "saddle-stitch order; 2up: two pages a side in reading order; single: one page "
                   "a side.")
@click.option("--sheet", type=click.Choice(("a4", "letter")), default="a4",
              help="The paper the printer takes.")
@click.option("--flip", type=click.Choice(("long", "short")), default="long",
              help="The edge your printer turns the sheet on when printing double-sided: long "
                   "is most printers' default ('long-edge binding'); see the README.")
@click.option("--signature", type=click.IntRange(min=1), default=None,
              help="Booklet: sheets folded together as one signature.  [default: all of them up "
                   "to 12 sheets, else 8: 32 pages]")
@click.option("--paper-thickness", "paper_thickness", type=click.FloatRange(min=0.01, max=1.0),
              default=0.1,
              help="Booklet: millimetres one sheet of your paper measures (80 g/m2 office paper: "
                   "0.1); inner sheets' pages move towards the fold by as much per sheet (creep).")
@click.option("--creep", type=click.FloatRange(min=0), default=None,
              callback=lambda ctx, param, value: _finite(value, "--creep"),
              help="Booklet: millimetres the innermost sheet's pages move towards the fold.  "
                   "[default: from --paper-thickness]")
@click.option("--edition", type=click.Choice(("facsimile", "reading")), default="facsimile",
              help="facsimile: the typed pages; reading: set anew for reading, with notes and "
                   "corrections.")
@click.option("--large-type", is_flag=True, help="Reading edition: pica instead of elite.  [default: off]")
@click.option("--line-numbers", is_flag=True,
              help="Reading edition: line numbers every five lines.  [default: off]")
@click.option("--colophon/--no-colophon", default=True,
              help="The back cover says what this handout is and how it was made (re-typeset from "
                   "which transcription, tool version, look and seed, corrections), as its XMP does.  "
                   "[default: on]")
@click.option("--no-cache", "no_cache", is_flag=True,
              help="Make the handout again even if its sources and options are unchanged.  "
                   "[default: off]")
@click.option("--font-path", type=click.Path(path_type=Path, exists=True, file_okay=False),
              help="A folder holding fonts.toml and its typefaces.  [default: $FACSIMILE_FONTS, "
                   "else the fonts shipped with facsimile]")
@click.option("--timings", is_flag=True,
              help="Print the time each stage took (check, read, typeset, draw, impose, write).  "
                   "[default: off]")
@click.option("--watch", is_flag=True, help="Make it, then again whenever a source file changes.  "
              "[default: off]")
@_watching
@_quiet
def handout(sources: tuple[Path, ...], out_dir: Path, layout: str, sheet: str, flip: str,
            signature: int | None, paper_thickness: float, creep: float | None, edition: str,
            large_type: bool, line_numbers: bool, colophon: bool, no_cache: bool, font_path: Path | None,
            timings: bool,
            watch: bool, open_pdf: bool, poll: bool, quiet: bool) -> None:
    """Make a handout for a reading group, ready to print double-sided (and fold).

    It opens with a cover (title, date and place, the parts and their pages, where the text
    comes from). Paragraphs are numbered in the margin, the same in both editions; the
    reading edition adds the document's notes (notes.toml) and the corrections made.

    \b
    Example:
      facsimile handout                                  # A5 booklet on A4, facsimile pages
      facsimile handout --edition reading --line-numbers
      facsimile handout --layout 2up --sheet letter --flip long
      facsimile handout --watch --open
    """
    from .driver import UnchangedHandout, make_handouts
    from .handout.options import HandoutOptions

    folders = tuple(_guarded(lambda: distinct_outputs(find_documents(sources, "handout"), out_dir,
                                                      "-handout.pdf")))
    options = HandoutOptions(layout, sheet, flip, creep, edition, large_type, line_numbers, signature,
                             paper_thickness, colophon)
    opened: set[Path] = set()

    def make() -> FacsimileError | None:
        failed: FacsimileError | None = None
        bar = ProgressBar(len(folders), not quiet and on_terminal(), "handout")
        for _, report in _outcomes(make_handouts(folders, options, out_dir, not no_cache, font_path, bar)):
            bar.clear()
            if isinstance(report, FacsimileError):
                for diagnostic in report.diagnostics:
                    click.echo(str(diagnostic), err=True)
                failed = failed or report
                bar.done()
                continue
            if isinstance(report, UnchangedHandout):
                if not quiet:
                    click.echo(f"{display(report.path)}: unchanged, {report.seconds * 1000:.0f} ms")
                stages: tuple[tuple[str, float], ...] = (("check", report.seconds),)
            else:
                _say_handout(report, edition, layout, quiet)
                stages = report.stages
            if timings and not quiet:
                click.echo(say_timings(stages))
            if open_pdf and report.path not in opened:
                from .viewer import open_pdf as open_in_viewer

                opened.add(report.path)
                open_in_viewer(report.path)
            bar.done()
        bar.close()
        return failed

    failed = make()
    if watch:
        code = watch_and_say(folders, make, out_dir, quiet, poll, user_fonts(font_path), "-handout.pdf")
        if code is not None:
            sys.exit(code)
    if failed is not None:
        sys.exit(failed.exit_code)


def _say_handout(report: Any, edition: str, layout: str, quiet: bool) -> None:
    """A handout's warnings, and a line for it: pages, sheets, signatures, bytes, time."""
    for warning in report.warnings:
        click.echo(f"{display(report.path)}: warning: {warning}", err=True)
    if quiet:
        return
    folds = ""
    if report.signatures:
        count = len(report.signatures)
        folds = (", folded as one signature" if count == 1 else
                 f", in {count} signatures of {report.signatures[0]} sheets"
                 + ("" if len(set(report.signatures)) == 1 else f" (the last {report.signatures[-1]})"))
    click.echo(f"{display(report.path)}: {edition} edition, {layout}, {report.pages} pages on "
               f"{report.sheets} sheet{'s' if report.sheets != 1 else ''}{folds} "
               f"({report.size:,} bytes, {report.seconds * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
