"""What a new adjudication of a claim does to the earlier ones (denial-facts.md section 1).

- A reversal (CLP02=22) voids the latest earlier adjudication of the same claim.
- The next adjudication after a reversal replaces it: if it pays, the earlier denial is
  recovered; if it denies again, the earlier denial is superseded by the new one (new clock).
- Without a reversal, a later adjudication that pays closes the earlier denial as recovered
  (a corrected claim or an appeal paid on a later remittance). A later *denial* without a
  reversal leaves the earlier denial alone: it is often a duplicate-claim denial (CO-18) of a
  resubmission, and closing the original would lose work.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bot.domain.records import ClaimKind


@dataclass(frozen=True, slots=True)
class PriorAdjudication:
    """An earlier stored adjudication of the same claim (same payer and claim number)."""

    claim_id: int
    kind: ClaimKind
    paid: Decimal
    payer_claim_number: str | None
    reversed: bool
    open_denial_id: int | None  # its denial, when one is still open
    denied_amount: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class NewAdjudication:
    claim_id: int
    kind: ClaimKind
    paid: Decimal
    payer_claim_number: str | None
    original_reference: str | None
    denial_id: int | None  # set when the new adjudication is itself a denial


@dataclass(frozen=True, slots=True)
class Recover:
    denial_id: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Supersede:
    denial_id: int
    by_denial_id: int


@dataclass(frozen=True, slots=True)
class Reverse:
    claim_id: int
    by_claim_id: int


Effect = Recover | Supersede | Reverse


def effects_of(new: NewAdjudication, history: list[PriorAdjudication]) -> list[Effect]:
    """The changes `new` makes to `history` (oldest first, all of the same claim)."""
    if new.kind is ClaimKind.REVERSAL:
        target = _reversal_target(new, history)
        return [Reverse(target.claim_id, new.claim_id)] if target else []
    if new.kind is not ClaimKind.ADJUDICATED:
        return []

    after_reversal = bool(history) and history[-1].kind is ClaimKind.REVERSAL
    effects: list[Effect] = []
    for prior in history:
        if prior.open_denial_id is None or prior.kind is not ClaimKind.ADJUDICATED:
            continue
        if new.paid > 0 and (prior.reversed or new.paid > prior.paid):
            # A correction after a reversal carries the whole payment; a later payment
            # without one carries only what was added.
            gained = new.paid if prior.reversed else new.paid - prior.paid
            effects.append(Recover(prior.open_denial_id, min(gained, prior.denied_amount)))
        elif new.denial_id is not None and prior.reversed and after_reversal:
            effects.append(Supersede(prior.open_denial_id, new.denial_id))
    return effects


def _reversal_target(
    new: NewAdjudication, history: list[PriorAdjudication]
) -> PriorAdjudication | None:
    """The latest adjudication not yet reversed; prefer the one the reversal names."""
    candidates = [p for p in history if p.kind is ClaimKind.ADJUDICATED and not p.reversed]
    named = {new.payer_claim_number, new.original_reference} - {None}
    for prior in reversed(candidates):
        if prior.payer_claim_number in named:
            return prior
    return candidates[-1] if candidates else None
