"""What every listener needs, built once by `create_app` and closed over by `register`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.config import Settings
from bot.domain.rulebook import Rulebook
from bot.presenters.card_renderer import CardRenderer
from bot.services.appeal_letters import AppealLetters
from bot.services.posting import SlackPoster
from bot.services.triage import Actor, Triage
from bot.services.work_items import WorkItems
from bot.slack.after_ack import AfterAck


@dataclass(frozen=True)
class Deps:
    settings: Settings
    sessions: sessionmaker[Session]
    rulebook: Rulebook
    clock: Clock
    client: WebClient
    triage: Triage
    renderer: CardRenderer
    poster: SlackPoster
    after_ack: AfterAck  # what a listener does once it has acknowledged
    letters: AppealLetters  # drafts appeal letters (templates loaded once)
    work: WorkItems  # documentation requests and rejections

    def actor(self, body: dict[str, Any]) -> Actor:
        """Who clicked or typed: people are keyed by (team id, user id)."""
        user = body.get("user") or {}
        user_id = str(user.get("id") or body.get("user_id") or "")
        team = body.get("team") or {}
        team_id = str(
            (team.get("id") if isinstance(team, dict) else None)
            or user.get("team_id")
            or body.get("team_id")
            or ""
        )
        return Actor(team=team_id, user=user_id, is_manager=user_id in self.settings.managers)
