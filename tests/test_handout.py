"""Handouts: imposition order, sheets and their sides, creep, editions, paragraph numbers, notes."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from facsimile.cli import main
from facsimile.errors import SourceError, UsageError
from facsimile.handout.build import HandoutOptions, build_handout
from facsimile.handout.impose import booklet_order, single_order, turns_back, two_up_order
from facsimile.source.notes import load_notes, paragraphs
from facsimile.source.document import load_document
from tests.conftest import PAMPHLET
from tests.helpers import have, source_words

needs_poppler = pytest.mark.skipif(not have("pdftotext"), reason="poppler-utils is not installed")


def test_booklet_order_of_eight_pages():
    sides = [(s.sheet, s.back, s.pages) for s in booklet_order(8)]
    assert sides == [(1, False, (8, 1)), (1, True, (2, 7)), (2, False, (6, 3)), (2, True, (4, 5))]


def test_booklet_of_one_page_and_of_six_pages_put_the_blanks_at_the_end():
    assert [s.pages for s in booklet_order(1)] == [(0, 1), (0, 0)]
    assert [s.pages for s in booklet_order(6)] == [(0, 1), (2, 0), (6, 3), (4, 5)]


@pytest.mark.parametrize("count", range(1, 17))
def test_every_booklet_holds_each_page_once_and_folds_into_order(count):
    sides = booklet_order(count)
    total = 4 * -(-count // 4)
    placed = [p for side in sides for p in side.pages]
    assert sorted(p for p in placed if p) == list(range(1, count + 1))
    assert placed.count(0) == total - count
    assert len(sides) == total // 2 and all(len(s.pages) == 2 for s in sides)
    # Folded, the sheets nest: sheet i holds pages i*2+1, i*2+2 and their mirrors from the end.
    sheets = total // 4
    for i in range(sheets):
        front, back = sides[2 * i], sides[2 * i + 1]
        expect = (total - 2 * i, 2 * i + 1, 2 * i + 2, total - 2 * i - 1)
        got = (front.pages[0], front.pages[1], back.pages[0], back.pages[1])
        assert got == tuple(n if n <= count else 0 for n in expect)


def test_two_up_and_single_are_in_reading_order():
    assert [s.pages for s in two_up_order(5)] == [(1, 2), (3, 4), (5, 0)]
    assert [(s.sheet, s.back) for s in two_up_order(5)] == [(1, False), (1, True), (2, False)]
    assert [(s.sheet, s.back, s.pages) for s in single_order(3)] == [(1, False, (1,)), (1, True, (2,)),
                                                                        (2, False, (3,))]


def test_which_backs_are_turned_for_each_printer():
    assert turns_back("booklet", "long") and not turns_back("booklet", "short")
    assert turns_back("2up", "long") and not turns_back("2up", "short")
    assert turns_back("single", "short") and not turns_back("single", "long")


@pytest.fixture(scope="module")
def handouts(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("handouts")
    made = {}
    for name, options in {
        "booklet": HandoutOptions(flip="short"),
        "booklet-long": HandoutOptions(flip="long"),
        "booklet-letter": HandoutOptions(sheet="letter"),
        "2up": HandoutOptions(layout="2up"),
        "single": HandoutOptions(layout="single"),
        "reading-single": HandoutOptions(layout="single", edition="reading", line_numbers=True),
        "reading-booklet": HandoutOptions(edition="reading"),
    }.items():
        report = build_handout(PAMPHLET, out / name, options)
        made[name] = report.path
    return made


def sizes(pdf: Path) -> list[tuple[int, int]]:
    from pypdf import PdfReader

    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in PdfReader(pdf).pages]


def test_sheet_sizes_and_orientation(handouts):
    assert set(sizes(handouts["booklet"])) == {(842, 595)}  # A4 landscape, two A5 pages a side
    assert set(sizes(handouts["booklet-letter"])) == {(792, 612)}
    assert set(sizes(handouts["2up"])) == {(842, 595)}
    assert set(sizes(handouts["single"])) == {(595, 842)}
    assert len(sizes(handouts["booklet"])) == 4  # 6 pages and 2 blanks: 2 sheets, 4 sides


def test_a_creep_that_leaves_the_pages_too_little_room_is_refused(tmp_path):
    with pytest.raises(UsageError) as caught:
        build_handout(PAMPHLET, tmp_path, HandoutOptions(creep=80))
    assert "--creep: error: a creep of 80 mm leaves the pages too little of their half" in str(caught.value)
    report = build_handout(PAMPHLET, tmp_path, HandoutOptions(creep=2))
    assert report.sheets == 2


def _numbered_first_words(pdf: Path) -> dict[int, str]:
    """Margin numbers and the word beside each, read back from the PDF."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pairs: dict[int, str] = {}
    for page in out.split("<page ")[1:]:
        words = [(float(a), float(b), float(c), w) for a, b, c, w in
                 re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', page)]
        text_starts = min((x for x, _, _, w in words if not w.isdigit()), default=0.0)
        for x, y, x_end, word in words:
            if not word.isdigit() or x_end > text_starts - 2:  # a margin number stands left of the text
                continue
            # beside it: on its line, which the duplicator may have shifted by a few points
            right = [(wx, w) for wx, wy, _, w in words if abs(wy - y) < 5 and wx > x_end + 4]
            if right:
                pairs.setdefault(int(word), min(right)[1])
    return pairs


@needs_poppler
def test_paragraph_numbers_are_identical_in_both_editions(handouts):
    doc = load_document(PAMPHLET)
    expected = {p.number: p.text.split()[0] for p in paragraphs(doc)}
    assert _numbered_first_words(handouts["single"]) == expected
    reading = _numbered_first_words(handouts["reading-single"])
    assert {n: reading[n] for n in expected} == expected


@needs_poppler
def test_the_reading_edition_keeps_every_word_and_adds_notes_and_corrections(handouts):
    doc = load_document(PAMPHLET)
    words = subprocess.run(["pdftotext", str(handouts["reading-single"]), "-"], capture_output=True,
                           text=True, check=True).stdout.split()
    position = 0
    # the reading edition types the letterhead as written, and marks noted terms: term[3]
    folded = [re.sub(r"\[\d+\]", "", w).casefold() for w in words]
    for word in source_words(doc, as_typed=False):  # in order, with margin numbers and labels between them
        position = folded.index(word.casefold(), position) + 1
    text = " ".join(words)
    assert "Rakovsky (paragraph 2): Christian Rakovsky (1873-1941)" in text
    assert "(smyohka) corrected to (smychka) (changed: o to c)" in text


def test_every_note_is_keyed_to_a_paragraph_that_exists_and_holds_its_term():
    doc = load_document(PAMPHLET)
    notes = load_notes(PAMPHLET, doc)
    numbered = {p.number: p.text.casefold() for p in paragraphs(doc)}
    assert len(notes) >= 20
    assert all(n.paragraph in numbered and n.term.casefold() in numbered[n.paragraph] for n in notes)


def test_a_note_for_a_paragraph_that_does_not_exist_is_an_error_at_its_line(tmp_path):
    folder = tmp_path / PAMPHLET.name
    shutil.copytree(PAMPHLET, folder)
    (folder / "notes.toml").write_text('[[note]]\nparagraph = 99\nterm = "x"\ntext = "y"\n')
    with pytest.raises(SourceError) as caught:
        build_handout(folder, tmp_path / "out", HandoutOptions(edition="reading"))
    assert "notes.toml:2:1: error: note 1 is keyed to paragraph 99, which does not exist" in str(caught.value)


def test_the_cli_reports_sheets_and_refuses_unknown_layouts(tmp_path, monkeypatch):
    shutil.copytree(PAMPHLET, tmp_path / "source" / PAMPHLET.name)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["handout", "--layout", "2up"])
    assert result.exit_code == 0
    assert result.output.startswith("out/balham-group-document-4-handout.pdf: facsimile edition, 2up, 7 pages on 2 sheets")
    result = CliRunner().invoke(main, ["handout", "--layout", "3up"])
    assert result.exit_code == 2 and "'3up' is not one of" in result.output
    result = CliRunner().invoke(main, ["handout", "--sheet", "a3"])
    assert result.exit_code == 2


def test_a_scanned_part_is_placed_in_both_editions(tmp_path):
    from tests.hostile import scan_image

    folder = tmp_path / PAMPHLET.name
    shutil.copytree(PAMPHLET, folder)
    scan_image(folder / "scan.png")
    with (folder / "document.toml").open("a", encoding="utf-8") as manifest:
        manifest.write('\n[[parts]]\nfile = "scan.png"\nkind = "scan"\ntitle = "Scan"\n')
    facsimile = build_handout(folder, tmp_path / "f", HandoutOptions(layout="single"))
    reading = build_handout(folder, tmp_path / "r", HandoutOptions(layout="single", edition="reading"))
    plain = build_handout(PAMPHLET, tmp_path / "p", HandoutOptions(layout="single"))
    assert facsimile.pages == plain.pages + 1
    assert ("Scan", facsimile.pages - 1) in facsimile.contents  # before the back cover
    assert any(title == "Scan" for title, _ in reading.contents)


def test_a_correction_shows_exactly_the_characters_changed():
    from facsimile.handout.reading import changed_span, named

    assert changed_span("1917, tbe idea", "1917, the idea") == (7, 1, 1)
    assert changed_span("organization‘.", "organization’.") == (12, 1, 1)
    assert changed_span("For Iiterature", "For literature") == (4, 1, 1)
    assert changed_span("abc", "abxyc") == (2, 0, 2)
    assert named("b") == "b"
    assert named("‘") == "left single quotation mark"
    assert named("") == "nothing"


def _reading_pages(options: HandoutOptions):
    from facsimile.handout.build import handout_pages

    made, _ = handout_pages(PAMPHLET, options)
    return made


def test_the_reading_edition_keeps_the_notes_margin_outside_on_every_page(tmp_path):
    import pypdfium2 as pdfium

    made = _reading_pages(HandoutOptions(edition="reading"))
    numbers = [n for n, size in enumerate(made.sizes, start=1) if size is not None]
    first_body = made.contents[0][1]
    last_body = made.contents[-1][1]
    pages = []
    for pdf in made.pdfs:
        document = pdfium.PdfDocument(pdf)
        pages.extend(document[i] for i in range(len(document)))
    checked = 0
    for number, page in zip(numbers, pages):
        if not first_body <= number < last_body:  # the body's pages, not covers and appendices
            continue
        width, _ = page.get_size()
        textpage = page.get_textpage()
        boxes = [textpage.get_charbox(i) for i in range(textpage.count_chars())
                 if not textpage.get_text_range(i, 1).isspace()]
        lines = [b for b in boxes if b[2] - b[0] > 0]
        left = min(b[0] for b in lines)
        right = width - max(b[2] for b in lines)
        outer, inner = (right, left) if number % 2 else (left, right)
        assert outer > inner + 10, f"page {number}: outer margin {outer:.0f} pt, inner {inner:.0f} pt"
        checked += 1
    assert checked >= 4


def test_each_noted_term_is_marked_with_its_note_number_and_corrections_use_human_labels(tmp_path):
    report = build_handout(PAMPHLET, tmp_path, HandoutOptions(layout="single", edition="reading"))
    from pypdf import PdfReader

    text = " ".join(" ".join(page.extract_text() for page in PdfReader(report.path).pages).split())
    notes = load_notes(PAMPHLET, load_document(PAMPHLET))
    body = text[:text.index("Notes [1]")]
    for number, note in enumerate(notes, start=1):
        term = r"\s*".join(re.escape(word) for word in note.term.split())
        assert re.search(term + re.escape(f"[{number}]"), body, re.I), f"note {number}: {note.term}"
        assert f"[{number}] {note.term} (paragraph {note.paragraph}):" in text
    assert "(changed: left single quotation mark to right single quotation mark)" in text
    assert "[Enclosure 1: Petrograd, 25 October 1917] (7.X1) corrected to (7.XI) (changed: 1 to I)" in text
    for internal in ("[letter]", "[enclosure-1]", "[enclosure-2]", "[imprint]"):
        assert internal not in text
