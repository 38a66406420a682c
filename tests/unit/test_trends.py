"""Trend maths on small frames (periods, change, denial rate, overturn rate, days to appeal),
and what a manager reads and sees: the summary blocks and the weekly chart."""

from __future__ import annotations

import random
import statistics
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest

from bot.blocks.plain_text import render_text
from bot.blocks.trend_chart import trend_chart
from bot.blocks.trends import change_text, percent, trends_message
from bot.domain.trend_periods import Period, Span, months_before, week_days, week_starts
from bot.domain.trends import (
    Rate,
    Trends,
    compute_trends,
    daily_totals,
    days_to_first_appeal,
    explode_codes,
)

TODAY = date(2026, 11, 30)  # a Monday
NOW = date(2026, 11, 10)  # inside the last 30 days
BEFORE = date(2026, 10, 10)  # inside the 30 days before those
THIRTY_DAYS = Span(30, "d")


def frame(columns: list[str], rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    return pd.DataFrame.from_records(rows, columns=columns)


def trends(
    by_key: Sequence[tuple[Any, ...]] = (),
    *,
    claims: Sequence[tuple[Any, ...]] = (),
    appeals: Sequence[tuple[Any, ...]] = (),
    first_appeals: Sequence[tuple[Any, ...]] = (),
    span: Span = THIRTY_DAYS,
) -> Trends:
    keyed = frame(["day", "key", "count", "cents"], list(by_key))
    totals = keyed.groupby("day", as_index=False)[["count", "cents"]].sum()
    return compute_trends(
        span=span,
        dimension="payer",
        today=TODAY,
        by_key=keyed,
        totals=totals if len(keyed) else frame(["day", "count", "cents"], []),
        claims=frame(["day", "denied", "count", "cents"], list(claims)),
        appeals=frame(["outcome", "count", "cents"], list(appeals)),
        first_appeals=frame(["days", "count"], list(first_appeals)),
    )


# -- periods ---------------------------------------------------------------------------------


def test_the_last_30_days_end_today_and_the_previous_30_end_the_day_before() -> None:
    period = Span(30, "d").period(TODAY)
    assert period == Period(date(2026, 11, 1), TODAY)
    assert period.previous() == Period(date(2026, 10, 2), date(2026, 10, 31))
    assert period.previous().days == period.days == 30


def test_twelve_months_start_the_day_after_the_same_day_a_year_ago() -> None:
    period = Span(12, "m").period(TODAY)
    assert period == Period(date(2025, 12, 1), TODAY)
    assert period.previous().end == date(2025, 11, 30)
    assert period.previous().days == period.days


def test_a_month_back_from_the_31st_lands_on_the_months_last_day() -> None:
    assert months_before(date(2026, 5, 31), 3) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 1) == date(2025, 12, 15)


def test_weeks_run_monday_to_sunday_inside_the_period() -> None:
    period = Period(date(2026, 11, 1), TODAY)  # Sunday Nov 1 to Monday Nov 30
    weeks = week_starts(period)
    assert weeks == (
        date(2026, 11, 1),
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
        date(2026, 11, 23),
        date(2026, 11, 30),
    )
    assert all(week.weekday() == 0 for week in weeks[1:])  # Mondays
    assert [week_days(period, week) for week in weeks] == [1, 7, 7, 7, 7, 1]


def test_the_chart_adds_up_to_the_table() -> None:
    """Issue 14: Medical necessity 2 in the chart, 3 in the table (weeks ended today)."""
    rows = [(date(2026, 11, day), "Medicare", 1, 100) for day in (1, 2, 15, 30)]
    rows += [(date(2026, 11, 5), "Aetna", 2, 100), (BEFORE, "Aetna", 7, 100)]
    result = trends(rows)
    assert result.series
    for series in result.series:
        (row,) = [row for row in result.rows if row.key == series.key]
        assert sum(series.counts) == row.count


# -- counts, dollars and change --------------------------------------------------------------


def test_rows_count_each_value_against_the_previous_period() -> None:
    result = trends(
        [
            (NOW, "Aetna", 3, 30000),
            (NOW, "Cigna", 1, 5000),
            (BEFORE, "Aetna", 2, 10000),
            (BEFORE, "UHC", 1, 7000),
            (date(2026, 9, 1), "Aetna", 9, 90000),  # before both periods: not counted
        ]
    )
    assert [(r.key, r.count, r.amount, r.previous_count) for r in result.rows] == [
        ("Aetna", 3, Decimal("300.00"), 2),
        ("Cigna", 1, Decimal("50.00"), 0),
        ("UHC", 0, Decimal("0.00"), 1),
    ]
    assert [r.change for r in result.rows] == [0.5, None, -1.0]
    assert (result.count, result.amount) == (4, Decimal("350.00"))
    assert (result.previous_count, result.previous_amount) == (3, Decimal("170.00"))
    assert result.change == pytest.approx(1 / 3)


def test_codes_count_once_per_denial_and_cpt_modifiers_fold_into_the_code() -> None:
    denials = frame(  # denials per day and list of codes
        ["day", "codes", "count", "cents"],
        [
            (NOW, ["99213-25", "97110", "99213"], 1, 10000),
            (NOW, ["99213"], 3, 5000),
            (NOW, [], 1, 2000),
            (NOW, None, 1, 700),
            (BEFORE, ["99213"], 2, 4000),
        ],
    )
    exploded = explode_codes(denials, strip_modifiers=True)
    counts = {
        (row.day, row.key): (row.count, row.cents) for row in exploded.itertuples(index=False)
    }
    assert counts == {
        (NOW, "99213"): (4, 15000),
        (NOW, "97110"): (1, 10000),
        (NOW, "none"): (2, 2700),
        (BEFORE, "99213"): (2, 4000),
    }


def test_daily_totals_count_each_denial_once_whatever_its_codes() -> None:
    denials = frame(
        ["day", "codes", "count", "cents"],
        [(NOW, ["99213", "97110"], 2, 10000), (NOW, ["99213"], 1, 500), (BEFORE, [], 1, 7)],
    )
    totals = daily_totals(denials)
    assert list(totals.itertuples(index=False, name=None)) == [(BEFORE, 1, 7), (NOW, 3, 10500)]


# -- rates -----------------------------------------------------------------------------------


def test_denial_rate_by_count_and_by_dollars() -> None:
    result = trends(
        claims=[
            (NOW, False, 8, 80000),
            (NOW, True, 2, 40000),
            (BEFORE, False, 3, 30000),
            (BEFORE, True, 1, 30000),
        ]
    )
    assert result.claim_rate == Rate(2, 10)
    assert result.claim_rate.value == pytest.approx(0.2)
    assert result.dollar_rate.value == pytest.approx(1 / 3)
    assert result.previous_claim_rate.value == pytest.approx(0.25)
    assert result.previous_dollar_rate.value == pytest.approx(0.5)


def test_no_claims_means_no_rate_rather_than_zero() -> None:
    assert trends().claim_rate.value is None


def test_overturn_rate_is_won_and_partial_over_decided_and_recovers_their_dollars() -> None:
    result = trends(  # appeals decided in the period, per outcome
        appeals=[("won", 2, 42000), ("partial", 1, 10000), ("lost", 3, None), ("pending", 4, 0)]
    )
    assert result.overturn == Rate(3, 6)
    assert result.recovered == Decimal("520.00")


def test_no_decided_appeal_means_no_overturn_rate() -> None:
    result = trends(appeals=[("lost", 0, None)])
    assert (result.overturn, result.recovered) == (Rate(0, 0), Decimal("0.00"))


@pytest.mark.parametrize(
    ("days", "median", "sent"),
    [
        ([(4, 1), (10, 1), (2, 1)], 4.0, 3),  # odd: the middle denial
        ([(4, 1), (10, 1), (2, 1), (11, 1)], 7.0, 4),  # even: the mean of the middle two
        ([(3, 2), (9, 2)], 6.0, 4),  # the middle two in different rows
        ([(5, 3), (1, 2), (30, 1)], 5.0, 6),  # the middle two in the same row
        ([(-3, 2), (0, 1), (8, 2)], 0.0, 5),  # sent before the denial date: 0 days
        ([(7, 1)], 7.0, 1),
        ([(2, 1), (3, 1)], 2.5, 2),
    ],
)
def test_median_days_from_denial_to_first_appeal(
    days: list[tuple[int, int]], median: float, sent: int
) -> None:
    result = trends(first_appeals=days)  # denials per number of days
    assert (result.median_days_to_appeal, result.appeals_sent) == (median, sent)


def test_the_median_read_from_counts_is_the_median_of_one_row_per_denial() -> None:
    rng = random.Random(20261130)
    for _ in range(300):
        days = [(rng.randint(-5, 60), rng.randint(1, 4)) for _ in range(rng.randint(1, 12))]
        one_per_denial = [max(d, 0) for d, n in days for _ in range(n)]
        counts = frame(["days", "count"], days)
        median, sent = days_to_first_appeal(counts)
        assert median == statistics.median(one_per_denial), days
        assert sent == len(one_per_denial)


def test_no_first_appeal_means_no_median() -> None:
    assert (trends().median_days_to_appeal, trends().appeals_sent) == (None, 0)


# -- weekly series ---------------------------------------------------------------------------


def test_the_chart_series_are_the_top_five_values_by_week() -> None:
    rows = [(NOW, f"Payer {i}", 10 - i, 1000) for i in range(7)]
    rows.append((date(2026, 11, 24), "Payer 0", 4, 1000))
    rows.append((date(2026, 11, 30), "Payer 0", 1, 1000))
    result = trends(rows)
    assert [s.key for s in result.series] == [f"Payer {i}" for i in range(5)]
    # weeks from Nov 1 (a Sunday), Mondays Nov 2, 9, 16, 23, and Nov 30 (a Monday)
    assert result.series[0].counts == (0, 0, 10, 0, 4, 1)
    assert result.series[4].counts == (0, 0, 6, 0, 0, 0)


# -- what the manager reads ------------------------------------------------------------------


def test_the_summary_reads_like_the_sketch_in_ux() -> None:
    result = trends(
        [(NOW, "Aetna", 3, 30000), (BEFORE, "Aetna", 2, 10000)],
        claims=[(NOW, False, 8, 80000), (NOW, True, 2, 40000)],
        appeals=[("won", 1, 42000), ("lost", 1, None)],
        first_appeals=[(9, 1)],
    )
    message = trends_message(result, chart="dm")
    shown = render_text(message.blocks)
    assert "Denial trends · last 30 days · by payer" in shown
    assert "Nov 1, 2026 – Nov 30, 2026, compared with the 30 days before" in shown
    assert "3 denials · $300.00" in shown
    assert "up 50% from 2 in the 30 days before" in shown
    assert "no claims in the period before to compare" in shown
    assert "was n/a" not in shown
    assert "```" not in str(message.blocks)  # no fixed-width table
    assert "Aetna  3 denials · $300.00 · up 50% from 2" in shown  # a field, not a table row
    assert "20.0% of claims · 33.3% of dollars" in shown
    assert "50.0% (1 of 2 decided)" in shown
    assert "$420.00 recovered" in shown
    assert "median 9 days (1 appeal)" in shown
    assert "Aetna" in shown
    assert "The weekly chart is in your direct messages with me." in shown
    assert message.text == "Denial trends, last 30 days: 3 denials · $300.00 · denial rate 20.0%"


def test_an_empty_period_says_so_and_draws_no_chart() -> None:
    result = trends()
    shown = render_text(trends_message(result).blocks)
    assert "No denials in the last 30 days." in shown
    assert "no claims were imported in this period" in shown
    assert "no appeal was decided in this period" in shown
    assert trend_chart(result) is None


def test_the_chart_is_a_png_named_for_the_question() -> None:
    result = trends([(NOW, "Aetna", 3, 30000), (date(2026, 11, 24), "Cigna", 2, 100)])
    chart = trend_chart(result)
    assert chart is not None
    assert chart.content.startswith(b"\x89PNG")
    assert chart.filename == "denial-trends-30d-by-payer.png"
    assert chart.title == "Denial trends · last 30 days · by payer"


@pytest.mark.parametrize(
    ("now", "before", "shown"),
    [
        (35, 21, "up 67% from 21"),
        (0, 2, "down 100% from 2"),
        (4, 4, "same as before (4)"),
        (2, 0, "none before"),
        (0, 0, "none either time"),
        (1500, 1000, "up 50% from 1,000"),
    ],
)
def test_change_is_said_in_plain_words(now: int, before: int, shown: str) -> None:
    assert change_text(now, before) == shown


def test_a_rate_without_a_whole_is_not_available() -> None:
    assert percent(Rate(0, 0)) == "n/a"
    assert percent(Rate(1, 8)) == "12.5%"
