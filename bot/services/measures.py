"""The numbers of `bot.domain.measures`, read from the database as of a day: App Home, the
digest, `/denials due` and the trends all take them from here (a test checks they agree)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from bot.domain.measures import Amount, Measures
from bot.domain.statuses import ACTIONABLE, CLOSED, COUNTED, DenialStatus
from bot.domain.urgency import LAPSED_AFTER_DAYS, WEEK_DAYS
from bot.services.status_filter import status_in
from storage.models import Denial


def measures(session: Session, today: date) -> Measures:
    """What is open and to do today, in the words of `bot.domain.measures`."""
    open_ = [Denial.closed.is_(False), status_in(COUNTED - CLOSED)]
    to_do = [Denial.closed.is_(False), status_in(ACTIONABLE)]
    first_listed = today - timedelta(days=LAPSED_AFTER_DAYS)
    return Measures(
        today=today,
        open=_amount(session, *open_),
        not_started=_amount(session, *to_do, Denial.status == DenialStatus.NEW.value).count,
        needs_owner=_amount(session, *to_do, Denial.assignee.is_(None)).count,
        to_confirm=_amount(session, *to_do, Denial.category_source == "auto").count,
        due_this_week=_amount(
            session,
            *to_do,
            Denial.deadline >= today,
            Denial.deadline <= today + timedelta(days=WEEK_DAYS - 1),
        ),
        overdue=_amount(session, *to_do, Denial.deadline >= first_listed, Denial.deadline < today),
        lapsed=_amount(session, *to_do, Denial.deadline < first_listed),
    )


def _amount(session: Session, *conditions: ColumnElement[bool]) -> Amount:
    count, dollars = session.execute(
        select(func.count(), func.sum(Denial.denied_amount)).where(*conditions)
    ).one()
    return Amount(int(count), dollars if dollars is not None else Decimal("0.00"))
