"""A denial card tells the truth of the day and of the denial's state (issue 14): the countdown
by band, the header, main line, next step and controls per state, and notification text a
person can read."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.blocks.denial_card import denial_card
from bot.blocks.reason_words import repeats
from bot.blocks.views import AppealView, ReasonView
from bot.domain.countdown import Band, band, decision_due
from bot.domain.findings import DeadlineKind, RootCause
from bot.domain.likely_causes import NEXT_STEP
from bot.domain.statuses import DenialStatus
from tests.unit.view_builders import TODAY, all_text, assert_valid_blocks, make_denial

APPEAL = AppealView(
    kind="appeal",
    level="1",
    method="portal",
    sent_on=date(2026, 11, 20),
    reference="88-2231",
    sent_by="UJAMES",
    decision_due=date(2027, 1, 19),
)
CORRECTED = AppealView(
    kind="corrected",
    level="corrected",
    method=None,
    sent_on=date(2026, 11, 23),
    reference=None,
    sent_by="UJAMES",
)
# Every state a card can show, with the view that gets it there.
STATES = {
    "new": make_denial(),
    "in_progress": make_denial(status="in_progress", assignee="UJAMES"),
    "appealed": make_denial(status="appealed", assignee="UJAMES", appeal=APPEAL),
    "resubmitted": make_denial(status="resubmitted", assignee="UJAMES", appeal=CORRECTED),
    "no_appeal": make_denial(no_appeal_reason="MA130", deadline_kind=DeadlineKind.RESUBMISSION),
    "recovered": make_denial(status="recovered", recovered_amount=Decimal("420")),
    "written_off": make_denial(status="written_off", assignee="UJAMES"),
}
# The bands a countdown crosses, by days left on the day the card is drawn.
BANDS = {
    15: Band.FAR,
    14: Band.TWO_WEEKS,
    7: Band.WEEK,
    3: Band.URGENT,
    1: Band.TOMORROW,
    0: Band.TODAY,
    -1: Band.OVERDUE,
    -30: Band.OVERDUE,
    -31: Band.LAPSED,
}


def main_lines(days: int) -> str:
    view = make_denial(deadline=TODAY + timedelta(days=days))
    return denial_card(view, today=TODAY).blocks[2]["text"]["text"]


def header(view: object, today: date = TODAY) -> str:
    return denial_card(view, today=today).blocks[0]["text"]["text"]  # type: ignore[arg-type]


def controls(view: object) -> tuple[str | None, list[str]]:
    """The main button's label and the ⋯ menu's labels."""
    blocks = denial_card(view, today=TODAY).blocks  # type: ignore[arg-type]
    elements = [
        e
        for b in blocks
        for e in b.get("elements", []) + ([b["accessory"]] if b.get("accessory") else [])
        if b["type"] in ("actions", "section")
    ]
    button = next((e["text"]["text"] for e in elements if e["type"] == "button"), None)
    menu = next((e for e in elements if e["type"] == "overflow"), None)
    return button, [o["text"]["text"] for o in menu["options"]] if menu else []


@pytest.mark.parametrize(("days", "expected"), BANDS.items())
def test_each_day_count_falls_in_its_band(days: int, expected: Band) -> None:
    assert band(days) is expected


@pytest.mark.parametrize(
    ("days", "line"),
    [
        (47, "Appeal by Jan 14, 2027\n"),
        (15, "Appeal by Dec 13, 2026\n"),
        (14, "Appeal by Dec 12, 2026 · 14 days left"),
        (7, "Appeal by Dec 5, 2026 · :warning: 7 days left"),
        (3, "Appeal by Dec 1, 2026 · :warning: 3 days left"),
        (1, "Appeal by Nov 29, 2026 · :warning: due tomorrow"),
        (0, "Appeal by Nov 28, 2026 · :warning: due today"),
        (-1, "Appeal by Nov 27, 2026 · :rotating_light: overdue by 1 day"),
        (-30, "Appeal by Oct 29, 2026 · :rotating_light: overdue by 30 days"),
        (-6147, "Appeal by Jan 29, 2010 · :hourglass: window closed"),
    ],
)
def test_the_countdown_is_todays_and_far_or_lapsed_deadlines_show_the_date_alone(
    days: int, line: str
) -> None:
    assert line in main_lines(days) + "\n"


def test_the_countdown_moves_with_the_day_the_card_is_drawn() -> None:
    view = make_denial(deadline=date(2026, 12, 1))
    shown = {
        day: all_text(denial_card(view, today=date(2026, 11, day)).blocks)
        for day in (10, 20, 24, 28, 30)
    }
    assert "days left" not in shown[10]  # 21 days: the date alone
    assert "11 days left" in shown[20]
    assert "7 days left" in shown[24]
    assert "3 days left" in shown[28]
    assert "due tomorrow" in shown[30]
    assert "3 days left" not in shown[30]


def test_overdue_and_lapsed_turn_the_header() -> None:
    view = make_denial()
    assert header(view, TODAY) == ":red_circle: Denied · Aetna · $420.00"
    late = TODAY + timedelta(days=48)
    assert header(view, late) == ":rotating_light: Overdue · Aetna · $420.00"
    gone = TODAY + timedelta(days=47 + 31)
    assert header(view, gone) == ":hourglass: Window closed · Aetna · $420.00"
    assert "write it off" in all_text(denial_card(view, today=gone).blocks)


def test_an_appealed_card_says_what_was_sent_and_that_the_outcome_is_next() -> None:
    message = denial_card(STATES["appealed"], today=TODAY)
    assert_valid_blocks(message.blocks)
    text = all_text(message.blocks)
    assert header(STATES["appealed"]) == ":large_orange_circle: Appeal sent · Aetna · $420.00"
    assert "*Appeal sent* Nov 20 by <@UJAMES> · level 1 · portal · ref 88-2231" in text
    assert "Decision expected by Jan 19, 2027 (the payer's 60 days)" in text
    assert "*Next step*  Log the outcome when the payer answers." in text
    assert "Appeal by" not in text  # the deadline was met
    assert controls(STATES["appealed"]) == (
        "Log outcome",
        ["Mark paid", "Write off", "Reopen", "History"],
    )
    assert message.text == (
        "Appeal sent · Aetna · $420.00 · claim 5101Z88001 · appeal sent Nov 20, 2026 · "
        "decision expected by Jan 19, 2027"
    )


def test_a_late_decision_says_to_call_the_payer() -> None:
    text = all_text(denial_card(STATES["appealed"], today=date(2027, 1, 25)).blocks)
    assert "Decision was expected by Jan 19, 2027: call the payer" in text


def test_a_resubmitted_card_waits_for_the_payment_and_never_offers_the_appeal_again() -> None:
    view = STATES["resubmitted"]
    text = all_text(denial_card(view, today=TODAY).blocks)
    assert header(view) == ":arrows_counterclockwise: Resubmitted · Aetna · $420.00"
    assert "*Corrected claim sent* Nov 23 by <@UJAMES>" in text
    assert "Nothing until the payment arrives" in text
    button, menu = controls(view)
    assert button == "Mark paid"
    assert "Log appeal" not in menu
    assert "Corrected claim sent" not in menu
    assert menu == ["Log outcome", "Write off", "Reopen", "History"]


def test_a_no_appeal_denial_offers_the_corrected_claim_not_an_appeal() -> None:
    view = STATES["no_appeal"]
    button, menu = controls(view)
    assert button == "Corrected claim sent"
    assert "Log appeal" not in menu
    assert "Draft appeal letter" not in menu
    assert "*Next step*  Correct the claim, send it again as a corrected claim" in all_text(
        denial_card(view, today=TODAY).blocks
    )


def test_a_cause_fixed_by_a_corrected_claim_makes_that_the_main_button() -> None:
    button, menu = controls(make_denial(category=RootCause.CODING))
    assert button == "Corrected claim sent"
    assert menu[0] == "Log appeal"
    assert controls(make_denial())[0] == "Log appeal"


@pytest.mark.parametrize("state", STATES)
def test_the_menu_offers_only_what_the_state_allows_within_five(state: str) -> None:
    view = STATES[state]
    button, menu = controls(view)
    assert len(menu) <= 5
    assert button not in menu
    assert ("Reopen" in menu) == (view.status not in ("new", "in_progress"))
    assert menu[-1] == "History"  # who did what, when: on every card with a menu
    if view.status in (DenialStatus.RECOVERED, DenialStatus.WRITTEN_OFF):
        assert (button, menu) == (None, ["Reopen", "History"])


@pytest.mark.parametrize("cause", list(RootCause))
def test_every_root_cause_has_its_next_step_on_the_card(cause: RootCause) -> None:
    text = all_text(denial_card(make_denial(category=cause), today=TODAY).blocks)
    assert f"*Next step*  {NEXT_STEP[cause]}" in text


def test_a_closed_card_never_says_worked_by_unassigned() -> None:
    paid = all_text(denial_card(STATES["recovered"], today=TODAY).blocks)
    assert "Unassigned" not in paid
    assert "worked by" not in paid
    written = all_text(denial_card(STATES["written_off"], today=TODAY).blocks)
    assert "worked by <@UJAMES>" in written


def test_a_remark_that_repeats_the_reason_is_left_out() -> None:
    duplicate = ReasonView("CO-18", "Duplicate claim or service: the claim duplicates one already")
    n522 = ReasonView("N522", "The claim duplicates one already processed as a crossover")
    text = all_text(
        denial_card(
            make_denial(reasons=(duplicate,), rarcs=(n522,), category=RootCause.DUPLICATE),
            today=TODAY,
        ).blocks
    )
    assert "`CO-18`" in text
    assert "N522" not in text
    assert "`N54` Claim information is inconsistent" in all_text(
        denial_card(make_denial(), today=TODAY).blocks
    )  # a remark that adds something stays


def test_words_are_compared_by_their_stems() -> None:
    assert repeats("Authorization absent", "Not authorized")
    assert not repeats("Authorization absent", "Claim does not match the services authorized")
    assert not repeats("anything", "")


def test_the_decision_is_due_only_where_a_source_says() -> None:
    assert decision_due("medicare", date(2026, 11, 20)) == date(2027, 1, 19)
    assert decision_due("aetna", date(2026, 11, 20)) is None


RAW = re.compile(r":[a-z_]+:|[*_`~]|\bNone\b|(^|\s)-(\s|$)|<[@!#]")


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("days", BANDS)
def test_notification_text_is_plain_words(state: str, days: int) -> None:
    view = STATES[state]
    text = denial_card(view, today=(view.deadline or TODAY) - timedelta(days=days)).text
    assert not RAW.search(text), text
    assert "Aetna" in text
    assert "$420.00" in text
