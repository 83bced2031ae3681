"""Driver steps to a progress bar on a terminal (click's), shown only for work past about a second.

Part of the command line's edge, beside cli.py and buildcmd.py: the driver only calls a function with each
report.Step. Piped, quiet or JSON output gets no bar at all, only the plain lines.
"""

from __future__ import annotations

import sys
import time
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .report import Step

DELAY = 1.0  # seconds of work before a bar appears: shorter work only prints its lines
UNITS = 1000  # the bar's length: the whole run in thousandths
# How far through a document each stage stands, drawing taking the first share.
DRAWN_SHARE = 0.8
STAGE_AT = {"assembling": 0.82, "merging": 0.9, "writing": 0.97, "imposing": 0.9}


def on_terminal(stream: IO[str] | None = None) -> bool:
    """Whether output goes to a person at a terminal (stdout and stderr both a terminal)."""
    streams = [stream] if stream is not None else [sys.stdout, sys.stderr]
    return all(hasattr(s, "isatty") and s.isatty() for s in streams)


class ProgressBar:
    """A bar over a run of one or more documents (or files): the share done, what it is doing
    (document, stage, part, pages) and the time left. Call it with each Step, call done()
    after each document once its lines are printed, clear() before printing a line, and
    close() at the end: the last line on the screen is then the last one printed."""

    def __init__(self, documents: int, enabled: bool, what: str = "building",
                 file: IO[str] | None = None, delay: float | None = None) -> None:
        self.documents = max(1, documents)
        self.enabled = enabled
        self.what = what
        self.file = file or sys.stderr
        self.delay = DELAY if delay is None else delay
        self.started = time.perf_counter()
        self.finished_documents = 0
        self.fraction = 0.0  # of the current document
        self.label = ""
        self.bar: Any = None  # click's ProgressBar, made once the work has lasted DELAY
        self.shown = False  # whether the bar is on the screen now (drawn, not wiped since)
        self.updates = 0

    def __call__(self, step: "Step") -> None:
        if not self.enabled:
            return
        if step.stage == "drawing" and step.total:
            fraction = DRAWN_SHARE * step.done / step.total
        else:
            fraction = STAGE_AT.get(step.stage, self.fraction)
        self.fraction = max(self.fraction, min(fraction, 1.0))
        part = f" {step.part}" if step.part else ""
        pages = f", {step.pages} page{'s' if step.pages != 1 else ''}" if step.pages else ""
        if step.stage == "typesetting" and step.total:  # before the drawing: no share yet, a count
            pages = f", part {step.done} of {step.total}"
        self.label = f"{step.document}: {step.stage}{part}{pages}"
        self._show()

    def done(self) -> None:
        """One document (or file) finished: the bar moves on, below what was printed for it;
        after the last one it is not drawn again (close wipes it: no flash of a full bar)."""
        self.finished_documents += 1
        self.fraction = 0.0
        if self.enabled and self.finished_documents < self.documents:
            self._show()

    def clear(self) -> None:
        """Wipe the bar's line so that a printed line stands alone; the next step redraws it."""
        if self.bar is not None and self.shown:
            self.file.write("\r\033[K")
            self.file.flush()
            self.bar._last_line = None  # redraw it whole next time
            self.shown = False

    def close(self) -> None:
        """Wipe the bar and give the cursor back (click hides it while the bar is drawn)."""
        if self.bar is not None:
            self.file.write(("\r\033[K" if self.shown else "") + "\033[?25h")
            self.file.flush()
        self.bar, self.shown = None, False

    def _show(self) -> None:
        now = time.perf_counter()
        if self.bar is None:
            if now - self.started < self.delay:
                return
            import click  # only once a bar is due: a quick build never imports it

            self.bar = click.progressbar(length=UNITS, label=self.what, file=self.file, show_eta=True,
                                         show_percent=True, item_show_func=lambda item: item, width=24)
            self.bar.start = time.time() - (now - self.started)  # the time left counts from the start
        target = int(UNITS * (self.finished_documents + self.fraction) / self.documents)
        self.bar.current_item = self.label
        if target > 0:  # the time left from the share done so far, not click's average of its last
            # seven estimates, which keeps a long first stage's at 0 % (a handout's typesetting)
            self.bar.avg, self.bar.eta_known = [(now - self.started) / target], True
        forward = min(target, UNITS) - self.bar.pos
        if forward > 0:
            self.bar.update(forward)  # moves and draws
        else:
            self.bar.render_progress()  # the same share, doing something else
        self.shown = True
        self.updates += 1
