"""Tasks to their results on forked worker processes, each result handed back as it is finished.

multiprocessing.Pool's worker-handler thread waits on the pipe that results come back on, so
from the moment a result arrives until the result thread has read it, that thread spins: on
a 500-page document (375 results) it burned 0.5-0.7 s of CPU in the parent, on the cores
the workers were drawing on. concurrent.futures' process pool reads each result in the thread
that waited for it.
"""

from __future__ import annotations

from typing import Callable, Iterator, TypeVar

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
