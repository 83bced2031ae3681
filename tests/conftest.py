"""Shared fixtures: the repository's paths, a built pamphlet, and small document folders."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

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
