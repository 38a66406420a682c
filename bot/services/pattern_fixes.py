"""Repeat patterns: the fixes a practice records for them (from a grouped card, an early
warning or `/denials patterns`): what changed, who owns it, from when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.pattern_scope import Scope
from storage.models import AuditEvent, PatternAlert, PatternFix, Payer, SendClaim, SlackPost

ALERT_KIND = "pattern_alert"  # the send ledger's kind for alerts (bot.services.pattern_watch)


@dataclass(frozen=True, slots=True)
class AlertPlace:
    """Where the pattern's latest alert was posted: the fix is noted in its thread."""

    channel: str
    ts: str


def record_fix(
    sessions: sessionmaker[Session],
    post_id: int,
    note: str,
    actor: str,
    now: datetime,
    *,
    owner: str | None = None,
    effective_on: date | None = None,
) -> bool:
    """Store the workflow fix for the pattern of a grouped card; False when it is gone.
    `owner` is a Slack user id (None: whoever recorded it); `effective_on` None: today."""
    form = _Form(note, owner, effective_on or now.date())
    with sessions() as session, session.begin():
        post = session.get(SlackPost, post_id)
        if post is None or not post.denials:
            return False
        pattern = post.pattern_key or post.denials[0].pattern_key
        _store(session, pattern, form, actor, now, {"post": post_id})
        return True


@dataclass(frozen=True, slots=True)
class PatternFixRecorded:
    ok: bool  # False: the key names no pattern of a payer we know (forged, or payer merged)
    alert: AlertPlace | None = None


def record_pattern_fix(
    sessions: sessionmaker[Session],
    scope_key: str,
    note: str,
    actor: str,
    now: datetime,
    *,
    owner: str | None = None,
    effective_on: date | None = None,
) -> PatternFixRecorded:
    """Store a fix for a pattern named by its scope key (an alert's or `/denials patterns`'s
    "Record a fix"), and say where the pattern's latest alert is, to note the fix there."""
    try:
        scope = Scope.parse(scope_key)
    except ValueError:
        return PatternFixRecorded(ok=False)
    form = _Form(note, owner, effective_on or now.date())
    with sessions() as session, session.begin():
        if session.get(Payer, scope.payer_id) is None:
            return PatternFixRecorded(ok=False)
        _store(session, scope.key, form, actor, now, {"pattern": scope.key})
        alert = session.scalar(
            select(PatternAlert.key)
            .where(PatternAlert.base == scope.base)
            .order_by(PatternAlert.id.desc())
            .limit(1)
        )
        if alert is None:
            return PatternFixRecorded(ok=True)
        detail = session.scalar(
            select(SendClaim.detail).where(
                SendClaim.kind == ALERT_KIND, SendClaim.key == alert, SendClaim.status == "sent"
            )
        )
    if detail and detail.get("ts") and detail.get("channel"):
        return PatternFixRecorded(True, AlertPlace(str(detail["channel"]), str(detail["ts"])))
    return PatternFixRecorded(ok=True)


@dataclass(frozen=True, slots=True)
class _Form:
    note: str
    owner: str | None
    effective_on: date


def _store(
    session: Session,
    pattern: str,
    form: _Form,
    actor: str,
    now: datetime,
    detail: dict[str, str | int],
) -> None:
    session.add(
        PatternFix(
            pattern_key=pattern,
            note=form.note,
            recorded_by=actor,
            recorded_at=now,
            owner=form.owner,
            effective_on=form.effective_on,
        )
    )
    session.add(AuditEvent(denial_id=None, actor=actor, action="fix", detail=detail, at=now))
