"""View models of the two record kinds beside denials: documentation requests and rejections.

Plain values the presenters fill from the database and the builders draw (like `views`).
`patient_name` is only ever filled when `DENIALS_PHI=full`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from bot.domain.statuses import RejectionStatus, RequestStatus


class WorkKind(StrEnum):
    REQUEST = "request"
    REJECTION = "rejection"


@dataclass(frozen=True, slots=True)
class NoteView:
    """One thing the payer asked for, or found wrong, and the service line it is about."""

    words: str
    line: str | None = None


@dataclass(frozen=True, slots=True)
class DenialLink:
    """A later denial of the claim that says the records were missing."""

    denial_id: int
    codes: tuple[str, ...]
    denied_on: date


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestView:
    """Everything the card of one documentation request shows."""

    id: int
    version: int
    claim_number: str
    payer_name: str
    payer_claim_number: str | None
    service_date: date | None
    provider_name: str | None
    provider_npi: str | None
    billed: Decimal | None
    asks: tuple[NoteView, ...]
    what: str | None  # staff's words for a request logged by hand
    received_on: date
    due_date: date
    due_explained: str  # "the date the payer gave", "Medicare …: 45 days"
    follow_up: bool
    status: RequestStatus
    assignee: str | None
    sent_on: date | None
    sent_method: str | None
    sent_reference: str | None
    closed_note: str | None
    attachments: tuple[str, ...]  # file names
    denials: tuple[DenialLink, ...]
    origin: str  # 277RFAI, 277, slack, cli
    file_name: str | None
    patient_name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RejectionView:
    """Everything the card of one front-end rejection shows."""

    id: int
    version: int
    level: str  # claim, provider, batch
    claim_number: str | None
    payer_name: str
    from_clearinghouse: bool
    trace: str | None
    service_date: date | None
    provider_name: str | None
    provider_npi: str | None
    billed: Decimal | None
    claims_count: int | None
    reasons: tuple[NoteView, ...]
    received_on: date
    resubmit_by: date
    due_explained: str
    status: RejectionStatus
    assignee: str | None
    corrected_on: date | None
    correction_note: str | None
    closed_note: str | None
    origin: str
    file_name: str | None
    patient_name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkRow:
    """One line of `/denials due`, App Home and the digest for a request or a rejection."""

    kind: WorkKind
    item_id: int
    claim_number: str  # or "batch 2002…" / "3 claims of Dr. Reed"
    payer_name: str
    what: str  # "Operative note", "Invalid NPI"
    amount: Decimal | None
    assignee: str | None
    due: date
    days_left: int


@dataclass(frozen=True, slots=True)
class RecordsLink:
    """On a denial's card: the records request the denial's codes say went unanswered."""

    requested_on: date
    due_date: date
    sent_on: date | None
    sent_method: str | None
