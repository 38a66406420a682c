"""The monthly pattern review: first business day, once per month and manager, with fixes."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.domain.rulebook import Rulebook
from bot.services.pattern_fixes import record_fix
from storage.models import Denial
from tests.integration.jobs_support import (
    CHANNEL,
    MANAGER,
    MANAGER_2,
    JobBot,
    at,
)
from tests.support.slack_standin import SlackStandIn
from tests.support.x835 import Line, denied
from tests.unit.view_builders import all_text


@pytest.fixture
def bot(
    settings: Settings, sessions: sessionmaker[Session], rulebook: Rulebook, slack: SlackStandIn
) -> JobBot:
    return JobBot.build(settings, sessions, rulebook, slack, managers=(MANAGER, MANAGER_2))


def october_and_september(bot: JobBot) -> None:
    """Four CO-197 denials for 99213 in October (two in September); one CO-27 in October."""
    october = [denied(f"OCT{i}") for i in range(4)] + [denied("ELIG1", carc="27")]
    bot.import_835(october, on=date(2026, 10, 21), production_date="20261020", check="OCT")
    # (the notice date is the earlier of DTM*405 and BPR16, which defaults to Oct 16)
    september = [denied(f"SEP{i}") for i in range(2)]
    bot.import_835(
        september, on=date(2026, 9, 11), production_date="20260910", check="SEP", name="sep.835"
    )
    other_cpt = denied("OCT9")
    other_cpt.lines = [Line(code="97110", billed="100", paid="0", cas=[("CO", "197", "100")])]
    bot.import_835([other_cpt], on=date(2026, 10, 22), production_date="20261021", check="X")


def test_the_review_goes_to_each_manager_on_the_first_business_day_once(bot: JobBot) -> None:
    october_and_september(bot)
    # November 2026 begins on a Sunday: the review is due Monday the 2nd at 8:00 EST
    assert bot.run("patterns", at(2026, 11, 1, 12)).sent == []
    assert bot.run("patterns", at(2026, 11, 2, 7, 59)).sent == []
    report = bot.run("patterns", at(2026, 11, 2, 8))
    assert report.sent == [
        f"pattern review for October 2026 sent to <@{MANAGER}>",
        f"pattern review for October 2026 sent to <@{MANAGER_2}>",
    ]
    for moment in (at(2026, 11, 2, 9), at(2026, 11, 16), at(2026, 11, 30, 23)):
        bot.run("patterns", moment)
    for manager in (MANAGER, MANAGER_2):
        assert len(bot.dm_texts(manager)) == 1

    text = all_text(bot.slack.dms(MANAGER)[0].blocks)
    assert "*1 repeat pattern* in October 2026: 6 denials · $600.00" in text
    assert "(September 2026: 2 · $200.00)" in text
    assert "*Aetna · Authorization · CO-197 · LEE, DANA · 99213*" in text
    assert "4 denials · $400.00 (September 2026: 2 · $200.00 ↑)" in text
    assert "Check the authorization at scheduling" in text
    assert "No fix recorded yet" in text

    bot.run("patterns", at(2026, 12, 1, 8))  # Tuesday December 1: November's review
    assert len(bot.dm_texts()) == 2
    assert "No repeat patterns in November 2026" in bot.dm_texts()[1]


def test_a_recorded_fix_is_shown_beside_the_usual_one(bot: JobBot) -> None:
    october_and_september(bot)
    with bot.deps.sessions() as session:
        post_id = session.scalar(select(Denial.post_id).where(Denial.claim_number == "OCT1"))
    assert post_id is not None
    record_fix(
        bot.deps.sessions, post_id, "Auth checked at booking", "slack:T1:UDANA", at(2026, 10, 23)
    )
    bot.run("patterns", at(2026, 11, 2, 8))
    text = all_text(bot.slack.dms(MANAGER)[0].blocks)
    assert ":memo: Fix recorded Oct 23 by <@UDANA>: Auth checked at booking" in text


def test_a_review_missed_while_down_goes_out_later_that_month_once(bot: JobBot) -> None:
    october_and_september(bot)
    bot.run("patterns", at(2026, 11, 18, 15))
    bot.run("patterns", at(2026, 11, 18, 16))
    assert len(bot.dm_texts()) == 1


def test_without_managers_the_review_is_posted_in_the_channel(
    settings: Settings, sessions: sessionmaker[Session], rulebook: Rulebook, slack: SlackStandIn
) -> None:
    bot = JobBot.build(settings, sessions, rulebook, slack, managers=())
    october_and_september(bot)
    bot.run("patterns", at(2026, 11, 2, 8))
    bot.run("patterns", at(2026, 11, 2, 9))
    posted = [m.text for m in bot.slack.messages(CHANNEL)]
    assert len(posted) == 1
    assert posted[0].startswith("🔁 Repeat denial patterns · October 2026")


def test_the_review_of_january_looks_back_at_december(bot: JobBot) -> None:
    bot.import_835(
        [denied("DEC1"), denied("DEC2")],
        on=date(2026, 12, 15),
        production_date="20261214",
        payment_date="20261215",
    )
    bot.run("patterns", at(2027, 1, 1, 8))  # Friday January 1 is the first business day
    assert bot.dm_texts()[0].startswith("🔁 Repeat denial patterns · December 2026")
    assert "(November 2026: 0 · $0.00)" in bot.dm_texts()[0]
