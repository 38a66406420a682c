"""Lists that page instead of cutting off (issue 14): `/denials due` shows one screen, urgent
first, and "Show more" replaces it with the next; the App Home's My denials does the same."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.blocks import ids
from bot.blocks.plain_text import render_text, render_view
from storage.models import Denial
from tests.e2e.bot_harness import CHANNEL, TODAY, BotUnderTest
from tests.support.standin_state import ResponsePost
from tests.support.x835 import denied, make_835

MARIA = "UMARIA"


def spread(bot: BotUnderTest, count: int, *, assignee: str | None = None) -> None:
    """`count` denials on their own cards, due one a day from 5 days ago; one lapsed."""
    for i in range(count):
        bot.import_bytes(make_835([denied(f"P{i:02d}", amount="100")]), f"p{i}.835")
    bot.import_bytes(make_835([denied("OLD", amount="75")]), "old.835")
    with bot.deps.sessions() as session, session.begin():
        ids_ = list(session.scalars(select(Denial.id).order_by(Denial.id)))
        for i, denial_id in enumerate(ids_[:count]):
            session.execute(
                update(Denial)
                .where(Denial.id == denial_id)
                .values(deadline=TODAY + timedelta(days=i - 5), assignee=assignee)
            )
        session.execute(
            update(Denial)
            .where(Denial.claim_number == "OLD")
            .values(deadline=TODAY - timedelta(days=6147), assignee=assignee)
        )


def ask(bot: BotUnderTest, text: str) -> ResponsePost:
    before = len(bot.slack.responses())
    assert bot.driver.slash(text=text, user=MARIA, channel=CHANNEL).status == 200
    return bot.driver.wait_for(
        lambda: next(iter(bot.slack.responses()[before:]), None), what="the answer"
    )


def test_due_pages_with_show_more_urgent_first(bot: BotUnderTest) -> None:
    spread(bot, 14)
    reply = ask(bot, "due 14")
    first = render_text(reply.blocks)
    assert first.startswith("Due in the next 14 days: 14 denials · $1,400.00 (5 overdue)")
    assert first.index("P04") < first.index("P00") < first.index("P05")  # 1 over, 5 over, today
    assert "OLD" not in first
    assert "Also 1 lapsed, $75.00: more than 30 days past the deadline." in first
    assert "Showing 1–10 of 14" in first
    assert len(reply.blocks) <= 25

    value = next(
        e["value"]
        for b in reply.blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == ids.DUE_MORE_BUTTON
    )
    before = len(bot.slack.responses())
    clicked = bot.driver.block_action(ids.DUE_MORE_BUTTON, value=value, user=MARIA, channel=CHANNEL)
    assert clicked.status == 200
    page = bot.driver.wait_for(
        lambda: next(iter(bot.slack.responses()[before:]), None), what="the next page"
    )
    assert page.payload.get("replace_original") in (True, "true")
    second = render_text(page.blocks)
    assert "Showing 11–14 of 14" in second
    assert "P13" in second
    assert "P00" not in second


def test_the_home_pages_my_denials(bot: BotUnderTest) -> None:
    spread(bot, 14, assignee=MARIA)
    bot.driver.app_home_opened(user=MARIA)
    home = bot.driver.wait_for(lambda: bot.slack.home(MARIA), what="home view")
    text = render_view(home.payload)
    assert "14 denials to act on · $1,400.00 (5 overdue)" in text
    assert "Showing 1–10 of 14" in text

    bot.driver.block_action(ids.HOME_MORE_BUTTON, value="1", user=MARIA, view_id=home.id)

    def second_page() -> str | None:
        view = bot.slack.home(MARIA)
        shown = render_view(view.payload) if view is not None else ""
        return shown if "P13" in shown else None

    assert "Back to the top" in bot.driver.wait_for(second_page, what="the second page")
