"""Build inputs to content keys, and part PDFs kept under those keys beside the output.

A key covers everything that can change a byte of the output: the code, the fonts, the
files the document's manifest names and the options; it is made from sorted, plain data, so
that it is the same in every process whatever its hash seed. A build whose key matches the
last one writes nothing and imports neither reportlab nor pypdf; a build after a one-word
correction renders only the part that changed and merges again.

The cache folder is not trusted: each entry carries a digest of its name and content, and an
entry that does not match (damaged, swapped with another, written by hand) is dropped with a
warning and drawn again. A cache folder that cannot be written is a warning, never a failure.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from .errors import FacsimileError, display
from .outputs import EXTRA_SOURCES
from .stamps import here
from .inputs import (CACHE_LIMIT, FONT_LIMIT, PDF_LIMIT, SCAN_LIMIT, TEXT_LIMIT, TOML_LIMIT,
                     digest_bounded, inside, on_disk, present, read_bounded)

CACHE_DIR = ".facsimile-cache"
KEEP_VERSIONS = 4  # versions of a part kept: an undone edit finds its part still drawn
ENTRY_MAGIC = b"facsimile-cache 1 "
_ENTRY_NAME = re.compile(r"^(?P<document>.+)\.(?P<part>[A-Za-z0-9][A-Za-z0-9_-]*)\.(?P<key>[0-9a-f]{32})$")


def _digest(*chunks: bytes) -> str:
    h = hashlib.sha256()
    for chunk in chunks:
        h.update(hashlib.sha256(chunk).digest())
    return h.hexdigest()


def tree_files(folder: Path, suffixes: tuple[str, ...] | None = None,
               skip: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """The folders and files under a folder (relative, with /), hidden ones, __pycache__ and
    the top-level folders in skip left out; the files in the order of their paths' parts.
    Walked with os.walk, which skips hidden folders and __pycache__ without listing them."""
    found: list[tuple[list[str], str]] = []
    walked: list[str] = []
    for root, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".") and name != "__pycache__"
                      and not (root == str(folder) and name in skip)]
        inside = os.path.relpath(root, folder)
        walked.append(inside.replace(os.sep, "/"))
        for name in files:
            if name.startswith(".") or (suffixes and os.path.splitext(name)[1] not in suffixes):
                continue
            relative = name if inside == "." else f"{inside.replace(os.sep, '/')}/{name}"
            found.append((relative.split("/"), relative))
    return walked, [relative for _, relative in sorted(found)]


def tree_fingerprint(folder: Path, suffixes: tuple[str, ...] | None = None,
                     skip: tuple[str, ...] = ()) -> str:
    """The names and contents of every file under a folder (hidden ones and caches skipped),
    in the order of their paths' parts: for facsimile's own code only, never for a document
    folder a user supplies (every build hashes facsimile's own code)."""
    chunks: list[bytes] = []
    for relative in tree_files(folder, suffixes, skip)[1]:
        path = os.path.join(folder, relative)
        if os.path.isfile(path):
            chunks.append(relative.encode())
            with open(path, "rb") as handle:
                chunks.append(handle.read())
    return _digest(*chunks)


_CODE: list[str] = []
CODE_SKIP = ("fonts",)  # the package's link to the typefaces, which are keyed on their own
_LISTED: dict[str, list[str]] = {}  # the TOML files read for the key being made: digest -> names
_READ: dict[str, dict[str, list[str]]] = {}  # a key made in this process -> its _LISTED, to record


def code_fingerprint() -> str:
    """The facsimile code that made the output: every module's source and every data file it
    ships that can change a page (lettering guides, colophon wording, ICC profile, templates);
    the typefaces are keyed on their own."""
    if not _CODE:
        _CODE.append(tree_fingerprint(Path(__file__).resolve().parent, skip=CODE_SKIP))
    return _CODE[0]


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
    cache = Cache(out_dir)
    key = document_key(folder, fonts_folder(), options, cache.listings(name))
    return key, path, bool(key) and cache.unchanged(name, key, path)


def named_files(folder: Path, known: dict[str, list[str]] | None = None) -> list[str] | None:
    """The files of a document folder a build reads: the manifest, the files its parts name,
    and the corrections, words and notes files; never a listing of the folder. known: what
    manifests already read (by the digest of their bytes) named, so that an unchanged build
    need not import and run the TOML parser. None when the manifest is there but cannot be
    read as the build reads it: then which files count cannot be told (the build says why)."""
    names = ["document.toml", *EXTRA_SOURCES]
    try:
        manifest = read_bounded(inside(folder, "document.toml") or folder / "document.toml", TOML_LIMIT)
    except FacsimileError:
        return names  # the build itself reports what is wrong with the manifest
    digest = hashlib.sha256(manifest).hexdigest()
    listed = (known or {}).get(digest)
    if listed is None:
        import tomllib

        from .source.textfile import decode

        lines, problems = decode(manifest, "document.toml")  # as the build decodes it: BOM, CR, NFC
        if problems:
            return None
        try:
            data = tomllib.loads("\n".join(lines))
        except (ValueError, RecursionError, OverflowError):
            return None
        parts = data.get("parts", [])
        listed = [entry["file"] for entry in (parts if isinstance(parts, list) else [])
                  if isinstance(entry, dict) and isinstance(entry.get("file"), str)]
    _LISTED[digest] = listed
    return names + listed


def _files_key(folder: Path, names: list[str] | None) -> str | None:
    """Names and digests of the named files (each inside the folder, a regular file, within
    its limit); None when one cannot be read, or which they are cannot be told: the build then
    says why."""
    if names is None:
        return None
    chunks: list[bytes] = []
    for name in sorted(set(names)):
        path = inside(folder, name)
        if path is None:
            return None
        if not present(path):
            chunks.append(f"{name}\0absent".encode())
            continue
        limit = SCAN_LIMIT if name.lower().endswith((".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")) else (
            TOML_LIMIT if name.endswith(".toml") else TEXT_LIMIT)
        try:
            chunks.append(f"{name}\0{digest_bounded(path, limit)}".encode())
        except FacsimileError:
            return None
    return _digest(*chunks)


def fonts_key(fonts: Path, known: dict[str, list[str]] | None = None) -> str | None:
    """fonts.toml and the faces it names (known: as for named_files)."""
    try:
        manifest = read_bounded(fonts / "fonts.toml", TOML_LIMIT)
    except FacsimileError:
        return None
    faces = _face_files(manifest, known)
    if faces is None:
        return None
    chunks = [manifest]
    for name in sorted(faces):
        path = inside(fonts, name)
        if path is None:
            return None
        try:
            chunks.append(f"{name}\0{digest_bounded(path, FONT_LIMIT)}".encode())
        except FacsimileError:
            return None
    return _digest(*chunks)


def _face_files(manifest: bytes, known: dict[str, list[str]] | None = None) -> list[str] | None:
    """The face files fonts.toml names (known: as for named_files); None if it cannot be read."""
    digest = hashlib.sha256(manifest).hexdigest()
    faces = (known or {}).get(digest)
    if faces is None:
        import tomllib

        try:
            faces = [str(entry["file"]) for entry in tomllib.loads(manifest.decode("utf-8")).get("face", [])]
        except (ValueError, RecursionError, UnicodeDecodeError, KeyError, TypeError, AttributeError,
                OverflowError):
            return None
    _LISTED[digest] = faces
    return faces


def build_inputs(folders: list[Path], out_dir: Path) -> list[str] | None:
    """Every path whose content or absence a build of these document folders depends on, as
    its content key reads them: facsimile's code (its folders too, so that a file added shows),
    the typefaces and their manifest, and each document's pack.toml (absent) and named files.
    None when a path cannot be told (a name outside its folder, a pack, an unreadable font
    manifest): then only the content keys can answer. What the manifests name is taken from
    the last builds' records where their seals hold, as unchanged_output does (no TOML parser)."""
    from .locations import fonts_folder

    cache = Cache(out_dir)
    known = {folder: cache.listings(folder.resolve().name) for folder in folders}

    code = Path(__file__).resolve().parent
    walked, files = tree_files(code, skip=CODE_SKIP)
    paths = [os.path.join(code, *relative.split("/")) for relative in walked + files]
    fonts = fonts_folder()
    paths.append(here(str(fonts / "fonts.toml")))
    try:
        faces = _face_files(read_bounded(fonts / "fonts.toml", TOML_LIMIT),
                            {digest: names for listed in known.values() for digest, names in listed.items()})
    except FacsimileError:
        return None
    if not faces:
        return None
    for name in faces:
        if inside(fonts, name) is None:
            return None
        paths.append(here(str(fonts / on_disk(name))))
    for folder in folders:
        if present(folder / "pack.toml"):
            return None
        where = here(str(folder))  # not resolved: a link retargeted later must show
        paths.append(os.path.join(where, "pack.toml"))
        names = named_files(folder, known[folder])
        if names is None:
            return None
        for name in names:
            if inside(folder, name) is None:
                return None
            paths.append(os.path.join(where, on_disk(name)))
    return paths


def document_key(folder: Path, fonts: Path, options: str, known: dict[str, list[str]] | None = None) -> str:
    """The key of a whole build: code, fonts, the document's named files, options and
    SOURCE_DATE_EPOCH; empty when a file cannot be read (the build then reports it). known: as
    for named_files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    _LISTED.clear()
    files, faces = _files_key(folder, named_files(folder, known)), fonts_key(fonts, known)
    if files is None or faces is None:
        return ""
    key = _digest(code_fingerprint().encode(), faces.encode(), files.encode(), options.encode(),
                  epoch.encode())
    _READ[key] = dict(_LISTED)
    while len(_READ) > 64:  # a long watch makes a key a save
        del _READ[next(iter(_READ))]
    return key


_ANSWERED: dict[tuple[str, str], str] = {}  # (cache folder, document) -> the PDF this process wrote or found


def answered(out_dir: Path, document: str) -> str | None:
    """The SHA-256 of the document's PDF as this process wrote it, or found it unchanged: what
    a record of its file stamps may vouch for (another process may have replaced it since)."""
    return _ANSWERED.get((str((out_dir / CACHE_DIR).resolve()), document))


class Cache:
    """Part PDFs and the last build's key of each document, in <out>/.facsimile-cache/."""

    def __init__(self, out_dir: Path, enabled: bool = True) -> None:
        self.folder = out_dir / CACHE_DIR
        self.enabled = enabled
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def _unwritable(self, error: FacsimileError) -> None:
        reason = error.diagnostics[0].message.split(";")[0] if error.diagnostics else ""
        self.warn(f"{display(self.folder)}: warning: the cache cannot be written ({reason}): "
                   "building without it")
        self.enabled = False

    def _record(self, document: str) -> list[str]:
        """The lines of the document's record (the first: key and the PDF's digest), or none."""
        if not self.enabled:
            return []
        try:
            return read_bounded(self.folder / f"{document}.key", TOML_LIMIT).decode("ascii").split("\n")
        except (FacsimileError, OSError, ValueError):
            return []

    def unchanged(self, document: str, key: str, pdf: Path) -> bool:
        """The output is the one the last build with this key wrote, untouched since."""
        recorded = self._record(document)[:1]
        try:
            first = recorded[0].split()
            same = first[0] == key and digest_bounded(pdf, PDF_LIMIT) == first[1]
        except (FacsimileError, OSError, IndexError, ValueError):
            return False
        if same:
            _ANSWERED[(str(self.folder.resolve()), document)] = first[1]
        return same

    def listings(self, document: str) -> dict[str, list[str]]:
        """What the TOML files read for the last build named, by the digest of their bytes, as
        its record keeps them: each line sealed, a damaged one or one another version of
        facsimile wrote ignored (then parsed again)."""
        known: dict[str, list[str]] = {}
        for line in self._record(document)[1:]:
            fields = line.split(" ")
            if len(fields) == 4 and fields[0] == "listing" and fields[2] == self._listing_seal(fields[1], fields[3]):
                try:
                    known[fields[1]] = bytes.fromhex(fields[3]).decode("utf-8").split("\0") if fields[3] else []
                except (ValueError, UnicodeDecodeError):
                    continue
        return known

    def record(self, document: str, key: str, pdf_bytes: bytes) -> None:
        """Record the build's key and its PDF's digest, and what its TOML files named (so that
        the next check of an unchanged build needs no TOML parser)."""
        if self.enabled:
            from .atomic import write_atomic  # here, not on import: an unchanged build writes nothing

            digest = hashlib.sha256(pdf_bytes).hexdigest()
            _ANSWERED[(str(self.folder.resolve()), document)] = digest
            lines = [f"{key} {digest}"]
            for toml, names in sorted(_READ.get(key, {}).items()):
                listed = "\0".join(names).encode("utf-8", "surrogateescape").hex()
                lines.append(f"listing {toml} {self._listing_seal(toml, listed)} {listed}")
            try:
                write_atomic(self.folder / f"{document}.key", ("\n".join(lines) + "\n").encode("ascii"),
                             durable=False)
            except FacsimileError as error:
                self._unwritable(error)

    @classmethod
    def _listing_seal(cls, toml: str, listed: str) -> str:
        """A listing's seal, over the code that read it: what a manifest names is the code's
        reading of it, so another version's listing (its key computed from names this version
        would not have read) must not be trusted, nor written back by this version's build."""
        return cls._seal(toml, code_fingerprint().encode("ascii") + b"\0" + listed.encode("ascii"))[:32].decode()

    @staticmethod
    def _seal(name: str, data: bytes) -> bytes:
        return hashlib.sha256(ENTRY_MAGIC + name.encode("utf-8", "surrogateescape") + b"\0" + data).hexdigest().encode("ascii")

    def part(self, document: str, part: str, key: str) -> bytes | None:
        """A part's drawn pages (JSON) or placed scan (PDF) kept under its key, if it is exactly
        what was written for that key; a damaged or foreign entry is dropped with a warning."""
        if not self.enabled:
            return None
        name = f"{document}.{part}.{key}"
        path = self.folder / name
        if not present(path):
            return None
        try:
            data = read_bounded(path, CACHE_LIMIT)
        except FacsimileError:
            data = b""
        head, _, body = data.partition(b"\n")
        if head != ENTRY_MAGIC + self._seal(name, body):
            self.warn(f"{display(path)}: warning: a damaged or foreign cache entry: dropped, "
                       f"part '{part}' is drawn again")
            try:
                if path.is_dir() and not path.is_symlink():
                    os.rmdir(path)
                else:
                    path.unlink()
            except OSError:
                pass
            return None
        try:
            os.utime(path)  # used now: the versions kept are the ones used last, not drawn last
        except OSError:
            pass
        return body

    def keep_part(self, document: str, part: str, key: str, data: bytes) -> None:
        """Keep a part's pages under its key, sealed with their digest."""
        if not self.enabled:
            return
        from .atomic import write_atomic

        name = f"{document}.{part}.{key}"
        try:
            write_atomic(self.folder / name, ENTRY_MAGIC + self._seal(name, data) + b"\n" + data,
                         durable=False)
        except FacsimileError as error:
            self._unwritable(error)

    def prune(self, document: str) -> None:
        """Drop all but the latest few versions of each of the document's parts, and temporary
        files that a killed build left: the cache folder is listed once, whatever the parts."""
        if not self.enabled or not self.folder.is_dir():
            return
        from .atomic import clean_stale

        clean_stale(self.folder)
        versions: dict[str, list[tuple[float, str]]] = {}
        try:
            with os.scandir(self.folder) as entries:
                for entry in entries:
                    match = _ENTRY_NAME.match(entry.name)
                    if match is None or match.group("document") != document:
                        continue
                    try:
                        age = -entry.stat(follow_symlinks=False).st_mtime
                    except OSError:
                        continue
                    versions.setdefault(match.group("part"), []).append((age, entry.name))
        except OSError:
            return
        for found in versions.values():
            for _, name in sorted(found)[KEEP_VERSIONS:]:
                try:
                    (self.folder / name).unlink()
                except OSError:
                    pass


def part_key(*chunks: str) -> str:
    return _digest(*(c.encode() for c in chunks))[:32]
