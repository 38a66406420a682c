"""What is due: open denials whose deadline falls within a window, overdue first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol

from sqlalchemy import ColumnElement, func, select, union_all
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.message import MAX_MESSAGE_BLOCKS
from bot.blocks.views import DueRow, DueView
from bot.domain.findings import RootCause
from bot.domain.statuses import ACTIONABLE
from bot.services.status_filter import ordered, status_in
from bot.services.work_due import WorkFilter, work_rows
from storage.models import Denial, Payer

# A message shows at most this many rows; the totals come from SQL, so fetch no more.
ROWS_SHOWN = MAX_MESSAGE_BLOCKS
# What a row shows: read as columns, so the denials' JSON columns are never parsed here.
ROW_COLUMNS = (
    Denial.id,
    Denial.claim_number,
    Payer.name.label("payer_name"),
    Denial.denied_amount,
    Denial.category,
    Denial.assignee,
    Denial.deadline,
)


@dataclass(frozen=True)
class DueFilter:
    assignee: str | None = None
    unassigned: bool = False
    description: str | None = None  # what the person asked for, e.g. "mine"


class DueFacts(Protocol):
    """What a due row needs: a `Denial`, or a row of ROW_COLUMNS."""

    @property
    def id(self) -> int: ...
    @property
    def claim_number(self) -> str: ...
    @property
    def payer_name(self) -> str: ...
    @property
    def denied_amount(self) -> Decimal: ...
    @property
    def category(self) -> str: ...
    @property
    def assignee(self) -> str | None: ...
    @property
    def deadline(self) -> date | None: ...


def due_view(
    sessions: sessionmaker[Session], *, today: date, days: int = 14, who: DueFilter | None = None
) -> DueView:
    with sessions() as session:
        return _due_view(session, today, days, who or DueFilter())


def _due_view(session: Session, today: date, days: int, who: DueFilter) -> DueView:
    until = today + timedelta(days=days)
    # Overdue and coming counted on two index ranges with one upper bound each: a CASE per
    # row, or a second bound (SQLite checks it row by row), doubled the time of the counts.
    overdue, overdue_dollars = _count_and_dollars(
        session, who, Denial.deadline < min(today, until + timedelta(days=1))
    )
    coming, coming_dollars = _count_and_dollars(
        session, who, Denial.deadline >= today, Denial.deadline <= until
    )
    first = _first_ids(session, who, until)
    shown = session.execute(
        select(*ROW_COLUMNS).join(Denial.payer).where(Denial.id.in_(first))
    ).all()
    by_id = {row.id: row for row in shown}
    work = work_rows(
        session,
        today=today,
        until=until,
        who=WorkFilter(assignee=who.assignee, unassigned=who.unassigned),
    )
    return DueView(
        work=tuple(work),
        today=today,
        window_days=days,
        rows=tuple(due_row(by_id[i], today) for i in first if i in by_id),
        filter_description=who.description,
        total=overdue + coming,
        total_dollars=overdue_dollars + coming_dollars,
        overdue=overdue,
    )


def _open(who: DueFilter) -> list[ColumnElement[bool]]:
    """Open denials with a deadline, of whom was asked for: the rows of ix_denials_due and
    ix_denials_due_assignee (both partial, `closed` false)."""
    conditions: list[ColumnElement[bool]] = [
        Denial.closed.is_(False),
        Denial.deadline.is_not(None),
    ]
    if who.assignee:
        conditions.append(Denial.assignee == who.assignee)
    elif who.unassigned:
        conditions.append(Denial.assignee.is_(None))
    return conditions


def _count_and_dollars(
    session: Session, who: DueFilter, *deadline: ColumnElement[bool]
) -> tuple[int, Decimal]:
    count, dollars = session.execute(
        select(func.count(), func.sum(Denial.denied_amount)).where(
            *_open(who), status_in(ACTIONABLE), *deadline
        )
    ).one()
    return int(count), dollars if dollars is not None else Decimal("0.00")


def _first_ids(session: Session, who: DueFilter, until: date) -> list[int]:
    """The ids a message shows, by deadline. `status IN (…) ORDER BY deadline` sorted every
    due denial; one index walk per status, each stopped at ROWS_SHOWN, then merged, reads
    about what the message needs."""
    walks = [
        select(Denial.id, Denial.deadline)
        .where(*_open(who), Denial.status == status.value, Denial.deadline <= until)
        .order_by(Denial.deadline, Denial.id)
        .limit(ROWS_SHOWN)
        .subquery()
        for status in ordered(ACTIONABLE)
    ]
    merged = union_all(*(select(walk.c.id, walk.c.deadline) for walk in walks)).subquery()
    first = select(merged.c.id).order_by(merged.c.deadline, merged.c.id).limit(ROWS_SHOWN)
    return list(session.scalars(first))


def due_row(denial: DueFacts, today: date) -> DueRow:
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
