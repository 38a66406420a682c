"""Did Slack take it? Each way a call can fail, read as: not taken, or maybe taken (look first)."""

from __future__ import annotations

import json
from collections.abc import Callable
from http.client import RemoteDisconnected
from typing import Any
from urllib.error import URLError

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web import SlackResponse

from bot.errors import SlackUnavailableError
from bot.slack.retries import SafeConnectionErrorRetry, SafeServerErrorRetry
from bot.slack.taken import checked, unavailable


def api_error(status: int, error: str, headers: dict[str, Any] | None = None) -> SlackApiError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.com/api/chat.postMessage",
        req_args={},
        data={"ok": False, "error": error},
        headers=headers or {},
        status_code=status,
    )
    return SlackApiError(error, response)


def failing(error: Exception) -> Callable[[], None]:
    def call() -> None:
        raise error

    return call


def test_a_refusal_is_not_about_availability_and_passes_as_it_is() -> None:
    assert unavailable(api_error(200, "channel_not_found")) is None
    with pytest.raises(SlackApiError):
        checked(failing(api_error(200, "channel_not_found")))


def test_a_429_was_not_taken_and_says_how_long_to_wait() -> None:
    problem = unavailable(api_error(429, "ratelimited", {"Retry-After": "7"}))
    assert problem is not None
    assert (problem.maybe_sent, problem.retry_after) == (False, 7.0)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_server_error_may_have_been_taken(status: int) -> None:
    problem = unavailable(api_error(status, "internal_error"))
    assert problem is not None
    assert problem.maybe_sent


def test_a_request_that_never_left_was_not_taken() -> None:
    problem = unavailable(URLError(ConnectionRefusedError(111, "refused")))
    assert problem is not None
    assert not problem.maybe_sent


@pytest.mark.parametrize(
    "error",
    [
        TimeoutError("timed out"),
        RemoteDisconnected("closed without a response"),
        ConnectionResetError(104, "reset"),
        json.JSONDecodeError("not json", "<html>", 0),
    ],
)
def test_an_answer_lost_late_or_broken_may_have_been_taken(error: Exception) -> None:
    with pytest.raises(SlackUnavailableError) as raised:
        checked(failing(error))
    assert raised.value.maybe_sent
    assert raised.value.__cause__ is error


def request(method: str) -> HttpRequest:
    return HttpRequest(method="POST", url=f"https://slack.com/api/{method}", headers={})


@pytest.mark.parametrize(
    ("method", "error", "retried"),
    [
        ("chat.postMessage", RemoteDisconnected("lost"), False),
        ("chat.postMessage", ConnectionResetError(104, "reset"), False),
        ("chat.postMessage", URLError(ConnectionRefusedError(111, "refused")), True),
        ("conversations.history", RemoteDisconnected("lost"), True),
        ("chat.update", ConnectionResetError(104, "reset"), True),
        ("files.completeUploadExternal", RemoteDisconnected("lost"), False),
    ],
)
def test_the_clients_retries_never_repeat_a_call_that_may_have_posted(
    method: str, error: Exception, retried: bool
) -> None:
    handler = SafeConnectionErrorRetry(max_retry_count=2)
    assert handler.can_retry(state=RetryState(), request=request(method), error=error) is retried


@pytest.mark.parametrize(("method", "retried"), [("chat.postMessage", False), ("users.info", True)])
def test_a_server_error_is_retried_only_where_twice_is_once(method: str, retried: bool) -> None:
    response = HttpResponse(status_code=503, headers={})
    handler = SafeServerErrorRetry(max_retry_count=2)
    assert handler.can_retry(state=RetryState(), request=request(method), response=response) is (
        retried
    )
