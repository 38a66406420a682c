"""Payers in the database: find or create the payer of what a remittance wrote, and merge two.

A remittance names its payer by id (N1*PR04, REF*2U, a CSV's payer id column), by name, or
both. The payer is the one that id already belongs to; else the one the name (case- and
punctuation-blind) belongs to; else a new one. Whatever it was found by, the other alias is
added to it, so `AETNA` with id 60054 and a report's `Aetna` are one payer from then on. Two
payers that are the same but share no alias are joined by `merge_payers` (`denials payers
merge A B`).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import Connection, func, insert, literal, select, update
from sqlalchemy.orm import Session

from bot.domain.payers import AliasKind, display_name, id_key, name_key
from bot.domain.records import Payer as WrittenPayer
from storage.bulk.insert import insert_one, table_of
from storage.models import Claim, Denial, PatternAlert, PatternFix, Payer, PayerAlias, SlackPost

_PAYERS = table_of(Payer)
_ALIASES = table_of(PayerAlias)
_CLAIMS = table_of(Claim)
_DENIALS = table_of(Denial)
_POSTS = table_of(SlackPost)
_FIXES = table_of(PatternFix)
_ALERTS = table_of(PatternAlert)


def payer_token(payer_id: int) -> str:
    """The payer's part of a pattern key (`p12|coding|16|1234567893`)."""
    return f"p{payer_id}"


class PayerDirectory:
    """The payer ids of what one transaction's remittances wrote; creates payers as needed.

    Use it inside the import's transaction: a refused file leaves no payer behind. Imports are
    one at a time (see storage.db.lock_imports), so two cannot create the same payer.
    """

    def __init__(self, connection: Connection, *, now: datetime) -> None:
        self._connection = connection
        self._now = now
        self._known: dict[WrittenPayer, int] = {}

    def payer_id(self, written: WrittenPayer) -> int:
        known = self._known.get(written)
        if known is None:
            known = self._known[written] = self._find_or_create(written)
        return known

    def _find_or_create(self, written: WrittenPayer) -> int:
        ident = id_key(written.identifier or "")
        name = name_key(written.name)  # "" is the unknown payer's name
        by_id = self._alias(AliasKind.ID, ident) if ident else None
        by_name = self._alias(AliasKind.NAME, name)
        payer_id = by_id or by_name
        if payer_id is None:
            payer_id = insert_one(
                self._connection, _PAYERS, name=display_name(written.name), created_at=self._now
            )
        if ident and by_id is None:
            self._add_alias(payer_id, AliasKind.ID, ident, (written.identifier or "").strip())
        if by_name is None:
            self._add_alias(payer_id, AliasKind.NAME, name, " ".join(written.name.split()))
        return payer_id

    def _alias(self, kind: AliasKind, key: str) -> int | None:
        query = select(_ALIASES.c.payer_id).where(_ALIASES.c.kind == kind, _ALIASES.c.key == key)
        return self._connection.execute(query).scalar()

    def _add_alias(self, payer_id: int, kind: AliasKind, key: str, text: str) -> None:
        self._connection.execute(
            insert(_ALIASES).values(payer_id=payer_id, kind=kind.value, key=key, text=text)
        )


def written_key(written: WrittenPayer) -> str:
    """How a file names its payer (`id:60054`, `name:AETNA`), for identities stored in other
    rows (a 277 request's): they must not change when payers are merged or renamed."""
    if written.identifier:
        return f"id:{written.identifier.strip().upper()}"
    return "name:" + " ".join(written.name.upper().split())


def payer_for_rules(connection: Connection, payer_id: int) -> WrittenPayer:
    """A stored payer as the payer rules match one: its display name and its first id."""
    name = connection.execute(select(_PAYERS.c.name).where(_PAYERS.c.id == payer_id)).scalar()
    ident = connection.execute(
        select(_ALIASES.c.text)
        .where(_ALIASES.c.payer_id == payer_id, _ALIASES.c.kind == AliasKind.ID)
        .order_by(_ALIASES.c.id)
        .limit(1)
    ).scalar()
    return WrittenPayer(name or "", ident)


def find_payer(connection: Connection, asked: str) -> int | None:
    """The payer someone means by `asked`: its number (`P12` or `12`), an id or a name."""
    text = asked.strip()
    number = text[1:] if text[:1] in ("P", "p") and text[1:].isdigit() else text
    if number.isdigit():
        found = connection.execute(select(_PAYERS.c.id).where(_PAYERS.c.id == int(number)))
        payer_id = found.scalar()
        if payer_id is not None:
            return int(payer_id)
    lookups = [(AliasKind.ID, id_key(text)), (AliasKind.NAME, name_key(text))]
    if any(character.isspace() for character in text):
        # `BCBS NC` is a name before it is the id `BCBSNC` (an id is compared without spaces)
        lookups.reverse()
    for kind, key in lookups:
        query = select(_ALIASES.c.payer_id).where(_ALIASES.c.kind == kind, _ALIASES.c.key == key)
        payer_id = connection.execute(query).scalar()
        if payer_id is not None:
            return int(payer_id)
    return None


def payer_labels(session: Session) -> dict[int, str]:
    """Each payer's display name, made unique with its number when two payers share one."""
    rows = session.execute(select(_PAYERS.c.id, _PAYERS.c.name).order_by(_PAYERS.c.id)).all()
    counts = Counter(name for _, name in rows)
    return {pid: name if counts[name] == 1 else f"{name} (P{pid})" for pid, name in rows}


def merge_payers(connection: Connection, source: int, target: int) -> None:
    """Join payer `source` into `target`: its aliases, claims, denials and repeat patterns
    become the target's, and its cards are marked for a rebuild (they show the payer)."""
    moved = select(_DENIALS.c.post_id).where(
        _DENIALS.c.payer_id == source, _DENIALS.c.post_id.is_not(None)
    )
    connection.execute(update(_POSTS).where(_POSTS.c.id.in_(moved)).values(needs_update=True))
    for table in (_ALIASES, _CLAIMS, _DENIALS):
        connection.execute(update(table).where(table.c.payer_id == source).values(payer_id=target))
    old, new = payer_token(source) + "|", payer_token(target) + "|"
    keys = [(t, "pattern_key") for t in (_DENIALS, _POSTS, _FIXES)]
    for table, name in [*keys, (_ALERTS, "base"), (_ALERTS, "scope")]:
        column = table.c[name]
        connection.execute(
            update(table)
            .where(column.startswith(old, autoescape=True))
            .values({name: literal(new) + func.substr(column, len(old) + 1)})
        )
    connection.execute(_PAYERS.delete().where(_PAYERS.c.id == source))
