"""The "Show more" button's value: what the next page of `/denials due` needs, read back."""

from __future__ import annotations

import pytest

from bot.handlers.lists import parse_pager
from bot.services.due import DueFilter, pager


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (DueFilter(), DueFilter()),
        (DueFilter(unassigned=True, description="unassigned"), None),
        (DueFilter(assignee="U1", description="mine"), None),
        (DueFilter(assignee="U2", description="<@U2>"), None),
    ],
)
def test_a_pager_is_read_back_as_it_was_written(who: DueFilter, expected: DueFilter | None) -> None:
    asked = parse_pager(pager(14, who) + "|2", "U1")
    assert asked is not None
    days, read, page = asked
    assert (days, page) == (14, 2)
    assert read == (expected or who)


def test_mine_is_whoever_clicks() -> None:
    asked = parse_pager("|mine|1", "U7")
    assert asked == (None, DueFilter(assignee="U7", description="mine"), 1)


@pytest.mark.parametrize(
    "value", ["", "14|2", "x|mine|1", "14|<!here>|1", "14|mine|-1", "14|mine|99999", "1|a|b|c"]
)
def test_a_value_this_version_did_not_write_is_refused(value: str) -> None:
    assert parse_pager(value, "U1") is None
