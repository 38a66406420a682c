"""The App Home tab."""

from __future__ import annotations

from bot.blocks import ids
from bot.blocks.home import home_view
from tests.unit.view_builders import (
    action_ids,
    all_text,
    assert_valid_view,
    make_home,
    make_rows,
)


def test_home_shows_my_denials_by_deadline_then_the_team_then_help() -> None:
    view = home_view(make_home())
    assert_valid_view(view)
    assert view["type"] == "home"
    text = all_text(view["blocks"])
    assert text.index("My denials") < text.index("The team today") < text.index("Commands")
    assert text.index("C7 · Cigna") < text.index("5101Z88003 · Cigna")  # overdue first
    assert "The team today · Nov 28, 2026" in text
    for words in ("*New*\n5", "*Unassigned*\n4", "*Due this week*\n7", "*Overdue*\n2"):
        assert words in text
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
    assert "and 360 more: `/denials due 90 mine` lists them all" in text
    assert "&lt;ARG&gt;" in text
