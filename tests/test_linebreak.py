"""The typist's greedy line breaker, with the expected lines written out."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facsimile.layout.linebreak import Token, WordTooLong, wrap, wrap_text


def test_greedy_lines_end_at_the_right_stop():
    assert wrap_text("The bureaucracy of the Russian Party has jailed hundreds", 20) == [
        "The bureaucracy of",
        "the Russian Party",
        "has jailed hundreds",
    ]


def test_first_line_is_indented():
    assert wrap_text("With this letter, we also bring to your notice", 20, indent=5) == [
        "     With this",
        "letter, we also",
        "bring to your notice",
    ]


def test_a_word_that_just_fits_stays_on_the_line():
    assert wrap_text("aaaa bbbb cccc", 14) == ["aaaa bbbb cccc"]
    assert wrap_text("aaaa bbbb ccccc", 14) == ["aaaa bbbb", "ccccc"]


def test_a_spaced_dash_is_never_first_or_last_on_a_line():
    assert wrap_text("Two of Stalin's trio - Kamenev", 22) == ["Two of Stalin's", "trio - Kamenev"]
    assert wrap_text("Two of Stalin's trio - Kamenev", 30) == ["Two of Stalin's trio - Kamenev"]


def test_two_spaces_after_a_sentence_count_against_the_line():
    tokens = [Token(4), Token(3, space_before=2), Token(2)]
    assert wrap(tokens, 9) == [[0, 1], [2]]
    assert wrap(tokens, 8) == [[0], [1, 2]]


def test_a_word_longer_than_the_line_is_refused():
    with pytest.raises(WordTooLong) as caught:
        wrap([Token(3), Token(30)], 20)
    assert (caught.value.index, caught.value.width, caught.value.measure) == (1, 30, 20)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=60),
       st.integers(min_value=12, max_value=80), st.integers(min_value=0, max_value=8))
def test_no_line_overflows_and_no_word_is_lost(widths, measure, indent):
    tokens = [Token(w) for w in widths]
    lines = wrap(tokens, measure, indent)
    assert [i for line in lines for i in line] == list(range(len(tokens)))
    for n, line in enumerate(lines):
        used = sum(tokens[i].width for i in line) + len(line) - 1
        assert used <= measure
        if n == 0 and used + indent > measure:  # the indent was given up: the first word forced it
            assert tokens[0].width + indent > measure
