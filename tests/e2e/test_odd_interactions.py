"""Signed but odd: whatever Slack delivers is acknowledged, never a 500 or a 404, and a
control the bot cannot act on changes nothing and says so to the person alone."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.blocks import ids
from bot.handlers.unknown import OLD_CONTROL
from bot.slack.after_ack import SOMETHING_WENT_WRONG
from storage.models import AuditEvent, Denial
from tests.e2e.bot_harness import CHANNEL, BotUnderTest
from tests.support.x835 import denied, make_835

MARIA = "UMARIA"


def one_card(bot: BotUnderTest) -> Any:
    bot.import_bytes(make_835([denied("5101Z88001", carc="197")]), "remit.835")
    bot.post_cards()
    (card,) = bot.cards()
    return card


def changes(bot: BotUnderTest) -> tuple[int, int]:
    with bot.deps.sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
            session.scalar(select(func.max(Denial.version))) or 0,
        )


def wait_for_reply(bot: BotUnderTest) -> str:
    replies = bot.driver.wait_for(lambda: bot.slack.responses(), what="a reply")
    assert all(r.response_type == "ephemeral" for r in replies)
    return replies[-1].text


@pytest.mark.parametrize(
    ("action_id", "option", "value"),
    [
        (
            ids.ROOT_CAUSE_SELECT,
            {"text": {"type": "plain_text", "text": "x"}, "value": "nope"},
            None,
        ),
        (ids.ROOT_CAUSE_SELECT, None, None),  # no selected_option at all
        (ids.OPEN_CARD_BUTTON, None, "abc"),
        (ids.LOG_APPEAL_BUTTON, None, "1:abc"),
    ],
)
def test_a_click_the_bot_cannot_act_on_is_acknowledged_and_changes_nothing(
    bot: BotUnderTest, action_id: str, option: dict[str, Any] | None, value: str | None
) -> None:
    card = one_card(bot)
    before = changes(bot)

    answer = bot.driver.block_action(
        action_id,
        value=value,
        selected_option=option,
        user=MARIA,
        channel=CHANNEL,
        message_ts=card.ts,
        block_id="denial.actions|x:y" if value == "1:abc" else None,
    )

    assert answer.status == 200
    assert wait_for_reply(bot)
    bot.deps.after_ack.close()
    assert changes(bot) == before


def test_a_control_no_listener_knows_is_acknowledged_and_explained(bot: BotUnderTest) -> None:
    card = one_card(bot)
    before = changes(bot)

    answer = bot.driver.block_action(
        "denial.from_an_older_version", value="1:1", user=MARIA, channel=CHANNEL, message_ts=card.ts
    )

    assert answer.status == 200
    assert wait_for_reply(bot) == OLD_CONTROL
    assert changes(bot) == before


def test_a_form_no_listener_knows_is_acknowledged(bot: BotUnderTest) -> None:
    answer = bot.driver.view_submission("modal.from_an_older_version", {}, user=MARIA)
    assert answer.status == 200


def test_events_commands_shortcuts_and_menus_nobody_handles_are_acknowledged(
    bot: BotUnderTest,
) -> None:
    driver = bot.driver
    event = driver.event({"type": "reaction_added", "user": MARIA, "reaction": "eyes"})
    command = driver.slash("/something-else", "hello", user=MARIA, channel=CHANNEL)
    shortcut = driver.post_form(
        {
            "payload": json.dumps(
                {
                    "type": "shortcut",
                    "callback_id": "nobody",
                    "team": {"id": "T1"},
                    "user": {"id": MARIA},
                    "trigger_id": "1.2.3",
                }
            )
        }
    )
    menu = driver.post_form(
        {
            "payload": json.dumps(
                {
                    "type": "block_suggestion",
                    "action_id": "nobody",
                    "block_id": "b",
                    "value": "a",
                    "team": {"id": "T1"},
                    "user": {"id": MARIA},
                }
            )
        }
    )
    assert [a.status for a in (event, command, shortcut, menu)] == [200, 200, 200, 200]
    assert menu.body == {"options": []}


# Whatever a signed click can carry that no card of ours sends: values that are no reference,
# ids no database integer holds, options and people that do not exist, nothing at all.
ODD_CLICKS: tuple[dict[str, Any], ...] = (
    {"value": "abc"},
    {"value": ""},
    {"value": "99999999999999999999999:1"},
    {"value": "1:abc"},
    {"value": "٣"},  # a digit, but not an ASCII one
    {"value": "1" * 40},
    {"selected_option": {"text": {"type": "plain_text", "text": "x"}, "value": "nope"}},
    {"selected_option": {"text": {"type": "plain_text", "text": "x"}}},  # no value
    {"selected_user": "<!channel>"},
    {"selected_user": "U1>"},
    {"block_id": "denial.actions|99999999999999999999999:1", "value": None},
    {"block_id": "denial.actions|", "value": None},
)
ODD_VALUES = ("1e309", "NaN", "-Infinity", "99", "<!channel>", "x" * 5000, "")


def logged_failures(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("action_id", sorted(ids.ALL_ACTION_IDS))
def test_every_control_acknowledges_odd_values_and_changes_nothing(
    bot: BotUnderTest, action_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    card = one_card(bot)
    before = changes(bot)

    statuses = [
        bot.driver.block_action(
            action_id, user=MARIA, channel=CHANNEL, message_ts=card.ts, **odd
        ).status
        for odd in ODD_CLICKS
    ]
    bot.deps.after_ack.close()

    assert statuses == [200] * len(ODD_CLICKS)
    assert logged_failures(caplog) == []
    assert SOMETHING_WENT_WRONG not in [r.text for r in bot.slack.responses()]
    assert changes(bot) == before


def form_inputs() -> list[tuple[str, str]]:
    """Every (block id, action id) of every form's inputs, as `bot.blocks.ids` names them."""
    names = [n.removesuffix("_BLOCK") for n in dir(ids) if n.endswith("_BLOCK")]
    return [
        (getattr(ids, f"{n}_BLOCK"), getattr(ids, f"{n}_INPUT"))
        for n in names
        if hasattr(ids, f"{n}_INPUT")
    ]


@pytest.mark.parametrize("callback_id", sorted(ids.ALL_VIEW_CALLBACK_IDS))
def test_every_form_answers_odd_values_without_a_failure(
    bot: BotUnderTest, callback_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    one_card(bot)
    statuses = []
    for metadata in ("abc", "99999999999999999999999:1", "1:1", "1:999"):
        for value in ODD_VALUES:
            values: dict[str, dict[str, Any]] = {}
            for block, action in form_inputs():
                values.setdefault(block, {})[action] = value
            answer = bot.driver.view_submission(callback_id, values, metadata, user=MARIA)
            statuses.append(answer.status)
            assert SOMETHING_WENT_WRONG not in answer.text
    bot.deps.after_ack.close()

    assert set(statuses) == {200}
    assert logged_failures(caplog) == []
