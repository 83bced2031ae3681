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


def measure(document: Path, rounds: int, poll: bool, stages: bool = False, events: str = "auto"
            ) -> tuple[list[float], list[float], list[dict[str, float]]]:
    """Latencies (save to PDF in place) and the rebuild times the watcher printed, in ms; with
    stages, for each round the time from the save to each traced step (bench/watch_trace.py)."""
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch)
        folder = project / "source" / document.name
        shutil.copytree(document, folder)
        pdf = project / "out" / f"{document.name}.pdf"
        traced = stages or events != "auto"
        launcher = [str(Path(__file__).with_name("watch_trace.py"))] if traced else ["-m", "facsimile"]
        command = [sys.executable, *launcher, "watch"] + (["--poll"] if poll else [])
        process = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, env={**os.environ, "PYTHONUNBUFFERED": "1",
                                                   **({"WATCH_TRACE_EVENTS": events} if events != "auto" else {})})
        lines: queue.Queue[str] = queue.Queue()
        traces: list[tuple[str, float]] = []
        threading.Thread(target=_lines, args=(process, lines, traces), daemon=True).start()
        latencies: list[float] = []
        rebuilds: list[float] = []
        steps: list[dict[str, float]] = []
        self_time: list[tuple[float, float]] = []  # the watcher's ms on a core, and waiting for one
        try:
            _wait_for(lines, r"^watching ")
            part = folder / PART
            text = part.read_text(encoding="utf-8")
            assert WORD in text, f"{PART} has no '{WORD}' to change"
            for n in range(1, rounds + 1):
                time.sleep(0.4)  # idle between saves, as a person typing is
                before = _identity(pdf)
                edited = text.replace(WORD, f"Face the facts {n}.")
                seen = len(traces)
                ran, waited = _schedstat(process.pid)
                saved = time.time()
                started = time.perf_counter()
                with open(part, "w", encoding="utf-8") as handle:  # a save
                    handle.write(edited)
                while _identity(pdf) == before:
                    time.sleep(0.0005)
                latencies.append((time.perf_counter() - started) * 1000)
                ran_after, waited_after = _schedstat(process.pid)
                self_time.append((ran_after - ran, waited_after - waited))
                done = _wait_for(lines, rf"^out/{re.escape(document.name)}\.pdf: ")
                rebuilds.append(float(done.rsplit(", ", 1)[1].split()[0]))
                shown = ""
                if stages:
                    time.sleep(0.05)  # the last trace lines
                    round_steps: dict[str, float] = {}
                    for name, at in traces[seen:]:
                        round_steps.setdefault(name, (at - saved) * 1000)
                    steps.append(round_steps)
                    shown = "; " + ", ".join(f"{name} {round_steps[name]:.1f}" for name in STAGES
                                             if name in round_steps)
                print(f"round {n:2}: save to PDF {latencies[-1]:6.1f} ms (rebuild {rebuilds[-1]:.0f} ms; "
                      f"on a core {self_time[-1][0]:.1f}, waiting for one {self_time[-1][1]:.1f}){shown}")
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
    global SELF_TIME
    SELF_TIME = self_time
    return latencies, rebuilds, steps


SELF_TIME: list[tuple[float, float]] = []


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
    args = parser.parse_args()
    print(f"before: {_load()}")
    cpu = os.times()
    latencies, rebuilds, steps = measure(args.document, args.rounds, args.poll, args.stages, args.events)
    spent = os.times()
    print(f"after: {_load()}")
    print(f"the watcher's CPU (user + system, start-up included): "
          f"{(spent.children_user + spent.children_system - cpu.children_user - cpu.children_system) * 1000:.0f} ms")
    how = "polling" if args.poll else f"file events ({args.events})"
    print(f"{args.document.name}, {how}, {len(latencies)} saves: median save to PDF "
          f"{statistics.median(latencies):.1f} ms (min {min(latencies):.1f}, max {max(latencies):.1f}); "
          f"median rebuild as printed {statistics.median(rebuilds):.0f} ms; median of the rest (events, "
          f"settling, waking, renaming) {statistics.median(a - b for a, b in zip(latencies, rebuilds)):.1f} ms")
    if SELF_TIME and any(ran for ran, _ in SELF_TIME):
        print(f"the watcher from save to PDF, medians: {statistics.median(r for r, _ in SELF_TIME):.1f} ms on a "
              f"core, {statistics.median(w for _, w in SELF_TIME):.1f} ms runnable but waiting for a core "
              "(the other processes' load)")
    if steps:
        print("median ms from the save to: " + ", ".join(
            f"{name} {statistics.median(s[name] for s in steps if name in s):.1f}" for name in STAGES
            if any(name in s for s in steps)))


if __name__ == "__main__":
    main()
