"""The send ledger (claim → send → mark sent) and the hourly error report built on it."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.jobs.errors import ErrorReporter
from bot.services.send_ledger import MAX_ATTEMPTS, SendLedger
from tests.e2e.slack_standin import SlackStandIn
from tests.integration.jobs_support import CHANNEL, MANAGER, MANAGER_2, WallClock


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
