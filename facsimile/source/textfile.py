"""Bytes of a UTF-8 source file to normalised text lines, or diagnostics at file:line:col."""

from __future__ import annotations

import unicodedata

from ..errors import Diagnostic, SourcePos

ALLOWED_CONTROLS = {"\n", "\t"}
MAX_LINE = 2_000_000  # characters: a 300,000-word paragraph on one line; more is not a pamphlet's
MAX_PROBLEMS = 50  # a file with more is not the text it should be: say so once, not a line per byte


def decode(data: bytes, name: str) -> tuple[list[str], list[Diagnostic]]:
    """Decode UTF-8 (a byte-order mark and CRLF allowed), normalise to NFC; tabs are kept.

    Returns the lines and the problems found: every undecodable byte and control character,
    each at its own line and column.
    """
    problems: list[Diagnostic] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\x00")
    if nul >= 0:  # text never holds NUL: this is a binary file (an image, a word-processor file)
        line = data.count(b"\n", 0, nul) + 1
        col = len(data[data.rfind(b"\n", 0, nul) + 1:nul].decode("utf-8", errors="replace")) + 1
        return [], [Diagnostic(SourcePos(name, line, col), "this is a binary file, not text (it "
                               "holds NUL bytes): give a plain text file, saved as UTF-8")]
    text = _decode_reporting(data, name, problems)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines: list[str] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        if len(raw) > MAX_LINE:  # bounded time and memory for what follows: say so and skip it
            problems.append(Diagnostic(SourcePos(name, number, MAX_LINE + 1), f"this line is "
                                       f"{len(raw):,} characters long, over the limit of "
                                       f"{MAX_LINE:,}: break it into paragraphs (a blank line "
                                       "between them)"))
            lines.append("")
            continue
        line = raw if raw.isascii() else unicodedata.normalize("NFC", raw)
        if line.isprintable():  # no control, format or private character: nothing to check
            lines.append(line)
            continue
        for col, ch in enumerate(line, start=1):
            if len(problems) > MAX_PROBLEMS:
                break
            if ch not in ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co"):
                if ch == "\u00ad":  # a soft hyphen is a hint, not a character to type
                    continue
                problems.append(
                    Diagnostic(
                        SourcePos(name, number, col),
                        f"invisible control character {describe(ch)}: delete it or replace it "
                        "with the character it stands for",
                    )
                )
        lines.append(line.replace("\u00ad", ""))  # a tab stays: the typist tabs to the rack's stops
    if len(problems) > MAX_PROBLEMS:
        problems = problems[:MAX_PROBLEMS] + [Diagnostic(problems[MAX_PROBLEMS].pos, "more "
                                              "problems like these follow; only the first "
                                              f"{MAX_PROBLEMS} are shown: is this the right file, "
                                              "saved as UTF-8 text?")]
    return lines, problems


def _decode_reporting(data: bytes, name: str, problems: list[Diagnostic]) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    # Locate every bad byte by decoding line by line.
    for number, raw_line in enumerate(data.split(b"\n"), start=1):
        good = 0
        while good < len(raw_line) and len(problems) <= MAX_PROBLEMS:
            try:
                raw_line[good:].decode("utf-8")
                break
            except UnicodeDecodeError as exc:
                bad = good + exc.start
                col = len(raw_line[:bad].decode("utf-8", errors="replace")) + 1
                problems.append(
                    Diagnostic(
                        SourcePos(name, number, col),
                        f"byte 0x{raw_line[bad]:02X} is not valid UTF-8: save the file as UTF-8 "
                        "(in most editors: Save As, Encoding: UTF-8)",
                    )
                )
                good = bad + max(1, exc.end - exc.start)
    return text


def describe(ch: str) -> str:
    """U+4E2D CJK UNIFIED IDEOGRAPH-4E2D: how a character is named in messages."""
    name = unicodedata.name(ch, "") or {
        "\x00": "NULL", "\x07": "BELL", "\x08": "BACKSPACE", "\x0b": "LINE TABULATION",
        "\x0c": "FORM FEED", "\x1b": "ESCAPE", "\x7f": "DELETE",
    }.get(ch, "control character")
    return f"U+{ord(ch):04X} {name}"
