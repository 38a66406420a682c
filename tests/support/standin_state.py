"""What the Slack stand-in remembers: people, channels, messages, views, files, responses.

Plain records; the `Workspace` holds them. Nothing here is thread-safe on its own: the
stand-in's server takes one lock around every request and every query.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any


class ApiError(Exception):
    """A Web API refusal: `{"ok": false, "error": error, **extra}` with HTTP 200."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


@dataclass
class User:
    id: str
    name: str
    team: str
    real_name: str = ""
    tz: str = "America/New_York"
    is_bot: bool = False
    deleted: bool = False

    def to_api(self) -> dict[str, Any]:
        real_name = self.real_name or self.name
        return {
            "id": self.id,
            "team_id": self.team,
            "name": self.name,
            "real_name": real_name,
            "deleted": self.deleted,
            "is_bot": self.is_bot,
            "tz": self.tz,
            "profile": {"real_name": real_name, "display_name": self.name},
        }


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool = False
    is_im: bool = False
    user: str | None = None  # the other party of a DM
    members: list[str] = field(default_factory=list)

    def to_api(self) -> dict[str, Any]:
        info: dict[str, Any] = {
            "id": self.id,
            "is_channel": not (self.is_im or self.is_private),
            "is_private": self.is_private,
            "is_im": self.is_im,
            "is_member": True,
        }
        if self.is_im:
            info["user"] = self.user
        else:
            info["name"] = self.name
        return info


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    user: str
    bot_id: str
    thread_ts: str | None = None
    attachments: list[dict[str, Any]] = field(default_factory=list)
    metadata: dict[str, Any] | None = None
    files: list[dict[str, Any]] = field(default_factory=list)
    reply_broadcast: bool = False
    edits: int = 0

    def to_api(self) -> dict[str, Any]:
        message: dict[str, Any] = {
            "type": "message",
            "ts": self.ts,
            "text": self.text,
            "user": self.user,
            "bot_id": self.bot_id,
        }
        optional = {
            "blocks": self.blocks,
            "attachments": self.attachments,
            "thread_ts": self.thread_ts,
            "metadata": self.metadata,
            "files": self.files,
        }
        message.update({k: v for k, v in optional.items() if v})
        return message


@dataclass
class Ephemeral:
    """Seen by one user only: from chat.postEphemeral or an ephemeral response_url post."""

    channel: str | None
    user: str | None
    text: str
    blocks: list[dict[str, Any]]
    source: str
    thread_ts: str | None = None


@dataclass
class View:
    id: str
    user: str
    payload: dict[str, Any]
    hash: str
    root_view_id: str
    previous_view_id: str | None = None
    is_open: bool = True
    errors: dict[str, str] = field(default_factory=dict)  # from response_action "errors"

    @property
    def type(self) -> str:
        return str(self.payload.get("type", ""))

    @property
    def callback_id(self) -> str:
        return str(self.payload.get("callback_id", ""))

    @property
    def private_metadata(self) -> str:
        return str(self.payload.get("private_metadata", ""))

    @property
    def blocks(self) -> list[dict[str, Any]]:
        return list(self.payload.get("blocks", []))

    @property
    def title(self) -> str:
        return str((self.payload.get("title") or {}).get("text", ""))

    def to_api(self, team_id: str, bot_id: str = "BBOT") -> dict[str, Any]:
        return {
            "id": self.id,
            "team_id": team_id,
            "app_installed_team_id": team_id,
            "bot_id": bot_id,
            "app_id": "A1",
            "external_id": "",
            "private_metadata": "",
            "callback_id": "",
            "state": {"values": {}},
            **self.payload,
            "hash": self.hash,
            "root_view_id": self.root_view_id,
            "previous_view_id": self.previous_view_id,
        }


@dataclass
class Trigger:
    id: str
    user: str
    issued_at: float
    used: bool = False


@dataclass
class StoredFile:
    id: str
    name: str
    title: str
    length: int
    user: str
    url: str
    content: bytes | None = None
    channels: list[str] = field(default_factory=list)
    alt_txt: str | None = None
    snippet_type: str | None = None
    completed: bool = False
    share_ts: dict[str, str] = field(default_factory=dict)  # channel -> ts of the share message
    share_thread: dict[str, str] = field(default_factory=dict)  # channel -> thread it replied in

    def to_api(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "title": self.title,
            "size": len(self.content) if self.content is not None else self.length,
            "user": self.user,
            "channels": list(self.channels),
            "url_private": self.url,
            "url_private_download": self.url,
            "shares": {
                "public": {
                    ch: [
                        {"ts": ts, "channel_name": ch}
                        | ({"thread_ts": self.share_thread[ch]} if ch in self.share_thread else {})
                    ]
                    for ch, ts in self.share_ts.items()
                }
            },
        }


@dataclass
class ResponseUrl:
    id: str
    user: str | None
    channel: str | None
    message_ts: str | None  # the message a block action came from, for replace/delete_original


@dataclass
class ResponsePost:
    url_id: str
    user: str | None
    channel: str | None
    payload: dict[str, Any]
    at: float

    @property
    def response_type(self) -> str:
        return str(self.payload.get("response_type") or "ephemeral")

    @property
    def text(self) -> str:
        return str(self.payload.get("text") or "")

    @property
    def blocks(self) -> list[dict[str, Any]]:
        return list(self.payload.get("blocks") or [])


@dataclass
class Call:
    """One HTTP call to a Web API method, kept whatever the outcome."""

    method: str
    params: dict[str, Any]
    at: float  # time.monotonic()
    status: int = 200
    error: str | None = None
    lost: str | None = None  # "drop" or "late": done, but the answer did not reach the caller

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.error is None


@dataclass
class Workspace:
    team_id: str
    bot_user: str = "UBOT"
    bot_id: str = "BBOT"
    users: dict[str, User] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    messages: dict[str, list[Message]] = field(default_factory=dict)  # channel -> all, in order
    ephemerals: list[Ephemeral] = field(default_factory=list)
    views: dict[str, View] = field(default_factory=dict)
    view_stacks: dict[str, list[str]] = field(default_factory=dict)  # user -> open modal ids
    homes: dict[str, View] = field(default_factory=dict)
    triggers: dict[str, Trigger] = field(default_factory=dict)
    files: dict[str, StoredFile] = field(default_factory=dict)
    response_urls: dict[str, ResponseUrl] = field(default_factory=dict)
    responses: list[ResponsePost] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    post_times: dict[str, list[float]] = field(default_factory=dict)
    _last_ts: int = 0
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def next_ts(self) -> str:
        """Unique, increasing message timestamps from the wall clock, like Slack's."""
        micros = max(int(time.time() * 1_000_000), self._last_ts + 100)
        self._last_ts = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"

    def dm_channel(self, user: str) -> Channel:
        channel_id = "D" + user[1:]
        if channel_id not in self.channels:
            self.channels[channel_id] = Channel(
                id=channel_id, name="", is_im=True, user=user, members=[user, self.bot_user]
            )
        return self.channels[channel_id]

    def resolve_channel(self, channel: Any) -> str:
        """Slack accepts a user id as `channel` and posts to the DM with the app."""
        if not isinstance(channel, str) or not channel:
            raise ApiError("channel_not_found")
        if channel[0] in "UW":
            return self.dm_channel(channel).id
        if channel not in self.channels:  # lenient: unknown ids become channels on first use
            self.channels[channel] = Channel(id=channel, name=channel.lower())
        return channel

    def find_message(self, channel: str, ts: Any) -> Message:
        for message in self.messages.get(channel, []):
            if message.ts == ts:
                return message
        raise ApiError("message_not_found")

    def add_message(self, message: Message) -> Message:
        self.messages.setdefault(message.channel, []).append(message)
        return message

    def top_level(self, channel: str) -> list[Message]:
        return [m for m in self.messages.get(channel, []) if m.thread_ts in (None, m.ts)]

    def replies(self, channel: str, thread_ts: str) -> list[Message]:
        return [
            m
            for m in self.messages.get(channel, [])
            if m.thread_ts == thread_ts and m.ts != thread_ts
        ]
