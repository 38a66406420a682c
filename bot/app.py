"""Wires everything once: `create_app(settings, client=...)` returns the Bolt app."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk import WebClient

from bot.bootstrap import Runtime, build_runtime
from bot.clock import Clock
from bot.config import Settings
from bot.deps import Deps
from bot.handlers import (
    access,
    bad_rows,
    card_actions,
    column_mapping,
    commands,
    files,
    group_actions,
    home,
    letters,
    lists,
    modals,
    unknown,
    work_actions,
)
from bot.handlers.feedback import form_refusal
from bot.letters.compose import LetterTemplates
from bot.presenters.card_renderer import CardRenderer
from bot.services.access import Access
from bot.services.appeal_letters import AppealLetters
from bot.services.appeals import Appeals
from bot.services.card_reads import CardReads
from bot.services.group_triage import GroupTriage
from bot.services.posting import SlackPoster
from bot.services.work_items import WorkItems
from bot.slack.after_ack import SOMETHING_WENT_WRONG, AfterAck, tell_something_went_wrong
from bot.slack.once import OnceApp
from bot.slack.payloads import can_respond
from bot.slack.people import SlackPeople
from bot.slack.retries import retry_handlers
from bot.slack.signature import refuse
from storage.receipts import Receipts

log = logging.getLogger(__name__)

CLIENT_TIMEOUT = 15  # seconds: Slack answers in well under one; longer counts as lost

# Every listener module registers itself here, explicitly, once; `unknown` last, as it takes
# whatever the others did not.
LISTENERS = (
    access,  # first: it decides who may, before any listener
    card_actions,
    group_actions,
    modals,
    letters,
    work_actions,
    home,
    lists,
    files,
    column_mapping,
    bad_rows,
    commands,
    unknown,
)


def make_client(settings: Settings, *, timeout: int = CLIENT_TIMEOUT) -> WebClient:
    """The Slack client: retries that never send a message twice (`bot.slack.retries`), used
    outside the acknowledge path; an answer later than `timeout` seconds counts as lost."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url or WebClient.BASE_URL,
        timeout=timeout,
        retry_handlers=retry_handlers(),
    )


def build_deps(
    settings: Settings,
    *,
    client: WebClient | None = None,
    runtime: Runtime | None = None,
    clock: Clock | None = None,
    post_interval: float = 1.0,
) -> Deps:
    runtime = runtime or build_runtime(settings, clock=clock)
    client = client or make_client(settings)
    renderer = CardRenderer(runtime.rulebook.root_causes, runtime.clock.zone, settings.phi)
    poster = SlackPoster(
        sessions=runtime.sessions,
        client=client,
        channel=settings.channel or "",
        renderer=renderer,
        clock=runtime.clock,
        interval=post_interval,
        # An answer later than the client's timeout: Slack is given as long again to finish
        # before the message is looked for (a lost answer is settled, never re-sent unseen).
        settle_after=timedelta(seconds=client.timeout),
    )
    triage = Appeals(runtime.sessions, settings.managers, runtime.rulebook.payer_rules)
    after_ack = AfterAck()
    people = SlackPeople(client, settings.channel, background=after_ack)
    return Deps(
        settings=settings,
        sessions=runtime.sessions,
        rulebook=runtime.rulebook,
        clock=runtime.clock,
        client=client,
        triage=triage,
        groups=GroupTriage(runtime.sessions, triage),
        cards=CardReads(
            runtime.sessions, runtime.rulebook.root_causes, runtime.clock.zone, settings.phi
        ),
        poster=poster,
        after_ack=after_ack,
        letters=AppealLetters(
            runtime.sessions, runtime.rulebook, LetterTemplates(settings.letter_templates)
        ),
        work=WorkItems(runtime.sessions, runtime.rulebook.payer_rules),
        people=people,
        access=Access(people, settings.managers),
    )


def create_app(
    settings: Settings,
    *,
    client: WebClient | None = None,
    deps: Deps | None = None,
) -> App:
    deps = deps or build_deps(settings, client=client)
    app = OnceApp(
        Receipts(deps.sessions),  # a request Slack sends again is acknowledged, not redone
        later=deps.after_ack,
        client=deps.client,
        # Listeners acknowledge in the request's thread and hand the rest to deps.after_ack.
        process_before_response=True,
        signing_secret=settings.slack_signing_secret or "socket-mode-has-no-signing-secret",
        token_verification_enabled=False,  # the runner checks the token once, with a clear message
        raise_error_for_unhandled_request=False,
    )
    for module in LISTENERS:
        module.register(app, deps)

    @app.error
    def last_resort(
        error: Exception, body: dict[str, Any], request: BoltRequest, respond: Any
    ) -> BoltResponse:
        log.error("listener failed: %s", type(error).__name__)
        log.debug("listener failure", exc_info=error)
        if not from_slack(request, settings.slack_signing_secret or ""):
            # Nothing in a request Slack did not sign is acted on: its response_url could be
            # any address on the internet or our own network.
            return BoltResponse(status=401, body="")
        if body.get("type") == "view_submission":
            return form_refusal(body, SOMETHING_WENT_WRONG)
        if can_respond(body):
            tell_something_went_wrong(respond)
        return BoltResponse(status=200, body="")  # acknowledged: the person has been told

    return app


def from_slack(request: BoltRequest, signing_secret: str) -> bool:
    """Socket Mode requests come over the app token's websocket; HTTP ones must be signed."""
    if request.mode == "socket_mode":
        return True

    def header(name: str) -> str | None:
        values = request.headers.get(name) or ()
        return values[0] if values else None

    reason = refuse(
        signing_secret,
        header("x-slack-request-timestamp"),
        header("x-slack-signature"),
        request.raw_body.encode("utf-8"),
        time.time(),
    )
    return reason is None
