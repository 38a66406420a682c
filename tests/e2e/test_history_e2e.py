"""The audit reader as staff use it: ⋯ History on a card and `/denials history` show who did
what and when to that person alone, and change nothing."""

from __future__ import annotations

from bot.blocks import ids
from bot.blocks.plain_text import render_text
from tests.e2e.bot_harness import CHANNEL, BotUnderTest
from tests.e2e.test_odd_interactions import MARIA, changes, one_card

JAMES = "UJAMES"


def test_history_from_the_card_menu_says_who_did_what_and_changes_nothing(
    bot: BotUnderTest,
) -> None:
    card = one_card(bot)
    driver = bot.driver
    driver.block_action(
        ids.ROOT_CAUSE_SELECT,
        selected_option="authorization",
        user=MARIA,
        channel=CHANNEL,
        message_ts=card.ts,
    )
    driver.wait_for(lambda: changes(bot)[0] == 1, what="the root cause stored")
    card = bot.cards()[0]
    driver.block_action(
        ids.ASSIGN_SELECT, selected_user=JAMES, user=MARIA, channel=CHANNEL, message_ts=card.ts
    )
    driver.wait_for(lambda: changes(bot)[0] == 2, what="the assignee stored")
    before = changes(bot)
    card = bot.cards()[0]
    menu = next(
        e
        for b in card.blocks
        if b.get("type") == "actions"
        for e in b["elements"]
        if e["action_id"] == ids.CARD_OVERFLOW
    )
    assert ids.OVERFLOW_HISTORY in [o["value"] for o in menu["options"]]
    assert len(menu["options"]) <= 5  # Slack's limit for an overflow menu

    answer = driver.block_action(
        ids.CARD_OVERFLOW,
        selected_option=ids.OVERFLOW_HISTORY,
        user=JAMES,
        channel=CHANNEL,
        message_ts=card.ts,
    )

    assert answer.status == 200
    (reply,) = driver.wait_for(lambda: bot.slack.responses(), what="the history")
    assert reply.response_type == "ephemeral"
    lines = render_text(reply.payload["blocks"]).splitlines()
    assert lines[0] == "History of claim 5101Z88001"
    assert "came in with remit.835" in lines[1]
    assert lines[2].endswith("@UMARIA · set the root cause to Authorization")
    assert lines[3].endswith("@UMARIA · assigned it to @UJAMES")
    bot.deps.after_ack.close()
    assert changes(bot) == before


def test_history_from_the_command_is_the_same_and_only_for_the_person(bot: BotUnderTest) -> None:
    one_card(bot)
    answer = bot.driver.slash("/denials", "history 5101Z88001", user=MARIA, channel=CHANNEL)
    assert answer.status == 200
    (reply,) = bot.driver.wait_for(lambda: bot.slack.responses(), what="the history")
    assert reply.response_type == "ephemeral"
    text = render_text(reply.payload["blocks"])
    assert text.startswith("History of claim 5101Z88001\n")
    assert "Nobody has changed it since." in text
