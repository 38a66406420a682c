"""Rows of a report that are not claims although they hold amounts: totals and subtotals.

Reports print them between and after the claims, in whatever column is free: `Grand Total` in
the claim column, `Aetna Subtotal` in the payer column, `,,,,,,,,,Total Denied,360.00,` in the
reason column with the amount under the adjustment. Such a row is skipped (and named in the
import's warnings), never read as a claim row whose claim number is empty, which would refuse
the whole report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Final

from bot.importers.csv_columns import CLAIM_KEYS, SLOTS, Field

_WORDS: Final = re.compile(r"[a-z]+")
_TOTAL: Final = frozenset({"total", "totals", "subtotal", "subtotals"})
# Words that qualify a total when they come first: `Grand Total`, `Sub Total`, `Page Totals`.
_QUALIFIERS: Final = frozenset({"grand", "sub", "report", "page", "batch", "running", "net"})
LABEL_MAX: Final = 60  # a label, not a sentence that happens to say "total"
# What a row of sums never has.
_NOT_A_SUM: Final = (
    *CLAIM_KEYS,
    Field.PAYER,
    Field.PROCEDURE,
    Field.SERVICE_DATE,
    *(name for slot in SLOTS for name in slot[:2]),
    Field.RARC,
    Field.REASON_TEXT,
    Field.STATUS,
)


def totals_label(cell: str) -> bool:
    """`Total`, `Totals:`, `Total Denied`, `Total for Cigna`, `Total Claims: 5`, `Grand Total`,
    `Sub-Total`, `Aetna Subtotal`, `Payer Total`."""
    text = cell.strip()
    if not text or len(text) > LABEL_MAX:
        return False
    words = _WORDS.findall(text.lower())
    if not words:
        return False
    if words[0] in _TOTAL or words[-1] in _TOTAL:
        return True
    return len(words) >= 2 and words[0] in _QUALIFIERS and words[1] in _TOTAL


def totals_row(cells: Sequence[str], claim_columns: Sequence[int]) -> str | None:
    """The row's totals label when it is a totals row: some cell is a label and the claim
    number columns hold nothing else (a claim row keeps its claim number whatever its reason
    text says). None for any other row."""
    if not any("tot" in c.lower() for c in cells):  # most rows: no label to look for
        return None
    label = next((c for c in cells if totals_label(c)), None)
    if label is None:
        return None
    for column in claim_columns:
        value = cells[column] if column < len(cells) else ""
        if value and not totals_label(value):
            return None
    return label.strip()


def amounts_only(values: Mapping[Field, str]) -> bool:
    """A row of amounts without a label, a claim, a payer, a service or a reason: the sums a
    report prints under a claim's lines or a payer's claims."""
    return not any(values.get(name) for name in _NOT_A_SUM)
