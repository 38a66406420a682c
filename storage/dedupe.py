"""Adjudications stored more than once, merged into one (`denials db dedupe`).

A database filled before adjudications had an identity (bot.domain.identity), or two payers
merged after each had the same adjudication, can hold one adjudication twice: the same claim
twice in the denial rate, two denials and two cards for one denial. Each group of claims with
the same payer and fingerprint keeps its first claim; the others are merged into it:

- their denial's appeals, audit history and records-request links move to the kept denial;
  what staff set there and not on the kept one (assignee, root cause, a status further along:
  appealed, recovered, written off) is taken over, so no work is lost;
- a card: the kept denial takes the other's card when it has none; when both were posted, the
  other card is rebuilt to say it was a duplicate and where the denial is tracked, and the kept
  card's thread says what was merged into it;
- their reversals point at the kept claim. The import that brought them keeps its counts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bot.domain.statuses import CLOSED, WAITING_FOR_PAYER, DenialStatus
from storage.models import (
    Appeal,
    AuditEvent,
    Claim,
    Denial,
    RequestDenial,
    SlackPost,
)

ACTOR = "dedupe"
MERGED_NOTE = "D-{other} was this denial imported again; its history is here now."


@dataclass
class Merged:
    groups: int = 0  # adjudications that were stored more than once
    claims: int = 0  # claims merged into the one kept
    denials: int = 0  # denials merged into the one kept
    cards: int = 0  # cards that now say they were duplicates


def duplicate_groups(session: Session, payer_id: int | None = None) -> list[list[int]]:
    """Ids of the claims stored more than once, per adjudication, oldest first."""
    query = (
        select(Claim.payer_id, Claim.fingerprint)
        .where(Claim.fingerprint.is_not(None))
        .group_by(Claim.payer_id, Claim.fingerprint)
        .having(func.count() > 1)
    )
    if payer_id is not None:
        query = query.where(Claim.payer_id == payer_id)
    keys = {(payer, fp) for payer, fp in session.execute(query)}
    if not keys:
        return []
    groups: dict[tuple[int, str | None], list[int]] = defaultdict(list)
    prints = sorted({fp for _, fp in keys if fp})
    rows = session.execute(
        select(Claim.payer_id, Claim.fingerprint, Claim.id)
        .where(Claim.fingerprint.in_(prints))
        .order_by(Claim.id)
    )
    for payer, fp, claim_id in rows:
        if (payer, fp) in keys:
            groups[(payer, fp)].append(claim_id)
    return list(groups.values())


def merge_duplicates(session: Session, *, now: datetime, payer_id: int | None = None) -> Merged:
    """Merge every group of duplicate claims (of one payer, when given), in the session's
    transaction."""
    merged = Merged()
    for ids in duplicate_groups(session, payer_id):
        kept, *others = ids
        merged.groups += 1
        for other in others:
            _merge_claim(session, kept, other, now, merged)
    return merged


def _merge_claim(session: Session, kept: int, other: int, now: datetime, merged: Merged) -> None:
    session.execute(update(Claim).where(Claim.reversed_by_id == other).values(reversed_by_id=kept))
    claim, twin = session.get(Claim, kept), session.get(Claim, other)
    assert claim is not None
    assert twin is not None
    if claim.reversed_by_id is None and twin.reversed_by_id not in (None, kept):
        claim.reversed_by_id = twin.reversed_by_id
    duplicate = session.scalars(select(Denial).where(Denial.claim_id == other)).first()
    if duplicate is not None:
        denial = session.scalars(select(Denial).where(Denial.claim_id == kept)).first()
        if denial is None:
            session.flush()
            duplicate.claim_id = kept  # the kept claim had no denial (rules changed since)
        else:
            _merge_denial(session, denial, duplicate, now, merged)
    session.flush()
    session.execute(delete(Claim).where(Claim.id == other))
    merged.claims += 1


def _merge_denial(
    session: Session, denial: Denial, duplicate: Denial, now: datetime, merged: Merged
) -> None:
    """Everything staff did on `duplicate` kept on `denial`, then `duplicate` gone."""
    for model in (Appeal, AuditEvent):
        session.execute(
            update(model).where(model.denial_id == duplicate.id).values(denial_id=denial.id)
        )
    linked = set(
        session.scalars(
            select(RequestDenial.request_id).where(RequestDenial.denial_id == denial.id)
        )
    )
    for link in session.scalars(
        select(RequestDenial).where(RequestDenial.denial_id == duplicate.id)
    ):
        if link.request_id in linked:
            session.delete(link)
        else:
            link.denial_id = denial.id
    session.execute(
        update(Denial)
        .where(Denial.superseded_by_id == duplicate.id)
        .values(superseded_by_id=denial.id)
    )
    _take_over(denial, duplicate)
    _cards(session, denial, duplicate, merged)
    denial.updated_at = now
    session.add(
        AuditEvent(
            denial_id=denial.id,
            actor=ACTOR,
            action="merged_duplicate",
            detail={"from": duplicate.id},
            at=now,
        )
    )
    session.flush()
    session.delete(duplicate)
    merged.denials += 1


def _take_over(denial: Denial, duplicate: Denial) -> None:
    """What staff set on the duplicate and not on the kept denial."""
    if denial.assignee is None:
        denial.assignee = duplicate.assignee
    if denial.category_source == "auto" and duplicate.category_source == "staff":
        denial.category = duplicate.category
        denial.category_source = duplicate.category_source
        denial.category_set_by = duplicate.category_set_by
    if _rank(duplicate.status) > _rank(denial.status):
        denial.status = duplicate.status
        denial.closed = duplicate.closed
        denial.closed_at = duplicate.closed_at
        denial.recovered_amount = duplicate.recovered_amount
        denial.superseded_by_id = duplicate.superseded_by_id
        denial.deadline = duplicate.deadline  # a lost appeal moves it to the next level's
        denial.deadline_kind = duplicate.deadline_kind


def _rank(status: str) -> int:
    """How far along a status is: new, in progress, waiting for the payer, closed."""
    if status in CLOSED:
        return 3
    if status in WAITING_FOR_PAYER:
        return 2
    return 1 if status == DenialStatus.IN_PROGRESS else 0


def _cards(session: Session, denial: Denial, duplicate: Denial, merged: Merged) -> None:
    card = duplicate.post_id
    if card is None or card == denial.post_id:
        return
    post = session.get(SlackPost, card)
    assert post is not None
    duplicate.post_id = None
    session.flush()
    if denial.post_id is None:
        denial.post_id = card  # the kept denial had no card: it takes this one
        post.needs_update = True
        return
    if not post.denials:  # the duplicate's own card: it says where the denial is now
        post.replaced_by_id = denial.post_id
        merged.cards += 1
    post.needs_update = True
    kept = session.get(SlackPost, denial.post_id)
    assert kept is not None
    kept.needs_update = True
    kept.pending_notes = [*kept.pending_notes, MERGED_NOTE.format(other=duplicate.id)]
