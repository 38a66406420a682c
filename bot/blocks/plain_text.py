"""Any built message, modal or Home view as readable terminal text.

Used by `denials demo`, `denials due` in a terminal and the README's screenshot-like example:
headers and sections as lines, fields side by side, buttons as `[ Log appeal ]`, selects as
`[ Root cause ▾ ]`, the overflow as `[ ⋯ ]`, mentions as `@U123`, mrkdwn markers removed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

FIELD_WIDTH = 44
DIVIDER = "─" * 60
OVERFLOW = "[ ⋯ ]"
EMOJI = {
    "red_circle": "🔴",
    "white_check_mark": "✅",
    "heavy_minus_sign": "➖",
    "warning": "⚠️",
    "rotating_light": "🚨",
    "repeat": "🔁",
    "hourglass": "⌛",
    "moneybag": "💰",
    "calendar": "📆",
    "tada": "🎉",
    "page_facing_up": "📄",
    "outbox_tray": "📤",
    "no_entry": "⛔",
    "arrows_counterclockwise": "🔄",
    "paperclip": "📎",
    "x": "❌",
}

_LINK = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
_STYLES = [re.compile(rf"(?<!\w){re.escape(m)}(\S(?:.*?\S)?){re.escape(m)}(?!\w)") for m in "*_~"]
_EMOJI = re.compile(r":([a-z0-9_+-]+):")

Block = Mapping[str, Any]


def render_text(blocks: Sequence[Block]) -> str:
    """The blocks of a message (`Message.blocks`) as lines of text."""
    lines: list[str] = []
    for block in blocks:
        lines.extend(_render_block(block))
    return "\n".join(lines).strip("\n").rstrip() + "\n"


def render_view(view: Mapping[str, Any]) -> str:
    """A modal or Home view: its title (if any), then its blocks."""
    title = view.get("title", {}).get("text")
    head = [f"== {title} ==", ""] if title else []
    return "\n".join(head) + render_text(view.get("blocks", []))


def mrkdwn_to_plain(text: str) -> str:
    """`*Claim* <@U1> &amp; `CO-197`` -> `Claim @U1 & CO-197`."""
    text = _LINK.sub(_link_text, text).replace("`", "")
    for style in _STYLES:
        text = style.sub(r"\1", text)
    text = _EMOJI.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def notification_text(text: str) -> str:
    """A message's `text` as a phone notification shows it: no `*bold*`, `_italic_`, code
    marks or `:emoji:` codes (known ones become the emoji), mentions and links kept."""
    for style in _STYLES:
        text = style.sub(r"\1", text)
    text = _EMOJI.sub(lambda m: EMOJI.get(m.group(1), ""), text).replace("`", "")
    return re.sub(r"  +", " ", text).strip()


def _link_text(match: re.Match[str]) -> str:
    target, label = match.group(1), match.group(2)
    if label:
        return label
    if target[:1] in "@#":
        return target
    if target.startswith("!"):
        return "@" + target[1:].split("^")[0]
    return target


def _text(obj: Mapping[str, Any] | None) -> str:
    if not obj:
        return ""
    return mrkdwn_to_plain(str(obj.get("text", "")))


def _render_block(block: Block) -> list[str]:
    kind = block.get("type")
    if kind == "header":
        return ["", _text(block.get("text"))]
    if kind == "divider":
        return [DIVIDER]
    if kind == "context":
        return ["  ".join(_text(e) for e in block.get("elements", []) if "text" in e)]
    if kind == "actions":
        return ["  ".join(_element(e) for e in block.get("elements", []))]
    if kind == "input":
        return [f"{_text(block.get('label'))}: {_element(block.get('element', {}))}"]
    if kind == "section":
        return _section(block)
    return []


def _section(block: Block) -> list[str]:
    lines = _text(block.get("text")).split("\n") if block.get("text") else []
    fields = [_text(f).replace("\n", "  ") for f in block.get("fields", [])]
    for i in range(0, len(fields), 2):
        lines.append("  ".join(f.ljust(FIELD_WIDTH - 2) for f in fields[i : i + 2]).rstrip())
    accessory = block.get("accessory")
    if accessory:
        control = _element(accessory)
        if lines:
            lines[-1] = f"{lines[-1]}  {control}"
        else:
            lines.append(control)
    return lines


def _element(element: Mapping[str, Any]) -> str:
    kind = str(element.get("type", ""))
    if kind == "button":
        return f"[ {_text(element.get('text'))} ]"
    if kind == "overflow":
        return OVERFLOW
    if kind == "datepicker":
        return f"[ {element.get('initial_date', 'pick a date')} ]"
    if kind in {"plain_text_input", "number_input"}:
        return f"[ {element.get('initial_value', '') or _text(element.get('placeholder'))} ]"
    if kind.endswith("_select"):
        label = _text(element.get("placeholder")) or _text(
            element.get("initial_option", {}).get("text")
        )
        return f"[ {label or 'Choose'} ▾ ]"
    return ""
