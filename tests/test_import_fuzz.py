"""Property tests of the importer: any transcription gives a folder whose parts hold only the
words received, lose none (each is in a part or in the manifest), and load; or one clear error."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

from hypothesis import given, strategies as st

from facsimile.errors import FacsimileError
from facsimile.importer import import_transcription
from facsimile.source.markup import parse_part

WORDS = ["the", "comrades", "branch", "Party", "WITHOUT", "DISCUSSION", "workers", "of", "and", "London,",
         "Dear", "Yours", "fraternally,", "To", "From", "1932.", "Nov.", "7th,", "March", "P.S.", "COPY",
         "Document", "4", "|", "Last", "updated", "on", "Index", "For", "literature", "write", "to", "*",
         "@home", "–", "“quoted”", "Enclosure", "1", "Transcribed", "by", "Issued", "Comrades,"]
SHAPES = ["Dear Comrades,", "Yours fraternally,", "Communist greetings,", "Nov. 7th, 1932.",
          "PRINKIPO. Oct. 13th 1932.", "COPY", "Document 4", "Index  |  ETOL Home Page",
          "Last updated on 27.12.2002", "From The Militant, Vol. VI No. 3, 14 January 1933, p. 4.",
          "Transcribed & marked up by a tester.", "To the Delegates", "P.S. Send the returns.",
          "For literature write to A. Member, 4 Hill Road.", "Enclosure 1", "THE GROUP"]

line = st.one_of(st.sampled_from(SHAPES),
                 st.lists(st.sampled_from(WORDS), min_size=1, max_size=30).map(" ".join))
block = st.tuples(st.lists(line, min_size=1, max_size=4), st.integers(min_value=1, max_value=4))


def _manifest_words(text: str) -> set[str]:
    data = tomllib.loads(text)
    words: set[str] = set()
    for value in list(data.values()) + list(data.get("provenance", {}).values()):
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                words.update(item.split())
    return words


@given(st.lists(block, min_size=1, max_size=12))
def test_every_word_is_kept_once_in_the_text_or_the_manifest(tmp_path_factory, blocks) -> None:  # type: ignore[no-untyped-def]
    text = "".join("\n".join(lines) + "\n" * (gap + 1) for lines, gap in blocks)
    source = tmp_path_factory.mktemp("fuzz") / "t.txt"
    source.write_text(text, "utf-8")
    received = Counter(w for lines, _ in blocks for l in lines for w in l.split())
    try:
        imported = import_transcription(source)
    except FacsimileError:
        return  # said in one line at its place (no text left after the headings, ...)
    files = dict(imported.files)
    manifest = tomllib.loads(files["document.toml"])
    in_parts: Counter[str] = Counter()
    for part in manifest["parts"]:
        blocks_, problems = parse_part(files[part["file"]].split("\n"), part["file"])
        assert problems == []
        in_parts.update(w for b in blocks_ for l in b.lines for w in "".join(r.text for r in l).split())
        in_parts.update(w for h in part.get("head", []) if h != "COPY" for w in h.split())
    added = in_parts - received  # only the page's title, typed again as the addressee
    assert set(added) <= set(manifest["title"].split())
    kept = _manifest_words(files["document.toml"])
    assert all(word in in_parts or word in kept or word == "COPY" for word in received)


TAGS = ["p", "h1", "h2", "h3", "blockquote", "li", "em", "b", "br", "hr", "div", "span", "a", "pre", "td"]
CLASSES = ["", ' class="information"', ' class="updat"', ' class="footer"', ' class="quoteb"', ' class="fst"']
piece = st.one_of(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=20).map(" ".join),
    st.tuples(st.sampled_from(TAGS), st.sampled_from(CLASSES), st.booleans()).map(
        lambda t: f"<{t[0]}{t[1]}>" if t[2] else f"</{t[0]}>"),
    st.sampled_from(["&amp;", "&nbsp;", "&#8217;", "<!-- a comment -->", "<script>var x = '*';</script>",
                     "<p", "</", "&bogus;", "<h1>Title</h1>"]))


@given(st.lists(piece, min_size=1, max_size=40))
def test_any_html_page_gives_parts_that_parse_or_one_clear_error(tmp_path_factory, pieces) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path_factory.mktemp("fuzz") / "page.html"
    source.write_text("<html><body>" + "\n".join(pieces) + "</body></html>", "utf-8")
    try:
        imported = import_transcription(source)
    except FacsimileError:
        return
    files = dict(imported.files)
    manifest = tomllib.loads(files["document.toml"])
    for part in manifest["parts"]:
        blocks_, problems = parse_part(files[part["file"]].split("\n"), part["file"])
        assert problems == [] and blocks_
