"""Shared formatting: money, dates, escaping and cutting."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.blocks.text import clip, escape, long_date, money, short_date, status_label, truncate


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("1450"), "$1,450.00"),
        (Decimal("0.005"), "$0.01"),
        (Decimal("-5"), "-$5.00"),
        (Decimal("1234567.891"), "$1,234,567.89"),
    ],
)
def test_money_is_dollars_with_cents_and_thousands(amount: Decimal, text: str) -> None:
    assert money(amount) == text


def test_dates() -> None:
    assert long_date(date(2027, 1, 4)) == "Jan 4, 2027"
    assert short_date(date(2026, 10, 20)) == "Oct 20"


def test_escape_only_the_three_control_characters() -> None:
    assert escape("A&B <!here> *bold* 'q'") == "A&amp;B &lt;!here&gt; *bold* 'q'"


def test_clip_never_cuts_inside_an_entity() -> None:
    for limit in range(1, 30):
        clipped = clip("&<>" * 20, limit)
        assert len(clipped) <= limit
        assert (
            clipped.rstrip("…").replace("&amp;", "").replace("&lt;", "").replace("&gt;", "") == ""
        )


def test_truncate_ends_with_an_ellipsis() -> None:
    assert truncate("abcdef", 4) == "abc…"
    assert truncate("abc", 4) == "abc"


def test_status_labels() -> None:
    assert status_label("in_progress") == "In progress"
    assert status_label("some_new_status") == "Some new status"
