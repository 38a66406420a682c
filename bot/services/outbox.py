"""The posting outbox: which Slack cards an import needs, written in the import's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.orm import Session

from bot.services.claim_rows import BulkInsert, allocate_ids
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
    posts = SlackPost.__table__
    denials = Denial.__table__
    assert isinstance(posts, Table)
    assert isinstance(denials, Table)
    # The import's transaction holds the write lock: ids can be drawn first (see allocate_ids),
    # which spares an INSERT ... RETURNING per post.
    connection = session.connection()
    if bursts:
        group_ids = allocate_ids(connection, posts, len(bursts))
        groups = BulkInsert(
            posts, ("id", "kind", "pattern_key", "import_id", "created_at"), connection
        )
        groups.execute(
            connection,
            [
                groups.prepare(
                    {
                        "id": post_id,
                        "kind": "group",
                        "pattern_key": pattern,
                        "import_id": import_id,
                        "created_at": now,
                    }
                )
                for post_id, pattern in zip(group_ids, bursts, strict=True)
            ],
        )
        session.execute(
            update(denials)
            .where(
                denials.c.import_id == import_id,
                denials.c.closed.is_(False),
                denials.c.pattern_key == bindparam("pattern"),
            )
            .values(post_id=bindparam("post")),
            [{"pattern": p, "post": i} for p, i in zip(bursts, group_ids, strict=True)],
        )
        queued += len(bursts)
    cards = BulkInsert(posts, ("id", "kind", "import_id", "created_at"), connection)
    last = 0  # keyset: each batch starts after the last one, never rescanning what is done
    while True:
        singles = session.scalars(
            select(Denial.id)
            .where(open_new & Denial.post_id.is_(None) & (Denial.id > last))
            .order_by(Denial.id)
            .limit(BATCH)
        ).all()
        if not singles:
            return queued
        last = singles[-1]
        post_ids = allocate_ids(connection, posts, len(singles))
        cards.execute(
            connection,
            [
                cards.prepare(
                    {"id": post_id, "kind": "card", "import_id": import_id, "created_at": now}
                )
                for post_id in post_ids
            ],
        )
        session.execute(
            update(denials)
            .where(denials.c.id == bindparam("denial"))
            .values(post_id=bindparam("post")),
            [{"denial": d, "post": p} for d, p in zip(singles, post_ids, strict=True)],
        )
        queued += len(singles)
