"""The early warning, the "still recurring" alert, `/denials patterns` and its chart."""

from __future__ import annotations

from fractions import Fraction

from bot.blocks import ids
from bot.blocks.pattern_alert import alert_message, rate_words
from bot.blocks.pattern_chart import pattern_chart
from bot.blocks.patterns import not_found_message, pattern_detail_message, patterns_message
from bot.domain.pattern_rates import Counts, Trigger
from tests.support.blockkit_limits import check_blocks
from tests.unit.pattern_view_builders import (
    LONG_NAME,
    SCOPE,
    make_alert,
    make_detail,
    make_fix,
    make_patterns,
    make_row,
)
from tests.unit.view_builders import all_text

PNG = b"\x89PNG\r\n\x1a\n"


def test_rate_words_have_one_decimal() -> None:
    assert rate_words(Fraction(50, 3)) == "16.7"
    assert rate_words(Fraction(0)) == "0.0"
    assert rate_words(None) == "–"


def test_an_early_warning_names_what_repeats_claims_dollars_cause_and_offers_a_fix() -> None:
    message = alert_message(make_alert())
    text = all_text(message.blocks)
    assert message.text.startswith("⚠️ Early warning · Aetna · CO-197 authorization")
    assert "LEE, DANA · 99213" in text
    assert "*New for Aetna:* CO-197 had not come from Aetna in the 90 days before Aug 18" in text
    assert "4 denials · $1,680.00" in text
    assert "W15A1, W15A0, W14A0, W13A0" in text
    assert "*Likely cause:* The authorization is missing" in text
    buttons = [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    assert [(b["action_id"], b["value"], b["text"]["text"]) for b in buttons] == [
        (ids.PATTERN_RECORD_FIX, SCOPE, "Record a fix")
    ]
    assert check_blocks(message.blocks, limit=50) == []


def test_a_rate_warning_says_how_far_above_usual() -> None:
    view = make_alert(Trigger.RATE, window=Counts(8, 200), baseline=Counts(6, 1200))
    text = all_text(alert_message(view).blocks)
    assert "*Well above usual:* 8 denials in the 4 weeks to Sep 14 across 3 imports" in text
    assert "4.0 per 100 Aetna claims for LEE, DANA. Usual: 0.5 per 100" in text


def test_still_recurring_tags_the_fix_owner_in_the_notification_too() -> None:
    message = alert_message(make_alert(Trigger.RECURRING))
    text = all_text(message.blocks)
    assert message.text.startswith("<@UDANA> 🚨 Still recurring · Aetna")
    assert "<@UDANA> the fix recorded for this pattern has not stopped it: 4 denials" in text
    assert "in the 1 week since Sep 28, 16.7 per 100 claims; 16.7 per 100" in text
    assert "*Fix on record* (Sep 28 · owner <@UDANA>): Auth requests now name" in text
    assert "*Since the fix*\n4 denials · $1,680.00" in text
    assert "Said once for this fix." in text
    buttons = [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    assert buttons[0]["text"]["text"] == "Record a new fix"


def test_long_names_many_claims_and_markup_stay_within_slack_limits() -> None:
    claims = tuple(f"<CLAIM&{n}>" * 4 for n in range(300))
    message = alert_message(make_alert(payer=LONG_NAME, provider=LONG_NAME, claims=claims))
    assert check_blocks(message.blocks, limit=50) == []
    text = all_text(message.blocks)
    assert "<CLAIM" not in text
    assert "&lt;CLAIM&amp;0&gt;" in text
    assert "and 295 more" in text


def test_patterns_rank_rows_with_rate_trend_fix_and_verdict() -> None:
    message = patterns_message(make_patterns(3))
    text = all_text(message.blocks)
    assert "3 active patterns · $7,554.00 denied, most dollars first." in text
    assert "*1. Aetna · CO-197 authorization · LEE, DANA · 99213 (1)*" in text
    assert "7 denials · $2,519.00 · 16.7 per 100 claims in the last 4 weeks · falling" in text
    assert ":memo: Fix Sep 28 · owner <@UDANA>: Auth requests now name" in text
    assert "*Verdict: stopped*" in text
    assert ":memo: No fix on record" in text
    buttons = [b["accessory"] for b in message.blocks if b.get("accessory")]
    assert {b["action_id"] for b in buttons} == {ids.PATTERN_RECORD_FIX}


def test_many_patterns_fit_one_message() -> None:
    view = make_patterns(80)
    message = patterns_message(view)
    assert check_blocks(message.blocks, limit=50) == []
    assert "and 34 more patterns with fewer dollars" in all_text(message.blocks)


def test_no_patterns_says_so() -> None:
    view = make_patterns(0)
    assert "No repeat patterns in the last 90 days" in patterns_message(view).text


def test_one_pattern_with_its_fix_verdict_windows_and_claims() -> None:
    message = pattern_detail_message(make_detail(fix=make_fix(), claims=25), chart="dm")
    text = all_text(message.blocks)
    assert "chart, fix date marked, is in your direct messages with me" in text
    assert "\n" not in message.text
    assert "*Verdict: stopped*" in text
    assert "3 weeks before: 5 denials ($2,100.00), 14.3 per 100 claims" in text
    assert "3 weeks since: 0 denials ($0.00), 0.0 per 100 claims" in text
    assert "W0A0 · Sep 21 · $420.00 · New" in text
    assert "and 5 more" in text
    assert check_blocks(message.blocks, limit=50) == []


def test_an_unknown_pattern_says_how_to_name_one() -> None:
    assert "/denials patterns aetna 197" in not_found_message("cigna").text


def test_the_chart_is_a_png_with_the_fix_marked() -> None:
    chart = pattern_chart(make_detail(fix=make_fix()))
    assert chart is not None
    assert chart.content.startswith(PNG)
    assert chart.filename == "pattern-aetna-co-197-authorization-lee-dana-99213-1.png"
    assert "fix from Sep 28 marked" in chart.comment
    without = pattern_chart(make_detail())
    assert without is not None
    assert "marked" not in without.comment


def test_no_chart_without_claims_to_divide_by() -> None:
    detail = make_detail()
    empty = type(detail)(
        row=make_row(),
        claims=(),
        more=0,
        weeks=tuple((w, Counts(0, 0)) for w, _ in detail.weeks),
        total=detail.total,
    )
    assert pattern_chart(empty) is None
