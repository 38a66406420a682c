"""A request Slack sends again is acknowledged and handled once: a click whose acknowledgement
was lost, a shared file whose event comes again while the first is still being imported.

Over Socket Mode the stand-in loses the acknowledgement and redelivers the envelope with
`retry_attempt`; over HTTP the same payload comes again with `X-Slack-Retry-Num`.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.blocks import ids
from storage.models import AuditEvent, ImportFile, SlackReceipt
from tests.e2e.bot_harness import CHANNEL, SOCKET_MODE, BotUnderTest
from tests.support.x835 import denied, make_835

MARIA = "UMARIA"
pytestmark = pytest.mark.both_transports


def repeats(bot: BotUnderTest) -> list[int]:
    with bot.deps.sessions() as session:
        return list(session.scalars(select(SlackReceipt.repeats).order_by(SlackReceipt.id)))


def test_a_click_sent_again_after_its_acknowledgement_was_lost_is_handled_once(
    bot: BotUnderTest,
) -> None:
    bot.import_bytes(make_835([denied("5101Z88001", carc="197")]), "remit.835")
    bot.post_cards()
    (card,) = bot.cards()
    if bot.transport == SOCKET_MODE:
        bot.slack.socket_mode.lose_next_ack()

    first = bot.driver.block_action(
        ids.ROOT_CAUSE_SELECT,
        selected_option="eligibility",
        user=MARIA,
        channel=CHANNEL,
        message_ts=card.ts,
    )
    again = bot.driver.redeliver(first, retry_attempt=1, retry_reason="timeout")

    assert again.status == 200
    bot.driver.wait_for(lambda: bot.slack.thread(CHANNEL, card.ts), what="the thread note")
    bot.deps.after_ack.close()  # whatever either delivery handed over has finished
    updated = bot.slack.message(CHANNEL, card.ts)
    assert updated is not None
    assert updated.edits == 1
    assert len(bot.slack.thread(CHANNEL, card.ts)) == 1
    assert bot.slack.responses() == []  # nobody was told "someone changed this meanwhile"
    with bot.deps.sessions() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 1
        # recorded after the answer went out (off the acknowledge path), but recorded
        assert session.scalars(select(SlackReceipt.acknowledged_at)).one() is not None
    assert repeats(bot) == [1]


def test_a_shared_file_whose_event_comes_again_while_it_is_imported_is_imported_once(
    bot: BotUnderTest,
) -> None:
    data = make_835([denied("U1", carc="197"), denied("U2", carc="197")])
    file_id, ts = bot.share_in_channel(
        "remit_11-20.835", data, user=MARIA, text="here is the remit"
    )
    release = bot.slack.hold("files.info")
    try:
        first = bot.driver.file_shared(file_id, user=MARIA, channel=CHANNEL)
        bot.driver.wait_for(lambda: bot.slack.held("files.info"), what="the import underway")
        again = bot.driver.redeliver(first, retry_attempt=1, retry_reason="timeout")
        assert (first.status, again.status) == (200, 200)
    finally:
        release.set()

    bot.driver.wait_for(lambda: bot.slack.thread(CHANNEL, ts), what="the summary")
    bot.deps.after_ack.close()
    (summary,) = bot.slack.thread(CHANNEL, ts)
    assert "remit_11-20.835: imported 2 claims, 2 denials" in summary.text
    assert len(bot.slack.calls("files.info")) == 1
    with bot.deps.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ImportFile)) == 1
    assert repeats(bot) == [1]


def test_a_new_click_on_the_same_card_is_not_mistaken_for_a_repeat(bot: BotUnderTest) -> None:
    bot.import_bytes(make_835([denied("5101Z88001", carc="197")]), "remit.835")
    bot.post_cards()
    (card,) = bot.cards()

    for cause in ("eligibility", "coding"):
        bot.driver.block_action(
            ids.ROOT_CAUSE_SELECT,
            selected_option=cause,
            user=MARIA,
            channel=CHANNEL,
            message_ts=bot.cards()[0].ts,
        )
        bot.driver.wait_for(
            lambda c=cause: (
                c.replace("_", " ").capitalize()
                in str((bot.slack.message(CHANNEL, card.ts) or card).blocks)
            ),
            what=f"the card showing {cause}",
        )

    assert repeats(bot) == [0, 0]
