"""What a letter may say about one denial: plain values read from the database.

Anything the database cannot know is `None` here and becomes a marked blank in the letter;
nothing is guessed. Patient fields are PHI: `without_phi()` is the copy that may leave the
practice's machine under `DENIALS_PHI=minimal`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from bot.blocks.text import long_date
from bot.domain.findings import RootCause
from bot.domain.payer_rule import AppealAddress

MEDICARE_LEVELS = 2  # redetermination (MAC) and reconsideration (QIC); ALJ has its own form
OUTCOME_WORDS = {"won": "paid", "partial": "paid in part", "lost": "denial upheld"}


@dataclass(frozen=True, slots=True)
class Provider:
    name: str | None = None
    npi: str | None = None


@dataclass(frozen=True, slots=True)
class Patient:
    """PHI. The 835 never carries a birth date, so today it is always left for staff."""

    name: str | None = None
    member_id: str | None = None  # the Medicare number (MBI) on Medicare claims
    birth_date: date | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    code: str  # "CO-197" or a RARC "N54"
    words: str  # plain words a payer's reviewer recognises


@dataclass(frozen=True, slots=True)
class Line:
    """One service line as the payer adjudicated it."""

    procedure: str
    modifiers: tuple[str, ...] = ()
    service_date: date | None = None
    units: Decimal | None = None
    billed: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    original_procedure: str | None = None  # the code billed, when the payer changed it
    codes: tuple[str, ...] = ()  # denial adjustment codes and remarks on this line

    @property
    def code(self) -> str:
        """`99213-25`: the procedure with its modifiers, as billed."""
        return "-".join((self.procedure, *self.modifiers))

    @property
    def quantity(self) -> str:
        """Units as a person writes them: `1`, `2`, `1.5` (one when the payer did not say)."""
        units = self.units if self.units is not None else Decimal(1)
        return format(units.normalize(), "f")


@dataclass(frozen=True, slots=True)
class PriorAppeal:
    level: str  # "1", "reconsideration", "corrected", ...
    kind: str  # "appeal" or "corrected"
    sent_on: date
    method: str | None = None
    reference: str | None = None
    outcome: str | None = None  # won, lost, partial; None while waiting
    decided_on: date | None = None

    @property
    def outcome_words(self) -> str:
        if self.outcome is None:
            return "no decision yet"
        words = OUTCOME_WORDS.get(self.outcome, self.outcome)
        return f"{words} on {long_date(self.decided_on)}" if self.decided_on else words


@dataclass(frozen=True, slots=True)
class Level:
    """Which appeal this letter is: 1 is the first request after the denial."""

    number: int
    medicare: bool  # Medicare fee-for-service: redetermination, then QIC reconsideration

    @property
    def name(self) -> str:
        if self.medicare:
            return "Redetermination" if self.number == 1 else "Reconsideration"
        if self.number == 1:
            return "Reconsideration (first-level appeal)"
        return "Second-level appeal" if self.number == 2 else f"Level {self.number} appeal"

    @property
    def ordinal(self) -> str:
        return {1: "first", 2: "second", 3: "third", 4: "fourth"}.get(self.number, "further")


@dataclass(frozen=True, slots=True, kw_only=True)
class LetterFacts:
    today: date
    level: Level
    cause: RootCause
    claim_number: str
    payer_claim_number: str | None
    payer_name: str
    payer_id: str | None
    appeal_to: AppealAddress
    notice_date: date  # the remittance (ERA/EOB) date the denial came on
    check_number: str | None  # the check or EFT trace of that remittance
    service_from: date | None
    service_to: date | None
    lines: tuple[Line, ...]
    billed: Decimal
    paid: Decimal
    denied: Decimal
    reasons: tuple[Reason, ...]  # CARCs with their words
    remarks: tuple[Reason, ...]  # RARCs with their words
    deadline: date | None
    rendering: Provider
    billing: Provider
    patient: Patient
    prior_appeals: tuple[PriorAppeal, ...] = ()
    # The clearinghouse's acceptance of the original claim (277CA or 999), when one is on file.
    accepted_on: date | None = None
    # The payer's records request this denial was tied to (a "records missing" denial), if any.
    records_asked_on: date | None = None
    records_sent_on: date | None = None

    def without_phi(self) -> LetterFacts:
        """The copy for Slack under `DENIALS_PHI=minimal`: the patient left for staff to fill."""
        return replace(self, patient=Patient())

    @property
    def service_dates(self) -> str | None:
        """`Oct 1, 2026`, or `Oct 1, 2026 to Oct 3, 2026` for a span."""
        first, last = self.service_from, self.service_to
        if first is None:
            return None
        if last is None or last == first:
            return long_date(first)
        return f"{long_date(first)} to {long_date(last)}"

    @property
    def service_codes(self) -> str | None:
        """`99213-25, 97110`: each service billed, once."""
        codes = dict.fromkeys(line.code for line in self.lines)
        return ", ".join(codes) or None

    def has_code(self, *codes: str) -> bool:
        """Whether the payer gave any of these reason or remark codes (`"197"` or `"CO-197"`)."""
        given = set()
        for reason in (*self.reasons, *self.remarks):
            given.add(reason.code)
            given.add(reason.code.rpartition("-")[2])
        return any(code in given for code in codes)

    @property
    def has_phi(self) -> bool:
        return self.patient != Patient()

    @property
    def last_decision(self) -> PriorAppeal | None:
        """The latest appeal the payer decided against us: what a next level answers."""
        lost = [a for a in self.prior_appeals if a.kind == "appeal" and a.outcome == "lost"]
        return lost[-1] if lost else None
