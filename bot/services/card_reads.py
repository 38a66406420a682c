"""What a card's buttons read before they act: typed values, never rows of the ORM.

A listener gets from here what it needs to open a form, show a card or list a grouped card's
claims; None means the denial or card is no longer there (the listener says so).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.views import BandTotal, DenialView, DueView, GroupView
from bot.config import PhiMode
from bot.domain.root_causes import RootCauseTable
from bot.domain.urgency import Band, lapsed
from bot.presenters.card_views import denial_view, group_view
from bot.services.due import due_row
from storage.models import Denial, SlackPost

GROUP_TITLE = "Each claim of this group"


@dataclass(frozen=True, slots=True)
class DenialSummary:
    """What a form about one denial shows, and where its card is."""

    id: int
    version: int
    claim_number: str
    payer_name: str
    denied_amount: Decimal
    post_id: int | None


@dataclass(frozen=True)
class CardReads:
    sessions: sessionmaker[Session]
    table: RootCauseTable
    zone: ZoneInfo
    phi: PhiMode = PhiMode.MINIMAL

    def summary(self, denial_id: int) -> DenialSummary | None:
        with self.sessions() as session:
            denial = session.get(Denial, denial_id)
            if denial is None:
                return None
            return DenialSummary(
                id=denial.id,
                version=denial.version,
                claim_number=denial.claim_number,
                payer_name=denial.payer_name,
                denied_amount=denial.denied_amount,
                post_id=denial.post_id,
            )

    def post_of(self, denial_id: int) -> int | None:
        """The card (post) the denial is on, if it still exists and has one."""
        summary = self.summary(denial_id)
        return summary.post_id if summary is not None else None

    def denial_view(self, denial_id: int) -> DenialView | None:
        """What the denial's own card shows now."""
        with self.sessions() as session:
            denial = session.get(Denial, denial_id)
            if denial is None:
                return None
            return denial_view(session, denial, table=self.table, zone=self.zone, phi=self.phi)

    def group_view(self, post_id: int) -> GroupView | None:
        """What a grouped card shows now; None when it is gone or groups nothing."""
        with self.sessions() as session:
            post = session.get(SlackPost, post_id)
            if post is None or not post.denials:
                return None
            return group_view(session, post, table=self.table, zone=self.zone, phi=self.phi)

    def group_due(self, post_id: int, today: date) -> DueView:
        """Each claim of a grouped card with its deadline, as a due list (empty when gone)."""
        with self.sessions() as session:
            post = session.get(SlackPost, post_id)
            denials = post.denials if post is not None else []
            rows = tuple(due_row(d, today) for d in denials if d.deadline and not d.closed)
        # every open claim of the group, whatever its deadline: no window of days to name
        gone = [row for row in rows if lapsed(row.days_left)]
        past = BandTotal(Band.LAPSED, len(gone), sum((r.amount for r in gone), Decimal(0)))
        listed = tuple(row for row in rows if not lapsed(row.days_left))
        return DueView(
            today=today,
            window_days=0,
            rows=listed,
            title=GROUP_TITLE,
            lapsed=past if gone else None,
        )
