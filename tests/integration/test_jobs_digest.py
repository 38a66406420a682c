"""The Monday digest: on time in local time, once per channel and week, late when missed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.domain.actor import Actor
from bot.domain.rulebook import Rulebook
from bot.services.digest import digest_key
from bot.services.pattern_fixes import record_fix
from bot.services.triage import AppealForm
from storage.models import Appeal, Denial
from tests.integration.jobs_support import CHANNEL, STAFF, JobBot, at
from tests.support.slack_standin import SlackStandIn
from tests.support.x835 import denied, paid
from tests.unit.view_builders import all_text


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def already_sent(bot: JobBot, monday: date) -> None:
    bot.jobs.ledger.record_sent("digest", [digest_key(CHANNEL, monday)])


def digests(bot: JobBot) -> list[str]:
    return [m.text for m in bot.slack.messages(CHANNEL)]


def test_the_digest_goes_out_monday_8_local_once_per_week(bot: JobBot) -> None:
    bot.import_835([denied(f"A{i}") for i in range(3)], on=date(2026, 11, 24))
    bot.import_835(
        [denied("C1")], on=date(2026, 11, 25), payer="CIGNA", payer_id="62308", check="C"
    )
    already_sent(bot, date(2026, 11, 23))

    assert bot.run("digest", at(2026, 11, 30, 7, 59)).sent == []
    report = bot.run("digest", at(2026, 11, 30, 8, 0))
    assert report.sent == ["digest for the week of 2026-11-23 posted"]
    for moment in (at(2026, 11, 30, 8, 15), at(2026, 12, 1, 8), at(2026, 12, 6, 23, 59)):
        assert bot.run("digest", moment).sent == []
    assert digests(bot) == [
        "Denials week of Nov 23 – Nov 29: 4 received, 0 due this week, 0 overdue"
    ]
    text = all_text(bot.slack.messages(CHANNEL)[0].blocks)
    assert "*Top payers*  Aetna 3 ($300.00) · Cigna 1 ($100.00)" in text
    assert "Sent late" not in text

    bot.run("digest", at(2026, 12, 7, 8))
    bot.run("digest", at(2026, 12, 7, 9))
    assert digests(bot)[1:] == [
        "Denials week of Nov 30 – Dec 6: 0 received, 0 due this week, 0 overdue"
    ]


def test_a_digest_missed_while_down_is_sent_once_when_back_marked_late(bot: JobBot) -> None:
    bot.import_835([denied("A1")], on=date(2026, 11, 24))
    report = bot.run("digest", at(2026, 12, 2, 10))
    assert report.sent == ["digest for the week of 2026-11-23 posted (late)"]
    assert "Sent late" in all_text(bot.slack.messages(CHANNEL)[0].blocks)
    assert bot.run("digest", at(2026, 12, 2, 10, 15)).skipped
    assert len(digests(bot)) == 1


def test_a_digest_run_by_hand_is_never_late_and_never_twice(bot: JobBot) -> None:
    bot.run("digest", at(2026, 12, 2, 12), manual=True)
    bot.run("digest", at(2026, 12, 3, 12), manual=True)
    bot.run("digest", at(2026, 12, 3, 12))
    assert len(digests(bot)) == 1
    assert "Sent late" not in all_text(bot.slack.messages(CHANNEL)[0].blocks)


@pytest.mark.parametrize(
    ("monday", "before", "on_time"),
    [
        (date(2026, 3, 9), "2026-03-09T11:59", "2026-03-09T12:00"),  # first Monday of EDT
        (date(2026, 11, 2), "2026-11-02T12:59", "2026-11-02T13:00"),  # first Monday of EST
    ],
)
def test_monday_8_is_local_time_on_both_sides_of_dst(
    bot: JobBot, monday: date, before: str, on_time: str
) -> None:
    already_sent(bot, date.fromordinal(monday.toordinal() - 7))
    assert bot.run("digest", utc(before)).sent == []
    assert bot.run("digest", utc(on_time)).sent
    assert "Sent late" not in all_text(bot.slack.messages(CHANNEL)[0].blocks)


def test_the_digest_counts_what_happened_last_week(bot: JobBot) -> None:
    actor = Actor(team="T1", user=STAFF)
    bot.import_835([denied("A1"), denied("A2"), denied("A3")], on=date(2026, 11, 10))
    with bot.deps.sessions() as session:
        ids = session.scalars(select(Denial.id).order_by(Denial.id)).all()
        post_id = session.scalars(select(Denial.post_id)).first()
    assert post_id is not None
    bot.deps.triage.log_appeal(
        ids[0], None, AppealForm("1", "portal", date(2026, 11, 24)), actor, at(2026, 11, 24)
    )
    with bot.deps.sessions() as session, session.begin():
        session.execute(update(Appeal).values(outcome="won", decided_on=date(2026, 11, 27)))
    record_fix(
        bot.deps.sessions, post_id, "Front desk checks auths", "slack:T1:U1", at(2026, 11, 25)
    )
    bot.import_835(
        [paid("A2")], on=date(2026, 11, 26), name="paid.835", check="P", production_date="20261125"
    )
    bot.set_deadline("A3", date(2026, 11, 28), assignee=STAFF)

    bot.run("digest", at(2026, 11, 30, 8))
    text = all_text(bot.slack.messages(CHANNEL)[0].blocks)
    assert (
        "*Received* 0 ($0.00) · *Recovered* 1 ($100.00) · *Written off* 0 ($0.00)"
        " · *Open* 2 ($200.00)"
    ) in text
    assert "*Needs an owner:* 0 · *Root cause to confirm:* 1 (suggested)" in text
    assert "*Overdue:* 1 ($100.00)" in text
    assert "*Appeals sent:* 1 · corrected claims 0 · *Outcomes:* 1 won · 0 lost · 0 partial" in text
    # the verdict beside the fix: no claims from the payer have come since it took effect
    assert ": 3 claims in 90 days (fix recorded Nov 25: no change yet: no claims since)" in text


def test_without_a_channel_the_digest_says_where_it_should_go(
    settings: Settings, sessions: sessionmaker[Session], rulebook: Rulebook, slack: SlackStandIn
) -> None:
    bot = JobBot.build(settings, sessions, rulebook, slack, channel=None)
    report = bot.run("digest", at(2026, 11, 30, 9))
    assert report.errors == ["DENIALS_CHANNEL is not set: there is nowhere to post the digest"]


def test_a_restart_after_slack_took_the_digest_does_not_post_it_again(
    bot: JobBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Died(BaseException):
        """The process ends here."""

    def die(*_: object, **__: object) -> None:
        raise Died

    bot.import_835([denied("A1")], on=date(2026, 11, 24))
    already_sent(bot, date(2026, 11, 23))
    monkeypatch.setattr(bot.jobs.ledger, "mark_sent", die)
    with pytest.raises(Died):
        bot.run("digest", at(2026, 11, 30, 8))
    monkeypatch.undo()

    bot.wall.advance(minutes=6)
    report = bot.run("digest", at(2026, 11, 30, 9))
    assert report.sent == ["digest for the week of 2026-11-23 posted"]
    assert len(digests(bot)) == 1
    assert bot.run("digest", at(2026, 11, 30, 10)).sent == []
