"""The posting outbox: which Slack cards an import needs, written in the import's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from storage.models import Denial, SlackPost

BATCH = 1000


def enqueue_cards(session: Session, import_id: int, *, now: datetime, group_min: int) -> int:
    """One grouped card per pattern with `group_min`+ new denials, one card per other denial.

    Returns how many posts were queued.
    """
    open_new = (Denial.import_id == import_id) & (Denial.closed.is_(False))
    bursts = (
        session.execute(
            select(Denial.pattern_key)
            .where(open_new)
            .group_by(Denial.pattern_key)
            .having(func.count() >= group_min)
        )
        .scalars()
        .all()
    )
    queued = 0
    for pattern in bursts:
        post = SlackPost(kind="group", pattern_key=pattern, import_id=import_id, created_at=now)
        session.add(post)
        session.flush()
        session.execute(
            update(Denial)
            .where(open_new & (Denial.pattern_key == pattern))
            .values(post_id=post.id)
            .execution_options(synchronize_session=False)
        )
        queued += 1
    while True:
        singles = session.scalars(
            select(Denial.id)
            .where(open_new & Denial.post_id.is_(None))
            .order_by(Denial.id)
            .limit(BATCH)
        ).all()
        if not singles:
            return queued
        post_ids = session.scalars(
            insert(SlackPost).returning(SlackPost.id, sort_by_parameter_order=True),
            [{"kind": "card", "import_id": import_id, "created_at": now} for _ in singles],
        ).all()
        table = Denial.__table__
        assert isinstance(table, Table)
        session.execute(
            update(table)
            .where(table.c.id == bindparam("denial"))
            .values(post_id=bindparam("post")),
            [{"denial": d, "post": p} for d, p in zip(singles, post_ids, strict=True)],
        )
        queued += len(singles)
