"""The package as pip installs it: every subpackage listed, the typefaces inside, `-m` works."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import facsimile
from facsimile.locations import fonts_folder

ROOT = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_listed_for_the_wheel() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    tree = {"facsimile"} | {
        "facsimile." + ".".join(init.parent.relative_to(ROOT / "facsimile").parts)
        for init in (ROOT / "facsimile").rglob("__init__.py") if init.parent != ROOT / "facsimile"}
    assert tree | {"facsimile.fonts"} == listed


def test_an_editable_install_needs_no_import_finder() -> None:
    """`pip install -e .` (the README's set-up) puts the project on the path with a plain .pth
    line: an import finder would cost every command 9 ms of imports before it starts."""
    result = subprocess.run([sys.executable, "-c", "import sys; print(sorted(sys.modules))"],
                            capture_output=True, text=True, check=True, cwd="/")
    assert "__editable___facsimile" not in result.stdout  # setuptools names its finder after the project


def test_the_typefaces_ship_inside_the_package_through_its_fonts_link() -> None:
    link = ROOT / "facsimile" / "fonts"
    assert link.is_symlink() and link.resolve() == (ROOT / "fonts").resolve()


def test_fonts_are_found_without_the_environment(monkeypatch) -> None:
    monkeypatch.delenv("FACSIMILE_FONTS", raising=False)
    assert (fonts_folder() / "fonts.toml").is_file()


def test_python_dash_m_facsimile_says_its_version() -> None:
    result = subprocess.run([sys.executable, "-m", "facsimile", "--version"], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0
    assert facsimile.__version__ in result.stdout


def test_a_changed_data_file_of_the_package_invalidates_cached_builds(tmp_path, monkeypatch) -> None:
    """The colophon's wording, the lettering guides and the ICC profile change pages as code
    does: the code fingerprint that keys the cache must change with them."""
    import shutil

    from facsimile import cache

    copy = tmp_path / "facsimile"
    shutil.copytree(ROOT / "facsimile", copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "__file__", str(copy / "cache.py"))

    def fingerprint() -> str:
        monkeypatch.setattr(cache, "_CODE", [])
        return cache.code_fingerprint()

    before = fingerprint()
    for data in ("pdf/colophon.toml", "guides.txt"):
        path = copy / data
        path.write_bytes(path.read_bytes() + b"\n")
        after = fingerprint()
        assert after != before, data
        before = after
