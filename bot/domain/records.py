"""Plain records that the importers produce and the rest of the product consumes.

Importers (X12 835, CSV reports) turn files into these values; nothing here knows about
Slack, SQLAlchemy or files. Money is always `Decimal`, dates are `date`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Final

# The largest amount (in dollars) an importer accepts: money is stored as whole cents in a
# 64-bit integer, and this leaves room for sums over a million rows. No claim comes near it, so
# a larger value is a damaged file (a 20-digit "amount"), refused where it is written.
MAX_AMOUNT: Final = Decimal("9999999999999.99")


class ClaimKind(StrEnum):
    """What an importer concluded a source row/claim is, before denial rules run.

    `ADJUDICATED` claims go through the denial rules (section 1 of denial-facts.md).
    The others are stored for the record but never become denials.
    """

    ADJUDICATED = "adjudicated"
    REVERSAL = "reversal"  # CLP02=22, or a CSV row marked reversed / negated amounts
    PREDETERMINATION = "predetermination"  # CLP02=25: pricing only
    FORWARDED = "forwarded"  # CLP02=23: not our claim, forwarded
    REJECTION = "rejection"  # front-end rejection, never adjudicated (CSV only)
    PENDING = "pending"  # accepted, not adjudicated yet (CSV only)


@dataclass(frozen=True, slots=True)
class Adjustment:
    """One CAS triplet: group code, CARC, amount (and optional quantity).

    `group` is kept as written ("CO", "OA", "PI", "PR", "CR" or an unknown code);
    it is "" when a CSV export gives a bare CARC without a group.
    """

    group: str
    carc: str
    amount: Decimal
    quantity: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ServiceLine:
    procedure: str  # CPT/HCPCS (or revenue code) without qualifier, e.g. "99213"
    modifiers: tuple[str, ...] = ()
    billed: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    units: Decimal | None = None
    qualifier: str = "HC"  # SVC01-1: HC, AD, NU, ...
    original_procedure: str | None = None  # SVC06 when the payer changed the code
    service_date: date | None = None  # DTM*472 (or 150)
    line_control: str | None = None  # REF*6R
    adjustments: tuple[Adjustment, ...] = ()
    remarks: tuple[str, ...] = ()  # LQ*HE RARCs


@dataclass(frozen=True, slots=True)
class Party:
    """A person or organisation named in the remittance (NM1)."""

    name: str = ""
    identifier: str | None = None  # NPI for providers, member id for patients


@dataclass(frozen=True, slots=True)
class Payer:
    name: str
    identifier: str | None = None  # REF*2U, N1*PR04, or the CSV payer id column


@dataclass(frozen=True, slots=True)
class RemittanceInfo:
    """Header facts of one remittance (one ST..SE of an 835, or one check in a CSV)."""

    payer: Payer
    payee: Party = field(default_factory=Party)
    check_number: str | None = None  # TRN02
    payment_amount: Decimal | None = None  # BPR02
    payment_method: str | None = None  # BPR04 (ACH, CHK, NON, ...)
    production_date: date | None = None  # DTM*405
    payment_date: date | None = None  # BPR16 (or BPR15 when BPR is one element short)
    file_date: date | None = None  # GS04
    report_date: date | None = None  # CSV: check / adjudication / denied date column
    version: str | None = None  # GS08, e.g. 005010X221A1
    transaction: str | None = None  # ST02 (835) or None
    payee_npi: str | None = None  # N1*PE04 when N1*PE03 is XX (the billing provider's NPI)


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    """One adjudication of one claim, as the payer reported it."""

    remittance: RemittanceInfo
    claim_number: str  # CLP01: the practice's patient control number
    status_code: str  # CLP02 as written ("1", "4", "22", ...); CSV: the mapped code
    kind: ClaimKind
    billed: Decimal
    paid: Decimal
    patient_responsibility: Decimal | None = None  # CLP05
    payer_claim_number: str | None = None  # CLP07
    original_reference: str | None = None  # REF*F8 on corrections/reversals
    service_date: date | None = None  # DTM*232 (else earliest line date)
    patient: Party = field(default_factory=Party)  # PHI: NM1*QC name + member id
    rendering_provider: Party = field(default_factory=Party)  # NM1*82
    adjustments: tuple[Adjustment, ...] = ()  # claim-level CAS (2100), never line CAS
    remarks: tuple[str, ...] = ()  # MOA/MIA remark codes
    lines: tuple[ServiceLine, ...] = ()
    # CSV reports that only carry a status ("Denied") and no codes: the importer says so,
    # and the denial rules treat the unpaid billed amount as denied with category `other`.
    denied_by_status: bool = False
    source_line: int | None = None  # first source line (CSV row / 835 segment number)
    # CSV: the payer's reason in words ("Patient not eligible on DOS"); shown on the card of a
    # status-only denial, whose report gives no code.
    reason_text: str | None = None


@dataclass(frozen=True, slots=True)
class ProviderAdjustment:
    """One PLB adjustment (provider-level, not tied to a claim's denial)."""

    provider_id: str
    fiscal_period: date | None
    reason: str  # PLB03-1, e.g. WO, L6, FB, CS
    reference: str | None  # PLB03-2
    amount: Decimal
    remittance: RemittanceInfo | None = None


@dataclass(frozen=True, slots=True)
class ImportWarning:
    """Something odd that did not stop the import (e.g. SE01 count mismatch)."""

    message: str
    segment_number: int | None = None
    segment_id: str | None = None


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A CSV row that could not be read: line number in the file and the reason."""

    line_number: int
    reason: str
