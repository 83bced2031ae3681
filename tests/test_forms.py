"""The typist's forms of issue 12: spaced letters, tab stops and tables, lists, quotes, space."""

from __future__ import annotations

from pathlib import Path

import pytest

from facsimile.build import build_document
from facsimile.errors import SourceError
from facsimile.layout.grid import to_text
from tests.helpers import have, pdfium_words, pdftotext_words, pypdf_words, typeset_document


def extracted(pdf: Path) -> dict[str, list[str]]:
    found = {"pypdf": pypdf_words(pdf), "pdfium": pdfium_words(pdf)}
    if have("pdftotext"):
        found["pdftotext"] = pdftotext_words(pdf)
    return found


def lines_of(folder: Path, **overrides: str) -> list[str]:
    _, parts = typeset_document(folder, **overrides)
    return [line.rstrip() for part in parts for page in part.pages for line in to_text(page).split("\n")]


# --- spaced letters ------------------------------------------------------------------------------

SPACED = """\
@spaced
WORKERS OF THE WORLD

Come on ~Sunday next~ to hear the case for ~SOCIALISM~ put plainly, and bring *your* friends.
"""


def test_spaced_letters_are_typed_a_cell_apart_and_three_between_words(make_document):
    lines = [line.strip() for line in lines_of(make_document({"a.txt": SPACED})) if line.strip()]
    assert lines[0] == "W O R K E R S   O F   T H E   W O R L D"
    assert "on   S u n d a y   n e x t   to hear" in " ".join(lines[1:])
    folder = make_document({"b.txt": "The case for ~SOCIALISM~, and ~it~.\n"}, name="b")
    assert lines_of(folder)[0].strip() == "The case for   S O C I A L I S M, and   i t."


@pytest.mark.parametrize("look", ["clean", "cyclostyle"])
@pytest.mark.parametrize("emphasis", ["underscore", "spaced"])
def test_spaced_letters_read_back_as_words_in_every_extractor(make_document, tmp_path, look, emphasis):
    folder = make_document({"a.txt": SPACED}, extra=f'look = "{look}"\nemphasis = "{emphasis}"\n'
                                                    'letterhead = "spaced"')
    pdf = build_document(folder, tmp_path / "out").path
    want = "WORKERS OF THE WORLD Come on Sunday next to hear the case for SOCIALISM put plainly, " \
           "and bring your friends.".split()
    for name, words in extracted(pdf).items():
        assert words == want, name


def test_an_unclosed_tilde_is_an_error_at_its_place(make_document):
    folder = make_document({"a.txt": "One ~two three.\n"})
    with pytest.raises(SourceError) as caught:
        typeset_document(folder)
    (problem,) = caught.value.diagnostics
    assert (problem.pos.line, problem.pos.col) == (1, 5) and "~~" in problem.message


# --- tab stops and tables ------------------------------------------------------------------------

ACCOUNTS = (
    "The accounts were read.\n\n"
    "@table 36 right, 42 right, 48 decimal\n"
    "RECEIPTS\t£\ts.\td.\n"
    "===\n"
    "Balance from last quarter\t3\t4\t6½\n"
    "Members' subscriptions\t12\t17\t0\n"
    "Collection at public meeting\t\t14\t9\n"
    "\t---\t---\t---\n"
    "Total\t16\t6\t3½\n\n"
    "@tabs 10\n\n"
    "@verbatim\nDay:\tSunday\nChairman:\tA Member\n\n"
    "@table 40 right leader\nThe crisis\t3\nThe tasks of the branch\t17\n\n"
    "The accounts were adopted.\n"
)
ACCOUNT_WORDS = ("The accounts were read. RECEIPTS £ s. d. Balance from last quarter 3 4 6½ Members' "
                 "subscriptions 12 17 0 Collection at public meeting 14 9 Total 16 6 3½ Day: Sunday "
                 "Chairman: A Member The crisis 3 The tasks of the branch 17 The accounts were "
                 "adopted.").split()


def test_a_table_is_typed_at_its_stops_with_rules_and_money_aligned(make_document):
    lines = [line for line in lines_of(make_document({"a.txt": ACCOUNTS})) if line.strip()]
    left = "          "  # the left margin, in cells
    assert lines[1:9] == [
        left + "RECEIPTS                            £    s.    d.",
        left + "=" * 49,
        left + "Balance from last quarter           3     4    6½",
        left + "Members' subscriptions             12    17    0",
        left + "Collection at public meeting             14    9",
        left + "                                   --    --    --",
        left + "Total                              16     6    3½",
        left + "Day:      Sunday",
    ]
    assert lines[9] == left + "Chairman: A Member"
    assert lines[10] == left + "The crisis " + "." * 28 + " 3"
    assert lines[11] == left + "The tasks of the branch " + "." * 14 + " 17"


@pytest.mark.parametrize("look", ["clean", "cyclostyle", "typescript"])
def test_a_table_reads_back_row_by_row_in_every_extractor(make_document, tmp_path, look):
    folder = make_document({"a.txt": ACCOUNTS}, extra=f'look = "{look}"')
    pdf = build_document(folder, tmp_path / "out").path
    for name, words in extracted(pdf).items():
        assert words == ACCOUNT_WORDS, name


def test_the_manifest_sets_a_rack_for_every_part(make_document):
    folder = make_document({"a.txt": "@verbatim\nDay:\tSunday\nChairman:\tA Member\n"}, extra='tabs = "12"')
    assert [line.strip() for line in lines_of(folder) if line.strip()] == ["Day:        Sunday",
                                                                           "Chairman:   A Member"]


def test_a_row_past_the_margin_and_a_bad_rack_are_errors_at_their_places(make_document):
    folder = make_document({"a.txt": f"@tabs 12, 9\n\n@table 50 right\nA long first cell of this row\t{'9' * 40}\n"
                                     "ok\t1\n\n@tabs 99\n\n@table 5 sideways\nx\ty\n"})
    with pytest.raises(SourceError) as caught:
        typeset_document(folder)
    found = sorted((d.pos.line, d.message.split(":")[0]) for d in caught.value.diagnostics)
    assert found == [(1, "tab stops must be given left to right, each once"),
                     (4, "this row is 70 cells, longer than the line (62)"),
                     (7, "the tab stop at 99 is past the right margin"),
                     (9, "unknown word 'sideways' in the tab stop '5 sideways'")]


def test_a_bad_rack_in_the_manifest_is_an_error_at_its_key(make_document):
    folder = make_document({"a.txt": "Text.\n"}, extra='tabs = "twelve"')
    with pytest.raises(SourceError) as caught:
        typeset_document(folder)
    (problem,) = caught.value.diagnostics
    assert problem.pos.file.endswith("document.toml") and problem.pos.line == 4
    assert "must start with its cell from the left margin" in problem.message


# --- vertical space --------------------------------------------------------------------------------

def test_space_adds_blank_lines_and_wants_a_number(make_document):
    lines = lines_of(make_document({"a.txt": "One.\n\n@space 4\n\nTwo.\n"}))
    assert [n for n, line in enumerate(lines) if line.strip()] == [0, 6]  # the paragraph gap and 4
    folder = make_document({"b.txt": "One.\n\n@space many\n"}, name="b")
    with pytest.raises(SourceError) as caught:
        typeset_document(folder)
    assert "@space needs a number of blank lines from 1 to 60, or 'lower', not 'many'" in str(caught.value)


@pytest.mark.parametrize("line, wanted", [("@space\n", "'@space 3', or 'lower'"), ("@space   \n", "'@space 3'"),
                                           ("@space\n3", "'@space 3'"),  # the setting under it
                                           ("@tabs\n", "'@tabs 12, 40 right, 52 decimal'")])
def test_a_bare_space_or_tabs_is_one_error_saying_what_to_write(make_document, line, wanted):
    folder = make_document({"a.txt": f"One.\n\n{line}\n\nTwo.\n"})
    with pytest.raises(SourceError) as caught:
        typeset_document(folder)
    (problem,) = caught.value.diagnostics  # not a second one from the typist for the same line
    assert (problem.pos.line, problem.pos.col) == (3, 1)
    assert problem.message.startswith(f"{line.split()[0]} needs its ") and wanted in problem.message


# --- lists, quotations, keeping headings with their text, a close set lower --------------------

MINUTES = """\
The following agenda was adopted:

@list
1. Minutes of the last meeting, which were read and signed as a correct record of the business.
2. Correspondence:
   (a) from the District Committee, on the conference;
   (b) from the Hendon branch.
iii. Any other business.

The secretary read the resolution:

@quote
Resolved, that the branches hold open meetings every week during the campaign, and report.

@quote
"And that literature be sold."
"""


def test_list_items_hang_under_their_text_and_are_numbered_paragraphs(make_document):
    from facsimile.source.document import load_document
    from facsimile.source.notes import paragraphs

    folder = make_document({"a.txt": MINUTES})
    lines = [line for line in lines_of(folder) if line.strip()]
    assert lines[1:8] == [
        "          1.   Minutes of the last meeting, which were read and signed",
        "               as a correct record of the business.",
        "          2.   Correspondence:",
        "               (a)  from the District Committee, on the conference;",
        "               (b)  from the Hendon branch.",
        "          iii. Any other business.",
        "               The secretary read the resolution:",
    ]
    assert lines[8:11] == [
        "               \"Resolved, that the branches hold open meetings",
        "               every week during the campaign, and report.",
        "               \"And that literature be sold.\"",
    ]
    numbered = [(p.number, p.text.split()[0]) for p in paragraphs(load_document(folder))]
    assert numbered == [(1, "The"), (2, "Minutes"), (3, "Correspondence:"), (4, "from"), (5, "from"),
                        (6, "Any"), (7, "The"), (8, "Resolved,"), (9, '"And')]
    _, parts = typeset_document(folder)
    firsts = [placed.line.paragraph for page in parts[0].pages for placed in page.lines if placed.line.paragraph]
    assert firsts == list(range(1, 10))


def test_a_list_must_open_with_a_label(make_document):
    folder = make_document({"a.txt": "@list\nno label here\n1. then one\n"})
    with pytest.raises(SourceError) as caught:
        typeset_document(folder)
    assert "a @list's first line must start with its label" in str(caught.value)


def test_an_item_nested_deeper_than_one_level_is_an_error_at_its_label(make_document):
    # it was typed one level in, as if its indent were its nested neighbours'
    deeper = ("@list\n1. Correspondence:\n   (a) from the District,\n      i. on the conference;\n"
              "      ii. on the march;\n   (b) from the Hendon branch.\n2. Accounts:\n\t(a) the quarter's;\n"
              "\t\ti. receipts.\n")
    folder = make_document({"a.txt": deeper})
    with pytest.raises(SourceError) as caught:
        typeset_document(folder)
    assert [(d.pos.line, d.pos.col, d.message) for d in caught.value.diagnostics] == [
        (line, col, "a @list nests one level, and this item is indented further than the nested item on "
                    f"line {above}: indent it as far as that one, or write it into the text of the item above")
        for line, col, above in [(4, 7, 3), (5, 7, 3), (9, 3, 8)]]
    loose = deeper.replace("      i.", "   i.").replace("      ii.", "  ii.").replace("\t\ti.", "\ti.")
    typeset_document(make_document({"b.txt": loose}, name="b"))  # one level, however far each is in


def test_an_item_with_no_text_after_its_label_is_an_error_at_the_label(make_document):
    folder = make_document({"a.txt": "@list\n1.\n2.\n\n@list\n1. The first.\n   (a)\n3. The third\ncontinued.\n"})
    with pytest.raises(SourceError) as caught:
        typeset_document(folder)
    assert [(d.pos.line, d.pos.col, d.message) for d in caught.value.diagnostics] == [
        (line, col, f"the item '{label}' has no text: write its text after the label on the same line, "
                    "or join this line to the line above if it continues it")
        for line, col, label in [(2, 1, "1."), (3, 1, "2."), (7, 4, "(a)")]]


@pytest.mark.parametrize("paper", ["foolscap", "quarto", "a4"])
@pytest.mark.parametrize("pitch", ["pica", "elite"])
def test_no_heading_section_number_or_lead_in_is_left_at_a_page_foot(make_document, paper, pitch):
    body = "Words of the section, enough of them to fill a few lines of the page each time. " * 3
    sections = "".join(f"@centre\n{n}.\n\n@heading SECTION {n}\n\n{body}\n\nThe points are these:\n\n"
                       f"@list\n(a) the first point;\n(b) the second point.\n\n" for n in range(1, 16))
    folder = make_document({"a.txt": sections}, extra=f'paper = "{paper}"\npitch = "{pitch}"')
    _, parts = typeset_document(folder)
    pages = parts[0].pages
    assert len(pages) > 2
    for page in pages[:-1]:
        body_lines = [p.line for p in page.lines if p.line.role not in ("folio", "continuation")]
        last = body_lines[-1]
        assert last.kind not in ("centre", "heading"), (paper, pitch, page.number, last.text)
        assert not last.text.rstrip().endswith(":"), (paper, pitch, page.number, last.text)


def test_space_lower_sets_the_close_lower_on_a_short_last_page(make_document):
    letter = "Dear Comrades,\n\nA short letter.\n\n{space}@close\nYours fraternally,\n\n@signature\nA. Secretary\n"
    plain = lines_of(make_document({"a.txt": letter.format(space="")}))
    lowered = lines_of(make_document({"a.txt": letter.format(space="@space lower\n\n")}, name="b"))
    row = lambda lines: next(n for n, line in enumerate(lines) if "Yours fraternally" in line)  # noqa: E731
    assert row(lowered) - row(plain) > 20
    assert lowered[row(lowered) + 2].strip() == "A. Secretary"


def test_nested_items_follow_the_item_above_closely_as_typists_set_sub_items(make_document):
    lines = lines_of(make_document({"a.txt": MINUTES}))
    at = next(n for n, line in enumerate(lines) if "2.   Correspondence:" in line)
    assert [line.strip()[:3] for line in lines[at:at + 5]] == ["2. ", "(a)", "(b)", "", "iii"]
    assert lines[at - 1].strip() == ""  # the usual gap between items of the first level


def test_space_lower_acts_on_whatever_page_the_close_falls(make_document):
    letter = ("Dear Comrades,\n\nA short letter.\n\n@space lower\n\n@close\nYours fraternally,\n\n"
              "@signature\nA. Secretary\n\n@space 60\n\n@heading ENCLOSURE\n\nThe enclosed list.\n")
    folder = make_document({"a.txt": letter})
    _, parts = typeset_document(folder)
    first, second = parts[0].pages
    rows = {placed.line.text.strip(): placed.row for placed in first.lines}
    plain = make_document({"a.txt": letter.replace("@space lower\n\n", "")}, name="b")
    plain_rows = {placed.line.text.strip(): placed.row for placed in typeset_document(plain)[1][0].pages[0].lines}
    assert rows["Yours fraternally,"] - plain_rows["Yours fraternally,"] > 20
    assert rows["A. Secretary"] - rows["Yours fraternally,"] == plain_rows["A. Secretary"] - plain_rows["Yours fraternally,"]
    assert "ENCLOSURE" in to_text(second)


def test_space_lower_leaves_room_for_the_imprint_on_the_same_page(make_document):
    letter = ("Dear Comrades,\n\nA short letter.\n\n@space lower\n\n@close\nYours fraternally,\n\n"
              "@signature\nA. Secretary\n\n@imprint\nPublished by the Group, 12 High Street.\n")
    _, parts = typeset_document(make_document({"a.txt": letter}))
    assert len(parts[0].pages) == 1
    rows = {placed.line.text.strip(): placed.row for placed in parts[0].pages[0].lines}
    plain = make_document({"a.txt": letter.replace("@space lower\n\n", "")}, name="b")
    plain_rows = {placed.line.text.strip(): placed.row for placed in typeset_document(plain)[1][0].pages[0].lines}
    assert rows["Yours fraternally,"] - plain_rows["Yours fraternally,"] > 20
    assert rows["Published by the Group, 12 High Street."] > rows["A. Secretary"]


def test_nested_items_keep_the_gap_when_the_lines_are_spaced_wider(make_document):
    lines = lines_of(make_document({"a.txt": MINUTES}, extra='spacing = "double"'))
    rows = [n for n, line in enumerate(lines) if line.strip()[:3] in ("2. ", "(a)", "(b)")]
    assert [b - a for a, b in zip(rows, rows[1:])] == [4, 4]  # a blank double-spaced line between


def test_a_word_too_wide_for_an_item_or_a_quote_is_an_error_not_typed_over_the_label(make_document):
    # 58 and 59 cells fit the line (62) but not the hung item's or the quotation's 52: typed from
    # the margin they ran over the label "(a)" or dropped the quotation's indent
    word = "x" * 58
    folder = make_document({"a.txt": f"@list\n1. First.\n   (a) {word}\n\n@quote\n{word}\n"})
    with pytest.raises(SourceError) as caught:
        typeset_document(folder)
    found = sorted((d.pos.line, d.pos.col, d.message.split(":")[0]) for d in caught.value.diagnostics)
    assert found == [(3, 8, "a word of 58 characters is longer than the line (52 cells)"),
                     (6, 1, "a word of 59 characters is longer than the line (52 cells)")]
