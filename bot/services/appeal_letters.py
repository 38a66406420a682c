"""Draft an appeal letter for one denial: read its facts, fill the templates, write the files,
audit who drafted which template. Nothing is changed on the denial itself.

Under `DENIALS_PHI=minimal` a draft meant for Slack leaves the patient's name, birth date and
member id as marked blanks; the complete letter is only ever written to a folder on the
practice's machine (`denials letter`, or `DENIALS_LETTERS_DIR`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import PhiMode
from bot.domain.findings import RootCause
from bot.domain.payer_rules import MEDICARE_KEY, PayerRule
from bot.domain.records import Payer
from bot.domain.rulebook import Rulebook
from bot.errors import ConflictError, InputError
from bot.letters.compose import LetterTemplates
from bot.letters.docx_file import docx_bytes
from bot.letters.facts import (
    LetterFacts,
    Level,
    Line,
    Patient,
    PriorAppeal,
    Provider,
    Reason,
)
from bot.letters.pdf_file import pdf_bytes
from bot.presenters.card_views import reason_words, records_link, unique_reasons
from bot.services.appeals import level_number
from bot.services.triage import CLOSED_FIRST, GONE
from storage.models import (
    Appeal,
    AuditEvent,
    Claim,
    ClaimAcceptance,
    Denial,
    Remittance,
    SlackPost,
)

log = logging.getLogger(__name__)

AUDIT_ACTION = "letter"
NO_APPEAL = (
    "Claim {claim} has no appeal rights ({reason}): correct the claim and resubmit it instead. "
    "No letter was drafted."
)
BAD_LEVEL = "The appeal level must be a number from 1 to 5, like `2`."
FILE_STEM = "appeal-{claim}-level{level}"
FILE_TITLE = "Appeal letter draft · claim {claim} · {level}"
MAX_LEVEL = 5
Destination = Literal["slack", "file"]


@dataclass(frozen=True, slots=True)
class LetterFile:
    name: str
    content: bytes
    title: str


@dataclass(frozen=True, slots=True)
class CardPlace:
    channel: str
    ts: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DraftedLetter:
    denial_id: int
    claim_number: str
    level: Level
    cause: RootCause
    template: str
    frame: str
    source: str  # "built-in" or "DENIALS_TEMPLATES"
    enclosures: tuple[str, ...]
    blanks: tuple[str, ...]
    deadline: date | None
    files: tuple[LetterFile, ...]  # the .docx, then the .pdf
    without_phi: bool  # the patient's name, birth date and member id were left blank
    card: CardPlace | None  # where the denial's card is, to post in its thread


@dataclass(frozen=True, slots=True)
class SlackDraft:
    """A draft for Slack, and the complete letter's files when they were kept on this machine."""

    letter: DraftedLetter
    saved_files: tuple[str, ...] = ()
    without_patient: bool = False  # the patient is blank in the copy posted


class AppealLetters:
    def __init__(
        self, sessions: sessionmaker[Session], rulebook: Rulebook, templates: LetterTemplates
    ) -> None:
        self._sessions = sessions
        self._rulebook = rulebook
        self._templates = templates

    def draft(
        self,
        denial_id: int,
        *,
        actor: str,
        now: datetime,
        today: date,
        phi: PhiMode,
        to: Destination,
        level: int | None = None,
    ) -> DraftedLetter:
        """The letter for the denial's next appeal level (or `level`), audited."""
        if level is not None and not 1 <= level <= MAX_LEVEL:
            raise InputError(BAD_LEVEL)
        with self._sessions() as session:
            denial = session.get(Denial, denial_id)
            if denial is None:
                raise ConflictError(GONE)
            if denial.closed:
                raise ConflictError(CLOSED_FIRST.format(status=denial.status.replace("_", " ")))
            if denial.no_appeal_reason:
                raise ConflictError(
                    NO_APPEAL.format(claim=denial.claim_number, reason=denial.no_appeal_reason)
                )
            facts = self._facts(session, denial, today=today, level=level)
            card = _card_place(session, denial.post_id)
            version = denial.version
        redact = to == "slack" and phi is PhiMode.MINIMAL
        if redact:
            facts = facts.without_phi()
        try:
            composed = self._templates.compose(facts)
        except (InputError, ValueError) as problem:
            raise InputError(str(problem)) from None
        stem = FILE_STEM.format(claim=_safe(facts.claim_number), level=facts.level.number)
        title = FILE_TITLE.format(claim=facts.claim_number, level=facts.level.name.lower())
        files = (
            LetterFile(f"{stem}.docx", docx_bytes(composed.document, title=title), title),
            LetterFile(f"{stem}.pdf", pdf_bytes(composed.document, title=title), title),
        )
        self._audit(
            denial_id,
            actor,
            now,
            version,
            template=composed.template,
            frame=composed.frame,
            source=composed.source,
            level=facts.level.number,
            phi="without patient" if redact else "complete",
            to=to,
        )
        return DraftedLetter(
            denial_id=denial_id,
            claim_number=facts.claim_number,
            level=facts.level,
            cause=facts.cause,
            template=composed.template,
            frame=composed.frame,
            source=composed.source,
            enclosures=composed.enclosures,
            blanks=composed.document.blanks,
            deadline=facts.deadline,
            files=files,
            without_phi=redact or not facts.has_phi,
            card=card,
        )

    def draft_for_slack(
        self,
        denial_id: int,
        *,
        actor: str,
        now: datetime,
        today: date,
        phi: PhiMode,
        letters_dir: Path | None,
        level: int | None = None,
    ) -> SlackDraft:
        """The copy to post (without the patient under `minimal`); under `minimal` with
        `DENIALS_LETTERS_DIR` set, the complete letter is also written there."""
        letter = self.draft(
            denial_id, actor=actor, now=now, today=today, phi=phi, to="slack", level=level
        )
        minimal = phi is PhiMode.MINIMAL
        saved: tuple[str, ...] = ()
        if minimal and letters_dir is not None:
            complete = self.draft(
                denial_id, actor=actor, now=now, today=today, phi=phi, to="file", level=level
            )
            try:
                saved = tuple(path.name for path in write_files(complete, letters_dir))
            except OSError as error:  # the draft still goes to Slack; its note says what to do
                log.warning("could not write the complete letter: %s", type(error).__name__)
        return SlackDraft(letter, saved, without_patient=minimal)

    def _facts(
        self, session: Session, denial: Denial, *, today: date, level: int | None
    ) -> LetterFacts:
        claim = session.get(Claim, denial.claim_id)
        remittance = session.get(Remittance, claim.remittance_id) if claim else None
        rule = self._rule(denial, remittance)
        medicare = rule.key == MEDICARE_KEY
        appeals = list(denial.appeals)
        lines = tuple(_line(item) for item in (claim.lines if claim else []))
        days = [line.service_date for line in lines if line.service_date is not None]
        table = self._rulebook.root_causes
        records = records_link(session, denial.id)
        return LetterFacts(
            today=today,
            level=Level(level or _next_level(appeals, rule), medicare),
            cause=RootCause(denial.category),
            claim_number=denial.claim_number,
            payer_claim_number=denial.payer_claim_number,
            payer_name=denial.payer_name,
            payer_id=remittance.payer_identifier if remittance else None,
            appeal_to=rule.appeals,
            notice_date=denial.denial_date,
            check_number=remittance.check_number if remittance else None,
            service_from=min(days) if days else denial.service_date,
            service_to=max(days) if days else denial.service_date,
            lines=lines,
            billed=denial.billed_amount,
            paid=denial.paid_amount,
            denied=denial.denied_amount,
            reasons=tuple(
                Reason(r["code"], reason_words(r["explanation"])) for r in unique_reasons(denial)
            ),
            remarks=tuple(Reason(code, table.describe_rarc(code)) for code in denial.rarcs),
            deadline=denial.deadline,
            rendering=Provider(denial.provider_name, denial.provider_npi),
            billing=Provider(
                remittance.payee_name if remittance else None,
                remittance.payee_npi if remittance else None,
            ),
            patient=Patient(
                name=claim.patient_name if claim else None,
                member_id=claim.member_id if claim else None,
            ),
            prior_appeals=tuple(_prior(appeal) for appeal in appeals),
            accepted_on=session.scalar(
                select(func.min(ClaimAcceptance.accepted_on)).where(
                    ClaimAcceptance.claim_number == denial.claim_number
                )
            ),
            records_asked_on=records.requested_on if records else None,
            records_sent_on=records.sent_on if records else None,
        )

    def _rule(self, denial: Denial, remittance: Remittance | None) -> PayerRule:
        """The rule the import chose; if the rules file no longer has it, the one matching the
        payer now (by the id the remittance wrote, then by the payer's name)."""
        rules = self._rulebook.payer_rules
        written = remittance.payer_identifier if remittance else None
        return rules.get(denial.rule_key) or rules.match(Payer(denial.payer_name, written))

    def _audit(
        self, denial_id: int, actor: str, now: datetime, version: int, **detail: Any
    ) -> None:
        with self._sessions() as session, session.begin():
            session.add(
                AuditEvent(
                    denial_id=denial_id,
                    actor=actor,
                    action=AUDIT_ACTION,
                    detail=detail,
                    version=version,
                    at=now,
                )
            )


def write_files(letter: DraftedLetter, folder: Path) -> list[Path]:
    """Write the letter's files into `folder`; an existing file (perhaps already edited) is
    never replaced: the new draft gets the next free name (`…-2.docx`)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for item in letter.files:
        path = folder / item.name
        number = 1
        while path.exists():
            number += 1
            path = folder / f"{Path(item.name).stem}-{number}{Path(item.name).suffix}"
        with path.open("xb") as out:  # "x": never overwrite, even if created meanwhile
            out.write(item.content)
        written.append(path)
    return written


def _next_level(appeals: list[Appeal], rule: PayerRule) -> int:
    """The level of the appeal waiting for a decision (a reprint), else one past the last lost."""
    pending = [a for a in appeals if a.kind == "appeal" and a.outcome is None]
    if pending:
        return level_number(pending[-1], rule) or 1
    lost = [
        level_number(a, rule) or 1 for a in appeals if a.kind == "appeal" and a.outcome == "lost"
    ]
    return min(max(lost) + 1, MAX_LEVEL) if lost else 1


def _line(item: dict[str, Any]) -> Line:
    codes = [
        f"{a['group']}-{a['carc']}" if a.get("group") else a["carc"]
        for a in item.get("adjustments", [])
    ]
    return Line(
        procedure=str(item.get("procedure") or ""),
        modifiers=tuple(item.get("modifiers") or ()),
        service_date=date.fromisoformat(item["service_date"]) if item.get("service_date") else None,
        units=Decimal(item["units"]) if item.get("units") else None,
        billed=Decimal(item.get("billed") or 0),
        paid=Decimal(item.get("paid") or 0),
        original_procedure=item.get("original_procedure"),
        codes=tuple(dict.fromkeys([*codes, *item.get("remarks", [])])),
    )


def _prior(appeal: Appeal) -> PriorAppeal:
    return PriorAppeal(
        level=appeal.level,
        kind=appeal.kind,
        sent_on=appeal.sent_on,
        method=appeal.method,
        reference=appeal.reference,
        outcome=appeal.outcome,
        decided_on=appeal.decided_on,
    )


def _card_place(session: Session, post_id: int | None) -> CardPlace | None:
    post = session.get(SlackPost, post_id) if post_id is not None else None
    if post is None or not post.channel or not post.ts:
        return None
    return CardPlace(post.channel, post.ts)


def _safe(claim_number: str) -> str:
    """A claim number as part of a file name: letters, digits, `-` and `_` only."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in claim_number)[:60] or "claim"
