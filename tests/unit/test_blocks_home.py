"""The App Home tab."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from bot.blocks import ids
from bot.blocks.home import home_view
from bot.blocks.views import BandTotal
from bot.domain.urgency import Band
from tests.unit.view_builders import (
    action_ids,
    all_text,
    assert_valid_view,
    make_home,
    make_row,
    make_rows,
)


def test_home_shows_my_denials_by_deadline_then_the_team_then_help() -> None:
    view = home_view(make_home())
    assert_valid_view(view)
    assert view["type"] == "home"
    text = all_text(view["blocks"])
    assert text.index("My denials") < text.index("The team today") < text.index("Commands")
    assert text.index("C7 · Cigna") < text.index("5101Z88003 · Cigna")  # overdue first
    assert ":rotating_light: *Overdue, still appealable* (1)" in text
    assert "The team today · Nov 28, 2026" in text
    for words in (
        "*Not started*\n5",
        "*Needs an owner*\n4",
        "*Root cause to confirm*\n3",
        "*Due this week*\n7 · $2,560.00",
        ":rotating_light: *Overdue*\n2 · $310.00",
        "*Open*\n61 · $21,400.00",
    ):
        assert words in text
    assert "*New*" not in text  # "New" is a status; the digest's count is "Received"
    assert "`/denials find CLAIM`  Show the card of one claim" in text
    assert action_ids(view) == {ids.OPEN_CARD_BUTTON}


def test_nothing_assigned_points_at_the_unassigned_queue() -> None:
    view = home_view(make_home(my_rows=()))
    assert "Nothing open is assigned to you" in all_text(view["blocks"])


def test_hundreds_of_rows_and_help_lines_stay_within_a_hundred_blocks() -> None:
    help_lines = tuple((f"/denials cmd{i} <ARG>", "does a thing & more " * 20) for i in range(300))
    view = home_view(make_home(my_rows=make_rows(400), help_lines=help_lines))
    assert_valid_view(view)
    text = all_text(view["blocks"])
    assert "Showing 1–10 of 400" in text
    assert sum(1 for b in view["blocks"] if b.get("accessory")) == 10  # one screen
    assert ids.HOME_MORE_BUTTON in action_ids(view)
    assert "&lt;ARG&gt;" in text


def test_home_lists_mine_in_bands_urgent_first_with_lapsed_summed_up() -> None:
    rows = (
        make_row(days_left=12, denial_id=1, claim_number="LATER"),
        make_row(days_left=1, denial_id=2, claim_number="SOON"),
        make_row(days_left=-3, denial_id=3, claim_number="LATE3"),
        make_row(days_left=-1, denial_id=4, claim_number="LATE1"),
        make_row(days_left=-6147, denial_id=5, claim_number="ANCIENT"),
    )
    lapsed = BandTotal(Band.LAPSED, 1, Decimal("180.00"))
    home = make_home(my_rows=rows[:4])
    view = home_view(replace(home, mine=replace(home.mine, lapsed=lapsed)))
    lines = [b["text"]["text"] for b in view["blocks"] if "text" in b and b["type"] == "section"]
    assert [line.split(" · ")[0] for line in lines[1:8]] == [
        ":rotating_light: *Overdue, still appealable* (2)",
        "LATE1",
        "LATE3",
        ":warning: *Due in 3 days or less* (1)",
        "SOON",
        "*Later* (1)",
        "LATER",
    ]
    assert "ANCIENT" not in all_text(view["blocks"])
    assert "Also 1 lapsed, $180.00: more than 30 days past the deadline" in all_text(view["blocks"])


def test_a_later_page_offers_the_way_back() -> None:
    home = make_home(my_rows=make_rows(30, start=0))
    view = home_view(replace(home, mine=replace(home.mine, page=1)))
    text = all_text(view["blocks"])
    assert "Showing 11–20 of 30" in text
    buttons = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [(b["text"]["text"], b["value"]) for b in buttons] == [
        ("Show more", "2"),
        ("Back to the top", "0"),
    ]
