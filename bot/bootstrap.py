"""The one place that builds the engine, sessions and rules from settings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.config import Settings
from bot.domain.rulebook import Rulebook
from storage.db import make_engine, make_session_factory, upgrade


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    rulebook: Rulebook
    clock: Clock

    def close(self) -> None:
        """Close the database connections (a long-running bot never needs to)."""
        self.engine.dispose()


def build_runtime(
    settings: Settings, *, clock: Clock | None = None, migrate: bool = True
) -> Runtime:
    rulebook = Rulebook.from_settings(settings)  # a bad override file stops us before the DB
    engine = make_engine(settings.database_url)
    if migrate:
        try:
            upgrade(engine)
        except BaseException:
            engine.dispose()
            raise
    return Runtime(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        rulebook=rulebook,
        clock=clock or Clock(settings.zone),
    )
