"""Use cases: list the payers with what they are known by, and join two that are the same.

`denials payers` shows each payer's number, display name, ids and spellings, with its claims
and denials; `denials payers merge A B` moves A's aliases, claims, denials and repeat patterns
to B (one transaction) and rebuilds the cards that showed A.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from bot.domain.payers import AliasKind
from bot.errors import InputError
from storage.bulk.import_lock import lock_imports
from storage.dedupe import merge_duplicates
from storage.models import Claim, Denial, Payer, PayerAlias
from storage.payers import find_payer, merge_payers

UNKNOWN = "No payer {asked}. `denials payers` lists them with their numbers (P1, P2, …)."
SAME = "{asked} and {other} are the same payer ({name}) already; nothing to merge."


@dataclass(frozen=True, slots=True)
class PayerListing:
    id: int
    name: str
    ids: tuple[str, ...]  # the payer ids it is known by, as first written
    names: tuple[str, ...]  # the spellings it is known by, as first written
    claims: int
    denials: int

    @property
    def number(self) -> str:
        return f"P{self.id}"


@dataclass(frozen=True, slots=True)
class Merged:
    source: PayerListing
    target: PayerListing
    duplicates: int  # adjudications both payers had, now stored once (storage/dedupe.py)


def list_payers(sessions: sessionmaker[Session]) -> list[PayerListing]:
    """Every payer, the most denials first."""
    with sessions() as session:
        return sorted(_listings(session).values(), key=lambda p: (-p.denials, -p.claims, p.id))


def merge(sessions: sessionmaker[Session], asked: str, into: str, *, now: datetime) -> Merged:
    """Join payer `asked` into payer `into` (each a number, an id or a name); an adjudication
    both had (the same file imported under each name) is then merged into one."""
    with sessions() as session, session.begin():
        connection = session.connection()
        lock_imports(connection)  # no import may find either payer meanwhile
        source, target = _found(connection, asked), _found(connection, into)
        listings = _listings(session)
        if source == target:
            raise InputError(SAME.format(asked=asked, other=into, name=listings[source].name))
        merge_payers(connection, source, target)
        twice = merge_duplicates(session, now=now, payer_id=target)
        return Merged(listings[source], listings[target], twice.claims)


def _found(connection: Connection, asked: str) -> int:
    payer = find_payer(connection, asked)
    if payer is None:
        raise InputError(UNKNOWN.format(asked=asked))
    return payer


def _listings(session: Session) -> dict[int, PayerListing]:
    aliases: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for payer_id, kind, text in session.execute(
        select(PayerAlias.payer_id, PayerAlias.kind, PayerAlias.text).order_by(PayerAlias.id)
    ):
        aliases[payer_id][kind].append(text)
    claims = _counts(session, Claim.payer_id)
    denials = _counts(session, Denial.payer_id)
    return {
        payer.id: PayerListing(
            id=payer.id,
            name=payer.name,
            ids=tuple(aliases[payer.id][AliasKind.ID]),
            names=tuple(aliases[payer.id][AliasKind.NAME]),
            claims=claims.get(payer.id, 0),
            denials=denials.get(payer.id, 0),
        )
        for payer in session.scalars(select(Payer))
    }


def _counts(session: Session, column: InstrumentedAttribute[int]) -> dict[int, int]:
    rows = session.execute(select(column, func.count()).group_by(column))
    return {int(payer): int(count) for payer, count in rows}
