"""Staff triage denials from the channel: every journey through real HTTP, signed requests."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import select

from bot.blocks import ids
from storage.models import Appeal, AuditEvent, Denial, SlackPost
from tests.e2e.bot_harness import (
    CHANNEL,
    MANAGER,
    TODAY,
    BotUnderTest,
)
from tests.support.x835 import denied, make_835

MARIA, JAMES = "UMARIA", "UJAMES"


def one_card(bot: BotUnderTest) -> Any:
    bot.import_bytes(make_835([denied("5101Z88001", carc="197", amount="420")]), "remit.835")
    bot.post_cards()
    (card,) = bot.cards()
    return card


def card_ref(card: Any) -> str:
    for block in card.blocks:
        if block.get("block_id", "").startswith(ids.CARD_ACTIONS_BLOCK):
            return str(block["block_id"])
    raise AssertionError("no actions block on the card")


@pytest.mark.both_transports
def test_an_imported_denial_is_posted_once_as_a_card(bot: BotUnderTest) -> None:
    card = one_card(bot)
    bot.post_cards()  # a second round posts nothing again

    assert len(bot.cards()) == 1
    assert "5101Z88001" in str(card.blocks)
    assert "CO-197" in str(card.blocks)
    assert "$420.00" in card.text
    assert "TESTPATIENT" not in str(card.blocks) + card.text  # no PHI by default


@pytest.mark.both_transports
def test_categorize_updates_the_card_in_place_and_notes_it_in_the_thread(
    bot: BotUnderTest,
) -> None:
    card = one_card(bot)

    answer = bot.driver.block_action(
        ids.ROOT_CAUSE_SELECT,
        selected_option="eligibility",
        user=MARIA,
        channel=CHANNEL,
        message_ts=card.ts,
    )

    assert answer.status == 200
    updated = bot.driver.wait_for(
        lambda: (m := bot.slack.message(CHANNEL, card.ts)) and m.edits and m, what="card update"
    )
    assert "Eligibility · set by <@UMARIA>" in str(updated.blocks)
    thread = bot.driver.wait_for(lambda: bot.slack.thread(CHANNEL, card.ts), what="thread note")
    assert "<@UMARIA> set root cause: Eligibility" in thread[0].text
    assert not thread[0].reply_broadcast
    assert len(bot.cards()) == 1


@pytest.mark.both_transports
def test_assign_records_an_audit_event(bot: BotUnderTest) -> None:
    card = one_card(bot)

    bot.driver.block_action(
        ids.ASSIGN_SELECT, selected_user=JAMES, user=MARIA, channel=CHANNEL, message_ts=card.ts
    )

    thread = bot.driver.wait_for(lambda: bot.slack.thread(CHANNEL, card.ts), what="thread note")
    assert "<@UMARIA> assigned to <@UJAMES>" in thread[0].text
    with bot.deps.sessions() as session:
        denial = session.scalars(select(Denial)).one()
        assert (denial.assignee, denial.status) == (JAMES, "in_progress")
        event = session.scalars(select(AuditEvent)).one()
        assert (event.actor, event.action) == ("slack:T1:UMARIA", "assign")


@pytest.mark.both_transports
def test_log_appeal_through_the_modal_with_a_bad_date_first(bot: BotUnderTest) -> None:
    card = one_card(bot)
    bot.driver.block_action(
        ids.LOG_APPEAL_BUTTON, user=JAMES, channel=CHANNEL, message_ts=card.ts, value=None
    )
    modal = bot.driver.wait_for(lambda: bot.slack.views(JAMES), what="appeal modal")[-1]
    assert modal.callback_id == ids.APPEAL_MODAL

    values = {
        ids.APPEAL_LEVEL_BLOCK: {
            ids.APPEAL_LEVEL_INPUT: {"type": "static_select", "selected_option": {"value": "1"}}
        },
        ids.APPEAL_METHOD_BLOCK: {
            ids.APPEAL_METHOD_INPUT: {
                "type": "static_select",
                "selected_option": {"value": "portal"},
            }
        },
        ids.APPEAL_SENT_ON_BLOCK: {
            ids.APPEAL_SENT_ON_INPUT: {"type": "datepicker", "selected_date": "2027-01-05"}
        },
        ids.APPEAL_REFERENCE_BLOCK: {ids.APPEAL_REFERENCE_INPUT: "88-2231"},
    }
    refused = bot.driver.view_submission(ids.APPEAL_MODAL, values, user=JAMES)
    assert refused.body["response_action"] == "errors"
    assert "future" in refused.body["errors"][ids.APPEAL_SENT_ON_BLOCK]
    with bot.deps.sessions() as session:
        assert session.scalars(select(Denial.status)).one() == "new"

    values[ids.APPEAL_SENT_ON_BLOCK] = {
        ids.APPEAL_SENT_ON_INPUT: {"type": "datepicker", "selected_date": TODAY.isoformat()}
    }
    accepted = bot.driver.view_submission(ids.APPEAL_MODAL, values, user=JAMES)
    assert accepted.status == 200
    thread = bot.driver.wait_for(lambda: bot.slack.thread(CHANNEL, card.ts), what="thread note")
    assert "logged appeal level 1 · portal · ref 88-2231" in thread[0].text
    with bot.deps.sessions() as session:
        assert session.scalars(select(Denial.status)).one() == "appealed"


def appeal_values(reference: str) -> dict[str, Any]:
    return {
        ids.APPEAL_LEVEL_BLOCK: {
            ids.APPEAL_LEVEL_INPUT: {"type": "static_select", "selected_option": {"value": "1"}}
        },
        ids.APPEAL_SENT_ON_BLOCK: {
            ids.APPEAL_SENT_ON_INPUT: {"type": "datepicker", "selected_date": TODAY.isoformat()}
        },
        ids.APPEAL_REFERENCE_BLOCK: {ids.APPEAL_REFERENCE_INPUT: reference},
    }


def test_a_second_appeal_from_the_card_is_refused_while_one_is_pending(bot: BotUnderTest) -> None:
    card = one_card(bot)
    for user in (JAMES, MARIA):  # two people open the form before either sends it
        bot.driver.block_action(
            ids.LOG_APPEAL_BUTTON, user=user, channel=CHANNEL, message_ts=card.ts, value=None
        )
        bot.driver.wait_for(lambda u=user: bot.slack.views(u), what="appeal modal")

    first = bot.driver.view_submission(ids.APPEAL_MODAL, appeal_values("88-2231"), user=JAMES)
    late = bot.driver.view_submission(ids.APPEAL_MODAL, appeal_values("88-2232"), user=MARIA)

    assert first.status == 200
    assert not first.body
    assert late.body["response_action"] == "errors"
    assert "<@UJAMES> changed this while you were looking: logged an appeal" in str(late.body)
    # A form that carries the card's latest version is refused by the transaction itself.
    with bot.deps.sessions() as session:
        version = session.scalars(select(Denial.version)).one()
        ref = ids.denial_ref(session.scalars(select(Denial.id)).one(), version)
    current = bot.driver.view_submission(
        ids.APPEAL_MODAL, appeal_values("88-2233"), private_metadata=ref, user=MARIA
    )
    assert current.body["response_action"] == "errors"
    (error,) = current.body["errors"].values()
    assert "already has an appeal waiting for a decision (level 1, sent Nov 30, 2026)" in error
    # The card moves on: it offers neither again; a click on a copy drawn before says why.
    updated = bot.driver.wait_for(
        lambda: (m := bot.slack.message(CHANNEL, card.ts)) and m.edits and m, what="card update"
    )
    shown = str(updated.to_api()["blocks"])
    assert ids.LOG_APPEAL_BUTTON not in shown
    assert f"'{ids.OVERFLOW_CORRECTED}'" not in shown
    for action, option in (
        (ids.LOG_APPEAL_BUTTON, None),
        (ids.CARD_OVERFLOW, ids.OVERFLOW_CORRECTED),
    ):
        bot.driver.block_action(
            action,
            selected_option=option,
            user=MARIA,
            channel=CHANNEL,
            message_ts=card.ts,
            value=ref,
            block_id=ids.card_block_id(ids.CARD_ACTIONS_BLOCK, ref),
        )
    refusals = bot.driver.wait_for(
        lambda: len(bot.slack.responses()) >= 2 and bot.slack.responses(), what="two refusals"
    )
    assert all("already has an appeal waiting for a decision" in r.text for r in refusals)
    assert len(bot.slack.views(MARIA)) == 1  # only the form she opened at the start
    with bot.deps.sessions() as session:
        (appeal,) = session.scalars(select(Appeal)).all()
        assert appeal.reference == "88-2231"
        assert session.scalars(select(Denial.status)).one() == "appealed"


@pytest.mark.both_transports
def test_a_write_off_by_staff_is_refused_and_changes_nothing(bot: BotUnderTest) -> None:
    card = one_card(bot)

    bot.driver.block_action(
        ids.CARD_OVERFLOW,
        selected_option=ids.OVERFLOW_WRITE_OFF,
        user=MARIA,
        channel=CHANNEL,
        message_ts=card.ts,
    )

    reply = bot.driver.wait_for(lambda: bot.slack.responses(), what="ephemeral refusal")[-1]
    assert "Only managers can write off a denial" in reply.text
    assert not bot.slack.views(MARIA)
    with bot.deps.sessions() as session:
        assert session.scalars(select(Denial.status)).one() == "new"


@pytest.mark.both_transports
def test_a_manager_writes_off_through_the_form(bot: BotUnderTest) -> None:
    card = one_card(bot)
    bot.driver.block_action(
        ids.CARD_OVERFLOW,
        selected_option=ids.OVERFLOW_WRITE_OFF,
        user=MANAGER,
        channel=CHANNEL,
        message_ts=card.ts,
    )
    bot.driver.wait_for(lambda: bot.slack.views(MANAGER), what="write-off form")
    reason = {ids.WRITE_OFF_REASON_BLOCK: {ids.WRITE_OFF_REASON_INPUT: "Below the cost of appeal"}}
    bot.driver.view_submission(ids.WRITE_OFF_MODAL, reason, user=MANAGER)

    updated = bot.driver.wait_for(
        lambda: (m := bot.slack.message(CHANNEL, card.ts)) and m.edits and m, what="card update"
    )
    assert "Written off" in updated.text or "Written off" in str(updated.blocks)


@pytest.mark.both_transports
def test_two_people_assigning_at_once_lose_nothing_silently(bot: BotUnderTest) -> None:
    card = one_card(bot)
    barrier = threading.Barrier(2)

    def assign(user: str, assignee: str) -> None:
        barrier.wait()
        bot.driver.block_action(
            ids.ASSIGN_SELECT,
            selected_user=assignee,
            user=user,
            channel=CHANNEL,
            message_ts=card.ts,
        )

    threads = [
        threading.Thread(target=assign, args=(MARIA, MARIA)),
        threading.Thread(target=assign, args=(JAMES, JAMES)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # One assignment wins; the other person is told plainly who changed it meanwhile.
    refusal = bot.driver.wait_for(lambda: bot.slack.responses(), what="conflict notice")[-1]
    assert "changed this while you were looking: assigned to" in refusal.text
    with bot.deps.sessions() as session:
        denial = session.scalars(select(Denial)).one()
        assert denial.assignee in (MARIA, JAMES)
        assert len(session.scalars(select(AuditEvent)).all()) == 1


def test_slack_down_during_posting_loses_nothing_and_posts_once(bot: BotUnderTest) -> None:
    bot.import_bytes(make_835([denied("A1"), denied("B1", carc="27")]), "remit.835")
    bot.slack.go_down()

    report = bot.post_cards()

    assert report.posted == 0
    assert report.deferred == 1
    assert bot.slack.messages(CHANNEL) == []
    bot.slack.come_back()
    with bot.deps.sessions() as session:  # the back-off has passed when Slack is back
        for post in session.scalars(select(SlackPost)):
            post.not_before = None
        session.commit()
    assert bot.post_cards().posted == 2
    assert bot.post_cards().posted == 0
    assert len(bot.cards()) == 2


def test_a_429_waits_for_retry_after_then_posts(bot: BotUnderTest) -> None:
    bot.import_bytes(make_835([denied("A1")]), "remit.835")
    bot.slack.fail_next("chat.postMessage", status=429, retry_after=1, times=2)

    first = bot.post_cards()
    assert first.posted == 0
    assert "ratelimited" in first.errors[0]
    bot.driver.wait_for(lambda: bot.post_cards().posted == 1, timeout=5, what="post after wait")
    assert len(bot.cards()) == 1


def test_forged_and_stale_signatures_are_refused(bot: BotUnderTest) -> None:
    forged = bot.driver.with_forged_signature().slash(text="help")
    stale = bot.driver.with_stale_timestamp().slash(text="help")
    assert (forged.status, stale.status) == (401, 401)
    assert bot.slack.responses() == []


def test_health_check_answers_for_load_balancers(bot: BotUnderTest) -> None:
    import json
    import urllib.request

    with urllib.request.urlopen(bot.url + "/healthz", timeout=5) as answer:  # noqa: S310
        assert answer.status == 200
        assert json.loads(answer.read()) == {"ok": True, "error": None}
