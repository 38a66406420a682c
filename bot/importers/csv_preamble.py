"""What a report says above its header: a portal's or payer's export often names the payer
once in its title lines (`Payer: UnitedHealthcare`) and has no payer column at all."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from bot.importers.csv_words import content_words

# Labels whose value is the payer: `Payer:`, `Insurance Company:`, `Carrier`, `Health Plan`.
_PAYER_LABELS: Final = (
    frozenset({"payer"}),
    frozenset({"payer", "name"}),
    frozenset({"insurance"}),
    frozenset({"insurance", "name"}),
    frozenset({"insurance", "company"}),
    frozenset({"carrier"}),
    frozenset({"health", "plan"}),
)
VALUE_MAX: Final = 80


def payer_above(records: Sequence[Sequence[str]]) -> str:
    """The payer a line above the header names, as `Payer: Aetna` in one cell or `Payer` and
    `Aetna` in two; "" when none does (or when two lines name different payers)."""
    found: set[str] = set()
    for cells in records:
        filled = [c.strip() for c in cells if c and c.strip()]
        for index, cell in enumerate(filled):
            label, colon, rest = cell.partition(":")
            if not _is_payer_label(label):
                continue
            value = rest.strip() if colon and rest.strip() else ""
            if not value and index + 1 < len(filled):
                value = filled[index + 1]
            if value and len(value) <= VALUE_MAX:
                found.add(value)
    return found.pop() if len(found) == 1 else ""


def _is_payer_label(text: str) -> bool:
    return len(text) <= 30 and content_words(text) in _PAYER_LABELS
