"""Inputs for the benchmarks: Document 4's paragraphs as plain text, and larger documents.

Everything is written into folders the caller gives (temporary ones): nothing here writes
into source/ or out/.

* ``document_paragraphs(folder)``: the paragraphs of a document's part files, as the peers
  get them: blank-line separated, a directive (``@date`` ...) dropped but the text on its
  line kept, emphasis marks (``*``) dropped, corrections applied when asked.
* ``write_copies(folder, copies)``: a document whose manifest lists ``copies`` copies of
  Document 4's three text parts (letter, enclosure 1, enclosure 2), each a part of its own
  with its own id, file and page labels; about 4 foolscap pages a copy.
* ``write_paragraph(folder, words)``: a document of one part that is a single paragraph of
  ``words`` words, Document 4's words repeated.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOC4 = REPO / "source" / "balham-group-document-4"
MANIFEST = "document.toml"
TEXT_PARTS = ("letter", "enclosure-1", "enclosure-2")  # the imprint is left out of copies


def font_file() -> Path:
    """The typewriter face facsimile uses (FACSIMILE_FONTS if set, as facsimile reads it)."""
    folder = Path(os.environ.get("FACSIMILE_FONTS") or REPO / "fonts")
    return folder / "GNUTypewriter.ttf"


def manifest(folder: Path) -> dict:
    return tomllib.loads((folder / MANIFEST).read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# Plain paragraphs


def paragraphs_of(text: str) -> list[str]:
    """A part file's blocks as plain paragraphs: directives dropped, their text kept."""
    out: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").lstrip("\ufeff")):
        words: list[str] = []
        for line in block.split("\n"):
            if line.startswith("@@"):
                line = line[1:]
            elif line.startswith("@"):
                line = line[1:].partition(" ")[2]
            line = line.replace("**", "\0").replace("*", "").replace("\0", "*")
            if line.strip():
                words.append(line.strip())
        if words:
            out.append(" ".join(words))
    return out


def corrected(folder: Path, part_id: str, text: str) -> str:
    """The part's text with the document's corrections.toml applied (as facsimile builds it)."""
    path = folder / "corrections.toml"
    if not path.is_file():
        return text
    for item in tomllib.loads(path.read_text(encoding="utf-8")).get("correction", []):
        if item.get("part") == part_id:
            text = text.replace(item["received"], item["corrected"], 1)
    return text


def document_paragraphs(folder: Path, corrections: bool = True) -> list[str]:
    """Every paragraph of every text part of the document, in order."""
    out: list[str] = []
    for spec in manifest(folder).get("parts", []):
        path = folder / spec["file"]
        if path.suffix.lower() != ".txt":
            continue  # a scan
        text = path.read_text(encoding="utf-8")
        part_id = spec.get("id", path.stem)
        out.extend(paragraphs_of(corrected(folder, part_id, text) if corrections else text))
    return out


def document_words(folder: Path = DOC4) -> list[str]:
    return " ".join(document_paragraphs(folder)).split()


# ---------------------------------------------------------------------------------------------
# Writing documents


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML here")


def _toml(top: dict, parts: list[dict]) -> str:
    lines = [f"{key} = {_toml_value(value)}" for key, value in top.items()]
    for part in parts:
        lines += ["", "[[parts]]"] + [f"{key} = {_toml_value(value)}" for key, value in part.items()]
    return "\n".join(lines) + "\n"


def _top(source: dict, title: str) -> dict:
    top = {k: v for k, v in source.items() if not isinstance(v, (dict, list)) or k == "keywords"}
    top.pop("parts", None)
    top["title"] = title
    return top


def write_copies(folder: Path, copies: int, source: Path = DOC4) -> Path:
    """A document of ``copies`` copies of the source's text parts, each a part of its own.

    The part files are the source's, as received (no corrections.toml, so facsimile and the
    peers type the same words)."""
    folder.mkdir(parents=True, exist_ok=True)
    original = manifest(source)
    specs = [p for p in original["parts"] if p.get("id") in TEXT_PARTS]
    parts: list[dict] = []
    for i in range(1, copies + 1):
        for spec in specs:
            new = dict(spec)
            name = f"{i:04d}-{spec['file']}"
            (folder / name).write_bytes((source / spec["file"]).read_bytes())
            new["id"] = f"{spec['id']}-{i:04d}"
            new["file"] = name
            new["title"] = f"{spec.get('title', spec['id'])} (copy {i})"
            if spec.get("label"):
                new["label"] = f"{spec['label'].rstrip('-')}.{i}-"
            parts.append(new)
    title = f"{original['title']} ({copies} {'copy' if copies == 1 else 'copies'} of the text)"
    (folder / MANIFEST).write_text(_toml(_top(original, title), parts), encoding="utf-8")
    return folder


def write_paragraph(folder: Path, words: int, source: Path = DOC4) -> Path:
    """A document of one part: a single paragraph of ``words`` words, the source's repeated."""
    folder.mkdir(parents=True, exist_ok=True)
    pool = document_words(source)
    text = [pool[i % len(pool)] for i in range(words)]
    lines, line = [], ""
    for word in text:  # wrapped at 72 columns: the lines of a paragraph are joined
        if line and len(line) + 1 + len(word) > 72:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    (folder / "paragraph.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    original = manifest(source)
    top = _top(original, f"One paragraph of {words:,} words")
    part = {"id": "paragraph", "file": "paragraph.txt", "kind": "document",
            "title": f"A paragraph of {words:,} words"}
    (folder / MANIFEST).write_text(_toml(top, [part]), encoding="utf-8")
    return folder
