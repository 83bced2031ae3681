"""Property tests: only facsimile's own error type ever escapes, and no word is lost or doubled.

CI runs a bounded number of examples; HYPOTHESIS_PROFILE=long runs many more (see README).
"""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facsimile.layout.typeset import typeset
from facsimile.errors import FacsimileError, SourceError
from facsimile.source.markup import parse_part
from facsimile.layout.paper import make_grid
from facsimile.pdf.scanner import place_scan
from facsimile.source.document import load_document
from facsimile.source.textfile import decode
from tests.conftest import write_document
from tests.helpers import grid_words, source_words

SOURCE_ALPHABET = string.printable + "‘’“”–—…£éü\u0301\u05e9\x00\x07*@"
WORD = st.text(alphabet=string.ascii_letters + string.digits + ".,;:'!?()-&£", min_size=1, max_size=14)


@settings(deadline=None)
@given(st.binary(max_size=400))
def test_decoding_any_bytes_gives_lines_or_diagnostics(data):
    lines, problems = decode(data, "part.txt")
    assert isinstance(lines, list)
    for problem in problems:
        assert problem.pos.file == "part.txt" and problem.pos.line >= 1 and problem.pos.col >= 1


@settings(deadline=None)
@given(st.text(alphabet=SOURCE_ALPHABET, max_size=600))
def test_the_parser_returns_blocks_or_diagnostics_and_never_raises(text):
    blocks, problems = parse_part(text.split("\n"), "part.txt")
    for block in blocks:
        for line in block.lines:
            for run in line:
                assert run.pos.line >= 1


@settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(paragraphs=st.lists(st.lists(WORD, min_size=1, max_size=80), min_size=1, max_size=6),
       paper=st.sampled_from(["foolscap", "quarto", "a4", "letter"]),
       pitch=st.sampled_from(["pica", "elite"]),
       spacing=st.sampled_from(["single", "one-and-a-half", "double"]))
def test_layout_loses_and_doubles_no_word(tmp_path_factory, paragraphs, paper, pitch, spacing):
    text = "\n\n".join(" ".join(words) for words in paragraphs) + "\n"
    folder = write_document(tmp_path_factory.mktemp("fuzz") / "doc", {"a.txt": text},
                            extra=f'paper = "{paper}"\npitch = "{pitch}"\nspacing = "{spacing}"')
    doc = load_document(folder)
    grid = make_grid(paper, pitch, spacing)
    parts = typeset(doc, grid)
    assert grid_words(parts, chrome=False) == source_words(doc)
    for part in parts:
        for page in part.pages:
            for placed in page.lines:
                assert grid.top - 8 <= placed.row <= grid.bottom + 4
                assert all(grid.left <= c.col < grid.right for c in placed.line.cells
                           if placed.line.role == "body")


@settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=SOURCE_ALPHABET, max_size=300))
def test_any_part_text_builds_or_fails_with_our_error(tmp_path_factory, text):
    folder = write_document(tmp_path_factory.mktemp("fuzz") / "doc", {"a.txt": "x\n"})
    (folder / "a.txt").write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        doc = load_document(folder)
        typeset(doc, make_grid("foolscap", "pica", "single"))
    except FacsimileError:
        pass


@settings(deadline=None, max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(data=st.binary(min_size=0, max_size=300), suffix=st.sampled_from([".pdf", ".png", ".jpg", ".tif"]),
       prefix=st.sampled_from([b"", b"%PDF-1.4\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"II*\x00"]))
def test_the_scan_reader_refuses_garbage_with_our_error(tmp_path_factory, data, suffix, prefix):
    path = tmp_path_factory.mktemp("scan") / f"scan{suffix}"
    path.write_bytes(prefix + data)
    try:
        place_scan(path, 576.0, 936.0)
    except SourceError as error:
        assert str(error).startswith(str(path)) or "scan" in str(error)
