"""What a column's values say it holds: money, dates, reason codes, NPIs, CPT codes, statuses.

Headers lie or say too little (`Code`, `Reason`, `Date`, `Group #`); a sample of the data
rows settles it. Each detector takes one cleaned cell and answers yes or no, and never raises:
cells are whatever a file holds. `profile` counts, for a column's sample, the share of
non-blank cells each detector accepts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from bot.errors import InputError
from bot.importers.csv_codes import GROUP_WORDS, GROUPS, RARC_CODE, Code, Codes, read_status
from bot.importers.csv_values import clean, day, money


class Kind(StrEnum):
    MONEY = "money"  # $1,180.00, (12.50), -12.50, 150.00
    NUMBER = "number"  # a plain integer: units, an id, a bare CARC
    DATE = "date"
    CARC = "carc"  # CO-45, CO/45, CO 45, PR1, "CO-45, PR-2", A1
    BARE_CARC = "bare_carc"  # 45, 197: a CARC when the header says so
    RARC = "rarc"  # M127, N290, MA130, lists of them
    CODES_IN_TEXT = "codes_in_text"  # "CO 197 - Precertification/authorization absent"
    CODES = "codes"  # any of CO-29, N130, "CO 197 - Precertification absent"
    GROUP = "group"  # CO, PR, OA, PI, CR
    NPI = "npi"  # 10 digits passing the Luhn check with the 80840 prefix
    PROCEDURE = "procedure"  # 99213, J1100, 99214-25
    MODIFIER = "modifier"  # 25, GP, "59, GP"
    STATUS = "status"  # denied, paid, rejected, pending, closed …
    NAME = "name"  # words: a payer, a provider, a location
    TEXT = "text"  # a sentence: a reason description
    IDENTIFIER = "identifier"  # one token with a digit: a claim number, a payer id
    PAYER_ID = "payer_id"  # 60054, SB580, 00431: short codes, not a member's id


_STRICT_MONEY: Final = re.compile(
    r"\(?[-+]?\$?\s?-?(\d{1,3}(,\d{3})+|\d+)?\.\d{1,2}\)?-?|\(?-?\$\s?-?[\d,]+(\.\d+)?\)?"
)
_GROUP_CARC: Final = re.compile(r"(?:CO|OA|PI|PR|CR)\s*[-/:]?\s*(?:[ABDPWY]\d{1,2}|\d{1,3})")
_LETTER_CARC: Final = re.compile(r"[ABDPWY]\d{1,2}")
_BARE: Final = re.compile(r"\d{1,3}")
_LIST_SEPARATORS: Final = re.compile(r"[\s,;|+]+")
# CPT: five digits, or four and F (category II), T (category III) or U (lab analyses);
# HCPCS level II: a letter A-V and four digits; then modifiers.
_PROCEDURE: Final = re.compile(r"(\d{4}[0-9FTU]|[A-V]\d{4})([-: ][0-9A-Z]{2})*")
_PAYER_ID: Final = re.compile(r"[A-Z0-9][A-Z0-9-]{1,6}")
_MODIFIER: Final = re.compile(r"[0-9A-Z]{2}")
_WORD: Final = re.compile(r"[A-Za-z]{2,}")
_IDENTIFIER: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-_./#]*")
# Codes inside free text: a group next to its CARC, a CARC named as such, or a RARC.
_TEXT_GROUP_CARC: Final = re.compile(
    r"\b(CO|OA|PI|PR|CR)\s*[-/:]?\s*([ABDPWY]\d{1,2}|\d{1,3})\b(?![./]\d)"
)
_TEXT_NAMED_CARC: Final = re.compile(
    r"\b(?:CARC|reason\s+code|adj(?:ustment)?\s+(?:reason\s+)?code|denial\s+code|RC)"
    r"\s*[:#-]?\s*([ABDPWY]\d{1,2}|\d{1,3})\b",
    re.IGNORECASE,
)
_TEXT_RARC: Final = re.compile(r"\b(MA\d{2,3}|M\d{1,3}|N\d{1,4})\b")
_STATUS_WORDS: Final = re.compile(
    r"\b(den(ied|ial)?|dnd|pd|paid|pay|rejected?|reject(ion)?|rej|rj|closed|pending|pend|open|"
    r"appeal(ed)?|"
    r"processed|adjudicated|accepted|submitted|settled|reversed|reversal|voided?|partial|"
    r"zero pay|in process|resubmitted|forwarded|deductible|posted|unposted|written off)\b",
    re.IGNORECASE,
)


def is_money(cell: str) -> bool:
    """Written like an amount: cents, a `$`, parentheses or thousands separators."""
    text = cell.replace(" ", "")
    if not _STRICT_MONEY.fullmatch(text):
        return False
    try:
        return money(cell, "") is not None
    except InputError:
        return False


def is_number(cell: str) -> bool:
    return cell.isdigit() and len(cell) <= 12


_DATE_SHAPE: Final = re.compile(
    r"\d{1,4}[-/.]?\d{1,2}[-/.]?\d{2,4}|\d{1,2}[-\s][A-Za-z]{3}|[A-Za-z]{3,9}\.?\s+\d{1,2}\b"
)


def is_date(cell: str) -> bool:
    if not _DATE_SHAPE.match(cell.strip()):
        return False
    try:
        return day(cell, "") is not None
    except InputError:
        return False


def is_carc_cell(cell: str) -> bool:
    """Only CARCs (and glued RARCs), each with its group or a letter CARC: `CO-45`, `CO/45`,
    `CO 45`, `PR1`, `"CO-45, PR-2"`, `CO16;N290`, `A1`. A bare `45` is `is_bare_carc`."""
    text = cell.upper().strip()
    if not text:
        return False
    rest = _GROUP_CARC.sub(" ", text)
    found_group_code = rest != text
    tokens = [t for t in _LIST_SEPARATORS.split(rest) if t]
    for token in tokens:
        if _LETTER_CARC.fullmatch(token):
            found_group_code = True
        elif not RARC_CODE.fullmatch(token):
            return False
    return found_group_code


def is_bare_carc(cell: str) -> bool:
    """`45`, `197`, `"45, 2"`: numbers a CARC column holds when the group is elsewhere."""
    tokens = [t for t in _LIST_SEPARATORS.split(cell.strip()) if t]
    return bool(tokens) and all(_BARE.fullmatch(t) for t in tokens)


def is_rarc_cell(cell: str) -> bool:
    tokens = [t for t in _LIST_SEPARATORS.split(cell.upper()) if t]
    return bool(tokens) and all(RARC_CODE.fullmatch(t) for t in tokens)


def is_group_code(cell: str) -> bool:
    """`CO`, `pr`, or the group in words (`Contractual Obligation`)."""
    text = " ".join(cell.split())
    return text.upper() in GROUPS or text.lower() in GROUP_WORDS


def is_npi(cell: str) -> bool:
    """Ten digits whose last is the Luhn check digit of `80840` + the first nine."""
    digits = cell.strip()
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed("80840" + digits[:9])):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10 == int(digits[9])


def is_procedure_cell(cell: str) -> bool:
    """CPT (`99213`, `0001F`) or HCPCS (`J1100`) codes, with modifiers, one or several."""
    tokens = [t for t in re.split(r"[,;|]+|\s{2,}|,\s*", cell.upper().strip()) if t.strip()]
    return bool(tokens) and all(_PROCEDURE.fullmatch(t.strip()) for t in tokens)


def is_modifier_cell(cell: str) -> bool:
    text = cell.strip().strip("[]").replace('"', "").replace("'", "")
    tokens = [t for t in _LIST_SEPARATORS.split(text.upper()) if t]
    return bool(tokens) and all(_MODIFIER.fullmatch(t) for t in tokens)


def is_status(cell: str) -> bool:
    """A claim status a PM or clearinghouse writes (denied, paid, rejected, pending …)."""
    if len(cell) > 60:
        return False
    return bool(_STATUS_WORDS.search(cell)) or read_status("", cell).denied


def is_name(cell: str) -> bool:
    """Words, few digits: `Aetna`, `BLUE CROSS BLUE SHIELD`, `Dr. Lee`, `UHC Community Plan`."""
    letters = sum(ch.isalpha() for ch in cell)
    digits = sum(ch.isdigit() for ch in cell)
    return letters >= 2 and digits <= letters // 3 and bool(_WORD.search(cell))


def is_text(cell: str) -> bool:
    """A phrase of at least three words (a reason description, a message)."""
    return len(_WORD.findall(cell)) >= 3


def is_identifier(cell: str) -> bool:
    return bool(_IDENTIFIER.fullmatch(cell)) and any(ch.isdigit() for ch in cell)


def is_payer_id(cell: str) -> bool:
    """A payer's id as clearinghouses list them (`60054`, `SB580`, `00431`): a short code.
    A member's id (`ZZT123456789`, an MBI) is longer."""
    return bool(_PAYER_ID.fullmatch(cell.strip().upper()))


def codes_in_text(text: str) -> Codes:
    """CARCs and RARCs written inside free text: `CO 197 - Precertification absent`,
    `Denied: CARC 16 / RARC N290`, `PR-96 non-covered`. Bare numbers are not codes here
    ("after 90 days"): a CARC needs its group or the words CARC / reason code before it."""
    found = Codes()
    upper = text.upper()
    spans: list[tuple[int, int]] = []
    for match in _TEXT_GROUP_CARC.finditer(upper):
        found.carcs.append(Code(match.group(1), match.group(2)))
        spans.append(match.span())
    for match in _TEXT_NAMED_CARC.finditer(text):
        if any(start <= match.start(1) < end for start, end in spans):
            continue
        found.carcs.append(Code("", match.group(1).upper()))
    found.rarcs.extend(dict.fromkeys(m.group(1) for m in _TEXT_RARC.finditer(upper)))
    return found


def has_codes_in_text(cell: str) -> bool:
    return has_codes(cell) and is_text(cell)


def has_codes(cell: str) -> bool:
    """Codes a reader finds in the cell, alone (`CO-29`, `N130`) or inside words."""
    codes = codes_in_text(cell)
    return bool(codes.carcs or codes.rarcs)


DETECTORS: Final = {
    Kind.MONEY: is_money,
    Kind.NUMBER: is_number,
    Kind.DATE: is_date,
    Kind.CARC: is_carc_cell,
    Kind.BARE_CARC: is_bare_carc,
    Kind.RARC: is_rarc_cell,
    Kind.CODES_IN_TEXT: has_codes_in_text,
    Kind.CODES: has_codes,
    Kind.GROUP: is_group_code,
    Kind.NPI: is_npi,
    Kind.PROCEDURE: is_procedure_cell,
    Kind.MODIFIER: is_modifier_cell,
    Kind.STATUS: is_status,
    Kind.NAME: is_name,
    Kind.TEXT: is_text,
    Kind.IDENTIFIER: is_identifier,
    Kind.PAYER_ID: is_payer_id,
}


@dataclass(slots=True)
class Profile:
    """A column's non-blank sampled cells; the share each detector accepts, worked out when
    first asked (most columns are only ever asked about two or three kinds)."""

    values: list[str] = field(default_factory=list)
    _shares: dict[Kind, float] = field(default_factory=dict, repr=False)

    @property
    def filled(self) -> int:
        return len(self.values)

    @property
    def sample(self) -> str:
        """The first non-blank cell ("" for an empty column)."""
        return self.values[0] if self.values else ""

    def share(self, *kinds: Kind) -> float:
        """Share of cells that are any of `kinds` (0.0 for an empty column)."""
        return max((self._share(kind) for kind in kinds), default=0.0)

    def _share(self, kind: Kind) -> float:
        if kind not in self._shares:
            detector = DETECTORS[kind]
            accepted = 0
            for value in self.values:
                try:
                    accepted += bool(detector(value))
                except (InputError, ValueError, ArithmeticError):  # never stop detection
                    continue
            self._shares[kind] = accepted / len(self.values) if self.values else 0.0
        return self._shares[kind]


def profile(cells: Iterable[str]) -> Profile:
    return Profile([text for text in (clean(c) for c in cells) if text])
