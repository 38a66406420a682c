"""manifest.yml is valid for Slack and declares exactly what the code uses."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from bot.app import LISTENERS
from bot.blocks import ids

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "tests" / "data" / "slack-manifest-schema" / "manifest.schema.1.0.0.json"

# Web API methods the code calls -> the bot scope each needs (api.slack.com/methods).
METHOD_SCOPES: dict[str, str | None] = {
    "auth_test": None,
    "chat_postMessage": "chat:write",
    "chat_update": "chat:write",
    "chat_postEphemeral": "chat:write",
    "chat_getPermalink": None,
    "views_open": None,
    "views_update": None,
    "views_publish": None,
    "files_info": "files:read",
    "files_upload_v2": "files:write",
    "conversations_open": "im:write",
    "conversations_history": "channels:history",
    "conversations_replies": "channels:history",
    "users_info": "users:read",
    "conversations_members": "channels:read",
}
# Scopes needed for something other than a Web API method call.
EXTRA_SCOPES = {
    "commands": "the /denials slash command",
    "groups:history": "conversations.history when the denials channel is private",
    "groups:read": "conversations.members when the denials channel is private",
    "im:history": "conversations.history in a DM, to find one sent before a crash",
}


class RecordingApp:
    """Stands in for Bolt's App while `register` runs; remembers what was listened for."""

    def __init__(self) -> None:
        self.commands: set[str] = set()
        self.events: set[str] = set()
        self.actions: set[str] = set()
        self.views: set[str] = set()
        self.anything: set[str] = set()  # kinds with a listener for any id (bot.handlers.unknown)

    def _record(self, into: set[str], name: Any, kind: str) -> Callable[[Any], Any]:
        if isinstance(name, re.Pattern):
            self.anything.add(kind)
        else:
            into.add(str(name))
        return lambda function: function

    def command(self, name: str) -> Callable[[Any], Any]:
        return self._record(self.commands, name, "command")

    def event(self, name: str) -> Callable[[Any], Any]:
        return self._record(self.events, name, "event")

    def action(self, name: str) -> Callable[[Any], Any]:
        return self._record(self.actions, name, "action")

    def view(self, name: str) -> Callable[[Any], Any]:
        return self._record(self.views, name, "view")

    def view_closed(self, name: Any) -> Callable[[Any], Any]:
        return self._record(set(), name, "view_closed")

    def options(self, name: Any) -> Callable[[Any], Any]:
        return self._record(set(), name, "options")

    def shortcut(self, name: Any) -> Callable[[Any], Any]:
        return self._record(set(), name, "shortcut")

    def use(self, middleware: Callable[..., Any]) -> Callable[..., Any]:
        self.middleware = middleware  # bot.handlers.access: every request passes it
        return middleware


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return dict(yaml.safe_load((ROOT / "manifest.yml").read_text()))


@pytest.fixture(scope="module")
def listeners() -> RecordingApp:
    app = RecordingApp()
    for module in LISTENERS:
        module.register(app, deps=None)  # type: ignore[arg-type]
    return app


def validate(manifest: dict[str, Any]) -> None:
    jsonschema.Draft7Validator(json.loads(SCHEMA.read_text())).validate(manifest)


def test_the_manifest_is_valid_for_socket_mode(manifest: dict[str, Any]) -> None:
    validate(manifest)
    assert manifest["settings"]["socket_mode_enabled"] is True


def test_the_manifest_is_valid_for_http_with_every_request_url_on_slack_events(
    manifest: dict[str, Any],
) -> None:
    http = copy.deepcopy(manifest)
    http["settings"]["socket_mode_enabled"] = False
    validate(http)
    # Slack needs these when Socket Mode is off; the schema does not say so.
    urls = [
        http["settings"]["event_subscriptions"]["request_url"],
        http["settings"]["interactivity"]["request_url"],
        *(command["url"] for command in http["features"]["slash_commands"]),
    ]
    assert all(re.fullmatch(r"https://[^/]+/slack/events", url) for url in urls)


def test_declared_commands_and_events_are_exactly_those_listened_for(
    manifest: dict[str, Any], listeners: RecordingApp
) -> None:
    declared = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert declared == listeners.commands
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == listeners.events


def test_every_interactive_id_a_builder_emits_has_a_listener(listeners: RecordingApp) -> None:
    assert listeners.actions >= ids.ALL_ACTION_IDS
    assert listeners.views >= ids.ALL_VIEW_CALLBACK_IDS


def test_whatever_no_listener_knows_is_still_acknowledged(listeners: RecordingApp) -> None:
    kinds = {"command", "event", "action", "view", "view_closed", "options", "shortcut"}
    assert listeners.anything == kinds


def test_interactivity_is_on_because_cards_have_controls(manifest: dict[str, Any]) -> None:
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


def test_scopes_are_exactly_those_the_code_needs(manifest: dict[str, Any]) -> None:
    source = "\n".join(p.read_text() for p in (ROOT / "bot").rglob("*.py"))
    called = set(re.findall(r"\.(\w+)\(", source)) & set(METHOD_SCOPES)
    needed = {METHOD_SCOPES[m] for m in called} - {None} | set(EXTRA_SCOPES)
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == needed


def test_the_usage_hint_names_real_subcommands_history_among_them(
    manifest: dict[str, Any],
) -> None:
    from bot.commands.table import TABLE

    (command,) = manifest["features"]["slash_commands"]
    hint = command["usage_hint"]
    usages = {row.name: row.usage for row in TABLE}
    entries = [entry.strip() for entry in hint.split("·")]
    for entry in entries:  # each entry is a subcommand's usage, or its start
        name = entry.split()[0]
        assert name in usages, entry
        assert usages[name].startswith(entry), entry
    assert "history" in {entry.split()[0] for entry in entries}
