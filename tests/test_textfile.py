"""Decoding source files: UTF-8 errors at their byte, BOM, CRLF, NFC, tabs, control characters."""

from __future__ import annotations

from facsimile.source.textfile import decode, describe


def test_invalid_utf8_is_reported_at_the_line_and_column_of_the_bad_byte():
    lines, problems = decode("first\nsecond caf".encode() + b"\xe9 here\n", "p.txt")
    assert [str(p.pos) for p in problems] == ["p.txt:2:11"]
    assert "0xE9" in problems[0].message and "UTF-8" in problems[0].message


def test_bom_and_crlf_are_accepted():
    lines, problems = decode(b"\xef\xbb\xbfone\r\ntwo\r\n", "p.txt")
    assert problems == [] and lines == ["one", "two", ""]


def test_combining_accents_are_composed():
    lines, _ = decode("Cafe\u0301".encode(), "p.txt")
    assert lines == ["Caf\u00e9"]


def test_tabs_are_kept_for_the_typists_rack():
    lines, problems = decode(b"a\tb", "p.txt")
    assert lines == ["a\tb"] and problems == []


def test_control_characters_are_errors():
    _, problems = decode(b"ring\x07bell", "p.txt")
    assert [str(p.pos) for p in problems] == ["p.txt:1:5"]
    assert "U+0007 BELL" in problems[0].message


def test_characters_are_named_by_code_point_and_name():
    assert describe("\u4e2d") == "U+4E2D CJK UNIFIED IDEOGRAPH-4E2D"
