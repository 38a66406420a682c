"""Slack's three seconds: the answer to a click or command never waits for the work behind it."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest

from bot.blocks import ids
from bot.slack.after_ack import SOMETHING_WENT_WRONG, WORKERS
from tests.e2e.bot_harness import CHANNEL, BotUnderTest
from tests.support.x835 import denied, make_835

MARIA = "UMARIA"
LONGER_THAN_THE_DRIVER = 30.0  # seconds: SlackDriver gives up on an answer after 10


def one_card(bot: BotUnderTest) -> Any:
    bot.import_bytes(make_835([denied("5101Z88001", carc="197")]), "remit.835")
    bot.post_cards()
    (card,) = bot.cards()
    return card


@pytest.mark.both_transports
def test_clicks_are_acknowledged_at_once_even_while_every_worker_is_busy(
    bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = one_card(bot)
    release = threading.Event()
    set_category = bot.deps.triage.set_category

    def slow_set_category(*args: Any, **kwargs: Any) -> Any:
        # Longer than the driver's 10 s timeout: an acknowledgement that waited for this
        # change would time out, and the test with it.
        assert release.wait(LONGER_THAN_THE_DRIVER), "the test never released the change"
        return set_category(*args, **kwargs)

    monkeypatch.setattr(bot.deps.triage, "set_category", slow_set_category)
    clicks = WORKERS + 3  # more clicks than threads to work them: some wait for a worker
    try:
        # Every change waits for `release`: an answer while none is done means the click was
        # acknowledged before its work (how fast is bench/load_bench.py's figure, not a test's).
        for cause in ["eligibility", "coding", "authorization"] * 3:
            answer = bot.driver.block_action(
                ids.ROOT_CAUSE_SELECT,
                selected_option=cause,
                user=MARIA,
                channel=CHANNEL,
                message_ts=card.ts,
            )
            assert answer.status == 200
            clicks -= 1
            if clicks == 0:
                break
        assert not bot.slack.message(CHANNEL, card.ts).edits  # every change is still waiting
    finally:
        release.set()

    bot.driver.wait_for(
        lambda: (m := bot.slack.message(CHANNEL, card.ts)) and m.edits and m, what="card update"
    )


@pytest.mark.both_transports
def test_a_command_is_acknowledged_while_its_answer_is_still_being_built(
    bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    from bot.handlers import commands

    real_answer = commands.answer

    def slow_answer(*args: Any, **kwargs: Any) -> Any:
        assert release.wait(LONGER_THAN_THE_DRIVER), "the test never released the answer"
        return real_answer(*args, **kwargs)

    monkeypatch.setattr(commands, "answer", slow_answer)
    try:
        answer = bot.driver.slash("/denials", "due", user=MARIA, channel=CHANNEL)
        assert answer.status == 200
        assert bot.slack.responses() == []
    finally:
        release.set()
    bot.driver.wait_for(lambda: bot.slack.responses(), what="the due list")


@pytest.mark.both_transports
def test_a_failure_after_the_acknowledgement_is_told_to_the_person_not_logged_with_data(
    bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    card = one_card(bot)

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("claim 5101Z88001 for TESTPATIENT JANE")

    monkeypatch.setattr(bot.deps.triage, "assign", broken)
    caplog.set_level(logging.INFO)

    answer = bot.driver.block_action(
        ids.ASSIGN_SELECT, selected_user=MARIA, user=MARIA, channel=CHANNEL, message_ts=card.ts
    )

    assert answer.status == 200
    reply = bot.driver.wait_for(lambda: bot.slack.responses(), what="the apology")[-1]
    assert reply.text == SOMETHING_WENT_WRONG
    assert "listener failed: RuntimeError" in caplog.text
    assert "TESTPATIENT" not in caplog.text
    assert "5101Z88001" not in caplog.text
