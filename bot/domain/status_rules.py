"""What a 277 status means for the practice's to-do list (X12 code list 507, reference/x12-277.md).

* A request for additional information (any R category, and P3 "pending: information requested
  from the provider") is a **documentation request**: someone must send records by a date.
* A front-end rejection (A3 returned as unprocessable, A6 missing, A7 invalid, A8 relational
  field in error) is a **rejection**: the claim never reached adjudication, so it will never
  appear on an 835; someone must correct and resubmit it within the filing limit.
* An acceptance into adjudication (A2, or any pending or finalized status) tells that an earlier
  rejection of the same claim was corrected.
* Everything else (A0/A1 received or forwarded, E response not possible, D0) is information.

Pure: records in, findings out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Final

from bot.domain.claim_status import ClaimStatus, StatusCode, StatusLevel, StatusRecord
from bot.domain.status_words import category_words, describe

REJECTED: Final = frozenset({"A3", "A6", "A7", "A8"})
PENDING_REQUEST: Final = "P3"
# Categories saying the payer asked before (X12 advises P codes for second and later requests;
# R5, R13 and R14 are follow-ups by definition).
FOLLOW_UPS: Final = frozenset({"P3", "R5", "R13", "R14"})
ACCEPTED: Final = "A2"
DOCUMENTATION: Final = "R4"
IN_ADJUDICATION_PREFIXES: Final = ("P", "F")
_REJECTION_PREFIX: Final = {
    "A6": "Missing: ",
    "A7": "Invalid: ",
    "A8": "Does not match related fields: ",
}


@dataclass(frozen=True, slots=True)
class StatusNote:
    """One thing the payer said, in words, and the service line it is about."""

    code: str  # "R4:11504-8:LOI", "A7:562:85": the composite as written, for the record
    words: str
    line: str | None = None  # "99213-25" when it is about one service line

    @property
    def shown(self) -> str:
        return f"{self.line}: {self.words}" if self.line else self.words


@dataclass(frozen=True, slots=True)
class RequestFinding:
    """The payer asks for records (or other information) about one claim."""

    record: StatusRecord
    asks: tuple[StatusNote, ...]
    received_on: date | None  # the status date (STC02), else the transaction's date
    due_date: date | None  # DTP*106 "required by", when the transaction carries one
    follow_up: bool  # the payer says it asked before


@dataclass(frozen=True, slots=True)
class RejectionFinding:
    """A claim (or a provider's claims, or a whole batch) rejected before adjudication."""

    record: StatusRecord
    reasons: tuple[StatusNote, ...]
    received_on: date | None

    @property
    def level(self) -> StatusLevel:
        return self.record.level


@dataclass(frozen=True, slots=True)
class AcceptanceFinding:
    """The claim reached adjudication: an earlier rejection of it was corrected."""

    record: StatusRecord
    received_on: date | None


Finding = RequestFinding | RejectionFinding | AcceptanceFinding


def is_request(code: StatusCode) -> bool:
    return code.category.startswith("R") or code.category == PENDING_REQUEST


def is_rejection(code: StatusCode) -> bool:
    return code.category in REJECTED


def judge(record: StatusRecord) -> list[Finding]:
    """The findings of one status record: a rejection, a request, an acceptance, or none."""
    rejected = [s for s in record.statuses if any(is_rejection(c) for c in s.codes)]
    received = record.received_on
    if rejected:
        reasons = _unique(
            _rejection_note(code, status, record) for status in rejected for code in status.codes
        )
        return [RejectionFinding(record, reasons, received)]
    if record.level is not StatusLevel.CLAIM:
        return []
    asks = _unique(
        _ask(code, status, record)
        for status in record.statuses
        for code in status.codes
        if is_request(code)
    )
    if asks:
        follow_up = any(c.category in FOLLOW_UPS for s in record.statuses for c in s.codes)
        return [RequestFinding(record, asks, received, record.due_date, follow_up)]
    if any(_in_adjudication(c) for s in record.statuses for c in s.codes):
        return [AcceptanceFinding(record, received)]
    return []


def _in_adjudication(code: StatusCode) -> bool:
    return code.category == ACCEPTED or code.category.startswith(IN_ADJUDICATION_PREFIXES)


def _written(code: StatusCode) -> str:
    parts = [code.category, code.code, code.entity or "", code.qualifier or ""]
    while parts and not parts[-1]:
        parts.pop()
    return ":".join(parts)


def _line(status: ClaimStatus, record: StatusRecord) -> str | None:
    if status.line is None or status.line >= len(record.lines):
        return None
    return record.lines[status.line].described


def _ask(code: StatusCode, status: ClaimStatus, record: StatusRecord) -> StatusNote:
    if not code.is_loinc:
        words = f"{category_words(code.category)}: {describe(code)}"
    elif code.category == DOCUMENTATION:  # "R4: documentation requested" goes without saying
        words = describe(code)
    else:  # why the document is asked for: R9 medical necessity, R13 unreadable …
        words = f"{describe(code)}: {category_words(code.category)}"
    if status.message:
        words += f' ("{status.message}")'
    return StatusNote(_written(code), _capitalised(words), _line(status, record))


def _rejection_note(code: StatusCode, status: ClaimStatus, record: StatusRecord) -> StatusNote:
    words = describe(code)
    prefix = _REJECTION_PREFIX.get(code.category, "")
    if not is_rejection(code):  # a second composite that explains the first
        prefix = ""
    if status.message:
        words += f' ("{status.message}")'
    return StatusNote(_written(code), _capitalised(prefix + words), _line(status, record))


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _unique(notes: Iterable[StatusNote]) -> tuple[StatusNote, ...]:
    seen: dict[tuple[str, str | None], StatusNote] = {}
    for note in notes:
        seen.setdefault((note.code, note.line), note)
    return tuple(seen.values())


# -- a later denial that says the records never came (issue 15 item 2) -----------------------

# CARC 252 (an attachment or other documentation is required), 226 (information requested from
# the provider was not provided or was insufficient), 251 (the attachment was incomplete).
MISSING_RECORDS_CARCS: Final = frozenset({"252", "226", "251"})
# RARCs naming missing records, whatever the CARC (16 with M127 is the usual pair): M127 missing
# patient medical record, N706 missing documentation, N225 incomplete/invalid documentation,
# N29 missing documentation/orders/notes/summary/report/chart.
MISSING_RECORDS_RARCS: Final = frozenset({"M127", "N706", "N225", "N29"})


def says_records_missing(carcs: Iterable[str], rarcs: Iterable[str]) -> bool:
    """True when a denial's codes say documentation was missing ("CO-252", or any + M127)."""
    bare = {code.rpartition("-")[2].upper() for code in carcs}
    return bool(bare & MISSING_RECORDS_CARCS) or bool(
        {code.upper() for code in rarcs} & MISSING_RECORDS_RARCS
    )
