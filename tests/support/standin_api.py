"""The Web API methods the Slack stand-in answers, as functions of the workspace state.

`WebApi.call("chat.postMessage", params)` returns the JSON body Slack would send, or raises
`ApiError` for an `{"ok": false}` answer; `WebApi.methods()` lists what is modelled.
Parameters arrive decoded (form, JSON body and query string merged; JSON-in-form decoded).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any

from tests.support.blockkit_limits import check_message, check_view
from tests.support.standin_files import FileMethods
from tests.support.standin_state import (
    ApiError,
    Ephemeral,
    Message,
    Trigger,
    View,
    Workspace,
)

MAX_MODAL_STACK = 3


def _flag(value: Any) -> bool:
    return value in (True, 1, "1", "true", "True")


class WebApi(FileMethods):
    def __init__(self, ws: Workspace, root_url: str, trigger_ttl: float) -> None:
        self.ws = ws
        self.root_url = root_url
        self.trigger_ttl = trigger_ttl

    def call(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        handler = self.methods().get(method)
        if handler is None:
            raise ApiError("unknown_method")
        return {"ok": True, **handler(params)}

    def methods(self) -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
        return {
            "auth.test": self.auth_test,
            "users.info": self.users_info,
            "conversations.open": self.conversations_open,
            "conversations.info": self.conversations_info,
            "conversations.members": self.conversations_members,
            "conversations.history": self.conversations_history,
            "conversations.replies": self.conversations_replies,
            "chat.postMessage": self.chat_post_message,
            "chat.update": self.chat_update,
            "chat.delete": self.chat_delete,
            "chat.postEphemeral": self.chat_post_ephemeral,
            "chat.getPermalink": self.chat_get_permalink,
            "views.open": self.views_open,
            "views.push": self.views_push,
            "views.update": self.views_update,
            "views.publish": self.views_publish,
            "files.getUploadURLExternal": self.files_get_upload_url_external,
            "files.completeUploadExternal": self.files_complete_upload_external,
            "files.info": self.files_info,
        }

    # -- auth, users, conversations -------------------------------------------------------

    def auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        ws = self.ws
        return {
            "url": "https://standin.slack.com/",
            "team": "Stand-in Practice",
            "user": "denials",
            "team_id": ws.team_id,
            "user_id": ws.bot_user,
            "bot_id": ws.bot_id,
            "is_enterprise_install": False,
        }

    def users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self.ws.users.get(str(params.get("user", "")))
        if user is None:
            raise ApiError("user_not_found")
        return {"user": user.to_api()}

    def conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("channel"):
            return {"channel": {"id": self.ws.resolve_channel(params["channel"])}}
        users = [u for u in str(params.get("users", "")).split(",") if u]
        if len(users) != 1:
            raise ApiError("invalid_arguments")  # group DMs are not modelled
        if users[0] not in self.ws.users:
            raise ApiError("user_not_found")
        already_open = ("D" + users[0][1:]) in self.ws.channels
        channel = self.ws.dm_channel(users[0])
        return {"channel": {"id": channel.id}, "already_open": already_open}

    def conversations_info(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self.ws.channels.get(str(params.get("channel", "")))
        if channel is None:
            raise ApiError("channel_not_found")
        return {"channel": channel.to_api()}

    def conversations_members(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self.ws.channels.get(str(params.get("channel", "")))
        if channel is None:
            raise ApiError("channel_not_found")
        return {"members": list(channel.members), "response_metadata": {"next_cursor": ""}}

    def conversations_history(self, params: dict[str, Any]) -> dict[str, Any]:
        """Top-level messages newest first; metadata only with include_all_metadata, like Slack."""
        channel = str(params.get("channel", ""))
        oldest = float(params.get("oldest") or 0)
        with_metadata = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
        found = [
            _shown(message, with_metadata)
            for message in reversed(self.ws.top_level(channel))
            if float(message.ts) >= oldest
        ]
        return {"messages": found, "has_more": False, "response_metadata": {"next_cursor": ""}}

    def conversations_replies(self, params: dict[str, Any]) -> dict[str, Any]:
        """A thread oldest first, its parent message first, like Slack; metadata as history."""
        channel = str(params.get("channel", ""))
        ts = str(params.get("ts", ""))
        with_metadata = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
        try:
            parent = self.ws.find_message(channel, ts)
        except ApiError:
            raise ApiError("thread_not_found") from None
        found = [_shown(m, with_metadata) for m in [parent, *self.ws.replies(channel, ts)]]
        return {"messages": found, "has_more": False, "response_metadata": {"next_cursor": ""}}

    # -- chat -------------------------------------------------------------------------------

    def _checked_content(self, method: str, params: dict[str, Any], channel: str) -> None:
        if not any(params.get(k) for k in ("text", "blocks", "attachments")):
            raise ApiError("no_text")
        errors, warnings = check_message(params)
        if errors:
            raise ApiError("invalid_blocks", errors=errors)
        for warning in warnings:
            self.ws.warnings.append({"method": method, "warning": warning, "channel": channel})

    def chat_post_message(self, params: dict[str, Any]) -> dict[str, Any]:
        ws = self.ws
        channel = ws.resolve_channel(params.get("channel"))
        self._checked_content("chat.postMessage", params, channel)
        thread_ts = params.get("thread_ts") or None
        if thread_ts is not None:
            parent = ws.find_message(channel, thread_ts)  # stricter than Slack: catches bad ids
            thread_ts = parent.thread_ts or parent.ts
        message = ws.add_message(
            Message(
                channel=channel,
                ts=ws.next_ts(),
                text=str(params.get("text") or ""),
                blocks=list(params.get("blocks") or []),
                attachments=list(params.get("attachments") or []),
                user=ws.bot_user,
                bot_id=ws.bot_id,
                thread_ts=thread_ts,
                metadata=params.get("metadata") or None,
                reply_broadcast=_flag(params.get("reply_broadcast")),
            )
        )
        return {"channel": channel, "ts": message.ts, "message": message.to_api()}

    def chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self.ws.resolve_channel(params.get("channel"))
        message = self.ws.find_message(channel, params.get("ts"))
        self._checked_content("chat.update", params, channel)
        if "text" in params:
            message.text = str(params["text"] or "")
        for key in ("blocks", "attachments"):
            if key in params:
                setattr(message, key, list(params[key] or []))
        if "metadata" in params:
            message.metadata = params["metadata"] or None
        message.edits += 1
        return {"channel": channel, "ts": message.ts, "message": message.to_api()}

    def chat_delete(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self.ws.resolve_channel(params.get("channel"))
        message = self.ws.find_message(channel, params.get("ts"))
        self.ws.messages[channel].remove(message)
        return {"channel": channel, "ts": message.ts}

    def chat_post_ephemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self.ws.resolve_channel(params.get("channel"))
        if not params.get("user"):
            raise ApiError("user_not_found")
        self._checked_content("chat.postEphemeral", params, channel)
        self.ws.ephemerals.append(
            Ephemeral(
                channel=channel,
                user=str(params["user"]),
                text=str(params.get("text") or ""),
                blocks=list(params.get("blocks") or []),
                source="chat.postEphemeral",
                thread_ts=params.get("thread_ts") or None,
            )
        )
        return {"message_ts": self.ws.next_ts()}

    def chat_get_permalink(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self.ws.resolve_channel(params.get("channel"))
        message = self.ws.find_message(channel, params.get("message_ts"))
        link = f"https://standin.slack.com/archives/{channel}/p{message.ts.replace('.', '')}"
        return {"channel": channel, "permalink": link}

    # -- views ----------------------------------------------------------------------------

    def issue_trigger(self, user: str) -> str:
        trigger_id = f"{len(self.ws.triggers) + 1}.{int(time.time())}.{secrets.token_hex(16)}"
        self.ws.triggers[trigger_id] = Trigger(trigger_id, user, time.monotonic())
        return trigger_id

    def _use_trigger(self, params: dict[str, Any]) -> Trigger:
        trigger = self.ws.triggers.get(str(params.get("trigger_id", "")))
        if trigger is None:
            raise ApiError("invalid_trigger_id")
        if trigger.used or time.monotonic() - trigger.issued_at > self.trigger_ttl:
            raise ApiError("expired_trigger_id")
        return trigger

    def _checked_view(self, params: dict[str, Any], surface: str) -> dict[str, Any]:
        view = params.get("view")
        errors = check_view(view, surface=surface)
        if errors:
            metadata = {"messages": errors}
            raise ApiError("invalid_arguments", errors=errors, response_metadata=metadata)
        assert isinstance(view, dict)
        return view

    def _new_view(self, user: str, payload: dict[str, Any], root: str | None = None) -> View:
        view_id = self.ws.next_id("V")
        view = View(view_id, user, payload, secrets.token_hex(8), root or view_id)
        self.ws.views[view_id] = view
        return view

    def _answer(self, view: View) -> dict[str, Any]:
        return {"view": view.to_api(self.ws.team_id, self.ws.bot_id)}

    def views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        payload = self._checked_view(params, "modal")
        trigger = self._use_trigger(params)
        trigger.used = True
        for old in self.ws.view_stacks.get(trigger.user, []):
            self.ws.views[old].is_open = False
        view = self._new_view(trigger.user, payload)
        self.ws.view_stacks[trigger.user] = [view.id]
        return self._answer(view)

    def views_push(self, params: dict[str, Any]) -> dict[str, Any]:
        payload = self._checked_view(params, "modal")
        trigger = self._use_trigger(params)
        stack = self.ws.view_stacks.get(trigger.user) or []
        if not stack:
            raise ApiError("not_found")
        if len(stack) >= MAX_MODAL_STACK:
            raise ApiError("push_limit_reached")
        trigger.used = True
        view = self._new_view(trigger.user, payload, root=self.ws.views[stack[0]].root_view_id)
        view.previous_view_id = stack[-1]
        stack.append(view.id)
        return self._answer(view)

    def views_update(self, params: dict[str, Any]) -> dict[str, Any]:
        payload = self._checked_view(params, "modal")
        view = self.ws.views.get(str(params.get("view_id", "")))
        if view is None and params.get("external_id"):
            external_id = params["external_id"]
            matches = [
                v for v in self.ws.views.values() if v.payload.get("external_id") == external_id
            ]
            view = matches[-1] if matches else None
        if view is None or not view.is_open:
            raise ApiError("not_found")
        if params.get("hash") and params["hash"] != view.hash:
            raise ApiError("hash_conflict")
        view.payload, view.hash, view.errors = payload, secrets.token_hex(8), {}
        return self._answer(view)

    def views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        payload = self._checked_view(params, "home")
        user = str(params.get("user_id", ""))
        if user not in self.ws.users:
            raise ApiError("user_not_found")
        home = self.ws.homes.get(user)
        if home is not None and params.get("hash") and params["hash"] != home.hash:
            raise ApiError("hash_conflict")
        if home is None:
            home = self.ws.homes[user] = self._new_view(user, payload)
        home.payload, home.hash = payload, secrets.token_hex(8)
        return self._answer(home)


def _shown(message: Message, with_metadata: bool) -> dict[str, Any]:
    """A message as the API lists it: metadata only when asked for, like Slack."""
    shown = message.to_api()
    if not with_metadata:
        shown.pop("metadata", None)
    return shown
