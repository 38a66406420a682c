"""The receipt that makes a request handled once is written after the answer, not before it:
the answer never waits for the database's write lock, a repeat to the same process is known
from memory, and a request another replica already has is still not handled here."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack, BoltRequest
from slack_bolt.authorization import AuthorizeResult
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.slack.after_ack import AfterAck
from bot.slack.once import OnceApp
from storage.models import SlackReceipt
from storage.receipts import Receipts

TRIGGER = "1.2.abc"
KEY = f"block_actions:T1:{TRIGGER}"


class HeldReceipts(Receipts):
    """Receipts whose first write waits until `go` is set: the write lock held elsewhere."""

    go: threading.Event

    def first(self, key: str) -> bool:
        assert self.go.wait(10), "the test never let the receipt be written"
        return super().first(key)


class Bot:
    def __init__(self, receipts: Receipts) -> None:
        self.after_ack = AfterAck(workers=2)
        self.handled: list[str] = []
        self.app = OnceApp(
            receipts,
            later=self.after_ack,
            process_before_response=True,
            signing_secret="unused-in-socket-mode",
            token_verification_enabled=False,
            authorize=lambda **_: AuthorizeResult(
                enterprise_id=None, team_id="T1", bot_token="xoxb-test", bot_user_id="UBOT"
            ),
            raise_error_for_unhandled_request=False,
        )

        @self.app.action("go")
        def go(ack: Ack, body: dict[str, Any]) -> None:
            ack()
            self.after_ack(lambda: self.handled.append(body["trigger_id"]))

    def click(self, *, retry_attempt: int = 0) -> int:
        body = {
            "type": "block_actions",
            "team": {"id": "T1"},
            "user": {"id": "UMARIA"},
            "trigger_id": TRIGGER,
            "actions": [{"action_id": "go", "type": "button", "value": "x"}],
        }
        context = {"retry_attempt": retry_attempt} if retry_attempt else {}
        request = BoltRequest(body=body, mode="socket_mode", context=context)
        return self.app.dispatch(request).status


@pytest.fixture
def held(sessions: sessionmaker[Session]) -> Iterator[HeldReceipts]:
    receipts = HeldReceipts(sessions, worker="a:1")
    receipts.go = threading.Event()
    yield receipts
    receipts.go.set()


def saved(sessions: sessionmaker[Session]) -> list[SlackReceipt]:
    with sessions() as session:
        return list(session.scalars(select(SlackReceipt)))


def test_the_answer_goes_out_while_the_receipt_cannot_be_written_yet(
    held: HeldReceipts, sessions: sessionmaker[Session]
) -> None:
    bot = Bot(held)

    assert bot.click() == 200  # answered with the receipt's write still waiting
    assert bot.handled == []  # and nothing done before the receipt is in
    held.go.set()
    bot.after_ack.close()

    assert bot.handled == [TRIGGER]
    (row,) = saved(sessions)
    assert (row.key, row.handled_by, row.repeats) == (KEY, "a:1", 0)
    assert row.acknowledged_at is not None


def test_a_repeat_to_the_same_process_is_known_before_the_first_receipt_is_written(
    held: HeldReceipts, sessions: sessionmaker[Session]
) -> None:
    bot = Bot(held)

    assert bot.click() == 200
    assert bot.click(retry_attempt=1) == 200
    held.go.set()
    bot.after_ack.close()

    assert bot.handled == [TRIGGER]
    (row,) = saved(sessions)
    assert (row.handled_by, row.repeats) == ("a:1", 1)


def test_a_request_another_replica_already_has_is_answered_and_not_handled_here(
    sessions: sessionmaker[Session],
) -> None:
    assert Receipts(sessions, worker="b:2").first(KEY)  # the other replica got it first
    bot = Bot(Receipts(sessions, worker="a:1"))

    assert bot.click(retry_attempt=1) == 200
    bot.after_ack.close()

    assert bot.handled == []
    (row,) = saved(sessions)
    assert (row.handled_by, row.repeats, row.acknowledged_at) == ("b:2", 1, None)


def test_a_request_that_failed_before_its_answer_is_handled_when_slack_sends_it_again(
    sessions: sessionmaker[Session],
) -> None:
    bot = Bot(Receipts(sessions, worker="a:1"))
    fail = [True]

    @bot.app.middleware
    def flaky(next: Any) -> None:
        if fail and fail.pop():
            raise RuntimeError("the listener failed before acknowledging")
        next()

    assert bot.click() == 500  # Bolt answers the failure; Slack will send it again
    assert bot.click(retry_attempt=1) == 200
    bot.after_ack.close()

    assert bot.handled == [TRIGGER]
    (row,) = saved(sessions)
    assert row.repeats == 0
    assert row.acknowledged_at is not None
