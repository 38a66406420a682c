"""Time moves the cards: the daily refresh edits, through the outbox, only the open cards whose
words changed with the day; each card's link is kept with it."""

from __future__ import annotations

from datetime import date

from slack_sdk import WebClient
from sqlalchemy import select, update

from bot.clock import Clock
from bot.presenters.card_links import denial_card_link, denial_card_links, post_link
from bot.services.card_refresh import CardRefresh
from bot.services.posting import SlackPoster
from storage.models import Denial, SlackPost
from tests.integration.jobs_support import CHANNEL, NY, JobBot, at
from tests.support.x835 import denied


def poster_on(bot: JobBot, day: date) -> SlackPoster:
    """The outbox as the bot sends it on `day` (cards drawn as of that day)."""
    deps = bot.deps
    client = WebClient(token="xoxb-test", base_url=bot.slack.url)
    return SlackPoster(deps.sessions, client, CHANNEL, deps.poster.renderer, Clock(NY, day), 0.0)


def card_text(bot: JobBot, claim: str) -> str:
    with bot.deps.sessions() as session:
        post_id = session.scalars(select(Denial.post_id).where(Denial.claim_number == claim)).one()
        ts = session.scalars(select(SlackPost.ts).where(SlackPost.id == post_id)).one()
    message = bot.slack.message(CHANNEL, str(ts))
    assert message is not None
    return str(message.blocks)


def three_cards(bot: JobBot) -> CardRefresh:
    bot.import_835(
        [denied("PCN1"), denied("PCN2", carc="27"), denied("PCN3", carc="50")], on=date(2026, 11, 2)
    )
    bot.set_deadline("PCN1", date(2027, 3, 1))  # far: the date alone, for months
    bot.set_deadline("PCN2", date(2026, 12, 10))  # counted daily from Nov 26
    bot.set_deadline("PCN3", date(2026, 12, 3), status="recovered", closed=True)
    poster_on(bot, date(2026, 12, 1)).post_pending()
    return CardRefresh(bot.deps.sessions, bot.deps.poster.renderer, bot.jobs.ledger)


def test_only_the_cards_whose_countdown_changed_are_edited(bot: JobBot) -> None:
    refresh = three_cards(bot)
    assert "9 days left" in card_text(bot, "PCN2")

    report = refresh.run(date(2026, 12, 2))
    assert report.sent == [
        "1 of 2 open cards to update for 2026-12-02"
    ]  # the closed one is not read
    assert poster_on(bot, date(2026, 12, 2)).refresh_changed() == 1
    assert len(bot.slack.calls("chat.update")) == 1
    assert "8 days left" in card_text(bot, "PCN2")
    assert "days left" not in card_text(bot, "PCN1")


def test_the_day_is_refreshed_once_however_often_the_job_ticks(bot: JobBot) -> None:
    refresh = three_cards(bot)
    assert refresh.run(date(2026, 12, 2)).sent
    assert refresh.run(date(2026, 12, 2)).lines() == ["refresh: nothing to do."]
    # a person may ask again: the card still differs from what Slack shows until it is edited
    assert refresh.run(date(2026, 12, 2), manual=True).sent == [
        "1 of 2 open cards to update for 2026-12-02"
    ]


def test_the_refresh_job_run_by_hand_edits_the_cards_at_once(bot: JobBot) -> None:
    three_cards(bot)
    report = bot.run("refresh", at(2026, 12, 9), manual=True)
    assert report.sent[0] == "1 of 2 open cards to update for 2026-12-09"
    assert report.sent[1] == "1 cards updated"


def test_a_deadline_coming_into_two_weeks_gains_its_count_and_overdue_turns_the_header(
    bot: JobBot,
) -> None:
    refresh = three_cards(bot)
    bot.set_deadline("PCN1", date(2026, 12, 16))
    for day in (date(2026, 12, 2), date(2026, 12, 11)):
        refresh.run(day)
        poster_on(bot, day).refresh_changed()
    assert "14 days left" not in card_text(bot, "PCN1")
    assert "5 days left" in card_text(bot, "PCN1")
    assert ":rotating_light: Overdue · Aetna" in card_text(bot, "PCN2")
    assert "overdue by 1 day" in card_text(bot, "PCN2")


def test_each_card_keeps_its_link_and_others_can_ask_for_it(bot: JobBot) -> None:
    three_cards(bot)
    with bot.deps.sessions() as session:
        ids = {d.claim_number: d.id for d in session.scalars(select(Denial))}
        link = denial_card_link(session, ids["PCN2"])
        links = denial_card_links(session, ids.values())
        ts = session.scalars(select(SlackPost.ts).where(SlackPost.id == 2)).one()
        assert post_link(session, 2) == link
    assert link == f"https://standin.slack.com/archives/{CHANNEL}/p{str(ts).replace('.', '')}"
    assert set(links) == set(ids.values())
    with bot.deps.sessions() as session:
        assert denial_card_link(session, 9999) is None


def test_a_card_whose_link_slack_did_not_give_gets_it_on_a_later_round(bot: JobBot) -> None:
    three_cards(bot)
    with bot.deps.sessions() as session, session.begin():
        session.execute(update(SlackPost).values(permalink=None))
    bot.slack.fail_next("chat.getPermalink")
    poster = poster_on(bot, date(2026, 12, 1))
    assert poster.fill_permalinks() == 0  # Slack did not answer: asked again next round
    assert poster.fill_permalinks() == 3
    with bot.deps.sessions() as session:
        assert None not in session.scalars(select(SlackPost.permalink)).all()
