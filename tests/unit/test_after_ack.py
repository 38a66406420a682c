"""The pool behind the acknowledgements: work runs, failures are told, shutdown loses nothing."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from bot.slack.after_ack import SOMETHING_WENT_WRONG, AfterAck


class Told:
    def __init__(self, *, fails: bool = False) -> None:
        self.calls: list[dict[str, Any]] = []
        self.fails = fails

    def __call__(self, **message: Any) -> None:
        self.calls.append(message)
        if self.fails:
            raise OSError("Slack is unreachable too")


def test_work_runs_on_the_pool_and_close_waits_for_it() -> None:
    after_ack = AfterAck(workers=2)
    done: list[int] = []
    for n in range(6):
        after_ack(lambda n=n: done.append(n))
    after_ack.close()
    assert sorted(done) == list(range(6))


def test_close_finishes_the_work_in_flight_and_can_drop_the_queue() -> None:
    after_ack = AfterAck(workers=1)
    running, release = threading.Event(), threading.Event()
    done: list[str] = []

    def first() -> None:
        running.set()
        release.wait(5)
        done.append("first")

    after_ack(first)
    after_ack(lambda: done.append("queued"))
    assert running.wait(5)
    release.set()
    after_ack.close(drop_queued=True)
    assert done == ["first"]


def test_a_failure_is_logged_by_type_and_the_person_is_told(
    caplog: pytest.LogCaptureFixture,
) -> None:
    after_ack, respond = AfterAck(workers=1), Told()

    def broken() -> None:
        raise ValueError("claim 5101Z88001 for TESTPATIENT JANE")

    after_ack(broken, respond)
    after_ack.close()

    assert respond.calls == [
        {"text": SOMETHING_WENT_WRONG, "response_type": "ephemeral", "replace_original": False}
    ]
    assert "listener failed: ValueError" in caplog.text
    assert "TESTPATIENT" not in caplog.text


def test_a_failure_without_anyone_to_tell_is_only_logged(caplog: pytest.LogCaptureFixture) -> None:
    after_ack, respond = AfterAck(workers=1), Told(fails=True)
    after_ack(lambda: 1 / 0)
    after_ack(lambda: 1 / 0, respond)
    after_ack.close()

    assert caplog.text.count("listener failed: ZeroDivisionError") == 2
    assert "could not tell the user: OSError" in caplog.text
