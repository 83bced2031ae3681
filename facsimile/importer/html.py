"""The archive's saved HTML page to numbered lines with hints (headings, information, quotes,
navigation, 'updated'), read with the standard library's parser; nothing is fetched."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ..errors import SourceError
from ..source.textfile import decode
from .lines import Line, escape_marks

BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "li", "tr", "pre", "address",
          "center", "dd", "dt", "td", "th", "table", "ul", "ol", "dl", "section", "article", "header",
          "footer", "nav", "body"}
EMPHASIS = {"em", "i", "u", "b", "strong", "cite"}
SKIPPED = {"script", "style", "head", "title", "noscript", "template", "svg"}
# The archive's paragraph classes, by what they say about a paragraph.
CLASSES = {
    "information": "information", "info": "information", "source": "information", "inf": "information",
    "updat": "updated", "updated": "updated", "update": "updated",
    "footer": "navigation", "link": "navigation", "linkback": "navigation", "index": "navigation",
    "nav": "navigation", "toc": "navigation",
    "quoteb": "quote", "quote": "quote", "quoted": "quote", "indentb": "quote", "blockquote": "quote",
    "title": "title", "subtitle": "heading", "author": "heading", "date": "heading",
    "center": "centre", "centre": "centre", "c": "centre",
}
GAP_AFTER = {"title": 2, "heading": 2, "author": 2, "information": 2, "navigation": 1, "updated": 1}


class _Reader(HTMLParser):
    """Collects block-level runs of text with their line numbers and hints."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[Line] = []
        self.current: list[str] = []  # the pieces of the line being read
        self.start = 0
        self.hint = ""
        self.hints: list[str] = []  # open block elements' hints
        self.skip = 0
        self.emphasis = 0
        self.pre = 0
        self.numbers: list[int] = []  # open ordered lists' next item number
        self.seen_title = False

    # the line being read -------------------------------------------------------------
    def _flush(self) -> None:
        text = "".join(self.current)
        if not self.pre:
            text = re.sub(r"[ \t\r\n\f\u00a0]+", lambda m: " " if "\u00a0" not in m.group() else "\u00a0",
                          text).strip()
        if text.strip():
            self.lines.append(Line(text, self.start, self.hint))
        self.current = []

    def _gap(self, blanks: int) -> None:
        self._flush()
        have = 0
        for line in reversed(self.lines):
            if line.text:
                break
            have += 1
        self.lines.extend(Line("", self.start) for _ in range(max(0, blanks - have)))

    def _hint_of(self, tag: str, attrs: dict[str, str | None]) -> str:
        classes = (attrs.get("class") or "").lower().split()
        for name in classes:
            if name in CLASSES:
                return CLASSES[name]
        if tag == "h1" and not self.seen_title:
            self.seen_title = True
            return "title"
        if tag in ("h2", "h3", "h4", "h5", "h6"):
            return "heading"
        if tag == "blockquote":
            return "quote"
        if tag == "li":
            return "item"
        if tag in ("center",) or (attrs.get("align") or "").lower() == "center":
            return "centre"
        return self.hints[-1] if self.hints else ""

    # parser callbacks ------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.skip += 1
            return
        if self.skip:
            return
        found = dict(attrs)
        if tag == "br":
            self._flush()
            self.start = self.getpos()[0]
        elif tag == "hr":
            self._gap(3)
        elif tag in BLOCKS:
            hint = self._hint_of(tag, found)
            self._gap(GAP_AFTER.get(self.hint, 1) if self.lines else 0)
            self.hints.append(hint)
            self.hint = hint
            self.start = self.getpos()[0]
            if tag == "ol":
                self.numbers.append(1)
            if tag == "li" and self.numbers:
                self.current.append(f"{self.numbers[-1]}. ")
                self.numbers[-1] += 1
            if tag == "pre":
                self.pre += 1
        elif tag in EMPHASIS:
            self.emphasis += 1
        if self.hint == "" and tag == "a" and (found.get("href") or "").startswith("#top"):
            self.hint = "navigation"

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in BLOCKS:
            self._flush()
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
            if tag == "ol" and self.numbers:
                self.numbers.pop()
            if self.hints:
                self.hints.pop()
            closing = self.hint
            self.hint = self.hints[-1] if self.hints else ""
            self._gap(GAP_AFTER.get(closing, 1))
        elif tag in EMPHASIS:
            self.emphasis = max(0, self.emphasis - 1)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre:
            for i, piece in enumerate(data.split("\n")):
                if i:
                    self._flush()
                self.current.append(escape_marks(piece))
            return
        if not self.current:
            self.start = self.getpos()[0]
        text = escape_marks(data)
        if self.emphasis and text.strip():
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()):]
            text = f"{lead}*{text.strip()}*{trail}"
        self.current.append(text)


def read_html(data: bytes, shown: str) -> tuple[Line, ...]:
    """The lines of a saved HTML page (UTF-8, or the charset its meta tag names)."""
    charset = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", data[:4096], re.I)
    encoding = charset.group(1).decode("ascii").lower() if charset else "utf-8"
    if encoding not in ("utf-8", "utf8"):
        try:
            data = data.decode(encoding).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            pass  # read as UTF-8: a byte that is not is reported at its line and column
    text, problems = decode(data, shown)  # bad bytes and control characters, at their places
    if problems:
        raise SourceError(problems)
    reader = _Reader()
    try:
        reader.feed("\n".join(text))
        reader.close()
    except Exception as exc:  # noqa: BLE001 - html.parser is lenient; this is a last guard
        raise SourceError.at_path(shown, f"cannot read this page as HTML ({exc}): save it again, "
                                  "or save it as text") from None
    reader._flush()
    lines = [Line(_at_escape(line.text), line.number, line.hint) for line in reader.lines]
    while lines and not lines[0].text:
        lines.pop(0)
    return tuple(lines)


def _at_escape(text: str) -> str:
    return "@" + text if text.startswith("@") and not text.startswith("@@") else text
