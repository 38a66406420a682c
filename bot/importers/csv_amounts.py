"""Giving each adjustment code its amount when an export has fewer amounts than codes.

Exports often write several codes in one cell with one amount (`"CO-45, PR-3"`, 78.00). The
denial rules need an amount per code, and what matters most is that a denial code gets the
right amount. The other columns of the row usually settle it:

* cost-share codes take their own column (PR-1 ← deductible, PR-2 ← coinsurance, PR-3 ←
  copay), else the patient-responsibility column, else allowed − paid;
* whether the one amount includes the patient's share is read from billed = paid + amounts
  (NextGen's `Adj Amt` leaves it out, generic exports put it in);
* when a contractual code shares the rest with another code, the contractual code takes
  billed − allowed.

When the columns cannot settle it, the whole amount goes to the code most likely to be the
reason for the row (not cost share, not contractual) and the caller warns.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from bot.domain.records import Adjustment
from bot.importers.csv_codes import Code

ZERO: Final = Decimal("0.00")
# Only used to decide which code carries an amount the export did not split; whether a code
# is a denial is decided by the denial rules (denial-facts.md section 1), not here.
COST_SHARE_CARCS: Final = frozenset({"1", "2", "3", "66", "142", "187", "241"})
CONTRACTUAL_CARCS: Final = frozenset({"45", "253", "59", "24", "94", "131", "144", "42", "A2"})
INFORMATIONAL_CARCS: Final = frozenset({"23"})


@dataclass(frozen=True, slots=True)
class RowAmounts:
    """The money columns of one row that can tell codes' amounts apart (None = not given)."""

    billed: Decimal | None = None
    paid: Decimal | None = None
    allowed: Decimal | None = None
    deductible: Decimal | None = None
    coinsurance: Decimal | None = None
    copay: Decimal | None = None
    patient_responsibility: Decimal | None = None

    def by_cost_share_carc(self, carc: str) -> Decimal | None:
        return {"1": self.deductible, "2": self.coinsurance, "3": self.copay}.get(carc)


def is_cost_share(code: Code) -> bool:
    return code.group == "PR" and code.carc in COST_SHARE_CARCS


def is_routine(code: Code) -> bool:
    """Cost share, contractual or informational: unlikely to be why a row was exported."""
    return is_cost_share(code) or code.carc in CONTRACTUAL_CARCS or code.carc in INFORMATIONAL_CARCS


def assign_amounts(
    codes: list[Code], amount: Decimal | None, row: RowAmounts, *, only_slot: bool = True
) -> tuple[list[Adjustment], bool]:
    """Adjustments for `codes` sharing `amount`; the flag says the split was a guess.

    `only_slot` is False when the row has other code/amount pairs (Kareo's contract and
    secondary adjustment): then billed − paid says nothing about this pair alone.
    """
    if not codes:
        return [], False
    if amount is None and only_slot and row.billed is not None:
        amount = row.billed - (row.paid or ZERO)  # a code with no amount: the unpaid charge
    if len(codes) == 1:
        return [Adjustment(codes[0].group, codes[0].carc, _single(codes[0], amount, row))], False
    patient = [c for c in codes if c.group == "PR"]
    shares = {c: _patient_share(c, row, alone=len(patient) == 1) for c in patient}
    if amount is None or any(share is None for share in shares.values()):
        return _guess(codes, amount or ZERO), True
    known = {c: s for c, s in shares.items() if s is not None}
    rest = amount - sum(known.values(), ZERO) if _includes_patient(amount, known, row) else amount
    others = [c for c in codes if c.group != "PR"]
    split, guessed = _split_rest(others, rest, row)
    amounts = {**known, **split}
    return [Adjustment(c.group, c.carc, amounts.get(c, ZERO)) for c in codes], guessed


def _single(code: Code, amount: Decimal | None, row: RowAmounts) -> Decimal:
    # NextGen puts a PR denial's amount in `Pat Rsp` and leaves `Adj Amt` at 0.00 (row 4 of
    # its sample: PR-31 on a claim with CLP02 4).
    if code.group == "PR" and not amount:
        share = _patient_share(code, row, alone=True)
        if share:
            return share
    if not amount and not is_routine(code):
        # A posting export's `Contractual Adj` column is 0.00 on a line denied CO-16: the
        # reason is the unpaid charge, less what the patient owes.
        unpaid = _unpaid(row)
        if unpaid:
            return unpaid
    return amount if amount is not None else ZERO


def _unpaid(row: RowAmounts, of: Decimal | None = None) -> Decimal:
    """`of` (the billed amount by default) less what was paid and what the patient owes."""
    base = row.billed if of is None else of
    if base is None or row.paid is None:
        return ZERO
    patient = row.patient_responsibility
    if patient is None:
        patient = sum((a for a in (row.deductible, row.coinsurance, row.copay) if a), ZERO)
    return max(base - row.paid - patient, ZERO)


def _patient_share(code: Code, row: RowAmounts, *, alone: bool) -> Decimal | None:
    own = row.by_cost_share_carc(code.carc)
    if own is not None:
        return own
    if alone and row.patient_responsibility is not None:
        return row.patient_responsibility
    if alone and is_cost_share(code) and row.allowed is not None and row.paid is not None:
        return max(row.allowed - row.paid, ZERO)
    return None


def _includes_patient(amount: Decimal, shares: dict[Code, Decimal], row: RowAmounts) -> bool:
    """Does the single amount already hold the patient's share? Decided by billed = paid + …"""
    patient = sum(shares.values(), ZERO)
    if row.billed is not None and row.paid is not None:
        if row.paid + amount == row.billed:
            return True
        if row.paid + amount + patient == row.billed:
            return False
    return amount >= patient


def _split_rest(
    others: list[Code], rest: Decimal, row: RowAmounts
) -> tuple[dict[Code, Decimal], bool]:
    if not others:
        return {}, False
    contractual = [c for c in others if c.carc in CONTRACTUAL_CARCS]
    reasons = [c for c in others if c not in contractual]
    if not reasons or not contractual:
        # Several contractual codes (CO-45, CO-253) or several reasons: the first one takes the
        # amount; for contractual codes nothing downstream depends on the split.
        return {others[0]: rest}, len(reasons) > 1
    if row.billed is None or row.allowed is None:
        return {reasons[0]: rest}, True
    fee_cut = min(max(row.billed - row.allowed, ZERO), rest)
    # What the allowed amount left unpaid is the reason's, also when the one amount given was
    # the contractual write-off alone (`Contractual Adj` beside `CO-45 CO-151`).
    reason = max(rest - fee_cut, _unpaid(row, of=row.allowed))
    return {contractual[0]: fee_cut, reasons[0]: reason}, len(reasons) > 1


def _guess(codes: list[Code], amount: Decimal) -> list[Adjustment]:
    carrier = next((c for c in codes if not is_routine(c)), codes[0])
    return [Adjustment(c.group, c.carc, amount if c == carrier else ZERO) for c in codes]
