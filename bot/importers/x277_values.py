"""Reading 277 element values: status composites, dates and which guide a transaction follows.

Shared reading rules (amounts, D8 dates, composites, refusal wording) are the 835 reader's
(`x835_values`); this module adds what only the 277 family has.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Final

from bot.domain.claim_status import StatusCode, StatusTransaction
from bot.errors import InputError
from bot.importers.x835_values import (
    NEXT_STEP,
    Warn,
    element,
    element_name,
    number_or_none,
    parse_date,
    shown,
    split_composite,
)

# STC01, STC10 and STC11 each hold one C043 status composite.
STATUS_POSITIONS: Final = (1, 10, 11)
# Code list 507 categories: a letter and one to three more characters (A3, R16, F3F).
_CATEGORY: Final = re.compile(r"[A-Z][A-Z0-9]{1,3}")
# DTP01 qualifiers whose date the product relies on: a wrong one would move a due date.
DATES_RELIED_ON: Final = frozenset({"472", "232", "106"})
_GUIDES: Final = (
    ("X214", StatusTransaction.ACKNOWLEDGMENT),  # 005010X214 277CA
    ("X213", StatusTransaction.REQUEST),  # 005010X213 277RFAI
    ("X313", StatusTransaction.REQUEST),  # 006020X313 277RFAI
    ("X212", StatusTransaction.CLAIM_STATUS),  # 005010X212 276/277
    ("X093", StatusTransaction.CLAIM_STATUS),  # 004010X093A1 276/277
    ("X070", StatusTransaction.CLAIM_STATUS),  # 004010X070 unsolicited 277
)
_RECEIPT_ACKNOWLEDGMENT: Final = "TH"  # BHT06 of a 277CA


def transaction_of(guide: str | None, bht06: str) -> tuple[StatusTransaction, bool]:
    """Which 277 a transaction is, from ST03/GS08, else BHT06; and whether the guide was known."""
    written = (guide or "").upper()
    for marker, transaction in _GUIDES:
        if marker in written:
            return transaction, True
    if bht06 == _RECEIPT_ACKNOWLEDGMENT:
        return StatusTransaction.ACKNOWLEDGMENT, False
    return StatusTransaction.CLAIM_STATUS, False


def read_composites(
    fields: list[str], number: int, component: str, separator: str
) -> tuple[StatusCode, ...]:
    """The status composites of an STC; refuses one whose category or code cannot be read."""
    codes: list[StatusCode] = []
    for position in STATUS_POSITIONS:
        written = element(fields, position)
        if not written:
            if position == 1:
                raise InputError(
                    f"STC01 (the status) is empty. {NEXT_STEP}",
                    segment_number=number,
                    segment_id="STC",
                )
            continue
        parts = [*split_composite(written, component, separator), "", "", ""]
        category, code = parts[0].strip().upper(), parts[1].strip()
        name = element_name("STC", position)
        if _CATEGORY.fullmatch(category) is None:
            raise InputError(
                f'{name} status category "{shown(category)}" is not a category code (A3, R4, '
                f"P3 …). {NEXT_STEP}",
                segment_number=number,
                segment_id="STC",
            )
        if not code:
            raise InputError(
                f"{name} has the category {category} but no status code. {NEXT_STEP}",
                segment_number=number,
                segment_id="STC",
            )
        codes.append(
            StatusCode(
                category=category,
                code=code,
                entity=parts[2].strip() or None,
                qualifier=parts[3].strip().upper() or None,
            )
        )
    return tuple(codes)


def read_dtp(fields: list[str], number: int, warn: Warn) -> tuple[str, date, date] | None:
    """(qualifier, first day, last day) of a DTP, or None when it holds no usable date.

    A D8 is one day, an RD8 a range. A date the product relies on (service dates, the
    "required by" date) that cannot be read refuses the file; any other is warned about.
    """
    qualifier, form, value = element(fields, 1), element(fields, 2), element(fields, 3)
    relied_on = qualifier in DATES_RELIED_ON
    if form not in ("D8", "RD8"):
        warn(
            f'DTP*{shown(qualifier)} has the date format "{shown(form)}" where D8 or RD8 '
            "belongs, so its date was not read.",
            number,
            "DTP",
        )
        return None
    start_text, _, end_text = value.partition("-")
    start = parse_date(start_text)
    end = parse_date(end_text) if end_text else start
    if form == "RD8" and not end_text and start is not None:
        warn(f"DTP*{qualifier} RD8 holds one date; read as that day.", number, "DTP")
    if start is None or end is None or end < start:
        if not relied_on:
            warn(f'DTP*{shown(qualifier)} date "{shown(value)}" was not read.', number, "DTP")
            return None
        raise InputError(
            f'date "{shown(value)}" in DTP*{qualifier} is not a real {form} date '
            f"(expected CCYYMMDD{'-CCYYMMDD' if form == 'RD8' else ''}). {NEXT_STEP}",
            segment_number=number,
            segment_id="DTP",
        )
    return qualifier, start, end


def read_quantity(value: str, segment_id: str, position: int, number: int) -> Decimal:
    """A count (QTY02, SVC07); refuses the file when it is not a number."""
    parsed = number_or_none(value)
    if parsed is None or parsed < 0:
        raise InputError(
            f'quantity "{shown(value)}" in {element_name(segment_id, position)} is not a '
            f"number. {NEXT_STEP}",
            segment_number=number,
            segment_id=segment_id,
        )
    return parsed
