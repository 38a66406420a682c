"""Render what a Slack post shows right now, from the database (cards are never edited by hand)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.blocks.denial_card import denial_card, merged_card
from bot.blocks.group_card import group_card
from bot.blocks.message import Message
from bot.config import PhiMode
from bot.domain.root_causes import RootCauseTable
from bot.presenters.card_views import denial_view, group_view
from bot.presenters.work_cards import REJECTION_POST, REQUEST_POST, render_work_card
from storage.models import SlackPost


@dataclass(frozen=True)
class CardRenderer:
    table: RootCauseTable
    zone: ZoneInfo
    phi: PhiMode = PhiMode.MINIMAL

    def render(self, session: Session, post: SlackPost, *, today: date) -> Message:
        if post.replaced_by_id is not None:  # merged into another card (storage/dedupe.py)
            kept = session.get(SlackPost, post.replaced_by_id)
            denial = kept.denials[0] if kept is not None and kept.denials else None
            if denial is not None:
                return merged_card(denial.id, denial.claim_number)
        if post.kind in (REQUEST_POST, REJECTION_POST):
            return render_work_card(session, post, today=today, phi=self.phi)
        if post.kind == "group" and len(post.denials) > 1:
            view = group_view(session, post, table=self.table, zone=self.zone, phi=self.phi)
            return group_card(view, today=today)
        denial = post.denials[0]
        return denial_card(
            denial_view(session, denial, table=self.table, zone=self.zone, phi=self.phi),
            today=today,
        )
