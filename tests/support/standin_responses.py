"""What Slack does with an app's answers that do not go through the Web API.

- Posts to a `response_url` (Bolt's `respond()`): replace or delete the original message,
  post in the channel (`response_type: in_channel`), or show an ephemeral message.
- The HTTP answer to a `view_submission` (Bolt's `ack(response_action=...)`): close the
  modal, show field errors, update or push a view, or clear the stack.
"""

from __future__ import annotations

import secrets
from typing import Any

from tests.support.blockkit_limits import check_view
from tests.support.standin_state import ApiError, Ephemeral, Message, ResponseUrl, View, Workspace


def _flag(value: Any) -> bool:
    return value in (True, 1, "1", "true", "True")


def apply_response(ws: Workspace, target: ResponseUrl, payload: dict[str, Any]) -> None:
    text = str(payload.get("text") or "")
    blocks = list(payload.get("blocks") or [])
    original = _original(ws, target)
    if _flag(payload.get("delete_original")):
        if original is None:
            raise ApiError("message_not_found")
        ws.messages[original.channel].remove(original)
    elif _flag(payload.get("replace_original")) and original is not None:
        original.text, original.blocks = text, blocks
        original.edits += 1
    elif payload.get("response_type") == "in_channel" and target.channel:
        channel = ws.resolve_channel(target.channel)
        message = Message(
            channel=channel,
            ts=ws.next_ts(),
            text=text,
            blocks=blocks,
            user=ws.bot_user,
            bot_id=ws.bot_id,
            thread_ts=payload.get("thread_ts") or None,
        )
        ws.add_message(message)
    else:  # ephemeral, also what replacing an ephemeral original looks like to the user
        thread_ts = payload.get("thread_ts") or None
        ws.ephemerals.append(
            Ephemeral(target.channel, target.user, text, blocks, "response_url", thread_ts)
        )


def _original(ws: Workspace, target: ResponseUrl) -> Message | None:
    if not (target.channel and target.message_ts):
        return None
    try:
        return ws.find_message(ws.resolve_channel(target.channel), target.message_ts)
    except ApiError:
        return None  # an ephemeral original is not stored as a channel message


def apply_view_ack(ws: Workspace, view_id: str, ack_body: Any) -> None:
    view = ws.views.get(view_id)
    if view is None or not view.is_open:
        return
    stack = ws.view_stacks.setdefault(view.user, [])
    body = ack_body if isinstance(ack_body, dict) else {}
    action = body.get("response_action")
    new_view = body.get("view")
    if action in ("update", "push"):
        errors = check_view(new_view, surface="modal")
        if errors:  # Slack shows the person a generic error and keeps the modal
            ws.warnings.append(
                {"method": "view_submission", "warning": "invalid_view", "errors": errors}
            )
            return
        assert isinstance(new_view, dict)
    if action == "errors":
        view.errors = dict(body.get("errors") or {})
    elif action == "update":
        assert isinstance(new_view, dict)
        view.payload, view.hash, view.errors = new_view, secrets.token_hex(8), {}
    elif action == "push":
        assert isinstance(new_view, dict)
        pushed = View(
            ws.next_id("V"),
            view.user,
            new_view,
            secrets.token_hex(8),
            view.root_view_id,
            previous_view_id=view.id,
        )
        ws.views[pushed.id] = pushed
        stack.append(pushed.id)
    elif action == "clear":
        for open_id in stack:
            ws.views[open_id].is_open = False
        stack.clear()
    else:  # an empty ack closes the submitted view; the one below shows again
        view.is_open = False
        if view.id in stack:
            stack.remove(view.id)
