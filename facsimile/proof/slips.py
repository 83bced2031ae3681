"""Lines of plain transcribed text to findings of likely slips (OCR confusions, typing errors)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .wordlist import RARE, frequency

KINDS = ("ocr", "mixed", "roman", "quote", "doubled", "unknown-word")


@dataclass(frozen=True)
class Finding:
    """One likely slip: where it is (1-based line and column of its first character) and why."""

    line: int
    col: int
    token: str
    reason: str
    kind: str


@dataclass(frozen=True)
class _Token:
    """A run of letters and digits (with inner dots, hyphens and apostrophes) in the joined text."""

    text: str
    line: int
    col: int
    sentence_start: bool
    sep: str            # the text between the previous token and this one


_TOKEN = re.compile(r"[^\W_](?:[\w.'\u2019-]*[^\W_])?")
_ROMAN = re.compile(r"M{0,4}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_HARMLESS_MIXED = re.compile(
    r"\d+(?:st|nd|rd|th|'s|\u2019s|am|pm|[a-hjkmnp-z])"  # 25th, 1930s, 2s 6d, 6b; not 193l
    r"|(?:[A-Za-z]{1,2}\.)+\d+[A-Za-z]?"          # N.W.11, S.W.1, No.5: districts and numbers
    r"|[A-Z]{1,2}\d{1,2}[A-Z]?"                   # SW1, EC4A: postal districts
)
# Shapes a typewriter or an OCR engine confuses, as (typed, meant). The first group is also
# tried on capitalised words and capitals, which are otherwise taken for names.
_NAME_PAIRS = (("I", "l"), ("l", "I"), ("rn", "m"), ("cl", "d"), ("vv", "w"), ("li", "h"))
_OCR_PAIRS = _NAME_PAIRS + (
    ("m", "rn"), ("d", "cl"), ("w", "vv"), ("h", "li"), ("ri", "n"), ("b", "h"), ("h", "b"),
    ("c", "o"), ("o", "c"), ("c", "e"), ("e", "c"), ("n", "u"), ("u", "n"), ("i", "l"),
    ("l", "i"), ("f", "t"), ("t", "f"), ("ii", "ll"))
_DIGIT_LETTERS = {"1": "lIi", "0": "oO", "5": "sS"}
_LETTER_DIGITS = {"l": "1", "I": "1", "i": "1", "O": "0", "o": "0", "S": "5", "B": "8"}
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")   # a typewriter's staggered letter rows
_COMMON = 1000          # how common a correction must be to question a capitalised word
_LEGITIMATE_DOUBLES = frozenset({"had had", "that that"})
_OPENERS, _CLOSERS = "\u2018\u201c", "\u2019\u201d"


def load_accepted(text: str) -> frozenset[str]:
    """Words (lower case) of an accepted-words file: one a line, '#' starts a comment."""
    words: set[str] = set()
    for raw in text.splitlines():
        words.update(w.lower().replace("\u2019", "'") for w in raw.split("#", 1)[0].split())
    return frozenset(words)


def proof_lines(lines: list[str], accepted: frozenset[str] = frozenset()) -> list[Finding]:
    """Findings for the lines (without their line ends), ordered by line then column."""
    return list(iter_findings(lines, accepted))


def iter_findings(lines: list[str], accepted: frozenset[str] = frozenset()) -> Iterator[Finding]:
    """The findings of proof_lines, yielded line by line as they are found: nothing but the
    text, the names and one line's findings is held, and each distinct word is checked once."""
    accepted = frozenset(w.lower().replace("\u2019", "'") for w in accepted)
    lines = [line.rstrip("\r\n") for line in lines]
    text = "\n".join(lines)
    names: set[str] = set()     # words capitalised mid-sentence
    for t in _tokenise(text):
        if not t.text.islower():
            names.update(_bare(part) for i, part in enumerate(_DOT_DASH.split(t.text))
                         if part[:1].isupper() and (i or not t.sentence_start))
    checked: dict[tuple[str, bool, bool], list[tuple[int, str, str, str]]] = {}
    pending: list[Finding] = []
    current = 1         # the line whose findings are pending
    previous: _Token | None = None
    for tok in _tokenise(text):
        if tok.line != current:
            yield from _flush(pending, lines, current, tok.line)
            pending, current = [], tok.line
        key = (tok.text, tok.sentence_start, len(tok.text) <= 4 and bool(_ELIDED.search(tok.sep)))
        found = checked.get(key)
        if found is None:
            found = [(f.col - tok.col, f.token, f.reason, f.kind)
                     for f in _check_token(tok, accepted, names)]
            if len(checked) < _CHECKED_KEPT:
                checked[key] = found
        pending.extend(Finding(tok.line, tok.col + shift, token, reason, kind)
                       for shift, token, reason, kind in found)
        if previous is not None and previous.text.lower() == tok.text.lower():
            pending.extend(_doubled(previous, tok))
        previous = tok
    yield from _flush(pending, lines, current, len(lines) + 1)


_CHECKED_KEPT = 200_000  # distinct words whose findings are remembered: bounded memory
_DOT_DASH = re.compile(r"[.-]")
_ELIDED = re.compile(r"(^|\s)['\u2019]$")
_SENTENCE_END = re.compile(r"[.!?]|\n\s*\n")


def _flush(pending: list[Finding], lines: list[str], current: int, upto: int) -> Iterator[Finding]:
    """The pending findings of line `current` with its quotes, then the quotes of the lines
    after it up to (not including) line `upto`, each line in order."""
    for number in range(current, upto):
        if number > len(lines):
            break
        found = pending + _quotes(lines[number - 1], number) if number == current \
            else _quotes(lines[number - 1], number)
        yield from sorted(set(found), key=lambda f: (f.line, f.col, KINDS.index(f.kind)))


def _tokenise(text: str) -> Iterator[_Token]:
    line, line_start, end, first = 1, 0, 0, True
    for match in _TOKEN.finditer(text):
        start = match.start()
        sep = text[end:start]
        breaks = sep.count("\n")
        if breaks:
            line += breaks
            line_start = end + sep.rfind("\n") + 1
        opens = first or bool(_SENTENCE_END.search(sep))
        first = False
        yield _Token(match.group(), line, start - line_start + 1, opens, sep)
        end = match.end()


def _bare(word: str) -> str:
    """`word` in lower case, with a straight apostrophe and no possessive 's."""
    return re.sub(r"'s$", "", word.lower().replace("\u2019", "'"))


def _check_token(tok: _Token, accepted: frozenset[str], names: set[str]) -> list[Finding]:
    text = tok.text
    if text.lower().replace("\u2019", "'") in accepted or not re.search(r"[^\W\d_]", text):
        return []           # accepted as a whole, or a number or date
    if len(text) <= 4 and re.search(r"(^|\s)['\u2019]$", tok.sep):
        return []           # 'tis, 'twas, 'em: an elision the word list lacks
    if re.search(r"\d", text):
        finding = _mixed(tok, accepted)
        return [finding] if finding else []
    parts = re.split(r"([.-])", text)
    if "." in parts and all(len(p) <= 3 for p in parts[::2]):
        return []           # U.S.S.R, a.m, i.e: abbreviations
    found: list[Finding] = []
    offset = 0
    for index, part in enumerate(parts):
        if index % 2 == 0 and part:
            finding = _word(part, tok.line, tok.col + offset, tok.sentence_start and index == 0,
                            accepted, names)
            if finding:
                found.append(finding)
        offset += len(part)
    return found


def _word(word: str, line: int, col: int, sentence_start: bool,
          accepted: frozenset[str], names: set[str]) -> Finding | None:
    word = re.sub(r"['\u2019]s$", "", word)
    low = _bare(word)
    odd_case = re.search(r"(?<=[a-z])I|(?<=[A-Z])l(?=[A-Z])", word)
    if word == "l":
        return Finding(line, col, word, "OCR confusion: 'l' for 'I'?", "ocr")
    if low in accepted or len(word) < 2:
        return None
    if set(word) <= set("IVX") and not _ROMAN.fullmatch(word):
        return Finding(line, col, word, "malformed roman numeral", "roman")
    if frequency(low) and not odd_case:
        return None
    as_lower = word.islower() or (sentence_start and word[1:].islower() and low not in names)
    fix = _correction(word, _OCR_PAIRS if as_lower else _NAME_PAIRS, accepted,
                      RARE + 1 if as_lower else _COMMON)
    if fix is None and as_lower:
        fix = _typing_slip(low, accepted)
    if fix is not None:
        return Finding(line, col, word, fix, "ocr")
    if odd_case:
        return Finding(line, col, word, f"OCR confusion: odd capital or small letter in '{word}'",
                       "ocr")
    if as_lower:
        return Finding(line, col, word, "not in the word list", "unknown-word")
    return None


def _score(candidate: str, accepted: frozenset[str]) -> int:
    low = candidate.lower()
    return frequency(low) or (RARE + 1 if low in accepted else 0)


def _correction(word: str, pairs: tuple[tuple[str, str], ...], accepted: frozenset[str],
                least: int) -> str | None:
    """A reason naming the commonest word one confusion (at one place or all) makes, if any."""
    best: tuple[int, str] | None = None
    for typed, meant in pairs:
        places = [m.start() for m in re.finditer(re.escape(typed), word)]
        variants = [word[:p] + meant + word[p + len(typed):] for p in places]
        if len(places) > 1:
            variants.append(word.replace(typed, meant))
        for variant in variants:
            score = _score(variant, accepted)
            if score >= least and (best is None or score > best[0]):
                best = (score, f"OCR confusion: '{typed}' for '{meant}'? ({variant.lower()})")
    return best[1] if best else None


def _typing_slip(low: str, accepted: frozenset[str]) -> str | None:
    """A reason naming the commonest word one swap or neighbouring key makes, if any."""
    best: tuple[int, str] | None = None
    for i in range(len(low)):
        options: list[tuple[str, str]] = []
        if i + 1 < len(low) and low[i] != low[i + 1]:
            swapped = low[:i] + low[i + 1] + low[i] + low[i + 2:]
            options.append((swapped, f"letters swapped: '{low[i:i + 2]}' for "
                                     f"'{low[i + 1]}{low[i]}'? ({swapped})"))
        for letter in _neighbours(low[i]):
            changed = low[:i] + letter + low[i + 1:]
            options.append((changed, f"typing slip: '{low[i]}' for '{letter}'? ({changed})"))
        for candidate, reason in options:
            score = _score(candidate, accepted)
            if score > RARE and (best is None or score > best[0]):
                best = (score, reason)
    return best[1] if best else None


def _neighbours(letter: str) -> str:
    """The keys next to `letter` on a typewriter: beside it, and above and below the stagger."""
    for row, keys in enumerate(_ROWS):
        if (i := keys.find(letter)) >= 0:
            near = [(row, i - 1), (row, i + 1), (row - 1, i), (row - 1, i + 1),
                    (row + 1, i - 1), (row + 1, i)]
            return "".join(_ROWS[r][j] for r, j in near if 0 <= r < 3 and 0 <= j < len(_ROWS[r]))
    return ""


_FRACTIONS = re.compile("[\u00bc-\u00be\u2150-\u215e]")


def _mixed(tok: _Token, accepted: frozenset[str]) -> Finding | None:
    """Letters and digits in one token: a roman numeral, a word or a number with a wrong key."""
    shown = tok.text
    text = _FRACTIONS.sub("1", shown)  # 4½, 6½d.: a typed fraction counts as a digit
    segments = text.split(".")
    if all(seg.isdigit() or _ROMAN.fullmatch(seg) for seg in segments):
        return None         # 7.XI.1917: a date with a roman month
    for seg in segments:    # X1 alone may be a postal district; 7.X1 and XV1 are numerals
        if (re.fullmatch(r"[IVXLCDM1]*[IVXLCDM][IVXLCDM1]*", seg) and "1" in seg
                and (len(segments) > 1 or len(seg.replace("1", "")) > 1)):
            fixed = seg.replace("1", "I")
            if _ROMAN.fullmatch(fixed):
                return Finding(tok.line, tok.col, shown,
                               f"roman numeral with a digit: '{seg}' for '{fixed}'?", "roman")
    if _HARMLESS_MIXED.fullmatch(text):
        return None
    for seg in re.split(r"[.-]", text):
        number = "".join(_LETTER_DIGITS.get(c, c) for c in seg)
        if number.isdigit() and not seg.isdigit():
            letter = next(c for c in seg if not c.isdigit())
            return Finding(tok.line, tok.col, shown, f"letters mixed with digits: "
                           f"'{letter}' for '{_LETTER_DIGITS[letter]}'? ({number})", "mixed")
    for seg in re.split(r"[.-]", text):
        digits = [(i, c) for i, c in enumerate(seg) if c in _DIGIT_LETTERS]
        if not re.search(r"[^\W\d_]", seg) or not digits or len(digits) > 3:
            continue
        best: tuple[int, str] | None = None
        for choice in itertools.product(*(_DIGIT_LETTERS[c] for _, c in digits)):
            chars = list(seg)
            for (i, _), letter in zip(digits, choice):
                chars[i] = letter
            variant = "".join(chars)
            score = _score(variant, accepted)
            if score and not re.search(r"\d", variant) and (best is None or score > best[0]):
                best = (score, f"OCR confusion: '{digits[0][1]}' for '{choice[0]}'? "
                               f"({variant.lower()})")
        if best:
            return Finding(tok.line, tok.col, shown, best[1], "ocr")
    return Finding(tok.line, tok.col, shown, "letters mixed with digits", "mixed")


def _doubled(first: _Token, second: _Token) -> list[Finding]:
    a, b = first.text, second.text
    pair = f"{a.lower()} {b.lower()}"
    if (a.lower() != b.lower() or not a.isalpha() or not second.sep.isspace()
            or re.search(r"\n\s*\n", second.sep) or pair in _LEGITIMATE_DOUBLES):
        return []
    return [Finding(second.line, second.col, b, f"doubled word: '{a} {b}'", "doubled")]


_QUOTE_MARK = re.compile(f"[{_OPENERS}{_CLOSERS}]")
_CLOSING = re.compile(r"\w\u2019(?!\w)")
_WORD_CHAR = re.compile(r"[\w'\u2019-]")


def _word_before(line: str, i: int) -> str:
    """The word that ends before column i, past closing punctuation: looked for in a window of
    200 characters, so that a long line with many quotes costs time in proportion to its length."""
    end = i
    while end > 0 and line[end - 1] in ".,;:!?":
        end -= 1
    start, least = end, max(0, end - 200)
    while start > least and _WORD_CHAR.match(line, start - 1):
        start -= 1
    return line[start:end]


def _quotes(line: str, number: int) -> list[Finding]:
    """Opening quotes where closing ones belong (after a word) and the reverse."""
    found: list[Finding] = []
    closing: int | None = -1    # where the next \w\u2019 closing a quote starts; None: nowhere
    for match in _QUOTE_MARK.finditer(line):
        i, mark = match.start(), match.group()
        before, after = line[i - 1:i], line[i + 1:i + 2]
        word = _word_before(line, i)
        ends = not after or after.isspace() or after in ".,;:!?)]"
        if mark in _OPENERS:
            pair = _CLOSERS[_OPENERS.index(mark)]
            after_word = before.isalnum() or (i > 1 and before in ".,;:!?"
                                              and line[i - 2].isalnum()
                                              and (not after or after.isspace()))
            if after_word and ends:
                reason = f"opening quote {mark} after '{word}' where a closing {pair} belongs"
            elif mark == "\u2018" and before.isalpha() and after.isalpha():
                reason = f"opening quote {mark} used as an apostrophe in '{word}{mark}...'"
            else:
                continue
        else:
            pair = _OPENERS[_CLOSERS.index(mark)]
            starts = (not before or before.isspace() or before in "([") and after.isalnum()
            # a lone \u2019 before a word may be an elision (\u2019tis): a quote if one closes later
            if starts and mark == "\u2019" and closing is not None and closing <= i:
                found_at = _CLOSING.search(line, i + 1)   # the first closing quote after i,
                closing = found_at.start() if found_at else None   # remembered for the next
            closes = mark == "\u201d" or closing is not None
            if not (starts and closes):
                continue
            reason = f"closing quote {mark} before a word where an opening {pair} belongs"
        found.append(Finding(number, i + 1, mark, reason, "quote"))
    return found
