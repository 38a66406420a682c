"""What a new adjudication of a claim does to the earlier ones (denial-facts.md section 1).

All adjudications here are of one claim number at one payer, in the order they were imported.
Several of them can still be different claims: many PM systems put a patient account number in
CLP01, shared by all of a patient's claims. Two adjudications are the same claim when the
payer's claim number (CLP07) is the same, or else when their service dates overlap and their
procedure codes overlap (each test only when both sides carry dates, or codes). A correction's
REF*F8 names the payer claim number of the claim it corrects: that makes them the same claim.
A masked payer claim number (`9999999999999` in a de-identified file) names no claim.

- A reversal (CLP02=22) voids the latest earlier adjudication of the same claim that is not
  reversed yet (the one whose payer claim number or REF*F8 it names, when one does).
- A later adjudication that pays recovers the open denials of the same claim, **oldest first,
  with at most what it added**: its payment less what the claim's latest earlier adjudication
  had paid (a reversal takes that back, a correction pays it again). Each denial takes at most
  its denied amount; what is left goes to the next one; a denial the money does not reach stays
  open. So the dollars recovered never exceed the dollars paid, per payment and in total, and a
  payment is never credited twice (a claim denied, resubmitted, denied CO-18 as a duplicate and
  then paid recovers the first denial; the duplicate denial stays for staff to close).
- Only a **later remittance** answers a denial: a paid claim in the same transaction set as a
  denial (another line, a split claim, another claim sharing the account number) never recovers
  it, and neither does an adjudication dated before the denial (a file imported late).
- The next adjudication after a reversal replaces the reversed one: if it denies and pays
  nothing more, the earlier denial is superseded by the new one (new clock).
- A later *denial* without a reversal leaves the earlier denial alone: it is often a
  duplicate-claim denial (CO-18) of a resubmission, and closing the original would lose work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from bot.domain.records import ClaimKind, ClaimRecord

_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Services:
    """The dates and procedure codes an adjudication covers (empty when it carries none)."""

    dates: frozenset[date] = frozenset()
    procedures: frozenset[str] = frozenset()

    def overlaps(self, other: Services) -> bool:
        dates = not self.dates or not other.dates or not self.dates.isdisjoint(other.dates)
        return dates and (
            not self.procedures
            or not other.procedures
            or not self.procedures.isdisjoint(other.procedures)
        )


def services_of(claim: ClaimRecord) -> Services:
    """The services of a claim as an importer read it."""
    return services(
        ((line.service_date, line.procedure, line.original_procedure) for line in claim.lines),
        claim.service_date,
    )


def services(
    lines: Iterable[tuple[date | None, str | None, str | None]], claim_date: date | None
) -> Services:
    """From (service date, procedure, original procedure) per line, and the claim's own date
    for a claim without dated lines (institutional claims, claim-level denials)."""
    dates: set[date] = set()
    procedures: set[str] = set()
    for day, procedure, original in lines:
        if day is not None:
            dates.add(day)
        procedures.update(code for code in (procedure, original) if code)
    if not dates and claim_date is not None:
        dates.add(claim_date)
    return Services(frozenset(dates), frozenset(procedures))


@dataclass(frozen=True, slots=True)
class Adjudication:
    """One adjudication of the claim number, stored or new."""

    claim_id: int
    remittance_id: int
    kind: ClaimKind
    paid: Decimal
    payer_claim_number: str | None
    adjudicated_on: date
    services: Services = Services()
    original_reference: str | None = None  # REF*F8 of a reversal or correction
    denial_id: int | None = None  # its denial, while that is open
    denied: Decimal = _ZERO  # the open denial's denied amount
    reversed: bool = False

    def same_claim(self, other: Adjudication) -> bool:
        """The payer says so (one claim number, or a REF*F8 naming the other's), or else their
        services overlap."""
        if self._references() & other._references():
            return True
        return self.services.overlaps(other.services)

    def _references(self) -> set[str]:
        return {
            ref
            for ref in (self.payer_claim_number, self.original_reference)
            if ref and not masked(ref)
        }


def masked(reference: str) -> bool:
    """A de-identified or placeholder number (`9999999999999`, `XXXXXXXX`, `0000000`): one
    character repeated, so it names no claim (every claim of a masked file carries it)."""
    return len(set(ch for ch in reference.upper() if ch.isalnum())) <= 1


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


class ClaimHistory:
    """The adjudications of one claim number at one payer, oldest first."""

    def __init__(self, earlier: Iterable[Adjudication] = ()) -> None:
        self._items = list(earlier)

    def add(self, new: Adjudication) -> list[Effect]:
        """Take `new` into the history; the changes it makes to the earlier adjudications."""
        effects = self._effects(new)
        if effects:
            self._apply(effects)
        self._items.append(new)
        return effects

    def _effects(self, new: Adjudication) -> list[Effect]:
        if new.kind is ClaimKind.REVERSAL:
            target = self._reversal_target(new)
            return [Reverse(target.claim_id, new.claim_id)] if target else []
        if new.kind is not ClaimKind.ADJUDICATED or not self._items:
            return []
        same = [p for p in self._items if p.same_claim(new)]
        if not same:
            return []
        latest = next((p for p in reversed(same) if p.kind is ClaimKind.ADJUDICATED), None)
        gained = new.paid - (latest.paid if latest is not None else _ZERO)
        if gained > 0:
            return self._recoveries(new, same, gained)
        if new.denial_id is not None and same[-1].kind is ClaimKind.REVERSAL:
            return [
                Supersede(p.denial_id, new.denial_id)
                for p in same
                if p.reversed and p.denial_id is not None and p.kind is ClaimKind.ADJUDICATED
            ]
        return []

    @staticmethod
    def _recoveries(new: Adjudication, same: list[Adjudication], pool: Decimal) -> list[Effect]:
        """`pool` spread over the open denials it answers, oldest first."""
        effects: list[Effect] = []
        for prior in same:
            if pool <= 0:
                break
            if (
                prior.denial_id is None
                or prior.kind is not ClaimKind.ADJUDICATED
                or prior.remittance_id == new.remittance_id
                or prior.adjudicated_on > new.adjudicated_on
                or prior.denied <= 0
            ):
                continue
            amount = min(pool, prior.denied)
            effects.append(Recover(prior.denial_id, amount))
            pool -= amount
        return effects

    def _reversal_target(self, new: Adjudication) -> Adjudication | None:
        """The latest adjudication of the same claim not reversed yet; the one the reversal
        names (its payer claim number, or REF*F8) first."""
        candidates = [
            p
            for p in self._items
            if p.kind is ClaimKind.ADJUDICATED and not p.reversed and p.same_claim(new)
        ]
        named = new._references()
        for prior in reversed(candidates):
            if prior.payer_claim_number in named:
                return prior
        return candidates[-1] if candidates else None

    def _apply(self, effects: list[Effect]) -> None:
        reversed_ids = {e.claim_id for e in effects if isinstance(e, Reverse)}
        closed = {e.denial_id for e in effects if isinstance(e, Recover | Supersede)}
        self._items = [
            replace(
                p,
                reversed=p.reversed or p.claim_id in reversed_ids,
                denial_id=None if p.denial_id in closed else p.denial_id,
            )
            if p.claim_id in reversed_ids or p.denial_id in closed
            else p
            for p in self._items
        ]
