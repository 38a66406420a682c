"""Read denials from the database into the view models the Block Kit builders draw."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.blocks.views import AppealView, DenialView, GroupView, ReasonView
from bot.blocks.work_views import RecordsLink
from bot.config import PhiMode
from bot.domain.actor import Actor
from bot.domain.countdown import decision_due
from bot.domain.findings import AnchorSource, DeadlineKind, RootCause
from bot.domain.likely_causes import likely_cause
from bot.domain.root_causes import RootCauseTable
from storage.models import (
    Appeal,
    Claim,
    Denial,
    DocumentationRequest,
    ImportFile,
    RequestDenial,
    SlackPost,
)

REPEAT_WINDOW = timedelta(days=90)
_CODES_IN_WORDS = re.compile(r" \([A-Z0-9, -]+\)(?=:)")


def denial_view(
    session: Session,
    denial: Denial,
    *,
    table: RootCauseTable,
    zone: ZoneInfo,
    phi: PhiMode = PhiMode.MINIMAL,
    records: bool = True,
) -> DenialView:
    """`records=False` leaves out the records request link (a grouped card does not show it)."""
    source = session.get(ImportFile, denial.import_id)
    patient = None
    if phi is PhiMode.FULL:
        claim = session.get(Claim, denial.claim_id)
        patient = claim.patient_name if claim else None
    category_source: Literal["auto", "staff"] = (
        "staff" if denial.category_source == "staff" else "auto"
    )
    return DenialView(
        id=denial.id,
        version=denial.version,
        claim_number=denial.claim_number,
        payer_name=denial.payer_name,
        service_date=denial.service_date,
        provider_name=denial.provider_name,
        provider_npi=denial.provider_npi,
        cpts=tuple(denial.cpts),
        billed=denial.billed_amount,
        paid=denial.paid_amount,
        denied=denial.denied_amount,
        reasons=tuple(
            ReasonView(r["code"], reason_words(r["explanation"])) for r in unique_reasons(denial)
        ),
        rarcs=tuple(ReasonView(code, table.describe_rarc(code)) for code in denial.rarcs),
        category=RootCause(denial.category),
        category_source=category_source,
        category_set_by=denial.category_set_by,
        deadline=denial.deadline,
        deadline_kind=DeadlineKind(denial.deadline_kind),
        no_appeal_reason=denial.no_appeal_reason,
        clock_started_on_import=denial.anchor_source == AnchorSource.IMPORT_DATE.value,
        status=denial.status,
        assignee=denial.assignee,
        recovered_amount=denial.recovered_amount,
        imported_on=source.imported_at.astimezone(zone).date() if source else denial.denial_date,
        file_name=source.file_name if source else "",
        patient_name=patient,
        repeat_count_90d=repeat_count(session, denial.pattern_key, denial.denial_date),
        explanation=denial.explanation,
        records=records_link(session, denial.id) if records else None,
        appeal=waiting_appeal(session, denial),
    )


def waiting_appeal(session: Session, denial: Denial) -> AppealView | None:
    """The appeal or corrected claim still waiting for the payer (the newest without an
    outcome), as the card shows it."""
    appeal = session.scalars(
        select(Appeal)
        .where(Appeal.denial_id == denial.id, Appeal.outcome.is_(None))
        .order_by(Appeal.id.desc())
        .limit(1)
    ).first()
    if appeal is None:
        return None
    person = Actor.from_key(appeal.created_by)
    corrected = appeal.kind == "corrected"
    return AppealView(
        kind="corrected" if corrected else "appeal",
        level=appeal.level,
        method=appeal.method,
        sent_on=appeal.sent_on,
        reference=appeal.reference,
        sent_by=person.user if person else None,
        decision_due=None if corrected else decision_due(denial.rule_key, appeal.sent_on),
    )


def group_view(
    session: Session,
    post: SlackPost,
    *,
    table: RootCauseTable,
    zone: ZoneInfo,
    phi: PhiMode = PhiMode.MINIMAL,
) -> GroupView:
    denials = list(post.denials)
    views = tuple(
        denial_view(session, d, table=table, zone=zone, phi=phi, records=False) for d in denials
    )
    first = denials[0]
    category = RootCause(first.category)
    deadlines = [d for d in denials if d.deadline is not None]
    earliest = min(deadlines, key=lambda d: d.deadline or date.max) if deadlines else None
    return GroupView(
        group_id=post.id,
        version=post.version,
        payer_name=first.payer_name,
        category=category,
        code=first.carcs[0] if first.carcs else "",
        provider_name=first.provider_name or first.provider_npi,
        denials=views,
        total_denied=sum((d.denied_amount for d in denials), Decimal(0)),
        count_90d=repeat_count(session, first.pattern_key, max(d.denial_date for d in denials)),
        likely_cause=likely_cause(category),
        earliest_deadline=earliest.deadline if earliest else None,
        earliest_deadline_kind=DeadlineKind(earliest.deadline_kind)
        if earliest
        else DeadlineKind.APPEAL,
    )


def records_link(session: Session, denial_id: int) -> RecordsLink | None:
    """The records request a "records missing" denial was tied to (bot.services.status_links)."""
    row = session.execute(
        select(
            DocumentationRequest.received_on,
            DocumentationRequest.due_date,
            DocumentationRequest.sent_on,
            DocumentationRequest.sent_method,
        )
        .join(RequestDenial, RequestDenial.request_id == DocumentationRequest.id)
        .where(RequestDenial.denial_id == denial_id)
        .order_by(DocumentationRequest.received_on.desc())
        .limit(1)
    ).first()
    return None if row is None else RecordsLink(*row)


def repeat_count(session: Session, pattern_key: str, as_of: date) -> int:
    """Denials with this pattern in the 90 days up to `as_of` (this one included)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(Denial)
            .where(
                Denial.pattern_key == pattern_key,
                Denial.denial_date > as_of - REPEAT_WINDOW,
                Denial.denial_date <= as_of,
            )
        )
        or 0
    )


def reason_words(explanation: str) -> str:
    """The card shows the codes beside the words; drop the "(CO-11, M76)" inside the words."""
    return _CODES_IN_WORDS.sub("", explanation, count=1)


def unique_reasons(denial: Denial) -> list[dict[str, str]]:
    seen: dict[str, dict[str, str]] = {}
    for reason in denial.reasons:
        seen.setdefault(reason["code"], reason)
    return list(seen.values())
