"""What is due: open denials whose deadline falls within a window, overdue first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from bot.blocks.message import MAX_MESSAGE_BLOCKS
from bot.blocks.views import DueRow, DueView
from bot.domain.findings import RootCause
from storage.models import Denial

# Appealed and resubmitted denials have met their deadline; closed ones have none.
ACTIONABLE = ("new", "in_progress")
# A message shows at most this many rows; the totals come from SQL, so fetch no more.
ROWS_SHOWN = MAX_MESSAGE_BLOCKS


@dataclass(frozen=True)
class DueFilter:
    assignee: str | None = None
    unassigned: bool = False
    description: str | None = None  # what the person asked for, e.g. "mine"


def due_view(
    session: Session, *, today: date, days: int = 14, who: DueFilter | None = None
) -> DueView:
    who = who or DueFilter()
    conditions: list[ColumnElement[bool]] = [
        Denial.closed.is_(False),
        Denial.deadline.is_not(None),
        Denial.deadline <= today + timedelta(days=days),
        Denial.status.in_(ACTIONABLE),
    ]
    if who.assignee:
        conditions.append(Denial.assignee == who.assignee)
    elif who.unassigned:
        conditions.append(Denial.assignee.is_(None))
    count, dollars, overdue = session.execute(
        select(
            func.count(),
            func.sum(Denial.denied_amount),
            func.sum(case((Denial.deadline < today, 1), else_=0)),
        ).where(*conditions)
    ).one()
    # Order the ids from the index first; load only the rows a message can show.
    first = session.scalars(
        select(Denial.id).where(*conditions).order_by(Denial.deadline, Denial.id).limit(ROWS_SHOWN)
    ).all()
    shown = session.scalars(select(Denial).where(Denial.id.in_(first))).all()
    by_id = {denial.id: denial for denial in shown}
    return DueView(
        today=today,
        window_days=days,
        rows=tuple(due_row(by_id[i], today) for i in first if i in by_id),
        filter_description=who.description,
        total=int(count),
        total_dollars=dollars if dollars is not None else Decimal("0.00"),
        overdue=int(overdue or 0),
    )


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
