"""Use case: import a 277 (claim status, 277RFAI, 277CA) in one transaction.

Whole or refused, as the 835: the reader refuses a file it cannot read completely, and nothing
of it is stored. Each finding (`bot.domain.status_rules`) lands on the to-do list:

* a documentation request → a `DocumentationRequest` due on the payer's date, else the payer
  rule's window;
* a rejection → a `ClaimRejection` to correct and resubmit within the filing limit;
* an acceptance → closes an earlier open rejection of the same claim and payer.

**Identity.** Each finding has an identity: payer, claim, the day the payer said it and what
it said. A re-sent file (another envelope, another sha256) whose findings are already stored
changes nothing. When the payer asks again about a claim whose request is still to send, the
new request is merged into it (its identity remembered in `merged_identities`), with the
payer's newer date; a request after the records were sent (e.g. R13, unreadable) is a new one.
The claims need not be known: a request is real even when the 835 is not in yet.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.blocks import request_notes
from bot.domain.claim_status import StatusLevel, StatusRecord
from bot.domain.payer_rule import PayerRule
from bot.domain.status_deadlines import request_due, resubmit_by
from bot.domain.status_rules import (
    AcceptanceFinding,
    RejectionFinding,
    RequestFinding,
    StatusNote,
    judge,
)
from bot.domain.statuses import (
    REJECTION_OPEN,
    REQUEST_ACTIONABLE,
    RejectionStatus,
)
from bot.importers.x277 import read_277
from bot.presenters.work_cards import REJECTION_POST, REQUEST_POST
from bot.services.status_links import link_missing_records, mark_card_changed
from storage.models import (
    AuditEvent,
    ClaimAcceptance,
    ClaimRejection,
    DocumentationRequest,
    ImportFile,
    SlackPost,
)
from storage.payers import PayerDirectory, written_key
from storage.unique import insert_if_new

IMPORTER = "importer"


@dataclass
class StatusCounts:
    statuses: int = 0  # status records read (claims, providers, batches)
    requests: int = 0  # new documentation requests
    rejections: int = 0  # new rejections
    updated: int = 0  # open requests / rejections the payer added to
    accepted: int = 0  # earlier rejections closed by an acceptance
    known: int = 0  # findings already stored (a re-sent file)
    posts: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class StatusFileResult:
    import_id: int
    counts: StatusCounts
    warnings: list[str]


def import_status_stream(
    session: Session,
    stream: BinaryIO,
    *,
    name: str,
    digest: str,
    rules: Any,
    actor: str,
    now: datetime,
    today: date,
) -> StatusFileResult:
    """Read and store one 277 inside the caller's transaction (`session.begin()`).

    `rules` is the payer rules table (`PayerRules`): anything with `match(payer)`.
    """
    source = ImportFile(
        file_name=name[:255],
        sha256=digest,
        source="277",
        imported_by=actor,
        imported_at=now,
        claims=0,
        denials=0,
        recovered=0,
        warnings=[],
        rejected_rows=[],
    )
    session.add(source)
    session.flush()
    writer = _StatusWriter(session, rules, source, now=now, today=today)
    status_file = read_277(stream, file_name=name)
    for record in status_file:
        writer.add(record)
    counts = writer.counts
    link_missing_records(session, now, claim_numbers=writer.request_claims)
    warnings = [_where(w.segment_number, w.segment_id) + w.message for w in status_file.warnings]
    source.claims = counts.statuses
    source.warnings = warnings
    return StatusFileResult(source.id, counts, warnings)


def _where(number: int | None, segment_id: str | None) -> str:
    if number is None:
        return ""
    return f"segment {number}" + (f" ({segment_id})" if segment_id else "") + ": "


class _StatusWriter:
    def __init__(
        self, session: Session, rules: Any, source: ImportFile, *, now: datetime, today: date
    ) -> None:
        self._session = session
        self._rules = rules
        self._source = source
        self._now = now
        self._today = today
        self.counts = StatusCounts()
        self.request_claims: set[str] = set()
        self._payers = PayerDirectory(session.connection(), now=now)

    def add(self, record: StatusRecord) -> None:
        self.counts.statuses += 1
        for finding in judge(record):
            if isinstance(finding, RequestFinding):
                self._request(finding)
            elif isinstance(finding, RejectionFinding):
                self._rejection(finding)
            elif isinstance(finding, AcceptanceFinding):
                self._acceptance(finding)

    # -- requests ---------------------------------------------------------------------------

    def _request(self, finding: RequestFinding) -> None:
        record = finding.record
        payer = record.header.source
        key, payer_id = written_key(payer), self._payers.payer_id(payer)
        claim = record.claim_number or record.payer_claim_number or ""
        received = finding.received_on or self._today
        asks = [_note_json(a) for a in finding.asks]
        identity = _identity("request", key, claim, received, finding.asks)
        self.request_claims.add(claim)
        same_claim = self._session.scalars(
            select(DocumentationRequest).where(
                DocumentationRequest.claim_number == claim,
                DocumentationRequest.payer_id == payer_id,
            )
        ).all()
        if any(identity == r.identity or identity in r.merged_identities for r in same_claim):
            self.counts.known += 1
            return
        rule = self._rules.match(payer)
        due = request_due(given=finding.due_date, received_on=received, rule=rule)
        still_to_send = [r for r in same_claim if r.status in REQUEST_ACTIONABLE]
        if still_to_send:
            request = still_to_send[-1]
            request.merged_identities = [*request.merged_identities, identity]
            known = {(a["code"], a.get("line")) for a in request.asks}
            request.asks = [
                *request.asks,
                *(a for a in asks if (a["code"], a["line"]) not in known),
            ]
            request.follow_up = True
            request.due_date = due.on
            for column, value in due.provenance(rule.name).items():
                setattr(request, column, value)
            request.updated_at = self._now
            self._audit(request_id=request.id, action="asked_again", received=received)
            self._note(request.post_id, request_notes.asked_again(received, due.on))
            self.counts.updated += 1
            return
        request = DocumentationRequest(
            identity=identity,
            merged_identities=[],
            origin=record.header.transaction.value,
            import_id=self._source.id,
            payer_id=payer_id,
            payer_identifier=payer.identifier,
            claim_number=claim,
            payer_claim_number=record.payer_claim_number,
            provider_name=record.provider.name or None,
            provider_npi=record.provider.identifier,
            patient_name=record.patient.name or None,
            member_id=record.patient.identifier,
            service_date=_service_date(record),
            billed=record.billed,
            asks=asks,
            received_on=received,
            due_date=due.on,
            **due.provenance(rule.name),
            follow_up=finding.follow_up,
            status="requested",
            closed=False,
            attachments=[],
            created_by=IMPORTER,
            created_at=self._now,
            updated_at=self._now,
        )
        self._session.add(request)
        self._session.flush()
        request.post_id = self._post(REQUEST_POST)
        self._audit(request_id=request.id, action="requested", origin=request.origin)
        self.counts.requests += 1

    # -- rejections -------------------------------------------------------------------------

    def _rejection(self, finding: RejectionFinding) -> None:
        record = finding.record
        payer = record.header.source
        key, payer_id = written_key(payer), self._payers.payer_id(payer)
        level = finding.level
        claim = record.claim_number or record.payer_claim_number
        subject = claim if level is StatusLevel.CLAIM else (record.trace or record.provider.name)
        received = finding.received_on or self._today
        identity = _identity(
            "rejection", key, f"{level.value}:{subject}", received, finding.reasons
        )
        same = self._session.scalars(
            select(ClaimRejection).where(
                ClaimRejection.payer_id == payer_id,
                ClaimRejection.level == level.value,
                ClaimRejection.claim_number == claim
                if claim is not None
                else ClaimRejection.trace == record.trace,
            )
        ).all()
        if any(identity == r.identity or identity in r.merged_identities for r in same):
            self.counts.known += 1
            return
        reasons = [_note_json(r) for r in finding.reasons]
        waiting = [r for r in same if r.status == RejectionStatus.NEW]
        if waiting:  # the same claim rejected again before anyone corrected it
            rejection = waiting[-1]
            rejection.merged_identities = [*rejection.merged_identities, identity]
            rejection.reasons = _merged(rejection.reasons, reasons)
            rejection.updated_at = self._now
            self._audit(rejection_id=rejection.id, action="rejected_again", received=received)
            self._note(rejection.post_id, request_notes.rejected_again(received))
            self.counts.updated += 1
            return
        for corrected in (r for r in same if r.status == RejectionStatus.CORRECTED):
            # the corrected claim was rejected too: that round is over, this one starts
            self._close_rejection(corrected, f"rejected again on {received:%b %-d}")
        rule: PayerRule = self._rules.match(payer)
        due = resubmit_by(service_date=_service_date(record), rejected_on=received, rule=rule)
        rejection = ClaimRejection(
            identity=identity,
            merged_identities=[],
            origin=record.header.transaction.value,
            import_id=self._source.id,
            level=level.value,
            payer_id=payer_id,
            payer_identifier=payer.identifier,
            from_clearinghouse=record.header.source_is_clearinghouse,
            claim_number=claim,
            payer_claim_number=record.payer_claim_number,
            trace=record.trace,
            provider_name=record.provider.name or None,
            provider_npi=record.provider.identifier,
            patient_name=record.patient.name or None,
            service_date=_service_date(record),
            billed=record.billed if level is StatusLevel.CLAIM else record.rejected_amount,
            claims_count=record.rejected_count if level is not StatusLevel.CLAIM else None,
            reasons=reasons,
            received_on=received,
            resubmit_by=due.on,
            **due.provenance(rule.name),
            status=RejectionStatus.NEW.value,
            closed=False,
            created_at=self._now,
            updated_at=self._now,
        )
        self._session.add(rejection)
        self._session.flush()
        rejection.post_id = self._post(REJECTION_POST)
        self._audit(rejection_id=rejection.id, action="rejected", origin=rejection.origin)
        self.counts.rejections += 1

    def _acceptance(self, finding: AcceptanceFinding) -> None:
        record = finding.record
        claim = record.claim_number
        if claim is None:
            return
        accepted_on = finding.received_on or self._today
        # kept for the timely-filing appeal letter: the day the claim was on file (once per
        # claim, source and day, however many files repeat it)
        insert_if_new(
            self._session,
            ClaimAcceptance,
            {
                "claim_number": claim,
                "source": written_key(record.header.source),
                "accepted_on": accepted_on,
                "import_id": self._source.id,
                "created_at": self._now,
            },
            ["claim_number", "source", "accepted_on"],
        )
        open_rejections = self._session.scalars(
            select(ClaimRejection).where(
                ClaimRejection.claim_number == claim,
                ClaimRejection.payer_id == self._payers.payer_id(record.header.source),
                ClaimRejection.level == StatusLevel.CLAIM.value,
                ClaimRejection.status.in_([s.value for s in REJECTION_OPEN]),
                ClaimRejection.received_on <= accepted_on,
            )
        ).all()
        for rejection in open_rejections:
            self._close_rejection(rejection, f"accepted by the payer on {accepted_on:%b %-d}")
            self.counts.accepted += 1

    def _close_rejection(self, rejection: ClaimRejection, why: str) -> None:
        rejection.status = RejectionStatus.CLOSED.value
        rejection.closed = True
        rejection.closed_note = why
        rejection.closed_at = self._now
        rejection.updated_at = self._now
        self._audit(rejection_id=rejection.id, action="closed_by_payer", why=why)
        self._note(rejection.post_id, request_notes.closed_by_payer(why))

    # -- shared -----------------------------------------------------------------------------

    def _post(self, kind: str) -> int:
        post = SlackPost(kind=kind, import_id=self._source.id, created_at=self._now)
        self._session.add(post)
        self._session.flush()
        return post.id

    def _note(self, post_id: int | None, note: str) -> None:
        mark_card_changed(self._session, post_id, note)

    def _audit(self, **detail: Any) -> None:
        request_id = detail.pop("request_id", None)
        rejection_id = detail.pop("rejection_id", None)
        action = detail.pop("action")
        self._session.add(
            AuditEvent(
                request_id=request_id,
                rejection_id=rejection_id,
                actor=IMPORTER,
                action=action,
                detail={k: str(v) for k, v in detail.items()} | {"file": self._source.file_name},
                at=self._now,
            )
        )


def _service_date(record: StatusRecord) -> date | None:
    if record.service_from is not None:
        return record.service_from
    return min((line.service_date for line in record.lines if line.service_date), default=None)


def _merged(earlier: list[Any], later: list[dict[str, Any]]) -> list[Any]:
    """Notes of both, each (code, line) once, earlier first."""
    known = {(n["code"], n.get("line")) for n in earlier}
    return [*earlier, *(n for n in later if (n["code"], n["line"]) not in known)]


def _note_json(note: StatusNote) -> dict[str, Any]:
    return {"code": note.code, "words": note.words, "line": note.line}


def _identity(
    kind: str, key: str, subject: str | None, on: date, notes: Sequence[StatusNote]
) -> str:
    """Stable across re-sent files: who, about what, on which day, saying what."""
    said = sorted(f"{n.code}@{n.line or ''}" for n in notes)
    text = "|".join((kind, key, subject or "", on.isoformat(), *said))
    return f"{kind}:{hashlib.sha256(text.encode()).hexdigest()[:40]}"
