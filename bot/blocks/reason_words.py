"""Whether a remark (RARC) only repeats what its reason code (CARC) already says.

A card lists the payer's reason codes with their words; a remark that says the same thing again
("Duplicate claim or service" then "Duplicate of a crossover claim") is noise a clerk has to
read twice. Words are compared by their first five letters, so "duplicate" and "duplicates",
"authorized" and "authorization" count as one.
"""

from __future__ import annotations

import re
from typing import Final

_WORD: Final = re.compile(r"[a-z]+")
_STEM: Final = 5
_SHORT: Final = 3  # "the", "not", "one": too short to carry meaning
_COMMON: Final = frozenset(
    {"this", "that", "with", "from", "been", "have", "were", "was", "are", "for", "the", "and"}
    | {"which", "there", "their", "when", "does", "also", "other", "service", "services"}
)
SAME_SHARE: Final = 0.5  # at least half the remark's words are already in the reason


def _stems(text: str) -> set[str]:
    return {
        word[:_STEM]
        for word in _WORD.findall(text.lower())
        if len(word) > _SHORT and word not in _COMMON
    }


def repeats(reason: str, remark: str) -> bool:
    """True when at least half of the remark's meaningful words are in the reason's words."""
    said = _stems(remark)
    if not said:
        return False
    return len(said & _stems(reason)) / len(said) >= SAME_SHARE
