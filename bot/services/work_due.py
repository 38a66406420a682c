"""Documentation requests and rejections on the lists: what is due, whose, and the counts the
digest, App Home and the trends show (`bot.domain.work_summary` defines them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.blocks.work_views import WorkRow
from bot.domain.statuses import (
    REJECTION_ACTIONABLE,
    REQUEST_ACTIONABLE,
    RejectionStatus,
    RequestStatus,
)
from bot.domain.work_summary import RejectionFact, RequestFact, WorkSummary, summarize_work
from bot.presenters.work_cards import rejection_row, request_row
from storage.models import ClaimRejection, Denial, DocumentationRequest, RequestDenial

ROWS = 50  # a message shows no more


@dataclass(frozen=True)
class WorkFilter:
    assignee: str | None = None
    unassigned: bool = False


def work_rows(
    session: Session, *, today: date, until: date | None, who: WorkFilter | None = None
) -> list[WorkRow]:
    """Requests still to send and rejections still to correct, due by `until` (all when None),
    most urgent first."""
    who = who or WorkFilter()
    requests = select(DocumentationRequest).where(
        DocumentationRequest.closed.is_(False),
        DocumentationRequest.status.in_([s.value for s in REQUEST_ACTIONABLE]),
    )
    rejections = select(ClaimRejection).where(
        ClaimRejection.closed.is_(False),
        ClaimRejection.status.in_([s.value for s in REJECTION_ACTIONABLE]),
    )
    if until is not None:
        requests = requests.where(DocumentationRequest.due_date <= until)
        rejections = rejections.where(ClaimRejection.resubmit_by <= until)
    if who.assignee:
        requests = requests.where(DocumentationRequest.assignee == who.assignee)
        rejections = rejections.where(ClaimRejection.assignee == who.assignee)
    elif who.unassigned:
        requests = requests.where(DocumentationRequest.assignee.is_(None))
        rejections = rejections.where(ClaimRejection.assignee.is_(None))
    rows = [
        *(
            request_row(r, today)
            for r in session.scalars(
                requests.order_by(DocumentationRequest.due_date, DocumentationRequest.id).limit(
                    ROWS
                )
            )
        ),
        *(
            rejection_row(r, today)
            for r in session.scalars(
                rejections.order_by(ClaimRejection.resubmit_by, ClaimRejection.id).limit(ROWS)
            )
        ),
    ]
    return sorted(rows, key=lambda r: (r.due, r.kind.value, r.item_id))[:ROWS]


def open_counts(session: Session) -> tuple[int, int]:
    """(records requests still to send, rejected claims still to correct)."""
    requests = session.scalar(
        select(func.count())
        .select_from(DocumentationRequest)
        .where(DocumentationRequest.status.in_([s.value for s in REQUEST_ACTIONABLE]))
    )
    rejections = session.scalar(
        select(func.count())
        .select_from(ClaimRejection)
        .where(ClaimRejection.status.in_([s.value for s in REJECTION_ACTIONABLE]))
    )
    return int(requests or 0), int(rejections or 0)


def work_summary(
    session: Session, *, period_start: date, period_end: date, today: date
) -> WorkSummary:
    """Open work now, and the requests and rejections received in the period."""
    denied = {
        request_id: amount or Decimal(0)
        for request_id, amount in session.execute(
            select(RequestDenial.request_id, func.sum(Denial.denied_amount))
            .join(Denial, Denial.id == RequestDenial.denial_id)
            .group_by(RequestDenial.request_id)
        )
    }
    request_facts = [
        RequestFact(
            status=RequestStatus(row.status),
            received_on=row.received_on,
            due_date=row.due_date,
            sent_on=row.sent_on,
            denied=row.id in denied,
            denied_amount=denied.get(row.id, Decimal(0)),
        )
        for row in session.execute(
            select(
                DocumentationRequest.id,
                DocumentationRequest.status,
                DocumentationRequest.received_on,
                DocumentationRequest.due_date,
                DocumentationRequest.sent_on,
            ).where(
                (DocumentationRequest.closed.is_(False))
                | (DocumentationRequest.received_on >= period_start)
            )
        )
    ]
    rejection_facts = [
        RejectionFact(
            status=RejectionStatus(row.status),
            received_on=row.received_on,
            resubmit_by=row.resubmit_by,
            reasons=tuple(str(r.get("words", "")) for r in row.reasons),
        )
        for row in session.execute(
            select(
                ClaimRejection.status,
                ClaimRejection.received_on,
                ClaimRejection.resubmit_by,
                ClaimRejection.reasons,
            ).where(
                (ClaimRejection.closed.is_(False)) | (ClaimRejection.received_on >= period_start)
            )
        )
    ]
    return summarize_work(
        request_facts,
        rejection_facts,
        period_start=period_start,
        period_end=period_end,
        today=today,
    )
