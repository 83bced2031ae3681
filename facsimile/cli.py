"""Command-line words to builds: the facsimile command, its options and its messages."""

from __future__ import annotations

import time
import sys
from pathlib import Path
from typing import Any, Callable

import click

from .buildcmd import LOOK_NAMES, PAPER_NAMES, PITCH_NAMES, SPACING_NAMES, Exit, run_build, unexpected
from .outputs import distinct_outputs
from .driver import OUT_DIR, SOURCE_ROOT, find_documents
from .errors import FacsimileError, display
from .newdoc import DEFAULT_KIND, KINDS, default_folder, init_document


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
@click.option("--diplomatic", is_flag=True,
              help="Print the text exactly as received, without corrections.toml.")
@click.option("--no-cache", "no_cache", is_flag=True,
              help="Draw every part again instead of taking unchanged ones from the cache.")
@click.option("--watch", is_flag=True,
              help="Build, then rebuild whenever a source file changes (Ctrl-C stops).")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
def build(sources: tuple[Path, ...], out_dir: Path, paper: str | None, pitch: str | None,
          spacing: str | None, look: str | None, paper_tone: bool | None, seed: int | None,
          diplomatic: bool, no_cache: bool, watch: bool, quiet: bool) -> None:
    """Build documents into PDFs, one per document folder.

    With no SOURCE, builds every folder under source/ that holds a document.toml.
    Each PDF is written whole or not at all: a failed build leaves the previous one.

    \b
    Example:
      facsimile build
      facsimile build source/balham-group-document-4 --paper a4 --pitch elite -o /tmp/out
      facsimile build --look clean --seed 7
      facsimile build --watch              # rebuild on every save
    """
    try:
        code = run_build(sources, out_dir, paper, pitch, spacing, look, paper_tone, seed, diplomatic,
                         no_cache, watch, quiet)
    except Exit as done:
        sys.exit(done.code)
    if code:
        sys.exit(code)


@main.command(short_help="Start a new document folder from a template.")
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@click.option("--kind", type=click.Choice(KINDS), default=DEFAULT_KIND, show_default=True,
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


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output", type=click.Choice(("text", "json")), default="text",
              show_default=True, help="One finding a line (file:line:col: token: reason), or JSON.")
@click.option("--all", "include_corrected", is_flag=True,
              help="Also report slips that corrections.toml already corrects.")
def proof(paths: tuple[Path, ...], output: str, include_corrected: bool) -> None:
    """Report likely transcription slips in document folders or plain text files.

    Looks for OCR confusions (l, I and 1; rn and m; cl and d), letters mixed with digits,
    malformed roman numerals, quotation marks that open where they should close, doubled
    words, and words missing from the English word list. A document folder's words.txt
    lists accepted names and period spellings; its corrections.toml's slips are not
    reported again. Exit code: 0 nothing found, 1 findings, 2 error.

    \b
    Example:
      facsimile proof
      facsimile proof source/balham-group-document-4 --format json
      facsimile proof notes.txt
    """
    from .proof.report import as_json, proof_path

    targets = _guarded(lambda: find_documents(paths, "proof"), exit_code=2)  # 1 means slips were found
    found = _guarded(lambda: [f for target in targets for f in proof_path(target, include_corrected)], exit_code=2)
    if output == "json":
        click.echo(as_json(found))
    else:
        for item in found:
            click.echo(item.line())
    sys.exit(1 if found else 0)


@main.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--out", "target", type=click.Path(path_type=Path),
              help="The document folder to write (default: source/<name from the title>).")
@click.option("--dry-run", is_flag=True, help="Print what would be guessed; write nothing.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors and the folder written.")
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
    from .importer import import_transcription, write_folder

    imported = _guarded(lambda: import_transcription(file))
    if not quiet or dry_run:
        for line in imported.report():
            click.echo(line)
    if dry_run:
        return
    folder = target or SOURCE_ROOT / imported.name
    _guarded(lambda: write_folder(imported, folder))
    click.echo(f"{display(folder)}: {len(imported.parts)} part{'s' if len(imported.parts) != 1 else ''} "
               f"({', '.join(kind for _, kind in imported.parts)}); build it with: facsimile build "
               f"{display(folder)}")


@main.command()
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



@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=OUT_DIR,
              show_default=True, help="Folder to write <document>-handout.pdf into.")
@click.option("--layout", type=click.Choice(("booklet", "2up", "single")), default="booklet",
              show_default=True, help="booklet: A5 pages folded from A4 sheets (half-letter from "
              "letter) in saddle-stitch order; 2up: two pages a side in reading order; single: "
              "one page a side.")
@click.option("--sheet", type=click.Choice(("a4", "letter")), default="a4", show_default=True,
              help="The paper the printer takes.")
@click.option("--flip", type=click.Choice(("long", "short")), default="long", show_default=True,
              help="The edge your printer turns the sheet on when printing double-sided: long "
              "is most printers' default ('long-edge binding'); see the README.")
@click.option("--signature", type=click.IntRange(min=1), default=None,
              help="Booklet: sheets folded together as one signature (default: all of them up "
              "to 12 sheets, else 8: 32 pages).")
@click.option("--paper-thickness", "paper_thickness", type=click.FloatRange(min=0.01, max=1.0),
              default=0.1, show_default=True,
              help="Booklet: millimetres one sheet of your paper measures (80 g/m2 office paper: "
              "0.1); inner sheets' pages move towards the fold by as much per sheet (creep).")
@click.option("--creep", type=click.FloatRange(min=0), default=None,
              callback=lambda ctx, param, value: _finite(value, "--creep"),
              help="Booklet: millimetres the innermost sheet's pages move towards the fold "
              "(default: from --paper-thickness).")
@click.option("--edition", type=click.Choice(("facsimile", "reading")), default="facsimile",
              show_default=True, help="facsimile: the typed pages; reading: set anew for "
              "reading, with notes and corrections.")
@click.option("--large-type", is_flag=True, help="Reading edition: pica instead of elite.")
@click.option("--line-numbers", is_flag=True, help="Reading edition: line numbers every five lines.")
@click.option("--no-cache", "no_cache", is_flag=True,
              help="Make the handout again even if its sources and options are unchanged.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
def handout(sources: tuple[Path, ...], out_dir: Path, layout: str, sheet: str, flip: str,
            signature: int | None, paper_thickness: float, creep: float | None, edition: str,
            large_type: bool, line_numbers: bool, no_cache: bool, quiet: bool) -> None:
    """Make a handout for a reading group, ready to print double-sided (and fold).

    It opens with a cover (title, date and place, the parts and their pages, where the text
    comes from). Paragraphs are numbered in the margin, the same in both editions; the
    reading edition adds the document's notes (notes.toml) and the corrections made.

    \b
    Example:
      facsimile handout                                  # A5 booklet on A4, facsimile pages
      facsimile handout --edition reading --line-numbers
      facsimile handout --layout 2up --sheet letter --flip long
    """
    from .handout.options import HandoutOptions, unchanged_handout

    folders = _guarded(lambda: distinct_outputs(find_documents(sources, "handout"), out_dir, "-handout.pdf"))
    options = HandoutOptions(layout, sheet, flip, creep, edition, large_type, line_numbers, signature,
                             paper_thickness)
    for folder in folders:
        started = time.perf_counter()
        if not no_cache:  # answer an unchanged handout before importing the typesetter
            _, path, unchanged = _guarded(lambda: unchanged_handout(folder, out_dir, options))
            if unchanged:
                if not quiet:
                    click.echo(f"{display(path)}: unchanged, {(time.perf_counter() - started) * 1000:.0f} ms")
                continue
        from .handout.build import build_handout

        report = _guarded(lambda: build_handout(folder, out_dir, options, use_cache=not no_cache))
        for warning in report.warnings:
            click.echo(f"{display(report.path)}: warning: {warning}", err=True)
        if quiet:
            continue
        folds = ""
        if report.signatures:
            count = len(report.signatures)
            folds = (f", folded as one signature" if count == 1 else
                     f", in {count} signatures of {report.signatures[0]} sheets"
                     + ("" if len(set(report.signatures)) == 1 else f" (the last {report.signatures[-1]})"))
        click.echo(f"{display(report.path)}: {edition} edition, {layout}, {report.pages} pages on "
                   f"{report.sheets} sheet{'s' if report.sheets != 1 else ''}{folds} "
                   f"({report.size:,} bytes, {report.seconds * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
