"""The posting outbox: which Slack cards an import needs, written in the import's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Connection, bindparam, func, select, update
from sqlalchemy.orm import Session

from storage.bulk.insert import BulkInsert, allocate_ids, table_of
from storage.models import Denial, SlackPost

BATCH = 1000
# Core tables, not ORM entities: the import runs without the ORM (see importing).
_DENIALS = table_of(Denial)
_POSTS = table_of(SlackPost)


def enqueue_cards(session: Session, import_id: int, *, now: datetime, group_min: int) -> int:
    """One grouped card per pattern with `group_min`+ new denials, one card per other denial.

    Returns how many posts were queued.
    """
    # The import's transaction holds the write lock: ids can be drawn first (see allocate_ids),
    # which spares an INSERT ... RETURNING per post.
    connection = session.connection()
    return _queue_groups(connection, import_id, now, group_min) + _queue_cards(
        connection, import_id, now
    )


def _open_new(import_id: int) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """The import's denials still open (none closed by a later claim of the same file)."""
    return (_DENIALS.c.import_id == import_id, _DENIALS.c.closed.is_(False))


def _queue_groups(connection: Connection, import_id: int, now: datetime, group_min: int) -> int:
    """One post per pattern with `group_min`+ open denials, set on those denials."""
    bursts = (
        connection.execute(
            select(_DENIALS.c.pattern_key)
            .where(*_open_new(import_id))
            .group_by(_DENIALS.c.pattern_key)
            .having(func.count() >= group_min)
        )
        .scalars()
        .all()
    )
    if not bursts:
        return 0
    group_ids = allocate_ids(connection, _POSTS, len(bursts))
    groups = BulkInsert(
        _POSTS,
        ("id", "kind", "pattern_key", "import_id", "created_at"),
        connection,
        converted=("created_at",),
    )
    created = groups.convert("created_at")(now)
    groups.execute(
        connection,
        [
            groups.row(
                {
                    "id": post_id,
                    "kind": "group",
                    "pattern_key": pattern,
                    "import_id": import_id,
                    "created_at": created,
                }
            )
            for post_id, pattern in zip(group_ids, bursts, strict=True)
        ],
    )
    connection.execute(
        update(_DENIALS)
        .where(*_open_new(import_id), _DENIALS.c.pattern_key == bindparam("pattern"))
        .values(post_id=bindparam("post")),
        [{"pattern": p, "post": i} for p, i in zip(bursts, group_ids, strict=True)],
    )
    return len(bursts)


def _queue_cards(connection: Connection, import_id: int, now: datetime) -> int:
    """One post per open denial without one yet, in batches of ids."""
    cards = BulkInsert(
        _POSTS, ("id", "kind", "import_id", "created_at"), connection, converted=("created_at",)
    )
    created = cards.convert("created_at")(now)
    queued = 0
    last = 0  # keyset: each batch starts after the last one, never rescanning what is done
    while True:
        singles = (
            connection.execute(
                select(_DENIALS.c.id)
                .where(*_open_new(import_id), _DENIALS.c.post_id.is_(None), _DENIALS.c.id > last)
                .order_by(_DENIALS.c.id)
                .limit(BATCH)
            )
            .scalars()
            .all()
        )
        if not singles:
            return queued
        last = singles[-1]
        post_ids = allocate_ids(connection, _POSTS, len(singles))
        card = {"kind": "card", "import_id": import_id, "created_at": created}
        cards.execute(connection, [cards.row({"id": post_id, **card}) for post_id in post_ids])
        connection.execute(
            update(_DENIALS)
            .where(_DENIALS.c.id == bindparam("denial"))
            .values(post_id=bindparam("post")),
            [{"denial": d, "post": p} for d, p in zip(singles, post_ids, strict=True)],
        )
        queued += len(singles)
