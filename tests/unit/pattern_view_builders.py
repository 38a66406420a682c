"""Builder inputs for the early warning and `/denials patterns` messages (tests only)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from bot.blocks.pattern_alert import AlertView, FixLine
from bot.blocks.patterns import ClaimRow, FixView, PatternDetail, PatternRow, PatternsView
from bot.domain.findings import RootCause
from bot.domain.pattern_rates import Counts, Trigger

TODAY = date(2026, 10, 20)
SCOPE = "p1|authorization|CO-197|1497758544|99213"
LONG_NAME = "Blue Cross Blue Shield of a Very Long State Name Health Plan <HMO> & Friends " * 2


def make_alert(trigger: Trigger = Trigger.NEW, **changes: object) -> AlertView:
    values: dict[str, object] = {
        "key": "p1|authorization|CO-197#1",
        "scope_key": SCOPE,
        "trigger": trigger,
        "payer": "Aetna",
        "category": RootCause.AUTHORIZATION,
        "code": "CO-197",
        "provider": "LEE, DANA",
        "cpt": "99213",
        "window_start": date(2026, 8, 18),
        "as_of": date(2026, 9, 14),
        "window": Counts(4, 34, Decimal("1680.00")),
        "baseline": Counts(0, 130),
        "claims": ("W15A1", "W15A0", "W14A0", "W13A0"),
        "imports": 3,
        "likely_cause": "The authorization is missing, expired, or names a different provider.",
    }
    if trigger is Trigger.RECURRING:
        values |= {
            "key": "fix:1",
            "fix": FixLine(
                note="Auth requests now name the rendering provider",
                owner="UDANA",
                effective=date(2026, 9, 28),
            ),
            "days": 8,
            "window": Counts(4, 24, Decimal("1680.00")),
            "baseline": Counts(2, 12, Decimal("840.00")),
        }
    values |= changes
    return AlertView(**values)  # type: ignore[arg-type]


def make_fix(verdict: str = "stopped") -> FixView:
    return FixView(
        note="Auth requests now name the rendering provider",
        owner="UDANA",
        effective=date(2026, 9, 28),
        verdict=verdict,
        before=Counts(5, 35, Decimal("2100.00")),
        after=Counts(0, 40),
        days=22,
    )


def make_row(number: int = 1, *, fix: FixView | None = None, label: str = "") -> PatternRow:
    return PatternRow(
        scope_key=SCOPE,
        label=label or f"Aetna · CO-197 authorization · LEE, DANA · 99213 ({number})",
        count=6 + number,
        dollars=Decimal(2520 - number),
        rate=Fraction(50, 3),
        trend="falling",
        fix=fix,
    )


def make_patterns(count: int = 3) -> PatternsView:
    rows = tuple(make_row(n, fix=make_fix() if n == 1 else None) for n in range(1, count + 1))
    return PatternsView(today=TODAY, rows=rows)


def make_detail(*, fix: FixView | None = None, claims: int = 6) -> PatternDetail:
    monday = date(2026, 6, 29)
    weeks = tuple(
        (monday + timedelta(weeks=i), Counts(2 if 8 < i < 13 else 0, 12)) for i in range(16)
    )
    rows = tuple(
        ClaimRow(f"W{i}A0", date(2026, 9, 21) - timedelta(days=i), Decimal("420.00"), "new")
        for i in range(min(claims, 20))
    )
    return PatternDetail(
        row=make_row(fix=fix),
        claims=rows,
        more=max(0, claims - 20),
        weeks=weeks,
        total=Decimal(420 * claims),
    )
