"""The prevention loop on generated weekly remittances: a trickle that crosses the early-warning
threshold is alerted once, a steady background rate never; a fix is measured until its verdict
says "stopped", or, where the denials continue, one "still recurring" alert tags its owner."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.domain.rulebook import Rulebook
from bot.services.pattern_fixes import record_pattern_fix
from bot.services.patterns import fix_verdicts, pattern_detail, patterns_view
from storage.models import PatternAlert, PatternFix
from tests.integration.jobs_support import CHANNEL, MANAGER, NY, JobBot, at
from tests.support.slack_standin import SlackStandIn
from tests.support.x835 import ClaimSpec, denied, paid
from tests.unit.view_builders import all_text

LEE = "1497758544"  # the rendering provider whose authorizations stop matching
OTHER = "1234567893"
FIRST_MONDAY = date(2026, 6, 1)
BACKGROUND_WEEKS = 13  # June to August: the practice's own base rate
TRICKLE = (1, 1, 2, 2)  # CO-197 denials for Dr. Lee in the four remittances after that


@pytest.fixture
def bot(
    settings: Settings, sessions: sessionmaker[Session], rulebook: Rulebook, slack: SlackStandIn
) -> JobBot:
    return JobBot.build(settings, sessions, rulebook, slack, managers=(MANAGER,))


def week(index: int) -> date:
    return FIRST_MONDAY + timedelta(weeks=index)


def remittance(bot: JobBot, index: int, *, auth_denials: int = 0) -> None:
    """One weekly Aetna remittance: 30 paid claims for one provider, 10 for Dr. Lee, two CO-16
    denials (the steady background), and `auth_denials` CO-197 denials for Dr. Lee."""
    day = week(index)
    stamp = f"{day:%Y%m%d}"
    claims: list[ClaimSpec] = [paid(f"W{index}P{n}", npi=OTHER) for n in range(30)]
    claims += [paid(f"W{index}L{n}", npi=LEE) for n in range(10)]
    claims += [denied(f"W{index}D{n}", carc="16", amount="80", npi=OTHER) for n in range(2)]
    claims += [
        denied(f"W{index}A{n}", carc="197", amount="420", npi=LEE) for n in range(auth_denials)
    ]
    bot.import_835(
        claims,
        on=day + timedelta(days=1),
        name=f"remit-{stamp}.835",
        check=f"CHK{index}",
        production_date=stamp,
        payment_date=stamp,
    )
    bot.run("post", at(day.year, day.month, day.day, 12) + timedelta(days=1))


def alerts_posted(bot: JobBot, words: str) -> list[str]:
    return [m.text for m in bot.slack.messages(CHANNEL) if words in m.text]


def trickle(bot: JobBot) -> list[int]:
    """The background quarter, then the trickle; how many early warnings after each import."""
    for index in range(BACKGROUND_WEEKS):
        remittance(bot, index)
    seen = []
    for offset, count in enumerate(TRICKLE):
        remittance(bot, BACKGROUND_WEEKS + offset, auth_denials=count)
        seen.append(len(alerts_posted(bot, "Early warning")))
    return seen


def record_the_fix(bot: JobBot) -> str:
    with bot.deps.sessions() as session:
        scope = session.scalars(select(PatternAlert.scope)).one()
    effective = week(BACKGROUND_WEEKS + len(TRICKLE))
    done = record_pattern_fix(
        bot.deps.sessions,
        scope,
        "Auth requests now name the rendering provider",
        "slack:T1:UJAMES",
        datetime.combine(effective, time(9), NY),
        owner=MANAGER,
        effective_on=effective,
    )
    assert done.ok
    return scope


def test_a_trickle_is_alerted_once_when_it_crosses_the_threshold(bot: JobBot) -> None:
    assert trickle(bot) == [0, 0, 1, 1]
    (alert,) = alerts_posted(bot, "Early warning")
    assert "Aetna · CO-197 authorization" in alert
    assert "4 denials · $1,680.00" in alert  # claims and dollars so far (1 + 1 + 2)
    with bot.deps.sessions() as session:
        rows = session.execute(select(PatternAlert.scope, PatternAlert.trigger)).all()
    # named by the provider and CPT where the denials concentrate
    assert [(r.scope.split("|")[3:], r.trigger) for r in rows] == [([LEE, "99213"], "new")]


def test_a_steady_background_rate_does_not_alert(bot: JobBot) -> None:
    for index in range(BACKGROUND_WEEKS + 8):
        remittance(bot, index)
    assert alerts_posted(bot, "Early warning") == []
    with bot.deps.sessions() as session:
        assert session.scalar(select(func.count()).select_from(PatternAlert)) == 0


def test_a_fix_that_works_is_measured_until_it_says_stopped(bot: JobBot) -> None:
    trickle(bot)
    scope = record_the_fix(bot)
    first_after = BACKGROUND_WEEKS + len(TRICKLE)
    remittance(bot, first_after)  # one week: too soon to say
    today = week(first_after) + timedelta(days=1)
    row = next(r for r in patterns_view(bot.deps.sessions, today).rows if r.scope_key == scope)
    assert row.fix is not None
    assert row.fix.verdict == "no change yet: under a week of data"
    for index in range(first_after + 1, first_after + 4):
        remittance(bot, index)
    today = week(first_after + 3) + timedelta(days=1)
    row = next(r for r in patterns_view(bot.deps.sessions, today).rows if r.scope_key == scope)
    assert row.fix is not None
    assert row.fix.verdict == "stopped"
    assert (row.fix.after.denials, row.fix.after.rate) == (0, 0)
    # the same 22 days before the fix (Sep 6-27) held 1 + 2 + 2 of the trickle
    assert (row.fix.before.denials, row.fix.before.dollars) == (5, Decimal("2100.00"))
    assert fix_verdicts(bot.deps.sessions, today)[scope] == "stopped"
    bot.run("digest", at(2026, 10, 26, 8))  # the Monday digest says the same
    digest = all_text(bot.slack.messages(CHANNEL)[-1].blocks)
    assert "LEE, DANA: 6 claims in 90 days (fix recorded Sep 28: stopped)" in digest
    detail, _ = pattern_detail(bot.deps.sessions, "aetna 197", today)
    assert detail is not None
    assert [c.claim for c in detail.claims][:2] == [f"W{BACKGROUND_WEEKS + 3}A1"] * 1 + [
        f"W{BACKGROUND_WEEKS + 3}A0"
    ]
    weekly = {w: c.rate for w, c in detail.weeks}
    assert weekly[week(first_after + 3)] == 0  # the rate fell to zero after the fix
    assert alerts_posted(bot, "Still recurring") == []


def test_a_pattern_that_continues_after_its_fix_alerts_once_tagging_its_owner(
    bot: JobBot,
) -> None:
    trickle(bot)
    record_the_fix(bot)
    first_after = BACKGROUND_WEEKS + len(TRICKLE)
    for index in range(first_after, first_after + 4):
        remittance(bot, index, auth_denials=2)
    (alert,) = alerts_posted(bot, "Still recurring")
    assert f"<@{MANAGER}>" in alert
    assert len(alerts_posted(bot, "Early warning")) == 1  # no second early warning either
    with bot.deps.sessions() as session:
        fix_id = session.scalars(select(PatternFix.id)).one()
        keys = session.scalars(select(PatternAlert.key).order_by(PatternAlert.id)).all()
    assert keys[1:] == [f"fix:{fix_id}"]
    bot.run("patterns", at(2026, 11, 2, 9))  # October's review: the same verdict
    review = all_text(bot.slack.dms(MANAGER)[-1].blocks)
    assert ":memo: Fix recorded Sep 28 by <@UJAMES>: Auth requests now name" in review
    assert "*Verdict: still recurring*" in review


def test_a_pattern_back_after_a_quiet_period_is_alerted_again(bot: JobBot) -> None:
    trickle(bot)
    quiet = BACKGROUND_WEEKS + len(TRICKLE)
    for index in range(quiet, quiet + 9):  # nine weeks without it
        remittance(bot, index)
    back = quiet + 9
    for offset in range(3):  # back at two a week: not new any more, but well above its rate
        remittance(bot, back + offset, auth_denials=2)
        assert len(alerts_posted(bot, "Early warning")) == (2 if offset == 2 else 1)
    with bot.deps.sessions() as session:
        rows = session.execute(
            select(PatternAlert.key, PatternAlert.trigger).order_by(PatternAlert.id)
        ).all()
    assert [(k.rsplit("#")[1], t) for k, t in rows] == [("1", "new"), ("2", "rate")]


def test_the_grouped_cards_90_days_count_by_denial_date_not_import_date(bot: JobBot) -> None:
    """Two files imported a day apart: the older remittance's denials are from August, more than
    90 days before the burst's; the grouped card does not count them."""
    august = [denied(f"AUG{n}", amount="100", npi=LEE) for n in range(3)]
    bot.import_835(
        august,
        on=date(2026, 11, 20),
        name="late-august.835",
        check="AUG",
        production_date="20260801",
        payment_date="20260801",
    )
    burst = [denied(f"NOV{n}", amount="100", npi=LEE) for n in range(3)]
    bot.import_835(
        burst,
        on=date(2026, 11, 21),
        name="november.835",
        check="NOV",
        production_date="20261115",
        payment_date="20261115",
    )
    bot.run("post", at(2026, 11, 21, 12))
    groups = [m.text for m in bot.cards() if m.text.startswith("3 denials · Aetna")]
    assert len(groups) == 2  # by import date, the second would count 6
    assert groups[1].endswith("repeat pattern: 3 in the last 90 days")


def test_a_fix_for_a_pattern_no_payer_has_is_refused(bot: JobBot) -> None:
    now = datetime(2026, 11, 2, 9, tzinfo=NY)
    for key in ("p999|authorization|CO-197|*|*", "not a pattern", "p1|a"):
        assert not record_pattern_fix(bot.deps.sessions, key, "x", "slack:T1:U1", now).ok
    with bot.deps.sessions() as session:
        assert session.scalar(select(func.count()).select_from(PatternFix)) == 0
