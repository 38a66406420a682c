"""`/denials trends`: read what the trend maths needs from the database, as DataFrames.

With a million claims the work belongs in SQL: every query is cut to the period(s) it serves
(indexed dates), selects only the columns it needs, and aggregates there, so only a few
thousand rows reach Python (at 1M denials, turning 130k first appeals into dates and a
DataFrame cost almost as much as the query). Codes (CPT, CARC) are JSON lists: denials are
grouped by day and list, and the lists are exploded in pandas. Money comes back as integer
cents.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Executable,
    Integer,
    SQLColumnExpression,
    Text,
    cast,
    func,
    select,
    type_coerce,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from bot.domain.statuses import COUNTED as COUNTED_STATUSES
from bot.domain.trend_periods import Dimension, Period, Span
from bot.domain.trends import Trends, compute_trends, daily_totals, explode_codes
from bot.services.measures import measures
from bot.services.status_filter import status_in
from bot.services.work_due import work_summary
from storage.models import Appeal, Claim, Denial
from storage.payers import payer_labels

COUNTED = status_in(COUNTED_STATUSES)  # a re-adjudicated claim counts once, as its new self
UNKNOWN_PROVIDER = "unknown provider"


def trends_report(
    sessions: sessionmaker[Session], *, span: Span, dimension: Dimension, today: date
) -> Trends:
    period = span.period(today)
    both = Period(period.previous().start, period.end)
    with sessions() as session:
        keyed, totals = by_key(session, dimension, both)
        work = work_summary(session, period_start=period.start, period_end=period.end, today=today)
        now = measures(session, today)
        trends = compute_trends(
            span=span,
            dimension=dimension,
            today=today,
            by_key=keyed,
            totals=totals,
            claims=_frame(session, _daily_claims(both), ["day", "denied", "count", "cents"]),
            appeals=_frame(session, _outcomes(period), ["outcome", "count", "cents"]),
            first_appeals=_frame(session, _days_to_first_appeal(period), ["days", "count"]),
        )
    return replace(trends, work=work, now=now)


def by_key(
    session: Session, dimension: Dimension, period: Period
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Denials per day and value of the dimension, and per day (`daily_totals`), from one
    query: the per-day totals are the same rows summed, so they need no scan of their own."""
    if dimension in ("cpt", "carc"):
        # As text: PostgreSQL's json type has no equality to group by.
        codes = cast(Denial.cpts if dimension == "cpt" else Denial.carcs, Text)
        lists = _frame(session, _per_day(codes, period), ["day", "codes", "count", "cents"])
        lists = lists.assign(codes=lists["codes"].map(_json_list))
        return explode_codes(lists, strip_modifiers=dimension == "cpt"), daily_totals(lists)
    keyed = _frame(session, _per_day(_key(dimension), period), ["day", "key", "count", "cents"])
    if dimension == "payer":  # grouped by the payer, shown by its name
        keyed = keyed.assign(key=keyed["key"].map(payer_labels(session)))
    return keyed, daily_totals(keyed)


def _per_day(value: SQLColumnExpression[Any], period: Period) -> Executable:
    return (
        select(Denial.denial_date, value, func.count(), _sum_cents(Denial.denied_amount))
        .where(_in(Denial.denial_date, period), COUNTED)
        .group_by(Denial.denial_date, value)
    )


def _key(dimension: Dimension) -> SQLColumnExpression[Any]:
    if dimension == "payer":
        return Denial.payer_id
    if dimension == "provider":
        return func.coalesce(Denial.provider_name, Denial.provider_npi, UNKNOWN_PROVIDER)
    return Denial.category


def _json_list(text: str | None) -> object:
    return json.loads(text) if text is not None else None


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
    """Appeals decided in the period, per outcome, with the cents recovered."""
    return (
        select(Appeal.outcome, func.count(), func.coalesce(_sum_cents(Appeal.outcome_amount), 0))
        .where(_in(Appeal.decided_on, period), Appeal.outcome.is_not(None), Appeal.kind == "appeal")
        .group_by(Appeal.outcome)
    )


def _days_to_first_appeal(period: Period) -> Executable:
    """Denials whose first appeal or corrected claim was sent in the period, per number of days
    from the denial to it (a few hundred rows, where one per denial were 130k at 1M)."""
    first = (
        select(Appeal.denial_id, func.min(Appeal.sent_on).label("sent_on"))
        .group_by(Appeal.denial_id)
        .subquery()
    )
    days = DaysBetween(Denial.denial_date, first.c.sent_on)
    return (
        select(days, func.count())
        .join_from(Denial, first, first.c.denial_id == Denial.id)
        .where(_in(first.c.sent_on, period))
        .group_by(days)
    )


class DaysBetween(FunctionElement[int]):
    """Whole days from the first DATE to the second (negative when it is earlier)."""

    type = Integer()
    name = "days_between"
    inherit_cache = True


@compiles(DaysBetween)
def _days_between(element: DaysBetween, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(day, **kw) for day in element.clauses)
    return f"({end} - {start})"  # PostgreSQL: date - date is an integer of days


@compiles(DaysBetween, "sqlite")
def _days_between_sqlite(element: DaysBetween, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite keeps dates as ISO text, where `-` would subtract the years.
    start, end = (compiler.process(day, **kw) for day in element.clauses)
    return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"


def _in(column: Any, period: Period) -> ColumnElement[bool]:
    return column.between(period.start, period.end)  # type: ignore[no-any-return]


def _sum_cents(column: Any) -> ColumnElement[int]:
    """The sum of a Money column as the integer cents it is stored as (no Decimal per row)."""
    return cast(func.sum(type_coerce(column, BigInteger)), BigInteger)


def _frame(session: Session, query: Executable, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(
        [tuple(row) for row in session.execute(query)], columns=columns
    )
