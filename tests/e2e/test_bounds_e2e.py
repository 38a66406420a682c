"""Bounds in the forms, as Slack delivers them: an amount or level no form of ours offers keeps
the form open with what to do; more than was billed asks to be confirmed in the form itself."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.blocks import ids
from storage.models import Appeal, Denial
from tests.e2e.bot_harness import BotUnderTest
from tests.e2e.test_odd_interactions import MARIA, changes, one_card

REF = "1:1"


def paid(bot: BotUnderTest, amount: str, confirm: bool = False) -> Any:
    values: dict[str, dict[str, Any]] = {
        ids.MARK_PAID_AMOUNT_BLOCK: {ids.MARK_PAID_AMOUNT_INPUT: amount}
    }
    if confirm:
        option = {"text": {"type": "plain_text", "text": "y"}, "value": ids.MARK_PAID_CONFIRMED}
        values[ids.MARK_PAID_CONFIRM_BLOCK] = {
            ids.MARK_PAID_CONFIRM_INPUT: {"type": "checkboxes", "selected_options": [option]}
        }
    return bot.driver.view_submission(ids.MARK_PAID_MODAL, values, REF, user=MARIA)


def test_mark_paid_refuses_amounts_no_claim_could_have(bot: BotUnderTest) -> None:
    one_card(bot)
    before = changes(bot)
    for amount, says in [
        ("1e309", "`1e309` is not an amount"),
        ("NaN", "`NaN` is not an amount"),
        ("Infinity", "`Infinity` is not an amount"),
        ("-1", "`-1` is not an amount"),
        ("0", "`0` is not more than zero"),
        ("", "Enter the amount the payer paid"),
    ]:
        answer = paid(bot, amount)
        assert answer.status == 200
        assert answer.body["response_action"] == "errors"
        assert says in answer.body["errors"][ids.MARK_PAID_AMOUNT_BLOCK]
    assert changes(bot) == before


def test_mark_paid_above_what_was_billed_is_confirmed_in_the_form(bot: BotUnderTest) -> None:
    one_card(bot)  # $100.00 billed and denied
    before = changes(bot)

    answer = paid(bot, "7200")

    assert answer.status == 200
    assert answer.body["response_action"] == "update"
    view = answer.body["view"]
    words = str(view["blocks"])
    assert "$7,200.00 is more than the $100.00 billed for claim 5101Z88001" in words
    assert "tick the box below and save again" in words
    assert {b.get("block_id") for b in view["blocks"]} >= {ids.MARK_PAID_CONFIRM_BLOCK}
    assert view["private_metadata"] == REF
    assert changes(bot) == before

    assert paid(bot, "7200", confirm=True).status == 200
    bot.deps.after_ack.close()
    with bot.deps.sessions() as session:
        denial = session.scalars(select(Denial)).one()
        assert (denial.status, str(denial.recovered_amount)) == ("recovered", "7200.00")


def test_the_appeal_form_refuses_a_level_it_does_not_offer(bot: BotUnderTest) -> None:
    one_card(bot)
    before = changes(bot)

    def level(value: str) -> dict[str, Any]:
        option = {"text": {"type": "plain_text", "text": value}, "value": value}
        return {"type": "static_select", "selected_option": option}

    answer = bot.driver.view_submission(
        ids.APPEAL_MODAL,
        {
            ids.APPEAL_LEVEL_BLOCK: {ids.APPEAL_LEVEL_INPUT: level("99")},
            ids.APPEAL_METHOD_BLOCK: {ids.APPEAL_METHOD_INPUT: level("portal")},
            ids.APPEAL_SENT_ON_BLOCK: {ids.APPEAL_SENT_ON_INPUT: bot.deps.clock.today()},
        },
        REF,
        user=MARIA,
    )

    assert answer.status == 200
    assert answer.body["response_action"] == "errors"
    assert "Level `99` is not an appeal level" in str(answer.body["errors"])
    assert changes(bot) == before
    with bot.deps.sessions() as session:
        assert session.scalars(select(Appeal)).all() == []
