"""The benchmark runs (quickly, facsimile only): CI checks that it works, never how fast."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_quick_benchmark_runs_and_prints_its_table(tmp_path):
    table = tmp_path / "bench.md"
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--engines", "facsimile",
                          "--markdown", str(table)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    text = table.read_text(encoding="utf-8")
    assert "cold" in text.lower() and "facsimile" in text.lower()


def test_the_recall_matrix_runs_and_names_its_lowest_recall():
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "recall.py"), "--documents", "branch-minutes",
                          "--looks", "cyclostyle", "--papers", "quarto", "--pitches", "pica",
                          "--kinds", "build,facsimile-booklet"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "| facsimile-booklet | 100.00 % | 100.00 % | 100.00 % |" in run.stdout
    assert "lowest recall: 100.00 % (every case)" in run.stdout


def test_the_breakdown_of_a_cold_build_names_each_part_of_its_time():
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "limits.py"), "--rounds", "1", "--looks", "clean"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    names = [line.rsplit(None, 1)[0].strip() for line in run.stdout.splitlines()[1:]]
    assert names[:4] == ["python starts and ends", "imports (facsimile's and reportlab)",
                         "of which creating dataclasses", "cold build, clean"]
    assert {"clean: read", "clean: draw", "clean: assemble", "clean: write"} <= set(names)
    assert {"under watch, clean: the rebuild", "clean rebuild: draw", "clean rebuild: assemble"} <= set(names)
