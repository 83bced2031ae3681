"""The stylus: letterheads lettered through a guide, their words still text, in every look."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from facsimile.build import build_document
from facsimile.draw import part_sheets
from facsimile.errors import SourceError
from facsimile.fonts import load_faces
from facsimile.guides import CAP_HEIGHT, GUIDE_NAMES, guides, size_pt
from facsimile.layout.paper import make_grid
from facsimile.layout.typeset import typeset
from facsimile.look.effects import LOOKS
from facsimile.outlines import outline
from facsimile.source.document import load_document
from tests.conftest import PAMPHLET
from tests.helpers import (grid_words, have, pdfium_words, pdftotext_words, pypdf_words, transcribed_words,
                           typeset_document)

HEAD = ["FROM", "THE", "BRITISH", "GROUP", "OF", "THE", "LEFT", "OPPOSITION", "OF", "THE", "C.I."]


def sheets(look: str = "cyclostyle", seed: int | None = None, **options: object):
    doc = load_document(PAMPHLET, {"look": look, **options})
    if seed is not None:
        doc = type(doc)(**{**doc.__dict__, "seed": seed})
    grid = make_grid(doc.layout.paper, doc.layout.pitch, doc.layout.spacing)
    stack = load_faces()
    parts = typeset(doc, grid)
    return grid, parts, [part_sheets(list(p.pages), p.machine, p.id, doc, grid, stack) for p in parts]


def hidden_words(lettering) -> list[str]:
    """The hidden text's words: a new word where a character does not reach the next."""
    words: list[str] = []
    end = None
    for h in lettering.text:
        if end is None or h.x - end > 0.5:
            words.append("")
        words[-1] += h.char
        end = h.x + load_faces().face_for(h.char).advances[ord(h.char)] * h.size / 1000 * h.stretch / 100
    return words


def test_the_letterhead_is_lettered_not_typed_and_its_words_are_hidden_text():
    grid, parts, drawn = sheets("cyclostyle")
    first = drawn[0][0]
    typed = "".join(g.char for line in first.lines for g in line)
    assert "BRITISH" not in typed  # no typed glyph stands for a lettered letter
    assert [w for item in first.lettering for w in hidden_words(item)] == HEAD
    for item in first.lettering:
        assert len(item.strokes) > 3 * len(item.text)  # letters of several strokes each
        assert not item.shapes


def test_strokes_are_at_the_stylus_width_and_vary_with_the_pressure():
    _, _, drawn = sheets("cyclostyle")
    strokes = [s for item in drawn[0][0].lettering for s in item.strokes]
    widths = [s.width for s in strokes]
    assert 0.9 < sum(widths) / len(widths) < 2.0
    assert max(widths) - min(widths) >= 0.15  # wider where the stencil was cut deeper
    _, _, plain = sheets("clean")
    assert len({s.width for item in plain[0][0].lettering for s in item.strokes}) == 1  # lettered plainly


def test_the_hidden_text_lies_over_its_letters():
    _, _, drawn = sheets("cyclostyle")
    for item in drawn[0][0].lettering:
        xs = [x for s in item.strokes for x, _ in s.points]
        ys = [y for s in item.strokes for _, y in s.points]
        first, last = item.text[0], item.text[-1]
        face = load_faces().face_for(last.char)
        end = last.x + face.advances[ord(last.char)] * last.size / 1000 * last.stretch / 100
        assert abs(first.x - min(xs)) < 4 and abs(end - max(xs)) < 4  # side bearings apart
        assert all(abs(h.y - min(ys)) < 2 for h in item.text)  # on the guide line the letters stand on


def test_the_hand_wobbles_smoothly_and_the_clean_look_follows_the_guide_exactly():
    """Clean strokes are the guide's polylines scaled; the hand's strokes depart from them by
    a fraction of a point, smoothly (neighbouring points move together)."""
    _, _, plain = sheets("clean")
    _, _, hand = sheets("cyclostyle")
    plain_item, hand_item = plain[0][0].lettering[0], hand[0][0].lettering[0]
    unit = size_pt(6) / CAP_HEIGHT
    first = guides()["gothic"]["F"].strokes[0]
    stroke = plain_item.strokes[0].points
    x0, y0 = stroke[0]
    # the F's first stroke, scaled from the guide (possibly squeezed across), level
    assert all(abs((y - y0) - (gy - first[0][1]) * unit) < 0.02 for (x, y), (gx, gy) in
               zip([stroke[0], stroke[-1]], [first[0], first[-1]]))
    # the hand: each stroke bends (a straight guide stroke is not straight any more), gently
    bends = []
    for s in hand_item.strokes:
        if len(s.points) >= 6:
            (ax, ay), (bx, by) = s.points[0], s.points[-1]
            length = math.hypot(bx - ax, by - ay) or 1
            bends.append(max(abs((bx - ax) * (ay - py) - (by - ay) * (ax - px)) / length for px, py in s.points))
    assert bends and max(bends) > 0.1


def test_the_lettering_is_reproducible_and_each_seed_letters_it_anew():
    _, _, a = sheets("cyclostyle", seed=5)
    _, _, b = sheets("cyclostyle", seed=5)
    _, _, c = sheets("cyclostyle", seed=6)
    assert a[0][0].lettering == b[0][0].lettering
    assert a[0][0].lettering[0].strokes != c[0][0].lettering[0].strokes


def _rules(sheet, grid):
    """The pieces of the ruled lines: long horizontal strokes (underscores are a cell long)."""
    return [s for s in sheet.strokes if len(s.points) == 2 and abs(s.points[1][0] - s.points[0][0]) > 3 * grid.cell_pt]


def test_rules_are_straight_not_quite_level_and_end_unevenly():
    grid, parts, plain = sheets("clean")
    left, right = grid.left * grid.cell_pt, grid.right * grid.cell_pt
    ruled = _rules(plain[0][0], grid)
    assert len(ruled) == 2 and all(s.points[0][1] == s.points[1][1] for s in ruled)  # level, plainly
    assert all((s.points[0][0], s.points[1][0]) == (left, right) for s in ruled)
    _, _, drawn = sheets("cyclostyle", seed=3)
    pieces = sorted(_rules(drawn[0][0], grid), key=lambda s: (round(s.points[0][1] / 20), s.points[0][0]))
    assert len(pieces) == 16  # two rules, each drawn in pieces as the pressure changes
    for rule in (pieces[:8], pieces[8:]):
        points = [p for s in rule for p in s.points]
        (x0, y0), (x1, y1) = points[0], points[-1]
        slope = (y1 - y0) / (x1 - x0)
        assert all(abs(y - (y0 + slope * (x - x0))) < 0.05 for x, y in points)  # straight: against a ruler
        assert abs(x0 - left) > 0.01 or abs(x1 - right) > 0.01  # not at the stops exactly
    assert any(abs(r[0].points[0][1] - r[-1].points[-1][1]) > 0.02 for r in (pieces[:8], pieces[8:]))


def test_the_typescript_types_the_letterhead_in_spaced_capitals_underscored():
    doc, parts = typeset_document(PAMPHLET, look="typescript")
    head = [p.line for p in parts[0].pages[0].lines if p.line.role == "letterhead"]
    assert head[0].text.strip() == "F R O M   T H E   B R I T I S H   G R O U P   O F"
    assert all(c.emphasis for c in head[0].cells)  # underscored, spaces and all
    assert not [p for p in parts[0].pages[0].lines if p.line.role == "rule"]  # a typist rules no lines
    _, _, drawn = sheets("typescript")
    item = drawn[0][0].lettering[0]
    assert not item.strokes and len(item.shapes) == len("FROMTHEBRITISHGROUPOF")
    assert hidden_words(item) == HEAD[:5]


@pytest.mark.parametrize("look", sorted(LOOKS))
@pytest.mark.parametrize("seed", [2, 77])
@pytest.mark.parametrize("guide", GUIDE_NAMES)
def test_every_word_comes_back_from_every_extractor(tmp_path: Path, look: str, seed: int, guide: str):
    pdf = build_document(PAMPHLET, tmp_path / "out", {"look": look, "guide": guide}, seed).path
    doc, parts = typeset_document(PAMPHLET)  # the words as lettered (typescript spaces their letters)
    typed, transcribed = grid_words(parts), transcribed_words(doc, parts)
    assert typed[: len(HEAD)] == HEAD
    assert pypdf_words(pdf) == typed  # pypdf reads no ActualText (the typist's substitutes)
    assert pdfium_words(pdf) == transcribed
    if have("pdftotext"):
        assert pdftotext_words(pdf) == transcribed


@pytest.mark.parametrize("size", [6, 8, 10, 12])
def test_each_guide_size_letters_larger_and_keeps_every_word(tmp_path: Path, size: int):
    grid, parts, drawn = sheets("cyclostyle", size=size)
    items = [item for sheet in drawn[0] for item in sheet.lettering]
    assert [w for item in items for w in hidden_words(item)] == HEAD
    heights = [max(y for s in item.strokes for _, y in s.points) - min(y for s in item.strokes for _, y in s.points)
               for item in items]
    assert max(heights) == pytest.approx(size_pt(size) + 1.5, abs=2.5)  # capitals as tall as the guide
    left, right = grid.left * grid.cell_pt, grid.right * grid.cell_pt
    for item in items:  # within the typist's margins (the duplicator may move it a few points)
        assert all(left - 8 < x < right + 8 and 0 < y < grid.height_pt for s in item.strokes for x, y in s.points)


def test_a_character_the_guide_lacks_is_typed_large(make_document):
    folder = make_document({"a.txt": "@letterhead\nThe Group £5\n\nA line."})
    doc, parts = typeset_document(folder)
    head = [p.line for p in parts[0].pages[0].lines if p.line.role == "letterhead"]
    assert head[0].scale == 2 and head[0].tall == 0  # the old large capitals


def test_the_old_letterheads_still_work():
    for style, scale in (("large", 2), ("spaced", 1), ("plain", 1)):
        _, parts = typeset_document(PAMPHLET, letterhead=style)
        head = [p.line for p in parts[0].pages[0].lines if p.line.role == "letterhead"]
        assert head[0].scale == scale
        _, _, drawn = sheets("cyclostyle", letterhead=style)
        assert not drawn[0][0].lettering


@pytest.mark.parametrize("setting,message", [
    ('size = 7', "'size' is a guide's height in mm: use one of 6, 8, 10, 12"),
    ('hand = 1.5', "'hand' must be a number from 0 to 1"),
    ('guide = "italic"', "unknown guide 'italic': use one of gothic, roman"),
])
def test_bad_lettering_settings_name_the_line(make_document, setting: str, message: str):
    folder = make_document({"a.txt": "A line."}, extra=setting)
    with pytest.raises(SourceError) as caught:
        load_document(folder)
    assert message in str(caught.value)
    assert "document.toml:4:1" in str(caught.value)


def test_every_guide_has_its_characters_within_the_guide_lines():
    for name in GUIDE_NAMES:
        letters = guides()[name]
        assert all(ch in letters for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,-'&")
        for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
            ys = [y for stroke in letters[ch].strokes for _, y in stroke]
            assert min(ys) >= (-6 if ch in "QJ" else -0.5) and max(ys) <= CAP_HEIGHT + 0.5, (name, ch)  # Q's tail
            assert letters[ch].advance > 0


def test_a_typed_outline_has_its_counters():
    face = load_faces().face_for("O")
    contours = outline(face, "O")
    assert len(contours) >= 2  # the outside and the counter, at least
    xs = [x for c in contours for x, _ in c]
    assert 0 <= min(xs) < max(xs) <= face.advances[ord("O")] / 1000 + 0.05
    assert outline(face, " ") == ()
