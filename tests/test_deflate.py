"""Page streams compressed again from where they changed (pdf/deflate.py): always the bytes
zlib.compress gives, whatever the edit, for the PDF must not depend on what came before."""

from __future__ import annotations

import os
import random
import zlib

import pytest

from facsimile.kept import Kept
from facsimile.pdf import deflate


@pytest.fixture
def remembering(monkeypatch):
    monkeypatch.setattr(deflate, "PAGES", Kept(deflate.PAGES_KEPT))
    deflate.remember_pages()  # this zlib gives the same bytes for a stream in pieces (checked there)
    assert deflate.PAGES.on


def operators(rng: random.Random, size: int) -> bytes:
    words = [b"BT", b"ET", b"/F1 11.5 Tf", b"0.95 g", b"(a) Tj", b"1.2 0 Td", b"q", b"Q", b"72 700 m 300 700 l S"]
    return b"\n".join(rng.choice(words) for _ in range(size // 6))


def test_every_edit_gives_the_bytes_of_one_compression(remembering):
    rng = random.Random(7)
    page = operators(rng, 200_000)
    assert deflate.compress(page, "p1") == zlib.compress(page)
    for _ in range(40):
        at = rng.randrange(len(page))
        cut = rng.randrange(0, 50)
        page = page[:at] + operators(rng, rng.randrange(0, 300)) + page[at + cut:]
        assert deflate.compress(page, "p1") == zlib.compress(page)
    assert deflate.compress(b"", "p1") == zlib.compress(b"")
    assert deflate.compress(page[:10], "p1") == zlib.compress(page[:10])


def test_an_edit_late_in_a_page_compresses_only_the_rest(remembering):
    rng = random.Random(3)
    page = operators(rng, 300_000)
    deflate.compress(page, "p")
    edited = page[:-1000] + b"(b) Tj" + page[-1000:]
    kept = deflate.PAGES._values["p"][2]
    assert deflate._agreed(page, edited) == len(page) - 1000
    assert deflate.compress(edited, "p") == zlib.compress(edited)
    # the checkpoints before the change were taken over, not made again
    assert [point[1] for point in deflate.PAGES._values["p"][2][:len(kept) - 1]] == [point[1] for point in kept[:-1]]


def test_pages_are_kept_apart_and_the_oldest_forgotten(remembering):
    rng = random.Random(5)
    pages = {n: operators(rng, 5_000 + n) for n in range(deflate.PAGES_KEPT + 3)}
    for n, page in pages.items():
        assert deflate.compress(page, n) == zlib.compress(page)
    assert len(deflate.PAGES) == deflate.PAGES_KEPT and 0 not in deflate.PAGES
    assert deflate.compress(pages[1], 2) == zlib.compress(pages[1])  # another page's content under a name


def test_a_short_lived_build_or_a_forked_worker_keeps_nothing(monkeypatch):
    for owner in (None, os.getpid() + 1):  # never asked; asked by the process this one was forked from
        kept = Kept(deflate.PAGES_KEPT)
        kept._owner = owner
        monkeypatch.setattr(deflate, "PAGES", kept)
        assert deflate.compress(b"BT ET", "p") == zlib.compress(b"BT ET") and not len(deflate.PAGES)


WATCHED = """
import re, sys
from pathlib import Path
from facsimile.build import build_document
from facsimile.buildcmd import long_lived
settle = long_lived()
folder, out, look = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
letter = folder / "letter.txt"
text = letter.read_text(encoding="utf-8")
for word in ("Comrades", "Comrade,", "Friends"):  # three saves, as under a watch
    letter.write_text(text.replace("Comrade", word, 1), encoding="utf-8")
    build_document(folder, out, {"look": look})
    settle()
"""


@pytest.mark.parametrize("look", ["typescript", "cyclostyle"])
def test_a_watched_rebuild_is_the_pdf_a_new_build_makes(pamphlet, tmp_path, look):
    import subprocess
    import sys

    watched = subprocess.run([sys.executable, "-c", WATCHED, str(pamphlet), str(tmp_path / "watched"), look],
                             capture_output=True, text=True, timeout=300)
    assert watched.returncode == 0, watched.stderr
    new = subprocess.run([sys.executable, "-m", "facsimile", "build", str(pamphlet), "--no-cache", "-q",
                          "--look", look, "-o", str(tmp_path / "new")], capture_output=True, text=True, timeout=300)
    assert new.returncode == 0, new.stderr
    name = f"{pamphlet.name}.pdf"
    assert (tmp_path / "watched" / name).read_bytes() == (tmp_path / "new" / name).read_bytes()
