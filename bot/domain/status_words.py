"""Claim status codes in plain words: categories (code list 507), statuses (508), entities (98)
and the LOINC codes a 277RFAI uses to name the document it asks for.

The words are our short paraphrases (the official lists are published by X12 and LOINC and not
redistributed here), kept in `bot/domain/data/status_words.csv`. A code the table does not know
is never an error: it is shown as the code itself, so nothing the payer said is hidden.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib import resources
from typing import Final

from bot.domain.claim_status import StatusCode

PACKAGE_DATA: Final = "status_words.csv"
_NCPDP: Final = "RX"
# The payer naming itself as the entity a status is about adds nothing a clerk can act on.
_SELF: Final = "PR"


@lru_cache(maxsize=1)
def _table() -> dict[tuple[str, str], str]:
    text = resources.files("bot.domain.data").joinpath(PACKAGE_DATA).read_text("utf-8")
    return {(row["list"], row["code"]): row["words"] for row in csv.DictReader(io.StringIO(text))}


def category_words(category: str) -> str:
    """`R4` → "supporting documentation requested"; unknown → "status category R17"."""
    return _table().get(("category", category.upper()), f"status category {category}")


def entity_words(entity: str) -> str:
    return _table().get(("entity", entity.upper()), f"entity {entity}")


def document_words(loinc: str) -> str:
    """The document a LOINC attachment code names: `11504-8` → "operative … note"."""
    known = _table().get(("loinc", loinc))
    return f"{known} (LOINC {loinc})" if known else f"the document LOINC {loinc}"


def describe(code: StatusCode) -> str:
    """One status composite in words a billing clerk reads, codes kept where they help."""
    if code.is_loinc:
        return document_words(code.code)
    if (code.qualifier or "").upper() == _NCPDP:
        return f"pharmacy (NCPDP) reject code {code.code}"
    table = _table()
    entity = code.entity if code.entity and code.entity.upper() != _SELF else None
    # "fact" codes name one fact about an entity (153 "id number"): with the entity they read
    # "rendering provider's id number"
    fact = table.get(("fact", code.code))
    if fact is not None:
        return f"{entity_words(entity)}'s {fact}" if entity else fact
    words = table.get(("status", code.code), f"status code {code.code}")
    return f"{words} ({entity_words(entity)})" if entity else words
