"""The Slack client's own retries, which never send a message twice blindly.

slack_sdk's `ConnectionErrorRetryHandler` retries after a dropped connection and its
`ServerErrorRetryHandler` after a 500 or 503, whatever the method: for `chat.postMessage` whose
answer was lost after Slack posted it, that is a second message. Here those two retry only
what doing twice is doing once (reads, `chat.update` with the same content, `views.publish`,
`conversations.open`), or a request that never left (urllib's `URLError`). Everything else is
settled by `bot.slack.taken`'s rule: looked for before it is sent again. A 429 means Slack
did not process the call, so it is retried after `Retry-After` for any method.
"""

from __future__ import annotations

from urllib.error import URLError

from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

# Calling these twice has the effect of calling them once.
IDEMPOTENT = frozenset(
    {
        "auth.test",
        "chat.getPermalink",
        "chat.update",
        "conversations.history",
        "conversations.info",
        "conversations.members",
        "conversations.open",
        "conversations.replies",
        "files.info",
        "users.info",
        "views.publish",
        "views.update",
    }
)


def method_of(request: HttpRequest) -> str:
    return request.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


class SafeConnectionErrorRetry(ConnectionErrorRetryHandler):
    """A connection problem: retried when the request never reached Slack, or when the method
    is idempotent."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        never_sent = isinstance(error, URLError) and response is None
        return never_sent or method_of(request) in IDEMPOTENT


class SafeServerErrorRetry(ServerErrorRetryHandler):
    """A 500 or 503 from Slack: the call may have been done; retried for idempotent methods."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return method_of(request) in IDEMPOTENT and super()._can_retry(
            state=state, request=request, response=response, error=error
        )


def retry_handlers() -> list[RetryHandler]:
    return [
        SafeConnectionErrorRetry(max_retry_count=2),
        SafeServerErrorRetry(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=1),
    ]
