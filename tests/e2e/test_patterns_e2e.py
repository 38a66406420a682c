"""The prevention loop end to end against the Slack stand-in: a trickle of authorization
denials across weekly remittances raises one early warning in the channel; a person records a
fix from it (what changed, owner, effective date); `/denials patterns` lists the pattern with
its fix and verdict, and `/denials patterns 1` opens it with its claims and uploads its chart."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.blocks import ids
from bot.blocks.plain_text import render_text
from storage.models import PatternFix
from tests.e2e.bot_harness import CHANNEL, BotUnderTest
from tests.e2e.test_slash_commands import say, shown
from tests.support.x835 import ClaimSpec, denied, make_835, paid

MARIA, JAMES = "UMARIA", "UJAMES"
LEE, OTHER = "1497758544", "1234567893"
FIRST_MONDAY = date(2026, 8, 3)  # twelve weeks of background, then three of the trickle
TRICKLE = (1, 1, 2)


def weekly(bot: BotUnderTest, index: int, auth_denials: int) -> None:
    day = FIRST_MONDAY + timedelta(weeks=index)
    stamp = f"{day:%Y%m%d}"
    claims: list[ClaimSpec] = [paid(f"W{index}P{n}", npi=OTHER) for n in range(20)]
    claims += [paid(f"W{index}L{n}", npi=LEE) for n in range(6)]
    claims.append(denied(f"W{index}D0", carc="16", amount="80", npi=OTHER))
    claims += [
        denied(f"W{index}A{n}", carc="197", amount="420", npi=LEE) for n in range(auth_denials)
    ]
    data = make_835(claims, check=f"CHK{index}", production_date=stamp, payment_date=stamp)
    outcome = bot.import_bytes(data, f"remit-{stamp}.835")
    assert outcome.status == "imported", outcome.summary_line()
    bot.post_cards()


def test_alert_record_a_fix_from_it_list_patterns_and_get_the_chart(bot: BotUnderTest) -> None:
    for index in range(12):
        weekly(bot, index, 0)
    for offset, count in enumerate(TRICKLE):
        weekly(bot, 12 + offset, count)

    alerts = [m for m in bot.cards() if m.text.startswith("⚠️ Early warning")]
    assert len(alerts) == 1
    alert = alerts[0]
    assert "Aetna · CO-197 authorization · LEE, DANA · 99213" in alert.text
    text = render_text(alert.blocks)
    assert "4 denials · $1,680.00" in text
    assert "Likely cause:" in text

    # Record a fix from the alert: the form asks what changed, who owns it, from when.
    button = next(e for b in alert.blocks if b["type"] == "actions" for e in b["elements"])
    assert (
        bot.driver.block_action(
            ids.PATTERN_RECORD_FIX,
            button["value"],
            user=MARIA,
            channel=CHANNEL,
            message_ts=alert.ts,
        ).status
        == 200
    )
    form = bot.driver.wait_for(lambda: bot.slack.views(MARIA), what="the Record a fix form")[-1]
    assert form.callback_id == ids.RECORD_FIX_MODAL
    effective = date(2026, 11, 16)
    answer = bot.driver.view_submission(
        ids.RECORD_FIX_MODAL,
        {
            ids.RECORD_FIX_TEXT_BLOCK: {
                ids.RECORD_FIX_TEXT_INPUT: "Auth requests now name the rendering provider"
            },
            ids.RECORD_FIX_OWNER_BLOCK: {
                ids.RECORD_FIX_OWNER_INPUT: {"type": "users_select", "selected_user": JAMES}
            },
            ids.RECORD_FIX_DATE_BLOCK: {ids.RECORD_FIX_DATE_INPUT: effective},
        },
        user=MARIA,
    )
    assert answer.status == 200

    def recorded() -> PatternFix | None:
        with bot.deps.sessions() as session:
            return session.scalars(select(PatternFix)).first()

    fix = bot.driver.wait_for(recorded, what="the fix to be stored")
    assert (fix.owner, fix.effective_on, fix.pattern_key) == (JAMES, effective, button["value"])
    note = bot.driver.wait_for(
        lambda: bot.slack.thread(CHANNEL, alert.ts), what="the fix noted under the alert"
    )
    assert f"<@{MARIA}> recorded a fix: Auth requests now name the rendering provider" in (
        note[0].text
    )
    assert f"owner <@{JAMES}>, from Nov 16" in note[0].text

    # /denials patterns: the pattern, most dollars first, with its fix and verdict.
    listed = shown(say(bot, "patterns", user=MARIA))
    assert "Repeat patterns · last 90 days" in listed
    assert "1. Aetna · CO-197 authorization · LEE, DANA · 99213" in listed
    assert "Verdict: no change yet: no claims since" in listed

    # One pattern: its claims, and its weekly chart uploaded to the asker's DM.
    reply = say(bot, "patterns 1", user=MARIA)
    detail = shown(reply)
    assert "W14A1 · Nov 9 · $420.00 · New" in detail
    assert "is in your direct messages with me" in detail
    dm = bot.driver.wait_for(lambda: bot.slack.dms(MARIA), what="the chart in a DM")
    assert dm[0].files[0]["name"] == ("pattern-aetna-co-197-authorization-lee-dana-99213.png")
    assert "fix from Nov 16 marked" in dm[0].text

    # Record a fix from the list too (an answer only the asker sees: no message to point at).
    assert (
        bot.driver.block_action(
            ids.PATTERN_RECORD_FIX, button["value"], user=JAMES, channel=CHANNEL
        ).status
        == 200
    )
    bot.driver.wait_for(lambda: bot.slack.views(JAMES), what="the form from the list")
    bot.driver.view_submission(
        ids.RECORD_FIX_MODAL,
        {ids.RECORD_FIX_TEXT_BLOCK: {ids.RECORD_FIX_TEXT_INPUT: "Portal check before booking"}},
        user=JAMES,
    )

    def two() -> list[PatternFix] | None:
        with bot.deps.sessions() as session:
            fixes = list(session.scalars(select(PatternFix).order_by(PatternFix.id)))
        return fixes if len(fixes) == 2 else None

    second = bot.driver.wait_for(two, what="the second fix")[1]
    # blank owner and date: whoever recorded it, from today
    assert (second.owner, second.effective_on) == (JAMES, bot.deps.clock.today())
