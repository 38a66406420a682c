"""The import's JSON columns written as text: exactly what `json.dumps` gives for the same
lists and dicts (tests/unit/test_claim_json.py holds them to it), without building them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from json.encoder import encode_basestring_ascii
from typing import Final

from bot.domain.findings import DenialReason
from bot.domain.records import Adjustment, ServiceLine
from storage.bulk.insert import MEMO_SIZE, Memo

# Each encoder writes what json.dumps (default separators, ensure_ascii) writes for the list or
# dict in its docstring. Strings go through json's own quoting; a Decimal's str() holds only
# digits, ".", "-", "+" and letters, which JSON never escapes.

_quote: Final = encode_basestring_ascii


def strings_json(values: Sequence[str]) -> str:
    """`list(values)`."""
    return "[" + ", ".join(map(_quote, values)) + "]" if values else "[]"


# Modifiers and remark codes come in a few hundred combinations: their text by value.
_codes_json = Memo(strings_json).__getitem__


def _optional(value: str | None) -> str:
    return "null" if value is None else _quote(value)


def _amount(value: Decimal | None) -> str:
    return "null" if value is None else f'"{value!s}"'


def adjustments_json(adjustments: Sequence[Adjustment]) -> str:
    """`[{"group", "carc", "amount": str, "quantity": str | None}, …]`."""
    if len(adjustments) == 1:
        return "[" + _adjustment(adjustments[0]) + "]"
    if not adjustments:
        return "[]"
    return "[" + ", ".join([_adjustment(a) for a in adjustments]) + "]"


def _adjustment(adjustment: Adjustment) -> str:
    # The 835 reader shares one instance per distinct CAS triplet, so most adjustments of a file
    # are a few hundred objects: their text is kept by identity. An entry holds its adjustment,
    # so the id cannot be reused while it is kept.
    known = _adjustment_texts.get(id(adjustment))
    if known is not None and known[0] is adjustment:
        return known[1]
    text = (
        f'{{"group": {_quote(adjustment.group)}, "carc": {_quote(adjustment.carc)}, '
        f'"amount": "{adjustment.amount!s}", "quantity": {_amount(adjustment.quantity)}}}'
    )
    if len(_adjustment_texts) >= MEMO_SIZE:
        _adjustment_texts.clear()
    _adjustment_texts[id(adjustment)] = (adjustment, text)
    return text


_adjustment_texts: dict[int, tuple[Adjustment, str]] = {}


def lines_json(lines: Sequence[ServiceLine]) -> str:
    """`[{"procedure", "modifiers": [...], "qualifier", "original_procedure", "billed": str,
    "paid": str, "units": str | None, "service_date": ISO date | None, "line_control",
    "adjustments": [...], "remarks": [...]}, …]`."""
    if not lines:
        return "[]"
    return "[" + ", ".join([_line(line) for line in lines]) + "]"


def _line(line: ServiceLine) -> str:
    # Hot: once per service line, so the common cases (no modifier, no remark) stay inline.
    units, day, control = line.units, line.service_date, line.line_control
    adjustments, remarks = line.adjustments, line.remarks
    return (
        _procedure_json((line.procedure, line.modifiers, line.qualifier, line.original_procedure))
        + f'"billed": "{line.billed!s}", "paid": "{line.paid!s}", '
        f'"units": {"null" if units is None else _decimal(units)}, '
        f'"service_date": {"null" if day is None else _day(day)}, '
        f'"line_control": {"null" if control is None else _quote(control)}, '
        f'"adjustments": {adjustments_json(adjustments) if adjustments else "[]"}, '
        f'"remarks": {_codes_json(remarks) if remarks else "[]"}}}'
    )


def _procedure_text(procedure: tuple[str, tuple[str, ...], str, str | None]) -> str:
    """A line's JSON up to its amounts: a practice bills a few hundred code combinations."""
    code, modifiers, qualifier, original = procedure
    return (
        f'{{"procedure": {_quote(code)}, "modifiers": {strings_json(modifiers)}, '
        f'"qualifier": {_quote(qualifier)}, "original_procedure": {_optional(original)}, '
    )


_procedure_json = Memo(_procedure_text).__getitem__


def _decimal(value: Decimal) -> str:
    return f'"{value!s}"'


def _day_text(day: date) -> str:
    """A date as JSON: its ISO string (a file has a few hundred service dates)."""
    return _quote(day.isoformat())


_day = Memo(_day_text).__getitem__


def reasons_json(reasons: Sequence[DenialReason]) -> str:
    """`[{"code", "rarcs": [...], "amount": str, "procedure", "category", "explanation"}, …]`."""
    if not reasons:
        return "[]"
    return "[" + ", ".join([_reason(reason) for reason in reasons]) + "]"


def _reason(reason: DenialReason) -> str:
    return (
        f'{{"code": {_quote(reason.code)}, "rarcs": {strings_json(reason.rarcs)}, '
        f'"amount": "{reason.amount!s}", "procedure": {_optional(reason.procedure)}, '
        f'"category": {_quote(reason.category.value)}, '
        f'"explanation": {_quote(reason.explanation)}}}'
    )
