"""What every listener and tick is given, built once by `build_deps` (bot.app) and closed over
by each module's `register`."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk import WebClient

from bot.clock import Clock
from bot.config import Settings
from bot.domain.actor import Actor
from bot.domain.rulebook import Rulebook
from bot.services.access import Access
from bot.services.appeal_letters import AppealLetters
from bot.services.appeals import Appeals
from bot.services.card_reads import CardReads
from bot.services.group_triage import GroupTriage
from bot.services.posting import SlackPoster
from bot.services.sessions import Sessions
from bot.services.work_items import WorkItems
from bot.slack.after_ack import AfterAck
from bot.slack.payloads import SlackUser
from bot.slack.people import SlackPeople


@dataclass(frozen=True)
class Deps:
    settings: Settings
    sessions: Sessions  # handed to the services, which open their own sessions
    rulebook: Rulebook
    clock: Clock
    client: WebClient
    triage: Appeals  # the card's changes, the appeal outcome among them
    groups: GroupTriage
    cards: CardReads
    poster: SlackPoster
    after_ack: AfterAck  # what a listener does once it has acknowledged
    letters: AppealLetters  # drafts appeal letters (templates loaded once)
    work: WorkItems  # documentation requests and rejections
    people: SlackPeople  # who is a person, who is in the denials channel (cached)
    access: Access  # who may do what: every request passes bot.handlers.access

    def actor(self, who: SlackUser) -> Actor:
        """The person behind a request, and whether they are one of DENIALS_MANAGERS."""
        return Actor(team=who.team, user=who.user, is_manager=who.user in self.settings.managers)
