"""Plain records of the X12 277 family: claim status, requests for information, acknowledgments.

The 277 reader (`bot.importers.x277`) turns a file into these values; `bot.domain.status_rules`
decides which of them are documentation requests and which are front-end rejections. Nothing
here knows about Slack, SQLAlchemy or files. Money is `Decimal`, dates are `date`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from bot.domain.records import Party, Payer


class StatusTransaction(StrEnum):
    """Which 277 a transaction is (its implementation guide decides how to read it)."""

    CLAIM_STATUS = "277"  # 005010X212 (answer to a 276, or unsolicited), 004010X093A1, X070
    REQUEST = "277RFAI"  # 005010X213 (and 006020X313): request for additional information
    ACKNOWLEDGMENT = "277CA"  # 005010X214: front-end acceptance or rejection of an 837 batch

    @property
    def label(self) -> str:
        return {
            StatusTransaction.CLAIM_STATUS: "277 claim status",
            StatusTransaction.REQUEST: "277RFAI request for additional information",
            StatusTransaction.ACKNOWLEDGMENT: "277CA claim acknowledgment",
        }[self]


class StatusLevel(StrEnum):
    """Where in the hierarchy a status was given: what it is about."""

    RECEIVER = "batch"  # loop 2200B: the whole file (837 batch) the receiver sent
    PROVIDER = "provider"  # loop 2200C: every claim of one provider in that file
    CLAIM = "claim"  # loops 2200D/2200E: one claim (and its lines, 2220D/E)


@dataclass(frozen=True, slots=True)
class StatusCode:
    """One C043 composite (STC01, STC10 or STC11)."""

    category: str  # C043-01, code list 507: "A3", "R4", "P3", "F2" …
    code: str  # C043-02: code list 508, a LOINC code (qualifier LOI) or an NCPDP code (RX)
    entity: str | None = None  # C043-03, code list 98: who the status is about ("82", "QC")
    qualifier: str | None = None  # C043-04: "LOI" (LOINC) or "RX" (NCPDP reject code)

    @property
    def is_loinc(self) -> bool:
        return (self.qualifier or "").upper() == "LOI"


@dataclass(frozen=True, slots=True)
class StatusLine:
    """One service line of a claim status (loop 2220D/E)."""

    procedure: str  # SVC01-2, without qualifier
    qualifier: str = "HC"  # SVC01-1
    modifiers: tuple[str, ...] = ()
    charge: Decimal | None = None  # SVC02
    revenue_code: str | None = None  # SVC04
    units: Decimal | None = None  # SVC07
    line_control: str | None = None  # REF*FJ
    service_date: date | None = None  # DTP*472

    @property
    def described(self) -> str:
        """`99213-25` or `rev 0450`: how staff name a line."""
        if self.procedure:
            return "-".join((self.procedure, *self.modifiers))
        return f"rev {self.revenue_code}" if self.revenue_code else "a service line"


@dataclass(frozen=True, slots=True)
class ClaimStatus:
    """One STC segment: up to three status composites and what goes with them."""

    codes: tuple[StatusCode, ...]  # STC01, STC10, STC11 (the first is never empty)
    effective: date | None = None  # STC02: the date the status took effect
    action: str | None = None  # STC03: WQ (accepted) or U (rejected) in a 277CA
    amount: Decimal | None = None  # STC04: total claim charge (line charge on a line)
    message: str | None = None  # STC12: free-form text from the payer
    line: int | None = None  # index into the record's `lines`, None at claim level
    segment_number: int = 0

    @property
    def primary(self) -> StatusCode:
        return self.codes[0]


@dataclass(frozen=True, slots=True)
class StatusHeader:
    """Facts of one ST..SE of a 277, shared by its records."""

    transaction: StatusTransaction
    source: Payer  # NM1*PR (payer) or NM1*AY (clearinghouse), loop 2100A
    source_is_clearinghouse: bool = False
    receiver: Party = field(default_factory=Party)  # NM1*41, loop 2100B
    version: str | None = None  # ST03, else GS08
    control: str = ""  # ST02
    reference: str | None = None  # BHT03
    created: date | None = None  # BHT04
    file_date: date | None = None  # GS04


@dataclass(frozen=True, slots=True)
class StatusRecord:
    """The statuses a 277 gives for one batch, one provider or one claim."""

    header: StatusHeader
    level: StatusLevel
    statuses: tuple[ClaimStatus, ...]
    trace: str | None = None  # TRN02
    trace_type: str | None = None  # TRN01: 1 assigned by the sender, 2 referenced back
    claim_number: str | None = None  # the practice's claim number (CLM01), at claim level
    payer_claim_number: str | None = None  # REF*1K (TRN02 of a 277RFAI)
    clearinghouse_trace: str | None = None  # REF*D9
    bill_type: str | None = None  # REF*BLT
    provider: Party = field(default_factory=Party)  # NM1*1P / NM1*85: name and NPI
    patient: Party = field(default_factory=Party)  # PHI: NM1*QC / NM1*IL name and member id
    lines: tuple[StatusLine, ...] = ()
    billed: Decimal | None = None  # STC04 of the first claim-level STC
    service_from: date | None = None  # DTP*472 (or 232) of the claim
    service_to: date | None = None
    due_date: date | None = None  # DTP*106 "required by": answer the request by this day
    accepted_count: int | None = None  # QTY*90 / QTY*QA (batch and provider levels)
    rejected_count: int | None = None  # QTY*AA / QTY*QC
    accepted_amount: Decimal | None = None  # AMT*YU
    rejected_amount: Decimal | None = None  # AMT*YY
    source_line: int = 0  # segment number of the TRN (or HL) that opened the record

    @property
    def received_on(self) -> date | None:
        """When the payer said it: the first status date, else BHT04, else GS04."""
        for status in self.statuses:
            if status.effective is not None:
                return status.effective
        return self.header.created or self.header.file_date
