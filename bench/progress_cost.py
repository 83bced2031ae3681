"""What the progress bar costs: importing click's bar, and each update drawn on a terminal.

The bar (facsimile/progress.py) uses click's progressbar, imported only once work has lasted
a second; a build tells it one step per share of a part drawn and one per later stage. This
prints the import cost (median of fresh processes), the time of one update drawn on a
pseudo-terminal, and the updates a build of the 500-page document (bench/synthetic.py)
makes, to give the cost of the display over a long build.

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


def build_updates() -> int:
    """Steps a no-cache build of the 500-page document tells (one per share drawn, two after)."""
    import tempfile

    from facsimile.driver import BuildSettings, build_documents

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from synthetic import write_copies  # type: ignore[import-not-found]

    with tempfile.TemporaryDirectory() as scratch:
        folder = write_copies(Path(scratch) / "source" / "big", 125)  # about 4 pages a copy
        steps: list[Step] = []
        list(build_documents([folder], BuildSettings(Path(scratch) / "out", use_cache=False), steps.append))
        return len(steps)


def main() -> None:
    imported = import_ms()
    per_update = update_us()
    print(f"import of click's progress bar: {imported:.2f} ms (median of 9 fresh processes)")
    print(f"one update drawn on a terminal: {per_update:.1f} us")
    steps = build_updates()
    print(f"a 500-page build tells {steps} steps: {steps * per_update / 1000:.1f} ms of drawing the bar, "
          f"plus {imported:.1f} ms to import it")


if __name__ == "__main__":
    main()
