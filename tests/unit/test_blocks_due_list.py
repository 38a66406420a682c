"""`/denials due`: totals, urgency groups, one line per denial with Open, capped."""

from __future__ import annotations

from bot.blocks import ids
from bot.blocks.due_list import due_list
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
    )
    message = due_list(make_due(rows))
    assert_valid_blocks(message.blocks)
    assert message.text == "Due in the next 14 days: 4 denials · $720.00 (1 overdue)"
    lines = [b["text"]["text"] for b in message.blocks]
    assert lines == [
        "*Due in the next 14 days: 4 denials · $720.00 (1 overdue)*",
        ":rotating_light: *Overdue*",
        "5101Z88003 · Cigna · $180.00 · Eligibility · <@UJAMES> · 2 days over",
        ":warning: *Within 3 days*",
        "SOON1 · Cigna · $180.00 · Eligibility · <@UJAMES> · 2 days left",
        "*Within 7 days*",
        "WEEK1 · Cigna · $180.00 · Eligibility · Unassigned · 6 days left",
        "*Later*",
        "LATER1 · Cigna · $180.00 · Eligibility · <@UJAMES> · 10 days left",
    ]


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


def test_five_hundred_rows_fit_in_fifty_blocks_with_and_n_more() -> None:
    message = due_list(make_due(make_rows(500)))
    assert_valid_blocks(message.blocks)
    assert len(message.blocks) == 50
    shown = sum(1 for b in message.blocks if "accessory" in b)
    last = message.blocks[-1]
    assert last["type"] == "context"
    more = f"and {500 - shown} more: `/denials due 14 unassigned` narrows it down"
    assert last["elements"][0]["text"] == more
    assert "500 denials · $90,000.00 (75 overdue)" in message.text


def test_a_filtered_list_suggests_a_shorter_window() -> None:
    message = due_list(make_due(make_rows(100), filter_description="mine"))
    assert "`/denials due 3 mine` narrows it down" in all_text(message.blocks)


def test_payer_names_are_escaped() -> None:
    message = due_list(make_due((make_row(payer_name="<!channel> & co"),)))
    assert "&lt;!channel&gt; &amp; co" in all_text(message.blocks)
