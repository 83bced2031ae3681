"""Save-to-PDF latency of `facsimile watch`: from a one-word edit saved to the new PDF in place.

Runs `python -m facsimile watch` on a copy of a document (Document 4 by default) in a
scratch folder, waits for it to say it is watching, then, round after round, saves a
one-word change to a part file (a new word each round, so no cache answers it) and times
how long until out/<document>.pdf is replaced (PDFs are renamed into place whole, so a new
inode means a complete file). Prints each round and the median, with file events and, with
--poll, with polling for comparison.

    python bench/watch_latency.py                 # file events, 15 rounds
    python bench/watch_latency.py --poll --rounds 9
    python bench/watch_latency.py --stages          # where the time goes, step by step
    python bench/watch_latency.py --events watchfiles   # the other systems' source of events
    python bench/watch_latency.py --against /other/checkout/.venv/bin/python   # save for save
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

try:
    import inotify_simple  # the out folder waited on, not polled (Linux)
except ImportError:
    inotify_simple = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "source" / "balham-group-document-4"
PART = "letter.txt"
WORD = "Face the facts."


def _lines(process: subprocess.Popen[str], out: queue.Queue[str], traces: list[tuple[str, float]]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("TRACE "):
            _, name, at = line.split()
            traces.append((name, float(at)))
        else:
            out.put(line.rstrip("\n"))


def _wait_for(lines: queue.Queue[str], pattern: str, timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
        if re.search(pattern, line):
            return line


def _schedstat(pid: int) -> tuple[float, float]:
    """Milliseconds a process's threads have run on a core, and waited for one (runnable but
    not running: the load of the others), from Linux's schedstat; zeros where there is none."""
    ran = waited = 0
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                fields = (task / "schedstat").read_text().split()
            except OSError:
                continue
            ran, waited = ran + int(fields[0]), waited + int(fields[1])
    except OSError:
        pass
    return ran / 1e6, waited / 1e6


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns


STAGES = ("events", "rebuild-begin", "hash-end", "build-begin", "pdf-in-place", "rebuild-end")


class Session:
    """`facsimile watch` on a copy of a document in a scratch folder, run by a Python (this one,
    or another checkout's, to compare), saved round after round."""

    def __init__(self, document: Path, scratch: Path, poll: bool = False, stages: bool = False,
                 events: str = "auto", python: str = sys.executable) -> None:
        self.document, self.stages = document, stages
        folder = scratch / "source" / document.name
        shutil.copytree(document, folder)
        self.pdf = scratch / "out" / f"{document.name}.pdf"
        traced = stages or events != "auto"
        launcher = [str(Path(__file__).with_name("watch_trace.py"))] if traced else ["-m", "facsimile"]
        command = [python, *launcher, "watch"] + (["--poll"] if poll else [])
        self.process = subprocess.Popen(command, cwd=scratch, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, env={**os.environ, "PYTHONUNBUFFERED": "1",
                                                        **({"WATCH_TRACE_EVENTS": events} if events != "auto" else {})})
        self.lines: queue.Queue[str] = queue.Queue()
        self.traces: list[tuple[str, float]] = []
        threading.Thread(target=_lines, args=(self.process, self.lines, self.traces), daemon=True).start()
        self.latencies: list[float] = []
        self.rebuilds: list[float] = []
        self.steps: list[dict[str, float]] = []
        self.self_time: list[tuple[float, float]] = []  # the watcher's ms on a core, and waiting for one
        _wait_for(self.lines, r"^watching ")
        self.out = inotify_simple.INotify() if inotify_simple is not None else None
        if self.out is not None:
            self.out.add_watch(self.pdf.parent, inotify_simple.flags.MOVED_TO | inotify_simple.flags.CREATE)
        self.part = folder / PART
        self.text = self.part.read_text(encoding="utf-8")
        assert WORD in self.text, f"{PART} has no '{WORD}' to change"

    def save(self, n: int) -> str:
        """Save the n-th one-word change and wait for its PDF; the round as a line."""
        before = _identity(self.pdf)
        edited = self.text.replace(WORD, f"Face the facts {n}.")
        seen = len(self.traces)
        ran, waited = _schedstat(self.process.pid)
        saved = time.time()
        started = time.perf_counter()
        with open(self.part, "w", encoding="utf-8") as handle:  # a save
            handle.write(edited)
        while _identity(self.pdf) == before:  # asleep until the out folder changes (no CPU taken
            self._arrivals()  # from the watcher, as polling every 0.5 ms did), then look
        self.latencies.append((time.perf_counter() - started) * 1000)
        ran_after, waited_after = _schedstat(self.process.pid)
        self.self_time.append((ran_after - ran, waited_after - waited))
        done = _wait_for(self.lines, rf"^out/{re.escape(self.document.name)}\.pdf: ")
        self.rebuilds.append(float(done.rsplit(", ", 1)[1].split()[0]))
        shown = ""
        if self.stages:
            time.sleep(0.05)  # the last trace lines
            round_steps: dict[str, float] = {}
            for name, at in self.traces[seen:]:
                round_steps.setdefault(name, (at - saved) * 1000)
            self.steps.append(round_steps)
            shown = "; " + ", ".join(f"{name} {round_steps[name]:.1f}" for name in STAGES if name in round_steps)
        return (f"save to PDF {self.latencies[-1]:6.1f} ms (rebuild {self.rebuilds[-1]:.0f} ms; on a core "
                f"{self.self_time[-1][0]:.1f}, waiting for one {self.self_time[-1][1]:.1f}){shown}")

    def _arrivals(self) -> None:
        """Wait for a file to arrive in the out folder (inotify), or 0.5 ms where there is none."""
        if self.out is not None:
            self.out.read(timeout=50)
        else:
            time.sleep(0.0005)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        if self.out is not None:
            self.out.close()

    def summary(self, how: str) -> list[str]:
        out = [f"{self.document.name}, {how}, {len(self.latencies)} saves: median save to PDF "
               f"{statistics.median(self.latencies):.1f} ms (min {min(self.latencies):.1f}, max "
               f"{max(self.latencies):.1f}); median rebuild as printed {statistics.median(self.rebuilds):.0f} ms; "
               f"median of the rest (events, settling, waking, renaming) "
               f"{statistics.median(a - b for a, b in zip(self.latencies, self.rebuilds)):.1f} ms"]
        if any(ran for ran, _ in self.self_time):
            out.append(f"  the watcher from save to PDF, medians: {statistics.median(r for r, _ in self.self_time):.1f} "
                       f"ms on a core, {statistics.median(w for _, w in self.self_time):.1f} ms runnable but "
                       "waiting for a core (the other processes' load)")
        if self.steps:
            out.append("  median ms from the save to: " + ", ".join(
                f"{name} {statistics.median(s[name] for s in self.steps if name in s):.1f}" for name in STAGES
                if any(name in s for s in self.steps)))
        return out


def measure(document: Path, rounds: int, poll: bool, stages: bool = False, events: str = "auto",
            against: str | None = None) -> list[list[str]]:
    """Save rounds times and time each to its PDF; with against (another checkout's Python),
    a second watcher is saved in the same rounds, the two in turn (which goes first
    alternating), so that both meet the same load. The summaries, this Python's first."""
    with tempfile.TemporaryDirectory() as scratch:
        sessions: list[Session] = []
        try:
            for n, python in enumerate([sys.executable] + ([against] if against else [])):
                (Path(scratch) / str(n)).mkdir()
                sessions.append(Session(document, Path(scratch) / str(n), poll, stages, events, python))
            for n in range(1, rounds + 1):
                for k, session in enumerate(sessions if n % 2 else sessions[::-1]):
                    time.sleep(0.4)  # idle between saves, as a person typing is
                    label = "" if len(sessions) == 1 else (" (this)" if session is sessions[0] else " (against)")
                    print(f"round {n:2}{label}: {session.save(n)}")
        finally:
            for session in sessions:
                session.stop()
        how = "polling" if poll else f"file events ({events})"
        return [session.summary(how + ("" if len(sessions) == 1 else (", this checkout" if k == 0 else
                                                                       f", {against}")))
                for k, session in enumerate(sessions)]


def _load() -> str:
    """The load average and this machine's busy share of its cores over a second."""
    def busy() -> tuple[int, int]:
        with open("/proc/stat", encoding="ascii") as handle:
            fields = [int(v) for v in handle.readline().split()[1:]]
        return fields[3] + fields[4], sum(fields)

    try:
        idle0, total0 = busy()
        time.sleep(1)
        idle1, total1 = busy()
        share = 100 * (1 - (idle1 - idle0) / max(1, total1 - total0))
        return f"load average {os.getloadavg()[0]:.2f}, cores {share:.0f}% busy"
    except OSError:
        return "load unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--poll", action="store_true", help="measure the polling fallback instead")
    parser.add_argument("--document", type=Path, default=DOCUMENT)
    parser.add_argument("--stages", action="store_true",
                        help="time each step after a save (file events handed over, inputs hashed, "
                             "PDF in place) through bench/watch_trace.py")
    parser.add_argument("--events", choices=("auto", "inotify", "watchfiles"), default="auto",
                        help="the source of file events (auto: inotify on Linux); to compare them")
    parser.add_argument("--against", metavar="PYTHON",
                        help="also time another checkout's watcher (its venv's python), save for save")
    args = parser.parse_args()
    print(f"before: {_load()}")
    cpu = os.times()
    summaries = measure(args.document, args.rounds, args.poll, args.stages, args.events, args.against)
    spent = os.times()
    print(f"after: {_load()}")
    print(f"the watchers' CPU (user + system, start-up included): "
          f"{(spent.children_user + spent.children_system - cpu.children_user - cpu.children_system) * 1000:.0f} ms")
    for lines in summaries:
        print("\n".join(lines))


if __name__ == "__main__":
    main()
