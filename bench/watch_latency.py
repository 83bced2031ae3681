"""Save-to-PDF latency of `facsimile watch`: from a one-word edit saved to the new PDF in place.

Runs `python -m facsimile watch` on a copy of a document (Document 4 by default) in a
scratch folder, waits for it to say it is watching, then, round after round, saves a
one-word change to a part file (a new word each round, so no cache answers it) and times
how long until out/<document>.pdf is replaced (PDFs are renamed into place whole, so a new
inode means a complete file). Prints each round and the median, with file events and, with
--poll, with polling for comparison.

    python bench/watch_latency.py                 # file events, 15 rounds
    python bench/watch_latency.py --poll --rounds 9
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


def _lines(process: subprocess.Popen[str], out: queue.Queue[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        out.put(line.rstrip("\n"))


def _wait_for(lines: queue.Queue[str], pattern: str, timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
        if re.search(pattern, line):
            return line


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def measure(document: Path, rounds: int, poll: bool) -> tuple[list[float], list[float]]:
    """Latencies (save to PDF in place) and the rebuild times the watcher printed, in ms."""
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch)
        folder = project / "source" / document.name
        shutil.copytree(document, folder)
        pdf = project / "out" / f"{document.name}.pdf"
        command = [sys.executable, "-m", "facsimile", "watch"] + (["--poll"] if poll else [])
        process = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=_lines, args=(process, lines), daemon=True).start()
        latencies: list[float] = []
        rebuilds: list[float] = []
        try:
            _wait_for(lines, r"^watching ")
            part = folder / PART
            text = part.read_text(encoding="utf-8")
            assert WORD in text, f"{PART} has no '{WORD}' to change"
            for n in range(1, rounds + 1):
                time.sleep(0.4)  # idle between saves, as a person typing is
                before = _identity(pdf)
                edited = text.replace(WORD, f"Face the facts {n}.")
                started = time.perf_counter()
                with open(part, "w", encoding="utf-8") as handle:  # a save
                    handle.write(edited)
                while _identity(pdf) == before:
                    time.sleep(0.0005)
                latencies.append((time.perf_counter() - started) * 1000)
                done = _wait_for(lines, rf"^out/{re.escape(document.name)}\.pdf: ")
                rebuilds.append(float(done.rsplit(", ", 1)[1].split()[0]))
                print(f"round {n:2}: save to PDF {latencies[-1]:6.1f} ms (rebuild {rebuilds[-1]:.0f} ms)")
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
    return latencies, rebuilds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--poll", action="store_true", help="measure the polling fallback instead")
    parser.add_argument("--document", type=Path, default=DOCUMENT)
    args = parser.parse_args()
    latencies, rebuilds = measure(args.document, args.rounds, args.poll)
    how = "polling" if args.poll else "file events"
    print(f"{args.document.name}, {how}, {len(latencies)} saves: median save to PDF "
          f"{statistics.median(latencies):.1f} ms (min {min(latencies):.1f}, max {max(latencies):.1f}); "
          f"median rebuild as printed {statistics.median(rebuilds):.0f} ms; median of the rest (events, "
          f"settling, waking, renaming) {statistics.median(a - b for a, b in zip(latencies, rebuilds)):.1f} ms")


if __name__ == "__main__":
    main()
