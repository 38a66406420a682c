"""Repeat patterns: the fixes a practice records for them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from storage.models import AuditEvent, PatternFix, SlackPost


def record_fix(
    sessions: sessionmaker[Session], post_id: int, note: str, actor: str, now: datetime
) -> bool:
    """Store the workflow fix for the pattern of a grouped card; False when it is gone."""
    with sessions() as session, session.begin():
        post = session.get(SlackPost, post_id)
        if post is None or not post.denials:
            return False
        pattern = post.pattern_key or post.denials[0].pattern_key
        session.add(PatternFix(pattern_key=pattern, note=note, recorded_by=actor, recorded_at=now))
        session.add(
            AuditEvent(denial_id=None, actor=actor, action="fix", detail={"post": post_id}, at=now)
        )
        return True
