"""The audit reader on records requests and rejections (cards from 277 imports): ⋯ History on
their cards and `/denials history CLAIM` show who did what and when, to that person alone, and
change nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.blocks import ids
from bot.blocks.plain_text import render_text
from storage.models import AuditEvent
from tests.e2e.bot_harness import CHANNEL, TODAY, BotUnderTest
from tests.e2e.test_records_requests import MARIA, card_for, d8, mark_sent, rfai
from tests.support.x277 import ACK, ClaimSpec, make_277
from tests.support.x835 import ClaimSpec as Claim835
from tests.support.x835 import Line, make_835

JAMES = "UJAMES"


def audit_count(bot: BotUnderTest) -> int:
    with bot.deps.sessions() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def menu_of(card: Any, action_id: str) -> list[str]:
    for block in card.blocks:
        for element in [*block.get("elements", []), block.get("accessory") or {}]:
            if element.get("action_id") == action_id:
                return [option["value"] for option in element["options"]]
    raise AssertionError(f"no {action_id} on the card")


def history_from_menu(bot: BotUnderTest, card: Any, action_id: str, user: str) -> list[str]:
    before, shown = audit_count(bot), len(bot.slack.responses())
    answer = bot.driver.block_action(
        action_id, selected_option=ids.WORK_HISTORY, user=user, channel=CHANNEL, message_ts=card.ts
    )
    assert answer.status == 200
    reply = bot.driver.wait_for(lambda: bot.slack.responses()[shown:], what="the history")[-1]
    assert reply.response_type == "ephemeral"
    assert audit_count(bot) == before  # reading it changes nothing
    return render_text(reply.payload["blocks"]).splitlines()


def test_a_records_requests_history_from_its_card_menu(bot: BotUnderTest) -> None:
    bot.import_bytes(rfai("PCN-R1"), "rfai.277")
    bot.post_cards()
    card = card_for(bot, "PCN-R1")
    mark_sent(bot, card, MARIA, TODAY)
    bot.driver.wait_for(
        lambda: "Records sent" in str(bot.slack.message(CHANNEL, card.ts)), what="the sent card"
    )
    card = bot.slack.message(CHANNEL, card.ts)
    menu = menu_of(card, ids.REQUEST_OVERFLOW)
    assert menu[-1] == ids.WORK_HISTORY
    assert len(menu) <= 5  # Slack's limit for an overflow menu

    lines = history_from_menu(bot, card, ids.REQUEST_OVERFLOW, JAMES)

    assert lines[0].startswith("History of records request R-")
    assert lines[0].endswith(" · claim PCN-R1")
    assert "came in with rfai.277" in lines[1]
    assert "the import · recorded the payer's request for records" in lines[2]
    assert lines[3].endswith("@UMARIA · marked the records sent")
    assert lines[-1].startswith("Read-only")


def test_a_rejections_history_from_its_card_menu_and_the_command(bot: BotUnderTest) -> None:
    ack = make_277(
        [ClaimSpec(number="CLM-J1", payer_claim=None, stc=["A7:562:85*20261127*U*210"])],
        guide=ACK,
        payer="UNITEDHEALTHCARE",
        payer_id="87726",
        created="20261127",
    )
    bot.import_bytes(ack, "ack.277")
    bot.post_cards()
    (card,) = bot.cards()
    assert menu_of(card, ids.REJECTION_OVERFLOW)[-1] == ids.WORK_HISTORY

    lines = history_from_menu(bot, card, ids.REJECTION_OVERFLOW, JAMES)
    assert lines[0].startswith("History of rejection J-")
    assert "came in with ack.277" in lines[1]

    # the claim has no denial: /denials history shows the rejection's
    answer = bot.driver.slash("/denials", "history clm-j1", user=MARIA, channel=CHANNEL)
    assert answer.status == 200
    replies = bot.driver.wait_for(lambda: bot.slack.responses()[1:], what="the command's answer")
    assert replies[-1].response_type == "ephemeral"
    assert render_text(replies[-1].payload["blocks"]).splitlines()[0] == lines[0]


def test_the_command_shows_a_denials_history_then_its_claims_records_request(
    bot: BotUnderTest,
) -> None:
    bot.import_bytes(rfai("PCN-R1"), "rfai.277")
    remit = make_835(
        [
            Claim835(
                number="PCN-R1",
                payer_claim="ICN-PCN-R1",
                billed="640",
                lines=[Line(billed="640", paid="0", cas=[("CO", "252", "640")])],
            )
        ],
        production_date=d8(TODAY),
        payment_date=d8(TODAY),
    )
    assert bot.import_bytes(remit, "remit.835").denials == 1
    bot.post_cards()
    before = audit_count(bot)

    answer = bot.driver.slash("/denials", "audit PCN-R1", user=MARIA, channel=CHANNEL)

    assert answer.status == 200
    (reply,) = bot.driver.wait_for(lambda: bot.slack.responses(), what="the history")
    assert reply.response_type == "ephemeral"
    lines = render_text(reply.payload["blocks"]).splitlines()
    titles = [line for line in lines if line.startswith("History of")]
    assert titles[0] == "History of claim PCN-R1"
    assert titles[1].startswith("History of records request R-")
    assert any(line.endswith("a later denial said the records were missing") for line in lines)
    assert audit_count(bot) == before
