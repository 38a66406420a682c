"""Escalating deadline warnings, driven day by day: each level once, then never again."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.domain.actor import Actor
from bot.domain.rulebook import Rulebook
from bot.services.triage import AppealForm
from tests.integration.jobs_support import (
    CHANNEL,
    MANAGER,
    MANAGER_2,
    STAFF,
    JobBot,
    at,
)
from tests.support.slack_standin import SlackStandIn
from tests.support.x835 import denied

DUE = date(2026, 12, 14)


def one_card(bot: JobBot, claim: str = "PCN1", due: date = DUE, **values: Any) -> int:
    bot.import_835([denied(claim)], on=date(2026, 11, 2), name=f"{claim}.835")
    denial_id = bot.set_deadline(claim, due, **values)
    bot.run("post", at(2026, 11, 2))
    return denial_id


def section_lines(blocks: list[dict[str, Any]]) -> list[str]:
    """The lines of a message, each claim's link to its card (checked) read as its words."""
    lines = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    for line in lines[1:]:
        if not line.startswith(":"):
            assert line.startswith("<https://standin.slack.com/archives/"), line
    return [re.sub(r"<[^|>]*\|([^>]*)>", r"\1", line) for line in lines]


def run_days(bot: JobBot, first: date, last: date) -> None:
    day = first
    while day <= last:
        bot.run("deadlines", at(day.year, day.month, day.day))
        day += timedelta(days=1)


def test_each_level_goes_out_once_on_its_day_to_the_right_people(bot: JobBot) -> None:
    one_card(bot)

    run_days(bot, date(2026, 11, 20), date(2026, 11, 30))
    assert bot.thread_texts() == [":hourglass: 14 days to the appeal deadline (Dec 14)"]

    run_days(bot, date(2026, 11, 30), date(2026, 12, 7))
    assert bot.thread_texts()[1:] == [
        f"<@{MANAGER}> the appeal for PCN1 (Aetna, $100.00) is due in 7 days."
    ]

    bot.set_deadline("PCN1", DUE, assignee=STAFF)
    run_days(bot, date(2026, 12, 8), date(2026, 12, 12))
    assert bot.thread_texts()[2:] == [
        f"<@{STAFF}> <@{MANAGER}> the appeal for PCN1 (Aetna, $100.00) is due in 3 days."
    ]
    assert bot.dm_texts() == []

    run_days(bot, date(2026, 12, 13), date(2026, 12, 14))
    assert bot.dm_texts() == ["1 denial is due tomorrow or overdue ($100.00)"]

    run_days(bot, date(2026, 12, 15), date(2027, 1, 31))
    assert len(bot.dm_texts()) == 2
    dm = bot.slack.dms(MANAGER)[-1]
    assert "appeal overdue by 1 day" in str(dm.blocks)
    assert len(bot.thread_texts()) == 3


def test_a_denial_appealed_between_two_levels_hears_nothing_more(bot: JobBot) -> None:
    denial_id = one_card(bot)
    bot.run("deadlines", at(2026, 12, 7))
    assert len(bot.thread_texts()) == 1  # the 7-day mention (14 was never sent: caught up)

    bot.deps.triage.log_appeal(
        denial_id,
        None,
        AppealForm(level="1", method="portal", sent_on=date(2026, 12, 8)),
        Actor(team="T1", user=STAFF),
        at(2026, 12, 8),
    )
    run_days(bot, date(2026, 12, 8), date(2027, 1, 15))
    assert len(bot.thread_texts()) == 1
    assert bot.dm_texts() == []


def test_days_missed_while_down_send_only_the_most_urgent_level(bot: JobBot) -> None:
    one_card(bot)
    report = bot.run("deadlines", at(2026, 12, 12))  # first run since Nov 29: 2 days left
    assert bot.thread_texts() == [
        f"<@{MANAGER}> the appeal for PCN1 (Aetna, $100.00) is due in 2 days."
    ]
    assert report.sent == ["1 deadline notes posted in card threads"]
    assert bot.run("deadlines", at(2026, 12, 12, 15)).sent == []


def test_one_dm_per_manager_per_day_lists_everything_due_or_overdue(
    settings: Settings, sessions: sessionmaker[Session], rulebook: Rulebook, slack: SlackStandIn
) -> None:
    bot = JobBot.build(settings, sessions, rulebook, slack, managers=(MANAGER, MANAGER_2))
    bot.import_835([denied("A1"), denied("B2"), denied("C3")], on=date(2026, 11, 2))
    bot.set_deadline("A1", date(2026, 12, 2))  # tomorrow
    bot.set_deadline("B2", date(2026, 12, 1))  # today
    bot.set_deadline("C3", date(2026, 11, 20))  # overdue
    bot.run("post", at(2026, 11, 2))

    bot.run("deadlines", at(2026, 12, 1))
    bot.run("deadlines", at(2026, 12, 1, 14))
    for manager in (MANAGER, MANAGER_2):
        assert bot.dm_texts(manager) == ["3 denials are due tomorrow or overdue ($300.00)"]
    lines = section_lines(bot.slack.dms(MANAGER)[0].blocks)
    # the three are one grouped card: one line per section, due soon first
    assert [line.split(" · ")[0] for line in lines[1:]] == [
        ":warning: *Due today or tomorrow* (2)",
        ":repeat: 2 denials like B2",
        ":rotating_light: *Overdue, still appealable* (1)",
        "C3",
    ]

    # one that turns up later the same day waits for tomorrow's message
    bot.import_835([denied("D4")], on=date(2026, 12, 1), name="late.835", check="LATE")
    bot.set_deadline("D4", date(2026, 12, 2))
    bot.run("post", at(2026, 12, 1, 15))
    bot.run("deadlines", at(2026, 12, 1, 16))
    assert len(bot.dm_texts()) == 1

    bot.run("deadlines", at(2026, 12, 2))
    # B2 is overdue now (a new level); D4 is due today; A1 had its 1-day message yesterday
    assert bot.dm_texts()[1] == "2 denials are due tomorrow or overdue ($200.00)"
    lines = section_lines(bot.slack.dms(MANAGER)[1].blocks)
    assert [line.split(" · ")[0] for line in lines[1:]] == [
        ":warning: *Due today or tomorrow* (1)",
        "D4",
        ":rotating_light: *Overdue, still appealable* (1)",
        "B2",
    ]
    bot.run("deadlines", at(2026, 12, 2, 17))
    assert len(bot.dm_texts(MANAGER_2)) == 2


def test_no_managers_means_the_overdue_list_goes_to_the_channel(
    settings: Settings, sessions: sessionmaker[Session], rulebook: Rulebook, slack: SlackStandIn
) -> None:
    bot = JobBot.build(settings, sessions, rulebook, slack, managers=())
    one_card(bot, due=date(2026, 11, 29))
    bot.run("deadlines", at(2026, 12, 1))
    bot.run("deadlines", at(2026, 12, 1, 12))
    assert [m.text for m in bot.cards()][1:] == ["1 denial is due tomorrow or overdue ($100.00)"]


def test_a_denial_without_appeal_rights_is_warned_about_its_resubmission(bot: JobBot) -> None:
    one_card(bot, kind="resubmission")
    bot.run("deadlines", at(2026, 11, 30))
    bot.run("deadlines", at(2026, 12, 7))
    assert bot.thread_texts() == [
        ":hourglass: 14 days to the resubmission deadline (Dec 14)",
        f"<@{MANAGER}> the corrected claim for PCN1 (Aetna, $100.00) is due in 7 days.",
    ]


def test_a_warning_waits_for_its_card_to_be_posted(bot: JobBot) -> None:
    bot.import_835([denied("PCN1")], on=date(2026, 11, 2))
    bot.set_deadline("PCN1", DUE)
    report = bot.run("deadlines", at(2026, 11, 30))
    assert report.skipped == ["1 warning waits for their card to be posted"]
    bot.run("post", at(2026, 11, 30, 10))
    bot.run("deadlines", at(2026, 11, 30, 11))
    assert bot.thread_texts() == [":hourglass: 14 days to the appeal deadline (Dec 14)"]


@pytest.mark.parametrize(
    ("day", "before_8", "at_8"),
    [
        # DST begins Sunday March 8, 2026: Monday 8:00 EDT is 12:00 UTC
        (date(2026, 3, 9), "2026-03-09T11:59", "2026-03-09T12:00"),
        # DST ends Sunday November 1, 2026: Monday 8:00 EST is 13:00 UTC
        (date(2026, 11, 2), "2026-11-02T12:59", "2026-11-02T13:00"),
    ],
)
def test_the_daily_warnings_wait_for_8_local_across_dst(
    bot: JobBot, day: date, before_8: str, at_8: str
) -> None:
    from datetime import UTC, datetime

    bot.import_835([denied("PCN1")], on=day - timedelta(days=30))
    bot.set_deadline("PCN1", day + timedelta(days=14))
    bot.run("post", at(day.year, day.month, day.day, 0))
    bot.run("deadlines", datetime.fromisoformat(before_8).replace(tzinfo=UTC))
    assert bot.thread_texts() == []
    bot.run("deadlines", datetime.fromisoformat(at_8).replace(tzinfo=UTC))
    assert len(bot.thread_texts()) == 1


def test_a_failed_send_is_retried_later_and_sent_once(bot: JobBot) -> None:
    one_card(bot)
    bot.slack.fail_next("chat.postMessage", status=200, error="fatal_error")
    report = bot.run("deadlines", at(2026, 11, 30))
    assert len(report.errors) == 1
    assert "will be tried again" in report.errors[0]
    assert bot.thread_texts() == []

    bot.run("deadlines", at(2026, 11, 30, 10))  # the claim is fresh: someone may be sending
    assert bot.thread_texts() == []

    bot.wall.advance(minutes=6)
    bot.run("deadlines", at(2026, 11, 30, 11))
    bot.wall.advance(minutes=6)
    bot.run("deadlines", at(2026, 11, 30, 12))
    assert bot.thread_texts() == [":hourglass: 14 days to the appeal deadline (Dec 14)"]
    assert bot.slack.messages(CHANNEL)[0].text  # the card itself is untouched


def test_a_restart_between_two_managers_messages_sends_neither_twice(
    settings: Settings, sessions: sessionmaker[Session], rulebook: Rulebook, slack: SlackStandIn
) -> None:
    bot = JobBot.build(settings, sessions, rulebook, slack, managers=(MANAGER, MANAGER_2))
    one_card(bot, due=date(2026, 12, 2))
    # a process claimed the second manager's message and died before sending it
    assert bot.jobs.ledger.claim("escalation_dm", f"{MANAGER_2}:2026-12-01")

    bot.run("deadlines", at(2026, 12, 1))
    bot.run("deadlines", at(2026, 12, 1, 10))
    assert (len(bot.dm_texts(MANAGER)), len(bot.dm_texts(MANAGER_2))) == (1, 0)

    bot.wall.advance(minutes=6)
    bot.run("deadlines", at(2026, 12, 1, 11))
    bot.run("deadlines", at(2026, 12, 1, 12))
    bot.run("deadlines", at(2026, 12, 2))  # the 1-day level was told: nothing tomorrow
    assert (len(bot.dm_texts(MANAGER)), len(bot.dm_texts(MANAGER_2))) == (1, 1)


class Died(BaseException):
    """The process ends here: nothing after this point runs (not even `except Exception`)."""


def dies_once_slack_took_a_message(bot: JobBot, monkeypatch: pytest.MonkeyPatch) -> None:
    def die(*_: object, **__: object) -> None:
        raise Died

    monkeypatch.setattr(bot.jobs.ledger, "mark_sent", die)


def test_a_restart_after_slack_took_a_managers_message_does_not_send_it_again(
    bot: JobBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_card(bot, due=date(2026, 12, 2))
    bot.run("deadlines", at(2026, 11, 30))  # the thread notes before, sent and recorded
    dies_once_slack_took_a_message(bot, monkeypatch)
    with pytest.raises(Died):
        bot.run("deadlines", at(2026, 12, 1))
    monkeypatch.undo()
    assert bot.dm_texts() == ["1 denial is due tomorrow or overdue ($100.00)"]

    bot.run("deadlines", at(2026, 12, 1, 10))  # the claim is not stale yet: nobody sends
    bot.wall.advance(minutes=6)
    report = bot.run("deadlines", at(2026, 12, 1, 11))
    assert bot.dm_texts() == ["1 denial is due tomorrow or overdue ($100.00)"]
    assert bot.jobs.ledger.status("escalation_dm", f"{MANAGER}:2026-12-01") == "sent"
    assert report.errors == []
    bot.run("deadlines", at(2026, 12, 2))
    assert len(bot.dm_texts()) == 1  # and the level counts as told


def test_a_restart_after_slack_took_a_thread_note_does_not_post_it_again(
    bot: JobBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_card(bot)
    dies_once_slack_took_a_message(bot, monkeypatch)
    with pytest.raises(Died):
        bot.run("deadlines", at(2026, 11, 30))
    monkeypatch.undo()

    bot.wall.advance(minutes=6)
    bot.run("deadlines", at(2026, 11, 30, 11))
    bot.run("deadlines", at(2026, 12, 1))
    assert bot.thread_texts() == [":hourglass: 14 days to the appeal deadline (Dec 14)"]


def test_a_message_lost_with_the_process_before_slack_took_it_is_sent_after_all(
    bot: JobBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_card(bot, due=date(2026, 12, 2))
    bot.run("deadlines", at(2026, 11, 30))
    # the process claimed the manager's message and died before Slack had it
    assert bot.jobs.ledger.claim("escalation_dm", f"{MANAGER}:2026-12-01")

    bot.wall.advance(minutes=6)
    bot.run("deadlines", at(2026, 12, 1, 11))
    assert bot.dm_texts() == ["1 denial is due tomorrow or overdue ($100.00)"]


def test_a_manager_is_mentioned_in_one_unassigned_thread_a_day(bot: JobBot) -> None:
    """Issue 14: six unassigned denials reaching 7 days on one day were six pings."""
    for claim in ("M1", "M2", "M3"):
        one_card(bot, claim)
    bot.run("deadlines", at(2026, 12, 7))
    notes = bot.thread_texts()
    assert len(notes) == 3
    assert sum(f"<@{MANAGER}>" in note for note in notes) == 1
    quiet = [note for note in notes if "<@" not in note]
    assert len(quiet) == 2
    assert all(note.endswith("Nobody owns it yet: assign it from the card.") for note in quiet)
    assert quiet[0].startswith("The appeal for M")

    bot.run("deadlines", at(2026, 12, 7, 15))  # a later tick the same day pings nobody
    assert len(bot.thread_texts()) == 3


def test_the_job_report_counts_one_deadline_in_the_singular(bot: JobBot) -> None:
    one_card(bot)
    report = bot.run("deadlines", at(2026, 12, 13))
    assert f"sent <@{MANAGER}> the list of 1 deadline due tomorrow or overdue" in " ".join(
        report.sent
    )
