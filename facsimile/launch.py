"""The command line to a command: a plain `facsimile build` is read and run here without
click, anything else (help, other commands, an option spelled unusually) goes to cli.py.

A cold `facsimile build` spends most of its time importing: click alone is about a tenth
of it. Here the build's options are read by a small parser that gives up (and hands the
whole command line to click) on anything it does not know for certain, so that errors,
help and every unusual spelling behave exactly as click makes them. Once its files are in
place and its lines are printed, the process ends at once: the interpreter's clean-up
(freeing every object one by one) would take longer than anything left to do.
"""

from __future__ import annotations

import gc
import os
import sys
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (an unchanged build needs none)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

DEFAULT_OUT = "out"  # driver.OUT_DIR, not imported from there: it pulls in dataclasses
# The build options this parser knows, as cli.py declares them: name -> (parameter, choices).
# A value option not listed here, or any other option, sends the command line to click.
VALUE_OPTIONS = {"-o": "out_dir", "--out": "out_dir", "--paper": "paper", "--pitch": "pitch",
                 "--spacing": "spacing", "--look": "look", "--seed": "seed", "--text-layer": "text_layer"}
FLAGS = {"--paper-tone": ("paper_tone", True), "--no-paper-tone": ("paper_tone", False),
         "--diplomatic": ("diplomatic", True), "--no-cache": ("no_cache", True),
         "--watch": ("watch", True), "-q": ("quiet", True), "--quiet": ("quiet", True),
         "--pdf-a": ("pdf_a", True), "--no-pdf-a": ("pdf_a", False),
         "--colophon": ("colophon", True), "--no-colophon": ("colophon", False),
         "--timings": ("timings", True)}


def parse_build(args: list[str]) -> dict[str, Any] | None:
    """`build` and its options as the build command's parameters, or None when click should
    read them (not a build, a help or version request, an unknown or unusual option, a
    value click would refuse)."""
    params = read_build(args)
    return None if params is None else with_paths(params)


def with_paths(params: dict[str, Any]) -> dict[str, Any]:
    """The parameters with the folders as paths, as click gives them."""
    from pathlib import Path

    return {**params, "sources": tuple(Path(s) for s in params["sources"]), "out_dir": Path(params["out_dir"])}


def read_build(args: list[str]) -> dict[str, Any] | None:
    """parse_build's parameters with the folders as given (strings): read before pathlib is
    imported, for a build with nothing to do is answered without it."""
    from .choices import LOOK_NAMES, PAPER_NAMES, PITCH_NAMES, SPACING_NAMES

    if not args or args[0] != "build":
        return None
    choices = {"paper": PAPER_NAMES, "pitch": PITCH_NAMES, "spacing": SPACING_NAMES, "look": LOOK_NAMES,
               "text_layer": ("transcription", "typed")}
    params: dict[str, Any] = {"sources": [], "out_dir": DEFAULT_OUT, "paper": None, "pitch": None,
                              "spacing": None, "look": None, "paper_tone": None, "seed": None,
                              "diplomatic": False, "no_cache": False, "watch": False, "quiet": False,
                              "text_layer": None, "pdf_a": None, "colophon": None,
                              # options this parser leaves to click, at click's defaults
                              "jobs": None, "font_path": None, "timings": False, "output": "text",
                              "open_pdf": False, "poll": False}
    rest = iter(args[1:])
    only_sources = False
    for token in rest:
        if only_sources or not token.startswith("-"):
            if token == "":
                return None
            params["sources"].append(token)
            continue
        if token == "--":
            only_sources = True
            continue
        name, equals, value = token.partition("=") if token.startswith("--") else (token, "", "")
        if name in FLAGS and not equals:
            key, flag = FLAGS[name]
            params[key] = flag
            continue
        if name not in VALUE_OPTIONS:
            return None
        if not equals:
            value = next(rest, None)  # type: ignore[arg-type]
            if value is None:
                return None
        if value == "" or value.startswith("-"):
            return None
        key = VALUE_OPTIONS[name]
        if key == "out_dir":
            params[key] = value
        elif key == "seed":
            if not (value.isascii() and value.isdigit()):
                return None
            params[key] = int(value)
        else:
            known = {choice.casefold(): choice for choice in choices[key]}
            if value.casefold() not in known:
                return None
            params[key] = known[value.casefold()]
    params["sources"] = tuple(params["sources"])
    return params


def main() -> None:
    """The `facsimile` command (and `python -m facsimile`)."""
    given = read_build(sys.argv[1:])
    if given is None:
        from .cli import main as click_main

        click_main(prog_name="facsimile")
        return
    if not given["no_cache"] and not given["watch"]:
        _stamped(given)
    params = with_paths(given)
    from .buildcmd import Exit

    try:
        plan = _plan(params)
        if unchanged(params):
            _keep(given, params, plan)
            finish(0)
        # A build makes many objects that live long (imported modules, pages) and few cycles:
        # look for cycles far less often than every 700 new objects (the default).
        gc.set_threshold(50_000, 20, 20)
        from .buildcmd import run_build

        code = run_build(**params)
        if code == 0:
            _keep(given, params, plan)
    except Exit as done:
        code = done.code
    finish(code)


def _stamped(given: dict[str, Any]) -> None:
    """End the command here if the stamps of its last build all match (stamps.py): nothing
    to do, said as the build command says it."""
    from .stamps import say, unchanged as stamps_unchanged

    try:
        answers = stamps_unchanged(given)
    except KeyboardInterrupt as error:
        from .buildcmd import unexpected

        unexpected(error)  # says so and ends the command, as a build interrupted does
        return
    if answers is not None:
        if not given["quiet"]:
            say(answers)
        finish(0)


Plan = tuple[list[tuple[str, str]], list["Path"]]  # the inputs' stamps and the document folders


def _plan(params: dict[str, Any]) -> Plan | None:
    """The stamps of everything the build will read, taken before it reads them (each manifest
    before it is read for the files it names); None when the build is not one stamps can
    answer (no cache, a watch, a pack, a path that cannot be told, an error to come)."""
    if params["no_cache"] or params["watch"]:
        return None
    import time

    from .stamps import here, stamp

    taken = time.time_ns()
    try:
        from .cache import build_inputs
        from .locations import MANIFEST, fonts_folder, project_documents, search_paths
        from .outputs import distinct_outputs

        searched = [] if params["sources"] else search_paths()
        first = {path: stamp(path, taken) for path in searched}
        if not params["sources"] and (first[MANIFEST] != "-" or first[searched[1]] == "-"):
            return None  # the driver reports a document folder or a missing source/ itself
        folders = distinct_outputs(list(params["sources"]) or project_documents(), params["out_dir"])
        manifests = [here(str(fonts_folder() / "fonts.toml"))]
        manifests += [os.path.join(here(str(folder)), MANIFEST) for folder in folders]
        first.update((path, stamp(path, taken)) for path in manifests if path not in first)
        paths = build_inputs(folders, params["out_dir"])
    except Exception:  # noqa: BLE001 - the build itself meets whatever this did, and reports it
        return None
    if paths is None or not folders or (not params["sources"] and len(folders) > 1):
        return None  # a plain build of several documents: the driver says so with its table
    if any(first[path] == "-" for path in manifests):
        return None  # a manifest not there: the build will say so, and nothing is to be recorded
    return [(first[path] if path in first else stamp(path, taken), path) for path in searched + paths], folders


def _keep(given: dict[str, Any], params: dict[str, Any], plan: Plan | None) -> None:
    """Record the stamps of a build that ended well: its inputs as planned, and each PDF's as
    it is now, if it is still the one this process wrote or found (another build may have
    written over it since: then nothing is recorded)."""
    if plan is None:
        return
    from .cache import answered
    from .errors import FacsimileError, display
    from .inputs import PDF_LIMIT, digest_bounded
    from .stamps import here, record, stamp

    inputs, folders = plan
    outputs = []
    for folder in folders:
        name = folder.resolve().name
        path = params["out_dir"] / f"{name}.pdf"
        where = here(str(path))
        before = stamp(where)
        try:
            ours = digest_bounded(path, PDF_LIMIT) == answered(params["out_dir"], name)
        except FacsimileError:
            ours = False
        if not ours or stamp(where) != before:
            return
        outputs.append((display(path), where, before))
    record(given, inputs, outputs, [(os.path.realpath(here(str(folder))), here(str(folder))) for folder in folders])


def unchanged(params: dict[str, Any]) -> bool:
    """Whether every document named is built already from these very inputs (then say so as
    the build command does): answered from the content keys, before the typesetter, the
    driver or even the dataclasses module is imported."""
    sources = params["sources"] or _one_document_here()
    if params["no_cache"] or params["watch"] or not sources:
        return False
    import time

    from .buildcmd import build_overrides, say_unchanged, unexpected
    from .cache import options_key, unchanged_output

    options = options_key(build_overrides(params["paper"], params["pitch"], params["spacing"],
                                          params["look"], params["paper_tone"], params["text_layer"],
                                          params["pdf_a"], params["colophon"]),
                          params["seed"], params["diplomatic"])
    answers = []
    for folder in sources:
        started = time.perf_counter()
        try:
            _, path, same = unchanged_output(folder, params["out_dir"], options)
        except KeyboardInterrupt as error:
            unexpected(error)  # says so and ends the command, as a build interrupted does
        except Exception:  # noqa: BLE001 - the build itself will meet it, and report it
            return False
        if not same:
            return False
        answers.append((path, time.perf_counter() - started))
    if not params["quiet"]:
        for path, seconds in answers:
            say_unchanged(path, seconds)
    return True


def _one_document_here() -> tuple[Path, ...]:
    """A plain `facsimile build` in a project of one document: that folder, found by the same
    project_documents the driver's find_documents uses; () for anything else (no project,
    several documents, a pack), which the driver finds and reports itself."""
    from pathlib import Path

    from .locations import MANIFEST, SOURCE_ROOT, project_documents

    if Path(MANIFEST).is_file() or not SOURCE_ROOT.is_dir():
        return ()
    found = project_documents()
    if len(found) != 1 or (found[0] / "pack.toml").exists():
        return ()
    return (found[0],)


def finish(code: int) -> None:
    """End the process with code once what it printed is flushed: every file it wrote is
    already complete and renamed into place (facsimile/atomic.py), so nothing is left for
    the interpreter's shutdown to do but free memory the system frees anyway."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe: as Python's own exit would, say it failed
            code = code or 120
    os._exit(code)
