"""Denial trends for managers (denial-facts.md section 4), computed with pandas.

Pure: DataFrames in (already cut to the periods and aggregated in SQL), one `Trends` value out.
No database, no clock. Money arrives as integer cents so sums are exact, and leaves as `Decimal`.

Frames (dates may be `date` objects or datetimes), cut to the period and the one before it:
- `by_key`: day, key, count, cents: denials per day and value of the dimension; for codes
  (cpt, carc) a denial with several codes counts once under each (see `explode_codes`).
- `totals`: day, count, cents: all denials per day (each counted once; see `daily_totals`).
- `claims`: day, denied, count, cents: every adjudicated claim per notice day, billed cents.
Cut to the period alone:
- `appeals`: outcome, count, cents: appeals decided in the period, cents recovered.
- `first_appeals`: days, count: denials whose first appeal or corrected claim was sent in the
  period, per number of days from the denial to it (negative when sent before the denial date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd

from bot.domain.findings import RootCause
from bot.domain.measures import Measures
from bot.domain.trend_periods import Dimension, Period, Span, week_starts
from bot.domain.work_summary import WorkSummary

TOP_SERIES = 5
OVERTURNED = ("won", "partial")
NO_CODE = "none"


@dataclass(frozen=True, slots=True)
class Rate:
    part: int
    whole: int

    @property
    def value(self) -> float | None:
        return self.part / self.whole if self.whole else None


@dataclass(frozen=True, slots=True)
class TrendRow:
    key: str
    count: int
    amount: Decimal
    previous_count: int
    previous_amount: Decimal

    @property
    def change(self) -> float | None:
        """Change in count against the previous period; None when there was nothing before."""
        if not self.previous_count:
            return None
        return (self.count - self.previous_count) / self.previous_count


@dataclass(frozen=True, slots=True)
class WeeklySeries:
    key: str
    counts: tuple[int, ...]  # one per week of `Trends.weeks`


@dataclass(frozen=True, slots=True, kw_only=True)
class Trends:
    dimension: Dimension
    span: Span
    period: Period
    previous: Period
    count: int
    amount: Decimal
    previous_count: int
    previous_amount: Decimal
    rows: tuple[TrendRow, ...]  # most denials first
    claim_rate: Rate  # denied claims / all claims, by count
    dollar_rate: Rate  # billed cents of denied claims / billed cents of all claims
    previous_claim_rate: Rate
    previous_dollar_rate: Rate
    overturn: Rate  # won + partial / decided appeals
    recovered: Decimal  # on appeals decided in the period
    median_days_to_appeal: float | None
    appeals_sent: int
    weeks: tuple[date, ...]
    series: tuple[WeeklySeries, ...]  # the top values, most denials first
    work: WorkSummary | None = None  # records requests answered on time, rejections by reason
    now: Measures | None = None  # open work today: the numbers App Home and the digest show

    @property
    def change(self) -> float | None:
        if not self.previous_count:
            return None
        return (self.count - self.previous_count) / self.previous_count


def compute_trends(
    *,
    span: Span,
    dimension: Dimension,
    today: date,
    by_key: pd.DataFrame,
    totals: pd.DataFrame,
    claims: pd.DataFrame,
    appeals: pd.DataFrame,
    first_appeals: pd.DataFrame,
) -> Trends:
    period = span.period(today)
    previous = period.previous()
    by_key = _with_dates(by_key, "day")
    totals, claims = _with_dates(totals, "day"), _with_dates(claims, "day")
    now_totals, before_totals = _within(totals, "day", period), _within(totals, "day", previous)
    now_claims, before_claims = _within(claims, "day", period), _within(claims, "day", previous)
    overturn, recovered = _appeal_outcomes(appeals)
    median, sent = days_to_first_appeal(first_appeals)
    rows = _rows(_within(by_key, "day", period), _within(by_key, "day", previous))
    weeks = week_starts(period)
    return Trends(
        dimension=dimension,
        span=span,
        period=period,
        previous=previous,
        count=_int(now_totals["count"].sum()),
        amount=_dollars(now_totals["cents"].sum()),
        previous_count=_int(before_totals["count"].sum()),
        previous_amount=_dollars(before_totals["cents"].sum()),
        rows=rows,
        claim_rate=_claim_rate(now_claims, "count"),
        dollar_rate=_claim_rate(now_claims, "cents"),
        previous_claim_rate=_claim_rate(before_claims, "count"),
        previous_dollar_rate=_claim_rate(before_claims, "cents"),
        overturn=overturn,
        recovered=recovered,
        median_days_to_appeal=median,
        appeals_sent=sent,
        weeks=weeks,
        series=_weekly(_within(by_key, "day", period), rows, weeks),
    )


def daily_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """day, count, cents from denials counted per day and something else that puts each denial
    in exactly one row (a value of the dimension, a list of codes)."""
    return frame.groupby("day", as_index=False)[["count", "cents"]].sum()


def explode_codes(frame: pd.DataFrame, *, strip_modifiers: bool = False) -> pd.DataFrame:
    """day, codes (a list), count, cents: denials per day and list of codes -> day, key, count,
    cents; each code once per denial; `strip_modifiers` counts `99213-25` as `99213`."""

    def unique(codes: object) -> list[str]:
        items = [str(c) for c in codes] if isinstance(codes, list | tuple) else []
        if strip_modifiers:
            items = [c.split("-", 1)[0] for c in items]
        return list(dict.fromkeys(items)) or [NO_CODE]

    if frame.empty:
        return pd.DataFrame({"day": [], "key": [], "count": [], "cents": []})
    exploded = frame.assign(key=frame["codes"].map(unique)).explode("key")
    return exploded.groupby(["day", "key"], as_index=False)[["count", "cents"]].sum()


def label_for(dimension: Dimension, key: str) -> str:
    """What people read for a value: root-cause labels for categories, else the value."""
    if dimension == "category":
        try:
            return RootCause(key).label
        except ValueError:
            return key
    return key


def _rows(now: pd.DataFrame, before: pd.DataFrame) -> tuple[TrendRow, ...]:
    current = now.groupby("key")[["count", "cents"]].sum()
    earlier = before.groupby("key")[["count", "cents"]].sum()
    table = current.merge(
        earlier, how="outer", left_index=True, right_index=True, suffixes=("", "_before")
    )
    table = table.fillna(0).reset_index()
    table = table.sort_values(
        ["count", "cents", "count_before", "key"], ascending=[False, False, False, True]
    )
    return tuple(
        TrendRow(
            key=str(row.key),
            count=_int(row.count),
            amount=_dollars(row.cents),
            previous_count=_int(row.count_before),
            previous_amount=_dollars(row.cents_before),
        )
        for row in table.itertuples(index=False)
    )


def _claim_rate(claims: pd.DataFrame, column: str) -> Rate:
    denied = claims.loc[claims["denied"].astype(bool), column].sum()
    return Rate(part=_int(denied), whole=_int(claims[column].sum()))


def _appeal_outcomes(appeals: pd.DataFrame) -> tuple[Rate, Decimal]:
    decided = appeals[appeals["outcome"].isin(("won", "partial", "lost"))]
    overturned = decided[decided["outcome"].isin(OVERTURNED)]
    rate = Rate(part=_int(overturned["count"].sum()), whole=_int(decided["count"].sum()))
    return rate, _dollars(overturned["cents"].fillna(0).sum())


def days_to_first_appeal(first: pd.DataFrame) -> tuple[float | None, int]:
    """The median of the days (an appeal sent before the denial date counts as 0 days), read
    from the count of denials per number of days."""
    counts = first.assign(days=first["days"].clip(lower=0)).groupby("days")["count"].sum()
    sent = _int(counts.sum())
    if not sent:
        return None, 0
    below = counts.sort_index().cumsum()  # denials at or below each number of days

    def nth(position: int) -> int:  # the days of the position-th denial (0-based), by days
        return int(below.index[int(below.searchsorted(position, side="right"))])

    # As a median of one row per denial: the middle one, or the mean of the middle two.
    return (nth((sent - 1) // 2) + nth(sent // 2)) / 2, sent


def _weekly(
    now: pd.DataFrame, rows: tuple[TrendRow, ...], weeks: tuple[date, ...]
) -> tuple[WeeklySeries, ...]:
    """Denials per week (Monday to Sunday, cut to the period) of the top values: each week's
    count is every denial from its first day to the next week's, so a series adds up to its
    row of the table."""
    top = [row.key for row in rows if row.count > 0][:TOP_SERIES]
    if not top or not weeks:
        return ()
    starts = pd.DatetimeIndex([pd.Timestamp(w) for w in weeks])
    chosen = now[now["key"].isin(top) & (now["day"] >= starts[0])]
    week = starts.searchsorted(chosen["day"], side="right") - 1
    counts = chosen.assign(week=week).groupby(["week", "key"])["count"].sum()
    return tuple(
        WeeklySeries(
            key=key, counts=tuple(_int(counts.get((i, key), 0)) for i in range(len(weeks)))
        )
        for key in top
    )


def _with_dates(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    return frame.assign(**{column: pd.to_datetime(frame[column])})


def _within(frame: pd.DataFrame, column: str, period: Period) -> pd.DataFrame:
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    return frame[(frame[column] >= start) & (frame[column] <= end)]


def _int(value: object) -> int:
    return int(value) if pd.notna(value) else 0  # type: ignore[call-overload]


def _dollars(cents: object) -> Decimal:
    return (Decimal(_int(cents)) / 100).quantize(Decimal("0.01"))
