"""Part texts to `facsimile proof` findings, written as commented suggestions for corrections.toml."""

from __future__ import annotations

import json
import re

from ..proof.slips import Finding, proof_lines

HEADER = """\
# Corrections of slips in the transcription. The part files keep the text exactly as received.
# `facsimile import` ran `facsimile proof` on it: each finding below is a suggestion, commented
# out. Read the text; to accept one, remove the '# ' before its lines (and check 'corrected').
# A word that is right as it stands can go into words.txt instead.
"""


def _markup_blanked(line: str) -> str:
    """A directive's name is markup, not text: blank it, keeping the columns."""
    if line.startswith("@") and not line.startswith("@@"):
        name = line.split(" ", 1)[0]
        return " " * len(name) + line[len(name):]
    return line


def corrected_token(finding: Finding) -> str:
    """The token as the finding suggests it, or '' where it names no single fix."""
    named = re.search(r"\((\w[\w'-]*)\)$", finding.reason)
    if named:
        return named.group(1)
    roman = re.search(r"'([^']+)' for '([^']+)'", finding.reason)
    if roman and finding.kind == "roman":
        return finding.token.replace(roman.group(1), roman.group(2))
    quote = re.search(r"where an? (?:closing|opening) (\S) belongs", finding.reason)
    if quote and finding.kind == "quote":
        return quote.group(1)
    return ""


def _context(lines: list[str], finding: Finding) -> tuple[str, int]:
    """The received text around the token, widened a word at a time until it occurs once in
    the part; and where the token starts in it."""
    line = lines[finding.line - 1]
    start = finding.col - 1
    end = start + len(finding.token)
    whole = "\n".join(lines)
    left, right = start, end
    for _ in range(12):
        snippet = line[left:right]
        if whole.count(snippet) == 1 and (right - left) > len(finding.token) + 2:
            break
        if left > 0:
            left = line.rfind(" ", 0, left - 1) + 1
        if right < len(line):
            nxt = line.find(" ", right + 1)
            right = len(line) if nxt < 0 else nxt
    return line[left:right], start - left


def suggestions(parts: list[tuple[str, str, str]]) -> tuple[str, list[tuple[str, int, Finding, str]]]:
    """corrections.toml's text from the parts (id, file, text), and each finding with its
    suggested correction ('' if none is named)."""
    out = [HEADER]
    found: list[tuple[str, int, Finding, str]] = []
    unknown: dict[str, str] = {}
    for part_id, _, text in parts:
        lines = text.split("\n")
        for finding in proof_lines([_markup_blanked(line) for line in lines], frozenset()):
            fix = corrected_token(finding)
            found.append((part_id, finding.line, finding, fix))
            received, at = _context(lines, finding)
            out.append("")
            if not fix:
                unknown.setdefault(finding.token, finding.reason)
                out.pop()
                continue
            corrected = received[:at] + fix + received[at + len(finding.token):]
            out.append("# [[correction]]")
            out.append(f"# part = {_q(part_id)}")
            out.append(f"# received = {_q(received)}")
            out.append(f"# corrected = {_q(corrected)}")
            out.append(f"# reason = {_q(finding.token + ': ' + finding.reason)}")
    if unknown:
        out.append("")
        out.append("# Found by proof with no single fix: correct them above, or add the right ones to words.txt:")
        out.extend(f"#   {token}: {reason}" for token, reason in unknown.items())
    return "\n".join(out) + "\n", found


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
