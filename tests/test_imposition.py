"""Imposition as a reader and a printer check it: booklets folded virtually and read back with
pypdf, pdftotext and pdfium; every mark at least 8 mm from every sheet edge; signatures and
creep; A4 and letter, both flips, both editions."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from facsimile.handout.build import HandoutOptions, build_handout, handout_pages
from facsimile.handout.impose import POINTS_PER_MM, booklet_order, plan, signature_sizes
from facsimile.source.document import load_document
from tests.conftest import PAMPHLET
from tests.helpers import have, source_words
from tests.reading import as_held

needs_poppler = pytest.mark.skipif(not have("pdftotext"), reason="poppler-utils is not installed")
EDGE_MM = 8.0


def _poppler_half(pdf: Path, index: int, half: int, width: float, height: float) -> list[str]:
    out = subprocess.run(["pdftotext", "-f", str(index + 1), "-l", str(index + 1), "-x", str(int(half * width / 2)),
                          "-y", "0", "-W", str(int(width / 2)), "-H", str(int(height)), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return out.split()


def _words_by_extractor(pdf_bytes: bytes, tmp: Path) -> dict[str, list[list[str]]]:
    """Each page's words, by pypdf, pdftotext and pdfium."""
    import pypdfium2 as pdfium
    from pypdf import PdfReader

    path = tmp / f"pages-{abs(hash(pdf_bytes))}.pdf"
    path.write_bytes(pdf_bytes)
    pages = PdfReader(path).pages
    document = pdfium.PdfDocument(str(path))
    words = {"pypdf": [p.extract_text().split() for p in pages],
             "pdfium": [document[i].get_textpage().get_text_range().split() for i in range(len(document))],
             "pdftotext": []}
    for i in range(len(pages)):
        words["pdftotext"].append(subprocess.run(["pdftotext", "-f", str(i + 1), "-l", str(i + 1), str(path), "-"],
                                                 capture_output=True, text=True, check=True).stdout.split())
    document.close()
    return words


def _fold(sides: list[tuple[tuple[int, ...], tuple[int, ...]]]) -> list[int]:
    """Sheets (front slots, back slots), outermost first, nested and folded: the slots in the
    order a reader turns them, written as (side index, slot)."""
    order: list[tuple[int, int]] = []
    for n in range(len(sides)):  # going in: each sheet's front right, then its back left
        order += [(2 * n, 1), (2 * n + 1, 0)]
    for n in reversed(range(len(sides))):  # coming out: back right, then front left
        order += [(2 * n + 1, 1), (2 * n, 0)]
    return order  # type: ignore[return-value]


BOOKLETS = [
    ("a4", "long", "facsimile", None), ("a4", "short", "reading", None), ("letter", "long", "reading", None),
    ("letter", "short", "facsimile", None), ("a4", "long", "reading", 1), ("letter", "long", "reading", 3),
]


@needs_poppler
@pytest.mark.parametrize("sheet,flip,edition,signature", BOOKLETS)
def test_a_folded_booklet_reads_in_page_order_in_every_extractor(tmp_path, sheet, flip, edition, signature):
    import pypdfium2 as pdfium
    from pypdf import PdfReader

    options = HandoutOptions(sheet=sheet, flip=flip, edition=edition, signature=signature)
    made, _ = handout_pages(PAMPHLET, options)
    report = build_handout(PAMPHLET, tmp_path, options, use_cache=False)
    held = tmp_path / "held.pdf"
    held.write_bytes(as_held(report.path))
    drawn: dict[str, list[list[str]]] = {"pypdf": [], "pdftotext": [], "pdfium": []}
    for pdf in made.pdfs:
        for name, pages in _words_by_extractor(pdf, tmp_path).items():
            drawn[name].extend(pages)
    count = len(made.sizes)
    numbers = [n for n, size in enumerate(made.sizes, start=1) if size is not None]  # blanks are None
    per_page = {name: {n: words for n, words in zip(numbers, pages)} for name, pages in drawn.items()}
    assert all(len(pages) == len(numbers) for pages in drawn.values())
    reader = PdfReader(held)
    document = pdfium.PdfDocument(str(held))
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    sides = reader.pages
    read: dict[str, dict[tuple[int, int], list[str]]] = {"pypdf": {}, "pdftotext": {}, "pdfium": {}}
    for index in range(len(sides)):
        textpage = document[index].get_textpage()
        for half in (0, 1):
            read["pdftotext"][(index, half)] = _poppler_half(held, index, half, width, height)
            left = half * width / 2
            read["pdfium"][(index, half)] = textpage.get_text_bounded(left, 0, left + width / 2, height).split()
        read["pypdf"][(index, 0)] = sides[index].extract_text().split()  # both pages, in slot order
    document.close()
    # the signatures, folded one by one and stacked, give every page once, in order
    page = 1
    first_side = 0
    for size in signature_sizes(len(sides) // 2, signature):
        group = [((), ())] * size
        for slot_side, slot in _fold(group):
            side = first_side + slot_side
            for name in ("pdftotext", "pdfium"):
                got = read[name][(side, slot)]
                if page in per_page[name]:
                    assert got == per_page[name][page], f"{name}: page {page} (side {side + 1}, slot {slot})"
                else:
                    assert got == [], f"{name}: a blank at page {page} holds text"
            page += 1
        first_side += 2 * size
    assert page - 1 == 4 * -(-count // 4)
    order = booklet_order(count, signature)
    for index, side in enumerate(order):  # pypdf reads a side's two pages one after the other
        expect = [w for n in side.pages if n in per_page["pypdf"] for w in per_page["pypdf"][n]]
        assert read["pypdf"][(index, 0)] == expect, f"pypdf: side {index + 1}"


@needs_poppler
def test_the_reading_booklet_folded_gives_every_source_word_in_order(tmp_path):
    report = build_handout(PAMPHLET, tmp_path, HandoutOptions(edition="reading"), use_cache=False)
    held = tmp_path / "held.pdf"
    held.write_bytes(as_held(report.path))
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(held))
    width, height = document[0].get_size()
    halves: dict[tuple[int, int], list[str]] = {}
    for index in range(len(document)):
        textpage = document[index].get_textpage()
        for half in (0, 1):
            halves[(index, half)] = textpage.get_text_bounded(half * width / 2, 0, (half + 1) * width / 2,
                                                              height).split()
    document.close()
    words = [re.sub(r"\[\d+\]", "", w).casefold()  # less the marks of noted terms: term[3]
             for key in _fold([((), ())] * (len(halves) // 4)) for w in halves[key]]
    position = 0
    for word in source_words(load_document(PAMPHLET), as_typed=False):  # ActualText: the transcription's
        position = words.index(word.casefold(), position) + 1


LAYOUTS = [(layout, sheet, flip, edition) for layout in ("booklet", "2up", "single") for sheet in ("a4", "letter")
           for flip in ("long", "short") for edition in ("facsimile", "reading")]


@pytest.mark.parametrize("layout,sheet,flip,edition", LAYOUTS)
def test_nothing_is_printed_within_8_mm_of_a_sheet_edge(tmp_path, layout, sheet, flip, edition):
    import pypdfium2 as pdfium
    from PIL import ImageOps

    report = build_handout(PAMPHLET, tmp_path, HandoutOptions(layout=layout, sheet=sheet, flip=flip, edition=edition,
                                                              signature=1 if edition == "reading" else None),
                           use_cache=False)
    document = pdfium.PdfDocument(str(report.path))
    scale = 100 / 72  # 100 dpi: a pixel is a quarter of a millimetre
    for index in range(len(document)):
        image = document[index].render(scale=scale).to_pil().convert("L")
        ink = ImageOps.invert(image).point(lambda v: 255 if v > 24 else 0)  # darker than near-white
        box = ink.getbbox()
        if box is None:  # a side of blank pages, before the back cover
            continue
        w, h = image.size
        left, top, right, bottom = box
        edges_mm = [v / scale / POINTS_PER_MM for v in (left, top, w - right, h - bottom)]
        assert min(edges_mm) >= EDGE_MM - 0.3, f"sheet side {index + 1}: ink {min(edges_mm):.1f} mm from an edge"
    document.close()


def test_back_sides_are_turned_by_rotate_for_the_printer_and_never_in_their_content(tmp_path):
    from pypdf import PdfReader

    turned = {}
    for layout in ("booklet", "2up", "single"):
        for flip in ("long", "short"):
            report = build_handout(PAMPHLET, tmp_path / f"{layout}-{flip}", HandoutOptions(layout=layout, flip=flip))
            pages = PdfReader(report.path).pages
            turned[(layout, flip)] = [int(p.get("/Rotate", 0)) for p in pages]
            for p in pages:  # each page is drawn upright: a positive scale, no turn
                ops = p.get_contents().get_data().split()
                for i, op in enumerate(ops):
                    if op == b"cm":
                        assert float(ops[i - 6]) > 0 and float(ops[i - 3]) > 0 and ops[i - 5] == ops[i - 4] == b"0"
    assert turned[("booklet", "long")] == [0, 180, 0, 180]
    assert turned[("booklet", "short")] == [0, 0, 0, 0]
    assert turned[("2up", "long")] == [0, 180, 0, 180]
    assert set(turned[("single", "long")]) == {0} and 180 in turned[("single", "short")]


def test_signatures_are_folded_on_their_own_and_the_default_depends_on_the_stack():
    assert signature_sizes(4, None) == [4]
    assert signature_sizes(12, None) == [12]
    assert signature_sizes(13, None) == [8, 5]
    assert signature_sizes(128, None) == [8] * 16
    assert signature_sizes(10, 3) == [3, 3, 3, 1]
    sides = booklet_order(20, 2)  # 20 pages, signatures of 2 sheets: pages 1-8, 9-16, 17-20
    assert [(s.signature, s.pages) for s in sides] == [
        (1, (8, 1)), (1, (2, 7)), (1, (6, 3)), (1, (4, 5)),
        (2, (16, 9)), (2, (10, 15)), (2, (14, 11)), (2, (12, 13)),
        (3, (20, 17)), (3, (18, 19))]


def test_creep_moves_the_inner_sheets_pages_towards_the_fold_by_the_paper_thickness():
    sizes = [(420.9, 595.3)] * 32  # 32 A5 pages: one signature of 8 sheets
    plans = plan(sizes, "booklet", "a4", "long", thickness_mm=0.1)
    fold = plans[0].width / 2

    def gap(index: int, slot: int) -> float:
        placed = plans[index].placements[slot]
        edge = placed.x + sizes[0][0] * placed.scale if slot == 0 else placed.x
        return abs(fold - edge) / POINTS_PER_MM

    outer, inner = gap(0, 0), gap(14, 0)  # sheet 1 and sheet 8, front left
    assert inner == pytest.approx(outer - 0.7, abs=0.01)  # 7 sheets outside it, 0.1 mm each
    assert gap(14, 1) == pytest.approx(inner, abs=0.01)  # both halves, the same
    thick = plan(sizes, "booklet", "a4", "long", thickness_mm=0.2)
    assert (plans[14].placements[0].x < thick[14].placements[0].x)  # thicker paper, more creep
    explicit = plan(sizes, "booklet", "a4", "long", creep_mm=2.0)
    assert explicit[14].placements[0].x - explicit[0].placements[0].x == pytest.approx(2.0 * POINTS_PER_MM)


def test_a_handout_unchanged_is_not_made_again(tmp_path):
    first = build_handout(PAMPHLET, tmp_path, HandoutOptions())
    again = build_handout(PAMPHLET, tmp_path, HandoutOptions())
    other = build_handout(PAMPHLET, tmp_path, HandoutOptions(edition="reading"))
    assert not first.unchanged and again.unchanged and not other.unchanged
    assert again.path.read_bytes() != b"" and other.path == first.path


def test_a_handout_carries_lang_bookmarks_labels_metadata_and_its_sources(tmp_path):
    from pypdf import PdfReader

    from facsimile.pdf.unpack import unpack

    report = build_handout(PAMPHLET, tmp_path, HandoutOptions(layout="single"))
    reader = PdfReader(report.path)
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert [o.title for o in reader.outline][1:] == [title for title, _ in report.contents]
    assert reader.page_labels == [str(n) for n in range(1, len(reader.pages) + 1)]
    assert reader.metadata.author.startswith("The British Group")
    folder = tmp_path / "unpacked"
    unpack(report.path, folder)
    assert (folder / "document.toml").read_bytes() == (PAMPHLET / "document.toml").read_bytes()
    assert (folder / "notes.toml").is_file()


def test_same_source_and_options_give_the_same_bytes(tmp_path):
    one = build_handout(PAMPHLET, tmp_path / "1", HandoutOptions(edition="reading"), use_cache=False)
    two = build_handout(PAMPHLET, tmp_path / "2", HandoutOptions(edition="reading"), use_cache=False)
    assert one.path.read_bytes() == two.path.read_bytes()


def test_a_signature_thicker_than_one_staple_closes_is_warned_about():
    from facsimile.handout.impose import staple_sheets, staple_warning

    assert staple_sheets(0.1) == 20 and staple_sheets(0.2) == 10
    assert staple_warning([8, 8, 3], 0.1) == ""
    assert staple_warning([20], 0.1) == ""
    assert staple_warning([25], 0.1).startswith("a signature of 25 sheets is more than one staple closes")
    assert "use --signature 10 or fewer" in staple_warning([12], 0.2)
