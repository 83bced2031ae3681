"""Proof-reading: each check on small examples, and the real seed leaflet."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from facsimile.proof.slips import Finding, load_accepted, proof_lines
from facsimile.proof.wordlist import british_variants, frequency, is_word

SEED = Path(__file__).resolve().parents[2] / "shared/seed/balham-group-document-4.txt"

SEED_ACCEPTED = """\
# names and period spellings in the Balham Group leaflet
Rakovsky
Maisky
Koltchak
Kornilov
Zinoviev
Kamenev
Neumann
Prinkipo
Petrograd
PURKIS
Hendon
bolshevik-leninists
organization
mobilisation   # British -isation
To-day
programme
"""


def found(text: str, accepted: frozenset[str] = frozenset()) -> list[tuple[int, int, str, str]]:
    return [(f.line, f.col, f.token, f.kind) for f in proof_lines(text.split("\n"), accepted)]


def reasons(text: str) -> list[str]:
    return [f.reason for f in proof_lines(text.split("\n"))]


# --- the API -------------------------------------------------------------------------------

def test_finding_is_frozen() -> None:
    finding = Finding(1, 2, "tbe", "why", "ocr")
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.line = 3  # type: ignore[misc]


def test_load_accepted_skips_comments_and_blank_lines() -> None:
    text = "# a comment\nRakovsky\n\n  Maisky  # the ex-white\nTo-day\n   \n#Zinoviev\n"
    assert load_accepted(text) == frozenset({"rakovsky", "maisky", "to-day"})


def test_clean_text_has_no_findings() -> None:
    text = ("With this letter, we also bring to your notice the October Revolution.\n"
            "It is not the first time that History has allowed herself such jokes.")
    assert found(text) == []


def test_lines_with_line_ends_are_accepted() -> None:
    assert found("tbe end\n") == [(1, 1, "tbe", "ocr")]
    assert [(f.line, f.col) for f in proof_lines(["ok\n", "tbe\r\n"])] == [(2, 1)]


# --- 1. OCR confusions and typing slips ------------------------------------------------------

@pytest.mark.parametrize(("text", "col", "token", "reason"), [
    ("For Iiterature information", 5, "Iiterature", "OCR confusion: 'I' for 'l'? (literature)"),
    ("we wi1l go", 4, "wi1l", "OCR confusion: '1' for 'l'? (will)"),
    ("it aIl went", 4, "aIl", "OCR confusion: 'I' for 'l'? (all)"),
    ("the rnodern world", 5, "rnodern", "OCR confusion: 'rn' for 'm'? (modern)"),
    ("a cloor shut", 3, "cloor", "OCR confusion: 'cl' for 'd'? (door)"),
    ("a long vvay", 8, "vvay", "OCR confusion: 'vv' for 'w'? (way)"),
    ("in 1917, tbe idea", 10, "tbe", "OCR confusion: 'b' for 'h'? (the)"),
    ("so teh idea", 4, "teh", "letters swapped: 'eh' for 'he'? (the)"),
    ("town adn country", 6, "adn", "letters swapped: 'dn' for 'nd'? (and)"),
    ("in 0ctober", 4, "0ctober", "OCR confusion: '0' for 'o'? (october)"),
    ("GO WlTHOUT DISCUSSION", 4, "WlTHOUT", "OCR confusion: 'l' for 'I'? (without)"),
])
def test_ocr_confusions_are_found_with_their_correction(text: str, col: int, token: str,
                                                        reason: str) -> None:
    (finding,) = proof_lines([text])
    assert (finding.line, finding.col, finding.token, finding.kind) == (1, col, token, "ocr")
    assert finding.reason == reason


def test_a_confused_word_at_a_sentence_start_is_corrected() -> None:
    assert reasons("Tbe idea.") == ["OCR confusion: 'b' for 'h'? (the)"]


def test_the_accepted_words_are_offered_as_corrections() -> None:
    text = "the economic alliance (smyohka) between town and country"
    plain = proof_lines([text])
    assert [(f.col, f.token, f.kind, f.reason) for f in plain] == [
        (24, "smyohka", "unknown-word", "not in the word list")]
    (finding,) = proof_lines([text], frozenset({"smychka"}))
    assert finding.reason == "OCR confusion: 'o' for 'c'? (smychka)"
    assert proof_lines(["the smychka"], frozenset({"Smychka"})) == []


def test_a_lone_small_l_is_a_capital_i() -> None:
    assert found("and l am here") == [(1, 5, "l", "ocr")]


def test_names_are_not_corrected() -> None:
    assert found("Comrade Rakovsky and Maisky met Neumann in Hendon and Battersea") == []


# --- 2. letters mixed with digits --------------------------------------------------------------

def test_letters_in_numbers_are_found() -> None:
    assert found("In l9l7, and 1O men\nor b7ok") == [
        (1, 4, "l9l7", "mixed"), (1, 14, "1O", "mixed"), (2, 4, "b7ok", "mixed")]
    assert reasons("b7ok") == ["letters mixed with digits"]
    assert reasons("in 193l") == ["letters mixed with digits: 'l' for '1'? (1931)"]
    assert reasons("In l9l7") == ["letters mixed with digits: 'l' for '1'? (1917)"]


def test_ordinals_years_districts_and_money_are_not_mixed() -> None:
    text = ("Nov. 7th, 1932, the 1st, 2nd, 3rd and 25th; the 1930s; 2s. 6d. at 10am;\n"
            "Hendon N.W.11, S.W.1, SW1, W1, EC4A, No.5, 27.12.2002, 7.XI.1917, 10 a.m., clause 6b")
    assert found(text) == []


def test_typed_fractions_are_digits() -> None:
    assert found("4½ miles at 2s. 6½d. and 3¼d. a pound") == []
    assert found("in 193l½") == [(1, 4, "193l½", "mixed")]


# --- 3. roman numerals -------------------------------------------------------------------------

def test_roman_numerals_typed_with_a_digit() -> None:
    assert found("October 25th (7.X1) 1917, chapter XV1") == [
        (1, 15, "7.X1", "roman"), (1, 35, "XV1", "roman")]
    assert reasons("(7.X1)") == ["roman numeral with a digit: 'X1' for 'XI'?"]


def test_malformed_roman_numerals() -> None:
    assert found("Part IIII and Part VX") == [(1, 6, "IIII", "roman"), (1, 20, "VX", "roman")]


def test_valid_numerals_and_words_are_not_roman_slips() -> None:
    assert found("I saw Part XI, Part IV and Part XIV; MIX, CIVIL, LID and DIM; Louis XVI") == []


# --- 4. quotation marks ------------------------------------------------------------------------

def test_an_opening_quote_where_a_closing_one_belongs() -> None:
    text = "its attitude on ‘workers and peasant organization‘. its attack"
    assert found(text) == [(1, 50, "\u2018", "quote")]
    assert reasons(text) == [
        "opening quote \u2018 after 'organization' where a closing \u2019 belongs"]
    assert found("he said \u201cno\u201c and left\nit ended \u2018here.\u2018") == [
        (1, 12, "\u201c", "quote"), (2, 16, "\u2018", "quote")]


def test_an_opening_quote_used_as_an_apostrophe() -> None:
    assert found("we don\u2018t") == [(1, 7, "\u2018", "quote")]


def test_a_closing_quote_where_an_opening_one_belongs() -> None:
    assert found("termed \u2019counter-revolutionaries\u2019. Then \u201dno\u201d") == [
        (1, 8, "\u2019", "quote"), (1, 40, "\u201d", "quote")]


def test_well_placed_quotes_apostrophes_and_elisions_pass() -> None:
    text = ("against \u2018worker and peasant\u2019 adventures, the workers\u2019 state,\n"
            "Stalin\u2019s trio, \u201cquoted\u201d, (\u2018bracketed\u2019), \u201932 congress\n"
            "\u2019tis said")
    assert found(text) == []


# --- 5. doubled words --------------------------------------------------------------------------

def test_doubled_words_on_a_line_and_across_lines() -> None:
    assert found("the the end") == [(1, 5, "the", "doubled")]
    assert found("at the end of the\nThe line") == [(2, 1, "The", "doubled")]
    assert reasons("of of") == ["doubled word: 'of of'"]


def test_not_doubled_across_punctuation_or_paragraphs() -> None:
    assert found("it was that. That was\n\nwas it; it had had its day\nday") == [
        (4, 1, "day", "doubled")]


# --- 6. unknown words --------------------------------------------------------------------------

def test_lowercase_unknown_words_are_reported() -> None:
    assert found("a zqxwv and a blorft") == [(1, 3, "zqxwv", "unknown-word"),
                                              (1, 15, "blorft", "unknown-word")]


def test_capitalised_words_mid_sentence_are_names() -> None:
    assert found("we met Zqxwv and ZQXWV there") == []


def test_capitalised_unknown_word_at_a_sentence_start() -> None:
    assert found("It ended. Zqxwv began.") == [(1, 11, "Zqxwv", "unknown-word")]
    # ... unless the same word stands capitalised mid-sentence elsewhere: then a name
    assert found("It ended. Zqxwv began.\nWe saw Zqxwv.") == []


def test_accepted_words_are_case_insensitive() -> None:
    assert found("a zqxwv", frozenset({"ZQXWV"})) == []
    assert found("a zqxwv", load_accepted("Zqxwv\n")) == []


def test_hyphenated_words_are_checked_part_by_part() -> None:
    assert found("the bolshevik-zqxwvs and re-admit, non-fulfilment, up-building") == [
        (1, 15, "zqxwvs", "unknown-word")]
    assert found("the bolshevik-zqxwvs", frozenset({"bolshevik-zqxwvs"})) == []


def test_british_spellings_are_words() -> None:
    text = ("the colour of labour, the centre of the programme, organised defence, "
            "mobilisation, travelled, analyse, catalogue, fulfilment")
    assert found(text) == []
    assert "organization" in british_variants("organisation")


def test_word_list_comes_from_the_package() -> None:
    assert is_word("literature") and is_word("Literature") and not is_word("iiterature")
    assert frequency("the") > frequency("literature") > 0
    assert is_word("literature\u2019s") and is_word("organisation") and not is_word("smyohka")


# --- the seed leaflet ---------------------------------------------------------------------------

@pytest.mark.skipif(not SEED.exists(), reason="the shared seed text is absent")
def test_seed_leaflet_slips_are_found_with_few_false_alarms() -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    findings = proof_lines(lines, load_accepted(SEED_ACCEPTED))
    for f in findings:
        print(f"{f.line}:{f.col}: {f.kind}: {f.token!r}: {f.reason}")
    tokens = {(f.token, f.kind) for f in findings}
    assert {("tbe", "ocr"), ("smyohka", "unknown-word"), ("Iiterature", "ocr"),
            ("7.X1", "roman"), ("\u2018", "quote")} <= tokens
    quote = next(f for f in findings if f.kind == "quote")
    assert lines[quote.line - 1][quote.col - 13:quote.col + 1] == "organization\u2018."
    for f in findings:
        assert lines[f.line - 1][f.col - 1:].startswith(f.token)
    reported = {f.token.lower() for f in findings}
    for name in load_accepted(SEED_ACCEPTED):
        assert name not in reported
    assert findings == sorted(findings, key=lambda f: (f.line, f.col))
    assert len(findings) <= 6


def test_a_big_text_full_of_slips_prints_a_bounded_number_of_lines(tmp_path: Path) -> None:
    """A file with thousands of slips shows the first thousand and one line counting the rest,
    in text and in JSON; the findings shown are the first ones, in order."""
    import json

    from click.testing import CliRunner

    from facsimile.cli import main
    from facsimile.proof.report import SHOWN

    text = tmp_path / "unproofed.txt"
    text.write_text("the tbe cat.\n" * 3_000, encoding="utf-8")
    result = CliRunner().invoke(main, ["proof", str(text)])
    lines = result.output.splitlines()
    assert result.exit_code == 1 and len(lines) == SHOWN + 1
    assert lines[0].endswith("unproofed.txt:1:5: tbe: OCR confusion: 'b' for 'h'? (the)")
    assert lines[SHOWN - 1].split(":")[1:3] == [str(SHOWN), "5"]
    assert lines[-1].endswith(f"\u2026 and {3_000 - SHOWN:,} more likely slips (only the first "
                              f"{SHOWN:,} of a file are shown)")
    records = json.loads(CliRunner().invoke(main, ["proof", "--format", "json", str(text)]).output)
    assert len(records) == SHOWN + 1 and records[-1] == {"file": str(text), "more": 3_000 - SHOWN}


def test_a_text_over_the_proof_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from facsimile.cli import main
    from facsimile.inputs import PROOF_LIMIT

    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(PROOF_LIMIT + 1)
    result = CliRunner().invoke(main, ["proof", str(big)])
    assert result.exit_code == 2
    assert "this file is" in result.output and "over the limit of 4 MiB" in result.output
