"""Writes one file's claims in bounded batches inside the caller's transaction.

Memory stays flat however large the file: rows are inserted a batch at a time through the
driver's executemany (ids drawn beforehand, one query per batch: see `allocate_ids`), and
reversals / later payments are resolved per batch with one indexed query.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Table, and_, select, update
from sqlalchemy.orm import Session

from bot.blocks import thread_notes
from bot.domain.readjudication import (
    Effect,
    NewAdjudication,
    PriorAdjudication,
    Recover,
    Reverse,
    Supersede,
    effects_of,
)
from bot.domain.records import ClaimKind, ClaimRecord, ProviderAdjustment, RemittanceInfo
from bot.services.claim_rows import BulkInsert, allocate_ids, claim_row, denial_row
from bot.services.rulebook import Rulebook
from storage.models import AuditEvent, Claim, Denial, ProviderLevelAdjustment, Remittance
from storage.types import Money

BATCH = 1000


@dataclass
class WriteCounts:
    claims: int = 0
    denials: int = 0
    denied_amount: Decimal = Decimal(0)
    recovered: int = 0
    recovered_denials: list[int] = field(default_factory=list)


class _Pending(NamedTuple):
    """A claim waiting for its batch: only plain values (prepared rows, strings, amounts), so
    the garbage collector stops following it after its first pass and the parsed records can
    go. Its denial row, if any, lacks `id` and `claim_id` until the batch is written."""

    key: tuple[str, str]  # (payer_key, claim_number)
    kind: str
    paid: Decimal
    payer_claim_number: str | None
    original_reference: str | None
    claim: dict[str, Any]  # prepared claims row
    denial: dict[str, Any] | None  # prepared denials row
    denied_amount: Decimal  # of the finding, as judged (0 when not a denial)


class ImportWriter:
    def __init__(
        self,
        session: Session,
        rulebook: Rulebook,
        *,
        import_id: int,
        imported_on: date,
        now: datetime,
        actor: str,
        file_name: str = "",
    ) -> None:
        self._file_name = file_name
        self._session = session
        self._rulebook = rulebook
        self._import_id = import_id
        self._imported_on = imported_on
        self._now = now
        self._actor = actor
        self._remittances: dict[RemittanceInfo, int] = {}
        self._batch: list[_Pending] = []
        self._inserts: dict[str, BulkInsert] = {}
        self._money_dialect = session.get_bind().dialect
        self.counts = WriteCounts()

    def add(self, item: ClaimRecord | ProviderAdjustment) -> None:
        if isinstance(item, ProviderAdjustment):
            self._add_provider_adjustment(item)
            return
        judged = self._rulebook.judge(item, imported_on=self._imported_on)
        row = claim_row(
            item,
            import_id=self._import_id,
            remittance_id=self._remittance_id(item.remittance),
            imported_on=self._imported_on,
            finding=judged[0] if judged else None,
        )
        denial = None
        denied_amount = Decimal(0)
        if judged is not None:
            finding, deadline, rule = judged
            denied_amount = finding.denied_amount
            denial = denial_row(
                item, finding, deadline, rule, claim_id=0, import_id=self._import_id, now=self._now
            )
            del denial["claim_id"]  # set when the claim has its id
            denial = self._bulk(Denial, denial, late=("id", "claim_id")).prepare(denial)
        self._batch.append(
            _Pending(
                key=(row["payer_key"], row["claim_number"]),
                kind=row["kind"],
                paid=item.paid,
                payer_claim_number=item.payer_claim_number,
                original_reference=item.original_reference,
                claim=self._bulk(Claim, row, late=("id",)).prepare(row),
                denial=denial,
                denied_amount=denied_amount,
            )
        )
        if len(self._batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self._batch:
            return
        batch, self._batch = self._batch, []
        self._session.flush()  # what the ORM holds goes first, as an ORM insert would do
        connection = self._session.connection()
        claim_ids = allocate_ids(connection, _table(Claim), len(batch))
        for pending, claim_id in zip(batch, claim_ids, strict=True):
            pending.claim["id"] = claim_id
        self._inserts["claims"].execute(connection, [p.claim for p in batch])
        denied = [(p, i) for p, i in zip(batch, claim_ids, strict=True) if p.denial is not None]
        denial_ids: dict[int, int] = {}
        if denied:
            ids = allocate_ids(connection, _table(Denial), len(denied))
            rows = []
            for (pending, claim_id), denial_id in zip(denied, ids, strict=True):
                row = pending.denial
                assert row is not None
                row["id"], row["claim_id"] = denial_id, claim_id
                rows.append(row)
                denial_ids[claim_id] = denial_id
                self.counts.denied_amount += pending.denied_amount
            self._inserts["denials"].execute(connection, rows)
            self.counts.denials += len(rows)
        self.counts.claims += len(batch)
        self._resolve_readjudications(batch, claim_ids, denial_ids)

    def _bulk(self, model: Any, row: dict[str, Any], *, late: tuple[str, ...]) -> BulkInsert:
        table = _table(model)
        bulk = self._inserts.get(table.name)
        if bulk is None:
            columns = [*late, *(name for name in row if name not in late)]
            bulk = BulkInsert(table, columns, self._session.connection(), late=late)
            self._inserts[table.name] = bulk
        return bulk

    def _resolve_readjudications(
        self, batch: list[_Pending], claim_ids: list[int], denial_ids: dict[int, int]
    ) -> None:
        """Effects of each claim of the batch on the earlier adjudications of the same claim.

        The earlier ones are those stored before this batch (one query) and those earlier in
        the batch (known here, turned into history only when the same claim comes again).
        """
        keys = [p.key for p in batch]
        history = self._history(set(keys), before=claim_ids[0])
        first_in_batch: dict[tuple[str, str], tuple[_Pending, int]] = {}
        for pending, claim_id, key in zip(batch, claim_ids, keys, strict=True):
            earlier = history.get(key)
            if earlier is None:
                first = first_in_batch.pop(key, None)
                if first is None:  # the first adjudication of this claim: nothing to resolve
                    first_in_batch[key] = (pending, claim_id)
                    continue
                earlier = history[key] = [self._stored(*first, denial_ids)]
            new = NewAdjudication(
                claim_id=claim_id,
                kind=ClaimKind(pending.kind),
                paid=pending.paid,
                payer_claim_number=pending.payer_claim_number,
                original_reference=pending.original_reference,
                denial_id=denial_ids.get(claim_id),
            )
            effects = effects_of(new, list(earlier))
            for effect in effects:
                self._apply(effect)
            if effects:
                history[key] = _updated(earlier, effects)
            history[key].append(self._stored(pending, claim_id, denial_ids))

    def _stored(
        self, pending: _Pending, claim_id: int, denial_ids: dict[int, int]
    ) -> PriorAdjudication:
        """A claim of this batch as the history query would read it back from the database."""
        denial_id = denial_ids.get(claim_id)
        denied = self._as_stored(pending.denied_amount) if denial_id else Decimal(0)
        return PriorAdjudication(
            claim_id=claim_id,
            kind=ClaimKind(pending.kind),
            paid=self._as_stored(pending.paid),
            payer_claim_number=pending.payer_claim_number,
            reversed=False,
            open_denial_id=denial_id,
            denied_amount=denied,
        )

    def _as_stored(self, amount: Decimal) -> Decimal:
        """An amount as a `Money` column gives it back (whole cents)."""
        dialect = self._money_dialect
        stored = _MONEY.process_result_value(_MONEY.process_bind_param(amount, dialect), dialect)
        assert stored is not None
        return stored

    def _history(
        self, keys: set[tuple[str, str]], *, before: int
    ) -> dict[tuple[str, str], list[PriorAdjudication]]:
        """Adjudications stored before claim id `before` of the claims `keys`, oldest first."""
        open_denial = and_(Denial.claim_id == Claim.id, Denial.closed.is_(False))
        query = (
            select(
                Claim.payer_key,
                Claim.claim_number,
                Claim.id,
                Claim.kind,
                Claim.paid,
                Claim.payer_claim_number,
                Claim.reversed_by_id,
                Denial.id,
                Denial.denied_amount,
            )
            .outerjoin(Denial, open_denial)
            # Two IN lists rather than a row-value IN: SQLite searches the (payer_key,
            # claim_number) index with these, and scans the whole table with a row value.
            .where(
                Claim.payer_key.in_(sorted({payer for payer, _ in keys})),
                Claim.claim_number.in_(sorted({number for _, number in keys})),
                Claim.id < before,
            )
            .order_by(Claim.id)
        )
        history: dict[tuple[str, str], list[PriorAdjudication]] = {}
        for payer, number, cid, kind, paid, pcn, reversed_by, did, denied in self._session.execute(
            query
        ):
            if (payer, number) not in keys:
                continue  # another payer's claim with the same number
            history.setdefault((payer, number), []).append(
                PriorAdjudication(
                    claim_id=cid,
                    kind=ClaimKind(kind),
                    paid=paid,
                    payer_claim_number=pcn,
                    reversed=reversed_by is not None,
                    open_denial_id=did,
                    denied_amount=denied or Decimal(0),
                )
            )
        return history

    def _apply(self, effect: Effect) -> None:
        session = self._session
        if isinstance(effect, Reverse):
            session.execute(
                update(Claim)
                .where(Claim.id == effect.claim_id)
                .values(reversed_by_id=effect.by_claim_id)
            )
            return
        denial = session.get(Denial, effect.denial_id)
        if denial is None:
            return
        if isinstance(effect, Recover):
            denial.status = "recovered"
            denial.recovered_amount = effect.amount
            detail: dict[str, Any] = {"amount": str(effect.amount), "import_id": self._import_id}
            action = "recovered_by_remittance"
            self.counts.recovered += 1
            self.counts.recovered_denials.append(denial.id)
        else:
            denial.status = "superseded"
            denial.superseded_by_id = effect.by_denial_id
            detail = {"by_denial": effect.by_denial_id, "import_id": self._import_id}
            action = "superseded_by_readjudication"
        denial.closed = True
        denial.closed_at = self._now
        denial.updated_at = self._now
        if denial.post is not None:
            denial.post.needs_update = True
            if isinstance(effect, Recover):
                note = thread_notes.paid_by_remittance(effect.amount, self._file_name)
                denial.post.pending_notes = [*denial.post.pending_notes, note]
        session.add(
            AuditEvent(
                denial_id=denial.id, actor=self._actor, action=action, detail=detail, at=self._now
            )
        )
        session.flush()

    def _remittance_id(self, info: RemittanceInfo) -> int:
        known = self._remittances.get(info)
        if known is not None:
            return known
        row = Remittance(
            import_id=self._import_id,
            payer_name=info.payer.name,
            payer_id=info.payer.identifier,
            check_number=info.check_number,
            payment_amount=info.payment_amount,
            production_date=info.production_date,
            payment_date=info.payment_date,
            file_date=info.file_date,
            report_date=info.report_date,
        )
        self._session.add(row)
        self._session.flush()
        self._remittances[info] = row.id
        return row.id

    def _add_provider_adjustment(self, item: ProviderAdjustment) -> None:
        self._session.add(
            ProviderLevelAdjustment(
                import_id=self._import_id,
                provider_id=item.provider_id,
                fiscal_period=item.fiscal_period,
                reason=item.reason,
                reference=item.reference,
                amount=item.amount,
            )
        )


_MONEY = Money()


def _table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _updated(history: list[PriorAdjudication], effects: list[Effect]) -> list[PriorAdjudication]:
    """History after effects, so the next claim in the same batch sees them."""
    reversed_ids = {e.claim_id for e in effects if isinstance(e, Reverse)}
    closed = {e.denial_id for e in effects if isinstance(e, Recover | Supersede)}
    return [
        replace(
            p,
            reversed=p.reversed or p.claim_id in reversed_ids,
            open_denial_id=None if p.open_denial_id in closed else p.open_denial_id,
        )
        for p in history
    ]
