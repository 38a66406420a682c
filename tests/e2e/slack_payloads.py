"""Request bodies shaped like the ones Slack sends to an app (pure functions).

Shapes follow Slack's documented payloads for slash commands, `block_actions`,
`view_submission` and the Events API envelope, trimmed to the fields apps and Bolt read.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

VERIFICATION_TOKEN = "legacy-verification-token"  # deprecated by Slack; Bolt ignores it
BOT_USER = "UBOT"


@dataclass(frozen=True)
class Team:
    id: str = "T1"
    domain: str = "practice"
    api_app_id: str = "A1"


def person(user: str, team: Team) -> dict[str, str]:
    return {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team.id}


def slash_form(
    team: Team, command: str, text: str, user: str, channel: str, response_url: str, trigger: str
) -> dict[str, str]:
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team.id,
        "team_domain": team.domain,
        "channel_id": channel,
        "channel_name": "denials" if channel.startswith("C") else "directmessage",
        "user_id": user,
        "user_name": user.lower(),
        "command": command,
        "text": text,
        "api_app_id": team.api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger,
    }


def interaction(kind: str, team: Team, user: str, trigger: str) -> dict[str, Any]:
    """The fields every block_actions / view_submission payload has."""
    return {
        "type": kind,
        "team": {"id": team.id, "domain": team.domain},
        "user": person(user, team),
        "api_app_id": team.api_app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger,
        "enterprise": None,
        "is_enterprise_install": False,
    }


def find_element(
    blocks: list[dict[str, Any]], action_id: str, block_id: str | None
) -> tuple[dict[str, Any], str]:
    """The interactive element with `action_id` and its block's id, or ({}, "")."""
    for block in blocks:
        if block_id is not None and block.get("block_id") != block_id:
            continue
        elements = list(block.get("elements") or [])
        elements += [block[k] for k in ("accessory", "element") if isinstance(block.get(k), dict)]
        for element in elements:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return element, str(block.get("block_id", ""))
    return {}, ""


def action(
    action_id: str,
    block_id: str,
    element: dict[str, Any],
    value: str | None = None,
    selected_option: str | dict[str, Any] | None = None,
    selected_user: str | None = None,
) -> dict[str, Any]:
    """One entry of `actions`: button, static_select, overflow or users_select."""
    kind = element.get("type") or (
        "users_select" if selected_user else "static_select" if selected_option else "button"
    )
    result: dict[str, Any] = {
        "type": kind,
        "action_id": action_id,
        "block_id": block_id,
        "action_ts": f"{time.time():.6f}",
    }
    if kind == "button":
        result["text"] = element.get("text") or {"type": "plain_text", "text": action_id}
        if value is not None or "value" in element:
            result["value"] = value if value is not None else element["value"]
    if selected_option is not None:
        if isinstance(selected_option, str):
            options = [o for o in element.get("options") or [] if o.get("value") == selected_option]
            text = {"type": "plain_text", "text": selected_option}
            selected_option = options[0] if options else {"text": text, "value": selected_option}
        result["selected_option"] = selected_option
    if selected_user is not None:
        result["selected_user"] = selected_user
    return result


def state_value(value: Any) -> dict[str, Any]:
    """view_submission state: a str is a plain_text_input, a date a datepicker."""
    if isinstance(value, dict):
        return value
    if isinstance(value, date):
        return {"type": "datepicker", "selected_date": value.isoformat()}
    return {"type": "plain_text_input", "value": value}


def state(values: Mapping[str, Any]) -> dict[str, Any]:
    """`{block_id: {action_id: value}}` -> `{"values": {block_id: {action_id: {type, ...}}}}`."""
    return {"values": {b: {a: state_value(v) for a, v in f.items()} for b, f in values.items()}}


def event_envelope(team: Team, event: dict[str, Any]) -> dict[str, Any]:
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team.id,
        "api_app_id": team.api_app_id,
        "event": {"event_ts": f"{time.time():.6f}", **event},
        "type": "event_callback",
        "event_id": "Ev" + secrets.token_hex(5).upper(),
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team.id,
                "user_id": BOT_USER,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }
