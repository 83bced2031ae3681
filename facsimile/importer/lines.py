"""Bytes of a plain-text transcription to numbered lines, escaped for the source format."""

from __future__ import annotations

from dataclasses import dataclass

from ..source.textfile import decode
from ..errors import SourceError

# What an HTML reader knew about a line; plain text has none.
HINTS = ("", "title", "author", "subtitle", "heading", "information", "updated", "navigation",
         "quote", "item", "centre")


@dataclass(frozen=True)
class Line:
    """One line of the transcription as received (markup-escaped), its number, and a hint."""

    text: str
    number: int
    hint: str = ""

    @property
    def plain(self) -> str:
        """The words as received, without the source format's escapes and emphasis marks."""
        text = self.text[1:] if self.text.startswith("@@") else self.text
        text = text.replace("**", "\x00").replace("*", "").replace("\x00", "*")
        return text.replace("{{", "{").replace("}}", "}").strip()


def escape_marks(text: str) -> str:
    """Asterisks and braces doubled: the source format types them as they are."""
    return text.replace("*", "**").replace("{", "{{").replace("}", "}}")


def escape(text: str) -> str:
    """Text as received, written so that the source format types it as it is: a literal
    asterisk or brace doubled, an @ that starts a line doubled."""
    text = escape_marks(text)
    return "@" + text if text.lstrip().startswith("@") else text


def read_text(data: bytes, shown: str) -> tuple[Line, ...]:
    """The lines of a UTF-8 text transcription; bad bytes and control characters are errors
    at their line and column, as in any source file."""
    lines, problems = decode(data, shown)
    if problems:
        raise SourceError(problems)
    return tuple(Line(escape(line.rstrip()), number) for number, line in enumerate(lines, start=1))
