"""The daily refresh: open cards rebuilt as of the new day, edited only where the words change.

A card's countdown is drawn as of the day it is rendered (bot.blocks.countdown), so time alone
changes what an open card should say. Once a day, after midnight in the practice's time zone,
each open card is rendered as of today and compared with the digest of what Slack shows
(`slack_posts.shown_hash`); the cards that differ are marked `needs_update` and go out through
the outbox like any other change (`SlackPoster.refresh_changed`, paced for chat.update). Far
and lapsed deadlines show no count, so most cards are not edited on most days (bench/
refresh_bench.py measures how many are). The day is claimed in the send ledger, so two
replicas, or a restart, refresh it once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.statuses import REJECTION_OPEN, REQUEST_OPEN
from bot.presenters.card_renderer import CardRenderer
from bot.services.job_report import JobReport
from storage.models import ClaimRejection, Denial, DocumentationRequest, SlackPost
from storage.send_ledger import SendLedger

NAME = "refresh"
KIND = "card_refresh"  # one send-ledger row per local day
CHUNK = 200  # cards rendered per transaction
CHECKED = "{changed} of {checked} open cards to update for {day}"


@dataclass(frozen=True, slots=True)
class Refreshed:
    checked: int  # open cards rendered as of the day
    changed: int  # of them, the cards whose words differ from what Slack shows


@dataclass(frozen=True)
class CardRefresh:
    sessions: sessionmaker[Session]
    renderer: CardRenderer
    ledger: SendLedger

    def run(self, today: date, *, manual: bool = False) -> JobReport:
        """Mark today's changed cards (once per day, unless a person asks again)."""
        report = JobReport(NAME)
        key = today.isoformat()
        if not manual and not self.ledger.claim(KIND, key):
            return report  # done today, or another replica is on it
        done = self.mark_changed(today)
        if not manual:
            self.ledger.mark_sent(KIND, key, {"checked": done.checked, "changed": done.changed})
        report.sent.append(CHECKED.format(changed=done.changed, checked=done.checked, day=key))
        return report

    def mark_changed(self, today: date) -> Refreshed:
        checked = changed = 0
        for chunk in self._open_cards():
            with self.sessions() as session, session.begin():
                posts = session.scalars(select(SlackPost).where(SlackPost.id.in_(chunk))).all()
                for post in posts:
                    shown = self.renderer.render(session, post, today=today).digest()
                    checked += 1
                    if shown != post.shown_hash:
                        post.needs_update = True
                        changed += 1
        return Refreshed(checked, changed)

    def _open_cards(self) -> Iterator[list[int]]:
        """Posted cards with something still open on them, in chunks of ids."""
        with self.sessions() as session:
            ids = list(
                session.scalars(
                    select(SlackPost.id)
                    .where(
                        SlackPost.status == "posted",
                        SlackPost.replaced_by_id.is_(None),
                        or_(
                            SlackPost.id.in_(
                                select(Denial.post_id).where(Denial.closed.is_(False))
                            ),
                            SlackPost.id.in_(
                                select(DocumentationRequest.post_id).where(
                                    DocumentationRequest.status.in_(REQUEST_OPEN)
                                )
                            ),
                            SlackPost.id.in_(
                                select(ClaimRejection.post_id).where(
                                    ClaimRejection.status.in_(REJECTION_OPEN)
                                )
                            ),
                        ),
                    )
                    .order_by(SlackPost.id)
                )
            )
        for start in range(0, len(ids), CHUNK):
            yield ids[start : start + CHUNK]
