"""Slack API errors mapped to what a person should do about them."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

ADVICE = {
    "not_in_channel": "the bot is not in the channel: type /invite @denial-triage there",
    "channel_not_found": "DENIALS_CHANNEL is not a channel the bot can see: check the id (C...)",
    "is_archived": "the denials channel is archived: unarchive it or set DENIALS_CHANNEL",
    "invalid_auth": "SLACK_BOT_TOKEN is not valid: reinstall the app and copy the new xoxb- token",
    "not_authed": "SLACK_BOT_TOKEN is missing",
    "token_revoked": "the app was uninstalled: reinstall it and update SLACK_BOT_TOKEN",
    "account_inactive": "the app was uninstalled: reinstall it and update SLACK_BOT_TOKEN",
    "missing_scope": "the app lacks a scope: recreate it from manifest.yml and reinstall",
    "ratelimited": "Slack asked us to slow down; the bot will retry after the wait it gave",
    "invalid_blocks": "Slack refused the message layout (a bug: please report it)",
    "msg_too_long": "the message was too long for Slack (a bug: please report it)",
    "user_not_found": "that user is not in this workspace",
    "expired_trigger_id": "the form took too long to open; click the button again",
}

_APP_LEVEL_STEPS = (
    "create a new app-level token with the connections:write scope (Basic Information > "
    "App-Level Tokens, xapp-...) and set it as SLACK_APP_TOKEN"
)
# When Slack refuses one of the two tokens: what is wrong with that one and how to replace it.
TOKEN_ADVICE = {
    ("SLACK_BOT_TOKEN", "invalid_auth"): (
        "not valid; reinstall the app and copy the new Bot User OAuth Token "
        "(xoxb-...) from OAuth & Permissions"
    ),
    ("SLACK_APP_TOKEN", "invalid_auth"): "not valid or was revoked; " + _APP_LEVEL_STEPS,
    ("SLACK_APP_TOKEN", "token_revoked"): "it was revoked; " + _APP_LEVEL_STEPS,
    ("SLACK_APP_TOKEN", "not_allowed_token_type"): "not an app-level token; " + _APP_LEVEL_STEPS,
}


def refused_token(setting: str, error: SlackApiError) -> str:
    """`Slack refused SLACK_APP_TOKEN (invalid_auth): ...what to do`, for either token."""
    code = error_code(error)
    advice = TOKEN_ADVICE.get((setting, code)) or explain(error)
    return f"Slack refused {setting} ({code}): {advice}"


def error_code(error: SlackApiError) -> str:
    data = error.response.data if isinstance(error.response.data, dict) else {}
    return str(data.get("error") or f"http_{error.response.status_code}")


def explain(error: SlackApiError) -> str:
    code = error_code(error)
    advice = ADVICE.get(code)
    if advice is None and int(error.response.status_code or 0) >= 500:
        advice = "Slack is having trouble; the bot will try again"
    return f"{code}: {advice}" if advice else code
