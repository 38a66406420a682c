"""Shared fixtures: a migrated database (SQLite by default, PostgreSQL when asked)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.config import Settings
from bot.domain.rulebook import Rulebook
from storage.db import make_engine, make_session_factory, upgrade
from storage.models import Base
from tests.support.databases import postgres_database

DATA = Path(__file__).parent / "data"
PG_URL = os.environ.get("DENIALS_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """SQLite in a temporary folder, or a fresh PostgreSQL database for this test run.

    A database of its own per run keeps parallel runs (and the `test` database) untouched.
    """
    if not PG_URL:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'denials.db'}"
        return
    with postgres_database(PG_URL, f"denials_test_{os.getpid()}_{secrets.token_hex(3)}") as url:
        yield url


@pytest.fixture(scope="session")
def migrated_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(migrated_engine: Engine) -> Engine:
    """The migrated database, emptied before each test."""
    empty_database(migrated_engine)
    return migrated_engine


def empty_database(engine: Engine) -> None:
    """Delete every row of every table (ids start again at 1 on PostgreSQL)."""
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - our own names


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        DENIALS_DATABASE_URL=database_url,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="test-secret",
        DENIALS_CHANNEL="C0DENIALS",
        DENIALS_MANAGERS="UMANAGER",
        _env_file=None,
    )


@pytest.fixture(scope="session")
def rulebook() -> Rulebook:
    return Rulebook.from_settings(Settings(_env_file=None))


@pytest.fixture
def clock() -> Clock:
    return Clock(Settings(_env_file=None).zone, date(2026, 11, 30))
