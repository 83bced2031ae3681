"""Every word of Document 4 back from pdftotext, pypdf and pdfium, in every look, over many seeds.

Builds the bundled pamphlet once per look, guide and seed into a temporary folder and compares
each extractor's words with the words the typist typed (pypdf, which reads no ActualText) or
the transcription's (poppler and pdfium, which do). Prints, per look and guide, how many
builds gave back every word in order from each extractor, and the first difference of any
that did not. Exit code 1 if any did not.

    python bench/extraction.py                 # 40 seeds, every look, both guides
    python bench/extraction.py --seeds 5 --looks cyclostyle --guides gothic
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from facsimile.build import build_document  # noqa: E402
from tests.helpers import (grid_words, have, pdfium_words, pdftotext_words, pypdf_words,  # noqa: E402
                           transcribed_words, typeset_document)

PAMPHLET = ROOT / "source" / "balham-group-document-4"


def first_difference(got: list[str], expected: list[str]) -> str:
    for i, (a, b) in enumerate(zip(got, expected)):
        if a != b:
            return f"word {i}: {a!r} for {b!r}"
    return f"{len(got)} words for {len(expected)}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=40)
    parser.add_argument("--looks", default="cyclostyle,typescript,clean")
    parser.add_argument("--guides", default="gothic,roman")
    args = parser.parse_args()
    doc, parts = typeset_document(PAMPHLET)
    typed, transcribed = grid_words(parts), transcribed_words(doc, parts)
    extractors = [("pypdf", pypdf_words, typed), ("pdfium", pdfium_words, transcribed)]
    if have("pdftotext"):
        extractors.append(("pdftotext", pdftotext_words, transcribed))
    failed = False
    work = Path(tempfile.mkdtemp(prefix="facsimile-extraction-"))
    try:
        for look in args.looks.split(","):
            for guide in args.guides.split(","):
                whole = {name: 0 for name, _, _ in extractors}
                notes: list[str] = []
                for seed in range(1, args.seeds + 1):
                    pdf = build_document(PAMPHLET, work / f"{look}-{guide}-{seed}",
                                         {"look": look, "guide": guide}, seed).path
                    for name, extract, expected in extractors:
                        got = extract(pdf)
                        if got == expected:
                            whole[name] += 1
                        else:
                            failed = True
                            notes.append(f"  seed {seed}, {name}: {first_difference(got, expected)}")
                    shutil.rmtree(pdf.parent)
                counts = ", ".join(f"{name} {n}/{args.seeds}" for name, n in whole.items())
                print(f"{look:10} {guide:6} every word in order: {counts}", flush=True)
                for note in notes[:10]:
                    print(note)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
