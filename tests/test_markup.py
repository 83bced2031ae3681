"""The part-file markup: each construct, each error, with its place."""

from __future__ import annotations

from facsimile.source.markup import parse_part


def parse(text: str):
    return parse_part(text.split("\n"), "part.txt")


def test_paragraphs_are_separated_by_blank_lines_and_joined():
    blocks, problems = parse("One line\nand its continuation.\n\nA second paragraph.")
    assert problems == []
    assert [b.kind for b in blocks] == ["paragraph", "paragraph"]
    assert [r.text for line in blocks[0].lines for r in line] == ["One line", "and its continuation."]


def test_each_directive_opens_a_block_of_its_kind():
    text = "\n\n".join(f"@{kind}\nText" for kind in (
        "letterhead", "heading", "date", "to", "salutation", "centre", "right", "verbatim",
        "close", "signature", "imprint"))
    blocks, problems = parse(text)
    assert problems == []
    assert [b.kind for b in blocks] == ["letterhead", "heading", "date", "to", "salutation", "centre",
                                        "right", "verbatim", "close", "signature", "imprint"]


def test_a_directive_may_carry_its_text_on_the_same_line():
    blocks, _ = parse("@date   Nov. 7th, 1932.")
    (run,) = blocks[0].lines[0]
    assert run.text == "Nov. 7th, 1932."
    assert (run.pos.line, run.pos.col) == (1, 9)


def test_aliases_center_and_place():
    blocks, problems = parse("@center A\n\n@place B")
    assert problems == [] and [b.kind for b in blocks] == ["centre", "date"]


def test_emphasis_splits_runs_and_positions_point_at_the_source():
    blocks, problems = parse("go out, *WITHOUT DISCUSSION*. Two")
    assert problems == []
    runs = blocks[0].lines[0]
    assert [(r.text, r.emphasis, r.pos.col) for r in runs] == [
        ("go out, ", False, 1), ("WITHOUT DISCUSSION", True, 10), (". Two", False, 29)]


def test_emphasis_may_run_over_a_line_break():
    blocks, problems = parse("*TWO\nLINES*")
    assert problems == []
    assert [r.emphasis for line in blocks[0].lines for r in line] == [True, True]


def test_doubled_marks_type_literal_characters():
    blocks, problems = parse("@@home 2 ** 3")
    assert problems == []
    assert blocks[0].kind == "paragraph"
    assert "".join(r.text for r in blocks[0].lines[0]) == "@home 2 * 3"
    assert not any(r.emphasis for r in blocks[0].lines[0])


def test_verbatim_keeps_spaces_as_typed():
    blocks, _ = parse("@verbatim\n  a    b\nc")
    assert [r.text for line in blocks[0].lines for r in line] == ["  a    b", "c"]


def test_markup_looking_text_is_text():
    blocks, problems = parse('<img src="/etc/passwd"> &amp; %PDF \\ (x) <a href="javascript:x">')
    assert problems == []
    assert blocks[0].lines[0][0].text == '<img src="/etc/passwd"> &amp; %PDF \\ (x) <a href="javascript:x">'


def test_unknown_directive_is_reported_with_its_place_and_the_known_ones():
    _, problems = parse("text\n\n@signatory Chairman")
    assert len(problems) == 1
    assert str(problems[0]).startswith("part.txt:3:1: error: unknown directive '@signatory'")
    assert "@signature" in problems[0].message and "@@" in problems[0].message


def test_unclosed_emphasis_points_at_the_opening_mark():
    _, problems = parse("A line\nwith *an open mark\n\nnext")
    assert [(p.pos.line, p.pos.col) for p in problems] == [(2, 6)]
    assert "not closed" in problems[0].message


def test_empty_directive_block_is_an_error():
    _, problems = parse("@close\n\nText")
    assert [(p.pos.line, "no text" in p.message) for p in problems] == [(1, True)]


def test_every_problem_is_reported_at_once():
    _, problems = parse("@bogus x\n\n*open\n\n@close\n")
    assert [p.pos.line for p in problems] == [1, 3, 5]


def test_words_in_another_language_carry_their_tag_and_keep_their_places():
    blocks, problems = parse("by Trotsky ({ru:Троцкий}), and {de:die\nWelt} {{braces}}")
    assert problems == []
    runs = [r for line in blocks[0].lines for r in line]
    assert [(r.text, r.lang) for r in runs] == [
        ("by Trotsky (", ""), ("Троцкий", "ru"), ("), and ", ""), ("die", "de"), ("Welt", "de"), (" ", ""),
        ("{", ""), ("braces", ""), ("}", "")]
    assert runs[1].pos.col == 17  # the first letter after the colon
    assert "".join(r.text for r in runs[:3]) == "by Trotsky (Троцкий), and "


def test_bad_language_spans_are_errors_at_their_place():
    _, problems = parse("a {x words and } here\n\n{ru:open {de:nested}\n\n{fr:never closed")
    found = [(p.pos.line, p.pos.col, p.message.split(":")[0]) for p in problems]
    assert (1, 3, "{ opens words in another language, as in {ru") in found
    assert any(line == 1 and col == 16 and "none is open" in message for line, col, message in
               [(p.pos.line, p.pos.col, p.message) for p in problems])
    assert any(p.pos.line == 3 and p.pos.col == 10 and "already open" in p.message for p in problems)
    assert any(p.pos.line == 5 and p.pos.col == 1 and "not closed" in p.message for p in problems)


def test_an_empty_language_span_is_an_error_at_its_brace():
    text = "a {ru:} b {de: } c {fr:\n} d {ru:**} {de:{{} {ru:\nWelt}"
    blocks, problems = parse(text)
    assert [(p.pos.line, p.pos.col, p.message) for p in problems] == [
        (1, 3, "the {ru:...} span is empty: put the words in another language inside it, or remove it"),
        (1, 11, "the {de:...} span is empty: put the words in another language inside it, or remove it"),
        (1, 20, "the {fr:...} span is empty: put the words in another language inside it, or remove it")]
    assert [(r.text, r.lang) for line in blocks[0].lines for r in line
            if r.lang and r.text.strip()] == [
        ("*", "ru"), ("{", "de"), ("Welt", "ru")]  # a literal mark or brace is words enough


def test_a_language_tag_longer_than_any_reader_keeps_is_an_error_at_its_brace():
    """A tag runs into /Lang and the XMP: one of 35 characters is kept, a pasted run of subtags is refused."""
    longest = "en-" + "-".join(["abcdefgh"] * 3) + "-abcde"
    assert len(longest) == 35
    text = f"{{{longest}:words}} and {{en{'-abcdefgh' * 500}:words}}"
    blocks, problems = parse(text)
    assert [(p.pos.line, p.pos.col) for p in problems if "opens words in another language" in p.message] == [
        (1, text.index("{en", 1) + 1)]
    assert [r.lang for line in blocks[0].lines for r in line][0] == longest
