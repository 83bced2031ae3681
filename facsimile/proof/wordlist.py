"""pyspellchecker's packaged English word list to word lookups that allow British spellings."""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from importlib.resources import files

# Frequencies in the list start at this floor; entries at the floor are rare or dubious words,
# good enough to accept a word but not to be offered as a correction.
RARE = 50

# British spellings the (American) list lacks, turned into the spelling it has. Rules, not words.
_BRITISH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"([a-z]{2})is(e|ed|es|ing|er|ers|ation|ations|ational)$", r"\1iz\2"),  # organise
        (r"ys(e|ed|es|ing)$", r"yz\1"),                                          # analyse
        (r"our(s|ed|ing|er|ers|ite|ites|able|ful|less|ism|ist|ists)?$", r"or\1"),  # labour
        (r"our(i|ou)", r"or\1"),                                                # glamourous
        (r"([a-z])tre(s|d)?$", r"\1ter\2"),                                      # centre
        (r"mme(s)?$", r"m\1"),                                                   # programme
        (r"([aeiou])ll(ed|ing|er|ers|ery)$", r"\1l\2"),                           # travelled
        (r"ence(s)?$", r"ense\1"),                                               # defence
        (r"ogue(s)?$", r"og\1"),                                                 # catalogue
    )
)


@lru_cache(maxsize=1)
def frequencies() -> dict[str, int]:
    """Word -> frequency from the packaged list, loaded once on first use."""
    resource = files("spellchecker") / "resources" / "en.json.gz"
    with resource.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        data: dict[str, int] = json.load(text)
    return data


def british_variants(word: str) -> list[str]:
    """The American spellings a British spelling of `word` (lower case) may correspond to."""
    return [new for pattern, repl in _BRITISH if (new := pattern.sub(repl, word, count=1)) != word]


def frequency(word: str) -> int:
    """The list's frequency of `word` (any case), through British spellings; 0 if unknown."""
    table = frequencies()
    low = word.lower().replace("\u2019", "'")
    found = table.get(low, 0)
    if not found and low.endswith("'s"):
        found = table.get(low[:-2], 0)
    if not found:
        found = max((table.get(v, 0) for v in british_variants(low)), default=0)
    return found


def is_word(word: str) -> bool:
    """Whether `word` (any case) is in the list, allowing British spellings and a possessive."""
    return frequency(word) > 0
