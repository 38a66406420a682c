"""What the denial rules conclude about one claim adjudication, and its appeal deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class RootCause(StrEnum):
    """Root-cause slugs of DESIGN.md section 3 (labels are for people, see LABELS)."""

    AUTHORIZATION = "authorization"
    ELIGIBILITY = "eligibility"
    DOCUMENTATION = "documentation"
    CLAIM_DATA = "claim_data"
    CODING = "coding"
    TIMELY_FILING = "timely_filing"
    DUPLICATE = "duplicate"
    COORDINATION_OF_BENEFITS = "coordination_of_benefits"
    MEDICAL_NECESSITY = "medical_necessity"
    NON_COVERED = "non_covered"
    PROVIDER_ENROLLMENT = "provider_enrollment"
    OTHER = "other"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS: dict[RootCause, str] = {
    RootCause.AUTHORIZATION: "Authorization",
    RootCause.ELIGIBILITY: "Eligibility",
    RootCause.DOCUMENTATION: "Documentation",
    RootCause.CLAIM_DATA: "Missing or invalid claim data",
    RootCause.CODING: "Coding",
    RootCause.TIMELY_FILING: "Timely filing",
    RootCause.DUPLICATE: "Duplicate",
    RootCause.COORDINATION_OF_BENEFITS: "Coordination of benefits",
    RootCause.MEDICAL_NECESSITY: "Medical necessity",
    RootCause.NON_COVERED: "Non-covered service",
    RootCause.PROVIDER_ENROLLMENT: "Provider enrollment",
    RootCause.OTHER: "Other",
}


@dataclass(frozen=True, slots=True)
class DenialReason:
    """One denial adjustment (a CAS triplet that is a denial) with the RARCs that came with it."""

    group: str
    carc: str
    amount: Decimal
    rarcs: tuple[str, ...] = ()
    procedure: str | None = None  # "99213-25" when the adjustment is on a service line
    category: RootCause = RootCause.OTHER
    explanation: str = ""  # the plain-English reason staff read

    @property
    def code(self) -> str:
        """`CO-197`, or the bare CARC when the export gave no group."""
        return f"{self.group}-{self.carc}" if self.group else self.carc


@dataclass(frozen=True, slots=True)
class DenialFinding:
    """One claim adjudication that is (partly) denied: the unit staff work as one card."""

    denied_amount: Decimal
    category: RootCause  # suggested root cause (of the largest denied reason)
    explanation: str  # one line a billing clerk can read
    reasons: tuple[DenialReason, ...]
    carcs: tuple[str, ...]  # "CO-197", in order of first appearance, no repeats
    rarcs: tuple[str, ...]  # "N54", same
    cpts: tuple[str, ...]  # denied lines' "99213-25" (all lines for a whole-claim denial)
    partial: bool  # something was paid on the claim
    whole_claim: bool  # CLP02=4, or a claim-level denial adjustment
    patient_liable: bool  # a denial sent with group PR (liability moved to the patient)
    no_appeal: bool  # MA130, N211, Medicare CO-29: correct and resubmit, no appeal rights
    no_appeal_reason: str | None = None  # e.g. "MA130"


class DeadlineKind(StrEnum):
    APPEAL = "appeal"
    RESUBMISSION = "resubmission"  # no appeal rights: correct and resubmit by then
    RECORDS = "records"  # a documentation request: send the records by then


class AnchorSource(StrEnum):
    """Which notice date started the clock (denial-facts.md section 1)."""

    PRODUCTION_DATE = "dtm405"
    PAYMENT_DATE = "bpr16"
    FILE_DATE = "gs04"
    REPORT_DATE = "report"  # a CSV check/adjudication/denied date column
    IMPORT_DATE = "import"  # nothing in the source: the clock starts on the import day
    # Resubmission deadlines of no-appeal denials count from the date of service (timely filing,
    # e.g. Medicare: 12 months after DOS, 42 CFR 424.44), not from a notice date.
    SERVICE_DATE = "dos"


@dataclass(frozen=True, slots=True)
class Deadline:
    due: date
    kind: DeadlineKind
    anchor: date
    anchor_source: AnchorSource
    rule_key: str  # which payer rule row decided it
    days: int  # the window in days that was applied
