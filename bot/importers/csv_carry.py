"""Service lines printed under their claim: grouped reports write the claim number, payer and
check on a claim's first line only, and leave them blank on the lines below it.

A row with no claim number and no payer that still names a service (a procedure code or a
service date) continues the claim above it: it takes that claim's claim-level cells. Any other
row without a claim number breaks the chain (a totals row, a note), so a line is never given a
claim from across a subtotal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from bot.importers.csv_columns import CLAIM_KEYS, Field

# What a claim's first line says for all of its lines.
CLAIM_LEVEL: Final = (
    *CLAIM_KEYS,
    Field.PATIENT_ACCOUNT,
    Field.PATIENT_NAME,
    Field.DOB,
    Field.MEMBER_ID,
    Field.PAYER,
    Field.PAYER_ID,
    Field.PLAN,
    Field.CHECK,
    Field.NOTICE_DATE,
    Field.POSTED_DATE,
    Field.RENDERING_PROVIDER,
    Field.RENDERING_NPI,
    Field.LOCATION,
    Field.ERA_FILE,
)
_SERVICE: Final = (Field.PROCEDURE, Field.SERVICE_DATE)


@dataclass(slots=True)
class ClaimCarry:
    """Reads the rows in file order; remembers the last claim row's claim-level cells."""

    continued: list[int] = field(default_factory=list)  # lines that took them
    _last: dict[Field, str] = field(default_factory=dict)

    def fill(self, values: Mapping[Field, str], line: int) -> dict[Field, str]:
        """`values`, with the claim above's cells when the row continues that claim."""
        if any(values.get(key) for key in CLAIM_KEYS):
            self._last = {name: values[name] for name in CLAIM_LEVEL if values.get(name)}
            return dict(values)
        if self._last and not values.get(Field.PAYER) and any(values.get(s) for s in _SERVICE):
            self.continued.append(line)
            return {**values, **{k: v for k, v in self._last.items() if not values.get(k)}}
        self._last = {}
        return dict(values)
