"""The bounds of every value a person types or picks, checked at the edge and again where it is
stored: amounts, appeal levels and methods, Slack user ids, lengths.

A slash command, a form and a forged-but-signed click reach the same use case, so the use cases
check these too (a value Slack's own form would never send is refused, not stored). Each check
raises `InputError` saying what was wrong and what to do.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Final

from bot.domain.records import MAX_AMOUNT
from bot.errors import InputError

APPEAL_LEVELS: Final = ("1", "2", "3", "4", "5", "reconsideration", "redetermination")
CORRECTED_LEVEL: Final = "corrected"  # a corrected claim is stored as an appeal of this level
APPEAL_METHODS: Final = ("portal", "fax", "mail", "electronic", "phone")
MAX_CLAIM_CHARS: Final = 50  # claim numbers are at most 38 (X12 CLP01) or a report's cell
MAX_REFERENCE_CHARS: Final = 100  # as the Log appeal form allows
MAX_PAYER_CHARS: Final = 100  # as the records request form allows
MAX_NOTE_CHARS: Final = 2000  # as the forms allow
MAX_COMMAND_CHARS: Final = 2200  # a note and everything before it

BAD_AMOUNT = "`{word}` is not an amount. Write dollars and cents, like `420.00`."
NOT_POSITIVE = "`{word}` is not more than zero. Write the amount the payer paid, like `420.00`."
TOO_LARGE = "`{word}` is more than any claim could be. Check the amount."
ABOVE_BILLED = "{amount} is more than the {billed} billed for claim {claim}. Check the amount."
BAD_LEVEL = (
    "Level `{level}` is not an appeal level: use 1 to 5, reconsideration or redetermination."
)
BAD_METHOD = (
    "`{method}` is not a way an appeal is sent: use portal, fax, mail, electronic or phone."
)
NOT_A_USER_ID = "`{who}` is not a person. Pick someone from the list."
TOO_LONG = "The {what} is {length:,} characters long; at most {limit:,} fit. Shorten it."
CLAIM_TOO_LONG = (
    "`{start}…` is {length:,} characters long: no claim number is longer than {limit}. "
    "Give the claim number or the denial id from the card (`D-1042`)."
)

# Dollars and cents as people write them: `$1,234.50`, `420`, `420.5`; never `1e309`, `NaN`.
_AMOUNT = re.compile(r"^\$?(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")
# Slack user ids: U… or W… (Enterprise Grid) and capitals or digits; never `<!channel>`.
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")


def read_amount(word: str) -> Decimal:
    """A positive amount of dollars and cents no column would overflow; InputError otherwise."""
    text = word.strip()
    if not _AMOUNT.match(text):
        raise InputError(BAD_AMOUNT.format(word=_clip(text)))
    try:
        amount = Decimal(text.lstrip("$").replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise InputError(BAD_AMOUNT.format(word=_clip(text))) from None
    if amount <= 0:
        raise InputError(NOT_POSITIVE.format(word=text))
    if amount > MAX_AMOUNT:
        raise InputError(TOO_LARGE.format(word=_clip(text)))
    return amount.quantize(Decimal("0.01"))


class AboveBilledError(InputError):
    """More recovered than was billed: most often a typo (`7200` for `72.00`); the person may
    confirm it (interest, a corrected charge), and the caller says how."""

    def __init__(self, amount: str, billed: str, claim: str) -> None:
        super().__init__(ABOVE_BILLED.format(amount=amount, billed=billed, claim=claim))


def check_level(level: str) -> str:
    if level not in APPEAL_LEVELS and level != CORRECTED_LEVEL:
        raise InputError(BAD_LEVEL.format(level=_clip(level)))
    return level


def check_method(method: str | None) -> str | None:
    if method is not None and method not in APPEAL_METHODS:
        raise InputError(BAD_METHOD.format(method=_clip(method)))
    return method


def is_user_id(value: str) -> bool:
    return bool(_USER_ID.match(value))


def check_user_id(value: str | None) -> str | None:
    """A Slack user id, or None for nobody; `<!channel>`, `U1>` or a name are refused."""
    if value is not None and not is_user_id(value):
        raise InputError(NOT_A_USER_ID.format(who=_clip(value)))
    return value


def check_length(text: str | None, limit: int, what: str) -> str | None:
    if text is not None and len(text) > limit:
        raise InputError(TOO_LONG.format(what=what, length=len(text), limit=limit))
    return text


def check_claim(word: str) -> str:
    """A claim number short enough to be one: a longer word costs no query."""
    if len(word) > MAX_CLAIM_CHARS:
        raise InputError(
            CLAIM_TOO_LONG.format(start=word[:20], length=len(word), limit=MAX_CLAIM_CHARS)
        )
    return word


def _clip(text: str, limit: int = 40) -> str:
    """What was typed, short enough to quote back."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
