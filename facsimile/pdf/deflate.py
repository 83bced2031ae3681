"""A page's content to its compressed bytes; in a long-lived process (a watch), resumed from the
last compression of the same page at the last checkpoint before the two first differ.

zlib's deflate gives the same bytes however its input is cut into pieces (each piece is held
back until the next arrives, so no decision depends on where a piece ended), and a compressor
can be copied mid-stream. So a page compressed once keeps a copy of its compressor every
CHECKPOINT bytes; when the page is drawn again after an edit, everything up to the checkpoint
before the first changed byte is taken as it was, and only the rest is compressed. A ribbon-
typed letter's page (152 kB of operators, its typed letterhead first) then costs a fraction
of its 5.6 ms. A short-lived build keeps nothing and compresses each page in one call.
"""

from __future__ import annotations

import zlib

from ..kept import Kept

CHECKPOINT = 64 * 1024  # bytes of operators between two copies of the compressor (each ~270 kB)
PAGES_KEPT = 48  # pages remembered (a part of up to 48 pages redrawn on a save), the least recent forgotten

# by page: its last operators, the pieces of its compressed stream, and at each checkpoint
# (offset, compressor there, how many pieces precede it)
PAGES: Kept[tuple[bytes, list[bytes], list[tuple[int, object, int]]]] = Kept(PAGES_KEPT)
_FRESH: list[object] = []  # one compressor at the start of a stream, copied by every page


def remember_pages() -> None:
    """From now on in this process (not in the workers it forks), keep each page's
    compressions to resume from; not at all if this zlib gives other bytes for a stream cut
    into pieces (a zlib other than madler's need not promise it)."""
    sample = bytes(range(256)) * 64 + b"BT /F1 11.5 Tf 72 700 Td (a) Tj ET\n" * 2000
    pieced = zlib.compressobj()
    made = [pieced.compress(sample[start:start + 777]) for start in range(0, len(sample), 777)]
    if b"".join(made) + pieced.flush() == zlib.compress(sample):
        PAGES.keep_here()


def compress(data: bytes, page: object = None) -> bytes:
    """data compressed, exactly as zlib.compress(data) gives it; page names the page across
    rebuilds (None: nothing kept, nothing resumed). A page kept holds its operators, its
    compressed bytes and a compressor every CHECKPOINT bytes (each about 270 kB): a 150 kB
    page about 0.7 MB, PAGES_KEPT pages at the most (measured: 48 pages of 126 kB, 20 MB)."""
    if page is None or not PAGES.on:
        return zlib.compress(data)
    if not _FRESH:
        _FRESH.append(zlib.compressobj())
    last = PAGES.take(page)
    pieces: list[bytes] = []
    checkpoints: list[tuple[int, object, int]] = [(0, _FRESH[0], 0)]
    if last is not None:
        agreed = _agreed(last[0], data)
        checkpoints = [point for point in last[2] if point[0] <= agreed]
        pieces = last[1][:checkpoints[-1][2]]
    offset, compressor, _ = checkpoints[-1]
    compressor = compressor.copy()  # type: ignore[attr-defined]
    for start in range(offset, len(data), CHECKPOINT):
        pieces.append(compressor.compress(data[start:start + CHECKPOINT]))  # type: ignore[attr-defined]
        end = start + CHECKPOINT
        if end < len(data):
            checkpoints.append((end, compressor.copy(), len(pieces)))  # type: ignore[attr-defined]
    pieces.append(compressor.flush())  # type: ignore[attr-defined]
    PAGES.put(page, (data, pieces, checkpoints))
    return b"".join(pieces)


def _agreed(old: bytes, new: bytes) -> int:
    """How many leading bytes two streams share (halving, each comparison a memcmp)."""
    a, b = memoryview(old), memoryview(new)
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low
