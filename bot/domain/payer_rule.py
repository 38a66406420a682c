"""One row of the payer rules table: how a payer is recognised and its appeal windows."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from bot.domain.records import Payer


class Anchor(StrEnum):
    """Which notice date starts the appeal clock (denial-facts.md section 1)."""

    EARLIEST = "earliest"  # earliest valid of DTM*405 and BPR16: never later than the real one
    DTM405 = "dtm405"
    BPR16 = "bpr16"


@dataclass(frozen=True, slots=True)
class AppealAddress:
    """Where a payer takes appeals (the `appeals` of a rules row); empty where not on file.

    Only what a source shows is filled in: a letter shows a marked blank for the rest.
    """

    mail: tuple[str, ...] = ()  # address lines
    fax: str | None = None
    portal: str | None = None
    source: tuple[str, ...] = ()
    note: str = ""


def _compile(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


@dataclass(frozen=True, slots=True)
class PayerRule:
    key: str
    name: str
    appeal_days: int
    resubmission_days: int  # no-appeal denials: days from the date of service
    source: tuple[str, ...]
    anchor: Anchor = Anchor.EARLIEST
    next_level_days: tuple[int, ...] = ()
    presumed_receipt_days: int = 0  # opt-in (Medicare presumes receipt 5 days after the notice)
    ids: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # regular expressions searched in the name, case-insensitive
    not_names: tuple[str, ...] = ()  # a name matching one of these never matches the row
    note: str = ""
    # Documentation requests (ADRs, 277RFAI) that carry no due date: answer within this many
    # days of the request, per `records_source` (none: the conservative default, see the file).
    records_days: int = 30
    records_source: tuple[str, ...] = ()
    appeals: AppealAddress = AppealAddress()
    _names: tuple[re.Pattern[str], ...] = field(default=(), init=False, repr=False, compare=False)
    _not_names: tuple[re.Pattern[str], ...] = field(
        default=(), init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_names", _compile(self.names))
        object.__setattr__(self, "_not_names", _compile(self.not_names))

    def excludes(self, payer: Payer) -> bool:
        return any(p.search(payer.name) for p in self._not_names)

    def matches_id(self, payer: Payer) -> bool:
        ident = (payer.identifier or "").strip().casefold()
        return bool(ident) and any(ident == i.strip().casefold() for i in self.ids)

    def matches_name(self, payer: Payer) -> bool:
        return any(p.search(payer.name) for p in self._names)
