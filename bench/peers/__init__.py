"""Peer engines for the benchmark: the same plain text, typed in the same monospace layout.

facsimile types a text on a typewriter grid: pica (10 characters an inch, 7.2 pt cells), 6 lines
an inch (12 pt leading), foolscap paper (576 x 936 pt), margins 1 in left, 0.75 in right (62 cells
a line), 1 in top and bottom, paragraphs indented 5 cells with a blank line between them, ragged
right, no hyphenation, GNUTypewriter at 11.52 pt, embedded. This module asks three other engines
for the same page:

* ``typst``      -- the PyPI package ``typst`` (Python bindings of the Typst compiler);
* ``weasyprint`` -- HTML and CSS through WeasyPrint's Python API;
* ``pdflatex``   -- Debian's pdfTeX with LaTeX, the TrueType file embedded through a TFM made
  with ``ttf2tfm`` and a ``\\pdfmapline`` (no XeLaTeX or LuaLaTeX: the guide measured pdflatex).

GNUTypewriter is not quite monospaced (most advances are 620/1000 em, so 7.1424 pt at 11.52 pt,
and 63 of those fit 450 pt where a typewriter types 62), so every engine is told to add the
difference to each character as letter spacing (Typst ``tracking``, CSS ``letter-spacing``, the
TFM's widths for pdfTeX): 7.2 pt a character, as on the grid. The baselines fall where
facsimile's do: the first 12 pt below the top margin, 66 lines a page.

The text gets the typewriter's keys first (curly quotes to straight ones, dashes to hyphens,
the same table as ``facsimile.layout.keyboard``), then each engine's escaping.

Usage::

    argv = prepare("typst", paragraphs, Path("fonts/GNUTypewriter.ttf"), workdir)
    subprocess.run(argv, check=True)        # a cold process: writes workdir/out.pdf
    compile_in_process("typst", workdir)   # a warm compile in this process

``PEERS_PYTHON`` (environment) names the Python that has ``typst`` and ``weasyprint`` for the
cold processes; it defaults to the running interpreter.
"""

from __future__ import annotations

import functools
import html
import importlib.util
import json
import os
import re
import shutil
import struct
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ENGINES: tuple[str, ...] = ("typst", "weasyprint", "pdflatex")

PYTHON: str = os.environ.get("PEERS_PYTHON", sys.executable)

OUT_PDF = "out.pdf"


@dataclass(frozen=True)
class Layout:
    """The typed page, in PostScript points (1/72 in)."""

    page_width: float = 576.0  # foolscap, 8 in
    page_height: float = 936.0  # 13 in
    margin_left: float = 72.0
    margin_right: float = 54.0
    margin_top: float = 72.0
    margin_bottom: float = 72.0
    cell: float = 7.2  # pica: 10 characters an inch
    leading: float = 12.0  # 6 lines an inch
    font_size: float = 11.52
    indent_cells: int = 5

    @property
    def measure(self) -> float:
        return self.page_width - self.margin_left - self.margin_right

    @property
    def body_height(self) -> float:
        return self.page_height - self.margin_top - self.margin_bottom

    @property
    def indent(self) -> float:
        return self.indent_cells * self.cell


LAYOUT = Layout()


@dataclass(frozen=True)
class FontMetrics:
    """What the layouts need of a TrueType file, read from its head, hhea and hmtx tables."""

    units_per_em: int
    ascender: int
    descender: int  # negative, as in hhea
    advance: int  # the commonest advance width: the font's nominal cell

    def tracking(self, layout: Layout = LAYOUT) -> float:
        """Points to add to each character so that it advances one cell."""
        return round(layout.cell - self.advance * layout.font_size / self.units_per_em, 6)


def font_metrics(font: Path) -> FontMetrics:
    data = font.read_bytes()
    (num_tables,) = struct.unpack_from(">H", data, 4)
    tables: dict[bytes, int] = {}
    for i in range(num_tables):
        tag, _checksum, offset, _length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag] = offset
    units_per_em = struct.unpack_from(">H", data, tables[b"head"] + 18)[0]
    hhea = tables[b"hhea"]
    ascender, descender = struct.unpack_from(">hh", data, hhea + 4)
    (long_metrics,) = struct.unpack_from(">H", data, hhea + 34)
    hmtx = tables[b"hmtx"]
    os2 = tables.get(b"OS/2")
    if os2 is not None:
        version, = struct.unpack_from(">H", data, os2)
        (selection,) = struct.unpack_from(">H", data, os2 + 62)
        if version >= 4 and selection & (1 << 7):  # USE_TYPO_METRICS: what HarfBuzz and Pango use
            ascender, descender = struct.unpack_from(">hh", data, os2 + 68)
    widths = Counter(struct.unpack_from(">H", data, hmtx + 4 * i)[0] for i in range(long_metrics))
    widths.pop(0, None)
    return FontMetrics(units_per_em, ascender, descender, widths.most_common(1)[0][0])


# The typewriter's keys: facsimile's table where facsimile is importable, else the same table.
try:
    from facsimile.layout.keyboard import SUBSTITUTES as _KEYS
except ImportError:  # pragma: no cover - bench run outside the repo
    _KEYS = {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "--",
        "\u2015": "--", "\u2212": "-", "\u2026": "...", "\u00a0": " ", "\u2002": " ",
        "\u2003": " ", "\u2009": " ", "\u202f": " ",
    }
_KEY_TABLE = str.maketrans(_KEYS)
_SPACES = re.compile(r"\s+")


def typewritten(paragraph: str) -> str:
    """A paragraph as the typist struck it: typewriter keys, one space between words."""
    return _SPACES.sub(" ", paragraph.translate(_KEY_TABLE)).strip()


# The typist's spacing (facsimile.layout.typist): two spaces after a sentence's end (not after an
# initial, and only before a capital) and after a colon; a spaced dash is held to both of its
# neighbours; facsimile never breaks a line at a hyphen.
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
_INITIAL = re.compile(r"^[\"'(]*[A-Z]\.$")
_OPENS_SENTENCE = re.compile(r"^[\"'(\[]*[A-Z]")
_DASHES = ("-", "--")


@dataclass(frozen=True)
class Chunk:
    """Words that a line may not break between (and no hyphen in them to break at either),
    and the spaces typed after them (1, or 2 at a sentence's end)."""

    text: str
    keep: bool  # holds a space or a hyphen that must not break
    spaces_after: int


def chunks(text: str) -> list[Chunk]:
    """A typewritten paragraph as the breakable units facsimile's line breaker sees."""
    groups: list[list[str]] = []
    for word in text.split(" "):
        if groups and (word in _DASHES or groups[-1][-1] in _DASHES):
            groups[-1].append(word)
        else:
            groups.append([word])
    out: list[Chunk] = []
    for i, group in enumerate(groups):
        spaces = 0
        if i + 1 < len(groups):
            prev, nxt = group[-1], groups[i + 1][0]
            sentence = _SENTENCE_END.search(prev) and not _INITIAL.match(prev) and _OPENS_SENTENCE.match(nxt)
            spaces = 2 if prev.endswith(":") or sentence else 1
        joined = " ".join(group)
        out.append(Chunk(joined, " " in joined or "-" in joined, spaces))
    return out


# ---------------------------------------------------------------------------------------------
# Escaping


_TYPST_SPECIAL = set("\\#*_$@<>[]`~'\"-=+/.:")


def escape_typst(text: str) -> str:
    """Typst markup for plain text: every character with a meaning in markup gets a backslash.

    Covers the markup syntax (# * _ $ @ < > [ ] ` \\), the shorthands (~ nbsp, -- and --- dashes,
    ... ellipsis, -? soft hyphen), smart quotes (' "), comments (// and /*), lists and headings
    at a line's start (- + = / and "1."), term lists and URLs (http:// is linked in markup).
    """
    return "".join("\\" + ch if ch in _TYPST_SPECIAL else ch for ch in text)


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    # ' stays: the encoding file puts quotesingle in its slot, and the TFM has no ligatures (so
    # -- stays two hyphens and '' two quotes); T1's ` is a curly quote, its grave is in slot 0.
    "`": r"\char0{}",
    '"': r"\textquotedbl{}",  # straight in T1; spelled out for readers of the .tex
}


def escape_latex(text: str) -> str:
    """LaTeX for plain text: specials, ligature-making pairs and quote characters as commands."""
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)


def escape_html(text: str) -> str:
    return html.escape(text, quote=False)


# ---------------------------------------------------------------------------------------------
# Availability


@functools.lru_cache(maxsize=None)
def available(engine: str) -> bool:
    """Is the engine installed here (for the cold processes of ``prepare``)?"""
    if engine == "pdflatex":
        return all(shutil.which(tool) for tool in ("pdflatex", "ttf2tfm", "tftopl", "pltotf", "kpsewhich"))
    if engine in ("typst", "weasyprint"):
        if PYTHON == sys.executable:
            return importlib.util.find_spec(engine) is not None
        done = subprocess.run([PYTHON, "-c", f"import {engine}"], capture_output=True)
        return done.returncode == 0
    raise ValueError(f"unknown engine {engine!r}; one of {', '.join(ENGINES)}")


# ---------------------------------------------------------------------------------------------
# Inputs


def prepare(engine: str, paragraphs: list[str], font: Path, workdir: Path) -> list[str]:
    """Write the engine's input into workdir; return the argv of a cold compile to workdir/out.pdf."""
    font = Path(font).resolve()
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    metrics = font_metrics(font)
    texts = [typewritten(p) for p in paragraphs if p.strip()]
    if engine == "typst":
        return _prepare_typst(texts, font, metrics, workdir)
    if engine == "weasyprint":
        return _prepare_weasyprint(texts, font, metrics, workdir)
    if engine == "pdflatex":
        return _prepare_pdflatex(texts, font, metrics, workdir)
    raise ValueError(f"unknown engine {engine!r}; one of {', '.join(ENGINES)}")


def _fallbacks(font: Path) -> list[Path]:
    """facsimile's fallback faces beside the font (Courier Prime), for characters it lacks."""
    return sorted(font.parent.glob("CourierPrime-Regular-latin*.ttf"))


def _prepare_typst(texts: list[str], font: Path, m: FontMetrics, workdir: Path) -> list[str]:
    L = LAYOUT
    families = '("GNUTypewriter", "Courier Prime")' if _fallbacks(font) else '("GNUTypewriter",)'
    head = f"""\
#set document(title: "facsimile peer: typst")
#set page(width: {L.page_width}pt, height: {L.page_height}pt,
  margin: (left: {L.margin_left}pt, right: {L.margin_right}pt, top: {L.margin_top}pt, bottom: {L.margin_bottom}pt))
#set text(font: {families}, size: {L.font_size}pt, tracking: {m.tracking()}pt, lang: "en",
  hyphenate: false, ligatures: false, kerning: false, top-edge: {L.leading}pt, bottom-edge: 0pt)
#set par(justify: false, linebreaks: "simple", leading: 0pt, spacing: {L.leading}pt,
  first-line-indent: (amount: {L.indent}pt, all: true))
"""
    body = "\n\n".join(_typst_paragraph(t) for t in texts)
    (workdir / "in.typ").write_text(head + "\n" + body + "\n", encoding="utf-8")
    (workdir / "typst.json").write_text(json.dumps({"font_paths": [str(font.parent)], "ignore_system_fonts": True}))
    code = (
        "import typst; typst.compile({inp!r}, output={out!r}, font_paths=[{fonts!r}], ignore_system_fonts=True)"
    ).format(inp=str(workdir / "in.typ"), out=str(workdir / OUT_PDF), fonts=str(font.parent))
    return [PYTHON, "-c", code]


def _typst_paragraph(text: str) -> str:
    parts: list[str] = []
    for c in chunks(text):
        parts.append(f"#box[{escape_typst(c.text)}]" if c.keep else escape_typst(c.text))
        parts.append({0: "", 1: " ", 2: '#" " '}[c.spaces_after])  # a string's space is not collapsed
    return "".join(parts)


def _html_paragraph(text: str) -> str:
    parts: list[str] = []
    for c in chunks(text):
        parts.append(f'<span class="k">{escape_html(c.text)}</span>' if c.keep else escape_html(c.text))
        parts.append({0: "", 1: " ", 2: '<span class="s">  </span>'}[c.spaces_after])
    return "".join(parts)


def _latex_paragraph(text: str) -> str:
    parts: list[str] = []
    for c in chunks(text):
        parts.append(rf"\mbox{{{escape_latex(c.text)}}}" if c.keep else escape_latex(c.text))
        parts.append({0: "", 1: " ", 2: r"\twospaces "}[c.spaces_after])
    return "".join(parts)


def _prepare_weasyprint(texts: list[str], font: Path, m: FontMetrics, workdir: Path) -> list[str]:
    L = LAYOUT
    # CSS puts the baseline (line-height - (ascent + descent)) / 2 + ascent below a line box's
    # top; move the page area so that the first baseline falls 12 pt below the top margin.
    size = L.font_size / m.units_per_em
    baseline = (L.leading - (m.ascender - m.descender) * size) / 2 + m.ascender * size
    shift = round(L.leading - baseline, 4)
    faces = [f"@font-face {{ font-family: 'GNUTypewriter'; src: url('{font.as_uri()}'); }}"]
    faces += [
        f"@font-face {{ font-family: 'Courier Prime'; src: url('{f.as_uri()}'); }}" for f in _fallbacks(font)
    ]
    css = "\n".join(faces) + f"""
@page {{ size: {L.page_width}pt {L.page_height}pt;
  margin: {L.margin_top + shift}pt {L.margin_right}pt {L.margin_bottom - shift}pt {L.margin_left}pt; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: 'GNUTypewriter', 'Courier Prime'; font-size: {L.font_size}pt;
  line-height: {L.leading}pt; letter-spacing: {m.tracking()}pt; text-align: left; hyphens: manual;
  font-kerning: none; font-variant-ligatures: none; orphans: 2; widows: 2; }}
p {{ margin: 0 0 {L.leading}pt 0; text-indent: {L.indent}pt; }}
.k {{ white-space: nowrap; }}
.s {{ white-space: pre-wrap; }}
"""
    body = "\n".join(f"<p>{_html_paragraph(t)}</p>" for t in texts)
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>facsimile peer: weasyprint</title>\n<style>\n{css}</style></head>\n<body>\n{body}\n</body></html>\n"
    )
    (workdir / "in.html").write_text(page, encoding="utf-8")
    code = "import weasyprint; weasyprint.HTML(filename={inp!r}).write_pdf({out!r})".format(
        inp=str(workdir / "in.html"), out=str(workdir / OUT_PDF)
    )
    return [PYTHON, "-c", code]


_TFM = "gnutypewriter-t1"
_ENC = "facsimile-t1.enc"


def _make_tfm(font: Path, m: FontMetrics, workdir: Path) -> None:
    """Install the TrueType file for pdfTeX in workdir (once; not part of a timed compile).

    ttf2tfm writes a TFM in the T1 (Cork) encoding -- Debian's ec.enc without its ligatures, so
    that -- stays two hyphens -- and every width gets the letter spacing that makes it one cell
    (as Typst's tracking and CSS letter-spacing do); the interword space is one cell and rigid.
    """
    ttf = workdir / font.name
    ttf.write_bytes(_os2_version_3(font.read_bytes()))
    ec = subprocess.run(["kpsewhich", "ec.enc"], capture_output=True, text=True, check=True).stdout.strip()
    enc_lines = Path(ec).read_text(encoding="latin-1").splitlines()
    # A typewriter's ' is the straight quote, not T1's curly one (` is escaped to the grave's slot).
    enc = "\n".join(l for l in enc_lines if "LIGKERN" not in l) + "\n"
    enc = re.sub(r"/quoteright\b", "/quotesingle", enc, count=1)
    (workdir / _ENC).write_text(enc, encoding="latin-1")
    subprocess.run(["ttf2tfm", ttf.name, "-q", "-T", _ENC, _TFM], cwd=workdir, check=True, capture_output=True)
    pl = subprocess.run(["tftopl", f"{_TFM}.tfm"], cwd=workdir, check=True, capture_output=True, text=True).stdout
    track = m.tracking() / LAYOUT.font_size  # in design-size units (the TFM is relative to its size)
    cell = LAYOUT.cell / LAYOUT.font_size

    def widen(match: re.Match[str]) -> str:
        return f"(CHARWD R {float(match.group(1)) + track:.6f})"

    pl = re.sub(r"\(CHARWD R ([-0-9.]+)\)", widen, pl)
    pl = re.sub(r"\(SPACE R [-0-9.]+\)", f"(SPACE R {cell:.6f})", pl)
    pl = re.sub(r"\(STRETCH R [-0-9.]+\)", "(STRETCH R 0.0)", pl)
    pl = re.sub(r"\(SHRINK R [-0-9.]+\)", "(SHRINK R 0.0)", pl)
    (workdir / f"{_TFM}.pl").write_text(pl, encoding="latin-1")
    subprocess.run(["pltotf", f"{_TFM}.pl", f"{_TFM}.tfm"], cwd=workdir, check=True, capture_output=True)


def _os2_version_3(data: bytes) -> bytes:
    """The font with its OS/2 table marked version 3 where it says 4 (or 5).

    pdfTeX 1.40.24 stops at an OS/2 table newer than version 3 ("unknown version of OS/2 table");
    versions 4 and 5 have the layout of version 3 for the fields it reads, so only the version
    number (and the table's checksum) changes: outlines, metrics and names are untouched.
    """
    (num_tables,) = struct.unpack_from(">H", data, 4)
    for i in range(num_tables):
        entry = 12 + 16 * i
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, entry)
        if tag != b"OS/2":
            continue
        (version,) = struct.unpack_from(">H", data, offset)
        if version <= 3:
            return data
        out = bytearray(data)
        struct.pack_into(">H", out, offset, 3)
        table = bytes(out[offset:offset + length]) + b"\0" * (-length % 4)
        checksum = sum(struct.unpack(f">{len(table) // 4}I", table)) & 0xFFFFFFFF
        struct.pack_into(">I", out, entry + 4, checksum)
        return bytes(out)
    return data


def _prepare_pdflatex(texts: list[str], font: Path, m: FontMetrics, workdir: Path) -> list[str]:
    L = LAYOUT
    _make_tfm(font, m, workdir)
    pt = 72.27 / 72  # TeX points a PostScript point
    tounicode = r"\input glyphtounicode \pdfgentounicode=1" if _kpsewhich("glyphtounicode.tex") else ""
    head = rf"""\documentclass{{article}}
\pdfmapline{{={_TFM} <{_ENC} <{font.name}}}
{tounicode}
\usepackage[T1]{{fontenc}}
\DeclareFontFamily{{T1}}{{gnutw}}{{}}
\DeclareFontShape{{T1}}{{gnutw}}{{m}}{{n}}{{<-> {_TFM}}}{{}}
\renewcommand\familydefault{{gnutw}}
\pdfpagewidth={L.page_width}bp \pdfpageheight={L.page_height}bp
\paperwidth={L.page_width}bp \paperheight={L.page_height}bp
\hoffset=-1in \voffset=-1in
\oddsidemargin={L.margin_left}bp \evensidemargin={L.margin_left}bp \textwidth={L.measure}bp
\topmargin={L.margin_top}bp \headheight=0pt \headsep=0pt \footskip=0pt
\textheight={L.body_height}bp \topskip={L.leading}bp \maxdepth={L.margin_bottom / 2}bp
\pagestyle{{empty}}
\pdfinfo{{/Title (facsimile peer: pdflatex)}}
\raggedbottom
\begin{{document}}
\fontsize{{{L.font_size * pt:.4f}}}{{{L.leading * pt:.4f}}}\selectfont
\lineskiplimit=-\maxdimen
\parindent={L.indent}bp \parskip={L.leading}bp
\raggedright \rightskip=0pt plus 1fil \parfillskip=0pt plus 1fil
\parindent={L.indent}bp \def\twospaces{{\hskip {2 * L.cell}bp\relax}}
\frenchspacing \hyphenpenalty=10000 \exhyphenpenalty=10000 \uchyph=0
\clubpenalty=150 \widowpenalty=150
"""
    body = "\n\n".join(_latex_paragraph(t) for t in texts)
    (workdir / "in.tex").write_text(head + "\n" + body + "\n\n\\end{document}\n", encoding="utf-8")
    return [
        "env", "-C", str(workdir), "pdflatex", "-interaction=batchmode", "-halt-on-error",
        "-jobname=out", "in.tex",
    ]


@functools.lru_cache(maxsize=None)
def _kpsewhich(name: str) -> str:
    done = subprocess.run(["kpsewhich", name], capture_output=True, text=True)
    return done.stdout.strip()


# ---------------------------------------------------------------------------------------------
# Warm compiles


def compile_in_process(engine: str, workdir: Path) -> None:
    """Compile workdir's prepared input to workdir/out.pdf in this process (a warm compile)."""
    workdir = Path(workdir).resolve()
    if engine == "typst":
        import typst

        args = json.loads((workdir / "typst.json").read_text())
        typst.compile(str(workdir / "in.typ"), output=str(workdir / OUT_PDF), **args)
    elif engine == "weasyprint":
        import weasyprint

        weasyprint.HTML(filename=str(workdir / "in.html")).write_pdf(str(workdir / OUT_PDF))
    elif engine == "pdflatex":
        raise NotImplementedError("pdflatex runs only as its own process: use prepare()'s argv")
    else:
        raise ValueError(f"unknown engine {engine!r}; one of {', '.join(ENGINES)}")
