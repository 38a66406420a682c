"""Slack's request signature, checked on raw bytes: every malformed header is a reason, never
an exception."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from bot.slack.signature import MAX_AGE_SECONDS, refuse, refuse_headers, signed_by

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
NOW = 1_764_500_000.0
BODY = b"token=x&command=%2Fdenials&text=due"


def sign(timestamp: str, body: bytes = BODY, secret: str = SECRET) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def test_a_request_signed_now_with_the_secret_is_from_slack() -> None:
    stamp = str(int(NOW))
    assert refuse(SECRET, stamp, sign(stamp), BODY, NOW) is None
    assert signed_by(SECRET, stamp, BODY, sign(stamp))


@pytest.mark.parametrize(
    ("timestamp", "reason"),
    [
        (None, "no timestamp"),
        ("", "no timestamp"),
        ("abc", "timestamp is not a whole number of seconds"),
        ("1e9", "timestamp is not a whole number of seconds"),
        ("-5", "timestamp is not a whole number of seconds"),
        (" 1764500000", "timestamp is not a whole number of seconds"),
        ("1764500000.5", "timestamp is not a whole number of seconds"),
        ("١٧٦٤٥٠٠٠٠٠", "timestamp is not a whole number of seconds"),
        ("9" * 20, "timestamp is not a whole number of seconds"),
        (str(int(NOW) - MAX_AGE_SECONDS - 1), "timestamp is more than five minutes away"),
        (str(int(NOW) + MAX_AGE_SECONDS + 1), "timestamp is more than five minutes away"),
    ],
)
def test_a_timestamp_that_is_not_seconds_from_now_is_refused_without_the_body(
    timestamp: str | None, reason: str
) -> None:
    assert refuse_headers(timestamp, "v0=" + "0" * 64, NOW) == reason


@pytest.mark.parametrize(
    ("signature", "reason"),
    [
        (None, "no signature"),
        ("", "no signature"),
        ("v1=" + "0" * 64, "signature is not of the v0 form"),
        ("v0=" + "G" * 64, "signature is not of the v0 form"),
        ("v0=" + "0" * 63, "signature is not of the v0 form"),
        ("v0=" + "0" * 64, "signature does not match"),
        (sign(str(int(NOW)), BODY + b"&"), "signature does not match"),
        (sign(str(int(NOW)), secret="another"), "signature does not match"),
        (sign(str(int(NOW) - 1)), "signature does not match"),
    ],
)
def test_a_signature_that_is_not_slacks_over_these_bytes_is_refused(
    signature: str | None, reason: str
) -> None:
    assert refuse(SECRET, str(int(NOW)), signature, BODY, NOW) == reason


def test_without_a_signing_secret_nothing_is_from_slack() -> None:
    stamp = str(int(NOW))
    assert refuse("", stamp, sign(stamp, secret=""), BODY, NOW) == "signature does not match"
