"""The prevention loop's arithmetic: a pattern's rate per 100 claims, when it is worth an early
warning, and whether a recorded fix worked. Pure: counts in, decisions and words out.

Rates are denials of the pattern per 100 claims of its payer (of its provider, when the
pattern names one) adjudicated in the same days, counted by denial date, so a file imported
late lands in the weeks it belongs to and a busy month is not mistaken for a worse one.

Thresholds (the README's "Early warning" explains them to managers):

* **Window**: the 28 days up to the newest denial date of the import: four weekly remittances,
  long enough for a trickle of two or three a week to add up, short enough to be news.
* **New for this payer**: 3 or more denials in the window with a CARC the payer did not send in
  the 90 days before it (and the payer sent at least `MIN_HISTORY_CLAIMS` claims then, so a
  practice's first import does not call everything new).
* **Well above its baseline**: the window's rate at least **twice** the pattern's rate over the
  26 weeks before the window, *and* a count a steady rate would reach by chance less than once
  in a thousand windows (Poisson upper tail <= 0.001), *and* at least 3 denials. Doubling is
  what a manager would call "well above"; the 0.1% tail keeps a steady pattern that is tested
  after every import (about fifty imports a year, twenty patterns each) to about one chance
  alert a year; without it a pattern at 1 per 100 claims would alert whenever a small window
  happened to hold 3. A baseline needs `MIN_BASELINE_CLAIMS` claims to be a baseline.
* **Quiet period**: 8 weeks without a denial of the pattern; after one, it may be alerted again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from fractions import Fraction

WINDOW = timedelta(days=28)
BASELINE = timedelta(days=182)
NEW_LOOKBACK = timedelta(days=90)
QUIET = timedelta(days=56)
MIN_COUNT = 3
RATE_RATIO = 2
CHANCE = 0.001
MIN_HISTORY_CLAIMS = 20
MIN_BASELINE_CLAIMS = 50
# Fix measurement: equal windows before and after the effective date, at most 12 weeks each.
MAX_MEASURE = timedelta(weeks=12)
MIN_STOPPED = timedelta(weeks=2)  # two weekly remittances without it before "stopped"
RECUR_MIN = 3  # denials after the fix before it can be "still recurring" (as MIN_COUNT)
RECUR_DROP = Fraction(1, 2)  # a rate that has not fallen by half is still recurring


@dataclass(frozen=True, slots=True)
class Counts:
    """A pattern's denials (and their dollars) and its payer's claims over some days."""

    denials: int
    claims: int
    dollars: Decimal = Decimal(0)

    @property
    def rate(self) -> Fraction | None:
        """Denials per 100 claims; None without claims to divide by."""
        return Fraction(100 * self.denials, self.claims) if self.claims else None


class Trigger(Enum):
    NEW = "new"  # a CARC new for this payer, now 3 or more times
    RATE = "rate"  # well above the pattern's own baseline
    RECURRING = "recurring"  # still recurring after its fix


def poisson_tail(count: int, expected: float) -> float:
    """P(X >= count) for X ~ Poisson(expected): how often a steady rate reaches `count`."""
    if count <= 0:
        return 1.0
    if expected <= 0:
        return 0.0
    term = math.exp(-expected)
    below = term
    for k in range(1, count):
        term *= expected / k
        below += term
    return max(0.0, 1.0 - below)


def early_warning(
    window: Counts, baseline: Counts, *, code_seen: bool, history_claims: int
) -> Trigger | None:
    """Whether the window's denials are worth an alert, and why.

    `baseline` is the pattern over `BASELINE` before the window; `code_seen` says whether the
    payer sent this CARC in the `NEW_LOOKBACK` before it; `history_claims` is how many claims
    the payer sent then.
    """
    if window.denials < MIN_COUNT:
        return None
    if not code_seen and history_claims >= MIN_HISTORY_CLAIMS:
        return Trigger.NEW
    if baseline.claims < MIN_BASELINE_CLAIMS or not window.claims:
        return None
    expected = baseline.denials * window.claims / baseline.claims
    if window.denials < RATE_RATIO * expected:
        return None
    return Trigger.RATE if poisson_tail(window.denials, expected) <= CHANCE else None


def quiet_since(last_denial_before_window: date | None, window_start: date) -> bool:
    """A pattern that was quiet for `QUIET` before this window may be alerted again."""
    return last_denial_before_window is None or (window_start - last_denial_before_window > QUIET)


# -- fixes -------------------------------------------------------------------------------------


class Verdict(Enum):
    STOPPED = "stopped"
    FELL = "fell"
    NO_CHANGE_YET = "no change yet"
    STILL_RECURRING = "still recurring"


@dataclass(frozen=True, slots=True)
class FixEffect:
    """A fix's pattern in equal windows before and after its effective date."""

    verdict: Verdict
    before: Counts
    after: Counts
    days: int  # the length of each window: the days of data since the fix (capped)
    drop: int | None = None  # percent the rate fell by, for FELL

    @property
    def words(self) -> str:
        """The verdict in words: `stopped`, `fell by 70%`, `no change yet: 4 weeks of data`,
        `still recurring`."""
        if self.verdict is Verdict.FELL:
            return f"fell by {self.drop}%"
        if self.verdict is Verdict.NO_CHANGE_YET:
            return f"no change yet: {data_words(self.days)}"
        return str(self.verdict.value)


def measure_windows(effective: date, data_until: date) -> tuple[date, date, int]:
    """(first day before, first day after, days in each). The after window is the latest
    stretch of data since the effective date (to the newest claim from the payer), at most
    `MAX_MEASURE`; the before window is as long and ends the day before the effective date."""
    days = max(0, min((data_until - effective).days + 1, MAX_MEASURE.days))
    return effective - timedelta(days=days), data_until - timedelta(days=days - 1), days


def fix_effect(before: Counts, after: Counts, days: int) -> FixEffect:
    """The plain verdict on a fix from its two equal windows.

    * still recurring: 3 or more denials since, at a rate that has not fallen by half;
    * stopped: none for at least two weeks of data;
    * fell by N%: the rate fell (N rounded to a whole percent);
    * no change yet: too little data, or not enough denials either way to tell.
    """
    rate_before, rate_after = before.rate, after.rate
    drop = _drop(rate_before, rate_after)
    if after.denials >= RECUR_MIN and (drop is None or drop < RECUR_DROP):
        return FixEffect(Verdict.STILL_RECURRING, before, after, days)
    if after.denials == 0 and days >= MIN_STOPPED.days and after.claims:
        return FixEffect(Verdict.STOPPED, before, after, days)
    if drop is not None and drop > 0 and days >= MIN_STOPPED.days:
        return FixEffect(Verdict.FELL, before, after, days, drop=_percent(drop))
    return FixEffect(Verdict.NO_CHANGE_YET, before, after, days)


def _drop(before: Fraction | None, after: Fraction | None) -> Fraction | None:
    if before is None or after is None or before == 0:
        return None
    return (before - after) / before


def _percent(share: Fraction) -> int:
    """A share as a whole percent, halves rounded up (exact: no float on the way)."""
    return math.floor(share * 100 + Fraction(1, 2))


def data_words(days: int) -> str:
    if days < 7:
        return "under a week of data" if days != 0 else "no claims since"
    weeks = days // 7
    return f"{weeks} week{'s' if weeks != 1 else ''} of data"
