"""A document folder's document.toml to document metadata, layout and part list, with diagnostics."""

from __future__ import annotations

import re
from dataclasses import fields, replace
from typing import Any

from ..errors import Diagnostic, SourcePos
from ..model import PART_KINDS, Layout, PartSpec
from ..layout.paper import PAPERS, PITCHES, SPACINGS
from ..guides import GUIDE_NAMES, SIZES_MM
from .markup import language_tag
from .tomlfile import KeyFinder, parse_toml
from ..layout.tabs import parse_tabs

MANIFEST = "document.toml"

META_KEYS = {"title", "date", "place", "author", "subject", "keywords", "seed", "lang"}
REQUIRED = ("title", "date", "author")
LAYOUT_KEYS = {f.name for f in fields(Layout)}
TABLE_KEYS = {"provenance", "parts"}
PART_KEYS = {"id", "file", "kind", "title", "label", "machine", "head", "letterhead", "alt"}
CONTINUATIONS = ("mark", "catchword", "none")
LOOKS = ("cyclostyle", "typescript", "clean")
ALT_LONGEST = 1_000  # characters: a scan's description is a sentence or two, not its transcription
TITLE_LONGEST = 300  # characters: a title is a heading and a bookmark of a line or two, not a text

CHOICES: dict[str, tuple[str, ...]] = {
    "paper": tuple(PAPERS),
    "pitch": tuple(PITCHES),
    "spacing": tuple(SPACINGS),
    "continuation": CONTINUATIONS,
    "look": LOOKS,
    "emphasis": ("underscore", "double", "spaced"),
    "letterhead": ("stylus", "large", "spaced", "plain"),
    "text_layer": ("transcription", "typed"),
    "guide": GUIDE_NAMES,
}


def parse_manifest(text: str, name: str) -> tuple[dict[str, Any], Layout, int, list[PartSpec],
                                                  list[Diagnostic]]:
    """Parse the manifest text: metadata, layout, seed, parts and every problem found."""
    problems: list[Diagnostic] = []
    data, toml_problems = parse_toml(text, name)
    if data is None:
        return {}, Layout(), 0, [], toml_problems
    where = KeyFinder(name, text)

    for key in data:
        if key not in META_KEYS | LAYOUT_KEYS | TABLE_KEYS:
            known = ", ".join(sorted(META_KEYS | LAYOUT_KEYS | TABLE_KEYS))
            problems.append(Diagnostic(where.pos(key), f"unknown key '{key}': remove it or use one of {known}"))
    for key in REQUIRED:
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(Diagnostic(where.pos(key) if key in data else SourcePos(name, 1, 1),
                                       f"'{key}' is required: add {key} = \"...\" to the manifest"))

    meta = {k: data.get(k, "") for k in ("title", "date", "place", "author", "subject")}
    for key, value in meta.items():
        if not isinstance(value, str):
            problems.append(Diagnostic(where.pos(key), f"'{key}' must be a quoted string"))
    if message := overlong_title(meta["title"], "a longer description goes in 'subject'"):
        problems.append(Diagnostic(where.pos("title"), message))
    keywords = data.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        problems.append(Diagnostic(where.pos("keywords"), "'keywords' must be a list of strings"))
        keywords = []
    meta["keywords"] = tuple(keywords)
    lang = data.get("lang", "en-GB")
    if not isinstance(lang, str) or not language_tag(lang):
        problems.append(Diagnostic(where.pos("lang"), "'lang' is the language of the text, a BCP 47 tag "
                                   "such as \"en-GB\", \"de\" or \"ru\" (at most 35 characters)"))
        lang = "en-GB"
    meta["lang"] = lang
    provenance = data.get("provenance", {})
    if not isinstance(provenance, dict):
        problems.append(Diagnostic(where.pos("provenance"), "'provenance' must be a table"))
        provenance = {}
    meta["provenance"] = tuple((k, _flatten(v)) for k, v in provenance.items())

    seed = data.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        problems.append(Diagnostic(where.pos("seed"), "'seed' must be a whole number, 0 or more"))
        seed = 0

    layout, layout_problems = layout_from(data, lambda key: where.pos(key))
    problems.extend(layout_problems)
    parts = _parts(data.get("parts"), where, name, problems)
    return meta, layout, seed, parts, problems


def layout_from(values: dict[str, Any], pos: Any, base: Layout = Layout()) -> tuple[Layout, list[Diagnostic]]:
    """Layout settings from manifest or command-line values, each checked."""
    problems: list[Diagnostic] = []
    changes: dict[str, Any] = {}
    for f in fields(Layout):
        if f.name not in values or values[f.name] is None:
            continue
        value = values[f.name]
        if f.type in ("bool", bool):
            if not isinstance(value, bool):
                problems.append(Diagnostic(pos(f.name), f"'{f.name}' must be true or false"))
                continue
        elif f.name == "size":
            if not isinstance(value, int) or isinstance(value, bool) or value not in SIZES_MM:
                problems.append(Diagnostic(pos(f.name), f"'size' is a guide's height in mm: use one of "
                                           f"{', '.join(map(str, SIZES_MM))}"))
                continue
        elif f.type in ("float", float):
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
                problems.append(Diagnostic(pos(f.name), f"'{f.name}' must be a number from 0 to 1"))
                continue
            value = float(value)
        elif f.type in ("int", int):
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 20:
                problems.append(Diagnostic(pos(f.name), f"'{f.name}' must be a whole number from 0 to 20"))
                continue
        else:
            if not isinstance(value, str):
                problems.append(Diagnostic(pos(f.name), f"'{f.name}' must be a quoted string"))
                continue
            if f.name == "tabs" and value.strip() and parse_tabs(value)[1]:
                problems.append(Diagnostic(pos(f.name), parse_tabs(value)[1]))
                continue
            if f.name in CHOICES:
                value = value.lower()
                if value not in CHOICES[f.name]:
                    problems.append(Diagnostic(pos(f.name), f"unknown {f.name} '{values[f.name]}': "
                                               f"use one of {', '.join(CHOICES[f.name])}"))
                    continue
        changes[f.name] = value
    return replace(base, **changes), problems


def _parts(raw: Any, where: KeyFinder, name: str, problems: list[Diagnostic]) -> list[PartSpec]:
    if not isinstance(raw, list) or not raw:
        problems.append(Diagnostic(SourcePos(name, 1, 1), "the manifest lists no parts: add a "
                                   "[[parts]] table with file, kind and title for each part"))
        return []
    parts: list[PartSpec] = []
    ids: set[str] = set()
    for index, entry in enumerate(raw):
        head = where.pos(None, "parts", index)
        if not isinstance(entry, dict):
            problems.append(Diagnostic(head, "each part must be a [[parts]] table"))
            continue
        here = lambda key: where.pos(key, "parts", index)  # noqa: E731
        for key in entry:
            if key not in PART_KEYS:
                problems.append(Diagnostic(here(key), f"unknown part key '{key}': remove it or use "
                                           f"one of {', '.join(sorted(PART_KEYS))}"))
        values: dict[str, str] = {}
        for key in ("file", "kind", "title"):
            value = entry.get(key)
            if not isinstance(value, str) or not value.strip():
                problems.append(Diagnostic(here(key) if key in entry else head,
                                           f"part {index + 1} needs '{key}' (a quoted string)"))
                value = ""
            values[key] = value
        if message := overlong_title(values["title"], "the part's text keeps its full heading"):
            problems.append(Diagnostic(here("title"), message))
        if values["kind"] and values["kind"] not in PART_KINDS:
            problems.append(Diagnostic(here("kind"), f"unknown part kind '{values['kind']}': use one "
                                       f"of {', '.join(PART_KINDS)}"))
        default_id = re.sub(r"[^A-Za-z0-9_-]+", "-", values["file"].rsplit("/", 1)[-1].rsplit(".", 1)[0])
        part_id = entry.get("id", default_id.strip("-_") or f"part-{index + 1}")
        if not isinstance(part_id, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", part_id or "-"):
            problems.append(Diagnostic(here("id"), "a part id is letters, digits, - and _"))
            part_id = f"part-{index + 1}"
        if part_id in ids:
            problems.append(Diagnostic(here("id") if "id" in entry else head,
                                       f"two parts have the id '{part_id}': give each its own"))
        ids.add(part_id)
        label = _string(entry, "label", "", here, problems)
        machine = _string(entry, "machine", "typewriter", here, problems)
        lines = {key: _lines(entry, key, here, problems) for key in ("head", "letterhead")}
        alt = _string(entry, "alt", "", here, problems).strip()  # a scan's description, for a screen reader
        if len(alt) > ALT_LONGEST:  # it goes into the PDF whole, and a screen reader reads it whole
            problems.append(Diagnostic(here("alt"), f"'alt' is {len(alt):,} characters long, over the "
                                       f"limit of {ALT_LONGEST:,}: describe the scanned page in a "
                                       "sentence or two"))
            alt = ""
        parts.append(PartSpec(part_id, values["file"], values["kind"], values["title"], label, head,
                              machine, lines["head"], lines["letterhead"], alt))
    return parts


def overlong_title(title: Any, elsewhere: str, key: str = "title") -> str:
    """The error for a title (under key) longer than TITLE_LONGEST, else '': a title goes whole
    into the PDF's metadata, its bookmarks and a handout's headings."""
    if not isinstance(title, str) or len(title) <= TITLE_LONGEST:
        return ""
    return (f"'{key}' is {len(title):,} characters long, over the limit of {TITLE_LONGEST:,}: "
            f"shorten it to a line or two ({elsewhere})")


def _string(entry: dict[str, Any], key: str, default: str, here: Any,
            problems: list[Diagnostic]) -> str:
    value = entry.get(key, default)
    if not isinstance(value, str):
        problems.append(Diagnostic(here(key), f"'{key}' must be a quoted string"))
        return default
    return value


def _lines(entry: dict[str, Any], key: str, here: Any, problems: list[Diagnostic]) -> tuple[str, ...]:
    value = entry.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(Diagnostic(here(key), f"'{key}' must be a list of lines (quoted strings)"))
        return ()
    return tuple(v.strip() for v in value)


def _flatten(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)
