"""The App Home of one person: their denials by deadline and the team summary."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.views import HomeView, TeamSummary
from bot.services.due import DueFilter, read_due
from bot.services.measures import measures
from bot.services.work_due import open_counts


def team_summary(session: Session, today: date) -> TeamSummary:
    records, claims = open_counts(session)
    return TeamSummary(
        now=measures(session, today), records_to_send=records, claims_to_correct=claims
    )


def home_for(
    sessions: sessionmaker[Session],
    user_id: str,
    today: date,
    help_lines: tuple[tuple[str, str], ...],
    *,
    page: int = 0,
) -> HomeView:
    with sessions() as session:
        mine = read_due(
            session,
            today=today,
            days=None,  # every deadline of mine, however far
            who=DueFilter(assignee=user_id, description="mine"),
            page=page,
        )
        return HomeView(
            user_id=user_id,
            today=today,
            mine=mine,
            team=team_summary(session, today),
            help_lines=help_lines,
        )
