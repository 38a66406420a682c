"""The edges staff would otherwise trip over: restarts, pacing, uploads, vanished denials."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from bot.blocks import ids
from bot.services.posting import METADATA_TYPE
from storage.models import AuditEvent, Denial, SlackPost
from tests.e2e.bot_harness import (
    CHANNEL,
    BotUnderTest,
)
from tests.support.x835 import denied, make_835, paid

MARIA, JAMES = "UMARIA", "UJAMES"


def crash_after_claiming(bot: BotUnderTest, *, posted_to_slack: bool) -> int:
    """A poster claimed the card and (maybe) posted it, then the process died."""
    bot.import_bytes(make_835([denied("R1")]), "remit.835")
    with bot.deps.sessions() as session, session.begin():
        post = session.scalars(select(SlackPost)).one()
        long_ago = bot.deps.clock.now() - timedelta(minutes=10)
        post.status, post.channel, post.not_before = "sending", CHANNEL, long_ago
        post_id = post.id
    if posted_to_slack:
        bot.deps.client.chat_postMessage(
            channel=CHANNEL,
            text="card",
            metadata={"event_type": METADATA_TYPE, "event_payload": {"post_id": post_id}},
        )
    return post_id


def test_a_restart_after_slack_took_the_card_does_not_post_it_twice(bot: BotUnderTest) -> None:
    post_id = crash_after_claiming(bot, posted_to_slack=True)

    bot.post_cards()

    assert len(bot.cards()) == 1
    with bot.deps.sessions() as session:
        post = session.get(SlackPost, post_id)
        assert post is not None
        assert (post.status, post.ts) == ("posted", bot.cards()[0].ts)


def test_a_restart_before_slack_took_the_card_posts_it_once(bot: BotUnderTest) -> None:
    crash_after_claiming(bot, posted_to_slack=False)

    bot.post_cards()
    bot.post_cards()

    assert len(bot.cards()) == 1


def test_cards_are_paced_to_one_message_per_second(bot: BotUnderTest) -> None:
    bot.deps.poster.interval = 1.0
    bot.import_bytes(
        make_835([denied("P1"), denied("P2", carc="27"), denied("P3", carc="50")]), "p.835"
    )

    assert bot.post_cards().posted == 3
    # no two posts closer than 0.9 s apart, allowing for a few milliseconds of network jitter
    assert bot.slack.max_rate_per_channel(window=0.9) <= 1


@pytest.mark.both_transports
def test_a_file_shared_in_the_channel_is_imported_and_summarised_in_its_thread(
    bot: BotUnderTest,
) -> None:
    data = make_835([denied("U1", carc="197"), denied("U2", carc="197")])
    file_id, ts = bot.share_in_channel(
        "remit_11-20.835", data, user=MARIA, text="here is the remit"
    )

    bot.driver.file_shared(file_id, user=MARIA, channel=CHANNEL)

    thread = bot.driver.wait_for(lambda: bot.slack.thread(CHANNEL, ts), what="import summary")
    assert "remit_11-20.835: imported 2 claims, 2 denials ($200.00)" in thread[0].text
    bot.driver.wait_for(lambda: len(bot.cards()) == 3, what="two cards after the upload")


@pytest.mark.both_transports
def test_a_refused_upload_says_why_in_the_thread(bot: BotUnderTest) -> None:
    file_id, ts = bot.share_in_channel("claims.835", b"ISA*00*bad", user=MARIA, text="upload")

    bot.driver.file_shared(file_id, user=MARIA, channel=CHANNEL)

    thread = bot.driver.wait_for(lambda: bot.slack.thread(CHANNEL, ts), what="reply")
    assert thread[0].text.startswith("claims.835 was not imported:")
    assert "Nothing from this file was stored" in thread[0].text


@pytest.mark.both_transports
def test_the_app_home_lists_my_denials_and_the_team_summary(bot: BotUnderTest) -> None:
    bot.import_bytes(make_835([denied("H1"), denied("H2", carc="27")]), "h.835")
    with bot.deps.sessions() as session, session.begin():
        session.execute(update(Denial).where(Denial.claim_number == "H1").values(assignee=MARIA))

    bot.driver.app_home_opened(user=MARIA)

    home = bot.driver.wait_for(lambda: bot.slack.home(MARIA), what="home view")
    text = str(home.payload["blocks"])
    assert "My denials" in text
    assert "H1" in text
    assert "*Needs an owner*\\n1" in text  # H2


@pytest.mark.both_transports
def test_a_click_on_a_card_whose_denial_is_gone_explains_and_changes_nothing(
    bot: BotUnderTest,
) -> None:
    bot.import_bytes(make_835([denied("G1")]), "g.835")
    bot.post_cards()
    (card,) = bot.cards()
    with bot.deps.sessions() as session, session.begin():
        session.execute(delete(Denial))

    bot.driver.block_action(
        ids.ROOT_CAUSE_SELECT,
        selected_option="coding",
        user=MARIA,
        channel=CHANNEL,
        message_ts=card.ts,
    )

    reply = bot.driver.wait_for(lambda: bot.slack.responses(), what="explanation")[-1]
    assert "no longer in the database" in reply.text
    assert bot.slack.thread(CHANNEL, card.ts) == []


@pytest.mark.both_transports
def test_two_people_changing_different_things_at_once_keep_both(bot: BotUnderTest) -> None:
    bot.import_bytes(make_835([denied("C1")]), "c.835")
    bot.post_cards()
    (card,) = bot.cards()
    barrier = threading.Barrier(2)

    def categorize() -> None:
        barrier.wait()
        bot.driver.block_action(
            ids.ROOT_CAUSE_SELECT,
            selected_option="coding",
            user=MARIA,
            channel=CHANNEL,
            message_ts=card.ts,
        )

    def assign() -> None:
        barrier.wait()
        bot.driver.block_action(
            ids.ASSIGN_SELECT, selected_user=JAMES, user=JAMES, channel=CHANNEL, message_ts=card.ts
        )

    threads = [threading.Thread(target=categorize), threading.Thread(target=assign)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    def both_applied() -> bool:
        with bot.deps.sessions() as session:
            return len(session.scalars(select(AuditEvent)).all()) == 2

    bot.driver.wait_for(both_applied, what="both changes")
    with bot.deps.sessions() as session:
        denial = session.scalars(select(Denial)).one()
        assert (denial.category, denial.assignee) == ("coding", JAMES)
    assert bot.slack.responses() == []  # nobody was refused


def test_a_later_remittance_that_pays_closes_the_card_and_says_so_in_its_thread(
    bot: BotUnderTest,
) -> None:
    bot.import_bytes(make_835([denied("L1", amount="250")], check="A"), "first.835")
    bot.post_cards()
    (card,) = bot.cards()

    bot.import_bytes(make_835([paid("L1", amount="250")], check="B"), "second.835")
    report = bot.post_cards()

    assert report.updated == 1
    updated = bot.slack.message(CHANNEL, card.ts)
    assert updated is not None
    assert "Recovered $250.00" in updated.text
    (note,) = bot.slack.thread(CHANNEL, card.ts)
    assert "A later remittance paid $250.00 (second.835)" in note.text
    assert len(bot.cards()) == 1
