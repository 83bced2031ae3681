"""How `facsimile proof`'s time and peak memory grow with the size of the text: linearly.

    python bench/proof_sizes.py                  # 1, 2 and 4 MiB of text, and one 1.9 MB line
    python bench/proof_sizes.py --mib 1 --repeat 1 --no-line
    python bench/proof_sizes.py --code OTHER_CHECKOUT   # the same, with another facsimile

The texts are Document 4's transcription (tests/corpus/seed, or the --seed given) repeated to
each size, and that text joined into one line of 1,900,000 characters (under the line limit).
Each is proofed in a fresh child process (proof_path, as `facsimile proof FILE` does); the
table gives the median seconds, the seconds per MiB, the child's peak resident memory (MB),
the findings kept and the count of the rest. With linear growth the seconds per MiB stay flat.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "tests/corpus/seed/balham-group-document-4.txt"
MiB = 1024 * 1024
LINE = 1_900_000

CHILD = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from facsimile.proof.report import proof_path
start = time.perf_counter()
found = proof_path(Path(sys.argv[2]))
seconds = time.perf_counter() - start
more = sum(getattr(f, "count", 0) for f in found)
print(json.dumps({"seconds": seconds, "kept": len(found), "more": more,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def texts(seed: Path, sizes: list[float], folder: Path, line: bool) -> list[tuple[str, Path, float]]:
    """(label, path, MiB) for each size of repeated text, and for the one long line."""
    text = seed.read_text(encoding="utf-8")
    made = []
    for mib in sizes:
        data = text.encode("utf-8") * (int(mib * MiB) // len(text.encode("utf-8")) + 1)
        path = folder / f"text-{mib:g}.txt"
        body = data[:int(mib * MiB)].decode("utf-8", errors="ignore")
        path.write_text(body[:body.rfind("\n") + 1], encoding="utf-8")
        made.append((f"{mib:g} MiB", path, path.stat().st_size / MiB))
    if line:
        one = (text.replace("\n", " ") * (LINE // len(text) + 1))[:LINE]
        path = folder / "one-line.txt"
        path.write_text(one + "\n", encoding="utf-8")
        made.append(("one line", path, path.stat().st_size / MiB))
    return made


def run(code: Path, path: Path) -> dict[str, float]:
    """One proof of path in a fresh child process."""
    out = subprocess.run([sys.executable, "-c", CHILD, str(code), str(path)], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mib", type=float, nargs="+", default=[1, 2, 4])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each size (median)")
    parser.add_argument("--seed", type=Path, default=SEED)
    parser.add_argument("--no-line", action="store_true", help="leave out the one long line")
    parser.add_argument("--code", type=Path, default=REPO, help="the checkout whose facsimile runs")
    args = parser.parse_args()
    print(f"proof of texts of each size, median of {args.repeat}, code from {args.code}")
    print(f"{'text':>10} {'MiB':>6} {'seconds':>8} {'s/MiB':>6} {'peak MB':>8} {'shown':>6} {'more':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for label, path, mib in texts(args.seed, args.mib, Path(tmp), not args.no_line):
            runs = [run(args.code, path) for _ in range(args.repeat)]
            seconds = statistics.median(r["seconds"] for r in runs)
            rss = max(r["rss_mb"] for r in runs)
            print(f"{label:>10} {mib:6.2f} {seconds:8.2f} {seconds / mib:6.2f} {rss:8.0f} "
                  f"{runs[0]['kept']:6d} {runs[0]['more']:7d}", flush=True)


if __name__ == "__main__":
    main()
