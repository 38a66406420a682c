"""The main button follows the state: Log outcome on an appealed card opens the decision form;
its answers are checked before anything is stored."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.blocks import ids
from storage.models import Appeal, Denial
from tests.e2e.bot_harness import CHANNEL, TODAY, BotUnderTest
from tests.support.x835 import denied, make_835

JAMES = "UJAMES"


def appealed_card(bot: BotUnderTest) -> Any:
    bot.import_bytes(make_835([denied("5101Z88001", carc="197", amount="420")]), "remit.835")
    bot.post_cards()
    (card,) = bot.cards()
    bot.driver.block_action(
        ids.LOG_APPEAL_BUTTON, user=JAMES, channel=CHANNEL, message_ts=card.ts, value=None
    )
    bot.driver.wait_for(lambda: bot.slack.views(JAMES), what="appeal form")
    sent = {
        ids.APPEAL_LEVEL_BLOCK: {
            ids.APPEAL_LEVEL_INPUT: {"type": "static_select", "selected_option": {"value": "1"}}
        },
        ids.APPEAL_SENT_ON_BLOCK: {
            ids.APPEAL_SENT_ON_INPUT: {"type": "datepicker", "selected_date": TODAY.isoformat()}
        },
    }
    assert bot.driver.view_submission(ids.APPEAL_MODAL, sent, user=JAMES).status == 200
    return bot.driver.wait_for(
        lambda: (m := bot.slack.message(CHANNEL, card.ts)) and "Log outcome" in str(m.blocks) and m,
        what="the card moved on",
    )


def decision(result: str, day: str, amount: str | None = None) -> dict[str, Any]:
    values: dict[str, Any] = {
        ids.OUTCOME_RESULT_BLOCK: {
            ids.OUTCOME_RESULT_INPUT: {
                "type": "static_select",
                "selected_option": {"value": result},
            }
        },
        ids.OUTCOME_DECIDED_BLOCK: {
            ids.OUTCOME_DECIDED_INPUT: {"type": "datepicker", "selected_date": day}
        },
    }
    if amount is not None:
        values[ids.OUTCOME_AMOUNT_BLOCK] = {ids.OUTCOME_AMOUNT_INPUT: amount}
    return values


def test_a_partial_win_is_logged_from_the_card_after_its_answers_are_checked(
    bot: BotUnderTest,
) -> None:
    card = appealed_card(bot)
    bot.driver.block_action(
        ids.LOG_OUTCOME_BUTTON, user=JAMES, channel=CHANNEL, message_ts=card.ts, value=None
    )
    form = bot.driver.wait_for(
        lambda: [v for v in bot.slack.views(JAMES) if v.callback_id == ids.OUTCOME_MODAL],
        what="outcome form",
    )[-1]
    assert "what did the payer decide on the appeal sent Nov 30, 2026?" in str(form.blocks)

    no_amount = bot.driver.view_submission(
        ids.OUTCOME_MODAL, decision("partial", "2026-11-30"), user=JAMES
    )
    assert no_amount.body["errors"] == {
        ids.OUTCOME_AMOUNT_BLOCK: "For a partial win, enter what the payer paid, like 210.00."
    }
    future = bot.driver.view_submission(
        ids.OUTCOME_MODAL, decision("won", "2026-12-25"), user=JAMES
    )
    assert "can't be in the future" in future.body["errors"][ids.OUTCOME_DECIDED_BLOCK]
    done = bot.driver.view_submission(
        ids.OUTCOME_MODAL, decision("partial", "2026-11-30", "210.00"), user=JAMES
    )
    assert done.status == 200
    assert not done.body
    closed = bot.driver.wait_for(
        lambda: (m := bot.slack.message(CHANNEL, card.ts)) and "Recovered" in str(m.blocks) and m,
        what="recovered card",
    )
    assert closed.blocks[0]["text"]["text"] == ":white_check_mark: Recovered $210.00 · Aetna"
    with bot.deps.sessions() as session:
        assert session.scalars(select(Denial.status)).one() == "recovered"
        assert session.scalars(select(Appeal.outcome)).one() == "partial"


def test_log_outcome_on_a_card_with_nothing_sent_says_what_to_do_first(bot: BotUnderTest) -> None:
    bot.import_bytes(make_835([denied("5101Z88002", carc="197")]), "remit.835")
    bot.post_cards()
    (card,) = bot.cards()
    with bot.deps.sessions() as session:
        denial = session.scalars(select(Denial)).one()
        ref = ids.denial_ref(denial.id, denial.version)
    bot.driver.block_action(
        ids.LOG_OUTCOME_BUTTON, user=JAMES, channel=CHANNEL, message_ts=card.ts, value=ref
    )
    (refusal,) = bot.driver.wait_for(lambda: bot.slack.responses(), what="refusal")
    assert "Nothing sent for claim 5101Z88002 is waiting for the payer's decision" in refusal.text
    assert bot.slack.views(JAMES) == []
