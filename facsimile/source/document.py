"""A document folder (manifest and part files) to a Document, reporting every problem at once."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .corrections import CORRECTIONS, Applied, Correction, apply, parse_corrections, unknown_parts
from ..inputs import SCAN_LIMIT, TEXT_LIMIT, TOML_LIMIT, inside, on_disk, open_checked, present, read_inside
from ..errors import Diagnostic, SourceError, SourcePos, UsageError, display
from .manifest import MANIFEST, layout_from, parse_manifest
from .markup import parse_part
from ..model import Document, Part
from ..pdf.scanner import is_scan
from .textfile import decode


def load_document(folder: Path, overrides: dict[str, Any] | None = None,
                  seed: int | None = None, diplomatic: bool = False) -> Document:
    """Read and parse a document folder, with its corrections applied unless diplomatic;
    raise SourceError listing every problem found."""
    folder = Path(folder)
    manifest_path = folder / MANIFEST
    shown = display(manifest_path)
    if not folder.is_dir():
        raise SourceError.at(SourcePos(display(folder)), "no such document folder: give the path "
                             "of a folder that holds a document.toml")
    if not present(manifest_path):
        raise SourceError.at(SourcePos(shown), "missing manifest: create document.toml in this "
                             "folder (see docs/source-format.md)")
    problems: list[Diagnostic] = []
    lines, decode_problems = decode(read_inside(folder, MANIFEST, TOML_LIMIT, what="manifest"), shown)
    problems.extend(decode_problems)
    if decode_problems:
        raise SourceError(problems)
    meta, layout, manifest_seed, specs, manifest_problems = parse_manifest("\n".join(lines), shown)
    problems.extend(manifest_problems)

    corrections: list[Correction] = []
    if present(folder / CORRECTIONS):  # one that cannot be read is an error, never skipped
        shown_corrections = display(folder / CORRECTIONS)
        try:
            data = read_inside(folder, CORRECTIONS, TOML_LIMIT)
        except SourceError as error:
            problems.extend(error.diagnostics)
            data = None
        if data is not None:
            text_lines, text_problems = decode(data, shown_corrections)
            problems.extend(text_problems)
            if not text_problems:
                corrections, correction_problems = parse_corrections("\n".join(text_lines), shown_corrections)
                problems.extend(correction_problems)
            problems.extend(unknown_parts(corrections, {spec.id for spec in specs}))
    applied: list[Applied] = []

    parts: list[Part] = []
    for spec in specs:
        if not spec.file:
            continue
        path = folder / on_disk(spec.file)
        part_shown = display(path)
        if inside(folder, spec.file) is None:
            problems.append(Diagnostic(spec.pos, f"part file '{spec.file}' is outside the document "
                                       "folder (or a link that leads out of it): keep every part "
                                       "inside the folder"))
            continue
        if not present(path):
            problems.append(Diagnostic(spec.pos, f"part file '{spec.file}' does not exist: create "
                                       f"{part_shown} or correct 'file'"))
            continue
        try:
            if is_scan(spec.file):  # a scan of the original: placed as it is, checked when built
                os.close(open_checked(path, SCAN_LIMIT, part_shown, "scan")[0])
                parts.append(Part(spec, (), str(path)))
                continue
            data = read_inside(folder, spec.file, TEXT_LIMIT, spec.pos, "part file")
        except SourceError as error:
            problems.extend(error.diagnostics)
            continue
        part_lines, part_problems = decode(data, part_shown)
        problems.extend(part_problems)
        if not diplomatic and not part_problems:
            part_lines, done, correction_problems = apply(corrections, spec.id, part_lines, part_shown)
            applied.extend(done)
            problems.extend(correction_problems)
        blocks, markup_problems = parse_part(part_lines, part_shown)
        problems.extend(markup_problems)
        if not blocks and not part_problems:
            problems.append(Diagnostic(SourcePos(part_shown, 1, 1), "this part has no text: write "
                                       "its text, or remove the part from the manifest"))
        parts.append(Part(spec, blocks))
    if overrides:
        layout, override_problems = layout_from(overrides, lambda key: SourcePos(f"--{key}"), layout)
        if override_problems:
            raise UsageError(override_problems)
    document = Document(
        name=folder.resolve().name,
        title=meta.get("title", ""),
        date=meta.get("date", ""),
        place=meta.get("place", ""),
        author=meta.get("author", ""),
        subject=meta.get("subject", ""),
        keywords=meta.get("keywords", ()),
        provenance=meta.get("provenance", ()),
        layout=layout,
        seed=manifest_seed if seed is None else seed,
        parts=tuple(parts),
        corrections=tuple(applied),
        lang=meta.get("lang", "en-GB"),
    )
    if problems:
        error = SourceError(problems)
        error.partial = document  # what did parse: later stages report their problems too
        raise error
    return document
