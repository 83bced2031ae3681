"""What a watch keeps between rebuilds (facsimile/kept.py): nothing until asked, then only in
the process that asked, at most so many values, the least recently used forgotten."""

from __future__ import annotations

import os

from facsimile.kept import Kept


def test_nothing_is_kept_until_this_process_asks():
    kept: Kept[int] = Kept(4)
    made = []
    assert kept.made("a", lambda: made.append(1) or 1) == 1 and kept.made("a", lambda: made.append(2) or 2) == 2
    assert made == [1, 2] and not len(kept)
    kept._owner = os.getpid() + 1  # asked by the process this one was forked from
    kept.put("a", 3)
    assert kept.take("a") is None and not len(kept)


def test_the_least_recently_used_is_forgotten_first():
    kept: Kept[str] = Kept(2)
    kept.keep_here()
    kept.made("a", lambda: "A")
    kept.made("b", lambda: "B")
    assert kept.made("a", lambda: "again") == "A"  # a used again: b is now the oldest
    kept.made("c", lambda: "C")
    assert "a" in kept and "c" in kept and "b" not in kept and len(kept) == 2
