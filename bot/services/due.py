"""What is due: open denials still to act on, in the bands of `bot.domain.urgency`, urgent first,
a page at a time; with records requests and rejections due in the same window.

The totals of each band come from SQL (counts on index ranges); the rows are read for the
window only, a grouped card's denials are one row, and denials past every window are one line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import ColumnElement, func, select, union_all
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.views import BandTotal, DueRow, DueView
from bot.domain.findings import RootCause
from bot.domain.statuses import ACTIONABLE
from bot.domain.urgency import (
    LAPSED_AFTER_DAYS,
    LISTED,
    SOON_DAYS,
    WEEK_DAYS,
    Band,
    urgency,
)
from bot.presenters.card_links import denial_card_links
from bot.services.status_filter import ordered, status_in
from bot.services.work_due import WorkFilter, work_rows
from storage.models import Denial, Payer, SlackPost

# Rows read per direction (overdue, coming) and status: enough for many pages; the totals are
# counted in SQL whatever this is.
ROWS_READ = 500
GROUP = "group"  # SlackPost.kind of a grouped card
# What a row shows: read as columns, so the denials' JSON columns are never parsed here.
ROW_COLUMNS = (
    Denial.id,
    Denial.claim_number,
    Payer.name.label("payer_name"),
    Denial.denied_amount,
    Denial.category,
    Denial.assignee,
    Denial.deadline,
    Denial.post_id,
    SlackPost.kind.label("post_kind"),
)


@dataclass(frozen=True)
class DueFilter:
    assignee: str | None = None
    unassigned: bool = False
    description: str | None = None  # what the person asked for, e.g. "mine"

    def token(self) -> str:
        """For a "Show more" button: `mine`, `unassigned`, a user id, or ""."""
        if self.description == "mine":
            return "mine"
        if self.unassigned:
            return "unassigned"
        return self.assignee or ""


class DueFacts(Protocol):
    """What a due row needs: a `Denial`, or a row of ROW_COLUMNS."""

    @property
    def id(self) -> int: ...
    @property
    def claim_number(self) -> str: ...
    @property
    def payer_name(self) -> str: ...
    @property
    def denied_amount(self) -> Decimal: ...
    @property
    def category(self) -> str: ...
    @property
    def assignee(self) -> str | None: ...
    @property
    def deadline(self) -> date | None: ...


def due_view(
    sessions: sessionmaker[Session],
    *,
    today: date,
    days: int | None = 14,
    who: DueFilter | None = None,
    page: int = 0,
    title: str | None = None,
) -> DueView:
    """Page `page` of what is due in the next `days` days (every deadline when None)."""
    with sessions() as session:
        view = read_due(session, today=today, days=days, who=who or DueFilter(), page=page)
    return replace(view, title=title) if title else view


def read_due(
    session: Session, *, today: date, days: int | None, who: DueFilter, page: int
) -> DueView:
    until = today + timedelta(days=days) if days is not None else None
    first_day = today - timedelta(days=LAPSED_AFTER_DAYS)  # the oldest deadline still listed
    bands = tuple(
        BandTotal(band, *_count_and_dollars(session, who, *_range(lo, hi)))
        for band, (lo, hi) in _band_ranges(today, until).items()
    )
    lapsed = BandTotal(Band.LAPSED, *_count_and_dollars(session, who, Denial.deadline < first_day))
    denials = _rows(session, who, today, first_day, until)
    work = [
        row
        for row in work_rows(
            session,
            today=today,
            until=until,
            who=WorkFilter(assignee=who.assignee, unassigned=who.unassigned),
        )
        if row.days_left >= -LAPSED_AFTER_DAYS
    ]
    links = denial_card_links(session, [row.denial_id for row in denials])
    denials = [
        replace(row, link=links[row.denial_id]) if row.denial_id in links else row
        for row in denials
    ]
    total = sum(b.count for b in bands)
    unassigned = None
    if not who.assignee and not who.unassigned and total:
        unassigned = sum(
            _count_and_dollars(session, DueFilter(unassigned=True), *_range(lo, hi))[0]
            for lo, hi in _band_ranges(today, until).values()
        )
    view = DueView(
        today=today,
        window_days=days or 0,
        rows=tuple(denials),
        work=tuple(work),
        filter_description=who.description,
        total=total,
        total_dollars=sum((b.amount for b in bands), Decimal(0)),
        overdue=next((b.count for b in bands if b.band is Band.OVERDUE), 0),
        bands=bands,
        lapsed=lapsed if lapsed.count else None,
        page=max(page, 0),
        pager=pager(days, who),
        unassigned=unassigned,
    )
    return view


def pager(days: int | None, who: DueFilter) -> str:
    """`14|unassigned`: what another page of this list needs (the builder adds `|page`)."""
    return f"{'' if days is None else days}|{who.token()}"


def _band_ranges(today: date, until: date | None) -> dict[Band, tuple[date, date | None]]:
    """The deadlines of each listed band, cut at `until`; bands wholly after it left out."""
    spans: dict[Band, tuple[date, date | None]] = {
        Band.OVERDUE: (today - timedelta(days=LAPSED_AFTER_DAYS), today - timedelta(days=1)),
        Band.SOON: (today, today + timedelta(days=SOON_DAYS)),
        Band.WEEK: (today + timedelta(days=SOON_DAYS + 1), today + timedelta(days=WEEK_DAYS - 1)),
        Band.LATER: (today + timedelta(days=WEEK_DAYS), None),
    }
    cut: dict[Band, tuple[date, date | None]] = {}
    for band in LISTED:
        lo, hi = spans[band]
        if until is not None:
            if lo > until:
                continue
            hi = until if hi is None else min(hi, until)
        cut[band] = (lo, hi)
    return cut


def _range(lo: date, hi: date | None) -> list[ColumnElement[bool]]:
    conditions = [Denial.deadline >= lo]
    if hi is not None:
        conditions.append(Denial.deadline <= hi)
    return conditions


def _open(who: DueFilter) -> list[ColumnElement[bool]]:
    """Open denials with a deadline, of whom was asked for: the rows of ix_denials_due and
    ix_denials_due_assignee (both partial, `closed` false)."""
    conditions: list[ColumnElement[bool]] = [
        Denial.closed.is_(False),
        Denial.deadline.is_not(None),
    ]
    if who.assignee:
        conditions.append(Denial.assignee == who.assignee)
    elif who.unassigned:
        conditions.append(Denial.assignee.is_(None))
    return conditions


def _count_and_dollars(
    session: Session, who: DueFilter, *deadline: ColumnElement[bool]
) -> tuple[int, Decimal]:
    count, dollars = session.execute(
        select(func.count(), func.sum(Denial.denied_amount)).where(
            *_open(who), status_in(ACTIONABLE), *deadline
        )
    ).one()
    return int(count), dollars if dollars is not None else Decimal("0.00")


def _rows(
    session: Session, who: DueFilter, today: date, first_day: date, until: date | None
) -> list[DueRow]:
    """The listed denials, urgent first, a grouped card's as one row. Read by index walks, one
    per status and direction (overdue newest first, coming soonest first), each stopped at
    ROWS_READ: `status IN (…) ORDER BY deadline` sorted every due denial."""
    overdue = [Denial.deadline >= first_day, Denial.deadline < today]
    coming = _range(today, until)
    ids: list[int] = []
    for conditions, newest_first in ((overdue, True), (coming, False)):
        order = Denial.deadline.desc() if newest_first else Denial.deadline
        walks = [
            select(Denial.id.label("id"), Denial.deadline.label("deadline"))
            .where(*_open(who), Denial.status == status.value, *conditions)
            .order_by(order, Denial.id)
            .limit(ROWS_READ)
            .subquery()
            for status in ordered(ACTIONABLE)
        ]
        merged = union_all(*(select(w.c.id, w.c.deadline) for w in walks)).subquery()
        by = merged.c.deadline.desc() if newest_first else merged.c.deadline
        ids += session.scalars(select(merged.c.id).order_by(by, merged.c.id).limit(ROWS_READ))
    rows: list[Any] = []
    if ids:
        rows = list(
            session.execute(
                select(*ROW_COLUMNS)
                .join(Denial.payer)
                .outerjoin(SlackPost, SlackPost.id == Denial.post_id)
                .where(Denial.id.in_(ids))
            )
        )
    singles = [row for row in rows if row.post_kind != GROUP or row.post_id is None]
    grouped = [row for row in rows if row.post_kind == GROUP and row.post_id is not None]
    groups = _groups(session, who, today, first_day, until, grouped)
    result = [replace(due_row(row, today), post_id=row.post_id) for row in singles]
    for post_id, (first, count, amount, owners) in groups.items():
        result.append(
            replace(
                due_row(first, today),
                post_id=post_id,
                amount=amount,
                group_count=count,
                assignee=owners if owners != _MIXED else None,
                mixed_owners=owners == _MIXED,
            )
        )
    return result


_MIXED = "\0mixed"


def _groups(
    session: Session,
    who: DueFilter,
    today: date,
    first_day: date,
    until: date | None,
    members: Sequence[Any],
) -> dict[int, tuple[Any, int, Decimal, str | None]]:
    """Per grouped card among `members`: its most urgent member read, and how many of its
    denials are listed, their dollars and their owner (None: nobody, _MIXED: several)."""
    if not members:
        return {}
    first: dict[int, Any] = {}
    for row in sorted(members, key=lambda r: urgency((r.deadline - today).days, r.denied_amount)):
        first.setdefault(row.post_id, row)
    totals = session.execute(
        select(
            Denial.post_id,
            func.count(),
            func.sum(Denial.denied_amount),
            func.count(Denial.assignee),
            func.min(Denial.assignee),
            func.max(Denial.assignee),
        )
        .where(
            *_open(who),
            status_in(ACTIONABLE),
            Denial.post_id.in_(list(first)),
            *_range(first_day, until),
        )
        .group_by(Denial.post_id)
    )
    found: dict[int, tuple[Any, int, Decimal, str | None]] = {}
    for post_id, count, amount, assigned, low, high in totals:
        if post_id is None:
            continue
        if not assigned:
            owners = None
        elif assigned == count and low == high:
            owners = low
        else:
            owners = _MIXED
        found[post_id] = (first[post_id], int(count), amount or Decimal(0), owners)
    return found


def due_row(denial: DueFacts, today: date) -> DueRow:
    deadline = denial.deadline or today
    return DueRow(
        denial_id=denial.id,
        claim_number=denial.claim_number,
        payer_name=denial.payer_name,
        amount=denial.denied_amount,
        category=RootCause(denial.category),
        assignee=denial.assignee,
        deadline=deadline,
        days_left=(deadline - today).days,
    )
