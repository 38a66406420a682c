"""The App Home of one person: their denials by deadline and the team summary."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.views import HomeView, TeamSummary
from bot.domain.statuses import ACTIONABLE, DenialStatus
from bot.services.due import due_row
from bot.services.status_filter import status_in
from bot.services.work_due import WorkFilter, open_counts, work_rows
from storage.models import Denial

MY_ROWS = 60


def team_summary(session: Session, today: date) -> TeamSummary:
    open_ = Denial.closed.is_(False)
    actionable = open_ & status_in(ACTIONABLE)

    def count(*conditions: ColumnElement[bool]) -> int:
        query = select(func.count()).select_from(Denial).where(*conditions)
        return int(session.execute(query).scalar_one())

    records, claims = open_counts(session)
    return TeamSummary(
        records_to_send=records,
        claims_to_correct=claims,
        new=count(open_, Denial.status == DenialStatus.NEW.value),
        unassigned=count(actionable, Denial.assignee.is_(None)),
        due_this_week=count(
            actionable, Denial.deadline >= today, Denial.deadline <= today + timedelta(days=7)
        ),
        overdue=count(actionable, Denial.deadline < today),
    )


def home_for(
    sessions: sessionmaker[Session],
    user_id: str,
    today: date,
    help_lines: tuple[tuple[str, str], ...],
) -> HomeView:
    with sessions() as session:
        mine = session.scalars(
            select(Denial)
            .where(
                Denial.closed.is_(False), Denial.assignee == user_id, Denial.deadline.is_not(None)
            )
            .order_by(Denial.deadline, Denial.id)
            .limit(MY_ROWS)
        )
        return HomeView(
            user_id=user_id,
            today=today,
            my_rows=tuple(due_row(d, today) for d in mine),
            my_work=tuple(work_rows(session, today=today, until=None, who=WorkFilter(user_id))),
            team=team_summary(session, today),
            help_lines=help_lines,
        )
