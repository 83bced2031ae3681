"""Work shared with one forked child (workers.in_two): the same results in the same order as
one process gives, whatever happens to the child."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from facsimile.workers import in_two
from tests.conftest import PAMPHLET

PARENT = os.getpid()


def where(item: int) -> tuple[int, int]:
    return item * item, os.getpid()


def test_the_work_is_shared_and_comes_back_in_order():
    results = in_two(where, [1, 2, 3, 4], [10, 10, 10, 10])
    assert [value for value, _ in results] == [1, 4, 9, 16]
    pids = {pid for _, pid in results}
    assert PARENT in pids and len(pids) == 2  # half of it was worked in a child


def dies_in_the_child(item: int) -> int:
    if os.getpid() != PARENT:
        os._exit(3)
    return item + 1


def unpicklable_in_the_child(item: int) -> object:
    return (lambda: item) if os.getpid() != PARENT else item


def raises_in_the_child(item: int) -> int:
    if os.getpid() != PARENT:
        raise KeyboardInterrupt
    return -item


@pytest.mark.parametrize("work, expected", [
    (dies_in_the_child, [2, 3, 4]),
    (unpicklable_in_the_child, [1, 2, 3]),
    (raises_in_the_child, [-1, -2, -3]),
])
def test_what_the_child_could_not_hand_back_is_worked_here(work, expected):
    assert in_two(work, [1, 2, 3], [5, 5, 5]) == expected
    with pytest.raises(ChildProcessError):  # and the child was waited for: none is left
        os.waitpid(-1, os.WNOHANG)


def fails_here(item: int) -> int:
    if os.getpid() == PARENT:
        raise ValueError("a problem in this process")
    return item


def test_a_failure_here_ends_the_child_and_is_raised():
    with pytest.raises(ValueError, match="a problem in this process"):
        in_two(fails_here, [1, 2], [1, 1])
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_a_short_document_drawn_in_two_processes_is_the_one_drawn_in_one(tmp_path: Path):
    def build(*options: str) -> bytes:
        out = tmp_path / "-".join(options or ("default",))
        done = subprocess.run([sys.executable, "-m", "facsimile", "build", str(PAMPHLET), "--no-cache", "-q",
                               "-o", str(out), *options], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return (out / f"{PAMPHLET.name}.pdf").read_bytes()

    assert build() == build("--jobs", "1")


def hangs_in_the_child(item: int) -> int:
    if os.getpid() != PARENT:
        import time

        time.sleep(60)
    return item * 10


def test_a_child_that_does_not_finish_is_given_up_and_its_work_done_here(monkeypatch):
    from facsimile import workers

    monkeypatch.setattr(workers, "CHILD_PATIENCE", 0.5)
    assert in_two(hangs_in_the_child, [1, 2], [1, 1]) == [10, 20]
    with pytest.raises(ChildProcessError):  # and it was ended and waited for
        os.waitpid(-1, os.WNOHANG)
