"""Small reads the listeners need before they act (no changes here)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Denial, SlackPost


def find_denial(sessions: sessionmaker[Session], denial_id: int) -> Denial | None:
    with sessions() as session:
        return session.get(Denial, denial_id)


def find_post(sessions: sessionmaker[Session], post_id: int) -> SlackPost | None:
    with sessions() as session:
        post = session.get(SlackPost, post_id)
        if post is not None:
            post.denials  # noqa: B018 - load them while the session is open
        return post


def open_denial_ids(sessions: sessionmaker[Session], post_id: int) -> list[int]:
    with sessions() as session:
        return list(
            session.scalars(
                select(Denial.id)
                .where(Denial.post_id == post_id, Denial.closed.is_(False))
                .order_by(Denial.id)
            )
        )
