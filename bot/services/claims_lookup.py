"""Find denials by what people type: the practice's claim number or the id on a card (`D-1042`).

Exact claim numbers first (several denials can share one: different payers, or a claim denied
again later); a bare number is also tried as a denial id. Without an exact match, claim numbers
that start like what was typed are offered, never acted on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from bot.blocks.command_replies import MatchView as ClaimMatch
from storage.models import Denial

DENIAL_ID = re.compile(r"^[Dd]-?(\d{1,12})$")
MAX_MATCHES = 10
MIN_PREFIX = 4  # shorter prefixes match too much to be a useful suggestion
SCAN_LIMIT = 2000


@dataclass(frozen=True, slots=True)
class Lookup:
    asked: str
    matches: tuple[ClaimMatch, ...] = ()  # exactly what was asked for
    similar: tuple[ClaimMatch, ...] = ()  # claim numbers that start alike, closest first
    hint: str | None = None  # a shorter claim number to try with `find`

    @property
    def one(self) -> ClaimMatch | None:
        return self.matches[0] if len(self.matches) == 1 else None


def lookup_claim(session: Session, asked: str) -> Lookup:
    by_id = DENIAL_ID.match(asked)
    if by_id:
        denial = session.get(Denial, int(by_id.group(1)))
        return Lookup(asked, matches=(_match(denial),) if denial else ())
    exact = list(session.scalars(_query(Denial.claim_number == asked)))
    if asked.isdigit() and len(asked) <= 12:
        denial = session.get(Denial, int(asked))
        if denial is not None and denial not in exact:
            exact.append(denial)
    if not exact:
        exact = list(session.scalars(_query(func.upper(Denial.claim_number) == asked.upper())))
    if exact:
        return Lookup(asked, matches=_current(exact))
    starting = list(session.scalars(_query(_starts(asked)).limit(MAX_MATCHES + 1)))
    if starting:
        return Lookup(asked, similar=_current(starting), hint=asked)
    return _closest(session, asked)


def _closest(session: Session, asked: str) -> Lookup:
    """Claim numbers sharing the longest start with what was typed (a typo near the end)."""
    shortest = max(MIN_PREFIX, len(asked) // 2)
    if len(asked) <= shortest:
        return Lookup(asked)
    candidates = list(session.scalars(_query(_starts(asked[:shortest])).limit(SCAN_LIMIT)))
    if not candidates:
        return Lookup(asked)
    wanted = asked.upper()
    best = max(_common(d.claim_number.upper(), wanted) for d in candidates)
    closest = [d for d in candidates if _common(d.claim_number.upper(), wanted) == best]
    return Lookup(asked, similar=_current(closest), hint=asked[:best])


def _query(condition: ColumnElement[bool]) -> Select[Denial]:
    return select(Denial).where(condition).order_by(Denial.claim_number, Denial.id)


def _starts(prefix: str) -> ColumnElement[bool]:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return Denial.claim_number.ilike(escaped + "%", escape="\\")


def _current(denials: list[Denial]) -> tuple[ClaimMatch, ...]:
    """Superseded denials only when nothing else matches; at most MAX_MATCHES + 1 (so a
    caller can say "and more")."""
    live = [d for d in denials if d.status != "superseded"] or denials
    return tuple(_match(d) for d in live[: MAX_MATCHES + 1])


def _match(denial: Denial) -> ClaimMatch:
    return ClaimMatch(
        denial_id=denial.id,
        version=denial.version,
        claim_number=denial.claim_number,
        payer_name=denial.payer_name,
        denied_amount=denial.denied_amount,
        status=denial.status,
        denial_date=denial.denial_date,
        deadline=denial.deadline,
    )


def _common(a: str, b: str) -> int:
    size = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        size += 1
    return size
