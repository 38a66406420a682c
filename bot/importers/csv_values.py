"""Reading CSV cell values: blanks, money, dates, units, and how a bad value is quoted.

PM exports type everything as text (Kareo's API declares all 179 `ChargeData` fields as
strings), so every number and date is parsed here, and a value that does not parse becomes a
an `InputError` that the caller turns into a rejected row. Messages never quote a value that
could be patient data (see `quoted`).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Final

from bot.domain.records import MAX_AMOUNT
from bot.errors import InputError

CENT: Final = Decimal("0.01")
# "--" is SimplePractice's "no information"; the dashes and N/A variants are the same idea in
# other exports. A lone "-" is left out on purpose: Excel's accounting format writes zero so.
_BLANKS: Final = frozenset({"", "--", "---", "—", "–", "n/a", "#n/a", "null", "none", "nan"})
_MONEY: Final = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+")
_ZERO_DASHES: Final = frozenset({"-", "$-", "$ -"})
_SHOWN_CHARS: Final = 12
_MAX_LETTERS_SHOWN: Final = 1  # "12O.00" is a typo worth quoting; "ZZT000001A" is a member id
_DATE_SHAPED: Final = re.compile(r"\d+\s*[-/.]\s*\d+\s*[-/.]\s*\d+")  # a DOB, an SSN

# US exports write month first; two-digit years follow Python's %y pivot (69-99 → 1900s).
_US_DATE: Final = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})")
_ISO_DATE: Final = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")
_COMPACT_DATE: Final = re.compile(r"(\d{4})(\d{2})(\d{2})")
# Month names: Excel's `1-Oct-26` / `01-Oct-2026`, reports' `Oct 1, 2026` / `October 01 2026`.
_DAY_MONTH_YEAR: Final = re.compile(r"(\d{1,2})[-\s]([A-Za-z]{3,9})\.?[-\s,]+(\d{4}|\d{2})")
_MONTH_DAY_YEAR: Final = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})")
_MONTHS: Final = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
# A time after the date (ISO "T09:14:03", Excel "10/01/2026 00:00") says nothing we need.
_TIME_TAIL: Final = re.compile(
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AP]M)?)?"
    r"(?:Z|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)


def clean(value: str | None) -> str:
    """The cell without surrounding spaces, and "" for every way of writing "nothing here"."""
    if value is None:
        return ""
    text = value.strip().strip("\u00a0").strip()
    if text.startswith('="') and text.endswith('"') and len(text) >= 3:
        # `="000123"` and `'000123`: how exports keep Excel from dropping leading zeros
        text = text[2:-1].strip()
    elif text.startswith("'") and text[1:2].isdigit():
        text = text[1:]
    return "" if text.lower() in _BLANKS else text


def quoted(value: str) -> str:
    """The value in quotes when it cannot be patient data, else nothing.

    A shifted row (an unquoted comma) can put a name, member id, birth date or SSN into any
    column, so only short values with at most one letter and not shaped like a date are
    repeated: "12O.00" is, "ZZT000001A", "01/15/1980" and "123-45-6789" are not.
    """
    letters = sum(ch.isalpha() for ch in value)
    if letters > _MAX_LETTERS_SHOWN or len(value) > _SHOWN_CHARS or _DATE_SHAPED.search(value):
        return ""
    return f' "{value}"'


def money(value: str, label: str) -> Decimal | None:
    """`$1,450.00`, `(150.00)`, `-180.00`, `150.0-` and `$ -` (zero); None when blank."""
    text = clean(value)
    if not text:
        return None
    compact = text.replace(" ", "")
    if compact in _ZERO_DASHES:
        return Decimal(0).quantize(CENT)
    negative = False
    if compact.startswith("(") and compact.endswith(")"):
        negative, compact = True, compact[1:-1]
    if compact.startswith("-"):
        negative, compact = not negative, compact[1:]
    elif compact.endswith("-"):  # trailing minus of mainframe-style reports
        negative, compact = not negative, compact[:-1]
    compact = compact.removeprefix("$").removeprefix("USD")
    if compact.startswith("-"):  # "$-12.00"
        negative, compact = not negative, compact[1:]
    if not _MONEY.fullmatch(compact):
        raise InputError(f"{label}{quoted(text)} is not a number")
    try:
        number = Decimal(compact.replace(",", ""))
    except InvalidOperation as error:  # pragma: no cover - the pattern already vouches
        raise InputError(f"{label}{quoted(text)} is not a number") from error
    if number > MAX_AMOUNT:
        raise InputError(f"{label}{quoted(text)} is too large to be an amount")
    return (-number if negative else number).quantize(CENT)


def quantity(value: str, label: str) -> Decimal | None:
    """Units: `4`, `4.0`, `1,000`; None when blank."""
    text = clean(value)
    if not text:
        return None
    if not _MONEY.fullmatch(text):
        raise InputError(f"{label}{quoted(text)} is not a number")
    return Decimal(text.replace(",", "")).normalize()


def day(value: str, label: str) -> date | None:
    """`MM/DD/YYYY`, `mm-dd-yyyy`, `MM/DD/YY`, ISO dates and date-times, `YYYYMMDD`."""
    text = clean(value)
    if not text:
        return None
    for pattern, order in ((_ISO_DATE, "ymd"), (_US_DATE, "mdy"), (_COMPACT_DATE, "ymd")):
        found = pattern.match(text)
        if found is None or not _TIME_TAIL.fullmatch(text[found.end() :]):
            continue
        parts = [int(part) for part in found.groups()]
        year, month, dom = parts if order == "ymd" else (parts[2], parts[0], parts[1])
        if len(found.group(3 if order == "mdy" else 1)) == 2:
            year += 1900 if year >= 69 else 2000
        try:
            return date(year, month, dom)
        except ValueError:
            break
    else:
        named = _named_month(text)
        if named is not None:
            return named
    raise InputError(f"{label}{quoted(text)} is not a date (expected MM/DD/YYYY)")


def _named_month(text: str) -> date | None:
    """`1-Oct-26`, `01 Oct 2026`, `Oct 1, 2026`, `October 01 2026` (a time may follow)."""
    for pattern, order in ((_DAY_MONTH_YEAR, "dmy"), (_MONTH_DAY_YEAR, "mdy")):
        found = pattern.match(text)
        if found is None or not _TIME_TAIL.fullmatch(text[found.end() :]):
            continue
        first, second, year_text = found.groups()
        month = _MONTHS.get((second if order == "dmy" else first).lower())
        if month is None:
            return None
        dom = int(first if order == "dmy" else second)
        year = int(year_text)
        if len(year_text) == 2:
            year += 1900 if year >= 69 else 2000
        try:
            return date(year, month, dom)
        except ValueError:
            return None
    return None


def date_in_name(name: str) -> date | None:
    """A CCYYMMDD date inside a file name such as `ERA_20261102_01.835`, if it is a real date."""
    for found in re.finditer(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)", name):
        try:
            return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        except ValueError:
            continue
    return None
