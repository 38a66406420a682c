"""Block Kit rules the Slack stand-in enforces, answered the way Slack answers.

slack_sdk's model classes check some limits (`Block.parse(...).validate_json()`); Slack's
servers check more. This module runs both and returns Slack-style error strings
(`"must be less than 3001 characters [json-pointer:/blocks/0/text/text]"`), so a builder
that slack_sdk accepts but Slack would refuse fails the end-to-end tests too.

Deliberate choice: `action_id` must be unique within its block (Slack's documented rule and
what Slack enforces), not across the message; the same "Assign" action may appear once per
row of a grouped message. `block_id` must be unique across the message or view.
"""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MAX_MESSAGE_BLOCKS = 50
MAX_SURFACE_BLOCKS = 100  # modals and Home tabs
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25
MAX_SELECT_OPTIONS = 100
MAX_OVERFLOW_OPTIONS = 5
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_PLACEHOLDER = 150
MAX_LABEL = 2000
MAX_ID = 255  # action_id, block_id, callback_id, external_id
MAX_MESSAGE_TEXT = 40000
MAX_VIEW_TITLE = 24  # also submit and close
MAX_PRIVATE_METADATA = 3000

TEXT_TYPES = ("plain_text", "mrkdwn")
SELECTS_WITH_OPTIONS = ("static_select", "multi_static_select", "radio_buttons", "checkboxes")


def _at(path: str, message: str) -> str:
    return f"{message} [json-pointer:{path}]"


def decode_json_field(value: Any) -> Any:
    """Form-encoded calls carry `blocks`, `view`... as JSON strings; JSON calls carry objects."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def check_message(params: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Errors and warnings for a chat.postMessage / chat.update / response_url body."""
    errors: list[str] = []
    warnings: list[str] = []
    text = params.get("text")
    blocks = params.get("blocks")
    if isinstance(text, str) and len(text) > MAX_MESSAGE_TEXT:
        errors.append(_at("/text", f"must be less than {MAX_MESSAGE_TEXT + 1} characters"))
    if blocks is not None:
        errors += check_blocks(blocks, limit=MAX_MESSAGE_BLOCKS)
        if not (isinstance(text, str) and text.strip()):
            warnings.append("missing_text")  # Slack logs it; screen readers and pushes go blank
    return errors, warnings


def check_view(view: Any, *, surface: str) -> list[str]:
    """Errors for a modal (`surface="modal"`) or Home tab (`surface="home"`) view payload."""
    if not isinstance(view, dict):
        return [_at("/view", "must be an object")]
    errors: list[str] = []
    if view.get("type") != surface:
        errors.append(_at("/view/type", f"must be {surface}"))
    if surface == "modal":
        title = view.get("title")
        if title is None:
            errors.append(_at("/view/title", "is required"))
        else:
            errors += _text(title, "/view/title", MAX_VIEW_TITLE, plain_only=True)
        for key in ("submit", "close"):
            if view.get(key) is not None:
                errors += _text(view[key], f"/view/{key}", MAX_VIEW_TITLE, plain_only=True)
        blocks = view.get("blocks")
        has_input = isinstance(blocks, list) and any(
            isinstance(b, dict) and b.get("type") == "input" for b in blocks
        )
        if has_input and view.get("submit") is None:
            errors.append(_at("/view/submit", "is required when the view has input blocks"))
    for key in ("callback_id", "external_id"):
        if len(str(view.get(key) or "")) > MAX_ID:
            errors.append(_at(f"/view/{key}", f"must be less than {MAX_ID + 1} characters"))
    if len(str(view.get("private_metadata") or "")) > MAX_PRIVATE_METADATA:
        errors.append(
            _at(
                "/view/private_metadata", f"must be less than {MAX_PRIVATE_METADATA + 1} characters"
            )
        )
    errors += check_blocks(view.get("blocks", []), limit=MAX_SURFACE_BLOCKS, path="/view/blocks")
    errors += _sdk_errors(lambda: View(**view).validate_json(), "/view")
    return _unique(errors)


def check_blocks(blocks: Any, *, limit: int, path: str = "/blocks") -> list[str]:
    if not isinstance(blocks, list):
        return [_at(path, "must be an array")]
    errors: list[str] = []
    if len(blocks) > limit:
        errors.append(_at(path, f"no more than {limit} items allowed"))
    block_ids: set[str] = set()
    for index, block in enumerate(blocks):
        here = f"{path}/{index}"
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            errors.append(_at(here, "must be an object with a type"))
            continue
        errors += _sdk_block_errors(block, here)
        block_id = block.get("block_id")
        if block_id is not None:
            errors += _id(block_id, f"{here}/block_id")
            if block_id in block_ids:
                errors.append(_at(f"{here}/block_id", "must be unique within the message or view"))
            block_ids.add(block_id)
        errors += _check_block(block, here)
    return _unique(errors)


def _sdk_block_errors(block: dict[str, Any], path: str) -> list[str]:
    def parse_and_validate() -> None:
        parsed = Block.parse(block)
        if parsed is None:
            raise ValueError(f"unsupported block type: {block['type']}")
        parsed.validate_json()
        parsed.to_dict()  # to_dict validates nested elements and text objects too

    return _sdk_errors(parse_and_validate, path)


def _sdk_errors(check: Any, path: str) -> list[str]:
    try:
        check()
    except Exception as exc:  # slack_sdk raises several kinds; all mean "Slack would refuse"
        return [_at(path, f"{type(exc).__name__}: {exc}")]
    return []


def _check_block(block: dict[str, Any], path: str) -> list[str]:
    kind = block["type"]
    errors: list[str] = []
    if kind == "section":
        if block.get("text") is None and not block.get("fields"):
            errors.append(_at(path, "must provide text or fields"))
        if block.get("text") is not None:
            errors += _text(block["text"], f"{path}/text", MAX_SECTION_TEXT)
        fields = block.get("fields") or []
        if len(fields) > MAX_SECTION_FIELDS:
            errors.append(_at(f"{path}/fields", f"no more than {MAX_SECTION_FIELDS} items allowed"))
        for i, field in enumerate(fields):
            errors += _text(field, f"{path}/fields/{i}", MAX_FIELD_TEXT)
        if isinstance(block.get("accessory"), dict):
            errors += _element(block["accessory"], f"{path}/accessory")
    elif kind == "header":
        errors += _text(block.get("text"), f"{path}/text", MAX_HEADER_TEXT, plain_only=True)
    elif kind == "context":
        elements = block.get("elements") or []
        if len(elements) > MAX_CONTEXT_ELEMENTS:
            errors.append(
                _at(f"{path}/elements", f"no more than {MAX_CONTEXT_ELEMENTS} items allowed")
            )
        for i, element in enumerate(elements):
            if isinstance(element, dict) and element.get("type") in TEXT_TYPES:
                errors += _text(element, f"{path}/elements/{i}", MAX_SECTION_TEXT)
    elif kind == "actions":
        elements = block.get("elements") or []
        if len(elements) > MAX_ACTIONS_ELEMENTS:
            errors.append(
                _at(f"{path}/elements", f"no more than {MAX_ACTIONS_ELEMENTS} items allowed")
            )
        action_ids: set[str] = set()
        for i, element in enumerate(elements):
            if not isinstance(element, dict):
                continue
            errors += _element(element, f"{path}/elements/{i}")
            action_id = element.get("action_id")
            if not isinstance(action_id, str):
                continue
            if action_id in action_ids:
                errors.append(
                    _at(f"{path}/elements/{i}/action_id", "must be unique within the block")
                )
            action_ids.add(action_id)
    elif kind == "input":
        errors += _text(block.get("label"), f"{path}/label", MAX_LABEL, plain_only=True)
        if block.get("hint") is not None:
            errors += _text(block["hint"], f"{path}/hint", MAX_LABEL, plain_only=True)
        if isinstance(block.get("element"), dict):
            errors += _element(block["element"], f"{path}/element")
    return errors


def _element(element: dict[str, Any], path: str) -> list[str]:
    kind = element.get("type")
    errors: list[str] = []
    if element.get("action_id") is not None:
        errors += _id(element["action_id"], f"{path}/action_id")
    if element.get("placeholder") is not None:
        errors += _text(element["placeholder"], f"{path}/placeholder", MAX_PLACEHOLDER, True)
    if kind == "button":
        errors += _text(element.get("text"), f"{path}/text", MAX_BUTTON_TEXT, plain_only=True)
        if len(str(element.get("value") or "")) > MAX_BUTTON_VALUE:
            errors.append(
                _at(f"{path}/value", f"must be less than {MAX_BUTTON_VALUE + 1} characters")
            )
        if element.get("style") not in (None, "primary", "danger"):
            errors.append(_at(f"{path}/style", "must be primary or danger"))
    elif kind in SELECTS_WITH_OPTIONS or kind == "overflow":
        limit = MAX_OVERFLOW_OPTIONS if kind == "overflow" else MAX_SELECT_OPTIONS
        for key in ("options", "option_groups"):
            items = element.get(key) or []
            if len(items) > limit:
                errors.append(_at(f"{path}/{key}", f"no more than {limit} items allowed"))
        for i, option in enumerate(element.get("options") or []):
            errors += _option(option, f"{path}/options/{i}", plain_only=kind != "radio_buttons")
        for g, group in enumerate(element.get("option_groups") or []):
            for i, option in enumerate(group.get("options") or []):
                errors += _option(option, f"{path}/option_groups/{g}/options/{i}", True)
    return errors


def _option(option: Any, path: str, plain_only: bool) -> list[str]:
    if not isinstance(option, dict):
        return [_at(path, "must be an object")]
    errors = _text(option.get("text"), f"{path}/text", MAX_OPTION_TEXT, plain_only=plain_only)
    if len(str(option.get("value") or "")) > MAX_OPTION_VALUE:
        errors.append(_at(f"{path}/value", f"must be less than {MAX_OPTION_VALUE + 1} characters"))
    return errors


def _text(obj: Any, path: str, max_len: int, plain_only: bool = False) -> list[str]:
    if not isinstance(obj, dict):
        return [_at(path, "must be a text object")]
    kind, text = obj.get("type"), obj.get("text")
    if kind not in TEXT_TYPES:
        return [_at(f"{path}/type", "must be plain_text or mrkdwn")]
    if plain_only and kind != "plain_text":
        return [_at(f"{path}/type", "must be plain_text")]
    if not isinstance(text, str) or not text:
        return [_at(f"{path}/text", "must be more than 0 characters")]
    if len(text) > max_len:
        return [_at(f"{path}/text", f"must be less than {max_len + 1} characters")]
    return []


def _id(value: Any, path: str) -> list[str]:
    if not isinstance(value, str) or not value:
        return [_at(path, "must be a non-empty string")]
    if len(value) > MAX_ID:
        return [_at(path, f"must be less than {MAX_ID + 1} characters")]
    return []


def _unique(errors: list[str]) -> list[str]:
    return list(dict.fromkeys(errors))
