"""`/denials` end to end: signed slash commands to the real app over HTTP, answers read back
from the Slack stand-in (response_url posts, modals, cards, files), like a chat transcript."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import select

from bot.blocks import ids
from bot.blocks.plain_text import render_text
from storage.models import Appeal, AuditEvent, Denial
from tests.e2e.bot_harness import (
    CHANNEL,
    MANAGER,
    TODAY,
    BotUnderTest,
)
from tests.support.standin_state import ResponsePost
from tests.support.x835 import denied, make_835

MARIA, JAMES = "UMARIA", "UJAMES"
ACK_WITHIN = 3.0  # seconds: Slack's limit for the HTTP answer to a slash command


def say(bot: BotUnderTest, text: str, user: str = MARIA) -> ResponsePost:
    """Type `/denials {text}` in the denials channel; the bot's answer (via response_url)."""
    before = len(bot.slack.responses())
    started = time.monotonic()
    answer = bot.driver.slash(text=text, user=user, channel=CHANNEL)
    assert answer.status == 200
    assert time.monotonic() - started < ACK_WITHIN
    return bot.driver.wait_for(
        lambda: next((r for r in bot.slack.responses()[before:] if r.user == user), None),
        what=f"an answer to /denials {text}",
    )


def shown(reply: ResponsePost) -> str:
    return render_text(reply.blocks) if reply.blocks else reply.text


def posted_card(bot: BotUnderTest, *claims: Any, payer: str = "AETNA", pid: str = "60054") -> Any:
    bot.import_bytes(make_835(list(claims), payer=payer, payer_id=pid), f"{payer}.835")
    bot.post_cards()
    return bot.cards()[-1]


def card_shows(bot: BotUnderTest, card: Any, words: str) -> bool:
    """Wait until the card, updated in place, shows `words` (each change edits it once more,
    and the edits of two quick changes can arrive in either order)."""

    def showing() -> bool:
        message = bot.slack.message(CHANNEL, card.ts)
        return bool(message and message.edits and words in render_text(message.blocks))

    return bot.driver.wait_for(showing, what=f"the card to show {words!r}")


def denial(bot: BotUnderTest, claim: str = "5101Z88001") -> Denial:
    with bot.deps.sessions() as session:
        return session.scalars(select(Denial).where(Denial.claim_number == claim)).one()


# -- help and bad input ----------------------------------------------------------------------


@pytest.mark.both_transports
def test_help_lists_every_command_just_for_the_asker(bot: BotUnderTest) -> None:
    reply = say(bot, "help")
    assert reply.response_type == "ephemeral"
    for usage in (
        "/denials due [days] [mine|unassigned|@user]",
        "/denials appeal CLAIM [level] [method] [reference] [note]",
        "/denials outcome CLAIM won|lost|partial [amount] [date]",
        "/denials trends [30d|90d|12m] [by category|payer|cpt|provider|carc]",
        "/denials find CLAIM",
        "/denials assign CLAIM @user",
        "/denials categorize CLAIM ROOT_CAUSE",
    ):
        assert usage in shown(reply)


@pytest.mark.both_transports
def test_an_unknown_subcommand_answers_with_help(bot: BotUnderTest) -> None:
    reply = say(bot, "dew 7")
    assert shown(reply).startswith("I don't know dew. Here is what I can do:")
    assert reply.response_type == "ephemeral"


def test_bad_input_says_what_was_wrong_and_changes_nothing(bot: BotUnderTest) -> None:
    posted_card(bot, denied("5101Z88001", amount="420"))
    bot.driver.slash(text="appeal 5101Z88001 1 portal", user=MARIA, channel=CHANNEL)
    bot.driver.wait_for(lambda: denial(bot).status == "appealed", what="the appeal")

    cases = {
        "outcome 5101Z88001 won 12O.00": "12O.00 is not an amount",
        "outcome 5101Z88001 lost 2026-02-30": "2026-02-30 is not a date I can read",
        "trends 90x": "90x is not a period",
        "due 7 @maria": "@maria is not a Slack user I can see",
        "find": "Which claim?",
    }
    for typed, problem in cases.items():
        reply = say(bot, typed, user=MANAGER)
        assert reply.response_type == "ephemeral"
        assert problem in shown(reply), typed
        assert "Usage: /denials " in shown(reply), typed
    assert denial(bot).status == "appealed"


def test_an_unknown_claim_suggests_what_to_try(bot: BotUnderTest) -> None:
    posted_card(bot, denied("5101Z88001"), denied("5101Z88007"))
    reply = say(bot, "outcome 5101Z8800X won")
    assert shown(reply).startswith("I couldn't find claim 5101Z8800X. Try /denials find 5101Z8800")
    assert "D-1 · 5101Z88001" in shown(reply)
    assert "D-2 · 5101Z88007" in shown(reply)


def test_a_claim_number_two_payers_share_lists_both(bot: BotUnderTest) -> None:
    posted_card(bot, denied("5101Z88001", amount="420"))
    posted_card(bot, denied("5101Z88001", amount="180"), payer="CIGNA", pid="62308")
    reply = say(bot, "find 5101Z88001")
    assert shown(reply).startswith("2 denials match 5101Z88001.")
    assert "Aetna · $420.00" in shown(reply)
    assert "Cigna · $180.00" in shown(reply)

    opened = bot.driver.block_action(ids.OPEN_CARD_BUTTON, value="2", user=MARIA)
    assert opened.status == 200
    card = bot.driver.wait_for(
        lambda: [r for r in bot.slack.responses() if "Cigna" in r.text and "Denied" in r.text]
    )
    assert "$180.00" in card[0].text


# -- due -------------------------------------------------------------------------------------


@pytest.mark.both_transports
def test_due_mine_lists_my_denials_with_totals_and_links_to_their_cards(bot: BotUnderTest) -> None:
    posted_card(bot, denied("R1", amount="100"), denied("R2", amount="50"), payer="ACME", pid="1")
    say(bot, "assign R1 me")

    reply = say(bot, "due 7 mine")

    text = shown(reply)
    assert text.startswith("Due in the next 7 days · mine: 1 denial · $100.00")
    assert "R1 · Acme · $100.00 · Authorization · @UMARIA" in text
    # the claim links to its card (its stored permalink), so no Open button is needed
    row = next(b for b in reply.blocks if "R1" in b.get("text", {}).get("text", ""))
    assert row["text"]["text"].startswith("<https://standin.slack.com/archives/")
    assert "[ Open ]" not in text
    assert "R2" not in text
    assert reply.response_type == "ephemeral"


@pytest.mark.both_transports
def test_due_for_someone_else_and_shared_in_the_channel(bot: BotUnderTest) -> None:
    posted_card(bot, denied("R1"), payer="ACME", pid="1")
    say(bot, "assign R1 <@UJAMES|james>")

    reply = say(bot, "due 30 <@UJAMES|james> share")

    assert reply.response_type == "in_channel"
    assert "R1 · Acme" in shown(reply)
    assert any("@UJAMES" in m.text for m in bot.cards())


def test_due_for_an_at_user_who_is_not_a_person(bot: BotUnderTest) -> None:
    reply = say(bot, "due <@UGHOST|ghost>")
    assert shown(reply).startswith("@UGHOST is not a person in this workspace")
    assert "Usage: /denials due [days] [mine|unassigned|@user]" in shown(reply)


# -- appeal and outcome ----------------------------------------------------------------------


def test_appeal_with_details_updates_the_card_and_its_thread(bot: BotUnderTest) -> None:
    card = posted_card(bot, denied("5101Z88001", amount="420"))

    reply = say(bot, "appeal 5101Z88001 1 portal 88-2231 sent with the op note", JAMES)

    assert shown(reply).startswith(
        "Claim 5101Z88001: @UJAMES logged appeal level 1 · portal · ref 88-2231 · sent Nov 30."
    )
    assert card_shows(bot, card, "Appealed")
    thread = bot.driver.wait_for(lambda: bot.slack.thread(CHANNEL, card.ts))
    assert "<@UJAMES> logged appeal level 1 · portal · ref 88-2231" in thread[0].text


@pytest.mark.both_transports
def test_appeal_with_only_the_claim_opens_the_cards_form(bot: BotUnderTest) -> None:
    posted_card(bot, denied("5101Z88001"))

    bot.driver.slash(text="appeal 5101Z88001", user=JAMES, channel=CHANNEL)

    modal = bot.driver.wait_for(lambda: bot.slack.views(JAMES), what="the form")[-1]
    assert modal.callback_id == ids.APPEAL_MODAL
    values = {
        ids.APPEAL_METHOD_BLOCK: {
            ids.APPEAL_METHOD_INPUT: {"type": "static_select", "selected_option": {"value": "fax"}}
        },
        ids.APPEAL_SENT_ON_BLOCK: {
            ids.APPEAL_SENT_ON_INPUT: {"type": "datepicker", "selected_date": TODAY.isoformat()}
        },
    }
    assert bot.driver.view_submission(ids.APPEAL_MODAL, values, user=JAMES).status == 200
    bot.driver.wait_for(lambda: denial(bot).status == "appealed", what="appealed")


def test_a_corrected_claim_is_recorded_as_resubmitted(bot: BotUnderTest) -> None:
    card = posted_card(bot, denied("5101Z88001"))
    reply = say(bot, "appeal 5101Z88001 corrected electronic")
    assert "sent a corrected claim" in shown(reply)
    assert card_shows(bot, card, "Resubmitted")


@pytest.mark.both_transports
def test_a_won_appeal_closes_the_card_as_recovered(bot: BotUnderTest) -> None:
    card = posted_card(bot, denied("5101Z88001", amount="420"))
    say(bot, "appeal 5101Z88001 1 portal")

    reply = say(bot, "outcome 5101Z88001 won")

    assert shown(reply).startswith("Claim 5101Z88001 (Aetna): appeal won, $420.00 recovered.")
    assert card_shows(bot, card, "Recovered $420.00 · Aetna")
    with bot.deps.sessions() as session:
        appeal = session.scalars(select(Appeal)).one()
        assert (appeal.outcome, appeal.decided_on) == ("won", TODAY)
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions == ["appeal", "outcome"]


def test_a_lost_appeal_reopens_with_the_next_level_deadline(bot: BotUnderTest) -> None:
    card = posted_card(bot, denied("5101Z88001"))
    say(bot, "appeal 5101Z88001 1 portal")

    reply = say(bot, "outcome 5101Z88001 lost")

    assert "the level 2 appeal is due by Jan 29, 2027" in shown(reply)
    assert card_shows(bot, card, "Appeal by Jan 29, 2027")
    assert denial(bot).status == "in_progress"


def test_a_partial_win_needs_its_amount(bot: BotUnderTest) -> None:
    posted_card(bot, denied("5101Z88001"))
    reply = say(bot, "outcome 5101Z88001 partial")
    assert "A partial win needs the amount the payer paid" in shown(reply)
    assert denial(bot).status == "new"


# -- find, assign, categorize ----------------------------------------------------------------


def test_find_by_denial_id_shows_the_card_shared_when_asked(bot: BotUnderTest) -> None:
    posted_card(bot, denied("5101Z88001", amount="420"))
    reply = say(bot, "find D-1 share")
    assert reply.response_type == "in_channel"
    assert "Denied · Aetna · $420.00" in shown(reply)
    assert "TESTPATIENT" not in shown(reply)


def test_assign_and_categorize_update_the_card(bot: BotUnderTest) -> None:
    card = posted_card(bot, denied("5101Z88001"))

    say(bot, "assign 5101Z88001 <@UJAMES|james>")
    assert card_shows(bot, card, "In progress · @UJAMES")
    say(bot, "categorize 5101Z88001 eligibility")
    assert card_shows(bot, card, "Eligibility · set by @UMARIA")


def test_assigning_to_a_plain_name_is_refused_with_usage(bot: BotUnderTest) -> None:
    posted_card(bot, denied("5101Z88001"))
    reply = say(bot, "assign 5101Z88001 @james")
    assert shown(reply).startswith("@james is not a Slack user I can see.")
    assert "Usage: /denials assign CLAIM @user" in shown(reply)
    assert denial(bot).assignee is None


# -- who may run what ------------------------------------------------------------------------


def test_trends_are_for_managers(bot: BotUnderTest) -> None:
    reply = say(bot, "trends 90d by payer")
    assert reply.text == ("Only managers can see denial trends. Ask <@UMANAGER>.")
    assert reply.response_type == "ephemeral"
    assert bot.slack.files() == []


@pytest.mark.both_transports
def test_a_manager_gets_trends_and_the_chart_in_a_dm(bot: BotUnderTest) -> None:
    posted_card(bot, denied("R1", amount="100"), denied("R2", amount="50"))

    reply = say(bot, "trends 90d by payer", user=MANAGER)

    assert reply.response_type == "ephemeral"
    assert "Denial trends · last 90 days · by payer" in shown(reply)
    assert "The weekly chart is in your direct messages with me." in shown(reply)
    dm = bot.driver.wait_for(lambda: bot.slack.dms(MANAGER), what="the chart in a DM")
    assert dm[0].files[0]["name"] == "denial-trends-90d-by-payer.png"
    assert "Weekly denials for the top" in dm[0].text


def test_shared_trends_put_the_chart_in_the_channel(bot: BotUnderTest) -> None:
    posted_card(bot, denied("R1", amount="100"))
    reply = say(bot, "trends 90d share", user=MANAGER)
    assert reply.response_type == "in_channel"
    with_file = bot.driver.wait_for(
        lambda: [m for m in bot.cards() if m.files], what="the chart in the channel"
    )
    assert with_file[0].files[0]["name"] == "denial-trends-90d-by-category.png"
    assert bot.slack.dms(MANAGER) == []


def test_people_outside_the_denials_channel_are_told_politely(bot: BotUnderTest) -> None:
    bot.slack.add_user("UOUTSIDER", name="outsider")
    reply = say(bot, "due", user="UOUTSIDER")
    assert reply.text.startswith("`/denials due` is for members of the denials channel.")
    assert reply.response_type == "ephemeral"
