"""A template kind and a folder to a new document folder that builds at once (facsimile init).

The templates are document folders shipped as package data (facsimile/templates/<kind>/):
nothing typeset lives in this code.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from .errors import OutputError, UsageError, display

KINDS = ("letter", "leaflet", "report")
DEFAULT_KIND = "letter"


def template(kind: str) -> Traversable:
    """The shipped template folder of a kind."""
    if kind not in KINDS:
        raise UsageError(f"no template of kind '{kind}': use one of {', '.join(KINDS)}")
    return resources.files("facsimile").joinpath("templates", kind)


def template_files(kind: str) -> list[tuple[str, bytes]]:
    """The files of a kind's template, by name, in name order."""
    return sorted((entry.name, entry.read_bytes()) for entry in template(kind).iterdir() if entry.is_file())


def default_folder(kind: str) -> Path:
    """Where `facsimile init` with no folder writes: source/<kind>, so that a bare
    `facsimile build` in the same folder builds it."""
    return Path("source") / kind


def init_document(folder: Path, kind: str = DEFAULT_KIND) -> list[Path]:
    """Write a new document folder from a template; the folder must not exist or be empty.
    The files appear together: they are written beside it and renamed into place."""
    folder = Path(folder)
    files = template_files(kind)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        what = "is not a folder" if not folder.is_dir() else "is not empty"
        raise UsageError(f"{display(folder)} {what}: name a new folder, e.g. facsimile init "
                         f"{display(folder.parent / (folder.name + '-2'))}")
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
        try:
            for name, data in files:
                (staging / name).write_bytes(data)
            staging.chmod(0o777 & ~_umask())
            os.replace(staging, folder)  # replaces an empty folder; never a full one
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    except OSError as exc:
        raise OutputError(f"cannot write {display(folder)} ({exc.strerror or exc}): choose a folder "
                          "you can write to") from None
    return [folder / name for name, _ in files]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
