"""Handout times against build times: Document 4 and a large document, cold processes, medians.

Each round runs, in fresh processes and with no cache, `facsimile build` and `facsimile
handout` (booklet, both editions) on the same document, and prints the median of each and
the handout's ratio to the build. Writes only into a temporary folder.

    python bench/handouts.py                  # Document 4 and ~500 pages, 3 rounds
    python bench/handouts.py --rounds 5 --pages 0   # Document 4 only
    python bench/handouts.py --python /tmp/old/.venv/bin/python   # another checkout's code
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import DOC4, write_copies  # noqa: E402

PAGES_PER_COPY = 4  # about four foolscap pages for each copy of Document 4's three text parts


def timed(argv: list[str], timeout: float) -> tuple[float, float] | None:
    """Seconds a cold process took, wall and CPU (its own and its workers', user and system:
    the CPU seconds are steadier than the wall on a busy machine), or None if it failed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    try:
        run = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode != 0:
        print(f"  failed: {' '.join(argv[-6:])}: {run.stderr.strip()[-300:]}", file=sys.stderr)
        return None
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def commands(python: str, folder: Path, out: Path, cache_flag: bool) -> dict[str, list[str]]:
    base = [python, "-m", "facsimile.cli"]
    nocache = ["--no-cache"] if cache_flag else []
    return {
        "build": base + ["build", str(folder), "-o", str(out / "b"), "-q", "--no-cache"],
        "booklet (facsimile)": base + ["handout", str(folder), "-o", str(out / "f"), "-q"] + nocache,
        "booklet (reading)": base + ["handout", str(folder), "-o", str(out / "r"), "-q",
                                     "--edition", "reading"] + nocache,
    }


def supports_no_cache(python: str) -> bool:
    run = subprocess.run([python, "-m", "facsimile.cli", "handout", "--help"], capture_output=True, text=True)
    return "--no-cache" in run.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages", type=int, default=500, help="size of the large document (0: none)")
    parser.add_argument("--python", default=sys.executable, help="the Python whose facsimile is timed")
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--document", type=Path, default=DOC4,
                        help="the document to time and to copy for the large one (default: Document 4; "
                        "give another checkout's copy when timing that checkout's code)")
    args = parser.parse_args()
    cache_flag = supports_no_cache(args.python)
    with tempfile.TemporaryDirectory(prefix="facsimile-bench-handouts-") as tmp:
        root = Path(tmp)
        documents = {args.document.name: args.document}
        if args.pages:
            copies = max(1, round(args.pages / PAGES_PER_COPY))
            documents[f"{args.pages} pages"] = write_copies(root / "large", copies, args.document)
        for name, folder in documents.items():
            times: dict[str, list[tuple[float, float]]] = {}
            for round_no in range(args.rounds):
                for what, argv in commands(args.python, folder, root / f"out-{round_no}", cache_flag).items():
                    seconds = timed(argv, args.timeout)
                    if seconds is not None:
                        times.setdefault(what, []).append(seconds)
            load = os.getloadavg()[0]
            print(f"{name} ({args.rounds} rounds, medians of cold processes; load average {load:.1f} "
                  f"on {os.cpu_count()} cores):")
            build = [statistics.median(t[k] for t in times["build"]) for k in (0, 1)] if times.get("build") else None
            for what in commands(args.python, folder, root, cache_flag):
                got = times.get(what)
                if not got:
                    print(f"  {what:22s} failed or timed out")
                    continue
                wall, cpu = (statistics.median(t[k] for t in got) for k in (0, 1))
                ratio = (f"  {wall / build[0]:.2f}x the build's wall, {cpu / build[1]:.2f}x its CPU"
                         if build and what != "build" else "")
                print(f"  {what:22s} wall {wall:7.2f} s  CPU {cpu:7.2f} s{ratio}")


if __name__ == "__main__":
    main()
