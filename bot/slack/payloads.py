"""Slack's request payloads read once, at the edge, into typed values (as Sentry's Slack
integration does), so that listeners never index raw dicts.

Reading never raises: a field that is missing or malformed (a truncated or forged payload)
comes back as None or "", and the listener answers that it cannot act on it. What a value
means (is this denial still there, may this person change it) is for the services to decide.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.blocks.ids import Ref, parse_denial_ref, ref_from_action
from bot.domain.bounds import is_user_id
from bot.domain.findings import RootCause


@dataclass(frozen=True, slots=True)
class SlackUser:
    """A person as Slack names them: user ids are unique only within a team (workspace)."""

    team: str
    user: str

    @classmethod
    def of(cls, body: Mapping[str, Any]) -> SlackUser:
        """The sender of an interaction (`user`, `team`) or a slash command (`user_id`,
        `team_id`)."""
        user = _mapping(body.get("user"))
        team = _mapping(body.get("team"))
        return cls(
            team=_text(team.get("id") or user.get("team_id") or body.get("team_id")),
            user=_text(user.get("id") or body.get("user_id")),
        )


@dataclass(frozen=True, slots=True)
class OpenForm:
    """The form a click was made in, as Slack sent it: `views.update` needs its id and hash,
    and a builder that redraws it reads the view itself."""

    id: str
    hash: str
    view: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Click:
    """One control used on a message or in a form: a button, a select, an overflow menu."""

    user: SlackUser
    ref: Ref | None  # the card (a denial, or a grouped card) and the version it showed
    choice: str | None  # the option or person picked, or the button's value
    trigger_id: str | None  # to open a form, within three seconds
    form: OpenForm | None = None  # the form the click was made in, if any
    message_ts: str | None = None  # the message the control is on, if any

    @classmethod
    def parse(cls, body: Mapping[str, Any], action: Mapping[str, Any]) -> Click:
        try:
            ref: Ref | None = ref_from_action(action)
        except ValueError:
            ref = None
        option = _mapping(action.get("selected_option"))
        choice = option.get("value") or action.get("selected_user") or action.get("value")
        view = _mapping(body.get("view"))
        message_ts = _mapping(body.get("message")).get("ts") or _mapping(body.get("container")).get(
            "message_ts"
        )
        return cls(
            user=SlackUser.of(body),
            ref=ref,
            choice=_text(choice) or None,
            trigger_id=_text(body.get("trigger_id")) or None,
            form=OpenForm(_text(view.get("id")), _text(view.get("hash")), view) if view else None,
            message_ts=_text(message_ts) or None,
        )

    @property
    def cause(self) -> RootCause | None:
        """The root cause picked from a root-cause menu."""
        try:
            return RootCause(self.choice or "")
        except ValueError:
            return None

    @property
    def person(self) -> str | None:
        """The person picked in a user select, when it is a user id (never `<!channel>`)."""
        return self.choice if self.choice and is_user_id(self.choice) else None

    @property
    def number(self) -> int | None:
        """The button's value as a whole number (an [Open] button carries a bare denial id)."""
        text = self.choice or ""
        return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


@dataclass(frozen=True, slots=True)
class Submission:
    """A submitted form (`view_submission`): who, which card it was opened from, the answers."""

    user: SlackUser
    ref: Ref | None  # the card it was opened from, when its private_metadata names one
    metadata: str  # the private_metadata itself, for forms that carry something else
    first_block: str  # where a problem with the whole form is shown
    answers: Mapping[tuple[str, str], str]  # (block id, action id) -> what was given

    @classmethod
    def parse(cls, body: Mapping[str, Any], view: Mapping[str, Any]) -> Submission:
        metadata = _text(view.get("private_metadata"))
        try:
            ref: Ref | None = parse_denial_ref(metadata)
        except ValueError:
            ref = None
        inputs = [
            _text(block.get("block_id"))
            for block in view.get("blocks") or ()
            if isinstance(block, Mapping) and block.get("type") == "input"
        ]
        values = _mapping(_mapping(view.get("state")).get("values"))
        answers = {
            (str(block), str(action)): _answer(_mapping(element))
            for block, elements in values.items()
            for action, element in _mapping(elements).items()
        }
        return cls(
            user=SlackUser.of(body),
            ref=ref,
            metadata=metadata,
            first_block=inputs[0] if inputs else "",
            answers={key: value for key, value in answers.items() if value},
        )

    def answer(self, block: str, action: str) -> str | None:
        """The option picked, the date chosen or the text typed; None when left empty."""
        return self.answers.get((block, action))

    def text(self, block: str, action: str) -> str:
        """A typed answer without surrounding spaces ("" when left empty)."""
        return (self.answer(block, action) or "").strip()


@dataclass(frozen=True, slots=True)
class SlashCommand:
    user: SlackUser
    text: str
    channel: str
    trigger_id: str | None

    @classmethod
    def parse(cls, command: Mapping[str, Any]) -> SlashCommand:
        return cls(
            user=SlackUser.of(command),
            text=_text(command.get("text")),
            channel=_text(command.get("channel_id")),
            trigger_id=_text(command.get("trigger_id")) or None,
        )


@dataclass(frozen=True, slots=True)
class SharedFile:
    """`file_shared`: the event names the file, the channel and the person; the envelope the
    team."""

    user: SlackUser
    channel: str
    file_id: str

    @classmethod
    def parse(cls, body: Mapping[str, Any], event: Mapping[str, Any]) -> SharedFile:
        return cls(
            user=SlackUser(team=_text(body.get("team_id")), user=_text(event.get("user_id"))),
            channel=_text(event.get("channel_id")),
            file_id=_text(event.get("file_id")),
        )


@dataclass(frozen=True, slots=True)
class HomeOpened:
    user: str
    on_home_tab: bool  # not the Messages or About tab

    @classmethod
    def parse(cls, event: Mapping[str, Any]) -> HomeOpened:
        return cls(user=_text(event.get("user")), on_home_tab=event.get("tab", "home") == "home")


@dataclass(frozen=True, slots=True)
class Asked:
    """What any request asks for, read before a listener runs (`bot.handlers.access` decides
    whether its sender may): a control clicked, a form submitted, a command typed, or other."""

    user: SlackUser
    kind: str  # "action", "form", "command" or "other" (events, menus' options, ...)
    name: str  # the action id, the form's callback id, or the command ("/denials")
    choice: str | None = None  # the option picked in an overflow menu or select
    text: str = ""  # what was typed after a command

    @classmethod
    def parse(cls, body: Mapping[str, Any]) -> Asked:
        user = SlackUser.of(body)
        kind = _text(body.get("type"))
        if kind == "block_actions":
            actions = body.get("actions")
            first = _mapping(actions[0] if isinstance(actions, list) and actions else None)
            option = _text(_mapping(first.get("selected_option")).get("value")) or None
            return cls(user, "action", _text(first.get("action_id")), option)
        if kind == "view_submission":
            return cls(user, "form", _text(_mapping(body.get("view")).get("callback_id")))
        if body.get("command"):
            return cls(user, "command", _text(body.get("command")), text=_text(body.get("text")))
        return cls(user, "other", kind)


def can_respond(body: Mapping[str, Any]) -> bool:
    """Whether the request came with a response_url, so `respond` can answer the person."""
    return bool(_text(body.get("response_url")))


def _answer(element: Mapping[str, Any]) -> str:
    option = _mapping(element.get("selected_option"))
    ticked = element.get("selected_options")
    if isinstance(ticked, list):  # checkboxes: the values ticked, comma-separated
        return ",".join(_text(_mapping(one).get("value")) for one in ticked)
    return _text(
        option.get("value")
        or element.get("selected_date")
        or element.get("selected_user")
        or element.get("value")
    )


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
