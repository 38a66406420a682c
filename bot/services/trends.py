"""`/denials trends`: read what the trend maths needs from the database, as DataFrames.

With a million claims the work belongs in SQL: every query is cut to the two periods compared
(indexed dates), selects only the columns it needs, and groups by day (and value) where the
value is a column. Codes (CPT, CARC) are JSON lists, so those rows come back one per denial and
are exploded in pandas. Money comes back as integer cents.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Executable,
    SQLColumnExpression,
    cast,
    func,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from bot.domain.trend_periods import Dimension, Period, Span
from bot.domain.trends import Trends, compute_trends, explode_codes
from storage.models import Appeal, Claim, Denial

COUNTED = Denial.status != "superseded"  # a re-adjudicated claim counts once, as its new self
UNKNOWN_PROVIDER = "unknown provider"


def trends_report(session: Session, *, span: Span, dimension: Dimension, today: date) -> Trends:
    period = span.period(today)
    both = Period(period.previous().start, period.end)
    return compute_trends(
        span=span,
        dimension=dimension,
        today=today,
        by_key=by_key(session, dimension, both),
        totals=_frame(session, _daily_totals(both), ["day", "count", "cents"]),
        claims=_frame(session, _daily_claims(both), ["day", "denied", "count", "cents"]),
        appeals=_frame(session, _outcomes(period), ["day", "outcome", "cents"]),
        first_appeals=_frame(session, _first_appeals(period), ["denied_on", "sent_on"]),
    )


def by_key(session: Session, dimension: Dimension, period: Period) -> pd.DataFrame:
    if dimension in ("cpt", "carc"):
        codes = Denial.cpts if dimension == "cpt" else Denial.carcs
        query = select(Denial.denial_date, _cents(Denial.denied_amount), codes).where(
            _in(Denial.denial_date, period), COUNTED
        )
        frame = _frame(session, query, ["day", "cents", "codes"])
        return explode_codes(frame, strip_modifiers=dimension == "cpt")
    key = _key(dimension)
    query = (
        select(Denial.denial_date, key, func.count(), _sum_cents(Denial.denied_amount))
        .where(_in(Denial.denial_date, period), COUNTED)
        .group_by(Denial.denial_date, key)
    )
    return _frame(session, query, ["day", "key", "count", "cents"])


def _key(dimension: Dimension) -> SQLColumnExpression[str]:
    if dimension == "payer":
        return Denial.payer_name
    if dimension == "provider":
        return func.coalesce(Denial.provider_name, Denial.provider_npi, UNKNOWN_PROVIDER)
    return Denial.category


def _daily_totals(period: Period) -> Executable:
    return (
        select(Denial.denial_date, func.count(), _sum_cents(Denial.denied_amount))
        .where(_in(Denial.denial_date, period), COUNTED)
        .group_by(Denial.denial_date)
    )


def _daily_claims(period: Period) -> Executable:
    """Every adjudicated claim (the denominator), billed dollars; a claim reversed later is left
    out and its re-adjudication counted instead."""
    return (
        select(Claim.notice_date, Claim.is_denied, func.count(), _sum_cents(Claim.billed))
        .where(
            _in(Claim.notice_date, period),
            Claim.kind == "adjudicated",
            Claim.reversed_by_id.is_(None),
        )
        .group_by(Claim.notice_date, Claim.is_denied)
    )


def _outcomes(period: Period) -> Executable:
    return select(Appeal.decided_on, Appeal.outcome, _cents(Appeal.outcome_amount)).where(
        _in(Appeal.decided_on, period), Appeal.outcome.is_not(None), Appeal.kind == "appeal"
    )


def _first_appeals(period: Period) -> Executable:
    first = (
        select(Appeal.denial_id, func.min(Appeal.sent_on).label("sent_on"))
        .group_by(Appeal.denial_id)
        .subquery()
    )
    return (
        select(Denial.denial_date, first.c.sent_on)
        .join(first, first.c.denial_id == Denial.id)
        .where(_in(first.c.sent_on, period))
    )


def _in(column: Any, period: Period) -> ColumnElement[bool]:
    return column.between(period.start, period.end)  # type: ignore[no-any-return]


def _cents(column: Any) -> ColumnElement[int]:
    """A Money column as the integer cents it is stored as (no Decimal per row)."""
    return type_coerce(column, BigInteger)


def _sum_cents(column: Any) -> ColumnElement[int]:
    return cast(func.sum(type_coerce(column, BigInteger)), BigInteger)


def _frame(session: Session, query: Executable, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(
        [tuple(row) for row in session.execute(query)], columns=columns
    )
