"""Did Slack take it? What a failed Web API call says about a message it was to send.

One rule for every message the bot sends (cards, thread notes, digests, warnings, DMs, error
reports):

- Slack answered and refused (`ok: false`, a 4xx) or asked us to wait (429, `Retry-After`):
  it did not take the message. Send it again, after the wait.
- The request never left (urllib's `URLError`: no connection, a failed TLS handshake, an
  unfinished body): not taken either.
- The request left and the answer was lost, late or broken (a dropped connection, a read
  timeout, a 5xx from Slack or its load balancer, a body that is not JSON): Slack may have
  posted it. Nobody sends it again before looking for it by its metadata
  (`bot.slack.history`).

`checked(call)` runs one call that must not happen twice and raises `SlackUnavailableError`
with `maybe_sent` and `retry_after` set accordingly; Slack's refusals pass through as they are.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from http.client import HTTPException
from typing import TypeVar
from urllib.error import URLError

from slack_sdk.errors import SlackApiError

from bot.errors import SlackUnavailableError
from bot.slack.advice import explain

T = TypeVar("T")

UNREACHABLE = "Slack could not be reached ({why}); it is tried again later."
NO_ANSWER = "Slack's answer was lost ({why}); the message is looked for before it is sent again."
SLOW_DOWN = "Slack asked us to wait {seconds:g} s before sending more."


def checked(call: Callable[[], T]) -> T:
    """`call()`, with a failure turned into what it says about whether Slack took it."""
    try:
        return call()
    except Exception as error:
        problem = unavailable(error)
        if problem is None:
            raise
        raise problem from error


def unavailable(error: BaseException) -> SlackUnavailableError | None:
    """The failure as `SlackUnavailableError` (with `maybe_sent`, `retry_after`), or None for
    an answer from Slack that refuses the call (`ok: false`): that is not about availability."""
    if isinstance(error, SlackUnavailableError):
        return error
    if isinstance(error, SlackApiError):
        status = int(error.response.status_code or 0)
        if status == 429:
            seconds = retry_after(error)
            return SlackUnavailableError(SLOW_DOWN.format(seconds=seconds), retry_after=seconds)
        if status >= 500:
            return SlackUnavailableError(NO_ANSWER.format(why=f"HTTP {status}"), maybe_sent=True)
        return None
    why = type(error).__name__
    if isinstance(error, URLError):  # raised while connecting or sending: Slack has nothing
        return SlackUnavailableError(UNREACHABLE.format(why=why))
    if isinstance(error, OSError | HTTPException | json.JSONDecodeError):
        return SlackUnavailableError(NO_ANSWER.format(why=why), maybe_sent=True)
    return None


def retry_after(error: SlackApiError) -> float:
    """The seconds a 429 asked for (1 when the header is missing or unreadable)."""
    headers = error.response.headers or {}
    raw = next((v for k, v in headers.items() if k.lower() == "retry-after"), 1)
    if isinstance(raw, list):
        raw = raw[0] if raw else 1
    try:
        return max(float(raw), 0.0)
    except (TypeError, ValueError):
        return 1.0


def describe(error: BaseException) -> str:
    """What went wrong, in words for a job report or a log line (never the message itself)."""
    cause = error.__cause__ if isinstance(error.__cause__, Exception) else error
    if isinstance(cause, SlackApiError):
        return explain(cause)
    if isinstance(error, SlackUnavailableError) and error.maybe_sent:
        return str(error)
    return f"Slack could not be reached ({type(cause).__name__})"
