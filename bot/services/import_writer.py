"""Writes one file's claims in bounded batches inside the caller's transaction.

Memory stays flat however large the file: rows are inserted a batch at a time with bulk
INSERT ... RETURNING, and reversals / later payments are resolved per batch with one query.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, insert, select, tuple_, update
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
from bot.services.claim_rows import claim_row, denial_row
from bot.services.rulebook import Rulebook
from storage.models import AuditEvent, Claim, Denial, ProviderLevelAdjustment, Remittance

BATCH = 1000


@dataclass
class WriteCounts:
    claims: int = 0
    denials: int = 0
    denied_amount: Decimal = Decimal(0)
    recovered: int = 0
    recovered_denials: list[int] = field(default_factory=list)


@dataclass
class _Pending:
    record: ClaimRecord
    row: dict[str, Any]
    judged: Any  # (finding, deadline, rule) or None


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
        self._batch.append(_Pending(item, row, judged))
        if len(self._batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self._batch:
            return
        batch, self._batch = self._batch, []
        claim_ids = self._session.scalars(
            insert(Claim).returning(Claim.id, sort_by_parameter_order=True),
            [p.row for p in batch],
        ).all()
        denial_rows = []
        for pending, claim_id in zip(batch, claim_ids, strict=True):
            if pending.judged is not None:
                finding, deadline, rule = pending.judged
                denial_rows.append(
                    denial_row(
                        pending.record,
                        finding,
                        deadline,
                        rule,
                        claim_id=claim_id,
                        import_id=self._import_id,
                        now=self._now,
                    )
                )
                self.counts.denials += 1
                self.counts.denied_amount += finding.denied_amount
        denial_ids: dict[int, int] = {}
        if denial_rows:
            ids = self._session.scalars(
                insert(Denial).returning(Denial.id, sort_by_parameter_order=True), denial_rows
            ).all()
            denial_ids = {row["claim_id"]: i for row, i in zip(denial_rows, ids, strict=True)}
        self.counts.claims += len(batch)
        self._resolve_readjudications(batch, list(claim_ids), denial_ids)

    def _resolve_readjudications(
        self, batch: list[_Pending], claim_ids: list[int], denial_ids: dict[int, int]
    ) -> None:
        history = self._history({(p.row["payer_key"], p.row["claim_number"]) for p in batch})
        for pending, claim_id in zip(batch, claim_ids, strict=True):
            key = (pending.row["payer_key"], pending.row["claim_number"])
            earlier = [p for p in history[key] if p.claim_id < claim_id]
            new = NewAdjudication(
                claim_id=claim_id,
                kind=pending.record.kind,
                paid=pending.record.paid,
                payer_claim_number=pending.record.payer_claim_number,
                original_reference=pending.record.original_reference,
                denial_id=denial_ids.get(claim_id),
            )
            effects = effects_of(new, earlier) if earlier else []
            for effect in effects:
                self._apply(effect)
            history[key] = _updated(history[key], effects)

    def _history(
        self, keys: set[tuple[str, str]]
    ) -> dict[tuple[str, str], list[PriorAdjudication]]:
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
            .where(tuple_(Claim.payer_key, Claim.claim_number).in_(list(keys)))
            .order_by(Claim.id)
        )
        history: dict[tuple[str, str], list[PriorAdjudication]] = defaultdict(list)
        for payer, number, cid, kind, paid, pcn, reversed_by, did, denied in self._session.execute(
            query
        ):
            history[(payer, number)].append(
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
