"""Build inputs to content keys, and part PDFs kept under those keys beside the output.

A key covers everything that can change a byte of the output: the code, the fonts, the
document's files and the options. A build whose key matches the last one writes nothing
and imports neither reportlab nor pypdf; a build after a one-word correction renders only
the part that changed and merges again.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

CACHE_DIR = ".facsimile-cache"
KEEP_VERSIONS = 4  # versions of a part kept: an undone edit finds its part still drawn


def _digest(*chunks: bytes) -> str:
    h = hashlib.sha256()
    for chunk in chunks:
        h.update(hashlib.sha256(chunk).digest())
    return h.hexdigest()


def tree_fingerprint(folder: Path, suffixes: tuple[str, ...] | None = None) -> str:
    """The names and contents of every file under a folder (hidden ones and caches skipped)."""
    chunks: list[bytes] = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
            continue
        if not path.is_file() or (suffixes and path.suffix not in suffixes):
            continue
        chunks.append(relative.as_posix().encode())
        chunks.append(path.read_bytes())
    return _digest(*chunks)


def code_fingerprint() -> str:
    """The facsimile code that made the output (its version and every module's source)."""
    return tree_fingerprint(Path(__file__).resolve().parent, (".py",))


def options_key(overrides: dict[str, object] | None, seed: int | None, diplomatic: bool) -> str:
    return repr((sorted((overrides or {}).items()), seed, diplomatic))


def unchanged_output(folder: Path, out_dir: Path, options: str) -> tuple[str, Path, bool]:
    """The build's key, its output path, and whether that output is already the one this key
    gives. Cheap: it reads files and hashes them, and imports nothing heavy."""
    from .locations import fonts_folder

    name = folder.resolve().name
    path = out_dir / f"{name}.pdf"
    if not folder.is_dir():
        return "", path, False
    key = document_key(folder, fonts_folder(), options)
    return key, path, Cache(out_dir).unchanged(name, key, path)


def document_key(folder: Path, fonts: Path, options: str) -> str:
    """The key of a whole build: code, fonts, document files, options, SOURCE_DATE_EPOCH."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return _digest(code_fingerprint().encode(), tree_fingerprint(fonts).encode(),
                   tree_fingerprint(folder).encode(), options.encode(), epoch.encode())


class Cache:
    """Part PDFs and the last build's key of each document, in <out>/.facsimile-cache/."""

    def __init__(self, out_dir: Path, enabled: bool = True) -> None:
        self.folder = out_dir / CACHE_DIR
        self.enabled = enabled

    def unchanged(self, document: str, key: str, pdf: Path) -> bool:
        """The output is the one the last build with this key wrote, untouched since."""
        if not self.enabled:
            return False
        try:
            recorded = (self.folder / f"{document}.key").read_text(encoding="ascii").split()
            return recorded[0] == key and hashlib.sha256(pdf.read_bytes()).hexdigest() == recorded[1]
        except (OSError, IndexError, ValueError):
            return False

    def record(self, document: str, key: str, pdf_bytes: bytes) -> None:
        if self.enabled:
            from .atomic import write_atomic  # here, not on import: an unchanged build writes nothing

            digest = hashlib.sha256(pdf_bytes).hexdigest()
            write_atomic(self.folder / f"{document}.key", f"{key} {digest}\n".encode("ascii"), durable=False)

    def part(self, document: str, part: str, key: str) -> bytes | None:
        """A part's drawn pages (JSON) or placed scan (PDF) kept under its key, if whole."""
        if not self.enabled:
            return None
        path = self.folder / f"{document}.{part}.{key}"
        try:
            data = path.read_bytes()
            os.utime(path)  # used now: the versions kept are the ones used last, not drawn last
        except OSError:
            return None
        whole = (data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")) or (
            data.startswith(b"[") and data.endswith(b"]"))
        return data if whole else None

    def keep_part(self, document: str, part: str, key: str, data: bytes) -> None:
        """Keep a part's pages under its key, and drop all but its latest few versions."""
        if not self.enabled:
            return
        from .atomic import write_atomic

        write_atomic(self.folder / f"{document}.{part}.{key}", data, durable=False)
        versions = sorted(self.folder.glob(f"{document}.{part}.*"), key=_age)
        for old in versions[KEEP_VERSIONS:]:
            try:
                old.unlink()
            except OSError:
                pass


def part_key(*chunks: str) -> str:
    return _digest(*(c.encode() for c in chunks))[:32]


def _age(path: Path) -> float:
    try:
        return -path.stat().st_mtime
    except OSError:
        return 0.0
