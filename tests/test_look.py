"""The looks: deterministic, extractable in every look, glyphs in their cells, a worn machine."""

from __future__ import annotations

import os
import statistics
from pathlib import Path

import pytest

from facsimile.build import build_document
from facsimile.layout.typeset import typeset
from facsimile.look.effects import LOOKS, make_sheets
from facsimile.fonts import load_faces
from facsimile.look.machine import Machine
from facsimile.layout.paper import make_grid
from facsimile.source.document import load_document
from tests.conftest import PAMPHLET
from tests.helpers import (grid_words, have, pdfium_words, pdftotext_words, pypdf_words, transcribed_words,
                           typeset_document)

REFERENCE = Path(__file__).parent / "reference"


def build(tmp_path: Path, look: str, seed: int | None = None, **more: object) -> Path:
    return build_document(PAMPHLET, tmp_path / f"{look}-{seed}", {"look": look, **more}, seed).path


def sheets_of(look: str, seed: int = 1932):
    doc = load_document(PAMPHLET, {"look": look})
    grid = make_grid(doc.layout.paper, doc.layout.pitch, doc.layout.spacing)
    stack = load_faces()
    parts = typeset(doc, grid)
    return grid, parts, [make_sheets(list(p.pages), grid, stack, look, Machine(seed, p.machine), f"{seed}:{p.id}")
                         for p in parts]


@pytest.mark.parametrize("look", sorted(LOOKS))
@pytest.mark.parametrize("seed", [1, 1932])
def test_every_word_extracts_in_every_look(tmp_path, look, seed):
    pdf = build(tmp_path, look, seed)
    doc, parts = typeset_document(PAMPHLET)
    typed, transcribed = grid_words(parts), transcribed_words(doc, parts)
    assert typed != transcribed  # the pamphlet has curly quotes and dashes that the typist could not type
    assert pypdf_words(pdf) == typed  # pypdf reads no ActualText
    assert pdfium_words(pdf) == transcribed
    if have("pdftotext"):
        assert pdftotext_words(pdf) == transcribed


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes(tmp_path):
    first = build(tmp_path / "a", "cyclostyle", 5).read_bytes()
    again = build(tmp_path / "b", "cyclostyle", 5).read_bytes()
    other = build(tmp_path / "c", "cyclostyle", 6).read_bytes()
    assert first == again
    assert first != other


def test_the_clean_look_does_not_depend_on_the_seed(tmp_path):
    assert build(tmp_path / "a", "clean", 1).read_bytes() == build(tmp_path / "b", "clean", 2).read_bytes()


@pytest.mark.parametrize("look", sorted(LOOKS))
def test_every_glyph_is_on_the_paper_and_in_its_cell(look):
    grid, parts, sheets = sheets_of(look)
    slack = {"clean": 0.1, "typescript": 0.7}.get(look, 7.0)  # the duplicator moves whole lines
    for part, part_sheets in zip(parts, sheets):
        for page, sheet in zip(part.pages, part_sheets):
            cells = [(c, placed.row, placed.line.scale) for placed in page.lines for c in placed.line.cells
                     if c.char != " " and not c.ornament]
            glyphs = [g for line in sheet.lines for g in line]
            assert len(glyphs) == len(cells)
            for glyph, (cell, row, scale) in zip(glyphs, cells):
                assert 0 < glyph.x < grid.width_pt and 0 < glyph.y < grid.height_pt
                left = cell.col * grid.cell_pt
                assert left - slack <= glyph.x <= left + grid.cell_pt * scale + slack
                assert abs(glyph.y - (grid.height_pt - row * grid.row_pt)) <= slack
                assert glyph.char == cell.char
            for stroke in sheet.strokes:
                assert all(0 <= x <= grid.width_pt and 0 <= y <= grid.height_pt for x, y in stroke.points)


def test_the_same_letter_carries_the_same_defect_across_a_part():
    grid, parts, sheets = sheets_of("typescript", seed=11)
    machine = Machine(11, parts[0].machine)
    offsets: dict[str, list[float]] = {}
    for sheet in sheets[0]:
        for line in sheet.lines:
            median = statistics.median(g.y for g in line)
            for g in line:
                offsets.setdefault(g.char, []).append(g.y - median)
    checked = 0
    for char, values in offsets.items():
        if len(values) >= 20:
            assert abs(statistics.mean(values) - machine.defect(char).dy) < 0.06, char
            assert statistics.pstdev(values) < 0.12, char
            checked += 1
    assert checked >= 10
    worn = [c for c in offsets if abs(machine.defect(c).dy) > 0.08]
    assert worn, "this machine has letters that sit high or low"


def test_parts_on_one_machine_share_defects_and_other_machines_differ():
    a, b, other = Machine(3, "office"), Machine(3, "office"), Machine(3, "second")
    letters = "etaoinshrdlu"
    assert [a.defect(c) for c in letters] == [b.defect(c) for c in letters]
    assert [a.defect(c) for c in letters] != [other.defect(c) for c in letters]


def test_the_stencil_thickens_and_the_duplicator_varies_the_ink():
    _, _, clean = sheets_of("clean")
    _, _, cyclo = sheets_of("cyclostyle")
    clean_glyphs = [g for sheet in clean[0] for line in sheet.lines for g in line]
    cyclo_glyphs = [g for sheet in cyclo[0] for line in sheet.lines for g in line]
    assert all(g.weight == 0 and g.ink == 1.0 for g in clean_glyphs)
    assert all(g.weight > 0 for g in cyclo_glyphs)
    inks = [g.ink for g in cyclo_glyphs]
    assert max(inks) - min(inks) > 0.15
    assert any(sheet.dots for sheet in cyclo[0])  # specks and filled counters


def test_paper_tone_is_off_by_default_and_can_be_asked_for(tmp_path):
    _, _, plain = sheets_of("cyclostyle")
    assert all(sheet.tone is None for part in plain for sheet in part)
    toned = build(tmp_path, "cyclostyle", paper_tone=True)
    from pypdf import PdfReader

    content = PdfReader(toned).pages[0].get_contents().get_data()
    assert b" re f" in content or b" re\nf" in content


def test_emphasis_is_underscored_by_default_and_struck_twice_on_request():
    _, _, under = sheets_of("clean")
    assert any(len(s.strokes) > 30 for s in under[0])  # WITHOUT DISCUSSION, four times
    doc = load_document(PAMPHLET, {"look": "clean", "emphasis": "double"})
    grid = make_grid(doc.layout.paper, doc.layout.pitch, doc.layout.spacing)
    parts = typeset(doc, grid)
    sheets = make_sheets(list(parts[0].pages), grid, load_faces(), "clean", Machine(1, "m"), "1", "double")
    heavy = [g for s in sheets for line in s.lines for g in line if g.weight > 0]
    assert "".join(g.char for g in heavy).count("WITHOUTDISCUSSION") == 4


def _render(pdf: Path, page: int, dpi: int) -> tuple[int, int, bytes]:
    import pypdfium2 as pdfium

    bitmap = pdfium.PdfDocument(str(pdf))[page].render(scale=dpi / 72, grayscale=True)
    rows = [bytes(bitmap.buffer[r * bitmap.stride: r * bitmap.stride + bitmap.width])
            for r in range(bitmap.height)]
    return bitmap.width, bitmap.height, b"".join(rows)


@pytest.mark.parametrize("look,page", [("clean", 0), ("cyclostyle", 1)])
def test_reference_renders_match_within_tolerance(tmp_path, look, page):
    """A small render of a page against the reference; FACSIMILE_REGOLD=1 rewrites it."""
    width, height, pixels = _render(build(tmp_path, look), page, 24)
    reference = REFERENCE / f"{look}-page-{page + 1}.pgm"
    if os.environ.get("FACSIMILE_REGOLD"):
        reference.write_bytes(f"P5 {width} {height} 255\n".encode() + pixels)
    header, _, stored = reference.read_bytes().partition(b"\n")
    assert header.split()[1:3] == [str(width).encode(), str(height).encode()]
    difference = sum(abs(a - b) for a, b in zip(pixels, stored)) / len(pixels)
    assert difference < 2.0, f"mean difference {difference:.2f} of 255"
    ink = sum(255 - p for p in pixels) / len(pixels)
    assert ink > 5  # the page is not blank


@pytest.mark.parametrize("look", ["cyclostyle", "typescript"])
def test_a_busy_glyph_is_filled_not_spread_into_a_blot(make_document, look):
    from facsimile.pdf.render import font_codes, page_operators

    folder = make_document({"a.txt": "Comrade Троцкий, йод\n\nиж йй üé and\n"}, extra=f'look = "{look}"')
    doc, parts = typeset_document(folder)
    grid = make_grid(doc.layout.paper, doc.layout.pitch, doc.layout.spacing)
    stack = load_faces()
    (sheet,) = make_sheets(list(parts[0].pages), grid, stack, look, Machine(1, "m"), "1:a")
    weights = {g.char: g.weight for line in sheet.lines for g in line}
    assert all(weights[c] == 0 for c in "йжü") and weights["n"] > 0 and weights["o"] > 0
    # the render mode is text state: a line opening with a busy glyph must switch stroking off
    chars = {stack.face_for(c).name: "" for c in weights}
    for c in weights:
        chars[stack.face_for(c).name] += c
    ops = page_operators(sheet, font_codes(stack, chars)).split("\n")
    second = ops.index("BT", ops.index("ET"))
    assert "0 Tr" in ops[second:second + 6]
