"""Plays Slack's side towards the app: signed HTTP requests shaped like Slack's, or the same
payloads as Socket Mode envelopes.

    driver = SlackDriver(server.events_url, SIGNING_SECRET, standin=slack)
    answer = driver.slash("/denials", "due", user="U1")
    assert answer.status == 200
    driver.wait_for(slack.responses)

    socket = driver.over_socket_mode(slack.socket_mode)   # the same people, other transport
    socket.slash("/denials", "due", user="U1")            # an envelope; returns its ack

Over Socket Mode every envelope must be acknowledged within Slack's three seconds (the driver
fails the test otherwise); `redeliver(answer)` sends an envelope or request again as Slack's
retry (`retry_attempt` / `X-Slack-Retry-Num`).

With a stand-in, slash commands and block actions carry a response_url on the stand-in and
a fresh trigger_id it accepts once; a block action on a message the stand-in holds picks up
that message, the block_id and the element's type; the app's answer to a view_submission is
applied to the stand-in's modal stack. Stdlib only (urllib), proxies ignored.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import secrets
import time
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar
from urllib.error import HTTPError
from urllib.parse import urlencode

from tests.e2e import slack_payloads as payloads
from tests.support.slack_standin import SlackStandIn
from tests.support.standin_socket import ACK_WITHIN, SocketModeStandIn
from tests.support.standin_state import View

T = TypeVar("T")
STALE_AGE = 6 * 60  # Slack's rule, applied by Bolt: refuse timestamps over five minutes off


@dataclass(frozen=True)
class Delivery:
    """What Slack sends, whatever the transport: a Socket Mode envelope type and its payload
    (over HTTP: a slash command's form, an interaction's `payload=`, an event's JSON body)."""

    kind: str  # slash_commands, interactive, events_api
    payload: dict[str, Any]
    retry_attempt: int = 0
    retry_reason: str = ""


@dataclass(frozen=True)
class Response:
    """The app's answer: the HTTP response, or the envelope's acknowledgement (status 200, or
    504 when the stand-in was told to lose it; `text`/`body` are the ack's payload)."""

    status: int
    headers: dict[str, str]  # lower-case names
    text: str
    body: Any  # parsed JSON when the app answered JSON, else the text
    delivery: Delivery | None = None


def wait_for(
    predicate: Callable[[], T | None], timeout: float = 5.0, interval: float = 0.02, what: str = ""
) -> T:
    """Poll until `predicate()` is truthy and return it; fail the test after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")
        time.sleep(interval)


class SlackDriver:
    def __init__(
        self,
        app_url: str,
        signing_secret: str,
        team_id: str = "T1",
        *,
        standin: SlackStandIn | None = None,
        api_app_id: str = "A1",
        team_domain: str = "practice",
        timeout: float = 10.0,
    ) -> None:
        """`app_url` is the app's request URL, e.g. `http://127.0.0.1:PORT/slack/events`."""
        self.app_url = app_url
        self.signing_secret = signing_secret
        self.team = payloads.Team(team_id, team_domain, api_app_id)
        self.standin = standin
        self.timeout = timeout
        self._forge = False
        self._age = 0
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        self.socket_mode: SocketModeStandIn | None = None

    def over_socket_mode(self, socket_mode: SocketModeStandIn) -> SlackDriver:
        """A copy that sends everything as envelopes over the stand-in's Socket Mode side."""
        over_socket = copy.copy(self)
        over_socket.socket_mode = socket_mode
        return over_socket

    # -- delivering ---------------------------------------------------------------------------

    def send(self, delivery: Delivery) -> Response:
        if self.socket_mode is not None:
            return self._send_envelope(self.socket_mode, delivery)
        retry: dict[str, str] = {}
        if delivery.retry_attempt:
            retry = {
                "X-Slack-Retry-Num": str(delivery.retry_attempt),
                "X-Slack-Retry-Reason": delivery.retry_reason or "http_timeout",
            }
        if delivery.kind == "slash_commands":
            answer = self.post_form(delivery.payload, retry)
        elif delivery.kind == "interactive":
            answer = self.post_form({"payload": json.dumps(delivery.payload)}, retry)
        else:
            answer = self.post_json(delivery.payload, retry)
        return replace(answer, delivery=delivery)

    def redeliver(
        self, answer: Response, retry_attempt: int = 1, retry_reason: str = "timeout"
    ) -> Response:
        """Send what `answer` answered again, as Slack's retry after a lost acknowledgement."""
        assert answer.delivery is not None, "that answer came from no delivery"
        again = replace(answer.delivery, retry_attempt=retry_attempt, retry_reason=retry_reason)
        return self.send(again)

    def _send_envelope(self, socket_mode: SocketModeStandIn, delivery: Delivery) -> Response:
        envelope_id = socket_mode.deliver(
            delivery.kind,
            delivery.payload,
            retry_attempt=delivery.retry_attempt,
            retry_reason=delivery.retry_reason,
        )
        ack = socket_mode.wait_ack(envelope_id, timeout=self.timeout)
        assert ack.delay < ACK_WITHIN, (
            f"envelope {delivery.kind} acknowledged after {ack.delay:.2f}s; Slack allows 3 s"
        )
        text = json.dumps(ack.payload) if ack.payload else ""
        body = ack.payload if ack.payload else ""
        return Response(504 if ack.lost else 200, {}, text, body, delivery)

    # -- signing and sending --------------------------------------------------------------

    def with_forged_signature(self) -> SlackDriver:
        """A copy that signs with the wrong secret (the app must answer 401)."""
        forged = copy.copy(self)
        forged._forge = True
        return forged

    def with_stale_timestamp(self, age: int = STALE_AGE) -> SlackDriver:
        """A copy whose requests are correctly signed but `age` seconds old (401 too)."""
        stale = copy.copy(self)
        stale._age = age
        return stale

    def sign(self, body: str, timestamp: str) -> str:
        """Slack's v0 scheme: `v0=` + HMAC-SHA256(secret, `v0:{timestamp}:{body}`)."""
        secret = "forged-" + self.signing_secret if self._forge else self.signing_secret
        base = f"v0:{timestamp}:{body}".encode()
        return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()

    def post(self, body: str, content_type: str, headers: dict[str, str] | None = None) -> Response:
        timestamp = str(int(time.time()) - self._age)
        request = urllib.request.Request(  # noqa: S310 - the app under test, on 127.0.0.1
            self.app_url,
            data=body.encode(),
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": timestamp,
                "X-Slack-Signature": self.sign(body, timestamp),
                "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
                **(headers or {}),
            },
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                return _response(answer.status, dict(answer.headers.items()), answer.read())
        except HTTPError as refusal:
            with refusal:
                return _response(refusal.code, dict(refusal.headers.items()), refusal.read())

    def post_form(self, fields: dict[str, str], headers: dict[str, str] | None = None) -> Response:
        return self.post(urlencode(fields), "application/x-www-form-urlencoded", headers)

    def post_json(self, payload: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
        return self.post(json.dumps(payload), "application/json", headers)

    # -- what people do -------------------------------------------------------------------

    def slash(
        self, command: str = "/denials", text: str = "due", user: str = "U1", channel: str = "C1"
    ) -> Response:
        response_url = self._response_url(user, channel)
        form = payloads.slash_form(
            self.team, command, text, user, channel, response_url, self._trigger_id(user)
        )
        return self.send(Delivery("slash_commands", dict(form)))

    def block_action(
        self,
        action_id: str,
        value: str | None = None,
        selected_option: str | dict[str, Any] | None = None,
        *,
        user: str = "U1",
        channel: str = "C1",
        message_ts: str | None = None,
        message: dict[str, Any] | None = None,
        block_id: str | None = None,
        selected_user: str | None = None,
        view_id: str | None = None,
    ) -> Response:
        """A click on a message (default) or on an open modal / Home tab (`view_id`).

        Button: `value`; static_select / overflow: `selected_option` (its value, or the
        option dict); users_select: `selected_user`.
        """
        view = self._view(view_id) if view_id else None
        if message is None and message_ts and self.standin is not None:
            stored = self.standin.message(channel, message_ts)
            message = stored.to_api() if stored is not None else None
        blocks = view.blocks if view is not None else list((message or {}).get("blocks") or [])
        element, found_block_id = payloads.find_element(blocks, action_id, block_id)
        block_id = block_id or found_block_id or "b1"
        clicked = payloads.action(
            action_id, block_id, element, value, selected_option, selected_user
        )
        payload = payloads.interaction("block_actions", self.team, user, self._trigger_id(user))
        payload.update(state={"values": {}}, actions=[clicked])
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view.id}
            payload["view"] = view.to_api(self.team.id)
        else:
            ts = (message or {}).get("ts") or message_ts
            payload["container"] = {
                "type": "message",
                "message_ts": ts,
                "channel_id": channel,
                "is_ephemeral": message is None,
            }
            payload["channel"] = {"id": channel, "name": "denials"}
            payload["message"] = message or {"type": "message", "ts": ts, "text": ""}
            payload["response_url"] = self._response_url(user, channel, ts)
        return self.send(Delivery("interactive", payload))

    def view_submission(
        self,
        callback_id: str,
        values: Mapping[str, Any],
        private_metadata: str | None = None,
        *,
        user: str = "U1",
    ) -> Response:
        """Submit the user's open modal with `callback_id` (a made-up one if none is open).

        `values` is `{block_id: {action_id: value}}`; a value is a str (plain_text_input), a
        date (datepicker) or the whole state entry (`{"type": "static_select", ...}`).
        `private_metadata` defaults to the open modal's.
        """
        open_views = self.standin.views(user) if self.standin is not None else []
        matching = [v for v in open_views if v.is_open and v.callback_id == callback_id]
        view = matching[-1] if matching else None
        if view is not None:
            shown = view.to_api(self.team.id)
        else:
            shown = {"id": "V0", "type": "modal", "callback_id": callback_id, "blocks": []}
            shown.update(team_id=self.team.id, app_installed_team_id=self.team.id)
        if private_metadata is not None or "private_metadata" not in shown:
            shown["private_metadata"] = private_metadata or ""
        shown["state"] = payloads.state(values)
        payload = payloads.interaction("view_submission", self.team, user, self._trigger_id(user))
        payload.update(view=shown, response_urls=[])
        answer = self.send(Delivery("interactive", payload))
        if view is not None and self.standin is not None and answer.status == 200:
            self.standin.view_submitted(view.id, answer.body if answer.text else None)
        return answer

    def event(self, event: dict[str, Any], *, retry_num: int | None = None) -> Response:
        """An Events API delivery of `event`; `retry_num` marks it as Slack's retry."""
        delivery = Delivery("events_api", payloads.event_envelope(self.team, event))
        if retry_num is not None:
            delivery = replace(delivery, retry_attempt=retry_num, retry_reason="http_timeout")
        return self.send(delivery)

    def url_verification(self, challenge: str = "challenge-token") -> Response:
        token = payloads.VERIFICATION_TOKEN
        return self.post_json({"token": token, "challenge": challenge, "type": "url_verification"})

    def app_home_opened(self, user: str = "U1") -> Response:
        event: dict[str, Any] = {"type": "app_home_opened", "user": user, "tab": "home"}
        event["channel"] = "D" + user[1:]
        home = self.standin.home(user) if self.standin is not None else None
        if home is not None:
            event["view"] = home.to_api(self.team.id)
        return self.event(event)

    def file_shared(self, file_id: str, user: str = "U1", channel: str = "C1") -> Response:
        event = {"type": "file_shared", "file_id": file_id, "user_id": user, "channel_id": channel}
        return self.event({**event, "file": {"id": file_id}})

    def wait_for(
        self, predicate: Callable[[], T | None], timeout: float = 5.0, what: str = ""
    ) -> T:
        return wait_for(predicate, timeout=timeout, what=what)

    # -- the stand-in's side --------------------------------------------------------------

    def _response_url(self, user: str, channel: str | None, message_ts: str | None = None) -> str:
        if self.standin is None:
            return f"http://127.0.0.1:9/response/{secrets.token_hex(4)}"  # nobody listens
        return self.standin.new_response_url(user=user, channel=channel, message_ts=message_ts)

    def _trigger_id(self, user: str) -> str:
        if self.standin is None:
            return f"0.{int(time.time())}.{secrets.token_hex(16)}"
        return self.standin.issue_trigger(user)

    def _view(self, view_id: str) -> View:
        view = self.standin.view(view_id) if self.standin is not None else None
        assert view is not None, f"no view {view_id} on the stand-in"
        return view


def _response(status: int, headers: dict[str, str], raw: bytes) -> Response:
    headers = {k.lower(): v for k, v in headers.items()}
    text = raw.decode()
    is_json = headers.get("content-type", "").startswith("application/json") and text
    return Response(status, headers, text, json.loads(text) if is_json else text)
