"""Counts of documentation requests and rejections for the digest and the trends (one set of
definitions, issue 15 item 5).

* A request is **answered on time** when its records were sent on or before its due date,
  **late** when sent after it, **unanswered** while still to send (overdue once the due date
  has passed). A request **turned into a denial** when a later denial of the claim says the
  records were missing; counted whether it was answered late or never.
* A rejection is **open** until corrected or closed; the reasons are counted by their words.

Pure: facts in, counts out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from bot.domain.statuses import (
    REJECTION_ACTIONABLE,
    REQUEST_ACTIONABLE,
    RejectionStatus,
    RequestStatus,
)

TOP_REASONS = 5


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestFact:
    status: RequestStatus
    received_on: date
    due_date: date
    sent_on: date | None
    denied: bool  # a later denial says the records were missing
    denied_amount: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True, kw_only=True)
class RejectionFact:
    status: RejectionStatus
    received_on: date
    resubmit_by: date
    reasons: tuple[str, ...]  # the words of each reason


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkSummary:
    """What is open now and what happened in a period."""

    requests_received: int  # in the period
    answered_on_time: int  # of those received in the period
    answered_late: int
    unanswered: int
    turned_into_denials: int
    denied_amount: Decimal
    requests_open: int  # now
    requests_due_this_week: int
    requests_overdue: int
    rejections_received: int  # in the period
    rejections_open: int  # now
    rejections_due_this_week: int
    rejections_overdue: int
    reasons: tuple[tuple[str, int], ...]  # top reasons of the period's rejections

    @property
    def empty(self) -> bool:
        return not (
            self.requests_received
            or self.requests_open
            or self.rejections_received
            or self.rejections_open
        )


def summarize_work(
    requests: Iterable[RequestFact],
    rejections: Iterable[RejectionFact],
    *,
    period_start: date,
    period_end: date,
    today: date,
) -> WorkSummary:
    week_end = today + timedelta(days=7)

    def in_period(day: date) -> bool:
        return period_start <= day <= period_end

    received = on_time = late = unanswered = denied = 0
    denied_amount = Decimal(0)
    still_open = due_week = overdue = 0
    for request in requests:
        if request.status in REQUEST_ACTIONABLE:
            still_open += 1
            due_week += today <= request.due_date <= week_end
            overdue += request.due_date < today
        if not in_period(request.received_on):
            continue
        received += 1
        if request.sent_on is not None:
            if request.sent_on <= request.due_date:
                on_time += 1
            else:
                late += 1
        elif request.status is not RequestStatus.WITHDRAWN:
            unanswered += 1
        if request.denied:
            denied += 1
            denied_amount += request.denied_amount
    rejected = open_rejections = rejections_week = rejections_overdue = 0
    reasons: Counter[str] = Counter()
    for rejection in rejections:
        if rejection.status in REJECTION_ACTIONABLE:
            open_rejections += 1
            rejections_week += today <= rejection.resubmit_by <= week_end
            rejections_overdue += rejection.resubmit_by < today
        if in_period(rejection.received_on):
            rejected += 1
            reasons.update(rejection.reasons[:1])  # the main reason, once per rejection
    return WorkSummary(
        requests_received=received,
        answered_on_time=on_time,
        answered_late=late,
        unanswered=unanswered,
        turned_into_denials=denied,
        denied_amount=denied_amount,
        requests_open=still_open,
        requests_due_this_week=due_week,
        requests_overdue=overdue,
        rejections_received=rejected,
        rejections_open=open_rejections,
        rejections_due_this_week=rejections_week,
        rejections_overdue=rejections_overdue,
        reasons=tuple(sorted(reasons.items(), key=lambda r: (-r[1], r[0]))[:TOP_REASONS]),
    )
