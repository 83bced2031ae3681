"""Lists, tables and quotations in the structure tree as a screen reader walks them: L/LI with
Lbl and LBody (an indented item in an L inside the item before it), Table/TR/TH/TD cell by cell, BlockQuote;
checked on the minutes in the corpus, against its source. (Every word of the corpus comes back
in order from the three extractors: test_corpus.py.)"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from facsimile.build import build_document
from tests.conftest import ROOT
from tests.helpers import have

MINUTES = ROOT / "tests" / "corpus" / "branch-minutes"


@pytest.fixture(scope="module")
def minutes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(MINUTES, tmp_path_factory.mktemp("minutes"), use_cache=False).path


def _tree(pdf: Path) -> object:
    """The structure tree as nested (type, [children or text]) read with pypdf and our reader."""
    from pypdf import PdfReader

    from tests.structure import _content_text

    reader = PdfReader(pdf)
    page = reader.pages[0]
    texts = _content_text(page)

    def walk(node: object) -> tuple[str, list[object]]:
        node = node.get_object()  # type: ignore[attr-defined]
        kids = node.get("/K", [])
        kids = kids if isinstance(kids, list) else [kids]
        out: list[object] = []
        for kid in kids:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, int):
                out.append(texts.get(kid, ""))
            elif kid.get("/Type") == "/MCR":
                out.append(texts.get(int(kid["/MCID"]), ""))
            else:
                out.append(walk(kid))
        return str(node["/S"])[1:], out

    return walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"][0])


def _find(node: tuple[str, list[object]], kind: str) -> list[tuple[str, list[object]]]:
    found = [node] if node[0] == kind else []
    for kid in node[1]:
        if isinstance(kid, tuple):
            found.extend(_find(kid, kind))
    return found


def _text(node: object) -> str:
    if isinstance(node, str):
        return node
    return " ".join(_text(kid) for kid in node[1])  # type: ignore[index]


def test_a_list_is_an_l_of_items_with_the_indented_ones_nested(minutes):
    source = (MINUTES / "minutes.txt").read_text("utf-8")
    items = re.findall(r"^( *)(\d+\.|\([a-z]\)) (.*)$", source, re.M)
    (outer,) = [l for l in _find(_tree(minutes), "L") if l not in sum((_find(k, "L") for t in _find(_tree(minutes), "LI")
                                                                            for k in t[1] if isinstance(k, tuple)), [])]
    top = [item for item in outer[1]]
    assert [kind for kind, _ in top] == ["LI"] * sum(1 for indent, _, _ in items if not indent)
    assert all([kid[0] for kid in item[1][:2]] == ["Lbl", "LBody"] for item in top)
    nested = [kid for item in top for kid in item[1] if kid[0] == "L"]
    assert len(nested) == 1 and len(nested[0][1]) == sum(1 for indent, _, _ in items if indent)
    for item, (_, label, text) in zip(top + nested[0][1], [i for i in items if not i[0]] + [i for i in items if i[0]]):
        assert _text(item[1][0]).strip() == label  # Lbl: the label as the source writes it
        assert _text(item[1][1]).split()[:3] == text.split()[:3]  # LBody: the item's words


def test_a_table_is_rows_of_cells_with_its_head_as_th(minutes):
    source = (MINUTES / "minutes.txt").read_text("utf-8").split("@table", 1)[1].split("\n\n")[0].splitlines()[1:]
    rows = [line.split("\t") for line in source if line.strip("=- \t")]
    (table,) = _find(_tree(minutes), "Table")
    read = [[(cell[0], _text(cell).strip()) for cell in row[1]] for row in table[1]]
    assert [r[0][1] for r in read] == [r[0] for r in rows]
    assert {kind for kind, _ in read[0]} == {"TH"} and all(kind == "TD" for r in read[1:] for kind, _ in r)
    assert all(len(r) == len(read[0]) for r in read)  # an empty cell stays a cell
    for row, cells in zip(rows, read):
        assert [c for c in row if c.strip("- ")] == [t for _, t in cells if t]


def test_quoted_paragraphs_are_block_quotes(minutes):
    quotes = _find(_tree(minutes), "BlockQuote")
    assert len(quotes) == 2 and _text(quotes[0]).startswith('"That this branch calls upon')


@pytest.mark.skipif(not have("pdfinfo"), reason="poppler-utils is not installed")
def test_poppler_shows_the_list_and_table_structure(minutes):
    out = subprocess.run(["pdfinfo", "-struct-text", str(minutes)], capture_output=True, text=True,
                         check=True).stdout
    kinds = re.findall(r"^ *(\w+)", out, re.M)
    for kind in ("L", "LI", "LBody", "Table", "TR", "TH", "TD", "BlockQuote"):
        assert kind in kinds, kind


LETTER = ROOT / "tests" / "corpus" / "letter-with-postscript"


def test_a_handout_keeps_the_language_spans(tmp_path):
    from facsimile.handout.build import HandoutOptions, build_handout
    from tests.pdfa import problems

    for edition in ("facsimile", "reading"):
        report = build_handout(LETTER, tmp_path / edition, HandoutOptions(edition=edition), use_cache=False)
        assert problems(report.path) == []
        if have("pdfinfo"):
            out = subprocess.run(["pdfinfo", "-struct-text", str(report.path)], capture_output=True, text=True,
                                 check=True).stdout
            assert re.search(r'Span.*\n *"Троцкий"', out), edition


LANGUAGES = {  # a document, its source edited (file, old, new), the /Lang of each tagged element,
    # one such element's kind and words, and how pdftotext reads them among their neighbours
    "span": (LETTER, (), [("/Span", "ru")], ("Span", "Троцкий"), "Trotsky (Троцкий), at"),
    "cell-and-item": (MINUTES, (("minutes.txt", "Sale of literature\t", "{de:Verkauf der Literatur}\t"),
                                ("minutes.txt", "2. Correspondence:", "2. {fr:Correspondance:}")),
                      [("/LBody", "fr"), ("/TD", "de")], ("TD", "Verkauf der Literatur"),
                      "Verkauf der Literatur 1 2 3"),
}


@pytest.mark.parametrize("case", LANGUAGES)
def test_words_marked_in_another_language_carry_their_lang(tmp_path, case):
    """The letter's {ru:Троцкий}: its own Span with /Lang ru, between the English words of its
    paragraph; words in another language in a table cell or on a list item's first line: the TD
    and the LBody carry its /Lang (those lines are cut into cells, each a sequence of its own).
    Each on the marked content too; the catalog stays en-GB."""
    import shutil

    from pypdf import PdfReader

    source, edits, langs, (kind, words), read = LANGUAGES[case]
    folder = tmp_path / source.name
    shutil.copytree(source, folder)
    for name, old, new in edits:
        text = (folder / name).read_text("utf-8")
        assert old in text
        (folder / name).write_text(text.replace(old, new), "utf-8")
    pdf = build_document(folder, tmp_path / "out", use_cache=False).path
    reader = PdfReader(pdf)
    found: list[tuple[str, str]] = []

    def walk(node: object) -> None:
        node = node.get_object()  # type: ignore[attr-defined]
        if "/Lang" in node:
            found.append((str(node["/S"]), str(node["/Lang"])))
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and "/S" in kid:
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert sorted(found) == langs and reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert words in [_text(element).strip() for element in _find(_tree(pdf), kind)]
    contents = reader.pages[0].get_contents().get_data()
    assert all(f"/Lang ({lang})".encode() in contents for _, lang in langs)
    if have("pdftotext"):
        out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert read in " ".join(out.split())
