"""Slack kept the message but its answer was lost or late: every message is still sent once.

The stand-in's lost-answer fault mode does the call (the message is stored) and then drops the
connection without an answer, or holds the answer until the client's timeout has closed it.
The bot's client is the production one (`make_client`) with a short timeout; the checks wait
on conditions (every card posted, nothing left to settle), never on a guessed time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.app import make_client
from bot.blocks import ids
from bot.bootstrap import Runtime
from bot.clock import Clock
from bot.services.importing import ImportContext, import_file
from bot.slack.retries import retry_handlers
from storage.models import SendClaim, SlackPost
from tests.e2e.bot_harness import (
    BOT_TOKEN,
    CHANNEL,
    TODAY,
    BotUnderTest,
    e2e_settings,
    rulebook_for,
    running_bot,
)
from tests.e2e.slack_driver import wait_for
from tests.support.slack_standin import SlackStandIn
from tests.support.x835 import denied, make_835, paid

TIMEOUT = 1  # seconds: the client's, for these tests; a late answer costs one of them
CARDS = 27
CAUSES = ("eligibility", "coding", "authorization", "documentation", "duplicate")
CARCS = ("197", "27", "16", "18", "50", "29", "96", "4", "11")


@pytest.fixture
def lossy_bot(
    slack: SlackStandIn, database_url: str, sessions: sessionmaker[Session]
) -> Iterator[BotUnderTest]:
    """The bot with the production Slack client (its retries, a `TIMEOUT` s timeout)."""
    settings = e2e_settings(database_url, slack)
    runtime = Runtime(
        settings, sessions.kw["bind"], sessions, rulebook_for(settings), Clock(settings.zone, TODAY)
    )
    client = make_client(settings, timeout=TIMEOUT)
    with running_bot(settings, slack, runtime, client=client) as running:
        yield running


def import_cards(bot: BotUnderTest, count: int) -> None:
    """`count` denials, each its own card (no burst is grouped)."""
    claims = [denied(f"LOST{n:03d}", carc=CARCS[n % len(CARCS)]) for n in range(count)]
    context = ImportContext(
        sessions=bot.deps.sessions,
        rulebook=bot.deps.rulebook,
        actor="cli:test",
        now=bot.deps.clock.now(),
        today=bot.deps.clock.today(),
        group_min=count + 1,
    )
    assert import_file(make_835(claims), context, file_name="burst.835").status == "imported"


def outbox(bot: BotUnderTest) -> Counter[str]:
    with bot.deps.sessions() as session:
        return Counter(session.scalars(select(SlackPost.status)))


def ledger(bot: BotUnderTest) -> Counter[str]:
    """How many send ledger rows are in each status."""
    with bot.deps.sessions() as session:
        return Counter(session.scalars(select(SendClaim.status)))


def posting_rounds_until(bot: BotUnderTest, done: Any, timeout: float = 90) -> int:
    """Run posting rounds (the post job's tick) until `done()`; how many it took."""
    rounds = 0

    def one_round() -> bool:
        nonlocal rounds
        rounds += 1
        bot.post_cards()
        return bool(done())

    wait_for(one_round, timeout=timeout, interval=0.05, what="every message settled")
    return rounds


def card_ids(messages: list[Any]) -> Counter[int]:
    return Counter(
        int(m.metadata["event_payload"]["post_id"])
        for m in messages
        if (m.metadata or {}).get("event_type") == "denial_card"
    )


def lost(slack: SlackStandIn, method: str = "chat.postMessage") -> Counter[str]:
    return Counter(c.lost for c in slack.calls(method) if c.lost)


# -- the stand-in and the client --------------------------------------------------------------


@pytest.mark.parametrize(("kind", "raised"), [("drop", ConnectionError), ("late", TimeoutError)])
def test_a_lost_answer_leaves_the_message_in_slack_and_the_client_without_an_answer(
    slack: SlackStandIn, kind: str, raised: type[Exception]
) -> None:
    client = WebClient(token=BOT_TOKEN, base_url=slack.url, timeout=TIMEOUT, retry_handlers=[])
    slack.lose_next("chat.postMessage", kind=kind)

    with pytest.raises(raised):  # no answer: the connection closed, or the client gave up
        client.chat_postMessage(channel="C1", text="kept")

    assert [m.text for m in slack.messages("C1")] == ["kept"]
    assert lost(slack) == {kind: 1}


def test_slack_sdks_default_retry_posts_twice_after_a_dropped_answer_ours_does_not(
    slack: SlackStandIn,
) -> None:
    default = WebClient(token=BOT_TOKEN, base_url=slack.url, timeout=TIMEOUT)
    slack.lose_next("chat.postMessage", kind="drop")
    default.chat_postMessage(channel="C1", text="posted by the default client")
    assert len(slack.messages("C1")) == 2  # what the bot used to do

    ours = WebClient(
        token=BOT_TOKEN, base_url=slack.url, timeout=TIMEOUT, retry_handlers=retry_handlers()
    )
    slack.lose_next("chat.postMessage", kind="drop")
    with pytest.raises(ConnectionError):
        ours.chat_postMessage(channel="C2", text="posted by ours")
    assert len(slack.messages("C2")) == 1

    slack.lose_next("conversations.history", kind="drop")  # a read is retried: harmless twice
    assert ours.conversations_history(channel="C2")["messages"]


# -- every message kind, sent once -----------------------------------------------------------


def test_cards_are_posted_once_when_a_fifth_of_answers_are_dropped_and_a_tenth_late(
    lossy_bot: BotUnderTest,
) -> None:
    bot, slack = lossy_bot, lossy_bot.slack
    import_cards(bot, CARDS)
    slack.lose_answers("chat.postMessage", drop=0.2, late=0.1, seed=7)

    rounds = posting_rounds_until(bot, lambda: outbox(bot) == {"posted": CARDS})

    messages = slack.messages(CHANNEL)
    assert card_ids(messages) == Counter({post_id: 1 for post_id in card_ids(messages)})
    assert len(messages) == CARDS  # 27 cards, 27 messages: none twice, none lost
    faults = lost(slack)
    assert faults["drop"] >= 3, faults  # the faults really happened
    assert faults["late"] >= 1, faults
    assert rounds > 1


def test_cards_settle_when_every_method_loses_answers_the_searches_too(
    lossy_bot: BotUnderTest,
) -> None:
    bot, slack = lossy_bot, lossy_bot.slack
    import_cards(bot, 12)
    slack.lose_answers("*", drop=0.2, late=0.1, seed=11)

    posting_rounds_until(bot, lambda: outbox(bot) == {"posted": 12})

    assert sorted(card_ids(slack.messages(CHANNEL)).values()) == [1] * 12
    assert lost(slack, "conversations.history") or lost(slack, "chat.postMessage")


def test_thread_notes_after_clicks_are_posted_once_when_their_answers_are_lost(
    lossy_bot: BotUnderTest,
) -> None:
    bot, slack = lossy_bot, lossy_bot.slack
    import_cards(bot, 6)
    posting_rounds_until(bot, lambda: outbox(bot) == {"posted": 6})
    cards = slack.messages(CHANNEL)
    slack.lose_answers("chat.postMessage", drop=0.3, late=0.2, seed=3)

    for card, cause in zip(cards, CAUSES * 2, strict=False):
        answer = bot.driver.block_action(
            ids.ROOT_CAUSE_SELECT,
            selected_option=cause,
            user="UMARIA",
            channel=CHANNEL,
            message_ts=card.ts,
        )
        assert answer.status == 200
    bot.deps.after_ack.close()  # every click's work done (its note sent, or left in the ledger)
    posting_rounds_until(bot, lambda: set(ledger(bot)) <= {"sent"})

    notes = [reply for card in cards for reply in slack.thread(CHANNEL, card.ts)]
    assert Counter(len(slack.thread(CHANNEL, c.ts)) for c in cards) == {1: 6}
    assert all("root cause" in note.text.lower() for note in notes)
    assert lost(slack)  # some notes' answers were lost on the way


def test_a_paid_remittance_note_waiting_for_its_card_is_posted_once(
    lossy_bot: BotUnderTest,
) -> None:
    bot, slack = lossy_bot, lossy_bot.slack
    import_cards(bot, 1)
    posting_rounds_until(bot, lambda: outbox(bot) == {"posted": 1})
    context = ImportContext(
        sessions=bot.deps.sessions,
        rulebook=bot.deps.rulebook,
        actor="cli:test",
        now=datetime.now(UTC),
        today=bot.deps.clock.today(),
    )
    later = make_835([paid("LOST000")], check="CHK2", payment_date="20261120")
    assert import_file(later, context, file_name="later.835").status == "imported"
    slack.lose_next("chat.postMessage", kind="late")

    posting_rounds_until(bot, lambda: set(ledger(bot)) == {"sent"})

    (card,) = slack.messages(CHANNEL)
    assert len(slack.thread(CHANNEL, card.ts)) == 1
