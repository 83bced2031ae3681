"""What the progress bar costs: importing click's bar, and each update drawn on a terminal.

The bar (facsimile/progress.py) uses click's progressbar, imported only once work has lasted
a second; a build tells it one step per share of a part drawn and one per later stage. This
prints the import cost (median of fresh processes), the time of one update drawn on a
pseudo-terminal, and the time a real build of the 500-page document (bench/synthetic.py)
spends in the bar drawn on a pseudo-terminal, against the build's time.

    python bench/progress_cost.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from facsimile.progress import ProgressBar  # noqa: E402
from facsimile.report import Step  # noqa: E402

IMPORT = ("import time, click; t = time.perf_counter(); import click._termui_impl; "
          "print((time.perf_counter() - t) * 1000)")


def import_ms(runs: int = 9) -> float:
    """Milliseconds to import click's progress bar in a fresh process that has click already."""
    return statistics.median(float(subprocess.run([sys.executable, "-c", IMPORT], capture_output=True,
                                                  text=True, check=True).stdout) for _ in range(runs))


def update_us(updates: int = 3000) -> float:
    """Microseconds for one step shown on a pseudo-terminal (the bar redrawn each time)."""
    import threading

    main, child = os.openpty()
    screen = os.fdopen(child, "w")

    def drain() -> None:  # what a terminal does: read what is written
        try:
            while os.read(main, 1 << 16):
                pass
        except OSError:
            pass

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    bar = ProgressBar(1, True, file=screen, delay=0.0)
    bar(Step("doc", "drawing", "part-0", 0, updates, 0))
    started = time.perf_counter()
    for n in range(1, updates + 1):
        bar(Step("doc", "drawing", f"part-{n}", n, updates, n))
    spent = time.perf_counter() - started
    screen.close()
    os.close(main)
    return spent / updates * 1e6


def _terminal() -> tuple[object, int]:
    """A pseudo-terminal's writing end as a text file, and its reading end drained by a thread
    (what a terminal does with what is written to it)."""
    import threading

    main, child = os.openpty()
    screen = os.fdopen(child, "w")

    def drain() -> None:
        try:
            while os.read(main, 1 << 16):
                pass
        except OSError:
            pass

    threading.Thread(target=drain, daemon=True).start()
    return screen, main


def build_cost() -> tuple[int, float, float]:
    """A no-cache build of the 500-page document (bench/synthetic.py) with the bar drawn on a
    pseudo-terminal, as `facsimile build` on a terminal makes it: the steps it told, the
    seconds spent in the bar (import, drawing, wiping) and the build's seconds."""
    import tempfile

    from facsimile.driver import BuildSettings, build_documents

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from synthetic import write_copies  # type: ignore[import-not-found]

    with tempfile.TemporaryDirectory() as scratch:
        folder = write_copies(Path(scratch) / "source" / "big", 125)  # about 4 pages a copy
        screen, main = _terminal()
        bar = ProgressBar(1, True, file=screen)  # type: ignore[arg-type]
        spent = [0.0, 0]

        def told(step: Step) -> None:
            started = time.perf_counter()
            bar(step)
            spent[0] += time.perf_counter() - started
            spent[1] += 1

        started = time.perf_counter()
        for _ in build_documents([folder], BuildSettings(Path(scratch) / "out", use_cache=False), told):
            wiped = time.perf_counter()
            bar.clear()
            bar.done()
            bar.close()
            spent[0] += time.perf_counter() - wiped
        seconds = time.perf_counter() - started
        screen.close()  # type: ignore[attr-defined]
        os.close(main)
        return int(spent[1]), spent[0], seconds


def main() -> None:
    imported = import_ms()
    per_update = update_us()
    print(f"import of click's progress bar: {imported:.2f} ms (median of 9 fresh processes)")
    print(f"one update drawn on a terminal: {per_update:.1f} us")
    steps, in_bar, seconds = build_cost()
    print(f"a 500-page build on a terminal: {steps} steps told, {in_bar * 1000:.1f} ms in the bar "
          f"(its import, drawing and wiping) of {seconds:.1f} s, {100 * in_bar / seconds:.3f} %")


if __name__ == "__main__":
    main()
