"""Characters a 1932 British typewriter lacked, to the keys a typist struck instead (one table)."""

from __future__ import annotations

# The one table of substitutions. A typist had straight quotes only, no dashes but the hyphen,
# no ellipsis, and spaced with the space bar. Everything else is typed as written; a character
# that no shipped typeface has is an error, never an empty box.
SUBSTITUTES: dict[str, str] = {
    "\u2018": "'",  # LEFT SINGLE QUOTATION MARK
    "\u2019": "'",  # RIGHT SINGLE QUOTATION MARK
    "\u201a": "'",  # SINGLE LOW-9 QUOTATION MARK
    "\u201b": "'",  # SINGLE HIGH-REVERSED-9 QUOTATION MARK
    "\u2032": "'",  # PRIME
    "\u201c": '"',  # LEFT DOUBLE QUOTATION MARK
    "\u201d": '"',  # RIGHT DOUBLE QUOTATION MARK
    "\u201e": '"',  # DOUBLE LOW-9 QUOTATION MARK
    "\u201f": '"',  # DOUBLE HIGH-REVERSED-9 QUOTATION MARK
    "\u2033": '"',  # DOUBLE PRIME
    "\u2010": "-",  # HYPHEN
    "\u2011": "-",  # NON-BREAKING HYPHEN
    "\u2012": "-",  # FIGURE DASH
    "\u2013": "-",  # EN DASH: a hyphen, spaced as written
    "\u2014": "--",  # EM DASH: two hyphens
    "\u2015": "--",  # HORIZONTAL BAR
    "\u2212": "-",  # MINUS SIGN
    "\u2026": "...",  # HORIZONTAL ELLIPSIS: three full stops
    "\u00a0": " ",  # NO-BREAK SPACE
    "\u2002": " ",  # EN SPACE
    "\u2003": " ",  # EM SPACE
    "\u2009": " ",  # THIN SPACE
    "\u202f": " ",  # NARROW NO-BREAK SPACE
}


def typed(ch: str) -> str:
    """The keys struck for one character of the source."""
    return SUBSTITUTES.get(ch, ch)
