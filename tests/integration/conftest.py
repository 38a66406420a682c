"""Fixtures the scheduled-job tests share: a Slack stand-in that knows the people, a job bot."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
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
