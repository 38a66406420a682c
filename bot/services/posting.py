"""Sends the outbox to Slack: each card posted exactly once, paced, surviving outages.

Each post is claimed (`sending`) in its own committed transaction before the Slack call and
marked `posted` with its `ts` after. The message carries its post id as Slack message metadata,
so a claim left in `sending` by a crash is settled by looking for that message in the channel
before posting again: nothing is posted twice and nothing is lost.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.models.metadata import Metadata
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.presenters.card_renderer import CardRenderer
from bot.slack.advice import explain
from bot.slack.history import find_by_metadata
from storage.models import SlackPost

log = logging.getLogger(__name__)

METADATA_TYPE = "denial_card"
STALE_CLAIM = timedelta(minutes=2)
MAX_BACKOFF = timedelta(hours=1)


@dataclass
class PostReport:
    posted: int = 0
    updated: int = 0
    deferred: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class SlackPoster:
    sessions: sessionmaker[Session]
    client: WebClient
    channel: str
    renderer: CardRenderer
    clock: Clock
    interval: float = 1.0  # Slack allows about one message per second per channel
    sleep: Callable[[float], None] = time.sleep
    worker: str = "bot"
    _last_post: float = field(default=0.0, init=False)

    def post_pending(self, limit: int = 500) -> PostReport:
        report = PostReport()
        self._settle_stale_claims()
        for post_id in self._due_ids(limit):
            if not self._claim(post_id):
                continue  # another replica took it
            try:
                self._send(post_id)
                report.posted += 1
            except SlackApiError as error:
                retry_after = _retry_after(error)
                self._release(post_id, error, retry_after)
                report.deferred += 1
                report.errors.append(explain(error))
                if retry_after is not None or _is_outage(error):
                    break  # Slack asked us to slow down, or is down: stop this round
            except SlackClientError as error:  # connection refused, timeouts
                self._release(post_id, error, None)
                report.deferred += 1
                report.errors.append(f"Slack could not be reached ({type(error).__name__})")
                break
            except OSError as error:
                self._release(post_id, error, None)
                report.deferred += 1
                report.errors.append(f"Slack could not be reached ({type(error).__name__})")
                break
        report.updated = self.refresh_changed()
        return report

    def post_now(self, post_id: int) -> bool:
        """Post one pending card at once (a request just logged by hand); when Slack cannot
        take it now, it stays in the outbox for the posting job. True when it went out."""
        if not self._claim(post_id):
            return False  # the posting job (or another replica) has it
        try:
            self._send(post_id)
        except SlackApiError as error:
            self._release(post_id, error, _retry_after(error))
            return False
        except (SlackClientError, OSError) as error:
            self._release(post_id, error, None)
            return False
        return True

    def refresh(self, post_id: int) -> None:
        """Rebuild a posted card from the database and update it in place."""
        with self.sessions() as session:
            post = session.get(SlackPost, post_id)
            if post is None or post.ts is None or post.channel is None:
                return
            message = self.renderer.render(session, post, today=self.clock.today())
            channel, ts = post.channel, post.ts
        self.client.chat_update(channel=channel, ts=ts, text=message.text, blocks=message.blocks)

    def mark_stale(self, post_id: int) -> None:
        """The card could not be updated now: the next posting round rebuilds it."""
        with self.sessions() as session, session.begin():
            session.execute(
                update(SlackPost).where(SlackPost.id == post_id).values(needs_update=True)
            )

    def refresh_changed(self) -> int:
        """Cards whose denials changed outside Slack (e.g. paid on a later remittance)."""
        with self.sessions() as session:
            ids = session.scalars(
                select(SlackPost.id).where(
                    SlackPost.needs_update.is_(True), SlackPost.status == "posted"
                )
            ).all()
        done = 0
        for post_id in ids:
            try:
                self.refresh(post_id)
                notes = self._take_notes(post_id)
                for note in notes:
                    self.thread_note(post_id, note)
            except (SlackClientError, OSError) as error:
                log.warning("card refresh deferred: %s", type(error).__name__)
                break
            done += 1
        return done

    def _take_notes(self, post_id: int) -> list[str]:
        """Mark the card fresh and take the thread notes waiting for it, in one transaction."""
        with self.sessions() as session, session.begin():
            post = session.get(SlackPost, post_id, with_for_update=True)
            if post is None:
                return []
            notes = [str(n) for n in post.pending_notes]
            post.needs_update = False
            post.pending_notes = []
            return notes

    def thread_note(self, post_id: int | None, text: str) -> None:
        """A one-line history note in the card's thread (never broadcast)."""
        if post_id is None:
            return
        with self.sessions() as session:
            post = session.get(SlackPost, post_id)
            if post is None or post.ts is None:
                return
            channel, ts = post.channel, post.ts
        self.client.chat_postMessage(channel=channel or self.channel, thread_ts=ts, text=text)

    def _due_ids(self, limit: int) -> list[int]:
        now = self.clock.now()
        with self.sessions() as session:
            return list(
                session.scalars(
                    select(SlackPost.id)
                    .where(
                        SlackPost.status == "pending",
                        or_(SlackPost.not_before.is_(None), SlackPost.not_before <= now),
                    )
                    .order_by(SlackPost.id)
                    .limit(limit)
                )
            )

    def _claim(self, post_id: int) -> bool:
        with self.sessions() as session, session.begin():
            claimed = session.execute(
                update(SlackPost)
                .where(SlackPost.id == post_id, SlackPost.status == "pending")
                .values(status="sending", channel=self.channel, not_before=self.clock.now())
            )
            return bool(claimed.rowcount)  # type: ignore[attr-defined]

    def _send(self, post_id: int) -> None:
        with self.sessions() as session:
            post = session.get(SlackPost, post_id)
            assert post is not None
            message = self.renderer.render(session, post, today=self.clock.today())
        self._pace()
        response = self.client.chat_postMessage(
            channel=self.channel,
            text=message.text,
            blocks=message.blocks,
            metadata=_card_metadata(post_id),
            unfurl_links=False,
        )
        self._mark_posted(post_id, str(response["channel"]), str(response["ts"]))

    def _mark_posted(self, post_id: int, channel: str, ts: str) -> None:
        with self.sessions() as session, session.begin():
            session.execute(
                update(SlackPost)
                .where(SlackPost.id == post_id)
                .values(
                    status="posted",
                    channel=channel,
                    ts=ts,
                    posted_at=self.clock.now(),
                    last_error=None,
                    needs_update=False,
                )
            )

    def _release(self, post_id: int, error: Exception, retry_after: float | None) -> None:
        """Back to pending, to be tried again later: after Retry-After, else with backoff."""
        with self.sessions() as session, session.begin():
            post = session.get(SlackPost, post_id)
            if post is None:
                return
            post.attempts += 1
            wait = (
                timedelta(seconds=retry_after)
                if retry_after is not None
                else min(timedelta(seconds=5 * 2 ** min(post.attempts, 10)), MAX_BACKOFF)
            )
            post.status = "pending"
            post.not_before = self.clock.now() + wait
            post.last_error = explain(error) if isinstance(error, SlackApiError) else repr(error)
        log.warning("posting a card deferred: %s", post.last_error)

    def _settle_stale_claims(self) -> None:
        """A claim left in `sending` by a crash: posted after all, or back to pending."""
        cutoff = self.clock.now() - STALE_CLAIM
        with self.sessions() as session:
            stale = session.execute(
                select(SlackPost.id, SlackPost.channel).where(
                    SlackPost.status == "sending", SlackPost.not_before <= cutoff
                )
            ).all()
        for post_id, channel in stale:
            ts = self._find_posted(channel or self.channel, post_id)
            if ts is not None:
                self._mark_posted(post_id, channel or self.channel, ts)
                continue
            with self.sessions() as session, session.begin():
                session.execute(
                    update(SlackPost)
                    .where(SlackPost.id == post_id, SlackPost.status == "sending")
                    .values(status="pending")
                )

    def _find_posted(self, channel: str, post_id: int) -> str | None:
        try:
            return find_by_metadata(self.client, channel, _card_metadata(post_id))
        except (SlackClientError, OSError):
            return None

    def _pace(self) -> None:
        wait = self._last_post + self.interval - time.monotonic()
        if wait > 0:
            self.sleep(wait)
        self._last_post = time.monotonic()


def _card_metadata(post_id: int) -> Metadata:
    return Metadata(event_type=METADATA_TYPE, event_payload={"post_id": post_id})


def _retry_after(error: SlackApiError) -> float | None:
    if error.response.status_code != 429:
        return None
    try:
        return float(error.response.headers.get("Retry-After", 1))
    except (TypeError, ValueError):
        return 1.0


def _is_outage(error: SlackApiError) -> bool:
    return int(error.response.status_code or 0) >= 500
