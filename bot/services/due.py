"""What is due: open denials whose deadline falls within a window, overdue first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.blocks.views import DueRow, DueView
from bot.domain.findings import RootCause
from storage.models import Denial

# Appealed and resubmitted denials have met their deadline; closed ones have none.
ACTIONABLE = ("new", "in_progress")


@dataclass(frozen=True)
class DueFilter:
    assignee: str | None = None
    unassigned: bool = False
    description: str | None = None  # what the person asked for, e.g. "mine"


def due_view(
    session: Session, *, today: date, days: int = 14, who: DueFilter | None = None
) -> DueView:
    who = who or DueFilter()
    query = (
        select(Denial)
        .where(
            Denial.closed.is_(False),
            Denial.status.in_(ACTIONABLE),
            Denial.deadline.is_not(None),
            Denial.deadline <= today + timedelta(days=days),
        )
        .order_by(Denial.deadline, Denial.id)
    )
    if who.assignee:
        query = query.where(Denial.assignee == who.assignee)
    elif who.unassigned:
        query = query.where(Denial.assignee.is_(None))
    rows = tuple(due_row(denial, today) for denial in session.scalars(query))
    return DueView(today=today, window_days=days, rows=rows, filter_description=who.description)


def due_row(denial: Denial, today: date) -> DueRow:
    deadline = denial.deadline or today
    return DueRow(
        denial_id=denial.id,
        claim_number=denial.claim_number,
        payer_name=denial.payer_name,
        amount=denial.denied_amount,
        category=RootCause(denial.category),
        assignee=denial.assignee,
        deadline=deadline,
        days_left=(deadline - today).days,
    )
