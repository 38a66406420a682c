"""Fixtures the integration tests share: a Slack stand-in that knows the people, a job bot,
and a terminal whose `denials` command uses the test database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.domain.rulebook import Rulebook
from tests.integration.jobs_support import JobBot, add_people
from tests.support.slack_standin import SlackStandIn


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as standin:
        add_people(standin)
        yield standin


@pytest.fixture
def bot(
    settings: Settings, sessions: sessionmaker[Session], rulebook: Rulebook, slack: SlackStandIn
) -> JobBot:
    return JobBot.build(settings, sessions, rulebook, slack)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch, database_url: str, engine: Engine) -> None:
    """The CLI reads only the environment; point it at the test database (emptied)."""
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "DENIALS_CHANNEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DENIALS_DATABASE_URL", database_url)
    monkeypatch.chdir(Path(__file__).parent)  # no stray .env from the working directory
