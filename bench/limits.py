"""Where a cold build of Document 4 spends its time, beside Typst's cold compile of the same text.

    python bench/limits.py                  # 7 rounds, the three looks
    python bench/limits.py --rounds 3 --looks clean

Each round runs, in turn: Python starting and ending (`python -c pass`), Python importing what a
build imports (facsimile's modules, reportlab as facsimile neutralises it), the time creating
frozen dataclasses takes among those imports (measured inside that process), a cold
`facsimile build --no-cache --timings` (its wall time and its stages: read, draw, assemble,
write), the rebuild after a one-word edit in a process set up as a watch sets up its own (5
rebuilds a round, with their stages) and Typst's cold compile (bench/peers, in the Python PEERS_PYTHON names, as for bench/run.py). Medians of the rounds.
What is left of the build's wall time after start, imports and stages is ending the process
and the command line's own work. Everything is written into a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

PEERS_PYTHON = Path("/tmp/benchvenv/bin/python")  # as bench/run.py: the Python that has typst
if PEERS_PYTHON.exists():
    os.environ.setdefault("PEERS_PYTHON", str(PEERS_PYTHON))  # bench.peers reads it on import

from bench import peers, synthetic  # noqa: E402

DOC4 = REPO / "source" / "balham-group-document-4"
# What a cold build imports before it typesets, timed in a fresh process; the share spent
# creating dataclasses is measured by wrapping dataclasses' class processing.
IMPORTS = r"""
import time, json
started = time.perf_counter()
import dataclasses
spent = [0.0]
process = dataclasses._process_class
def timed(*args, **kwargs):
    t = time.perf_counter()
    try:
        return process(*args, **kwargs)
    finally:
        spent[0] += time.perf_counter() - t
dataclasses._process_class = timed
import facsimile.launch, facsimile.buildcmd, facsimile.driver, facsimile.build, facsimile.draw
from facsimile.pdf.render import reportlab
reportlab()
import reportlab.pdfgen.canvas, reportlab.pdfbase.ttfonts
print(json.dumps({"imports": time.perf_counter() - started, "dataclasses": spent[0]}))
"""
STAGES = re.compile(r"timings: (.*)")
# A watch's rebuild after a one-word edit, in a process set up as a watch sets up its own: the
# stages of each rebuild (the first few, filling the caches a session keeps, left out).
REBUILDS = r"""
import json, re, shutil, sys, time
from pathlib import Path
from facsimile.build import build_document
from facsimile.buildcmd import long_lived
source, work, look, rounds = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
folder = work / source.name
shutil.copytree(source, folder)
letter = folder / "letter.txt"
text = letter.read_text(encoding="utf-8")
words = sorted(set(re.findall(r"\b[a-z]{6,}\b", text)))
settle = long_lived()
build_document(folder, work / "out", {"look": look})
settle()
found = []
for n in range(rounds + 3):
    letter.write_text(re.sub(r"proletarian political [a-z]+", "proletarian political " + words[n % len(words)], text),
                      encoding="utf-8")
    started = time.perf_counter()
    report = build_document(folder, work / "out", {"look": look})
    seconds = time.perf_counter() - started
    settle()
    if n >= 3:
        found.append({"rebuild": seconds, **dict(report.stages)})
print(json.dumps(found))
"""


def wall(argv: list[str], cwd: Path | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, cwd=cwd, timeout=300)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{argv[:4]} failed: {done.stderr[-400:]}")
    return seconds, done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--looks", default="clean,typescript,cyclostyle")
    args = parser.parse_args(argv)
    looks = args.looks.split(",")
    samples: dict[str, list[float]] = {}

    def add(name: str, seconds: float) -> None:
        samples.setdefault(name, []).append(seconds * 1000)

    with tempfile.TemporaryDirectory(prefix="facsimile-limits-") as tmp:
        work = Path(tmp)
        typst = None
        if peers.available("typst"):
            typst = peers.prepare("typst", synthetic.document_paragraphs(DOC4), REPO / "fonts" / "GNUTypewriter.ttf",
                                  work / "typst")
        for round_no in range(args.rounds):
            add("python starts and ends", wall([sys.executable, "-c", "pass"])[0])
            measured = json.loads(wall([sys.executable, "-c", IMPORTS], cwd=REPO)[1])
            add("imports (facsimile's and reportlab)", measured["imports"])
            add("  of which creating dataclasses", measured["dataclasses"])
            for look in looks:
                seconds, out = wall([sys.executable, "-m", "facsimile", "build", str(DOC4), "--no-cache", "--timings",
                                     "--look", look, "-o", str(work / look)], cwd=work)
                add(f"cold build, {look}", seconds)
                found = STAGES.search(out)
                for stage in (found.group(1).split(", ") if found else []):
                    name, ms, _ = stage.split(" ")
                    samples.setdefault(f"  {look}: {name}", []).append(float(ms))
            for look in looks:
                rebuilt = json.loads(wall([sys.executable, "-c", REBUILDS, str(DOC4), str(work / f"watch-{round_no}-{look}"),
                                           look, "5"], cwd=REPO)[1])
                for name in rebuilt[0]:
                    label = f"under watch, {look}: the rebuild" if name == "rebuild" else f"  {look} rebuild: {name}"
                    samples.setdefault(label, []).extend(1000 * r[name] for r in rebuilt)
            if typst is not None:
                add("typst cold compile", wall(typst, cwd=work / "typst")[0])
    width = max(len(name) for name in samples)
    print(f"median of {args.rounds} rounds, ms (Python {sys.version.split()[0]})")
    for name, values in samples.items():
        print(f"{name:<{width}}  {statistics.median(values):7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
