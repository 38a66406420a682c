"""Requests Slack did not sign cost nothing: refused before parsing, no Web API call, no
post to a response_url, no database change, no 500, one log line without the payload."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import itertools
import json
import logging
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import pytest
from slack_bolt import BoltRequest
from sqlalchemy import func, select

from bot.app import create_app
from bot.http_server import EVENTS_PATH, MAX_BODY_BYTES
from storage.models import AuditEvent, Denial, SendClaim
from tests.e2e.bot_harness import CHANNEL, BotUnderTest
from tests.support.x835 import denied, make_835

MARKER = "PAYLOAD-MARKER-5101Z88001"  # must never reach a log line
MB = 1 << 20


@dataclass(frozen=True)
class Forged:
    what: str
    body: bytes
    headers: dict[str, str]


def post(bot: BotUnderTest, body: bytes, headers: dict[str, str]) -> int:
    """One raw POST to the bot (any header, any bytes); the HTTP status it answered."""
    address = urlsplit(bot.url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=30)
    try:
        connection.request("POST", EVENTS_PATH, body=body, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def sign(secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def bodies(bot: BotUnderTest) -> dict[str, tuple[bytes, str]]:
    """What an attacker sends: each with a response_url on the stand-in, which must stay quiet."""
    url = bot.slack.new_response_url(user="UEVIL", channel=CHANNEL)
    action = {
        "type": "block_actions",
        "response_url": url,
        "user": {"id": "UEVIL"},
        "actions": [{"action_id": "denial.root_cause", "block_id": "denial.actions|1:1"}],
        "note": MARKER,
    }
    form = "application/x-www-form-urlencoded"
    return {
        "slash command": (
            urlencode({"command": "/denials", "text": MARKER, "response_url": url}).encode(),
            form,
        ),
        "block action": (urlencode({"payload": json.dumps(action)}).encode(), form),
        "JSON event": (
            json.dumps({"type": "event_callback", "x": MARKER}).encode(),
            "application/json",
        ),
        "non-JSON as JSON": (b"{not json " + MARKER.encode(), "application/json"),
        "malformed payload=": (b"payload=%7B%22response_url%22%3A" + MARKER.encode(), form),
        "not UTF-8": (b"\xff\xfe\xfa" + MARKER.encode() + b"\xc3", form),
        "empty": (b"", form),
        "1 KB of noise": (bytes(range(256)) * 4, "application/octet-stream"),
    }


def timestamps(now: int) -> dict[str, str | None]:
    return {
        "no timestamp": None,
        "empty": "",
        "abc": "abc",
        "1e9": "1e9",
        "negative": "-5",
        "padded": f" {now}",
        "fraction": f"{now}.5",
        "arabic digits": "١٧٠٠٠٠٠٠٠٠".encode().decode("latin-1"),  # as UTF-8 bytes on the wire
        "twenty digits": "9" * 20,
        "stale (10 min)": str(now - 600),
        "future (10 min)": str(now + 600),
        "now": str(now),
    }


def forged_requests(bot: BotUnderTest) -> Iterator[Forged]:
    """Every timestamp form x every wrong signature x every body: none of them signed right."""
    secret = bot.settings.slack_signing_secret or ""
    now = int(time.time())
    for (ts_name, ts), (body_name, (body, kind)) in itertools.product(
        timestamps(now).items(), bodies(bot).items()
    ):
        good_ts = ts if ts and ts.isascii() and ts.strip().isdigit() else str(now)
        signatures = {
            "no signature": None,
            "not v0": "v1=" + "0" * 64,
            "wrong secret": sign("forged-" + secret, good_ts, body),
            "altered body": sign(secret, good_ts, body + b"&"),
            "other timestamp": sign(secret, str(now - 1), body),
        }
        if ts_name in ("stale (10 min)", "future (10 min)"):
            signatures["right secret, wrong time"] = sign(secret, good_ts, body)
        for sig_name, signature in signatures.items():
            if ts_name == "now" and sig_name == "other timestamp" and str(now - 1) == ts:
                continue
            headers = {"Content-Type": kind}
            if ts is not None:
                headers["X-Slack-Request-Timestamp"] = ts
            if signature is not None:
                headers["X-Slack-Signature"] = signature
            yield Forged(f"{ts_name} / {sig_name} / {body_name}", body, headers)


def database_state(bot: BotUnderTest) -> tuple[int, ...]:
    with bot.deps.sessions() as session:
        counts = [
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in (Denial, AuditEvent, SendClaim)
        ]
        return (*counts, session.scalar(select(func.max(Denial.version))) or 0)


@pytest.fixture
def quiet_bot(bot: BotUnderTest) -> BotUnderTest:
    """A bot with one card posted, whose stand-in has forgotten every call so far."""
    bot.import_bytes(make_835([denied("5101Z88001", carc="197")]), "remit.835")
    bot.post_cards()
    return bot


def test_forged_stale_future_and_altered_requests_are_refused_and_cost_nothing(
    quiet_bot: BotUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    bot = quiet_bot
    calls_before, before = len(bot.slack.calls()), database_state(bot)
    caplog.set_level(logging.INFO)
    requests = list(forged_requests(bot))

    answers = {request.what: post(bot, request.body, request.headers) for request in requests}

    assert len(requests) == 12 * 8 * 5 + 2 * 8  # timestamps x bodies x signatures: 496
    assert {what: status for what, status in answers.items() if status != 401} == {}
    assert bot.server.slack_endpoint.refusals.counts[401] == len(requests)
    assert len(bot.slack.calls()) == calls_before  # no Web API call of any kind
    assert bot.slack.responses() == []  # nothing posted to the response_url in the bodies
    assert database_state(bot) == before
    refusals = [r for r in caplog.records if "refused a request" in r.getMessage()]
    assert MARKER not in caplog.text
    assert len(refusals) <= 10  # one line per reason, then one a minute


def answer_to_headers(bot: BotUnderTest, length: int, headers: dict[str, str]) -> bytes:
    """Send only a request's headers, declaring `length` bytes of body: what comes back
    before a single byte of the body was sent."""
    address = urlsplit(bot.url)
    lines = [f"POST {EVENTS_PATH} HTTP/1.1", "Host: bot", f"Content-Length: {length}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    with socket.create_connection((address.hostname or "", address.port or 0), timeout=30) as raw:
        raw.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        return raw.recv(200)


@pytest.mark.parametrize("megabytes", [1, 2, 5, 100])
def test_bodies_over_one_megabyte_are_refused_with_413_before_they_are_read(
    quiet_bot: BotUnderTest, megabytes: int
) -> None:
    bot = quiet_bot
    calls_before = len(bot.slack.calls())
    now = str(int(time.time()))
    signed_looking = {"X-Slack-Request-Timestamp": now, "X-Slack-Signature": "v0=" + "0" * 64}
    forged = {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=0"}

    for headers in (signed_looking, forged):
        answer = answer_to_headers(bot, megabytes * MB + 1, headers)
        assert answer.startswith(b"HTTP/1.1 413"), answer
    assert len(bot.slack.calls()) == calls_before


def test_a_body_of_exactly_the_limit_is_read_and_one_byte_more_is_not(
    quiet_bot: BotUnderTest,
) -> None:
    bot = quiet_bot
    now = str(int(time.time()))
    headers = {"X-Slack-Request-Timestamp": now, "X-Slack-Signature": "v0=" + "0" * 64}
    assert post(bot, b"x" * MAX_BODY_BYTES, headers) == 401  # read, then refused as unsigned
    assert answer_to_headers(bot, MAX_BODY_BYTES + 1, headers).startswith(b"HTTP/1.1 413")


def test_a_chunked_body_is_measured_and_checked_like_any_other(quiet_bot: BotUnderTest) -> None:
    bot = quiet_bot
    address = urlsplit(bot.url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=30)
    try:
        connection.putrequest("POST", EVENTS_PATH)
        connection.putheader("Transfer-Encoding", "chunked")
        connection.putheader("X-Slack-Request-Timestamp", "1e9")
        connection.endheaders()
        for _ in range(3):
            piece = b"y" * MB
            connection.send(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        connection.send(b"0\r\n\r\n")
        status = connection.getresponse().status
    except (BrokenPipeError, ConnectionResetError):
        status = 413  # refused mid-way, as it should be
    finally:
        connection.close()
    assert status == 413
    assert bot.slack.responses() == []


def test_signed_bodies_bolt_cannot_read_are_400_not_500(quiet_bot: BotUnderTest) -> None:
    bot = quiet_bot
    secret = bot.settings.slack_signing_secret or ""
    cases = {
        b"{not json": "application/json",
        b"payload=%7Bnot-json": "application/x-www-form-urlencoded",
        b"\xff\xfe": "application/x-www-form-urlencoded",
    }
    for body, kind in cases.items():
        now = str(int(time.time()))
        headers = {
            "Content-Type": kind,
            "X-Slack-Request-Timestamp": now,
            "X-Slack-Signature": sign(secret, now, body),
        }
        assert post(bot, body, headers) == 400, body
    assert bot.slack.responses() == []


@pytest.mark.parametrize("timestamp", ["abc", "", "1e9"])
def test_the_error_handler_never_answers_a_request_slack_did_not_sign(
    quiet_bot: BotUnderTest, timestamp: str
) -> None:
    """Even handed to Bolt directly (another adapter, a test server), a forged request whose
    timestamp makes Bolt's own check raise is not answered at the address in its body."""
    bot = quiet_bot
    app = create_app(bot.settings, deps=bot.deps)
    url = bot.slack.new_response_url(user="UEVIL", channel=CHANNEL)
    body = urlencode({"command": "/denials", "text": "help", "response_url": url})
    headers = {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": "v0=" + "0" * 64,
    }

    answer = app.dispatch(BoltRequest(body=body, headers=headers))

    assert answer.status == 401
    bot.deps.after_ack.close()  # whatever was queued has run
    assert bot.slack.responses() == []
