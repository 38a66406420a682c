"""Claim (loop 2100) and service line (loop 2110) of an 835, collected segment by segment.

A draft is filled while its segments stream by and turned into a frozen `ClaimRecord` when the
next CLP, LX, PLB or SE closes it. Claim-level CAS (before the first SVC) and line CAS are kept
apart: the denial rules judge a claim without lines on its 2100 CAS alone (denial-facts §1).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Final

from bot.domain.records import (
    Adjustment,
    ClaimKind,
    ClaimRecord,
    ImportRefused,
    Party,
    RemittanceInfo,
    ServiceLine,
)
from bot.importers.x835_values import (
    NEXT_STEP,
    Warn,
    amount,
    element,
    element_name,
    number_or_none,
    padded,
    required_date,
    shown,
    split_composite,
)

# CLP02 (element 1029) → what the claim is; 4 stays ADJUDICATED so the denial rules see it
# (they treat it as a whole-claim denial, RFI 1423). denial-facts.md §1.
CLAIM_KINDS: Final[dict[str, ClaimKind]] = {
    "1": ClaimKind.ADJUDICATED,
    "2": ClaimKind.ADJUDICATED,
    "3": ClaimKind.ADJUDICATED,
    "4": ClaimKind.ADJUDICATED,
    "19": ClaimKind.ADJUDICATED,
    "20": ClaimKind.ADJUDICATED,
    "21": ClaimKind.ADJUDICATED,
    "22": ClaimKind.REVERSAL,
    "23": ClaimKind.FORWARDED,
    "25": ClaimKind.PREDETERMINATION,
}
_CAS_TRIPLETS: Final = range(2, 20, 3)  # CAS02-04, 05-07, … 17-19: up to six per segment
MIA_REMARKS: Final = (5, 20, 21, 22, 23)  # MIA05 and MIA20-23 carry RARCs
MOA_REMARKS: Final = (3, 4, 5, 6, 7)  # MOA03-07 carry RARCs
_LINE_DATES: Final = ("472", "150", "151")  # service date, period start, period end
_NPI_QUALIFIER: Final = "XX"  # NM108 = XX: NM109 is the NPI


def unique(codes: list[str]) -> tuple[str, ...]:
    """Codes in order of first appearance; payers repeat LQ/MOA codes (pyx12 bad_header)."""
    if len(codes) < 2:
        return tuple(codes)
    return tuple(dict.fromkeys(codes))


def person_or_org(fields: list[str]) -> str:
    """`LAST, FIRST M` for a person (NM102=1), the name as written for an organisation."""
    last, first, middle = element(fields, 3), element(fields, 4), element(fields, 5)
    if element(fields, 2) == "2" or not first:
        return last
    return f"{last}, {first} {middle}".rstrip() if middle else f"{last}, {first}"


def adjustments(fields: list[str], number: int, warn: Warn) -> list[Adjustment]:
    """The triplets of one CAS segment.

    Why a bad CAS amount is skipped (with a warning) rather than refusing the file: the
    published sample `affect_sample_835.txt` carries a template line
    `CAS*grp_code*reason_code*amount*quantity`, and every public sample must import. Amounts
    the remittance cannot do without (CLP03/04, SVC02/03, BPR02, PLB) still refuse the file.
    """
    size = len(fields)
    group = fields[1] if size > 1 else ""
    found: list[Adjustment] = []
    for start in _CAS_TRIPLETS:
        if start >= size:
            break
        reason = fields[start]
        value = fields[start + 1] if start + 1 < size else ""
        quantity = fields[start + 2] if start + 2 < size else ""
        if not reason and not value:
            continue
        parsed = number_or_none(value)
        if parsed is None:
            warn(
                f'{element_name("CAS", start + 1)} amount "{shown(value)}" is not a number; '
                f"the adjustment {shown(group)}-{shown(reason)} was skipped.",
                number,
                "CAS",
            )
            continue
        count: Decimal | None = None
        if quantity:
            count = number_or_none(quantity)
            if count is None:
                warn(
                    f'{element_name("CAS", start + 2)} quantity "{shown(quantity)}" is not a '
                    "number; it was left out.",
                    number,
                    "CAS",
                )
        found.append(Adjustment(group=group, carc=reason, amount=parsed, quantity=count))
    return found


class LineDraft:
    """One SVC (loop 2110) with its DTM, CAS, REF*6R and LQ*HE."""

    __slots__ = (
        "adjustments",
        "billed",
        "dates",
        "line_control",
        "modifiers",
        "original_procedure",
        "paid",
        "procedure",
        "qualifier",
        "remarks",
        "units",
    )

    def __init__(
        self, fields: list[str], number: int, component: str, separator: str, warn: Warn
    ) -> None:
        fields = padded(fields, 7)
        parts = split_composite(fields[1], component, separator)
        self.qualifier = parts[0]
        self.procedure = parts[1] if len(parts) > 1 else ""
        if not self.procedure:
            warn("SVC01 has no procedure code; the line was kept without one.", number, "SVC")
        self.modifiers = tuple(modifier for modifier in parts[2:6] if modifier)
        self.billed = _line_amount(fields[2], 2, number, warn)
        self.paid = _line_amount(fields[3], 3, number, warn)
        units = fields[5]
        self.units: Decimal | None = None
        if units:
            self.units = number_or_none(units)
            if self.units is None:
                warn(f'SVC05 units "{shown(units)}" is not a number; left out.', number, "SVC")
        self.original_procedure: str | None = None
        if fields[6]:  # SVC06: the code as billed, when the payer adjudicated another one
            original = split_composite(fields[6], component, separator)
            self.original_procedure = original[1] if len(original) > 1 and original[1] else None
        self.dates: dict[str, date] = {}
        self.line_control: str | None = None
        self.adjustments: list[Adjustment] = []
        self.remarks: list[str] = []

    @property
    def service_date(self) -> date | None:
        for qualifier in _LINE_DATES:
            if qualifier in self.dates:
                return self.dates[qualifier]
        return None

    def build(self) -> ServiceLine:
        return ServiceLine(
            procedure=self.procedure,
            modifiers=self.modifiers,
            billed=self.billed,
            paid=self.paid,
            units=self.units,
            qualifier=self.qualifier,
            original_procedure=self.original_procedure,
            service_date=self.service_date,
            line_control=self.line_control,
            adjustments=tuple(self.adjustments),
            remarks=unique(self.remarks),
        )


def _line_amount(value: str, position: int, number: int, warn: Warn) -> Decimal:
    # An empty SVC02/SVC03 happens in published samples (blue_cross_nc `SVC*HC:59426******742`):
    # read it as 0 and say so; a value that is there but not a number refuses the file.
    if not value:
        warn(f"{element_name('SVC', position)} is empty; read as 0.", number, "SVC")
        return Decimal(0)
    return amount(value, "SVC", position, number)


class ClaimDraft:
    """One CLP (loop 2100) and everything that belongs to it until the next claim."""

    __slots__ = (
        "adjustments",
        "billed",
        "claim_number",
        "dates",
        "kind",
        "line",
        "lines",
        "number",
        "original_reference",
        "paid",
        "patient",
        "patient_responsibility",
        "payer_claim_number",
        "provider",
        "remarks",
        "status",
    )

    def __init__(self, fields: list[str], number: int, warn: Warn) -> None:
        self.number = number
        fields = padded(fields, 8)
        self.claim_number = fields[1]
        if not self.claim_number:
            raise ImportRefused(
                f"a claim has no claim number (CLP01 is empty). {NEXT_STEP}",
                segment_number=number,
                segment_id="CLP",
            )
        self.status = fields[2]
        kind = CLAIM_KINDS.get(self.status)
        if kind is None:
            warn(
                f'claim status CLP02 "{shown(self.status)}" is not an 835 status code; '
                "the claim was read as adjudicated.",
                number,
                "CLP",
            )
            kind = ClaimKind.ADJUDICATED
        self.kind = kind
        # CLP03/CLP04 are required: a claim without its totals cannot be judged, so an empty
        # or damaged value refuses the file (unlike SVC02/03, see _line_amount).
        self.billed = amount(fields[3], "CLP", 3, number)
        self.paid = amount(fields[4], "CLP", 4, number)
        responsibility = fields[5]
        self.patient_responsibility = (
            amount(responsibility, "CLP", 5, number) if responsibility else None
        )
        self.payer_claim_number = fields[7] or None
        self.original_reference: str | None = None
        self.patient = Party()
        self.provider = Party()
        self.dates: dict[str, date] = {}
        self.adjustments: list[Adjustment] = []
        self.remarks: list[str] = []
        self.lines: list[LineDraft] = []
        self.line: LineDraft | None = None

    def nm1(self, fields: list[str]) -> None:
        entity = element(fields, 1)
        if entity == "QC":  # patient: name and member id (PHI: never put in messages)
            self.patient = Party(person_or_org(fields), element(fields, 9) or None)
        elif entity == "82":  # rendering provider; NM109 is an NPI only when NM108 = XX
            npi = element(fields, 9) if element(fields, 8) == _NPI_QUALIFIER else ""
            self.provider = Party(person_or_org(fields), npi or None)

    def dtm(self, fields: list[str], number: int) -> None:
        if len(fields) < 3 or not fields[2]:
            return
        qualifier, value = fields[1], fields[2]
        parsed = required_date(value, "DTM", qualifier, number)
        if self.line is not None:
            self.line.dates.setdefault(qualifier, parsed)
        else:
            self.dates.setdefault(qualifier, parsed)

    def ref(self, fields: list[str]) -> None:
        fields = padded(fields, 3)
        if self.line is not None:
            if fields[1] == "6R":
                self.line.line_control = fields[2] or None
        elif fields[1] == "F8":
            self.original_reference = fields[2] or None

    def remark_codes(self, fields: list[str], positions: tuple[int, ...]) -> None:
        self.remarks.extend(code for code in (element(fields, p) for p in positions) if code)

    def start_line(self, line: LineDraft) -> None:
        self.line = line
        self.lines.append(line)

    def service_date(self) -> date | None:
        if "232" in self.dates:
            return self.dates["232"]
        line_dates = [d for d in (line.service_date for line in self.lines) if d is not None]
        return min(line_dates) if line_dates else None

    def build(self, remittance: RemittanceInfo) -> ClaimRecord:
        return ClaimRecord(
            remittance=remittance,
            claim_number=self.claim_number,
            status_code=self.status,
            kind=self.kind,
            billed=self.billed,
            paid=self.paid,
            patient_responsibility=self.patient_responsibility,
            payer_claim_number=self.payer_claim_number,
            original_reference=self.original_reference,
            service_date=self.service_date(),
            patient=self.patient,
            rendering_provider=self.provider,
            adjustments=tuple(self.adjustments),
            remarks=unique(self.remarks),
            lines=tuple([line.build() for line in self.lines]),
            source_line=self.number,
        )
