"""The font manifest (fonts/fonts.toml) to typefaces with their character sets and widths."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from .errors import Diagnostic, FacsimileError, SourceError, SourcePos, display
from .inputs import FONT_LIMIT, TOML_LIMIT, inside, present, read_bounded
from .locations import fonts_folder
from .source.textfile import describe

FONTS_MANIFEST = "fonts.toml"


@dataclass(frozen=True)
class Face:
    """One shipped typeface: where it is, which characters it has, and their advances (em/1000)."""

    name: str
    path: Path
    sha256: str
    advances: Mapping[int, float]
    font: Any = field(default=None, compare=False, repr=False)  # the parsed reportlab TTFont

    def has(self, ch: str) -> bool:
        return ord(ch) in self.advances


@dataclass(frozen=True)
class FaceStack:
    """Typefaces in fallback order: a character is typed with the first face that has it."""

    faces: tuple[Face, ...]
    _chosen: dict[str, Face | None] = field(default_factory=dict, compare=False, repr=False)
    _fingerprint: list[str] = field(default_factory=list, compare=False, repr=False)

    def face_for(self, ch: str) -> Face | None:
        try:
            return self._chosen[ch]
        except KeyError:
            found = next((face for face in self.faces if face.has(ch)), None)
            self._chosen[ch] = found
            return found

    @property
    def fingerprint(self) -> str:
        """The faces and the characters taken from each (a face may skip some); worked out once."""
        if not self._fingerprint:
            self._fingerprint.append(hashlib.sha256(repr([(f.sha256, sorted(f.advances))
                                                          for f in self.faces]).encode()).hexdigest())
        return self._fingerprint[0]


# folder -> the stamps of the files read, and the faces read from them
_CACHE: dict[Path, tuple[tuple[tuple[str, int, int, int], ...], FaceStack]] = {}


def _stamp(path: Path) -> tuple[str, int, int, int]:
    """A file's inode, size and time, taken before it is read: a file edited or replaced since
    (a font changed under a watch session) has another."""
    try:
        stat = path.stat()
        return str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns
    except OSError:
        return str(path), -1, -1, -1


def load_faces(folder: Path | None = None) -> FaceStack:
    """Read fonts.toml and every face it names; each face's file is checked against its hash.
    Read once a process, and again when one of those files has changed since."""
    folder = (folder or fonts_folder()).resolve()
    if folder in _CACHE:
        stamps, cached = _CACHE[folder]
        if all(_stamp(Path(stamp[0])) == stamp for stamp in stamps):
            return cached
    manifest = folder / FONTS_MANIFEST
    read = [_stamp(manifest)]
    shown = display(manifest)
    if not present(manifest):
        raise FacsimileError.at(SourcePos(shown), "the font manifest is missing: reinstall "
                                "facsimile from its repository (pip install -e .) or set "
                                "FACSIMILE_FONTS to a folder holding fonts.toml")
    try:
        data = tomllib.loads(read_bounded(manifest, TOML_LIMIT, shown, "font manifest").decode("utf-8"))
        entries = [(str(e["file"]), str(e["name"]), str(e.get("sha256", "")), str(e.get("skip", "")))
                   for e in data.get("face", [])]
    except SourceError as error:
        raise FacsimileError(error.diagnostics) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, ValueError, RecursionError, KeyError,
            TypeError, AttributeError) as exc:
        raise FacsimileError.at(SourcePos(shown), f"the font manifest is not valid ({type(exc).__name__}: "
                                f"{str(exc)[:80]}): restore it from the repository") from None
    faces: list[Face] = []
    for file, name, sha256, skipped in entries:
        path = inside(folder, file)
        if path is None:
            raise FacsimileError.at(SourcePos(shown), f"font file '{file}' is outside "
                                    "the fonts folder: keep fonts inside it")
        read.append(_stamp(path))
        face = _read_face(name, path, sha256, shown)
        skip = {ord(ch) for ch in skipped}
        if skip:
            face = Face(face.name, face.path, face.sha256,
                        {code: w for code, w in face.advances.items() if code not in skip}, face.font)
        faces.append(face)
    if not faces:
        raise FacsimileError.at(SourcePos(shown), "the font manifest names no face: add a [[face]]")
    stack = FaceStack(tuple(faces))
    _CACHE[folder] = (tuple(read), stack)
    return stack


def _read_face(name: str, path: Path, expected: str, shown: str) -> Face:
    """Read and check a face, parsed once: the same reportlab font is later embedded."""
    from .pdf.render import reportlab

    reportlab()
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    try:
        data = read_bounded(path, FONT_LIMIT, what="font")
    except SourceError as error:
        raise FacsimileError.at(error.diagnostics[0].pos, "cannot read this font ("
                                f"{error.diagnostics[0].message.split(':')[0]}): restore it, or "
                                f"correct {shown}") from None
    digest = hashlib.sha256(data).hexdigest()
    if expected and digest != expected:
        raise FacsimileError.at(SourcePos(display(path)), "this font file is not the one "
                                f"{shown} names (its SHA-256 differs): restore it from the repository")
    try:
        font = TTFont(name, str(path), asciiReadable=1)
    except (TTFError, Exception) as exc:  # noqa: BLE001 - reportlab raises many kinds on bad data
        raise FacsimileError.at(SourcePos(display(path)), f"this font file is damaged or not "
                                f"TrueType ({exc}): restore it from the repository") from None
    ttf = font.face
    advances = {code: float(ttf.charWidths[code]) for code in ttf.charToGlyph if code in ttf.charWidths}
    return Face(name, path, digest, advances, font)


def coverage_problems(chars: Iterable[tuple[str, SourcePos | None]], stack: FaceStack,
                      where_unknown: SourcePos) -> list[Diagnostic]:
    """One diagnostic per place where a character no face has is typed."""
    problems: list[Diagnostic] = []
    for ch, pos in chars:
        if ch == " " or stack.face_for(ch) is not None:
            continue
        problems.append(Diagnostic(pos or where_unknown, f"{describe(ch)} is in no typeface in "
                                   "fonts/: replace it with characters a 1932 typewriter had, or "
                                   "add a face that has it to fonts/fonts.toml"))
    return problems
