"""Words back in order from every corpus document, in every look, paper, pitch and handout.

Builds each document of tests/corpus (or those named) in every look (clean, cyclostyle,
typescript), on foolscap, quarto and A4, in pica and elite, and as every handout (facsimile
and reading editions, single sheets and booklets), in a temporary folder; reads each PDF
back with pypdf, pdftotext and pdfium (a handout page by page, each alone where it lies on its
sheet, as held; and with pdftotext reading each page's box of its side, reported apart); and
measures recall: the share of the words on the typed pages that come back in
order (a longest common subsequence; curly quotes and dashes compared as the keys struck).
Prints each case below 100 %, the lowest recall by extractor and kind, and the lowest of all
with its case. Exit code 1 if any case of the three extractors is below 100 %.

    python bench/recall.py                           # everything: about 600 PDFs
    python bench/recall.py --documents branch-minutes --looks clean --papers a4 --pitches elite
    python bench/recall.py --kinds build,facsimile-single
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from facsimile.build import build_document  # noqa: E402
from facsimile.handout.build import build_handout  # noqa: E402
from facsimile.handout.options import HandoutOptions  # noqa: E402
from tests.helpers import pdfium_words, pdftotext_words, pypdf_words, typeset_document  # noqa: E402
from tests.reading import EXTRACTORS, as_typed, handout_words, read_words, recall  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"
LOOKS = ("clean", "cyclostyle", "typescript")
PAPERS = ("foolscap", "quarto", "a4")
PITCHES = ("pica", "elite")
AREA = "pdftotext-area"  # a handout page read as a box of its side (-x -y -W -H): reported apart
KINDS = ("build", "facsimile-single", "facsimile-booklet", "reading-single", "reading-booklet")
SET_BY_US = re.compile(r"^(paper|pitch|look)\s*=.*$", re.MULTILINE)


def corpus_documents() -> list[str]:
    return sorted(p.parent.name for p in CORPUS.glob("*/document.toml"))


def variant(folder: Path, work: Path, look: str, paper: str, pitch: str) -> Path:
    """A copy of the document folder whose manifest sets the look, paper and pitch, as a user
    would set them for a handout (which takes them from the manifest)."""
    copy = work / "source" / folder.name
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(folder, copy)
    manifest = copy / "document.toml"
    text = SET_BY_US.sub("", manifest.read_text(encoding="utf-8"))
    manifest.write_text(f'look = "{look}"\npaper = "{paper}"\npitch = "{pitch}"\n' + text, encoding="utf-8")
    return copy


def measure(folder: Path, work: Path, look: str, paper: str, pitch: str, kinds: list[str]
            ) -> dict[tuple[str, str], float]:
    """Recall by (kind, extractor) for one document in one look, paper and pitch."""
    copy = variant(folder, work, look, paper, pitch)
    _, parts = typeset_document(copy)
    out = work / "out"
    got: dict[tuple[str, str], float] = {}
    for kind in kinds:
        if kind == "build":
            pdf = build_document(copy, out, use_cache=False).path
            want = as_typed(read_words(parts))
            read = {"pypdf": pypdf_words(pdf), "pdftotext": pdftotext_words(pdf), "pdfium": pdfium_words(pdf)}
        else:
            edition, layout = kind.split("-")
            pdf = build_handout(copy, out, HandoutOptions(layout=layout, edition=edition), use_cache=False).path
            want = as_typed(read_words(parts, chrome=False))
            read = handout_words(pdf, work, area=True)
        for extractor in (EXTRACTORS if kind == "build" else EXTRACTORS + (AREA,)):
            got[(kind, extractor)] = recall(want, as_typed(read[extractor]))
    return got


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", default=",".join(corpus_documents()))
    parser.add_argument("--looks", default=",".join(LOOKS))
    parser.add_argument("--papers", default=",".join(PAPERS))
    parser.add_argument("--pitches", default=",".join(PITCHES))
    parser.add_argument("--kinds", default=",".join(KINDS))
    args = parser.parse_args()
    kinds = args.kinds.split(",")
    lowest: dict[tuple[str, str], tuple[float, str]] = {}
    cases = pdfs = 0
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="facsimile-recall-"))
    try:
        for name in args.documents.split(","):
            for look in args.looks.split(","):
                for paper in args.papers.split(","):
                    for pitch in args.pitches.split(","):
                        case = f"{name} {look} {paper} {pitch}"
                        pdfs += len(kinds)
                        for key, value in measure(CORPUS / name, work, look, paper, pitch, kinds).items():
                            cases += 1
                            if value < 1.0:
                                print(f"{case} {key[0]} {key[1]}: {100 * value:.2f} %", flush=True)
                            if key not in lowest or value < lowest[key][0]:
                                lowest[key] = (value, case)
                        print(f"# {case}: done ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{cases} readings of {pdfs} PDFs in {time.perf_counter() - started:.0f} s")
    print(f"| kind | {' | '.join(EXTRACTORS)} | {AREA} |\n|---|{'---:|' * (len(EXTRACTORS) + 1)}")
    for kind in kinds:
        print(f"| {kind} | " + " | ".join(f"{100 * lowest[(kind, e)][0]:.2f} %" if (kind, e) in lowest else "" for e in
                                       EXTRACTORS + (AREA,)) + " |")
    area = [key for key in lowest if key[1] == AREA]
    if area:
        worst = min(area, key=lambda k: lowest[k][0])
        where = f"{lowest[worst][1]}, {worst[0]}" if lowest[worst][0] < 1.0 else "every case"
        print(f"\nlowest recall, {AREA}: {100 * lowest[worst][0]:.2f} % ({where})")
    lowest = {key: value for key, value in lowest.items() if key[1] != AREA}
    worst = min(lowest, key=lambda k: lowest[k][0])
    value, case = lowest[worst]
    where = f"{case}, {worst[0]}, {worst[1]}" if value < 1.0 else "every case"
    print(f"\nlowest recall: {100 * value:.2f} % ({where})")
    return 0 if value >= 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
