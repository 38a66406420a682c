"""`/denials due`: totals, urgency groups, one line per denial with Open, capped."""

from __future__ import annotations

from decimal import Decimal

from bot.blocks import ids
from bot.blocks.due_list import due_list
from bot.blocks.views import BandTotal
from bot.domain.urgency import Band
from tests.unit.view_builders import (
    action_ids,
    all_text,
    assert_valid_blocks,
    make_due,
    make_row,
    make_rows,
)


def test_rows_are_grouped_by_urgency_under_a_totals_line() -> None:
    rows = (
        make_row(days_left=10, denial_id=4, claim_number="LATER1"),
        make_row(days_left=-2, denial_id=1, claim_number="5101Z88003"),
        make_row(days_left=2, denial_id=2, claim_number="SOON1"),
        make_row(days_left=6, denial_id=3, claim_number="WEEK1", assignee=None),
        make_row(days_left=-1, denial_id=5, claim_number="LATE1", amount=Decimal("410.00")),
    )
    message = due_list(make_due(rows))
    assert_valid_blocks(message.blocks)
    assert message.text == "Due in the next 14 days: 5 denials · $1,130.00 (2 overdue)"
    lines = [b["text"]["text"] for b in message.blocks]
    assert lines == [
        "*Due in the next 14 days: 5 denials · $1,130.00 (2 overdue)*",
        ":rotating_light: *Overdue, still appealable* (2)",
        "LATE1 · Cigna · $410.00 · Eligibility · <@UJAMES> · 1 day over",
        "5101Z88003 · Cigna · $180.00 · Eligibility · <@UJAMES> · 2 days over",
        ":warning: *Due in 3 days or less* (1)",
        "SOON1 · Cigna · $180.00 · Eligibility · <@UJAMES> · 2 days left",
        "*Later this week* (1)",
        "WEEK1 · Cigna · $180.00 · Eligibility · Unassigned · 6 days left",
        "*Later* (1)",
        "LATER1 · Cigna · $180.00 · Eligibility · <@UJAMES> · 10 days left",
    ]


def test_a_row_links_to_its_card_instead_of_an_open_button() -> None:
    link = "https://standin.slack.com/archives/C1/p1700000000000100"
    message = due_list(make_due((make_row(link=link),)))
    row = message.blocks[-1]
    assert row["text"]["text"].startswith(f"<{link}|5101Z88003> · Cigna")
    assert "accessory" not in row


def test_a_grouped_cards_denials_are_one_row() -> None:
    group = make_row(days_left=1, group_count=24, amount=Decimal("5110.00"), mixed_owners=True)
    text = all_text(due_list(make_due((group,), total=24)).blocks)
    assert (
        ":repeat: 24 denials like 5101Z88003 · Cigna · $5,110.00 · Eligibility · several owners"
        " · earliest 1 day left"
    ) in text


def test_denials_past_every_window_are_one_line_for_write_off_review() -> None:
    rows = (make_row(days_left=1, claim_number="SOON1"),)
    lapsed = BandTotal(Band.LAPSED, 212, Decimal("48120"))
    message = due_list(make_due(rows, lapsed=lapsed))
    text = all_text(message.blocks)
    assert (
        ":hourglass: Also 212 lapsed, $48,120.00: more than 30 days past the deadline. "
        "Review them for write-off."
    ) in text
    assert message.text.startswith("Due in the next 14 days: 1 denial · $180.00")


def test_each_row_has_an_open_button_with_the_denial_id() -> None:
    message = due_list(make_due((make_row(denial_id=1042),)))
    button = message.blocks[-1]["accessory"]
    assert (button["text"]["text"], button["value"]) == ("Open", "1042")
    assert action_ids(message.blocks) == {ids.OPEN_CARD_BUTTON}


def test_nothing_due_says_so() -> None:
    message = due_list(make_due(()))
    assert message.text == "Nothing is due in the next 14 days."
    filtered = due_list(make_due((), filter_description="unassigned", window_days=1))
    assert filtered.text == "Nothing unassigned is due in the next 1 day."
    mine = due_list(make_due((), filter_description="mine"))
    assert mine.text == "Nothing assigned to you is due in the next 14 days."
    theirs = due_list(make_due((), filter_description="<@U2>"))
    assert theirs.text == "Nothing assigned to <@U2> is due in the next 14 days."


def test_a_grouped_cards_claims_are_titled_without_a_window_of_days() -> None:
    message = due_list(make_due((make_row(),), title="Each claim of this group", window_days=0))
    assert message.text == "Each claim of this group: 1 denial · $180.00"
    assert "days" not in message.blocks[0]["text"]["text"]


def test_a_filter_is_named_in_the_totals() -> None:
    message = due_list(make_due((make_row(),), filter_description="unassigned"))
    assert message.text.startswith("Due in the next 14 days · unassigned: 1 denial · $180.00")
    assert "overdue" not in message.text


def test_five_hundred_rows_show_one_screen_and_a_show_more_button() -> None:
    view = make_due(make_rows(500), pager="14|", unassigned=120, total=500)
    message = due_list(view)
    assert_valid_blocks(message.blocks)
    assert len(message.blocks) < 25
    assert sum(1 for b in message.blocks if "accessory" in b) == 10
    assert "Showing 1–10 of 500" in all_text(message.blocks)
    (button,) = [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    assert (button["text"]["text"], button["action_id"], button["value"]) == (
        "Show more",
        ids.DUE_MORE_BUTTON,
        "14||1",
    )
    assert "500 denials · $90,000.00 (75 overdue)" in message.text


def test_the_next_page_starts_where_the_first_ended() -> None:
    rows = make_rows(25, start=0)
    first = all_text(due_list(make_due(rows, pager="14|")).blocks)
    second = due_list(make_due(rows, pager="14|", page=1))
    text = all_text(second.blocks)
    assert "Showing 11–20 of 25" in text
    shown = [b["text"]["text"].split(" · ")[0] for b in second.blocks if "accessory" in b]
    assert len(shown) == 10
    assert not any(claim in first for claim in shown)


def test_narrowing_hints_only_offer_what_narrows() -> None:
    rows = make_rows(30, start=0)
    narrows = all_text(due_list(make_due(rows, pager="14|", unassigned=4, total=30)).blocks)
    assert "`/denials due 14 unassigned` (4 without an owner)" in narrows
    everyone = all_text(due_list(make_due(rows, pager="14|", unassigned=30, total=30)).blocks)
    assert "unassigned`" not in everyone  # all 30 are unassigned: it would narrow nothing
    mine = all_text(due_list(make_due(rows, pager="14|mine", filter_description="mine")).blocks)
    assert "`/denials due 3 mine`" in mine
    assert "unassigned`" not in mine


def test_payer_names_are_escaped() -> None:
    message = due_list(make_due((make_row(payer_name="<!channel> & co"),)))
    assert "&lt;!channel&gt; &amp; co" in all_text(message.blocks)
