"""A denial that says the records never came, tied to the request that asked for them.

A payer that asked for records and got none denies the claim (CO-252, CO-16 with M127, N706 …:
`status_rules.says_records_missing`). When the practice has that request on file, the denial's
card says so ("records were requested on Oct 2 and not sent") and the request counts, in the
trends, as one that turned into a denial. Run after every import, in its transaction: an 835
brings the denial, a 277 may (rarely) bring the request after it.

The same claim is the practice's claim number, or the payer's claim number; and the same payer
is the same payer (see storage/payers.py) or the same payer claim number (a 277 and an 835 of
one payer may name it by different ids).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.blocks import request_notes
from bot.domain.status_rules import says_records_missing
from bot.domain.statuses import RequestStatus
from storage.models import (
    AuditEvent,
    Claim,
    Denial,
    DocumentationRequest,
    RequestDenial,
    SlackPost,
)

LINKER = "importer"


def link_missing_records(
    session: Session,
    now: datetime,
    *,
    import_id: int | None = None,
    claim_numbers: Iterable[str] = (),
) -> int:
    """Link the denials of `import_id`, or of `claim_numbers`, to their requests; how many."""
    numbers = sorted(set(claim_numbers))
    if import_id is None and not numbers:
        return 0
    requested = select(DocumentationRequest.claim_number)
    query = select(Denial).where(Denial.claim_number.in_(requested))
    if import_id is not None:
        query = query.where(Denial.import_id == import_id)
    else:
        query = query.where(Denial.claim_number.in_(numbers))
    linked = 0
    for denial in session.scalars(query):
        if not says_records_missing(denial.carcs, denial.rarcs):
            continue
        request = _request_for(session, denial)
        if request is None or _already(session, request.id, denial.id):
            continue
        session.add(RequestDenial(request_id=request.id, denial_id=denial.id, linked_at=now))
        session.add(
            AuditEvent(
                request_id=request.id,
                actor=LINKER,
                action="denied",
                detail={"denial": denial.id, "codes": [*denial.carcs, *denial.rarcs]},
                at=now,
            )
        )
        note = request_notes.denied_for_missing_records(
            [*denial.carcs, *denial.rarcs], denial.denial_date
        )
        mark_card_changed(session, request.post_id, note)
        mark_card_changed(session, denial.post_id, None)
        linked += 1
    return linked


def close_paid_requests(session: Session, now: datetime, *, import_id: int) -> int:
    """Open requests whose claim this remittance paid: the payer has what it needed. Sent
    records were accepted; a request still to send is withdrawn (paid without them). How many."""
    paid = session.execute(
        select(Claim.claim_number, Claim.payer_id, Claim.payer_claim_number, Claim.notice_date)
        .where(Claim.import_id == import_id, Claim.paid > 0, Claim.is_denied.is_(False))
        .where(Claim.claim_number.in_(select(DocumentationRequest.claim_number)))
    ).all()
    closed = 0
    for claim_number, payer_id, payer_claim, paid_on in paid:
        same_claim = [DocumentationRequest.claim_number == claim_number]
        if payer_claim:
            same_claim.append(DocumentationRequest.payer_claim_number == payer_claim)
        for request in session.scalars(
            select(DocumentationRequest).where(
                or_(*same_claim),
                DocumentationRequest.closed.is_(False),
                DocumentationRequest.received_on <= paid_on,
            )
        ):
            if request.payer_id != payer_id and request.payer_claim_number != payer_claim:
                continue
            sent = request.status == RequestStatus.SENT
            request.status = (RequestStatus.ACCEPTED if sent else RequestStatus.WITHDRAWN).value
            request.closed, request.closed_at, request.updated_at = True, now, now
            request.closed_note = request_notes.paid_note(paid_on, sent=sent)
            session.add(
                AuditEvent(
                    request_id=request.id,
                    actor=LINKER,
                    action="closed_by_payment",
                    detail={"paid_on": paid_on.isoformat()},
                    at=now,
                )
            )
            mark_card_changed(session, request.post_id, f":moneybag: {request.closed_note}.")
            closed += 1
    return closed


def _request_for(session: Session, denial: Denial) -> DocumentationRequest | None:
    """The latest request for the denial's claim and payer received before the denial."""
    same_claim = [DocumentationRequest.claim_number == denial.claim_number]
    if denial.payer_claim_number:
        same_claim.append(DocumentationRequest.payer_claim_number == denial.payer_claim_number)
    candidates = session.scalars(
        select(DocumentationRequest)
        .where(or_(*same_claim), DocumentationRequest.received_on <= denial.denial_date)
        .order_by(DocumentationRequest.received_on.desc(), DocumentationRequest.id.desc())
    ).all()
    for request in candidates:
        same_payer = request.payer_id == denial.payer_id or (
            request.payer_claim_number is not None
            and request.payer_claim_number == denial.payer_claim_number
        )
        if same_payer:
            return request
    return None


def _already(session: Session, request_id: int, denial_id: int) -> bool:
    return (
        session.scalar(
            select(RequestDenial.id).where(
                RequestDenial.request_id == request_id, RequestDenial.denial_id == denial_id
            )
        )
        is not None
    )


def mark_card_changed(session: Session, post_id: int | None, note: str | None) -> None:
    """Something changed outside Slack: the posting job rebuilds the card and posts `note` in
    its thread. A card not posted yet is drawn from the database when it is, so it needs
    neither."""
    if post_id is None:
        return
    post = session.get(SlackPost, post_id)
    if post is None or post.status != "posted":
        return
    post.needs_update = True
    if note is not None:
        post.pending_notes = [*post.pending_notes, note]
