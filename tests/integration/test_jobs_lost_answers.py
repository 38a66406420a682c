"""Scheduled messages when Slack's answer is lost or late, rate-limited, or Slack is out: each
sent once, none lost, and no round given up where a wait would do."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.domain.rulebook import Rulebook
from tests.integration.jobs_support import CHANNEL, MANAGER, MANAGER_2, JobBot, WallClock, at
from tests.support.slack_standin import SlackStandIn
from tests.support.x835 import denied

TIMEOUT = 1  # seconds: the bot's client, here; a late answer costs one


@pytest.fixture
def bot(
    settings: Settings, sessions: sessionmaker[Session], rulebook: Rulebook, slack: SlackStandIn
) -> JobBot:
    return JobBot.build(
        settings, sessions, rulebook, slack, client_timeout=TIMEOUT, managers=(MANAGER, MANAGER_2)
    )


def lost_calls(slack: SlackStandIn) -> int:
    return len([c for c in slack.calls("chat.postMessage") if c.lost])


@pytest.mark.parametrize("kind", ["drop", "late"])
def test_a_digest_whose_answer_was_lost_is_found_not_posted_again(bot: JobBot, kind: str) -> None:
    bot.import_835([denied("A1")], on=date(2026, 11, 24))
    bot.run("post", at(2026, 11, 30, 7))
    bot.slack.lose_next("chat.postMessage", kind=kind)

    first = bot.run("digest", at(2026, 11, 30, 8))
    assert first.sent == []
    assert "not posted" in first.errors[0]
    bot.wall.advance(minutes=1)  # past the settling delay
    second = bot.run("digest", at(2026, 11, 30, 8, 15))
    bot.wall.advance(minutes=1)
    bot.run("digest", at(2026, 11, 30, 8, 30))

    assert second.sent == ["digest for the week of 2026-11-23 posted"]
    digests = [m for m in bot.slack.messages(CHANNEL) if m.text.startswith("Denials week")]
    assert len(digests) == 1
    assert lost_calls(bot.slack) == 1


def test_deadline_notes_and_the_managers_dm_are_sent_once_through_lost_answers(
    bot: JobBot,
) -> None:
    for claim, due in (("N14", date(2026, 12, 14)), ("N1", date(2026, 12, 1))):
        bot.import_835([denied(claim)], on=date(2026, 11, 2), name=f"{claim}.835")
        bot.set_deadline(claim, due)
    bot.run("post", at(2026, 11, 2))
    bot.slack.lose_next("chat.postMessage", kind="late")  # the note
    bot.slack.lose_next("chat.postMessage", kind="drop")  # the first DM
    bot.slack.lose_answers("chat.postMessage", drop=0.3, late=0.1, seed=5)  # and then some

    for minute in range(0, 60, 5):  # the hourly tick, rerun: each run finishes what it can
        bot.run("deadlines", at(2026, 11, 30, 9, minute), manual=True)
        bot.wall.advance(minutes=1)
    bot.slack.keep_answers()
    bot.run("deadlines", at(2026, 11, 30, 10), manual=True)

    assert bot.thread_texts() == [":hourglass: 14 days to the appeal deadline (Dec 14)"]
    for manager in (MANAGER, MANAGER_2):
        assert bot.dm_texts(manager) == ["1 denial is due tomorrow or overdue ($100.00)"]
    assert lost_calls(bot.slack) >= 2


def test_a_pattern_review_dm_whose_answer_was_late_is_sent_once(bot: JobBot) -> None:
    bot.import_835([denied(f"OCT{i}") for i in range(4)], on=date(2026, 10, 21))
    bot.slack.lose_next("chat.postMessage", kind="late")

    first = bot.run("patterns", at(2026, 11, 2, 8))
    bot.wall.advance(minutes=1)
    bot.run("patterns", at(2026, 11, 2, 9))

    assert first.errors  # the first DM's answer never came
    for manager in (MANAGER, MANAGER_2):
        assert len(bot.dm_texts(manager)) == 1


def test_an_error_report_whose_answer_was_lost_is_sent_once(bot: JobBot) -> None:
    bot.slack.lose_next("chat.postMessage", kind="drop")

    bot.jobs.reporter.report("digest", ["DENIALS_CHANNEL is not set"])
    bot.wall.advance(minutes=1)
    bot.run("post", at(2026, 11, 30, 9))  # any posting round sends what waits in the ledger
    bot.run("post", at(2026, 11, 30, 9, 1))

    for manager in (MANAGER, MANAGER_2):
        assert len(bot.dm_texts(manager)) == 1
    assert lost_calls(bot.slack) == 1


def test_a_report_of_a_posting_outage_is_sent_once_slack_is_back_within_the_hour(
    bot: JobBot,
) -> None:
    bot.import_835([denied("OUT1")], on=date(2026, 11, 30))
    bot.slack.go_down()

    tick = bot.run("post", at(2026, 11, 30, 9))
    bot.jobs.reporter.report("post", tick.errors)  # what the scheduler's guard does
    bot.slack.come_back()
    bot.wall.advance(minutes=10)
    bot.run("post", at(2026, 11, 30, 9, 10))
    bot.run("post", at(2026, 11, 30, 9, 11))

    assert tick.errors
    assert len(bot.cards()) == 1
    for manager in (MANAGER, MANAGER_2):
        (report,) = bot.dm_texts(manager)
        assert "The scheduled job *post* had a problem" in report


@dataclass
class LiveWall(WallClock):
    """The ledger's clock running in real time, for a job that really waits."""

    started: float = field(default_factory=time.monotonic)

    def __call__(self) -> datetime:
        return self.now + timedelta(seconds=time.monotonic() - self.started)


def test_the_deadline_job_waits_out_429s_and_sends_everything_in_one_run(
    settings: Settings, sessions: sessionmaker[Session], rulebook: Rulebook, slack: SlackStandIn
) -> None:
    bot = JobBot.build(settings, sessions, rulebook, slack, wall=LiveWall(), client_timeout=5)
    claims = [f"R{n}" for n in range(4)]
    for claim in claims:
        bot.import_835([denied(claim)], on=date(2026, 11, 2), name=f"{claim}.835")
        bot.set_deadline(claim, date(2026, 12, 14))
    bot.run("post", at(2026, 11, 2))
    # the client's own retry waits once; two 429s in a row reach the job
    bot.slack.fail_next("chat.postMessage", status=429, retry_after=1, times=2)
    started = time.monotonic()

    report = bot.run("deadlines", at(2026, 11, 30, 9), manual=True)

    assert report.errors == []
    assert report.sent == ["4 deadline notes posted in card threads"]
    assert len(bot.thread_texts()) == 4
    assert time.monotonic() - started >= 2  # it waited what Slack asked, twice
