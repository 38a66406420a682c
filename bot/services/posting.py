"""Sends the outbox to Slack: each card posted exactly once, paced, surviving outages.

Each post is claimed (`sending`) in its own committed transaction before the Slack call and
marked `posted` with its `ts` after. The message carries its post id as Slack message metadata.
A failed post follows `bot.slack.taken`'s rule: refused or rate-limited, it goes back to
`pending` (after `Retry-After`, else with backoff); its answer lost or late, it becomes
`unsure`, and like a claim left in `sending` by a crash it is settled by looking for that
message in the channel before it is posted again: nothing is posted twice and nothing is lost.
Thread notes go through the `Courier` (the send ledger), by the same rule.
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
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.errors import SlackUnavailableError
from bot.presenters.card_renderer import CardRenderer
from bot.services.courier import NOTE, Courier, new_key
from bot.slack.delivery import Pacer
from bot.slack.history import find_by_metadata
from bot.slack.taken import checked, describe, unavailable
from storage.models import SlackPost
from storage.send_ledger import SETTLE_AFTER, SendLedger

log = logging.getLogger(__name__)

METADATA_TYPE = "denial_card"
STALE_CLAIM = timedelta(minutes=2)
MAX_BACKOFF = timedelta(hours=1)
FAILURES_IN_A_ROW = 3  # then the round stops: Slack is struggling, the next round goes on
# chat.update is Slack's Tier 3 (about 50 a minute): a card edit waits 1.2 intervals, and a
# round edits at most this many, so new cards are never held up behind a day's countdown edits.
UPDATE_PACE = 1.2
UPDATES_PER_ROUND = 40
LINKS_PER_ROUND = 20  # chat.getPermalink (Tier 4, about 100 a minute) for cards without one


@dataclass
class PostReport:
    posted: int = 0
    updated: int = 0
    deferred: int = 0
    notes: int = 0  # thread notes that had waited in the ledger
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
    settle_after: timedelta = SETTLE_AFTER  # a lost answer: look for the card no sooner
    courier: Courier | None = None  # thread notes; built on the database when not given
    _last_post: float = field(default=0.0, init=False)

    def __post_init__(self) -> None:
        if self.courier is None:
            ledger = SendLedger(self.sessions, settle_after=self.settle_after)
            self.courier = Courier(self.client, ledger, Pacer(self.interval, self.sleep))

    @property
    def notes(self) -> Courier:
        assert self.courier is not None
        return self.courier

    def post_pending(self, limit: int = 500) -> PostReport:
        report = PostReport()
        self._settle_stale_claims()
        failures = 0
        for post_id in self._due_ids(limit):
            if not self._claim(post_id):
                continue  # another replica took it
            try:
                self._send(post_id)
            except (SlackUnavailableError, SlackClientError, OSError) as error:
                self._release(post_id, error)
                report.deferred += 1
                report.errors.append(describe(error))
                failures += 1
                if failures >= FAILURES_IN_A_ROW or _stops_the_round(error):
                    break
                continue
            report.posted += 1
            failures = 0
        report.updated = self.refresh_changed()
        report.notes = self.notes.resend_due()
        self.fill_permalinks()
        return report

    def post_now(self, post_id: int) -> bool:
        """Post one pending card at once (a request just logged by hand); when Slack cannot
        take it now, it stays in the outbox for the posting job. True when it went out."""
        if not self._claim(post_id):
            return False  # the posting job (or another replica) has it
        try:
            self._send(post_id)
        except (SlackUnavailableError, SlackClientError, OSError) as error:
            self._release(post_id, error)  # the posting job settles or sends it
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
        with self.sessions() as session, session.begin():
            session.execute(
                update(SlackPost).where(SlackPost.id == post_id).values(shown_hash=message.digest())
            )

    def mark_stale(self, post_id: int) -> None:
        """The card could not be updated now: the next posting round rebuilds it."""
        with self.sessions() as session, session.begin():
            session.execute(
                update(SlackPost).where(SlackPost.id == post_id).values(needs_update=True)
            )

    def refresh_changed(self, limit: int = UPDATES_PER_ROUND) -> int:
        """Cards whose denials changed outside Slack (e.g. paid on a later remittance), or
        whose words changed with the day (bot/services/card_refresh.py), oldest first."""
        with self.sessions() as session:
            ids = session.scalars(
                select(SlackPost.id)
                .where(SlackPost.needs_update.is_(True), SlackPost.status == "posted")
                .order_by(SlackPost.id)
                .limit(limit)
            ).all()
        done = 0
        for post_id in ids:
            self._pace(UPDATE_PACE)
            try:
                self.refresh(post_id)
                self._take_notes(post_id)
            except (SlackClientError, OSError) as error:
                log.warning("card refresh deferred: %s", type(error).__name__)
                break
            done += 1
        return done

    def fill_permalinks(self, limit: int = LINKS_PER_ROUND) -> int:
        """Ask Slack for the links of posted cards that have none yet (posted before links
        were kept, or Slack did not answer then)."""
        with self.sessions() as session:
            rows = session.execute(
                select(SlackPost.id, SlackPost.channel, SlackPost.ts)
                .where(
                    SlackPost.status == "posted",
                    SlackPost.permalink.is_(None),
                    SlackPost.ts.is_not(None),
                )
                .order_by(SlackPost.id)
                .limit(limit)
            ).all()
        found = 0
        for post_id, channel, ts in rows:
            if not self._store_permalink(post_id, channel or self.channel, str(ts)):
                break  # Slack is not answering: the next round asks again
            found += 1
        return found

    def _store_permalink(self, post_id: int, channel: str, ts: str) -> bool:
        try:
            link = self.client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink")
        except (SlackClientError, OSError) as error:
            log.warning("card link not known yet: %s", type(error).__name__)
            return False
        if isinstance(link, str) and link:
            with self.sessions() as session, session.begin():
                session.execute(
                    update(SlackPost).where(SlackPost.id == post_id).values(permalink=link)
                )
        return True

    def _take_notes(self, post_id: int) -> list[str]:
        """Mark the card fresh and move the thread notes waiting for it to the send ledger, in
        one transaction; `resend_due` (at the end of the round) sends them."""
        with self.sessions() as session, session.begin():
            post = session.get(SlackPost, post_id, with_for_update=True)
            if post is None:
                return []
            notes = [str(n) for n in post.pending_notes]
            for note in notes:
                message = {"to": post.channel or self.channel, "thread_ts": post.ts, "text": note}
                self.notes.ledger.enqueue(session, NOTE, new_key(), {"message": message})
            post.needs_update = False
            post.pending_notes = []
            return notes

    def thread_note(self, post_id: int | None, text: str, *, key: str | None = None) -> None:
        """A one-line history note in the card's thread (never broadcast), said once: `key`
        names it (a new one when not given); kept in the ledger until Slack has it."""
        if post_id is None:
            return
        with self.sessions() as session:
            post = session.get(SlackPost, post_id)
            if post is None or post.ts is None:
                return
            channel, ts = post.channel, post.ts
        self.notes.send(NOTE, key or new_key(), channel or self.channel, text, thread_ts=ts)

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
        response = checked(
            lambda: self.client.chat_postMessage(
                channel=self.channel,
                text=message.text,
                blocks=message.blocks,
                metadata=_card_metadata(post_id),
                unfurl_links=False,
            )
        )
        channel, ts = str(response["channel"]), str(response["ts"])
        self._mark_posted(post_id, channel, ts, shown=message.digest())
        self._store_permalink(post_id, channel, ts)

    def _mark_posted(self, post_id: int, channel: str, ts: str, shown: str | None = None) -> None:
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
                    shown_hash=shown,
                )
            )

    def _release(self, post_id: int, error: Exception) -> None:
        """Tried again later: `unsure` (looked for first) when Slack may have the card, else
        `pending` after Retry-After, or with backoff."""
        problem = unavailable(error)
        now = self.clock.now()
        with self.sessions() as session, session.begin():
            post = session.get(SlackPost, post_id)
            if post is None:
                return
            post.last_error = describe(error)
            if problem is not None and problem.maybe_sent:
                post.attempts += 1
                post.status, post.not_before = "unsure", now + self.settle_after
            elif problem is not None and problem.retry_after is not None:
                wait = timedelta(seconds=problem.retry_after)
                post.status, post.not_before = "pending", now + wait
            else:
                post.attempts += 1
                backoff = min(timedelta(seconds=5 * 2 ** min(post.attempts, 10)), MAX_BACKOFF)
                post.status, post.not_before = "pending", now + backoff
            status = post.status
        log.warning(
            "posting a card deferred (%s): %s", status, type(error.__cause__ or error).__name__
        )

    def _settle_stale_claims(self) -> None:
        """A card whose post may have reached Slack (a claim left in `sending` by a crash, an
        `unsure` one whose answer was lost): found in the channel it is posted; not found it
        goes back to pending; when Slack cannot be asked, it waits for the next round."""
        now = self.clock.now()
        with self.sessions() as session:
            stale = session.execute(
                select(SlackPost.id, SlackPost.channel, SlackPost.status).where(
                    or_(
                        and_(
                            SlackPost.status == "sending", SlackPost.not_before <= now - STALE_CLAIM
                        ),
                        and_(
                            SlackPost.status == "unsure",
                            or_(SlackPost.not_before.is_(None), SlackPost.not_before <= now),
                        ),
                    )
                )
            ).all()
        for post_id, channel, status in stale:
            try:
                ts = find_by_metadata(self.client, channel or self.channel, _card_metadata(post_id))
            except Exception as error:
                if unavailable(error) is None and not isinstance(error, SlackClientError):
                    raise
                log.warning("could not look for card %s (%s)", post_id, type(error).__name__)
                continue
            if ts is not None:
                self._mark_posted(post_id, channel or self.channel, ts)
                continue
            with self.sessions() as session, session.begin():
                session.execute(
                    update(SlackPost)
                    .where(SlackPost.id == post_id, SlackPost.status == status)
                    .values(status="pending", not_before=now)
                )

    def _pace(self, factor: float = 1.0) -> None:
        wait = self._last_post + self.interval * factor - time.monotonic()
        if wait > 0:
            self.sleep(wait)
        self._last_post = time.monotonic()


def _card_metadata(post_id: int) -> Metadata:
    return Metadata(event_type=METADATA_TYPE, event_payload={"post_id": post_id})


def _stops_the_round(error: Exception) -> bool:
    """Slack asked us to wait, cannot be reached, or is failing (5xx): the next round goes on.
    One lost answer does not stop it (FAILURES_IN_A_ROW do)."""
    problem = unavailable(error)
    if problem is None:
        return isinstance(error, OSError)
    lost_answer = problem.maybe_sent and not isinstance(error.__cause__, SlackApiError)
    return not lost_answer
