"""Payers as people read and match them: alias keys, and a display name in readable case.

A payer is one entity with many aliases: the ids it is known by (N1*PR04, REF*2U, a CSV's payer
id column) and the names it is written as (`AETNA`, `Aetna`, `Aetna, Inc.`). Names match
case- and punctuation-blind; ids match as written, without spaces and in upper case.

`display_name` turns what a payer or PM system wrote into what a card shows: remittances shout
(`BLUE CROSS AND BLUE SHIELD OF NORTH CAROLINA`), people read `Blue Cross and Blue Shield of
North Carolina`. Acronyms stay acronyms (`BCBS of Texas`, `Medicare Part B MAC`), well-known
brands keep their own spelling (`UnitedHealthcare`), and a name already written in mixed case
is left as written.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Final

UNKNOWN_PAYER: Final = "Unknown payer"


class AliasKind(StrEnum):
    ID = "id"
    NAME = "name"


_NOT_ALNUM: Final = re.compile(r"[^0-9a-z]+")
_SPACES: Final = re.compile(r"\s+")


def name_key(name: str) -> str:
    """`aetna inc` for `AETNA, INC.` and `Aetna Inc`: what two spellings share when they name
    the same payer. "" when nothing is left (no letters or digits)."""
    return " ".join(_NOT_ALNUM.sub(" ", name.casefold()).split())


def id_key(identifier: str) -> str:
    """A payer id as it is compared: upper case, without spaces (`87726`, `SX107`)."""
    return _SPACES.sub("", identifier).upper()


# -- display names ------------------------------------------------------------------------------

# Brands spelled their own way, and acronyms that have vowels (so the no-vowel rule below does
# not catch them). Keys are lower case; a word is looked up without its punctuation.
_SPELLINGS: Final = {
    word.lower(): word
    for word in (
        "UnitedHealthcare",
        "UnitedHealth",
        "AmeriHealth",
        "CareFirst",
        "CareSource",
        "CareMore",
        "WellCare",
        "HealthPartners",
        "HealthSpring",
        "BlueCross",
        "BlueShield",
        "MassHealth",
        "TennCare",
        "CalOptima",
        "eMedNY",
        "TRICARE",
        "CHAMPVA",
        "AARP",
        "NYS",
        "St",
        "Mt",
        "Ft",
        "Ltd",
        "AHCCCS",
        "NYSDOH",
        "GEHA",
        "USAA",
        "AIG",
        "UMR",
        "HMO",
        "PPO",
        "EPO",
        "POS",
        "UHC",
        "MAC",
        "DME",
        "MCO",
        "HMSA",
        "IEHP",
        "EMI",
        "II",
        "III",
        "IV",
    )
}
# Small words stay lower case inside a name ("Blue Cross and Blue Shield of Texas").
_SMALL: Final = frozenset({"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the"})
# US state and territory codes written alone are abbreviations ("BCBS of TX"); the ones that are
# also English words ("IN", "OR", "ME", "OK", "HI") are left to the small-word and title rules.
_STATE_CODES: Final = (
    "AK AL AR AZ CA CO CT DC DE FL GA GU IA ID IL KS KY LA MA MD MI MN MO MS MT NC ND NE NH NJ "
    "NM NV NY OH PA PR RI SC SD TN TX UT VA VI VT WA WI WV WY"
)
_STATES: Final = frozenset(_STATE_CODES.split())
_VOWELS: Final = frozenset("aeiouy")
_WORD: Final = re.compile(r"[A-Za-z0-9]+")


def display_name(written: str) -> str:
    """The payer's name in readable case (see the module docstring)."""
    text = " ".join(written.split())
    if not text:
        return UNKNOWN_PAYER
    if any(c.islower() for c in text) and any(c.isupper() for c in text):
        return text  # written by someone who cared about case: keep it
    words = text.split(" ")
    return " ".join(_word(word, first=index == 0) for index, word in enumerate(words))


def _word(word: str, *, first: bool) -> str:
    """One space-separated word; its letter runs are cased one by one (`MEDI-CAL` → `Medi-Cal`)."""
    runs = _WORD.findall(word)
    if len(runs) == 1 and not first and runs[0].lower() in _SMALL and runs[0] == word:
        return word.lower()
    return _WORD.sub(lambda found: _run(found.group(0)), word)


def _run(run: str) -> str:
    lower = run.lower()
    known = _SPELLINGS.get(lower)
    if known is not None:
        return known
    if any(c.isdigit() for c in run) or len(run) == 1:
        return run.upper()  # "Plan 2A", "Part B"
    if run.upper() in _STATES or not _VOWELS & set(lower):
        return run.upper()  # "TX", "BCBS", "WSFG"
    return lower.capitalize()
