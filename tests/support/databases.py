"""A PostgreSQL database of its own for a test run, a test or a benchmark."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text

from storage.db import make_engine


@contextmanager
def postgres_database(server_url: str, name: str) -> Iterator[str]:
    """A new, empty database `name` on the server of `server_url` (one left by an interrupted
    run is dropped first), dropped again afterwards; yields its URL."""
    server = make_engine(server_url, isolation_level="AUTOCOMMIT")
    drop = text("DROP DATABASE IF EXISTS " + _quoted(server, name) + " WITH (FORCE)")
    try:
        with server.connect() as connection:
            connection.execute(drop)
            connection.execute(text("CREATE DATABASE " + _quoted(server, name)))
        yield server.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(drop)
        server.dispose()


def _quoted(server: Engine, name: str) -> str:
    """`name` as an identifier: DDL takes no bound parameters."""
    return server.dialect.identifier_preparer.quote_identifier(name)
