"""One set of numbers (issue 14): the same database gives App Home, the Monday digest,
`/denials due` and the trends the same counts and dollars, said with the same words and the
same money format ("Home said Due this week 7 and the digest 6 on the same morning")."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.digest import digest_message
from bot.blocks.due_list import due_list
from bot.blocks.home import home_view
from bot.blocks.plain_text import render_text, render_view
from bot.blocks.trends import trends_message
from bot.clock import Clock
from bot.domain.rulebook import Rulebook
from bot.domain.trend_periods import Span
from bot.domain.urgency import Band
from bot.services.digest import digest_summary
from bot.services.due import DueFilter, due_view
from bot.services.home import home_for
from bot.services.importing import ImportContext, import_file
from bot.services.measures import measures
from bot.services.trends import trends_report
from storage.models import Denial
from tests.support.x835 import denied, make_835

TODAY = date(2026, 11, 30)  # a Monday: the digest's day
MARIA = "UMARIA"
# (days left, status, assignee, root cause set by staff, amount)
SHAPES: list[tuple[int | None, str, str | None, bool, str]] = [
    (0, "new", None, False, "410.00"),  # due today
    (3, "new", MARIA, False, "120.50"),
    (6, "in_progress", MARIA, True, "75.25"),  # the last day of "this week"
    (7, "new", None, False, "300.00"),  # next week
    (20, "in_progress", None, True, "99.99"),
    (-1, "new", None, False, "240.00"),  # overdue, still appealable
    (-30, "in_progress", MARIA, False, "60.00"),
    (-31, "new", None, False, "500.00"),  # lapsed
    (-6147, "new", None, False, "1000.00"),
    (2, "appealed", MARIA, True, "880.00"),  # met its deadline: waits for the payer
    (-5, "resubmitted", None, False, "45.00"),
    (1, "recovered", MARIA, True, "333.00"),  # closed
    (None, "new", None, False, "12.34"),  # no deadline on file
]


@pytest.fixture
def practice(sessions: sessionmaker[Session], rulebook: Rulebook, clock: Clock) -> None:
    context = ImportContext(
        sessions=sessions, rulebook=rulebook, actor="cli:test", now=clock.now(), today=TODAY
    )
    for i, (_, _, _, _, amount) in enumerate(SHAPES):
        claim = denied(f"N{i:02d}", amount=amount)
        remit = make_835([claim], check=f"CHK{i}")
        assert import_file(remit, context, file_name=f"n{i}.835").status == "imported"
    with sessions.begin() as session:
        ids = list(session.scalars(select(Denial.id).order_by(Denial.id)))
        for denial_id, (days, status, assignee, staff, _) in zip(ids, SHAPES, strict=True):
            session.execute(
                update(Denial)
                .where(Denial.id == denial_id)
                .values(
                    deadline=None if days is None else TODAY + timedelta(days=days),
                    status=status,
                    closed=status == "recovered",
                    assignee=assignee,
                    category_source="staff" if staff else "auto",
                )
            )


@pytest.mark.usefixtures("practice")
def test_home_digest_due_and_trends_give_the_same_numbers(
    sessions: sessionmaker[Session], clock: Clock
) -> None:
    with sessions() as session:
        now = measures(session, TODAY)
    assert (now.due_this_week.count, now.due_this_week.amount) == (3, Decimal("605.75"))
    assert (now.overdue.count, now.overdue.amount) == (2, Decimal("300.00"))
    assert (now.lapsed.count, now.lapsed.amount) == (2, Decimal("1500.00"))
    assert now.needs_owner == 7
    assert now.to_confirm == 8
    assert now.not_started == 7
    assert now.open.count == 12  # all but the recovered one

    home = home_for(sessions, MARIA, TODAY, ())
    digest = digest_summary(sessions, clock.zone, TODAY, today=TODAY)
    trends = trends_report(sessions, span=Span(30, "d"), dimension="category", today=TODAY)
    assert home.team.now == digest.now == trends.now == now

    # /denials due counts its bands itself: a week's window, then all of them
    week = due_view(sessions, today=TODAY, days=6)
    bands = {band.band: band for band in week.bands}
    soon_and_week = [bands[Band.SOON], bands[Band.WEEK]]
    assert sum(b.count for b in soon_and_week) == now.due_this_week.count
    assert sum((b.amount for b in soon_and_week), Decimal(0)) == now.due_this_week.amount
    assert (bands[Band.OVERDUE].count, bands[Band.OVERDUE].amount) == (
        now.overdue.count,
        now.overdue.amount,
    )
    assert week.lapsed is not None
    assert (week.lapsed.count, week.lapsed.amount) == (now.lapsed.count, now.lapsed.amount)
    unassigned = due_view(sessions, today=TODAY, days=None, who=DueFilter(unassigned=True))
    with_deadline = unassigned.count + (unassigned.lapsed.count if unassigned.lapsed else 0)
    assert with_deadline + 1 == now.needs_owner  # and N12, which has no deadline

    # and each says them in the same words and money format
    said = {
        "digest": render_text(digest_message(digest).blocks),
        "home": render_view(home_view(home)),
        "trends": render_text(trends_message(trends).blocks),
        "due": render_text(due_list(week).blocks),
    }
    assert (
        "Due this week: 3 ($605.75) · Overdue: 2 ($300.00) · Lapsed: 2 ($1,500.00)"
        in (said["digest"])
    )
    assert "Needs an owner: 7 · Root cause to confirm: 8 (suggested)" in said["digest"]
    assert "Open 12 ($3,743.08)" in said["digest"]
    for words in ("Due this week  3 · $605.75", "Overdue  2 · $300.00", "Open  12 · $3,743.08"):
        assert words in said["home"]
    assert "Needs an owner  7" in said["home"]
    assert (
        "Open now: 12 denials · $3,743.08 · due this week 3 ($605.75) · overdue 2 ($300.00)"
        " · needing an owner 7 · lapsed 2 ($1,500.00)"
    ) in said["trends"]
    assert "Overdue, still appealable (2)" in said["due"]
    assert "Also 2 lapsed, $1,500.00" in said["due"]
    for text in said.values():
        assert "New " not in text  # one word, one meaning: the status count is "Not started"
