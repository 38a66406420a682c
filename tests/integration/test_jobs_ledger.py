"""The send ledger (claim → send → mark sent) and the hourly error report built on it."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from slack_sdk import WebClient
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.message import Message
from bot.errors import SlackUnavailableError
from bot.jobs.errors import ErrorReporter
from bot.services.courier import Courier
from bot.slack.delivery import Pacer, deliver, find_delivered
from storage.send_ledger import MAX_ATTEMPTS, SendLedger
from tests.integration.jobs_support import CHANNEL, MANAGER, MANAGER_2, WallClock
from tests.support.slack_standin import SlackStandIn


@pytest.fixture
def wall() -> WallClock:
    return WallClock()


@pytest.fixture
def ledger(sessions: sessionmaker[Session], wall: WallClock) -> SendLedger:
    return SendLedger(sessions, worker="a", now=wall)


def test_the_first_claim_wins_and_everyone_else_skips(
    ledger: SendLedger, sessions: sessionmaker[Session], wall: WallClock
) -> None:
    other = SendLedger(sessions, worker="b", now=wall)
    assert ledger.claim("digest", "C1:2026-W49")
    assert not other.claim("digest", "C1:2026-W49")
    assert not ledger.claim("digest", "C1:2026-W49")
    assert other.claim("digest", "C2:2026-W49")  # another channel is another message


def test_a_claim_that_never_reached_sent_is_taken_over_once_it_is_stale(
    ledger: SendLedger, sessions: sessionmaker[Session], wall: WallClock
) -> None:
    ledger.claim("warning", "42:7:2026-12-14")
    b = SendLedger(sessions, worker="b", now=wall)
    c = SendLedger(sessions, worker="c", now=wall)
    wall.advance(minutes=4)
    assert not b.claim("warning", "42:7:2026-12-14")
    wall.advance(minutes=2)
    assert [b.claim("warning", "42:7:2026-12-14"), c.claim("warning", "42:7:2026-12-14")] == [
        True,
        False,
    ]


def test_a_sent_message_is_never_claimed_again_however_old(
    ledger: SendLedger, wall: WallClock
) -> None:
    sent = ledger.send_once("patterns", "2026-10:U1", lambda: {"ts": "1.0"})
    wall.advance(days=400)
    assert sent
    assert not ledger.send_once("patterns", "2026-10:U1", lambda: {"ts": "2.0"})
    assert ledger.rows("patterns", ["2026-10:U1"])["2026-10:U1"] == ("sent", {"ts": "1.0"})
    assert ledger.sent_keys("patterns", ["2026-10:U1", "2026-11:U1"]) == {"2026-10:U1"}


def test_a_send_that_keeps_failing_gives_up_after_a_few_attempts(
    ledger: SendLedger, wall: WallClock
) -> None:
    def fail() -> None:
        raise OSError("connection refused")

    for _ in range(MAX_ATTEMPTS):
        with pytest.raises(OSError, match="refused"):
            ledger.send_once("warning", "9:3:2026-12-14", fail)
        wall.advance(minutes=6)
    assert ledger.status("warning", "9:3:2026-12-14") == "failed"
    assert ledger.sent_keys("warning", ["9:3:2026-12-14"]) == {"9:3:2026-12-14"}
    _status, detail = ledger.rows("warning", ["9:3:2026-12-14"])["9:3:2026-12-14"]
    assert detail == {"attempts": MAX_ATTEMPTS, "error": "OSError"}


def reporter(slack: SlackStandIn, ledger: SendLedger, **kw: object) -> ErrorReporter:
    client = WebClient(token="xoxb-test", base_url=slack.url)
    kw.setdefault("now", ledger.now)
    return ErrorReporter(client, ledger, (MANAGER, MANAGER_2), CHANNEL, **kw)  # type: ignore[arg-type]


def test_a_job_problem_reaches_each_manager_at_most_once_an_hour(
    slack: SlackStandIn, ledger: SendLedger, sessions: sessionmaker[Session], wall: WallClock
) -> None:
    # each process's monotonic clock follows the wall clock
    def monotonic() -> float:
        return wall.now.timestamp()

    one = reporter(slack, ledger, monotonic=monotonic)
    replica = reporter(slack, SendLedger(sessions, worker="b", now=wall), monotonic=monotonic)

    assert one.report("deadlines", ["a deadline warning was not sent (fatal_error)"])
    wall.advance(minutes=10)
    assert not one.report("deadlines", ["again"])  # the same process, minutes later
    assert not replica.report("deadlines", ["from the other replica"])  # the same hour
    assert one.report("digest", ["DENIALS_CHANNEL is not set"])  # another job
    texts = [m.text for m in slack.dms(MANAGER)]
    assert len(texts) == 2
    assert texts[0].startswith(":warning: The scheduled job *deadlines* had a problem:")
    assert "• a deadline warning was not sent (fatal_error)" in texts[0]
    assert len(slack.dms(MANAGER_2)) == 2

    wall.advance(hours=1)
    assert replica.report("deadlines", ["an hour later"])
    assert len(slack.dms(MANAGER)) == 3


def test_a_report_still_goes_out_when_the_database_is_down(
    slack: SlackStandIn, ledger: SendLedger, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*_: object, **__: object) -> bool:
        raise OperationalError("SELECT 1", {}, Exception("database is gone"))

    monkeypatch.setattr(ledger, "send_once", down)
    assert reporter(slack, ledger).report("post", ["it stopped with OperationalError"])
    assert len(slack.dms(MANAGER)) == 1


def test_only_a_claim_taken_over_looks_for_a_message_sent_before_a_crash(
    ledger: SendLedger, sessions: sessionmaker[Session], wall: WallClock
) -> None:
    looked: list[str] = []

    def find(answer: dict[str, str] | None) -> Callable[[], dict[str, str] | None]:
        def look() -> dict[str, str] | None:
            looked.append("looked")
            return answer

        return look

    assert ledger.send_once("digest", "fresh", lambda: {"ts": "1.0"}, find_sent=find(None))
    assert looked == []  # a fresh claim was never sent: nothing to look for

    ledger.claim("digest", "died-after-slack")
    wall.advance(minutes=6)
    other = SendLedger(sessions, worker="b", now=wall)
    sent_again: list[str] = []
    assert other.send_once(
        "digest",
        "died-after-slack",
        lambda: sent_again.append("sent") or {"ts": "2.0"},
        find_sent=find({"channel": "C1", "ts": "1.5"}),
    )
    assert (looked, sent_again) == (["looked"], [])
    assert other.rows("digest", ["died-after-slack"])["died-after-slack"] == (
        "sent",
        {"channel": "C1", "ts": "1.5"},
    )

    ledger.claim("digest", "died-before-slack")
    wall.advance(minutes=6)
    assert other.send_once(
        "digest", "died-before-slack", lambda: {"ts": "3.0"}, find_sent=find(None)
    )
    assert other.rows("digest", ["died-before-slack"])["died-before-slack"] == (
        "sent",
        {"ts": "3.0"},
    )


def test_a_workspace_that_cannot_be_searched_gets_the_message_again_rather_than_never(
    slack: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    client = WebClient(token="xoxb-test", base_url=slack.url)
    slack.fail_next("conversations.history", status=200, error="missing_scope")
    with caplog.at_level(logging.WARNING):
        assert find_delivered(client, CHANNEL, ("digest", "k")) is None
    assert "could not look for digest k in Slack (SlackApiError)" in caplog.text

    sent = deliver(client, MANAGER, Message(text="hello"), marker=("escalation_dm", "k2"))
    assert find_delivered(client, MANAGER, ("escalation_dm", "k2")) == sent
    assert find_delivered(client, MANAGER, ("escalation_dm", "other")) is None


def test_a_send_whose_answer_was_lost_is_looked_for_before_it_goes_again(
    ledger: SendLedger, wall: WallClock
) -> None:
    looked: list[str] = []

    def lost() -> dict[str, str]:
        raise SlackUnavailableError("answer lost", maybe_sent=True)

    def find() -> dict[str, str] | None:
        looked.append("looked")
        return {"channel": "C1", "ts": "9.0"}

    with pytest.raises(SlackUnavailableError):
        ledger.send_once("digest", "lost", lost, find_sent=find)
    assert ledger.status("digest", "lost") == "unsure"
    assert not ledger.send_once("digest", "lost", lambda: {"ts": "2.0"}, find_sent=find)  # settling
    wall.advance(seconds=31)
    assert ledger.send_once("digest", "lost", lambda: {"ts": "2.0"}, find_sent=find)
    assert looked == ["looked"]
    assert ledger.rows("digest", ["lost"])["lost"][1]["ts"] == "9.0"  # found, not sent again


def test_a_send_slack_refused_is_tried_again_soon_without_looking(
    ledger: SendLedger, wall: WallClock
) -> None:
    def refused() -> dict[str, str]:
        raise OSError("refused")

    def find() -> dict[str, str] | None:
        raise AssertionError("a refused send was never posted: nothing to look for")

    with pytest.raises(OSError, match="refused"):
        ledger.send_once("warning", "w", refused, find_sent=find)
    assert ledger.status("warning", "w") == "retry"
    wall.advance(seconds=31)  # the first back-off, not the five-minute stale rule
    assert ledger.send_once("warning", "w", lambda: {"ts": "1.0"}, find_sent=find)


def test_a_rate_limit_is_waited_out_and_is_not_an_attempt(
    ledger: SendLedger, wall: WallClock
) -> None:
    def limited() -> dict[str, str]:
        raise SlackUnavailableError("slow down", retry_after=3)

    for _ in range(MAX_ATTEMPTS + 1):
        with pytest.raises(SlackUnavailableError):
            ledger.send_once("warning", "rl", limited)
        assert not ledger.claim("warning", "rl")  # not before Retry-After
        wall.advance(seconds=3)
    assert ledger.status("warning", "rl") == "retry"  # never given up for waiting
    assert ledger.send_once("warning", "rl", lambda: {"ts": "1.0"})


def test_when_slack_cannot_be_asked_the_message_waits_rather_than_goes_twice(
    ledger: SendLedger, wall: WallClock
) -> None:
    ledger.claim("digest", "k")
    wall.advance(minutes=6)  # a crash left it claimed: it may have been sent

    def cannot_look() -> dict[str, str] | None:
        raise SlackUnavailableError("history lost")

    def send() -> dict[str, str]:
        raise AssertionError("sent without knowing whether it was sent")

    with pytest.raises(SlackUnavailableError):
        ledger.send_once("digest", "k", send, find_sent=cannot_look)
    assert ledger.status("digest", "k") == "unsure"


def test_messages_that_carry_their_words_wait_in_the_ledger_until_due(
    ledger: SendLedger, sessions: sessionmaker[Session], wall: WallClock
) -> None:
    with sessions() as session, session.begin():
        ledger.enqueue(session, "note", "n1", {"message": {"to": "C1", "text": "hi"}})
    ledger.claim("digest", "no-words")  # rebuilt by its job each tick: never listed
    ledger.send_once("note", "n2", lambda: {"ts": "1"}, detail={"message": {"text": "sent"}})

    assert [(kind, key) for kind, key, _ in ledger.due()] == [("note", "n1")]
    assert ledger.claim("note", "n1")
    assert ledger.due() == []


def test_messages_waiting_in_the_ledger_wait_out_a_429_and_all_go_in_one_round(
    slack: SlackStandIn, ledger: SendLedger, sessions: sessionmaker[Session], wall: WallClock
) -> None:
    """An error report or a thread note Slack did not take goes out with the next posting
    round; two 429s on the way are waited out (as the card outbox does), not the end of it."""
    with sessions() as session, session.begin():
        for n in range(3):
            message = {"to": MANAGER, "text": f"report {n}", "blocks": []}
            ledger.enqueue(session, "job_error", f"k{n}", {"message": message})
    slack.fail_next("chat.postMessage", status=429, retry_after=2, times=2)
    waited: list[float] = []

    def sleep(seconds: float) -> None:  # the time passes for the ledger too
        waited.append(seconds)
        wall.advance(seconds=seconds)

    client = WebClient(token="xoxb-test", base_url=slack.url)
    sent = Courier(client, ledger, Pacer(0.0, sleep=sleep)).resend_due()

    assert sent == 3
    assert [m.text for m in slack.dms(MANAGER)] == ["report 0", "report 1", "report 2"]
    assert waited.count(2) == 2  # what Slack asked, twice
    assert {status for status, _ in ledger.rows("job_error", ["k0", "k1", "k2"]).values()} == {
        "sent"
    }
