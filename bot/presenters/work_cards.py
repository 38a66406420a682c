"""Read documentation requests and rejections into the views their cards and rows draw."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.blocks.message import Message
from bot.blocks.rejection_card import rejection_card
from bot.blocks.request_card import request_card
from bot.blocks.work_views import (
    DenialLink,
    NoteView,
    RejectionView,
    RequestView,
    WorkKind,
    WorkRow,
)
from bot.config import PhiMode
from bot.domain.statuses import RejectionStatus, RequestStatus
from storage.models import (
    ClaimRejection,
    Denial,
    DocumentationRequest,
    ImportFile,
    RequestDenial,
    SlackPost,
)

MAX_WHAT = 80
REQUEST_POST = "request"  # SlackPost.kind of a request's card
REJECTION_POST = "rejection"


def render_work_card(session: Session, post: SlackPost, *, today: date, phi: PhiMode) -> Message:
    """The card of the request or rejection a post belongs to, as the database has it now."""
    if post.kind == REQUEST_POST:
        request = session.scalars(
            select(DocumentationRequest).where(DocumentationRequest.post_id == post.id)
        ).one()
        return request_card(request_view(session, request, phi=phi), today=today)
    rejection = session.scalars(
        select(ClaimRejection).where(ClaimRejection.post_id == post.id)
    ).one()
    return rejection_card(rejection_view(session, rejection, phi=phi), today=today)


def request_view(
    session: Session, request: DocumentationRequest, *, phi: PhiMode = PhiMode.MINIMAL
) -> RequestView:
    links = session.execute(
        select(Denial.id, Denial.carcs, Denial.rarcs, Denial.denial_date)
        .join(RequestDenial, RequestDenial.denial_id == Denial.id)
        .where(RequestDenial.request_id == request.id)
        .order_by(Denial.denial_date, Denial.id)
    ).all()
    return RequestView(
        id=request.id,
        version=request.version,
        claim_number=request.claim_number,
        payer_name=request.payer_name,
        payer_claim_number=request.payer_claim_number,
        service_date=request.service_date,
        provider_name=request.provider_name,
        provider_npi=request.provider_npi,
        billed=request.billed,
        asks=notes(request.asks),
        what=request.what,
        received_on=request.received_on,
        due_date=request.due_date,
        due_explained=request.due_note,
        follow_up=request.follow_up,
        status=RequestStatus(request.status),
        assignee=request.assignee,
        sent_on=request.sent_on,
        sent_method=request.sent_method,
        sent_reference=request.sent_reference,
        closed_note=request.closed_note,
        attachments=tuple(str(a.get("name", "")) for a in request.attachments),
        denials=tuple(
            DenialLink(row.id, (*row.carcs, *row.rarcs), row.denial_date) for row in links
        ),
        origin=request.origin,
        file_name=_file_name(session, request.import_id),
        patient_name=request.patient_name if phi is PhiMode.FULL else None,
    )


def rejection_view(
    session: Session, rejection: ClaimRejection, *, phi: PhiMode = PhiMode.MINIMAL
) -> RejectionView:
    return RejectionView(
        id=rejection.id,
        version=rejection.version,
        level=rejection.level,
        claim_number=rejection.claim_number,
        payer_name=rejection.payer_name,
        from_clearinghouse=rejection.from_clearinghouse,
        trace=rejection.trace,
        service_date=rejection.service_date,
        provider_name=rejection.provider_name,
        provider_npi=rejection.provider_npi,
        billed=rejection.billed,
        claims_count=rejection.claims_count,
        reasons=notes(rejection.reasons),
        received_on=rejection.received_on,
        resubmit_by=rejection.resubmit_by,
        due_explained=rejection.due_note,
        status=RejectionStatus(rejection.status),
        assignee=rejection.assignee,
        corrected_on=rejection.corrected_on,
        correction_note=rejection.correction_note,
        closed_note=rejection.closed_note,
        origin=rejection.origin,
        file_name=_file_name(session, rejection.import_id),
        patient_name=rejection.patient_name if phi is PhiMode.FULL else None,
    )


def notes(items: Iterable[dict[str, Any]]) -> tuple[NoteView, ...]:
    return tuple(NoteView(str(n.get("words", "")), n.get("line")) for n in items)


def request_row(request: DocumentationRequest, today: date) -> WorkRow:
    return WorkRow(
        kind=WorkKind.REQUEST,
        item_id=request.id,
        claim_number=request.claim_number,
        payer_name=request.payer_name,
        what=_first_words(request.asks, request.what, "Records"),
        amount=request.billed,
        assignee=request.assignee,
        due=request.due_date,
        days_left=(request.due_date - today).days,
    )


def rejection_row(rejection: ClaimRejection, today: date) -> WorkRow:
    if rejection.level == "claim":
        subject = rejection.claim_number or "?"
    elif rejection.level == "batch":
        subject = f"batch {rejection.trace or '?'}"
    else:
        subject = f"claims of {rejection.provider_name or rejection.provider_npi or '?'}"
    return WorkRow(
        kind=WorkKind.REJECTION,
        item_id=rejection.id,
        claim_number=subject,
        payer_name=rejection.payer_name,
        what=_first_words(rejection.reasons, None, "Rejected"),
        amount=rejection.billed,
        assignee=rejection.assignee,
        due=rejection.resubmit_by,
        days_left=(rejection.resubmit_by - today).days,
    )


def _first_words(items: list[Any], fallback: str | None, default: str) -> str:
    """The first thing asked for (or found wrong), short: "Operative note (LOINC …) +1"."""
    words = str(items[0].get("words", "")) if items else (fallback or default)
    words = words if len(words) <= MAX_WHAT else words[: MAX_WHAT - 1] + "…"
    more = len(items) - 1
    return f"{words} +{more}" if more > 0 else words


def _file_name(session: Session, import_id: int | None) -> str | None:
    if import_id is None:
        return None
    source = session.get(ImportFile, import_id)
    return source.file_name if source is not None else None
