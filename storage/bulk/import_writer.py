"""Writes one file's claims in bounded batches inside the caller's transaction.

Memory stays flat however large the file: rows are inserted a batch at a time through the
driver's bulk insert (ids drawn beforehand, one query per batch: see `allocate_ids`), at most
one batch in flight on a writing thread while the next one is read, and reversals / later
payments are resolved per batch with one indexed query, their changes written together.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Select, bindparam, false, insert, select, update
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from bot.domain.identity import fingerprint, remittance_parts_of
from bot.domain.readjudication import (
    Adjudication,
    ClaimHistory,
    Recover,
    Reverse,
    Services,
    Supersede,
    services,
    services_of,
)
from bot.domain.records import ClaimKind, ClaimRecord, ProviderAdjustment, RemittanceInfo
from bot.domain.rulebook import Rulebook
from bot.domain.statuses import DenialStatus
from storage.bulk.claim_rows import ClaimRows, claims_insert, denials_insert, notice_date
from storage.bulk.driver_sql import among, compiled_for, values_of
from storage.bulk.insert import allocate_ids, insert_one, table_of
from storage.models import (
    AuditEvent,
    Claim,
    Denial,
    ProviderLevelAdjustment,
    Remittance,
    SlackPost,
)
from storage.payers import PayerDirectory, written_key
from storage.types import Money

BATCH = 1024  # claims per batch: the claims insert is then one multi-row INSERT


@dataclass
class WriteCounts:
    claims: int = 0
    denials: int = 0
    denied_amount: Decimal = Decimal(0)
    recovered: int = 0
    recovered_amount: Decimal = Decimal(0)
    recovered_denials: list[int] = field(default_factory=list)
    # Adjudications stored already (bot.domain.identity), by the import that brought them,
    # and those this file repeats (the same claim twice in it): none of them stored again.
    already: dict[int, int] = field(default_factory=dict)
    repeated: int = 0
    provider_adjustments: int = 0  # PLB adjustments stored (the known ones are not)

    @property
    def known(self) -> int:
        """Claims of the file that were not stored because they are stored already."""
        return sum(self.already.values()) + self.repeated


@dataclass(slots=True)
class _Waiting:
    """A claim waiting for its batch (and its batch's re-adjudications): its rows by column
    name, which re-adjudication reads too, and the amount its denial counts for."""

    claim: dict[str, Any]  # the claims row, but its id (drawn with the batch)
    denial: dict[str, Any] | None  # its denials row, but its id and claim_id
    denied: Decimal  # the finding's denied amount as judged (0 when not a denial)
    record: ClaimRecord  # for its services, asked of the few claims with a history

    @property
    def services(self) -> Services:
        return services_of(self.record)

    @property
    def key(self) -> tuple[int, str]:
        """The claim as a history knows it: (payer id, claim number)."""
        return self.claim["payer_id"], self.claim["claim_number"]

    @property
    def fingerprint(self) -> str:
        """bot.domain.identity's, of the claims row."""
        fingerprint: str = self.claim["fingerprint"]
        return fingerprint


@dataclass(frozen=True, slots=True)
class _RemittanceFacts:
    """What the claims of one remittance share."""

    id: int
    payer_id: int
    notice: Any  # its notice date, converted for the claims' column
    identity: tuple[str, ...]  # its part of each claim's fingerprint


class ImportWriter:
    """Writes the records of one file, inside the caller's transaction.

    `add` each record, then `flush`; use it as a context manager, so that leaving the block
    waits for the writing thread however the block ends.
    """

    def __init__(
        self,
        session: Session,
        rulebook: Rulebook,
        *,
        import_id: int,
        imported_on: date,
        now: datetime,
        actor: str,
        paid_note: Callable[[Decimal], str],
    ) -> None:
        self._paid_note = paid_note  # the card's thread note when a later payment closes it
        self._session = session
        # Core statements on the transaction's connection only: see importing.
        self._connection = connection = session.connection()
        self._rulebook = rulebook
        self._import_id = import_id
        self._imported_on = imported_on
        self._now = now
        self._actor = actor
        self._remittances: dict[RemittanceInfo, tuple[int, int]] = {}
        self._payers = PayerDirectory(connection, now=now)
        # (payer, fingerprint) of the adjudications found stored by an earlier import: a second
        # copy of one in this file is a repeat, not another claim already imported
        self._found_stored: set[tuple[int, str]] = set()
        # The remittance of the last claim and what its claims share: claims come remittance
        # by remittance, so this spares each claim the lookups.
        self._remittance_info: RemittanceInfo | None = None
        self._remittance_facts = _RemittanceFacts(0, 0, None, ())
        self._batch: list[_Waiting] = []
        # The batch being inserted on the writing thread, and what it leaves to resolve.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer")
        self._writing: Future[None] | None = None
        self._unresolved: tuple[list[_Waiting], list[int], dict[int, int]] | None = None
        self._provider_adjustments: list[dict[str, Any]] = []
        self._claims = claims_insert(connection)
        self._denials = denials_insert(connection)
        self._rows = ClaimRows(self._claims, self._denials, import_id=import_id, now=now)
        self._dialect = connection.dialect
        self._listed = values_of(connection.dialect)  # a list as a driver_sql parameter
        self.counts = WriteCounts()

    def add(self, item: ClaimRecord | ProviderAdjustment) -> None:
        if isinstance(item, ProviderAdjustment):
            self._add_provider_adjustment(item)
            return
        judged = self._rulebook.judge(item, imported_on=self._imported_on)
        if item.remittance is not self._remittance_info:
            self._start_remittance(item)
        remittance = self._remittance_facts
        remittance_id, payer, notice = remittance.id, remittance.payer_id, remittance.notice
        rows = self._rows
        if judged is None:
            row = rows.claim(item, None, remittance_id, payer, notice)
            denial, denied_amount = None, _ZERO
        else:
            finding, deadline, _rule = judged
            row = rows.claim(item, finding, remittance_id, payer, notice)
            denial = rows.denial(item, finding, deadline, payer)
            denied_amount = finding.denied_amount
        row["fingerprint"] = fingerprint(rows.identity(row), remittance.identity)
        self._batch.append(_Waiting(row, denial, denied_amount, item))
        if len(self._batch) >= BATCH:
            self._send()

    def _start_remittance(self, claim: ClaimRecord) -> None:
        info = self._remittance_info = claim.remittance
        notice = self._rows.claim_date(notice_date(claim, self._imported_on))
        remittance_id, payer_id = self._remittance(info)
        identity = remittance_parts_of(info)
        self._remittance_facts = _RemittanceFacts(remittance_id, payer_id, notice, identity)

    def flush(self) -> None:
        """Write every record added so far, with the claims' effects on earlier adjudications."""
        if self._batch:
            self._send(last=True)
        self._settle()
        self._insert_provider_adjustments()

    def __enter__(self) -> ImportWriter:
        return self

    def __exit__(self, error_type: type[BaseException] | None, *_: object) -> None:
        """Wait for a write still under way, so that the caller can end the transaction.

        The write's own error is raised unless another one already is (a refused file).
        """
        writing, self._writing = self._writing, None
        self._unresolved = None
        try:
            if writing is not None and error_type is None:
                writing.result()
            elif writing is not None:
                wait([writing])
        finally:
            self._executor.shutdown()

    def _send(self, *, last: bool = False) -> None:
        """Insert the batch on the writing thread; its effects follow with the next batch.

        SQLite inserts a chunk of rows without holding the GIL, so the caller reads and judges
        the next claims meanwhile. Nothing else touches the connection until `_settle`: the ids
        are drawn here, before the rows go, and the re-adjudications query what they wrote.
        """
        batch, self._batch = self._batch, []
        self._settle()
        connection = self._connection
        self._insert_provider_adjustments()
        batch = self._new_only(batch)
        if not batch:
            return
        claim_ids = allocate_ids(connection, _CLAIMS, len(batch))
        claim_row = self._claims.row
        claims = []
        for waiting, claim_id in zip(batch, claim_ids, strict=True):
            waiting.claim["id"] = claim_id
            claims.append(claim_row(waiting.claim))
        denied = [(w, i) for w, i in zip(batch, claim_ids, strict=True) if w.denial is not None]
        denial_ids: dict[int, int] = {}
        denials = []
        if denied:
            ids = allocate_ids(connection, _DENIALS, len(denied))
            denial_row = self._denials.row
            for (waiting, claim_id), denial_id in zip(denied, ids, strict=True):
                denial = waiting.denial
                assert denial is not None
                denial["id"], denial["claim_id"] = denial_id, claim_id
                denials.append(denial_row(denial))
                denial_ids[claim_id] = denial_id
                self.counts.denied_amount += waiting.denied
        self.counts.claims += len(claims)
        self.counts.denials += len(denials)
        self._writing = self._executor.submit(self._insert, connection, claims, denials, last)
        self._unresolved = (batch, claim_ids, denial_ids)

    def _insert(
        self,
        connection: Connection,
        claims: list[tuple[Any, ...]],
        denials: list[tuple[Any, ...]],
        last: bool,
    ) -> None:
        """`last`: the final batch, which the caller waits for (see BulkInsert._insert_sqlite)."""
        self._claims.execute(connection, claims, awaited=last)
        self._denials.execute(connection, denials, awaited=last)

    def _settle(self) -> None:
        """The batch sent last: written, and its effects on earlier adjudications applied."""
        writing, self._writing = self._writing, None
        if writing is not None:
            writing.result()  # raises what the insert raised
        unresolved, self._unresolved = self._unresolved, None
        if unresolved is not None:
            self._resolve_readjudications(*unresolved)

    def _new_only(self, batch: list[_Waiting]) -> list[_Waiting]:
        """The claims of `batch` not stored yet: an adjudication already stored (by an
        earlier file, or earlier in this one) or repeated in the batch is counted, not kept."""
        connection = self._connection
        prints = sorted({waiting.fingerprint for waiting in batch})
        rows = _known(connection.dialect).execute(connection, prints=self._listed(prints))
        stored = {(payer, print_): import_id for print_, payer, import_id in rows}
        kept: list[_Waiting] = []
        seen: set[tuple[int, str]] = set()
        counts = self.counts
        for waiting in batch:
            key = (waiting.key[0], waiting.fingerprint)
            earlier = stored.get(key)
            if earlier is not None and earlier != self._import_id and key not in self._found_stored:
                self._found_stored.add(key)
                counts.already[earlier] = counts.already.get(earlier, 0) + 1
            elif earlier is not None or key in seen:
                counts.repeated += 1
            else:
                seen.add(key)
                kept.append(waiting)
        return kept

    def _resolve_readjudications(
        self, batch: list[_Waiting], claim_ids: list[int], denial_ids: dict[int, int]
    ) -> None:
        """Effects of each claim of the batch on the earlier adjudications of the same claim
        number (bot.domain.readjudication).

        The earlier ones are those stored before this batch (one query) and those earlier in
        the batch (known here, turned into history only when the same claim comes again).
        The effects are written together at the end, before the next batch reads its history.
        """
        histories = self._history({waiting.key for waiting in batch}, before=claim_ids[0])
        first_in_batch: dict[tuple[int, str], tuple[_Waiting, int]] = {}
        reversals: list[dict[str, int]] = []
        closing: list[Recover | Supersede] = []
        for waiting, claim_id in zip(batch, claim_ids, strict=True):
            key = waiting.key
            history = histories.get(key)
            if history is None:
                first = first_in_batch.pop(key, None)
                if first is None:  # the first adjudication of this claim: nothing to resolve
                    first_in_batch[key] = (waiting, claim_id)
                    continue
                history = histories[key] = ClaimHistory([self._adjudication(*first, denial_ids)])
            for effect in history.add(self._adjudication(waiting, claim_id, denial_ids)):
                if isinstance(effect, Reverse):
                    reversals.append({"claim": effect.claim_id, "by": effect.by_claim_id})
                else:
                    closing.append(effect)
        if reversals:
            self._connection.execute(_REVERSE, reversals)
        if closing:
            self._close(closing)

    def _adjudication(
        self, waiting: _Waiting, claim_id: int, denial_ids: dict[int, int]
    ) -> Adjudication:
        """A claim of this batch as the history query would read it back from the database."""
        row = waiting.claim
        denial_id = denial_ids.get(claim_id)
        return Adjudication(
            claim_id=claim_id,
            remittance_id=row["remittance_id"],
            kind=ClaimKind(row["kind"]),
            paid=self._read_money(row["paid"]),
            payer_claim_number=row["payer_claim_number"],
            adjudicated_on=_as_date(row["notice_date"]),
            services=waiting.services,
            original_reference=row["original_reference"],
            denial_id=denial_id,
            denied=self._as_stored(waiting.denied) if denial_id else Decimal(0),
        )

    def _as_stored(self, amount: Decimal) -> Decimal:
        """An amount as a `Money` column gives it back (whole cents)."""
        return self._read_money(_MONEY.process_bind_param(amount, self._dialect))

    def _read_money(self, stored: Any) -> Decimal:
        """A `Money` column's value as the ORM reads it."""
        amount = _MONEY.process_result_value(stored, self._dialect)
        assert amount is not None
        return amount

    def _history(
        self, keys: set[tuple[int, str]], *, before: int
    ) -> dict[tuple[int, str], ClaimHistory]:
        """Adjudications stored before claim id `before` of the claims `keys`, oldest first."""
        connection = self._connection
        rows = _history(connection.dialect).execute(
            connection,
            payers=self._listed(sorted({payer for payer, _ in keys})),
            numbers=self._listed(sorted({number for _, number in keys})),
            before=before,
        )
        money = self._read_money
        found: dict[tuple[int, str], list[Adjudication]] = {}
        for (
            payer,
            number,
            cid,
            kind,
            paid,
            pcn,
            original,
            reversed_by,
            remittance_id,
            noticed_on,
            service_date,
            lines,
            did,
            denied,
        ) in rows:
            if (payer, number) not in keys:
                continue  # another payer's claim with the same number
            found.setdefault((payer, number), []).append(
                Adjudication(
                    claim_id=cid,
                    remittance_id=remittance_id,
                    kind=ClaimKind(kind),
                    paid=money(paid),
                    payer_claim_number=pcn,
                    adjudicated_on=_as_date(noticed_on),
                    services=_stored_services(lines, service_date),
                    original_reference=original,
                    denial_id=did,
                    denied=Decimal(0) if denied is None else money(denied),
                    reversed=reversed_by is not None,
                )
            )
        return {key: ClaimHistory(adjudications) for key, adjudications in found.items()}

    def _close(self, effects: list[Recover | Supersede]) -> None:
        """Close the earlier denials `effects` name, in order, through the ORM (which checks
        and bumps each one's version, refusing one changed meanwhile), mark their cards for
        an update (with a thread note when paid) and record an audit event each."""
        session = self._session
        wanted = sorted({effect.denial_id for effect in effects})
        denials = {d.id: d for d in session.scalars(select(Denial).where(Denial.id.in_(wanted)))}
        notes = self._pending_notes({d.post_id for d in denials.values() if d.post_id})
        cards: set[int] = set()  # posts to rebuild
        noted: set[int] = set()  # posts with a new thread note
        events = []
        for effect in effects:
            denial = denials.get(effect.denial_id)
            if denial is None:
                continue
            action, detail = self._close_one(denial, effect)
            events.append(
                {
                    "denial_id": denial.id,
                    "actor": self._actor,
                    "action": action,
                    "detail": detail,
                    "at": self._now,
                }
            )
            if denial.post_id is not None:
                cards.add(denial.post_id)
                if isinstance(effect, Recover):
                    note = self._paid_note(effect.amount)
                    notes[denial.post_id].append(note)
                    noted.add(denial.post_id)
        session.flush()  # StaleDataError when a denial changed during the import
        connection = self._connection
        for post_id in sorted(cards):
            values: dict[str, Any] = {"needs_update": True}
            if post_id in noted:
                values["pending_notes"] = notes[post_id]
            connection.execute(update(_POSTS).where(_POSTS.c.id == post_id).values(**values))
        if events:
            connection.execute(insert(_AUDIT), events)

    def _close_one(self, denial: Denial, effect: Recover | Supersede) -> tuple[str, dict[str, Any]]:
        """Close one denial; its audit event's action and detail."""
        detail: dict[str, Any]
        if isinstance(effect, Recover):
            denial.status = DenialStatus.RECOVERED.value
            denial.recovered_amount = effect.amount
            detail = {"amount": str(effect.amount), "import_id": self._import_id}
            action = "recovered_by_remittance"
            self.counts.recovered += 1
            self.counts.recovered_amount += effect.amount
            self.counts.recovered_denials.append(denial.id)
        else:
            denial.status = DenialStatus.SUPERSEDED.value
            denial.superseded_by_id = effect.by_denial_id
            detail = {"by_denial": effect.by_denial_id, "import_id": self._import_id}
            action = "superseded_by_readjudication"
        denial.closed = True
        denial.closed_at = denial.updated_at = self._now
        return action, detail

    def _pending_notes(self, post_ids: set[int]) -> dict[int, list[Any]]:
        """The thread notes still to post of these cards."""
        if not post_ids:
            return {}
        query = select(_POSTS.c.id, _POSTS.c.pending_notes)
        found = self._connection.execute(query.where(_POSTS.c.id.in_(sorted(post_ids))))
        return {row.id: list(row.pending_notes) for row in found}

    def _remittance(self, info: RemittanceInfo) -> tuple[int, int]:
        """The remittance's row id and its payer's id, written when first seen."""
        known = self._remittances.get(info)
        if known is not None:
            return known
        self._settle()  # the connection is the writing thread's until then
        payer_id = self._payers.payer_id(info.payer)
        remittance_id = insert_one(
            self._connection,
            _REMITTANCES,
            import_id=self._import_id,
            payer_name=info.payer.name,
            payer_identifier=info.payer.identifier,
            check_number=info.check_number,
            payee_name=info.payee.name or None,
            payee_npi=info.payee_npi,
            payment_amount=info.payment_amount,
            production_date=info.production_date,
            payment_date=info.payment_date,
            file_date=info.file_date,
            report_date=info.report_date,
        )
        known = self._remittances[info] = (remittance_id, payer_id)
        return known

    def _add_provider_adjustment(self, item: ProviderAdjustment) -> None:
        # Written with the next batch: the connection may be the writing thread's now.
        remittance = item.remittance
        identity = (
            item.provider_id.strip(),
            item.fiscal_period.isoformat() if item.fiscal_period else "",
            item.reason,
            item.reference or "",
            str(_MONEY.process_bind_param(item.amount, self._dialect)),
        )
        written = (
            (written_key(remittance.payer), *remittance_parts_of(remittance))
            if remittance is not None
            else ()
        )
        self._provider_adjustments.append(
            {
                "import_id": self._import_id,
                "provider_id": item.provider_id,
                "fiscal_period": item.fiscal_period,
                "reason": item.reason,
                "reference": item.reference,
                "amount": item.amount,
                "fingerprint": fingerprint(identity, written),
            }
        )

    def _insert_provider_adjustments(self) -> None:
        """The PLB adjustments added since the last batch that are not stored yet."""
        rows, self._provider_adjustments = self._provider_adjustments, []
        if not rows:
            return
        table = _PROVIDER_ADJUSTMENTS
        prints = sorted({row["fingerprint"] for row in rows})
        stored = set(
            self._connection.execute(
                select(table.c.fingerprint).where(table.c.fingerprint.in_(prints))
            ).scalars()
        )
        new = []
        for row in rows:
            if row["fingerprint"] not in stored:
                stored.add(row["fingerprint"])
                new.append(row)
        if new:
            self._connection.execute(insert(table), new)
            self.counts.provider_adjustments += len(new)


_MONEY = Money()
_ZERO = Decimal(0)
_CLAIMS = table_of(Claim)
_DENIALS = table_of(Denial)
_POSTS = table_of(SlackPost)
_AUDIT = table_of(AuditEvent)
_REMITTANCES = table_of(Remittance)
_PROVIDER_ADJUSTMENTS = table_of(ProviderLevelAdjustment)


def _history_query(dialect: Dialect) -> Select[Any]:
    """The adjudications stored of some claims (payer ids and claim numbers) before a claim
    id, with their open denial: two lists rather than pairs, because SQLite searches the
    (payer_id, claim_number) index with these and scans the whole table with row values."""
    claims, denials = _CLAIMS.c, _DENIALS.c
    open_denial = (denials.claim_id == claims.id) & (denials.closed == false())
    return (
        select(
            claims.payer_id,
            claims.claim_number,
            claims.id,
            claims.kind,
            claims.paid,
            claims.payer_claim_number,
            claims.original_reference,
            claims.reversed_by_id,
            claims.remittance_id,
            claims.notice_date,
            claims.service_date,
            claims.lines,
            denials.id,
            denials.denied_amount,
        )
        .select_from(_CLAIMS.outerjoin(_DENIALS, open_denial))
        .where(
            among(claims.payer_id, "payers", dialect),
            among(claims.claim_number, "numbers", dialect),
            claims.id < bindparam("before"),
        )
        .order_by(claims.id)
    )


def _known_query(dialect: Dialect) -> Select[Any]:
    """The claims already stored with one of some fingerprints (ix_claims_fingerprint)."""
    claims = _CLAIMS.c
    return select(claims.fingerprint, claims.payer_id, claims.import_id).where(
        among(claims.fingerprint, "prints", dialect)
    )


_history = compiled_for(_history_query)
_known = compiled_for(_known_query)
_REVERSE = (
    update(_CLAIMS).where(_CLAIMS.c.id == bindparam("claim")).values(reversed_by_id=bindparam("by"))
)


def _as_date(value: date | str) -> date:
    """A date column read through the driver: SQLite gives its ISO text."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _stored_services(lines: str | list[Any], service_date: date | str | None) -> Services:
    """What a stored claim covers, from its lines (JSON: psycopg decodes it, sqlite3 not)."""
    decoded = json.loads(lines) if isinstance(lines, str) else lines
    return services(
        (
            (
                date.fromisoformat(line["service_date"]) if line.get("service_date") else None,
                line.get("procedure"),
                line.get("original_procedure"),
            )
            for line in decoded
        ),
        None if service_date is None else _as_date(service_date),
    )
