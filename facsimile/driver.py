"""Command settings and document folders to built PDFs and reports: the driver the commands call.

The command line (cli.py) reads options into a BuildSettings, finds the folders with
find_documents, and iterates build_documents, printing each outcome as it comes; the driver
knows nothing of terminals. Another front end (a batch importer, a test) does the same:

    settings = BuildSettings(out_dir=Path("out"), overrides={"paper": "a4"})
    for folder, outcome in build_documents(find_documents(()), settings):
        ...  # outcome is a build.BuildReport, or the FacsimileError that stopped that document
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping

from .errors import FacsimileError
from .locations import MANIFEST, SOURCE_ROOT, project_documents
from .report import BuildReport, Progress, unchanged_report

OUT_DIR = Path("out")
START_HINT = "start one with `facsimile init mydoc`"


@dataclass(frozen=True)
class BuildSettings:
    """Everything a build command can change, with the defaults a bare `facsimile build` uses."""

    out_dir: Path = OUT_DIR
    overrides: Mapping[str, Any] = field(default_factory=dict)  # manifest keys set by options
    seed: int | None = None
    diplomatic: bool = False
    use_cache: bool = True
    jobs: int | None = None  # processes that draw pages; None: one a core
    font_path: Path | None = None  # a folder holding fonts.toml; None: $FACSIMILE_FONTS or shipped

    @property
    def options_key(self) -> str:
        from .cache import options_key

        return options_key(dict(self.overrides), self.seed, self.diplomatic)


def default_jobs() -> int:
    """The processes that draw pages when --jobs is not given: one a core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def find_documents(sources: tuple[Path, ...] | list[Path], command: str = "build") -> list[Path]:
    """The document folders to work on: those given, or every folder under source/ that holds
    a document.toml; with neither, an error that says what to do instead (naming the command)."""
    if sources:
        return [Path(s) for s in sources]
    if (Path.cwd() / MANIFEST).is_file():
        raise FacsimileError.at_path(MANIFEST, "this is a document folder, not a project folder: "
                                     f"run facsimile from the folder above it and name this one "
                                     f"(`cd .. && facsimile {command} {Path.cwd().name}`)")
    if not SOURCE_ROOT.is_dir():
        raise FacsimileError.at_path(SOURCE_ROOT, "no source/ folder here: run facsimile in a project "
                                     "folder (one holding source/), name a document folder, or "
                                     f"{START_HINT}")
    found = project_documents()
    if not found:
        raise FacsimileError.at_path(SOURCE_ROOT, "no document folder (with a document.toml) under "
                                     f"source/: name a document folder, or {START_HINT}")
    return found


@contextmanager
def fonts_from(folder: Path | None) -> Iterator[None]:
    """Read the typefaces from a folder for the duration (the same as setting FACSIMILE_FONTS)."""
    if folder is None:
        yield
        return
    before = os.environ.get("FACSIMILE_FONTS")
    os.environ["FACSIMILE_FONTS"] = str(Path(folder).resolve())
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("FACSIMILE_FONTS", None)
        else:
            os.environ["FACSIMILE_FONTS"] = before


def build_documents(folders: list[Path] | tuple[Path, ...], settings: BuildSettings,
                    progress: Progress | None = None
                    ) -> Iterator[tuple[Path, BuildReport | FacsimileError]]:
    """Build each folder in turn and yield it with its report, or with the error that stopped
    it (the other folders are still built). An unchanged build is answered before the
    typesetter is imported. progress, if given, hears each step of the long work."""
    for folder in folders:
        with fonts_from(settings.font_path):
            try:
                yield folder, build_one(Path(folder), settings, progress)
            except FacsimileError as error:
                yield folder, error


def build_one(folder: Path, settings: BuildSettings, progress: Progress | None = None) -> BuildReport:
    """Build one document folder with the settings (raises FacsimileError)."""
    if (folder / "pack.toml").is_file():  # a pack: one volume of many documents
        from .pack import build_pack

        return build_pack(folder, settings.out_dir, dict(settings.overrides), settings.seed,
                          diplomatic=settings.diplomatic, jobs=settings.jobs or default_jobs(), progress=progress)
    if settings.use_cache:  # answer an unchanged build before importing the typesetter
        from .cache import unchanged_output

        started = time.perf_counter()
        key, path, unchanged = unchanged_output(folder, settings.out_dir, settings.options_key)
        if unchanged:
            return unchanged_report(folder, path, time.perf_counter() - started)
        checked: tuple[str, Path] | None = (key, path) if key else None
    else:
        checked = None
    from .build import build_document

    return build_document(folder, settings.out_dir, dict(settings.overrides), settings.seed,
                          diplomatic=settings.diplomatic, use_cache=settings.use_cache,
                          jobs=settings.jobs or default_jobs(), progress=progress, checked=checked)


@dataclass(frozen=True)
class UnchangedHandout:
    """A handout whose sources and options are those of the last one: nothing was written."""

    path: Path
    seconds: float


def make_handouts(folders: list[Path] | tuple[Path, ...], options: Any, out_dir: Path = OUT_DIR,
                  use_cache: bool = True, font_path: Path | None = None,
                  progress: Progress | None = None) -> Iterator[tuple[Path, Any]]:
    """Make each folder's handout (options: a handout.options.HandoutOptions) and yield it with
    its handout.build.HandoutReport, an UnchangedHandout, or the FacsimileError that stopped
    it. An unchanged handout is answered before the typesetter is imported."""
    from .handout.options import unchanged_handout

    for folder in folders:
        with fonts_from(font_path):
            started = time.perf_counter()
            try:
                if use_cache and not (Path(folder) / "pack.toml").is_file():  # a pack's documents are elsewhere
                    _, path, unchanged = unchanged_handout(Path(folder), out_dir, options)
                    if unchanged:
                        yield folder, UnchangedHandout(path, time.perf_counter() - started)
                        continue
                from .handout.build import build_handout

                yield folder, build_handout(Path(folder), out_dir, options, use_cache, progress)
            except FacsimileError as error:
                yield folder, error

