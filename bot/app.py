"""Wires everything once: `create_app(settings, client=...)` returns the Bolt app."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.bootstrap import Runtime, build_runtime
from bot.clock import Clock
from bot.config import Settings
from bot.deps import Deps
from bot.handlers import (
    card_actions,
    column_mapping,
    commands,
    files,
    group_actions,
    home,
    letters,
    modals,
)
from bot.letters.compose import LetterTemplates
from bot.presenters.card_renderer import CardRenderer
from bot.services.appeal_letters import AppealLetters
from bot.services.posting import SlackPoster
from bot.services.triage import Triage
from bot.slack.after_ack import AfterAck, tell_something_went_wrong

log = logging.getLogger(__name__)

# Every listener module registers itself here, explicitly, once.
LISTENERS = (
    card_actions,
    group_actions,
    modals,
    letters,
    home,
    files,
    column_mapping,
    commands,
)


def make_client(settings: Settings) -> WebClient:
    """The Slack client with slack_sdk's retry handlers (used outside the acknowledge path)."""
    client = WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url or WebClient.BASE_URL,
        timeout=15,
    )
    client.retry_handlers.extend(
        [
            ConnectionErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=1),
        ]
    )
    return client


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
    )
    return Deps(
        settings=settings,
        sessions=runtime.sessions,
        rulebook=runtime.rulebook,
        clock=runtime.clock,
        client=client,
        triage=Triage(runtime.sessions, settings.managers),
        renderer=renderer,
        poster=poster,
        after_ack=AfterAck(),
        letters=AppealLetters(
            runtime.sessions, runtime.rulebook, LetterTemplates(settings.letter_templates)
        ),
    )


def create_app(
    settings: Settings,
    *,
    client: WebClient | None = None,
    deps: Deps | None = None,
) -> App:
    deps = deps or build_deps(settings, client=client)
    app = App(
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
    def last_resort(error: Exception, body: dict[str, Any], respond: Any) -> BoltResponse | None:
        log.error("listener failed: %s", type(error).__name__)
        log.debug("listener failure", exc_info=error)
        if body.get("response_url"):
            tell_something_went_wrong(respond)
        return None

    return app
