"""Where facsimile finds what it ships: the fonts folder ($FACSIMILE_FONTS, else inside the
installed package, else fonts/ beside the package in a source checkout) and a project's
document folders (under source/)."""

from __future__ import annotations

import os
from pathlib import Path

MANIFEST = "document.toml"  # source.manifest.MANIFEST, not imported here: it pulls in the model
SOURCE_ROOT = Path("source")


def project_documents() -> list[Path]:
    """The folders under the project's source/ holding a document.toml or a pack.toml, in order:
    what a plain `facsimile build` works on (the driver's find_documents, launch.py's fast path)."""
    return sorted({p.parent for name in (MANIFEST, "pack.toml") for p in SOURCE_ROOT.glob("*/" + name)})


def search_paths() -> list[str]:
    """What decides the documents of a plain `facsimile build` (find_documents): a manifest in
    the working folder, the source/ folder's entries, and each entry's manifest or pack."""
    paths = [MANIFEST, str(SOURCE_ROOT)]
    try:
        with os.scandir(SOURCE_ROOT) as entries:
            names = sorted(entry.name for entry in entries)
    except OSError:
        return paths
    return paths + [os.path.join(SOURCE_ROOT, name, manifest) for name in names
                    for manifest in (MANIFEST, "pack.toml")]


def fonts_folder() -> Path:
    """The folder of shipped fonts: $FACSIMILE_FONTS; else facsimile/fonts in an installed
    wheel (read through importlib.resources); else fonts/ at the top of a source checkout."""
    env = os.environ.get("FACSIMILE_FONTS")
    if env:
        return Path(env)
    package = Path(__file__).resolve().parent
    if (package / "fonts" / "fonts.toml").is_file():  # installed as files: what resources finds
        return package / "fonts"
    if (package.parent / "fonts" / "fonts.toml").is_file():  # a source checkout
        return package.parent / "fonts"
    from importlib import resources  # a zipped install: resources reads it

    installed = resources.files("facsimile").joinpath("fonts")
    if isinstance(installed, Path) and (installed / "fonts.toml").is_file():
        return installed
    return Path(__file__).resolve().parent.parent / "fonts"


def package_data(package: str, module_file: str, *names: str) -> bytes:
    """A data file shipped inside a package: read beside the module when it is a file there (every
    install but a zipped one), else through importlib.resources, which a build then need not
    import (with the zipfile module it brings: 4 ms)."""
    path = Path(module_file).resolve().parent.joinpath(*names)
    if path.is_file():
        return path.read_bytes()
    from importlib import resources

    return resources.files(package).joinpath(*names).read_bytes()
