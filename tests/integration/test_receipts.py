"""Each request Slack sends is handled once: the receipts table, on SQLite and PostgreSQL, raced
by threads of two "replicas" (an engine each), as several `denials run` would."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import DatabaseBusyError
from storage.db import make_engine, make_session_factory
from storage.models import SlackReceipt
from storage.receipts import KEEP_FOR, UNACKNOWLEDGED_AFTER, WAIT_AT_MOST, Receipts

KEY = "interactive:T1:1.2.abc"


@pytest.fixture
def other_replica(engine: Engine, database_url: str) -> Iterator[sessionmaker[Session]]:
    """A second engine on the same database: another process's connections."""
    second = make_engine(database_url)
    yield make_session_factory(second)
    second.dispose()


def row(sessions: sessionmaker[Session], key: str = KEY) -> SlackReceipt:
    with sessions() as session:
        return session.scalars(select(SlackReceipt).where(SlackReceipt.key == key)).one()


def test_the_first_delivery_is_handled_and_every_later_one_is_not(
    sessions: sessionmaker[Session],
) -> None:
    receipts = Receipts(sessions, worker="a:1")

    assert receipts.first(KEY)
    receipts.acknowledged(KEY)
    assert not receipts.first(KEY)
    assert not receipts.first(KEY)

    saved = row(sessions)
    assert (saved.handled_by, saved.repeats) == ("a:1", 2)
    assert saved.acknowledged_at is not None


def test_a_delivery_while_the_first_is_still_being_handled_is_not_handled(
    sessions: sessionmaker[Session],
) -> None:
    receipts = Receipts(sessions)
    assert receipts.first(KEY)  # not acknowledged yet: the listener is still running
    assert not receipts.first(KEY)


def test_two_replicas_racing_on_one_request_handle_it_once(
    sessions: sessionmaker[Session], other_replica: sessionmaker[Session]
) -> None:
    replicas = [Receipts(sessions, worker="a:1"), Receipts(other_replica, worker="b:2")]
    keys = [f"event:T1:Ev{n}" for n in range(20)]
    wins: list[str] = []
    start = threading.Barrier(8)

    def deliver(receipts: Receipts) -> None:
        start.wait()
        for key in keys:
            if receipts.first(key):
                wins.append(key)

    threads = [threading.Thread(target=deliver, args=(replicas[n % 2],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(wins) == sorted(keys)  # each request handled by exactly one delivery
    with sessions() as session:
        assert session.scalar(select(SlackReceipt.repeats).where(SlackReceipt.key == keys[0])) == 7


def test_a_request_that_failed_before_its_acknowledgement_is_handled_on_slacks_retry(
    sessions: sessionmaker[Session],
) -> None:
    receipts = Receipts(sessions)
    assert receipts.first(KEY)
    receipts.release(KEY)  # the listener raised: no acknowledgement went out
    assert receipts.first(KEY)
    receipts.acknowledged(KEY)
    receipts.release(KEY)  # an acknowledged request is never forgotten this way
    assert not receipts.first(KEY)


def test_a_request_left_unacknowledged_by_a_dead_process_is_taken_over_once(
    sessions: sessionmaker[Session], other_replica: sessionmaker[Session]
) -> None:
    assert Receipts(sessions, worker="dead:1").first(KEY)
    with sessions() as session, session.begin():
        long_ago = datetime.now(UTC) - UNACKNOWLEDGED_AFTER - timedelta(seconds=1)
        session.execute(update(SlackReceipt).values(received_at=long_ago))

    survivor, late = Receipts(other_replica, worker="b:2"), Receipts(sessions, worker="c:3")
    assert survivor.first(KEY)
    assert not late.first(KEY)  # the takeover itself is a fresh claim
    assert row(sessions).handled_by == "b:2"


def test_old_receipts_are_deleted_and_recent_ones_kept(sessions: sessionmaker[Session]) -> None:
    receipts = Receipts(sessions)
    for key in ("old", "recent"):
        receipts.first(key)
        receipts.acknowledged(key)
    with sessions() as session, session.begin():
        two_days = datetime.now(UTC) - KEEP_FOR - timedelta(hours=1)
        session.execute(
            update(SlackReceipt).where(SlackReceipt.key == "old").values(received_at=two_days)
        )

    assert receipts.prune() == 1
    with sessions() as session:
        assert session.scalars(select(SlackReceipt.key)).all() == ["recent"]


def test_on_sqlite_a_busy_database_delays_a_request_by_at_most_a_second(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL writers do not wait for each other on different rows")
    receipts = Receipts(sessions)
    with engine.connect() as writer:  # an import holding SQLite's one write lock
        writer.execute(text("BEGIN IMMEDIATE"))
        started = time.monotonic()
        with pytest.raises(DatabaseBusyError):
            receipts.first(KEY)
        waited = time.monotonic() - started
        writer.rollback()
    assert WAIT_AT_MOST - 0.1 < waited < 3.0  # Slack's three seconds are never spent here
    assert receipts.first(KEY)
    for _ in range(engine.pool.size()):  # every pooled connection waits as long as it needs
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == 30_000
