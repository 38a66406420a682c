"""Engine and session factory; migrations are applied through Alembic (storage/migrations).

Alembic is imported only when there is a migration to apply: a database already at the newest
revision is recognised with one query, so a command such as `denials import` starts quickly.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# Revision files are `NNNN_what.py` with revision id "NNNN", one chain (PROTOCOL.md;
# tests/integration/test_migrations.py checks it), so the newest is the highest number.
REVISION_FILES = "[0-9][0-9][0-9][0-9]_*.py"
SQLITE_BUSY_MS = 30_000  # how long SQLite waits for another writer before "database is locked"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with the settings each backend needs to be a good citizen."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the bot read while an import writes; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to `revision` (what `denials db upgrade` and `denials run` do)."""
    if revision == "head" and current_revision(engine) == head_revision():
        return
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def head_revision() -> str:
    """The newest migration's revision id."""
    return max(path.name[:4] for path in (MIGRATIONS / "versions").glob(REVISION_FILES))


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None when it has none (new, or several heads)."""
    try:
        with engine.connect() as connection:
            found = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except DBAPIError:  # no alembic_version table: nothing migrated yet
        return None
    return str(found[0][0]) if len(found) == 1 else None
