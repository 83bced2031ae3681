"""How facsimile's build time grows with the size of the input: it should grow linearly.

    python bench/sizes.py            # paragraphs of 1,000 to 200,000 words, 100 to 2,000 pages
    python bench/sizes.py --quick    # the two smallest of each

(a) one part that is a single paragraph of N words (Document 4's words repeated);
(b) documents of about 100, 500, 1,000 and 2,000 foolscap pages (copies of Document 4's three
    text parts, each a part of its own).

Each is built in this process with build_document(use_cache=False), with the clean and the
cyclostyle looks, into a temporary folder. The table gives the seconds and the seconds per
1,000 words (a) or milliseconds per page (b); with linear growth the per-unit time stays
flat, and the last column (per-unit time over the smallest size's) stays near 1.
Needs facsimile only (not the peers).
"""

from __future__ import annotations

import argparse
import gc
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import synthetic  # noqa: E402

WORDS = (1_000, 10_000, 50_000, 200_000)
PAGES = (100, 500, 1_000, 2_000)
LOOKS = ("clean", "cyclostyle")


def build(folder: Path, out: Path, look: str, repeat: int):
    """The fastest of ``repeat`` builds (seconds) and the last report."""
    from facsimile.build import build_document

    best, report = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        report = build_document(folder, out, {"look": look}, use_cache=False)
        best = min(best, time.perf_counter() - started)
    return best, report


def failed(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:300]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="only the two smallest sizes of each")
    parser.add_argument("--looks", default=",".join(LOOKS), help="comma list (default clean,cyclostyle)")
    parser.add_argument("--repeat", type=int, default=1, help="builds per size, the fastest kept (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print it")
    args = parser.parse_args(argv)
    looks = [look.strip() for look in args.looks.split(",") if look.strip()]
    words = WORDS[:2] if args.quick else WORDS
    pages = PAGES[:2] if args.quick else PAGES

    import facsimile.build  # noqa: F401  (imported before the clock starts)
    from importlib.metadata import version

    print(f"machine: {platform.platform()}, Python {platform.python_version()}, "
          f"reportlab {version('reportlab')}, pypdf {version('pypdf')}; "
          f"{time.strftime('%Y-%m-%d %H:%M %Z')}; in-process build_document, use_cache=False")
    tmp = Path(tempfile.mkdtemp(prefix="facsimile-sizes-"))
    started = time.perf_counter()
    try:
        # Warm-up: the first build in a process pays for imports and font loading.
        doc4 = tmp / "doc4" / synthetic.DOC4.name
        shutil.copytree(synthetic.DOC4, doc4)
        for look in looks:
            build(doc4, tmp / "warm-up", look, 1)

        print("\n(a) one part, a single paragraph of N words")
        print(f"{'look':<11}{'words':>9}{'pages':>7}{'seconds':>10}{'s / 1,000 words':>17}{'vs smallest':>13}")
        for look in looks:
            first = None
            for n in words:
                folder = tmp / f"paragraph-{n}" / f"paragraph-{n}"
                if not folder.is_dir():
                    synthetic.write_paragraph(folder, n)
                try:
                    seconds, report = build(folder, tmp / "out", look, args.repeat)
                except Exception as exc:  # noqa: BLE001 - one failed size does not stop the rest
                    print(f"{look:<11}{n:>9,}  failed: {failed(exc)}", flush=True)
                    continue
                unit = seconds / n * 1000
                first = first or unit
                print(f"{look:<11}{n:>9,}{report.pages:>7,}{seconds:>10.2f}{unit:>17.4f}"
                      f"{unit / first:>12.2f}x", flush=True)

        print("\n(b) documents of about N pages (copies of Document 4's three text parts)")
        probe = synthetic.write_copies(tmp / "probe" / "probe", 1)
        per_copy = build(probe, tmp / "out", "clean", 1)[1].pages
        print(f"{'look':<11}{'pages':>9}{'parts':>7}{'seconds':>10}{'ms / page':>17}{'vs smallest':>13}")
        for look in looks:
            first = None
            for target in pages:
                copies = max(1, round(target / per_copy))
                folder = tmp / f"copies-{copies}" / f"copies-{copies}"
                if not folder.is_dir():
                    synthetic.write_copies(folder, copies)
                try:
                    seconds, report = build(folder, tmp / "out", look, args.repeat)
                except Exception as exc:  # noqa: BLE001
                    print(f"{look:<11}{'~' + format(target, ','):>9}  failed: {failed(exc)}", flush=True)
                    continue
                unit = seconds / report.pages * 1000
                first = first or unit
                print(f"{look:<11}{report.pages:>9,}{len(report.parts):>7,}{seconds:>10.2f}"
                      f"{unit:>17.1f}{unit / first:>12.2f}x", flush=True)
        print(f"\nwhole run: {time.perf_counter() - started:.0f} s")
    finally:
        if args.keep:
            print(f"kept: {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
