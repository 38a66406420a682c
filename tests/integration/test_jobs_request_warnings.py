"""Records-request reminders from the deadline job: 7, 3 and 1 days before the due date, each
once, across restarts and a process that died after Slack took a note; sent records stop them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.domain.actor import Actor
from bot.domain.rulebook import Rulebook
from bot.services.importing import ImportContext, import_file
from bot.services.work_items import WorkItems
from storage.models import ClaimRejection, DocumentationRequest, SendClaim
from tests.integration.jobs_support import CHANNEL, MANAGER, NY, STAFF, JobBot, at
from tests.support.slack_standin import SlackStandIn
from tests.support.x277 import ACK, ClaimSpec, make_277

RECEIVED = date(2026, 11, 25)
DUE = date(2026, 12, 20)
SEVEN = f"<@{MANAGER}> the records request for PCN-R1 (Aetna) is due in 7 days."
THREE = f"<@{MANAGER}> the records request for PCN-R1 (Aetna) is due in 3 days."


class Died(BaseException):
    """The process ends here: nothing after this point runs (not even `except Exception`)."""


def restarted(
    settings: Settings, sessions: sessionmaker[Session], rulebook: Rulebook, slack: SlackStandIn
) -> JobBot:
    """A new process: new jobs and ledger over the same database and Slack."""
    return JobBot.build(settings, sessions, rulebook, slack, worker="after-restart")


def one_request(bot: JobBot) -> int:
    """A 277RFAI from Aetna asking for PCN-R1's operative note by Dec 20, and its card."""
    data = make_277(
        [ClaimSpec(number="PCN-R1", stc=["R4:11504-8::LOI*20261125"], due=DUE.strftime("%Y%m%d"))],
        payer="AETNA",
        payer_id="60054",
        created="20261125",
    )
    context = ImportContext(
        sessions=bot.deps.sessions,
        rulebook=bot.deps.rulebook,
        actor="cli:test",
        now=datetime.combine(RECEIVED, time(10), NY).astimezone(UTC),
        today=RECEIVED,
    )
    assert import_file(data, context, file_name="rfai.277").requests == 1
    bot.run("post", at(2026, 11, 25))
    with bot.deps.sessions() as session:
        return int(session.scalars(select(DocumentationRequest.id)).one())


def run_days(bot: JobBot, first: date, last: date) -> None:
    day = first
    while day <= last:
        bot.run("deadlines", at(day.year, day.month, day.day))
        day += timedelta(days=1)


def warning_keys(bot: JobBot) -> list[str]:
    with bot.deps.sessions() as session:
        return sorted(session.scalars(select(SendClaim.key).where(SendClaim.kind == "warning")))


def test_each_reminder_once_though_the_bot_restarts_every_day(
    settings: Settings, sessions: sessionmaker[Session], rulebook: Rulebook, slack: SlackStandIn
) -> None:
    request_id = one_request(JobBot.build(settings, sessions, rulebook, slack))
    day = DUE - timedelta(days=10)
    while day <= DUE + timedelta(days=3):
        for hour in (9, 13):  # two ticks a day, each in a freshly started process
            restarted(settings, sessions, rulebook, slack).run(
                "deadlines", at(day.year, day.month, day.day, hour)
            )
        day += timedelta(days=1)

    bot = restarted(settings, sessions, rulebook, slack)
    assert bot.thread_texts() == [SEVEN, THREE]
    dms = bot.dm_texts()
    # the 1-day level on Dec 19, and the overdue level on the day after the due date
    assert dms == ["Due tomorrow or overdue: 1 records request"] * 2
    assert warning_keys(bot) == [
        f"request:{request_id}:{level}:{DUE.isoformat()}" for level in ("1", "3", "7", "overdue")
    ]


def test_a_reminder_slack_took_before_the_process_died_is_not_posted_again(
    settings: Settings,
    sessions: sessionmaker[Session],
    rulebook: Rulebook,
    slack: SlackStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bot = JobBot.build(settings, sessions, rulebook, slack)
    one_request(bot)

    def die(*_: object, **__: object) -> None:
        raise Died

    monkeypatch.setattr(bot.jobs.ledger, "mark_sent", die)
    with pytest.raises(Died):
        bot.run("deadlines", at(2026, 12, 13))  # Slack took the 7-day note; nothing recorded
    monkeypatch.undo()
    assert bot.thread_texts() == [SEVEN]

    after = restarted(settings, sessions, rulebook, slack)
    after.wall.advance(minutes=6)  # the dead process's claim has gone stale
    report = after.run("deadlines", at(2026, 12, 13, 11))
    after.run("deadlines", at(2026, 12, 14))
    assert report.errors == []
    assert after.thread_texts() == [SEVEN]  # found by its metadata, not posted again


def test_marking_the_records_sent_stops_the_reminders_even_after_a_restart(
    settings: Settings, sessions: sessionmaker[Session], rulebook: Rulebook, slack: SlackStandIn
) -> None:
    bot = JobBot.build(settings, sessions, rulebook, slack)
    request_id = one_request(bot)
    run_days(bot, date(2026, 12, 12), date(2026, 12, 14))
    assert bot.thread_texts() == [SEVEN]

    with sessions() as session:
        version = session.get_one(DocumentationRequest, request_id).version
    WorkItems(sessions, rulebook.payer_rules).mark_sent(
        request_id,
        version,
        sent_on=date(2026, 12, 15),
        method="portal",
        reference=None,
        actor=Actor("T0TEAM", STAFF),
        now=datetime(2026, 12, 15, 15, tzinfo=UTC),
    )
    after = restarted(settings, sessions, rulebook, slack)
    run_days(after, date(2026, 12, 15), date(2026, 12, 31))
    assert after.thread_texts() == [SEVEN]
    assert after.dm_texts() == []
    assert slack.messages(CHANNEL)[0].ts  # the card itself is still there


def test_the_monday_digest_counts_requests_and_rejections_from_the_database(
    bot: JobBot,
) -> None:
    def load(data: bytes, day: date, name: str) -> None:
        context = ImportContext(
            sessions=bot.deps.sessions,
            rulebook=bot.deps.rulebook,
            actor="cli:test",
            now=datetime.combine(day, time(10), NY).astimezone(UTC),
            today=day,
        )
        assert import_file(data, context, file_name=name).status == "imported"

    def asked(claim: str, due: str) -> ClaimSpec:
        return ClaimSpec(number=claim, payer_claim=f"ICN-{claim}", stc=["R4:11504-8::LOI"], due=due)

    # received Nov 20: due Dec 3 (overdue by the Monday), Dec 10 (this week), Dec 30 (later)
    load(
        make_277(
            [
                asked("R-OVER", "20261203"),
                asked("R-WEEK", "20261210"),
                asked("R-LATER", "20261230"),
            ],
            payer="AETNA",
            payer_id="60054",
            created="20261120",
        ),
        date(2026, 11, 20),
        "rfai-1120.277",
    )
    # received last week (Dec 2): one more request, and a claim rejected before adjudication
    load(
        make_277([asked("R-NEW", "20261231")], payer="AETNA", payer_id="60054", created="20261202"),
        date(2026, 12, 2),
        "rfai-1202.277",
    )
    load(
        make_277(
            [ClaimSpec(number="CLM-1", payer_claim=None, stc=["A7:562:85*20261202*U*100"])],
            guide=ACK,
            payer="UNITEDHEALTHCARE",
            payer_id="87726",
            created="20261202",
        ),
        date(2026, 12, 2),
        "ack-1202.277",
    )
    with bot.deps.sessions() as session:
        sent = session.scalars(
            select(DocumentationRequest).where(DocumentationRequest.claim_number == "R-LATER")
        ).one()
    WorkItems(bot.deps.sessions, bot.deps.rulebook.payer_rules).mark_sent(
        sent.id,
        sent.version,
        sent_on=date(2026, 12, 1),
        method="fax",
        reference=None,
        actor=Actor("T0TEAM", STAFF),
        now=datetime(2026, 12, 1, 15, tzinfo=UTC),
    )

    assert bot.run("digest", at(2026, 12, 7, 8)).sent == [
        "digest for the week of 2026-11-30 posted"
    ]
    (digest,) = [m for m in bot.slack.messages(CHANNEL) if m.text.startswith("Denials week")]
    text = str(digest.blocks)
    assert (
        "*Records requests:* 3 to send · due this week 1 · overdue 1 · received last week 1"
    ) in text
    assert "*Rejected claims:* 1 to correct" in text
    assert "rejected last week 1" in text


def test_a_rejection_is_warned_about_before_its_filing_limit_once_each_until_corrected(
    settings: Settings, sessions: sessionmaker[Session], rulebook: Rulebook, slack: SlackStandIn
) -> None:
    bot = JobBot.build(settings, sessions, rulebook, slack)
    ack = make_277(
        [ClaimSpec(number="CLM-1", payer_claim=None, stc=["A7:562:85*20261127*U*210"])],
        guide=ACK,
        payer="UNITEDHEALTHCARE",
        payer_id="87726",
        created="20261127",
    )
    context = ImportContext(
        sessions=sessions,
        rulebook=rulebook,
        actor="cli:test",
        now=datetime.combine(date(2026, 11, 27), time(10), NY).astimezone(UTC),
        today=date(2026, 11, 27),
    )
    assert import_file(ack, context, file_name="ack.277").rejections == 1
    bot.run("post", at(2026, 11, 27))
    with sessions() as session:
        rejection = session.scalars(select(ClaimRejection)).one()
    limit = rejection.resubmit_by
    day = limit - timedelta(days=16)
    while day <= limit - timedelta(days=4):  # each day in a new process
        restarted(settings, sessions, rulebook, slack).run(
            "deadlines", at(day.year, day.month, day.day)
        )
        day += timedelta(days=1)
    assert bot.thread_texts() == [  # the 14- and the 7-day levels, once each
        ":hourglass: 14 days to the resubmission deadline (Dec 14)",
        f"<@{MANAGER}> the corrected claim for CLM-1 (UnitedHealthcare, $210.00) is due in 7 days.",
    ]

    WorkItems(sessions, rulebook.payer_rules).mark_corrected(
        rejection.id,
        rejection.version,
        on=limit - timedelta(days=4),
        note="billing NPI fixed",
        actor=Actor("T0TEAM", STAFF),
        now=datetime.combine(limit - timedelta(days=4), time(15), UTC),
    )
    run_days(restarted(settings, sessions, rulebook, slack), limit - timedelta(days=3), limit)
    assert len(bot.thread_texts()) == 2
    assert bot.dm_texts() == []
