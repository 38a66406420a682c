"""The header of one 835 transaction (BPR, TRN, DTM*405, N1*PR/PE, REF*2U) as it streams by.

Header dates only start the appeal clock and have fallbacks (DTM*405, else BPR16, else GS04,
else the import day: denial-facts §1), so a damaged one is dropped with a warning instead of
refusing the file — "read it defensively".
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Final

from bot.domain.records import Party, Payer, RemittanceInfo
from bot.importers.x835_values import Warn, amount, element, parse_date, shown

_PRODUCTION_DATE: Final = "405"
_PAYER_ID_REF: Final = "2U"  # REF*2U in loop 1000A: the payer's id, preferred over N1*PR04
_NPI: Final = "XX"  # N1*PE03: N104 is the payee's NPI


class HeaderDraft:
    """Facts of one ST..SE header, turned into a `RemittanceInfo` when the claims start."""

    __slots__ = (
        "check_number",
        "payee",
        "payee_npi",
        "payer_id_n1",
        "payer_id_ref",
        "payer_name",
        "payment_amount",
        "payment_date",
        "payment_method",
        "production_date",
    )

    def __init__(self) -> None:
        self.payer_name = ""
        self.payer_id_n1: str | None = None
        self.payer_id_ref: str | None = None
        self.payee = Party()
        self.payee_npi: str | None = None
        self.check_number: str | None = None
        self.payment_amount: Decimal | None = None
        self.payment_method: str | None = None
        self.production_date: date | None = None
        self.payment_date: date | None = None

    def bpr(self, fields: list[str], number: int, warn: Warn) -> None:
        value = element(fields, 2)
        if value:
            self.payment_amount = amount(value, "BPR", 2, number)
        else:
            warn("BPR02 (payment amount) is empty; left out.", number, "BPR")
        self.payment_method = element(fields, 4) or None
        written, position = element(fields, 16), 16
        if not written and len(fields) == 16 and not element(fields, 13):
            # Some files drop one element and put the check date in BPR15 (lfh_secondary-
            # payment.835). BPR15 is otherwise an account number, which cannot be the case when
            # BPR13/14 (the receiver's bank and account type) are empty.
            written, position = element(fields, 15), 15
            if parse_date(written) is None:
                written = ""
        if written:
            self.payment_date = _header_date(written, f"BPR{position}", number, "BPR", warn)

    def trn(self, fields: list[str]) -> None:
        self.check_number = element(fields, 2) or None

    def dtm(self, fields: list[str], number: int, warn: Warn) -> None:
        if element(fields, 1) == _PRODUCTION_DATE and element(fields, 2):
            self.production_date = _header_date(element(fields, 2), "DTM*405", number, "DTM", warn)

    def n1(self, fields: list[str]) -> None:
        entity, name = element(fields, 1), element(fields, 2)
        if entity == "PR":
            self.payer_name = name
            # N1*PR03 (XV, PI, …) qualifies N1*PR04: the payer's id when REF*2U is missing.
            if element(fields, 3) and element(fields, 4):
                self.payer_id_n1 = element(fields, 4).strip()
        elif entity == "PE":
            self.payee = Party(name, element(fields, 4).strip() or None)
            # N1*PE03 says what N104 is: XX an NPI; FI a tax id, which never goes in a letter.
            self.payee_npi = self.payee.identifier if element(fields, 3) == _NPI else None

    def ref(self, fields: list[str]) -> None:
        if element(fields, 1) == _PAYER_ID_REF and element(fields, 2):
            self.payer_id_ref = element(fields, 2).strip()

    def build(
        self, *, file_date: date | None, version: str | None, transaction: str | None
    ) -> RemittanceInfo:
        return RemittanceInfo(
            payer=Payer(self.payer_name, self.payer_id_ref or self.payer_id_n1),
            payee=self.payee,
            payee_npi=self.payee_npi,
            check_number=self.check_number,
            payment_amount=self.payment_amount,
            payment_method=self.payment_method,
            production_date=self.production_date,
            payment_date=self.payment_date,
            file_date=file_date,
            version=version,
            transaction=transaction,
        )


def _header_date(value: str, name: str, number: int, segment_id: str, warn: Warn) -> date | None:
    parsed = parse_date(value)
    if parsed is None:
        warn(
            f'{name} date "{shown(value)}" is not a real date; it was ignored and the appeal '
            "clock uses the next date available.",
            number,
            segment_id,
        )
    return parsed
