"""The statuses of a denial and the sets every query, rule and card reads them through.

DESIGN.md §3: `new` → `in_progress` → `appealed` or `resubmitted` → `recovered` or
`written_off`; a lost appeal goes back to `in_progress`; a later remittance that pays the claim
moves it to `recovered` by itself. `superseded` is the denial a re-adjudication replaced (a
reversal, then a new denial with a new clock): closed, and counted once, as its replacement.

The sets are defined here once; nothing else spells a status list.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class DenialStatus(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    APPEALED = "appealed"
    RESUBMITTED = "resubmitted"
    RECOVERED = "recovered"
    WRITTEN_OFF = "written_off"
    SUPERSEDED = "superseded"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def is_closed(self) -> bool:
        return self in CLOSED


_LABELS: Final = {
    DenialStatus.NEW: "New",
    DenialStatus.IN_PROGRESS: "In progress",
    DenialStatus.APPEALED: "Appealed",
    DenialStatus.RESUBMITTED: "Resubmitted",
    DenialStatus.RECOVERED: "Recovered",
    DenialStatus.WRITTEN_OFF: "Written off",
    DenialStatus.SUPERSEDED: "Replaced",
}

# Closed: nothing left to do. The `closed` column of `denials` is true exactly for these.
CLOSED: Final = frozenset(
    {DenialStatus.RECOVERED, DenialStatus.WRITTEN_OFF, DenialStatus.SUPERSEDED}
)
OPEN: Final = frozenset(DenialStatus) - CLOSED
# Open and its deadline still to meet: what is due, warned about, waiting for an owner.
# An appealed or resubmitted denial has met its deadline and waits for the payer.
ACTIONABLE: Final = frozenset({DenialStatus.NEW, DenialStatus.IN_PROGRESS})
WAITING_FOR_PAYER: Final = OPEN - ACTIONABLE
# Counted in trends, digests and patterns: a superseded denial is counted as its replacement.
COUNTED: Final = frozenset(DenialStatus) - {DenialStatus.SUPERSEDED}
# What "Reopen" can bring back to `in_progress`. A superseded denial is not among them: the
# denial that replaced it carries the claim's clock and work.
REOPENABLE: Final = WAITING_FOR_PAYER | {DenialStatus.RECOVERED, DenialStatus.WRITTEN_OFF}


def status_of(value: str) -> DenialStatus:
    """A stored status as the enum (the column holds its value)."""
    return DenialStatus(value)


# -- documentation requests and front-end rejections (DESIGN.md §3, issue 15) ----------------


class RequestStatus(StrEnum):
    """A payer's request for records: `requested` → `sent` → `accepted` | `withdrawn`.

    Overdue is not a status: a request still `requested` after its due date is overdue.
    """

    REQUESTED = "requested"
    SENT = "sent"
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _REQUEST_LABELS[self]

    @property
    def is_closed(self) -> bool:
        return self in REQUEST_CLOSED


_REQUEST_LABELS: Final = {
    RequestStatus.REQUESTED: "Requested",
    RequestStatus.SENT: "Sent",
    RequestStatus.ACCEPTED: "Accepted",
    RequestStatus.WITHDRAWN: "Withdrawn",
}
REQUEST_CLOSED: Final = frozenset({RequestStatus.ACCEPTED, RequestStatus.WITHDRAWN})
REQUEST_OPEN: Final = frozenset(RequestStatus) - REQUEST_CLOSED
# Still to send: what is due, warned about, waiting for an owner. A sent request waits for
# the payer.
REQUEST_ACTIONABLE: Final = frozenset({RequestStatus.REQUESTED})


class RejectionStatus(StrEnum):
    """A claim rejected before adjudication: `new` → `corrected` → `closed`.

    `corrected` means staff resubmitted it; `closed` that the payer accepted the corrected claim
    (a later acknowledgment or remittance says so) or staff closed it.
    """

    NEW = "new"
    CORRECTED = "corrected"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _REJECTION_LABELS[self]

    @property
    def is_closed(self) -> bool:
        return self in REJECTION_CLOSED


_REJECTION_LABELS: Final = {
    RejectionStatus.NEW: "To correct",
    RejectionStatus.CORRECTED: "Corrected and resubmitted",
    RejectionStatus.CLOSED: "Closed",
}
REJECTION_CLOSED: Final = frozenset({RejectionStatus.CLOSED})
REJECTION_OPEN: Final = frozenset(RejectionStatus) - REJECTION_CLOSED
REJECTION_ACTIONABLE: Final = frozenset({RejectionStatus.NEW})
