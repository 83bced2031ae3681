"""Tasks to their results on forked worker processes: a pool for a long document, each result
handed back as it is finished; one forked child beside this process for a short one.

multiprocessing.Pool's worker-handler thread waits on the pipe that results come back on, so
from the moment a result arrives until the result thread has read it, that thread spins: on
a 500-page document (375 results) it burned 0.5-0.7 s of CPU in the parent, on the cores
the workers were drawing on. concurrent.futures' process pool reads each result in the thread
that waited for it.
"""

from __future__ import annotations

import os
import time
from typing import Callable, Iterator, TypeVar

CHILD_PATIENCE = 30.0  # seconds a forked child may take beyond ten times this process's own share

T = TypeVar("T")
R = TypeVar("R")


def unordered(work: Callable[[T], R], items: list[T], processes: int) -> Iterator[R]:
    """work(item) for every item, on processes forked from this one (they see this process's
    memory as it is now), yielded in the order they finish. If the caller stops early or an
    exception (an interrupt) comes, the workers are ended at once, not waited for."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    pool = ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("fork"))
    finished = False
    try:
        futures = [pool.submit(work, item) for item in items]
        for future in as_completed(futures):
            yield future.result()
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:
            workers = list(getattr(pool, "_processes", {}).values())  # the executor keeps no public list
            pool.shutdown(wait=False, cancel_futures=True)
            for worker in workers:
                if worker.is_alive():
                    worker.terminate()
            for worker in workers:
                worker.join()


def in_two(work: Callable[[T], R], items: list[T], costs: list[int]) -> list[R]:
    """work(item) for every item, in the items' order: about half the cost in one child forked
    from this process (it sees this process's memory as it is now), the rest here at the same
    time; the child's results come back pickled through a pipe. For a short document, whose
    parts a pool would take longer to start than to draw: a bare fork costs a millisecond or
    two. Whatever goes wrong with the child (no fork, a crash, a result that does not
    unpickle), its items are worked here after all: the same results, only later."""
    import pickle

    sides: tuple[list[int], list[int]] = ([], [])
    loads = [0, 0]
    for i in sorted(range(len(items)), key=lambda i: -costs[i]):  # the costliest first, each to the lighter side
        side = 0 if loads[0] <= loads[1] else 1
        sides[side].append(i)
        loads[side] += costs[i]
    here, there = sides
    results: dict[int, R] = {}
    child = reading = -1
    try:
        child, reading = _fork_child(lambda: pickle.dumps([work(items[i]) for i in there], pickle.HIGHEST_PROTOCOL))
        started = time.monotonic()
        for i in here:
            results[i] = work(items[i])
        if child > 0:
            # a child stuck (a lock a native thread held at the fork) is given up, not waited for
            data = _read_until(reading, time.monotonic() + CHILD_PATIENCE + 10 * (time.monotonic() - started))
            if data is not None:
                _, status = os.waitpid(child, 0)
                child = -1
                if os.waitstatus_to_exitcode(status) == 0:
                    try:
                        results.update(zip(there, pickle.loads(data)))
                    except Exception:  # noqa: BLE001 - worked here instead, below
                        pass
    finally:
        if reading >= 0:
            os.close(reading)
        if child > 0:  # given up on, or leaving on an exception (an interrupt): the child is ended
            import signal

            try:
                os.kill(child, signal.SIGKILL)
                os.waitpid(child, 0)
            except OSError:
                pass
    for i in there:
        if i not in results:
            results[i] = work(items[i])
    return [results[i] for i in range(len(items))]


def _read_until(fd: int, deadline: float) -> bytes | None:
    """Everything a pipe gives until its end, or None if it has not ended by the deadline."""
    import select

    chunks = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _fork_child(make: Callable[[], bytes]) -> tuple[int, int]:
    """Fork a child that writes make()'s bytes to a pipe and ends without any clean-up (no
    exit handlers, no flush of buffers it shares with this process): (its pid, the pipe's
    reading end), or (-1, -1) when no child could be forked."""
    try:
        reading, writing = os.pipe()
    except OSError:
        return -1, -1
    try:
        child = os.fork()
    except OSError:
        os.close(reading)
        os.close(writing)
        return -1, -1
    if child == 0:
        code = 1
        try:
            os.close(reading)
            data = memoryview(make())
            while data:
                data = data[os.write(writing, data):]
            code = 0
        except BaseException:  # noqa: BLE001 - an interrupt, or what the parent meets again itself
            pass
        finally:
            os._exit(code)
    os.close(writing)
    return child, reading
