"""The font manifest (fonts/fonts.toml) to typefaces with their character sets and widths."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from .errors import Diagnostic, FacsimileError, SourcePos, display
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


_CACHE: dict[Path, FaceStack] = {}


def load_faces(folder: Path | None = None) -> FaceStack:
    """Read fonts.toml and every face it names; each face's file is checked against its hash."""
    folder = (folder or fonts_folder()).resolve()
    if folder in _CACHE:
        return _CACHE[folder]
    manifest = folder / FONTS_MANIFEST
    shown = display(manifest)
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except OSError:
        raise FacsimileError.at(SourcePos(shown), "the font manifest is missing: reinstall "
                                "facsimile from its repository (pip install -e .) or set "
                                "FACSIMILE_FONTS to a folder holding fonts.toml") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise FacsimileError.at(SourcePos(shown), f"the font manifest is not valid TOML ({exc}): "
                                "restore it from the repository") from None
    faces: list[Face] = []
    for entry in data.get("face", []):
        path = (folder / entry["file"]).resolve()
        if not path.is_relative_to(folder):
            raise FacsimileError.at(SourcePos(shown), f"font file '{entry['file']}' is outside "
                                    "the fonts folder: keep fonts inside it")
        face = _read_face(entry["name"], path, entry.get("sha256", ""), shown)
        skip = {ord(ch) for ch in entry.get("skip", "")}
        if skip:
            face = Face(face.name, face.path, face.sha256,
                        {code: w for code, w in face.advances.items() if code not in skip}, face.font)
        faces.append(face)
    if not faces:
        raise FacsimileError.at(SourcePos(shown), "the font manifest names no face: add a [[face]]")
    stack = FaceStack(tuple(faces))
    _CACHE[folder] = stack
    return stack


def _read_face(name: str, path: Path, expected: str, shown: str) -> Face:
    """Read and check a face, parsed once: the same reportlab font is later embedded."""
    from .pdf.render import reportlab

    reportlab()
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FacsimileError.at(SourcePos(display(path)), f"cannot read this font ({exc.strerror}): "
                                f"restore it, or correct {shown}") from None
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
