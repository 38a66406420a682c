"""A file someone shared in Slack: what `files.info` says of it, and its bytes."""

from __future__ import annotations

import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

DEFAULT_NAME = "upload"


@dataclass(frozen=True, slots=True)
class SlackFile:
    name: str
    size: int  # bytes, as Slack reports it
    url: str | None  # url_private_download: needs the bot token
    thread_ts: str | None  # the message that shared it in the channel asked about
    reply_to: str | None = None  # the thread it was shared in as a reply, if it was

    def download(self, token: str, *, limit: int) -> bytes:
        """At most `limit` + 1 bytes, so the caller can tell a file that is too large.

        Raises OSError (or KeyError without a download address) when Slack does not serve it.
        """
        if self.url is None:
            raise KeyError("url_private_download")
        # url_private needs the bot token; Slack serves it over HTTPS (tests: the local stand-in).
        request = urllib.request.Request(self.url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return bytes(response.read(limit + 1))


def shared_file(client: WebClient, file_id: str, channel: str) -> SlackFile:
    """`files.info` of the file, with the message that shared it in `channel`."""
    info = client.files_info(file=file_id)["file"]
    url = info.get("url_private_download")
    return SlackFile(
        name=str(info.get("name") or DEFAULT_NAME),
        size=int(info.get("size") or 0),
        url=str(url) if url else None,
        thread_ts=_share_ts(info.get("shares") or {}, channel),
        reply_to=_thread_of(info.get("shares") or {}, channel),
    )


def _share_ts(shares: Mapping[str, Any], channel: str) -> str | None:
    for kind in ("public", "private"):
        entries = (shares.get(kind) or {}).get(channel) or []
        if entries:
            return str(entries[0].get("ts"))
    return None


def _thread_of(shares: Mapping[str, Any], channel: str) -> str | None:
    """The thread the file was shared in as a reply (its parent's ts), if it was."""
    for kind in ("public", "private"):
        for entry in (shares.get(kind) or {}).get(channel) or []:
            parent = entry.get("thread_ts")
            if parent and parent != entry.get("ts"):
                return str(parent)
    return None
