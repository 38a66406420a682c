"""Reading 835 element values: amounts, dates, composites, and the refusal wording.

X12 amounts are type R (an optional minus, digits, an optional decimal point, no exponent and
no thousands separator); dates are D8 (CCYYMMDD). Python's `Decimal` and `date` accept more
(`"NaN"`, `"1e3"`, `" 12"`), so the shape is checked first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Final

from bot.domain.records import MAX_AMOUNT
from bot.errors import InputError

# How readers report a warning: (message, segment number, segment id).
Warn = Callable[[str, int, str], None]

NEXT_STEP: Final = "Nothing from this file was stored; fix the file or ask the payer for a new one."
_AMOUNT: Final = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")
_SHOWN_CHARS: Final = 20  # a damaged value is quoted, but never a whole line of garbage
_CACHED_CHARS: Final = 24  # longer than any amount the cache is for
# Other component separators seen in the wild when ISA16 says one thing and SVC01 uses
# another (lfh_secondary-payment.835 writes `HC>12345` while ISA16 is `:`).
_COMPONENT_FALLBACKS: Final = (":", ">", "^", "|")


def shown(value: str) -> str:
    """A value quoted in a message: short, so garbage does not flood the user's screen."""
    if len(value) > _SHOWN_CHARS:
        return value[:_SHOWN_CHARS] + "…"
    return value


def element_name(segment_id: str, position: int) -> str:
    """`CLP04` for position 4 of CLP: how implementation guides and clearinghouses say it."""
    return f"{segment_id}{position:02d}"


def is_amount(value: str) -> bool:
    return number_or_none(value) is not None


# Amounts and dates repeat (copays, fee schedules, "0", a remittance's few dates): each is parsed
# once. Plain dicts, because a lookup is what the hot loops pay per element; cleared when full so
# a damaged file's garbage cannot grow them without bound.
_CACHE_SIZE: Final = 8192
_numbers: dict[str, Decimal] = {}
_dates: dict[str, date | None] = {}
known_number = _numbers.get  # the cached amount of a string, or None when not cached
known_date = _dates.get  # the cached date of a string; None when not cached (or not a date)


def number_or_none(value: str) -> Decimal | None:
    """`value` as a Decimal when it is a type R number, else None. Only numbers within
    MAX_AMOUNT are remembered, so a cached number never needs that check again."""
    found = _numbers.get(value)
    if found is None and _AMOUNT.fullmatch(value) is not None:
        found = Decimal(value)
        if len(value) <= _CACHED_CHARS and abs(found) <= MAX_AMOUNT:
            if len(_numbers) >= _CACHE_SIZE:
                _numbers.clear()
            _numbers[value] = found
    return found


def amount(value: str, segment_id: str, position: int, number: int) -> Decimal:
    """A money amount; refuses the file when it is empty, not a number or too large to store."""
    parsed = _numbers.get(value)
    if parsed is not None:
        return parsed
    parsed = number_or_none(value)
    name = element_name(segment_id, position)
    if parsed is None:
        if not value:
            raise InputError(
                f"{name} is empty but must hold an amount. {NEXT_STEP}",
                segment_number=number,
                segment_id=segment_id,
            )
        raise InputError(
            f'amount "{shown(value)}" in {name} is not a number. {NEXT_STEP}',
            segment_number=number,
            segment_id=segment_id,
        )
    if abs(parsed) > MAX_AMOUNT:
        raise InputError(
            f'amount "{shown(value)}" in {name} is too large to be an amount (the most '
            f"stored is {MAX_AMOUNT:,}). {NEXT_STEP}",
            segment_number=number,
            segment_id=segment_id,
        )
    return parsed


def number_of_units(value: str, segment_id: str, position: int, number: int) -> Decimal:
    """A count (units, CAS quantity): a number, or the file is refused."""
    parsed = number_or_none(value)
    if parsed is None or abs(parsed) > MAX_AMOUNT:
        raise InputError(
            f'{element_name(segment_id, position)} "{shown(value)}" is not a number of units. '
            f"{NEXT_STEP}",
            segment_number=number,
            segment_id=segment_id,
        )
    return parsed


def parse_date(value: str) -> date | None:
    """A D8 date (CCYYMMDD), or None when it is not a real date (e.g. `20002316`)."""
    if value in _dates:
        return _dates[value]
    parsed = _parse_date(value)
    if len(value) <= _CACHED_CHARS:
        if len(_dates) >= _CACHE_SIZE:
            _dates.clear()
        _dates[value] = parsed
    return parsed


def _parse_date(value: str) -> date | None:
    # Years outside 1900-2199 are placeholders (`11111111` in pyx12_bad_header_looping): such a
    # date would start an appeal clock centuries ago.
    if len(value) != 8 or not value.isdigit() or not "19" <= value[:2] <= "21":
        return None
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


def required_date(value: str, segment_id: str, qualifier: str, number: int) -> date:
    """A claim or service date: a wrong one would put the appeal clock on a wrong day."""
    parsed = known_date(value) or parse_date(value)
    if parsed is None:
        raise InputError(
            f'date "{shown(value)}" in {segment_id}*{qualifier} is not a real date '
            f"(expected CCYYMMDD). {NEXT_STEP}",
            segment_number=number,
            segment_id=segment_id,
        )
    return parsed


def split_composite(value: str, component: str, element: str) -> list[str]:
    """Components of a composite such as `HC:99213:25`, tolerating a wrong separator."""
    if component in value:
        return value.split(component)
    for candidate in _COMPONENT_FALLBACKS:
        if candidate != element and candidate in value:
            return value.split(candidate)
    return [value]


def padded(fields: list[str], size: int) -> list[str]:
    """`fields` with at least `size` entries: senders drop trailing empty elements."""
    missing = size - len(fields)
    return fields + [""] * missing if missing > 0 else fields


def element(fields: list[str], position: int) -> str:
    """Element `position` of a segment, "" when the segment is shorter (trailing ones omitted)."""
    return fields[position] if position < len(fields) else ""
