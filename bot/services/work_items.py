"""Use cases behind the controls of documentation requests and rejections.

Like `Triage` for denials: each change is one transaction on the row (locked), audited, and
refused with who did what when someone changed the same thing since the card was drawn. The
result is a `TriageResult`, so the listeners refresh the card and note it in its thread the
same way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks import request_notes, thread_notes
from bot.blocks.message import Message
from bot.blocks.rejection_card import rejection_card
from bot.blocks.request_card import request_card
from bot.blocks.text import mention
from bot.config import PhiMode
from bot.domain.actor import Actor
from bot.domain.bounds import (
    MAX_NOTE_CHARS,
    MAX_PAYER_CHARS,
    check_claim,
    check_length,
    check_user_id,
)
from bot.domain.payer_rules import PayerRules
from bot.domain.records import Payer
from bot.domain.status_deadlines import request_due
from bot.domain.statuses import (
    REQUEST_OPEN,
    RejectionStatus,
    RequestStatus,
)
from bot.errors import ConflictError, InputError
from bot.presenters.work_cards import REJECTION_POST, REQUEST_POST, rejection_view, request_view
from bot.services.audited import Kind, TriageResult, apply_change
from storage.models import (
    AuditEvent,
    Claim,
    ClaimRejection,
    Denial,
    DocumentationRequest,
    SlackPost,
)
from storage.payers import PayerDirectory, payer_for_rules, written_key

REQUEST, REJECTION = REQUEST_POST, REJECTION_POST  # the kinds of work item a card shows

REQUEST_GONE = "This records request is no longer in the database. Nothing was changed."
REJECTION_GONE = "This rejection is no longer in the database. Nothing was changed."
REQUEST_CLOSED = "This request is {status}. Reopen it from the ⋯ menu first."
REJECTION_IS_CLOSED = "This rejection is closed. Reopen it from the ⋯ menu first."
NOT_SENT_YET = "The records are not marked sent yet; mark them sent first."
ALREADY_SENT = "The records were already marked sent on {on}. Nothing was changed."
SENT_BEFORE_REQUEST = "The records can't have been sent ({sent}) before the request ({received})."
NOT_CORRECTED = "This rejection is not marked corrected; there is nothing to reopen."
ALREADY_LOGGED = (
    "A request for claim {claim} ({payer}) is already on file, received {received} and due "
    "{due}: R-{id}. Nothing was added."
)
ALREADY_ATTACHED = "This file is already attached to the request."
NOT_REOPENABLE = "Only a sent, accepted or withdrawn request can be reopened."
LOGGED_BY_HAND = "slack"
STATUS_ACTIONS = frozenset(
    {"sent", "withdrawn", "accepted", "reopen", "corrected", "closed", "closed_by_payer"}
)
CONFLICTS: dict[str, frozenset[str]] = {
    "assign": frozenset({"assign"}),
    "due_date": frozenset({"due_date", "asked_again"}),
    **{action: STATUS_ACTIONS for action in STATUS_ACTIONS},
}
DESCRIBED = {
    "assign": "changed the owner",
    "due_date": "changed the due date",
    "asked_again": "the payer asked again",
    "sent": "marked the records sent",
    "withdrawn": "marked it withdrawn",
    "accepted": "marked the records accepted",
    "reopen": "reopened it",
    "corrected": "marked it corrected",
    "closed": "closed it",
    "closed_by_payer": "the payer accepted the claim",
}

Item = TypeVar("Item", DocumentationRequest, ClaimRejection)


@dataclass(frozen=True)
class Brief:
    """What a listener needs before it opens a form or refreshes a card."""

    kind: str  # "request" or "rejection"
    id: int
    version: int
    subject: str  # the claim number, or the batch / provider a rejection covers
    due: date
    post_id: int | None


@dataclass(frozen=True)
class LoggedRequest:
    """A request logged by hand: the new row and its card still to be posted."""

    request_id: int
    post_id: int
    claim_number: str
    payer_name: str
    due_date: date
    note: str


class WorkItems:
    def __init__(self, sessions: sessionmaker[Session], rules: PayerRules) -> None:
        self._sessions = sessions
        self._rules = rules

    # -- reads for the listeners ------------------------------------------------------------

    def brief(self, kind: str, item_id: int) -> Brief | None:
        with self._sessions() as session:
            if kind == REQUEST_POST:
                request = session.get(DocumentationRequest, item_id)
                if request is None:
                    return None
                return Brief(
                    kind,
                    request.id,
                    request.version,
                    request.claim_number,
                    request.due_date,
                    request.post_id,
                )
            rejection = session.get(ClaimRejection, item_id)
            if rejection is None:
                return None
            subject = rejection.claim_number or rejection.trace or "the batch"
            return Brief(
                kind,
                rejection.id,
                rejection.version,
                subject,
                rejection.resubmit_by,
                rejection.post_id,
            )

    def card(self, kind: str, item_id: int, *, phi: PhiMode, today: date) -> Message | None:
        """The card of a request or rejection as the database has it now (for [Open])."""
        with self._sessions() as session:
            if kind == REQUEST_POST:
                request = session.get(DocumentationRequest, item_id)
                if request is None:
                    return None
                return request_card(request_view(session, request, phi=phi), today=today)
            rejection = session.get(ClaimRejection, item_id)
            if rejection is None:
                return None
            return rejection_card(rejection_view(session, rejection, phi=phi), today=today)

    # -- documentation requests -------------------------------------------------------------

    def log_request(
        self,
        claim: str,
        *,
        due: date | None,
        what: str | None,
        payer_name: str | None,
        actor: Actor,
        now: datetime,
        today: date,
    ) -> LoggedRequest:
        """A request that came on paper or a portal. The payer is the one given, else the one
        the claim's latest adjudication, rejection or request names; the due date the one
        given, else the payer rule's window from today."""
        claim = check_claim(claim.strip())
        check_length(what, MAX_NOTE_CHARS, "description of what they asked for")
        check_length(payer_name, MAX_PAYER_CHARS, "payer's name")
        with self._sessions() as session, session.begin():
            connection = session.connection()
            written = Payer(payer_name.strip(), None) if payer_name else None
            payer_id = (
                PayerDirectory(connection, now=now).payer_id(written)
                if written is not None
                else _known_payer(session, claim)
            )
            if payer_id is None:  # nothing names it yet: the unknown payer, until merged
                payer_id = PayerDirectory(connection, now=now).payer_id(Payer("", None))
            payer = written or payer_for_rules(connection, payer_id)
            key = written_key(payer)
            rule = self._rules.match(payer)
            when = request_due(given=due, received_on=today, rule=rule)
            open_one = session.scalars(
                select(DocumentationRequest).where(
                    func.upper(DocumentationRequest.claim_number) == claim.upper(),
                    DocumentationRequest.payer_id == payer_id,
                    DocumentationRequest.status.in_([s.value for s in REQUEST_OPEN]),
                )
            ).first()
            if open_one is not None:
                raise ConflictError(
                    ALREADY_LOGGED.format(
                        claim=claim,
                        payer=open_one.payer_name,
                        received=open_one.received_on.isoformat(),
                        due=open_one.due_date.isoformat(),
                        id=open_one.id,
                    )
                )
            post = SlackPost(kind=REQUEST_POST, created_at=now)
            session.add(post)
            session.flush()
            request = DocumentationRequest(
                identity=_manual_identity(key, claim, today, what),
                merged_identities=[],
                origin=LOGGED_BY_HAND,
                payer_id=payer_id,
                payer_identifier=payer.identifier,
                claim_number=claim,
                asks=[],
                what=what,
                received_on=today,
                due_date=when.on,
                **when.provenance(rule.name),
                follow_up=False,
                status=RequestStatus.REQUESTED.value,
                closed=False,
                attachments=[],
                assignee=None,
                post_id=post.id,
                created_by=actor.key,
                created_at=now,
                updated_at=now,
            )
            _fill_from_claim(session, request)
            session.add(request)
            session.flush()
            session.add(
                AuditEvent(
                    request_id=request.id,
                    actor=actor.key,
                    action="requested",
                    detail={"origin": "slack"},
                    at=now,
                )
            )
            return LoggedRequest(
                request.id,
                post.id,
                claim,
                request.payer_name,
                when.on,
                request_notes.logged(actor.user, when.on),
            )

    def assign_request(
        self,
        request_id: int,
        version: int | None,
        assignee: str | None,
        actor: Actor,
        now: datetime,
    ) -> TriageResult:
        check_user_id(assignee)

        def change(_: Session, request: DocumentationRequest) -> str:
            request.assignee = assignee
            return thread_notes.assigned(actor.user, assignee)

        return self._apply(
            DocumentationRequest,
            request_id,
            version,
            actor,
            now,
            "assign",
            change,
            assignee=assignee,
        )

    def mark_sent(
        self,
        request_id: int,
        version: int | None,
        *,
        sent_on: date,
        method: str | None,
        reference: str | None,
        actor: Actor,
        now: datetime,
    ) -> TriageResult:
        def change(_: Session, request: DocumentationRequest) -> str:
            if request.status == RequestStatus.SENT:
                raise ConflictError(ALREADY_SENT.format(on=request.sent_on))
            if sent_on < request.received_on:
                raise InputError(
                    SENT_BEFORE_REQUEST.format(sent=sent_on, received=request.received_on)
                )
            request.status = RequestStatus.SENT.value
            request.sent_on, request.sent_method, request.sent_reference = (
                sent_on,
                method,
                reference,
            )
            return request_notes.sent(actor.user, sent_on, method, reference)

        return self._apply(
            DocumentationRequest,
            request_id,
            version,
            actor,
            now,
            "sent",
            change,
            sent_on=sent_on.isoformat(),
        )

    def withdraw(
        self, request_id: int, version: int | None, reason: str | None, actor: Actor, now: datetime
    ) -> TriageResult:
        def change(_: Session, request: DocumentationRequest) -> str:
            _close(request, RequestStatus.WITHDRAWN, reason, now)
            return request_notes.withdrawn(actor.user, reason)

        return self._apply(
            DocumentationRequest, request_id, version, actor, now, "withdrawn", change
        )

    def accept(
        self, request_id: int, version: int | None, actor: Actor, now: datetime
    ) -> TriageResult:
        def change(_: Session, request: DocumentationRequest) -> str:
            if request.status != RequestStatus.SENT:
                raise ConflictError(NOT_SENT_YET)
            _close(request, RequestStatus.ACCEPTED, None, now)
            return f"{mention(actor.user)} marked the records accepted by the payer"

        return self._apply(
            DocumentationRequest, request_id, version, actor, now, "accepted", change
        )

    def reopen_request(
        self, request_id: int, version: int | None, actor: Actor, now: datetime
    ) -> TriageResult:
        def change(_: Session, request: DocumentationRequest) -> str:
            if request.status == RequestStatus.REQUESTED:
                raise ConflictError(NOT_REOPENABLE)
            request.status = RequestStatus.REQUESTED.value
            request.closed, request.closed_at, request.closed_note = False, None, None
            request.sent_on = request.sent_method = request.sent_reference = None
            return request_notes.reopened(actor.user)

        return self._apply(
            DocumentationRequest,
            request_id,
            version,
            actor,
            now,
            "reopen",
            change,
            allow_closed=True,
        )

    def set_due(
        self, request_id: int, version: int | None, due: date, actor: Actor, now: datetime
    ) -> TriageResult:
        def change(_: Session, request: DocumentationRequest) -> str:
            request.due_date, request.due_source = due, "payer"
            request.due_note, request.due_days = "set by staff from the payer's letter", None
            return request_notes.due_changed(actor.user, due)

        return self._apply(
            DocumentationRequest,
            request_id,
            version,
            actor,
            now,
            "due_date",
            change,
            due=due.isoformat(),
        )

    def attach(
        self, request_id: int, *, file_id: str, name: str, actor: Actor, now: datetime
    ) -> TriageResult:
        def change(_: Session, request: DocumentationRequest) -> str:
            if any(a.get("file") == file_id for a in request.attachments):
                raise ConflictError(ALREADY_ATTACHED)  # Slack sent the event again
            entry = {"file": file_id, "name": name, "by": actor.key, "at": now.isoformat()}
            request.attachments = [*request.attachments, entry]
            return request_notes.attached(actor.user, name)

        return self._apply(
            DocumentationRequest,
            request_id,
            None,
            actor,
            now,
            "attach",
            change,
            allow_closed=True,
            file=file_id,
        )

    def attach_in_thread(
        self,
        channel: str,
        thread_ts: str,
        *,
        file_id: str,
        name: str,
        actor: Actor,
        now: datetime,
    ) -> TriageResult | None:
        """A file shared as a reply under a request's card; None when the thread is not one."""
        with self._sessions() as session:
            request_id = session.scalar(
                select(DocumentationRequest.id)
                .join(SlackPost, SlackPost.id == DocumentationRequest.post_id)
                .where(SlackPost.channel == channel, SlackPost.ts == thread_ts)
            )
        if request_id is None:
            return None
        try:
            return self.attach(request_id, file_id=file_id, name=name, actor=actor, now=now)
        except ConflictError:  # already attached (Slack sent the event again), closed, gone
            return None

    # -- rejections -------------------------------------------------------------------------

    def assign_rejection(
        self,
        rejection_id: int,
        version: int | None,
        assignee: str | None,
        actor: Actor,
        now: datetime,
    ) -> TriageResult:
        check_user_id(assignee)

        def change(_: Session, rejection: ClaimRejection) -> str:
            rejection.assignee = assignee
            return thread_notes.assigned(actor.user, assignee)

        return self._apply(
            ClaimRejection, rejection_id, version, actor, now, "assign", change, assignee=assignee
        )

    def mark_corrected(
        self,
        rejection_id: int,
        version: int | None,
        *,
        on: date,
        note: str | None,
        actor: Actor,
        now: datetime,
    ) -> TriageResult:
        def change(_: Session, rejection: ClaimRejection) -> str:
            rejection.status = RejectionStatus.CORRECTED.value
            rejection.corrected_on, rejection.correction_note = on, note
            return request_notes.corrected(actor.user, on, note)

        return self._apply(ClaimRejection, rejection_id, version, actor, now, "corrected", change)

    def close_rejection(
        self,
        rejection_id: int,
        version: int | None,
        reason: str | None,
        actor: Actor,
        now: datetime,
    ) -> TriageResult:
        def change(_: Session, rejection: ClaimRejection) -> str:
            rejection.status = RejectionStatus.CLOSED.value
            rejection.closed, rejection.closed_at = True, now
            rejection.closed_note = reason or f"closed by staff on {now:%b %-d}"
            return request_notes.closed(actor.user, reason)

        return self._apply(ClaimRejection, rejection_id, version, actor, now, "closed", change)

    def reopen_rejection(
        self, rejection_id: int, version: int | None, actor: Actor, now: datetime
    ) -> TriageResult:
        def change(_: Session, rejection: ClaimRejection) -> str:
            if rejection.status == RejectionStatus.NEW:
                raise ConflictError(NOT_CORRECTED)
            rejection.status = RejectionStatus.NEW.value
            rejection.closed, rejection.closed_at, rejection.closed_note = False, None, None
            rejection.corrected_on = rejection.correction_note = None
            return request_notes.reopened(actor.user)

        return self._apply(
            ClaimRejection, rejection_id, version, actor, now, "reopen", change, allow_closed=True
        )

    # -- the transaction --------------------------------------------------------------------

    def _apply(
        self,
        model: type[Item],
        item_id: int,
        version: int | None,
        actor: Actor,
        now: datetime,
        action: str,
        change: Callable[[Session, Item], str],
        *,
        allow_closed: bool = False,
        **detail: Any,
    ) -> TriageResult:
        """One change of one request or rejection: locked, version-checked, audited."""
        kind: Kind[Any] = REQUESTS if model is DocumentationRequest else REJECTIONS
        return apply_change(
            self._sessions,
            kind,
            item_id,
            version,
            actor,
            now,
            action,
            change,
            allow_closed=allow_closed,
            detail={key: value for key, value in detail.items() if value is not None},
        )


def _closed_words(item: DocumentationRequest | ClaimRejection) -> str:
    if isinstance(item, DocumentationRequest):
        return REQUEST_CLOSED.format(status=RequestStatus(item.status).label.lower())
    return REJECTION_IS_CLOSED


def _close(
    request: DocumentationRequest, status: RequestStatus, note: str | None, now: datetime
) -> None:
    request.status = status.value
    request.closed = True
    request.closed_at = now
    request.closed_note = note


def _known_payer(session: Session, claim: str) -> int | None:
    """The payer of the latest adjudication, rejection or request of this claim."""
    upper = claim.upper()
    for model in (Denial, ClaimRejection, DocumentationRequest):
        found = session.scalar(
            select(model.payer_id)
            .where(func.upper(model.claim_number) == upper)
            .order_by(model.id.desc())
            .limit(1)
        )
        if found is not None:
            return int(found)
    return None


def _fill_from_claim(session: Session, request: DocumentationRequest) -> None:
    """Date of service, provider and billed amount from the claim's latest adjudication."""
    claim = session.scalars(
        select(Claim)
        .where(func.upper(Claim.claim_number) == request.claim_number.upper())
        .order_by(Claim.id.desc())
        .limit(1)
    ).first()
    if claim is None:
        return
    request.service_date = claim.service_date
    request.provider_name = claim.rendering_name
    request.provider_npi = claim.rendering_npi
    request.billed = claim.billed
    request.payer_claim_number = claim.payer_claim_number


def _manual_identity(key: str, claim: str, today: date, what: str | None) -> str:
    text = "|".join(("manual", key, claim.upper(), today.isoformat(), what or ""))
    return f"manual:{hashlib.sha256(text.encode()).hexdigest()[:40]}"


def _described(event: AuditEvent) -> str:
    return DESCRIBED.get(event.action, event.action)


REQUESTS: Kind[DocumentationRequest] = Kind(
    model=DocumentationRequest,
    owner=AuditEvent.request_id,
    gone=REQUEST_GONE,
    closed=_closed_words,
    conflicts=CONFLICTS,
    described=_described,
)
REJECTIONS: Kind[ClaimRejection] = Kind(
    model=ClaimRejection,
    owner=AuditEvent.rejection_id,
    gone=REJECTION_GONE,
    closed=_closed_words,
    conflicts=CONFLICTS,
    described=_described,
)
