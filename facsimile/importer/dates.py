"""Text to the dates and datelines it holds: 'Nov. 7th, 1932.' to 1932-11-07."""

from __future__ import annotations

import re

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12,
    "december": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)"
_FORMS = (
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b,?(?:\s*\([^)]*\))?\s+{_YEAR}\b", re.I),  # Oct. 25th (7.X1) 1917
    re.compile(rf"\b{_DAY}\.?\s+{_MONTH},?\s+{_YEAR}\b", re.I),  # 14 January 1933
    re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b", re.I),  # November 1932
    re.compile(r"\b(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>1[6-9]\d\d|20\d\d|\d\d)\b"),  # 27.12.2002
)
DATELINE_LENGTH = 70  # a place and date line is short


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first date in the text as ISO (1932-11-07, or 1932-11 without a day), and where it
    stands (start, end); None if there is none."""
    best: tuple[int, str, int] | None = None
    for form in _FORMS:
        match = form.search(text)
        if not match:
            continue
        groups = match.groupdict()
        month_text = groups["month"]
        month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower()]
        year = int(groups["year"])
        if year < 100:
            year += 1900
        if not 1 <= month <= 12:
            continue
        day = int(groups["day"]) if groups.get("day") else 0
        if day > 31:
            continue
        iso = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
        if best is None or match.start() < best[0] or (match.start() == best[0] and len(iso) > len(best[1])):
            best = (match.start(), iso, match.end())
    return None if best is None else (best[1], best[0], best[2])


def is_dateline(text: str) -> bool:
    """A line that is a place and date, or a date: short, with a date, and no sentence
    around it ('PRINKIPO. Oct. 13th 1932.', 'New York, March 12, 1934', '(January 1933)')."""
    text = text.strip()
    if not text or len(text) > DATELINE_LENGTH:
        return False
    found = find_date(text)
    if found is None:
        return False
    _, start, end = found
    before, after = text[:start], text[end:]
    words_around = len(re.findall(r"[A-Za-z]{3,}", before)) + len(re.findall(r"[A-Za-z]{3,}", after))
    return words_around <= 4 and not text.rstrip(".").endswith((":", ";"))


def place_of(dateline: str) -> str:
    """The place a dateline names before its date ('Battersea, November 1932': Battersea)."""
    found = find_date(dateline)
    if found is None:
        return ""
    before = dateline[: found[1]].strip().strip("(").rstrip(" ,.;:-")
    return before if re.fullmatch(r"[A-Za-z][A-Za-z .'-]{1,40}", before) else ""
