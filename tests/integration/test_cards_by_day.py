"""Every card kind drawn from one fixed database on the days that cross every band (14, 7, 3
and 1 days, due, overdue, lapsed) and in each state: the words a person reads, and
notification text without emoji codes, mrkdwn, "None" or a lone "-"."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot.blocks.message import Message
from storage.models import Appeal, Denial, SlackPost
from tests.integration.jobs_support import JobBot
from tests.support.x835 import denied

DUE = date(2026, 12, 15)
BANDS = {
    16: ("Appeal by Dec 15, 2026", ":red_circle: Denied"),
    14: ("14 days left", ":red_circle: Denied"),
    7: (":warning: 7 days left", ":red_circle: Denied"),
    3: (":warning: 3 days left", ":red_circle: Denied"),
    1: (":warning: due tomorrow", ":red_circle: Denied"),
    0: (":warning: due today", ":red_circle: Denied"),
    -1: (":rotating_light: overdue by 1 day", ":rotating_light: Overdue"),
    -31: (":hourglass: window closed", ":hourglass: Window closed"),
}
RAW = re.compile(r":[a-z_]+:|[*_`~]|\bNone\b|(^|\s)-(\s|$)|<[@!#]")


@pytest.fixture
def cards(bot: JobBot) -> JobBot:
    """PCN1 open, PCN2 appealed, PCN3 resubmitted, PCN4 recovered, PCN5-7 one grouped card."""
    claims = [denied(f"PCN{n}", carc=str(carc)) for n, carc in ((1, 197), (2, 27), (3, 16))]
    claims += [denied("PCN4", carc="50", npi="1111111112")]
    claims += [denied(f"PCN{n}", carc="11", npi="1111111111") for n in (5, 6, 7)]
    bot.import_835(claims, on=date(2026, 11, 2))
    with bot.deps.sessions() as session, session.begin():
        session.execute(update(Denial).values(deadline=DUE))
        ids = {d.claim_number: d.id for d in session.scalars(select(Denial))}
        now = datetime(2026, 11, 20, 15, tzinfo=UTC)
        for claim, kind, status in (
            ("PCN2", "appeal", "appealed"),
            ("PCN3", "corrected", "resubmitted"),
        ):
            session.add(
                Appeal(
                    denial_id=ids[claim],
                    kind=kind,
                    level="1" if kind == "appeal" else kind,
                    method="fax",
                    sent_on=date(2026, 11, 20),
                    reference="R-9",
                    created_by="slack:T1:UJAMES",
                    created_at=now,
                )
            )
            session.execute(update(Denial).where(Denial.id == ids[claim]).values(status=status))
        session.execute(
            update(Denial)
            .where(Denial.id == ids["PCN4"])
            .values(status="recovered", closed=True, recovered_amount=100)
        )
    return bot


def drawn(bot: JobBot, claim: str, today: date) -> Message:
    with bot.deps.sessions() as session:
        post = session.scalars(
            select(SlackPost)
            .join(Denial, Denial.post_id == SlackPost.id)
            .where(Denial.claim_number == claim)
        ).one()
        return bot.deps.poster.renderer.render(session, post, today=today)


def words(message: Message) -> str:
    return str(message.blocks)


@pytest.mark.parametrize("days", BANDS)
def test_each_card_kind_on_each_band_day(cards: JobBot, days: int) -> None:
    today = DUE - timedelta(days=days)
    line, header = BANDS[days]
    single = drawn(cards, "PCN1", today)
    assert single.blocks[0]["text"]["text"] == f"{header} · Aetna · $100.00"
    assert line in words(single)
    group = drawn(cards, "PCN5", today)
    assert line in words(group)
    assert "0 of 3 worked" in group.text
    # sent or closed: the deadline no longer counts, whatever the day
    for claim, title in (
        ("PCN2", ":large_orange_circle: Appeal sent"),
        ("PCN3", ":arrows_counterclockwise: Resubmitted"),
        ("PCN4", ":white_check_mark: Recovered"),
    ):
        message = drawn(cards, claim, today)
        assert message.blocks[0]["text"]["text"].startswith(title)
        assert "days left" not in words(message)
        assert "overdue" not in words(message)
    for claim in ("PCN1", "PCN2", "PCN3", "PCN4", "PCN5"):
        text = drawn(cards, claim, today).text
        assert not RAW.search(text), text


def test_the_states_say_what_was_sent_and_what_comes_next(cards: JobBot) -> None:
    appealed = words(drawn(cards, "PCN2", date(2026, 12, 1)))
    assert "*Appeal sent* Nov 20 by <@UJAMES> · level 1 · fax · ref R-9" in appealed
    assert "Log outcome" in appealed
    resubmitted = words(drawn(cards, "PCN3", date(2026, 12, 1)))
    assert "*Corrected claim sent* Nov 20 by <@UJAMES>" in resubmitted
    assert "Mark paid" in resubmitted
    recovered = drawn(cards, "PCN4", date(2026, 12, 1))
    assert "Unassigned" not in words(recovered)
