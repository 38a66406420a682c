"""A week in #denials (issue 14): imports, clicks and the nightly card refresh, against the Slack
stand-in, and every card shown each day tells the truth of that day: what the database says,
drawn as of that day, with the countdown, the state and the grouped card's progress moving."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks import ids
from bot.bootstrap import Runtime
from bot.clock import Clock
from bot.jobs.context import build_jobs
from bot.jobs.scheduler import run_now
from bot.services.importing import ImportContext, import_file
from storage.models import Denial, SlackPost
from tests.e2e.bot_harness import CHANNEL, BotUnderTest, e2e_settings, rulebook_for, running_bot
from tests.support.slack_standin import SlackStandIn
from tests.support.x835 import denied, make_835, paid

MARIA, JAMES = "UMARIA", "UJAMES"
MONDAY = date(2026, 11, 30)
WEEK = [MONDAY + timedelta(days=n) for n in range(7)]


class Week:
    """The bot as it runs on each day of the week, over one database and one Slack."""

    def __init__(self, database_url: str, sessions: sessionmaker[Session], slack: SlackStandIn):
        self.settings = e2e_settings(database_url, slack)
        self.sessions = sessions
        self.slack = slack
        self.refresh_edits: dict[date, int] = {}

    @contextmanager
    def day(self, today: date) -> Iterator[BotUnderTest]:
        """The bot on `today`: the nightly refresh has run (just after midnight), then the
        posting job; the test then imports and clicks; every card must read as of `today`."""
        clock = Clock(self.settings.zone, today)
        runtime = Runtime(
            self.settings,
            self.sessions.kw["bind"],
            self.sessions,
            rulebook_for(self.settings),
            clock,
        )
        with running_bot(self.settings, self.slack, runtime, today=today) as bot:
            jobs = build_jobs(bot.deps)
            before = len(self.slack.calls("chat.update"))
            after_midnight = datetime.combine(today, time(0, 10), self.settings.zone)
            run_now(jobs, "refresh", after_midnight, manual=False)
            while bot.deps.poster.post_pending().updated:
                pass
            self.refresh_edits[today] = len(self.slack.calls("chat.update")) - before
            yield bot
            bot.post_cards()
        # the bot has finished the day's work (running_bot waits for it): read every card
        self.assert_every_card_tells_the_truth(bot, today)

    def assert_every_card_tells_the_truth(self, bot: BotUnderTest, today: date) -> None:
        renderer = bot.deps.poster.renderer
        with self.sessions() as session:
            posts = session.scalars(select(SlackPost).where(SlackPost.ts.is_not(None))).all()
            for post in posts:
                truth = renderer.render(session, post, today=today)
                shown = bot.slack.message(CHANNEL, str(post.ts))
                assert shown is not None
                assert (shown.text, shown.blocks) == (truth.text, truth.blocks), (today, post.id)

    def card(self, claim: str) -> Any:
        with self.sessions() as session:
            ts = session.scalar(
                select(SlackPost.ts)
                .join(Denial, Denial.post_id == SlackPost.id)
                .where(Denial.claim_number == claim)
            )
        message = self.slack.message(CHANNEL, str(ts))
        assert message is not None
        return message

    def words(self, claim: str) -> str:
        """What a person reads on the card of `claim`: its blocks' texts, one a line."""
        return "\n".join(texts(self.card(claim).blocks))

    def header(self, claim: str) -> str:
        return str(self.card(claim).blocks[0]["text"]["text"])


def texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["text"]] if isinstance(node.get("text"), str) else []
        return (
            own
            + [t for key, value in node.items() if key != "text" for t in texts(value)]
            + (texts(node["text"]) if isinstance(node.get("text"), dict) else [])
        )
    if isinstance(node, list):
        return [t for item in node for t in texts(item)]
    return []


def import_on(bot: BotUnderTest, data: bytes, name: str, today: date) -> None:
    context = ImportContext(
        sessions=bot.deps.sessions,
        rulebook=bot.deps.rulebook,
        actor="cli:test",
        now=datetime.combine(today, time(9), bot.deps.clock.zone).astimezone(UTC),
        today=today,
    )
    outcome = import_file(data, context, file_name=name)
    assert outcome.status == "imported", outcome.summary_line()


def click(bot: BotUnderTest, week: Week, claim: str, action: str, **kw: Any) -> None:
    """A click on the card of `claim`; waits until the card is edited (a change) or a form
    opens for the one who clicked."""
    card = week.card(claim)
    edits, forms = card.edits, len(bot.slack.views(kw.get("user")))
    answer = bot.driver.block_action(action, channel=CHANNEL, message_ts=card.ts, **kw)
    assert answer.status == 200
    bot.driver.wait_for(
        lambda: week.card(claim).edits > edits or len(bot.slack.views(kw.get("user"))) > forms,
        what=f"the click on {claim}",
    )


def test_a_week_of_cards_each_day_telling_that_days_truth(
    database_url: str, sessions: sessionmaker[Session], slack: SlackStandIn
) -> None:
    week = Week(database_url, sessions, slack)
    monday, tuesday, wednesday, thursday, friday, saturday, sunday = WEEK

    with week.day(monday) as bot:
        no_appeal = denied("PCN2", carc="16")
        no_appeal.lines[0].rarcs.append("MA130")
        remit = [denied("PCN1", carc="197"), no_appeal, denied("PCN3", carc="27")]
        remit += [denied(f"PCN{n}", carc="50", npi="1111111111") for n in (4, 5, 6)]
        import_on(bot, make_835(remit), "remit_monday.835", monday)
        with sessions() as session, session.begin():
            dates = {"PCN1": date(2026, 12, 4), "PCN3": date(2027, 3, 1)}
            for claim, due in dates.items():
                session.execute(
                    update(Denial).where(Denial.claim_number == claim).values(deadline=due)
                )
            session.execute(
                update(Denial)
                .where(Denial.claim_number.in_(("PCN4", "PCN5", "PCN6")))
                .values(deadline=date(2026, 12, 4))
            )
        bot.post_cards()
        assert len(bot.cards()) == 4  # three cards and one grouped card of three
    assert "Appeal by Dec 4, 2026 · :warning: 4 days left" in week.words("PCN1")
    assert "Appeal by Mar 1, 2027\n" in week.words("PCN3")  # far: the date alone
    assert "Corrected claim sent" in week.words("PCN2")  # no appeal rights: the main button
    assert "*Progress* 0 of 3 worked" in week.words("PCN4")

    with week.day(tuesday) as bot:
        assert week.refresh_edits[tuesday] == 2  # PCN1 and the group count down; far ones stay
        assert "3 days left" in week.words("PCN1")
        click(bot, week, "PCN1", ids.ASSIGN_SELECT, selected_user=JAMES, user=MARIA)
        click(
            bot,
            week,
            "PCN4",
            ids.GROUP_ROOT_CAUSE_SELECT,
            selected_option="medical_necessity",
            user=MARIA,
        )
    assert "In progress · <@UJAMES>" in week.words("PCN1")
    assert "*Root cause* Medical necessity (set by <@UMARIA>)" in week.words("PCN4")

    with week.day(wednesday) as bot:
        click(bot, week, "PCN1", ids.LOG_APPEAL_BUTTON, user=JAMES, value=None)
        answer = bot.driver.view_submission(
            ids.APPEAL_MODAL, appeal(wednesday, "88-2231"), user=JAMES
        )
        assert answer.status == 200
        bot.driver.wait_for(lambda: "Appeal sent" in week.header("PCN1"), what="card moved on")
        click(bot, week, "PCN4", ids.GROUP_ASSIGN_SELECT, selected_user=JAMES, user=MARIA)
    assert week.header("PCN1") == ":large_orange_circle: Appeal sent · Aetna · $100.00"
    assert "*Appeal sent* Dec 2 by <@UJAMES> · level 1 · portal · ref 88-2231" in week.words("PCN1")
    assert "Log outcome" in week.words("PCN1")
    assert "Log appeal" not in week.words("PCN1")
    assert "*Owner* <@UJAMES>" in week.words("PCN4")

    with week.day(thursday) as bot:
        assert "Appeal by" not in week.words("PCN1")  # sent: no countdown left to edit
        click(bot, week, "PCN2", ids.CORRECTED_BUTTON, user=MARIA)
        later = make_835(
            [paid("PCN4")], production_date="20261203", payment_date="20261203", check="CHK2"
        )
        import_on(bot, later, "remit_thursday.835", thursday)
    assert "Mark paid" in week.words("PCN2")
    assert "Nothing until the payment arrives" in week.words("PCN2")
    assert "1 of 3 worked · 1 recovered ($100.00)" in week.words("PCN4")
    assert ":warning: due tomorrow" in week.words("PCN4")

    with week.day(friday):
        assert ":warning: due today" in week.words("PCN4")
    with week.day(saturday):
        assert ":rotating_light: overdue by 1 day" in week.words("PCN4")
        assert week.refresh_edits[saturday] >= 1
    with week.day(sunday) as bot:
        assert "overdue by 2 days" in week.words("PCN4")
        click(bot, week, "PCN1", ids.LOG_OUTCOME_BUTTON, user=JAMES, value=None)
        won = {
            ids.OUTCOME_RESULT_BLOCK: {
                ids.OUTCOME_RESULT_INPUT: {
                    "type": "static_select",
                    "selected_option": {"value": "won"},
                }
            },
            ids.OUTCOME_DECIDED_BLOCK: {
                ids.OUTCOME_DECIDED_INPUT: {
                    "type": "datepicker",
                    "selected_date": sunday.isoformat(),
                }
            },
        }
        assert bot.driver.view_submission(ids.OUTCOME_MODAL, won, user=JAMES).status == 200
        bot.driver.wait_for(lambda: "Recovered" in week.header("PCN1"), what="recovered")
    assert week.header("PCN1") == ":white_check_mark: Recovered $100.00 · Aetna"
    assert "worked by <@UJAMES>" in week.words("PCN1")
    # the far card was never edited by the nightly refresh: its words did not change
    assert week.card("PCN3").edits == 0


def appeal(day: date, reference: str) -> dict[str, Any]:
    return {
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
            ids.APPEAL_SENT_ON_INPUT: {"type": "datepicker", "selected_date": day.isoformat()}
        },
        ids.APPEAL_REFERENCE_BLOCK: {ids.APPEAL_REFERENCE_INPUT: reference},
    }
