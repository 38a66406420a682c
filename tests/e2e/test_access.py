"""Membership and role, checked for every click, form and command from one place: someone
outside the denials channel changes nothing, whatever they click or submit."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.blocks import ids
from storage.models import Appeal, AuditEvent, Denial
from tests.e2e.bot_harness import CHANNEL, MANAGER, BotUnderTest
from tests.support.x835 import denied, make_835

OUTSIDER, MARIA = "UOUTSIDER", "UMARIA"
OPTION = {"text": {"type": "plain_text", "text": "x"}}


def one_card(bot: BotUnderTest) -> Any:
    bot.import_bytes(make_835([denied("5101Z88001", carc="197")]), "remit.835")
    bot.post_cards()
    (card,) = bot.cards()
    bot.slack.add_user(OUTSIDER, name="outsider")
    return card


def changes(bot: BotUnderTest) -> tuple[int, ...]:
    with bot.deps.sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
            session.scalar(select(func.count()).select_from(Appeal)) or 0,
            session.scalar(select(func.max(Denial.version))) or 0,
        )


def card_ref(card: Any) -> str:
    block_id = next(
        b["block_id"]
        for b in card.blocks
        if b.get("block_id", "").startswith(ids.CARD_ACTIONS_BLOCK)
    )
    return str(block_id).rpartition("|")[2]


@pytest.mark.parametrize(
    ("action_id", "options"),
    [
        (ids.ROOT_CAUSE_SELECT, {"selected_option": "eligibility"}),
        (ids.ASSIGN_SELECT, {"selected_user": OUTSIDER}),
        (ids.CARD_OVERFLOW, {"selected_option": {**OPTION, "value": ids.OVERFLOW_CORRECTED}}),
        (ids.LOG_APPEAL_BUTTON, {}),
    ],
)
def test_a_click_from_outside_the_channel_changes_nothing_and_says_why(
    bot: BotUnderTest, action_id: str, options: dict[str, Any]
) -> None:
    card = one_card(bot)
    before = changes(bot)

    answer = bot.driver.block_action(
        action_id, user=OUTSIDER, channel=CHANNEL, message_ts=card.ts, **options
    )

    assert answer.status == 200
    reply = bot.driver.wait_for(lambda: bot.slack.responses(), what="the refusal")[-1]
    assert "is for members of the denials channel" in reply.text
    assert reply.response_type == "ephemeral"
    bot.deps.after_ack.close()
    assert changes(bot) == before
    assert bot.slack.views(OUTSIDER) == []  # no form opened either
    assert bot.slack.message(CHANNEL, card.ts).edits == 0


def test_a_member_still_changes_the_root_cause_from_the_dropdown(bot: BotUnderTest) -> None:
    card = one_card(bot)
    bot.driver.block_action(
        ids.ROOT_CAUSE_SELECT,
        selected_option="eligibility",
        user=MARIA,
        channel=CHANNEL,
        message_ts=card.ts,
    )
    bot.driver.wait_for(lambda: bot.slack.message(CHANNEL, card.ts).edits, what="the update")


@pytest.mark.parametrize(
    ("callback_id", "user", "values", "says"),
    [
        (
            ids.MARK_PAID_MODAL,
            OUTSIDER,
            {ids.MARK_PAID_AMOUNT_BLOCK: {ids.MARK_PAID_AMOUNT_INPUT: "10.00"}},
            "is for members of the denials channel",
        ),
        (
            ids.WRITE_OFF_MODAL,
            MARIA,  # staff, but not a manager: a forged submission of the manager's form
            {ids.WRITE_OFF_REASON_BLOCK: {ids.WRITE_OFF_REASON_INPUT: "too small"}},
            "Only managers can write off a denial",
        ),
    ],
)
def test_a_form_submitted_without_the_right_is_refused_on_the_form(
    bot: BotUnderTest, callback_id: str, user: str, values: dict[str, Any], says: str
) -> None:
    card = one_card(bot)
    before = changes(bot)
    block = next(iter(values))
    view = {
        "type": "modal",
        "callback_id": callback_id,
        "blocks": [{"type": "input", "block_id": block, "label": {}, "element": {}}],
        "private_metadata": card_ref(card),
    }
    bot.slack.add_user(MANAGER, name="manager")

    answer = bot.driver.post_form(
        {
            "payload": json.dumps(
                {
                    "type": "view_submission",
                    "team": {"id": "T1"},
                    "user": {"id": user, "team_id": "T1"},
                    "trigger_id": bot.slack.issue_trigger(user),
                    "view": {**view, "state": {"values": _state(values)}},
                }
            )
        }
    )

    assert answer.status == 200
    assert answer.body["response_action"] == "errors"
    assert says in answer.body["errors"][block]
    assert changes(bot) == before


def _state(values: dict[str, Any]) -> dict[str, Any]:
    return {
        block: {action: {"type": "plain_text_input", "value": value}}
        for block, inputs in values.items()
        for action, value in inputs.items()
    }
