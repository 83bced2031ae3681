"""Shared fixtures: the repository's paths, a built pamphlet, and small document folders."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import os
import subprocess

import pytest
from hypothesis import settings

# Bounded in CI; HYPOTHESIS_PROFILE=long for a longer fuzzing run.
settings.register_profile("ci", max_examples=60, deadline=None)
settings.register_profile("long", max_examples=3000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
PAMPHLET = ROOT / "source" / "balham-group-document-4"

MANIFEST = """\
title = "A test leaflet"
date = "1932-11-07"
author = "The Test Group"
{extra}
{parts}
"""


def write_document(folder: Path, parts: dict[str, str], extra: str = "",
                   kinds: dict[str, str] | None = None) -> Path:
    """A document folder with one part file per entry (name -> text)."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = []
    for name, text in parts.items():
        kind = (kinds or {}).get(name, "letter")
        tables.append(f'[[parts]]\nfile = "{name}"\nkind = "{kind}"\ntitle = "Part {name}"\n')
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    (folder / "document.toml").write_text(MANIFEST.format(extra=extra, parts="\n".join(tables)),
                                          encoding="utf-8")
    return folder


@pytest.fixture
def make_document(tmp_path: Path):
    def make(parts: dict[str, str], extra: str = "", kinds: dict[str, str] | None = None,
             name: str = "leaflet") -> Path:
        return write_document(tmp_path / "source" / name, parts, extra, kinds)
    return make


@pytest.fixture(scope="session")
def built_pamphlet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Document 4 built once for the session, from a copy of its source."""
    from facsimile.build import build_document

    work = tmp_path_factory.mktemp("pamphlet")
    source = work / "source" / PAMPHLET.name
    shutil.copytree(PAMPHLET, source)
    report = build_document(source, work / "out")
    return report.path


def validate_pdf(pdf: Path) -> list[str]:
    """What an independent reader objects to in a PDF: qpdf --check, fonts not embedded,
    pdftotext failing. Empty when all is well (or when the tools are not installed)."""
    problems: list[str] = []
    if shutil.which("qpdf"):
        run = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
        if run.returncode != 0:
            problems.append(f"qpdf --check: {run.stdout.strip().splitlines()[-1:]}")
    if shutil.which("pdffonts"):
        run = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True)
        rows = [line.split() for line in run.stdout.splitlines()[2:]]
        if run.returncode != 0 or any(row[-5] != "yes" for row in rows):
            problems.append("pdffonts: a font is not embedded")
    if shutil.which("pdftotext"):
        run = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True)
        if run.returncode != 0:
            problems.append("pdftotext failed")
    return problems


@pytest.fixture(autouse=True)
def every_built_pdf_is_valid(request: pytest.FixtureRequest, tmp_path: Path):
    """After each test, every PDF facsimile wrote into the test's folder passes the validators."""
    yield
    if request.node.get_closest_marker("no_validation"):
        return
    for pdf in sorted(tmp_path.rglob("*.pdf")):
        if ".facsimile-cache" in pdf.parts or not pdf.read_bytes()[:5] == b"%PDF-":
            continue
        if b"/Producer (facsimile" not in pdf.read_bytes():
            continue
        assert validate_pdf(pdf) == [], f"{pdf} fails validation"


@pytest.fixture
def pamphlet(tmp_path: Path) -> Path:
    """A copy of Document 4's source folder under the test's own source/, to change freely."""
    folder = tmp_path / "source" / PAMPHLET.name
    shutil.copytree(PAMPHLET, folder)
    return folder


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder holding Document 4 under source/, as the working folder."""
    shutil.copytree(PAMPHLET, tmp_path / "source" / PAMPHLET.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path
