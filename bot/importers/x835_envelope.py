"""ISA/GS/ST nesting of an X12 file: what is open, what the trailers count, what is cut off.

A missing or miscounted trailer (SE01, GE01, IEA01) loses no data, so it is a warning (the
published samples have several). A transaction without its SE is different: the end of the
remittance is missing, and the file is refused (DESIGN §4: imported whole or not at all).

The 835 and 277 readers share it: each says which transaction set it reads (`Expected`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from bot.errors import InputError
from bot.importers.x835_values import NEXT_STEP, Warn, element, parse_date, shown

_OTHER_TRANSACTIONS: Final = {
    "837": "an 837 claim file",
    "835": "an 835 remittance",
    "277": "a 277 claim status file",
    "276": "a 276 claim status request",
    "270": "a 270 eligibility request",
    "271": "a 271 eligibility response",
    "278": "a 278 authorization file",
    "834": "an 834 enrollment file",
    "820": "an 820 premium payment file",
    "999": "a 999 acknowledgment",
    "997": "a 997 acknowledgment",
}


@dataclass(frozen=True, slots=True)
class Expected:
    """The transaction set a reader reads, and how a refusal names it."""

    ids: frozenset[str]  # ST01 values, e.g. {"835"}
    name: str  # "an 835 remittance"
    file_hint: str  # what to import instead: "the 835 (electronic remittance advice) file"

    def no_transaction(self) -> str:
        return (
            f"the file has no {'/'.join(sorted(self.ids))} transaction (no ST segment). Nothing "
            f"from this file was stored; check that it is {self.file_hint}, or ask the sender "
            "for a new one."
        )


REMITTANCE: Final = Expected(
    frozenset({"835"}), "an 835 remittance", "the 835 (electronic remittance advice) file"
)
NO_TRANSACTION: Final = REMITTANCE.no_transaction()
CUT_OFF: Final = (
    "Nothing from this file was stored; download it again or ask the payer for a new copy."
)


def outside_transaction(number: int, segment_id: str) -> InputError:
    what = "a claim (CLP)" if segment_id == "CLP" else f"segment {segment_id}"
    return InputError(
        f"{what} appears outside a transaction: the ST that should open it is missing. {NEXT_STEP}",
        segment_number=number,
        segment_id=segment_id,
    )


class Envelope:
    """Open interchange, group and transaction, and what their trailers must count."""

    def __init__(self, warn: Warn, expected: Expected = REMITTANCE) -> None:
        self._warn = warn
        self._expected = expected
        self._isa: int | None = None
        self._isa_groups = 0  # IEA01 counts the groups of the interchange
        self._gs: int | None = None
        self._gs_transactions = 0  # GE01 counts the transactions of the group
        self._seen_st = False
        self.st: int | None = None  # segment number of the open ST
        self.st_control = ""  # ST02
        self.file_date: date | None = None  # GS04
        self.version: str | None = None  # GS08
        self.implementation: str | None = None  # ST03 (5010 on): the guide, e.g. 005010X214

    def isa(self, number: int, fields: list[str]) -> None:
        self._require_closed_transaction(number, "ISA")
        if self._isa is not None:
            self._warn("the previous interchange has no IEA.", number, "ISA")
        self._isa, self._isa_groups = number, 0

    def iea(self, number: int, fields: list[str]) -> None:
        self._require_closed_transaction(number, "IEA")
        if self._isa is not None and element(fields, 1) != str(self._isa_groups):
            self._warn(
                f'IEA01 says "{shown(element(fields, 1))}" groups but the interchange has '
                f"{self._isa_groups}.",
                number,
                "IEA",
            )
        self._isa = None

    def gs(self, number: int, fields: list[str]) -> None:
        self._require_closed_transaction(number, "GS")
        if self._gs is not None:
            self._warn("the previous functional group has no GE.", number, "GS")
        self._gs, self._gs_transactions = number, 0
        self._isa_groups += 1
        written = element(fields, 4)
        self.file_date = parse_date(written)
        if written and self.file_date is None:
            self._warn(f'GS04 date "{shown(written)}" is not a real date; ignored.', number, "GS")
        self.version = element(fields, 8) or None

    def ge(self, number: int, fields: list[str]) -> None:
        self._require_closed_transaction(number, "GE")
        if self._gs is not None and element(fields, 1) != str(self._gs_transactions):
            self._warn(
                f'GE01 says "{shown(element(fields, 1))}" transactions but the group has '
                f"{self._gs_transactions}.",
                number,
                "GE",
            )
        self._gs = None

    def open_transaction(self, number: int, fields: list[str]) -> None:
        self._require_closed_transaction(number, "ST")
        kind = element(fields, 1)
        expected = self._expected
        if kind not in expected.ids:
            what = _OTHER_TRANSACTIONS.get(kind, f'a "{shown(kind)}" transaction')
            raise InputError(
                f"this is {what}, not {expected.name}. Nothing from this file was stored; "
                f"import {expected.file_hint} instead, each kind of file on its own.",
                segment_number=number,
                segment_id="ST",
            )
        self.st, self.st_control, self._seen_st = number, element(fields, 2), True
        self.implementation = element(fields, 3) or None
        self._gs_transactions += 1

    def close_transaction(self, number: int, fields: list[str]) -> None:
        if self.st is None:
            self._warn("SE without an ST before it; ignored.", number, "SE")
            return
        counted = number - self.st + 1  # SE01 counts ST and SE themselves
        if element(fields, 1) != str(counted):
            self._warn(
                f'SE01 says "{shown(element(fields, 1))}" segments but the transaction has '
                f"{counted}.",
                number,
                "SE",
            )
        if element(fields, 2) != self.st_control:
            self._warn("SE02 does not match ST02.", number, "SE")
        self.st = None

    def _require_closed_transaction(self, number: int, segment_id: str) -> None:
        if self.st is not None:
            raise InputError(
                f"the transaction that starts at segment {self.st} (ST) has no SE before this "
                f"{segment_id}: part of the file is missing. {NEXT_STEP}",
                segment_number=number,
                segment_id=segment_id,
            )

    def finish(self, number: int, segment_id: str, *, unterminated_tail: bool) -> None:
        """At the end of the file: refuse a cut-off file, warn about missing trailers."""
        if self.st is not None:
            raise InputError(
                f"the file ends inside the transaction that starts at segment {self.st} (ST); "
                f"its SE is missing, so the file looks cut off. {CUT_OFF}",
                segment_number=number,
                segment_id=segment_id,
            )
        if unterminated_tail and self._isa is not None:
            raise InputError(
                f"the file ends in the middle of segment {segment_id} and has no IEA, so it "
                f"looks cut off. {CUT_OFF}",
                segment_number=number,
                segment_id=segment_id,
            )
        if not self._seen_st:
            raise InputError(self._expected.no_transaction())
        if self._gs is not None:
            self._warn("the file ends without GE (end of the functional group).", number, "")
        if self._isa is not None:
            self._warn("the file ends without IEA (end of the interchange).", number, "")
