"""Loading a document folder: the manifest's keys and every problem reported together."""

from __future__ import annotations

from pathlib import Path

import pytest

from facsimile.errors import SourceError
from facsimile.source.document import load_document
from tests.conftest import PAMPHLET


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(SourceError) as caught:
        load_document(folder)
    return [str(d) for d in caught.value.diagnostics]


def test_the_pamphlet_loads_with_its_parts_in_order():
    doc = load_document(PAMPHLET)
    assert [p.spec.kind for p in doc.parts] == ["letter", "enclosure", "enclosure", "imprint"]
    assert doc.layout.paper == "foolscap" and doc.layout.pitch == "pica"
    assert dict(doc.provenance)["navigation"].startswith("Balham Group Index")


def test_the_parts_keep_the_transcriptions_wording(tmp_path):
    seed = Path(__file__).resolve().parents[2] / "shared" / "seed" / "balham-group-document-4.txt"
    if not seed.exists():
        pytest.skip("the seed transcription is not beside the repository")
    received = " ".join(seed.read_text(encoding="utf-8").split())
    doc = load_document(PAMPHLET, diplomatic=True)
    for part in doc.parts:
        for block in part.blocks:
            text = " ".join("".join(r.text for r in line) for line in block.lines)
            assert " ".join(text.split()) in received


def test_unknown_keys_paper_and_pitch_are_reported_together_at_their_lines(make_document):
    folder = make_document({"a.txt": "Text\n"}, extra='paper = "A3"\npitch = "huge"\ncolour = 1\n')
    found = problems_of(folder)
    assert any(":4:1: error: unknown paper 'A3': use one of foolscap, quarto, a4, letter" in p for p in found)
    assert any(":5:1: error: unknown pitch 'huge'" in p for p in found)
    assert any(":6:1: error: unknown key 'colour'" in p for p in found)


def test_toml_syntax_errors_name_the_line_and_column(make_document):
    folder = make_document({"a.txt": "Text\n"})
    (folder / "document.toml").write_text('title = "x\n', encoding="utf-8")
    (found,) = problems_of(folder)
    assert "document.toml:1:" in found and "not valid TOML" in found


def test_missing_manifest(tmp_path):
    (tmp_path / "doc").mkdir()
    (found,) = problems_of(tmp_path / "doc")
    assert found.endswith("error: missing manifest: create document.toml in this folder "
                          "(see docs/source-format.md)")


def test_missing_part_file_and_markup_errors_come_together(make_document):
    folder = make_document({"a.txt": "@nonsense x\n", "b.txt": "ok\n"})
    (folder / "b.txt").unlink()
    found = problems_of(folder)
    assert len(found) == 2
    assert any("part file 'b.txt' does not exist" in p for p in found)
    assert any("a.txt:1:1: error: unknown directive '@nonsense'" in p for p in found)


def test_a_part_outside_the_folder_is_refused(make_document):
    folder = make_document({"a.txt": "x\n"})
    manifest = folder / "document.toml"
    manifest.write_text(manifest.read_text().replace('"a.txt"', '"../../etc/passwd"'))
    (found,) = problems_of(folder)
    assert "outside the document folder" in found


def test_duplicate_part_ids_and_unknown_kinds(make_document):
    folder = make_document({"a.txt": "x\n", "b.txt": "y\n"}, kinds={"a.txt": "letter", "b.txt": "memo"})
    manifest = folder / "document.toml"
    manifest.write_text(manifest.read_text().replace('file = "a.txt"', 'id = "same"\nfile = "a.txt"')
                        .replace('file = "b.txt"', 'id = "same"\nfile = "b.txt"'))
    found = problems_of(folder)
    assert any("unknown part kind 'memo'" in p for p in found)
    assert any("two parts have the id 'same'" in p for p in found)


def test_invalid_utf8_in_a_part(make_document):
    folder = make_document({"a.txt": "x\n"})
    (folder / "a.txt").write_bytes(b"ok\nbad \xff byte\n")
    (found,) = problems_of(folder)
    assert "a.txt:2:5: error: byte 0xFF is not valid UTF-8" in found


@pytest.mark.parametrize("where", ["document", "part"])
def test_a_title_longer_than_three_hundred_characters_is_an_error_at_its_key(make_document, where):
    """A title went whole into the PDF's metadata, its bookmarks and a handout's headings, so a
    pasted text as title (1 MB) reached all three."""
    folder = make_document({"a.txt": "Text\n"})
    manifest = folder / "document.toml"
    text = manifest.read_text("utf-8")
    old = 'title = "A test leaflet"' if where == "document" else 'title = "Part a.txt"'
    manifest.write_text(text.replace(old, f'title = "{"x" * 300}"'), "utf-8")
    assert len(load_document(folder).title if where == "document" else load_document(folder).parts[0].spec.title) == 300
    manifest.write_text(text.replace(old, f'title = "{"x" * 301}"'), "utf-8")
    line = text.splitlines().index(old) + 1
    advice = "a longer description goes in 'subject'" if where == "document" else \
        "the part's text keeps its full heading"
    assert problems_of(folder) == [f"{manifest}:{line}:1: error: 'title' is 301 characters long, over the "
                                   f"limit of 300: shorten it to a line or two ({advice})"]
