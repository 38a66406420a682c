"""Is this request from Slack? Checked on the raw bytes, before anything in them is parsed.

Slack signs every HTTP request: `X-Slack-Signature: v0=` + HMAC-SHA256 of
`v0:{X-Slack-Request-Timestamp}:{body}` with the app's signing secret, and asks apps to refuse
timestamps more than five minutes from their clock (a captured request cannot be replayed
later). slack_sdk's `SignatureVerifier` does the same sum, but raises on a timestamp that is not
a whole number (`abc`, `1e9`, empty) and takes the body as text, so the request must be
decoded first; here the headers' form is checked before the body is read, every failure is a
reason and never an exception, and the body stays bytes.
"""

from __future__ import annotations

import hashlib
import hmac
import re

MAX_AGE_SECONDS = 5 * 60  # Slack's documented window, in both directions

_TIMESTAMP = re.compile(rb"[0-9]{1,12}")  # seconds since 1970: ten digits until the year 2286
_SIGNATURE = re.compile(rb"v0=[0-9a-f]{64}")


def refuse_headers(timestamp: str | None, signature: str | None, now: float) -> str | None:
    """Why the signature headers cannot be right (no body needed to tell), or None."""
    stamp = (timestamp or "").encode("ascii", "replace")
    if not stamp:
        return "no timestamp"
    if not _TIMESTAMP.fullmatch(stamp):
        return "timestamp is not a whole number of seconds"
    if abs(now - int(stamp)) > MAX_AGE_SECONDS:
        return "timestamp is more than five minutes away"
    if not signature:
        return "no signature"
    if not _SIGNATURE.fullmatch(signature.encode("ascii", "replace")):
        return "signature is not of the v0 form"
    return None


def signed_by(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """True when `signature` is Slack's v0 signature of `body` sent at `timestamp`."""
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("ascii", "replace"))


def refuse(
    secret: str, timestamp: str | None, signature: str | None, body: bytes, now: float
) -> str | None:
    """Why this request is not from Slack, or None when it is."""
    reason = refuse_headers(timestamp, signature, now)
    if reason is not None or timestamp is None or signature is None:
        return reason or "no signature"
    if not secret or not signed_by(secret, timestamp, body, signature):
        return "signature does not match"
    return None
