"""The typist's page: conventions, pagination, widows and orphans, numbering, the grid text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from facsimile.errors import SourceError
from facsimile.layout.grid import FlowLine, TypedLine, Cell, to_text
from facsimile.model import Layout
from facsimile.layout.paginate import paginate
from facsimile.layout.paper import make_grid
from tests.conftest import PAMPHLET
from tests.helpers import grid_words, page_texts, source_words, typeset_document

GOLDEN = Path(__file__).parent / "golden"


def line(text: str, role: str = "body") -> TypedLine:
    return TypedLine(tuple(Cell(10 + i, ch) for i, ch in enumerate(text) if ch != " "), role)


def test_grids_for_each_paper_and_pitch():
    foolscap = make_grid("foolscap", "pica", "single")
    assert (foolscap.columns, foolscap.left, foolscap.right, foolscap.measure) == (80, 10, 72, 62)
    assert (foolscap.width_pt, foolscap.height_pt) == (576.0, 936.0)
    elite = make_grid("foolscap", "elite", "single")
    assert (elite.columns, elite.measure) == (96, 75)
    assert make_grid("a4", "pica", "double").line_step == 4
    assert make_grid("quarto", "pica", "one-and-a-half").line_step == 3
    assert make_grid("letter", "pica", "single").columns == 85


def test_no_orphan_at_a_foot_and_no_widow_at_a_head():
    grid = make_grid("quarto", "pica", "single")
    capacity = (grid.bottom - grid.top) // grid.line_step + 1
    filler = [FlowLine(line(f"filler {n}"), 0, n > 0) for n in range(capacity - 1)]
    para = [FlowLine(line(f"para {n}"), 1 if n == 0 else 0, n in (1, 3)) for n in range(5)]
    pages = paginate(filler + para, grid, Layout(continuation="none"))
    first = [p.line.text for p in pages[0].lines]
    assert "para 0" not in first  # its first line alone at the foot would be an orphan
    assert [p.line.text for p in pages[1].lines][-5:] == [f"para {n}" for n in range(5)]


def test_page_numbers_from_page_two_and_continuation_marks():
    grid = make_grid("quarto", "pica", "single")
    flow = [FlowLine(line(f"line {n}")) for n in range(80)]
    pages = paginate(flow, grid, Layout(continuation="mark", continuation_mark="/over"))
    assert len(pages) == 2
    roles = [[p.line.role for p in page.lines] for page in pages]
    assert "folio" not in roles[0] and roles[0][-1] == "continuation"
    assert roles[1][0] == "folio" and "continuation" not in roles[1]
    assert to_text(pages[1]).lstrip().startswith("- 2 -")
    assert "/over" in to_text(pages[0]).splitlines()[-1]


def test_a_catchword_is_the_first_word_of_the_next_page():
    grid = make_grid("quarto", "pica", "single")
    flow = [FlowLine(line(f"word{n} more")) for n in range(100)]
    pages = paginate(flow, grid, Layout(continuation="catchword"))
    next_first = [p.line.text for p in pages[1].lines if p.line.role == "body"][0].split()[0]
    assert to_text(pages[0]).split()[-1] == next_first


def test_the_close_is_kept_with_the_end_of_the_letter(make_document):
    body = "\n\n".join("Word " * 60 for _ in range(11))
    folder = make_document({"a.txt": body + "\n\n@close\nCommunist greetings,\nThe Group\n"},
                           extra='paper = "quarto"')
    _, parts = typeset_document(folder)
    last = parts[0].pages[-1]
    texts = [p.line.text for p in last.lines if p.line.role in ("body", "close")]
    assert texts[-2:] == ["Communist greetings,", "The Group"]
    assert len(texts) >= 3  # at least the paragraph's last line came over with it


def test_typist_conventions_on_the_pamphlet():
    doc, parts = typeset_document(PAMPHLET)
    grid = make_grid("foolscap", "pica", "single")
    letter = parts[0].pages[0]
    by_role = {}
    for placed in letter.lines:
        by_role.setdefault(placed.line.role, []).append(placed.line)
    head = by_role["letterhead"][0]
    width = len(head.text)
    assert abs((head.cells[0].col - grid.left) - (grid.right - head.cells[-1].col - 1)) <= 1  # centred
    assert by_role["date"][0].cells[-1].col == grid.right - 1  # ranged right
    body = by_role["body"]
    assert body[1].cells[0].col == grid.left + 5  # the first paragraph's first line is indented
    assert all(c.col < grid.right for l in body for c in l.cells)
    assert "letters.  One from" in " ".join(l.text for l in body)  # two spaces after a full stop
    assert "1917:  the other" in " ".join(l.text for l in body) or "1917:" in body[3].text
    assert width > 0


def test_every_word_of_the_source_is_typed_once_in_order():
    doc, parts = typeset_document(PAMPHLET)
    assert grid_words(parts, chrome=False) == source_words(doc)


@pytest.mark.parametrize("paper,pitch,spacing", [("a4", "elite", "double"), ("letter", "pica", "one-and-a-half"),
                                                  ("quarto", "elite", "single")])
def test_other_papers_and_pitches_keep_every_word(paper, pitch, spacing):
    doc, parts = typeset_document(PAMPHLET, paper=paper, pitch=pitch, spacing=spacing)
    grid = make_grid(paper, pitch, spacing)
    assert grid_words(parts, chrome=False) == source_words(doc)
    for part in parts:
        for page in part.pages:
            for placed in page.lines:
                assert 0 < placed.row < grid.rows
                assert all(0 <= c.col < grid.columns for c in placed.line.cells)


def test_a_word_longer_than_the_line_is_an_error_at_its_place(make_document):
    folder = make_document({"a.txt": "Short words then " + "x" * 70 + " more\n"})
    with pytest.raises(SourceError) as caught:
        typeset_document(folder)
    (diagnostic,) = caught.value.diagnostics
    assert str(diagnostic).startswith(f"{diagnostic.pos.file}:1:18: error: a word of 70 characters")
    assert "elite pitch" in diagnostic.message


def test_golden_page_text_of_the_pamphlet():
    """The pamphlet's pages as text; FACSIMILE_REGOLD=1 rewrites the files (on purpose only)."""
    _, parts = typeset_document(PAMPHLET)
    texts = page_texts(parts)
    GOLDEN.mkdir(exist_ok=True)
    for n, text in enumerate(texts, start=1):
        path = GOLDEN / f"balham-group-document-4.page-{n}.txt"
        if os.environ.get("FACSIMILE_REGOLD"):
            path.write_text(text, encoding="utf-8")
        assert path.read_text(encoding="utf-8") == text, f"page {n} differs from {path.name}"
    assert not (GOLDEN / f"balham-group-document-4.page-{len(texts) + 1}.txt").exists()


def test_every_line_too_long_is_reported_at_once(make_document):
    from facsimile.errors import SourceError

    long = "x" * 90
    folder = make_document({"a.txt": f"@verbatim\n{long}\nshort\n{long}\n\nA {long} and {long}.\n"})
    with pytest.raises(SourceError) as caught:
        typeset_document(folder)
    places = sorted((d.pos.line, d.pos.col) for d in caught.value.diagnostics)
    assert places == [(2, 63), (4, 63), (6, 3), (6, 98)]  # the 63rd cell is past the line
