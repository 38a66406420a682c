"""SQLAlchemy 2 typed models: the database is the truth for every denial and every message."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import Money, UtcDateTime

# Stable constraint names so Alembic migrations read the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class ImportFile(Base):
    """One imported file: who brought it, when, what it held. The sha256 makes re-imports no-ops."""

    __tablename__ = "import_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String())
    sha256: Mapped[str] = mapped_column(String(), unique=True)
    source: Mapped[str] = mapped_column(String())  # "835" or "csv"
    imported_by: Mapped[str] = mapped_column(String())
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime)
    claims: Mapped[int] = mapped_column(Integer, default=0)
    denials: Mapped[int] = mapped_column(Integer, default=0)
    denied_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    recovered: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[list[Any]] = mapped_column(default=list)
    rejected_rows: Mapped[list[Any]] = mapped_column(default=list)


class Payer(Base):
    """One payer, however its remittances and reports write it (see `PayerAlias`)."""

    __tablename__ = "payers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String())  # the display name, in readable case
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    aliases: Mapped[list[PayerAlias]] = relationship(
        back_populates="payer", order_by="PayerAlias.id"
    )


class PayerAlias(Base):
    """An id (`kind` "id") or a name (`kind` "name") a payer is known by; `key` is how it is
    compared (bot.domain.payers: case- and punctuation-blind names, ids without spaces)."""

    __tablename__ = "payer_aliases"
    __table_args__ = (UniqueConstraint("kind", "key", name="uq_payer_aliases_kind_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payer_id: Mapped[int] = mapped_column(ForeignKey("payers.id"), index=True)
    kind: Mapped[str] = mapped_column(String())
    key: Mapped[str] = mapped_column(String())
    text: Mapped[str] = mapped_column(String())  # as first written

    payer: Mapped[Payer] = relationship(back_populates="aliases")


class Remittance(Base):
    """Header of one remittance (835 ST..SE, or one check of a CSV report), as written."""

    __tablename__ = "remittances"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("import_files.id"), index=True)
    payer_name: Mapped[str] = mapped_column(String())
    payer_identifier: Mapped[str | None] = mapped_column(String())
    check_number: Mapped[str | None] = mapped_column(String())
    payee_name: Mapped[str | None] = mapped_column(String())  # N1*PE: the billing provider
    payee_npi: Mapped[str | None] = mapped_column(String())  # N1*PE04 when N103 is XX
    payment_amount: Mapped[Decimal | None] = mapped_column(Money)
    production_date: Mapped[date | None] = mapped_column(Date)
    payment_date: Mapped[date | None] = mapped_column(Date)
    file_date: Mapped[date | None] = mapped_column(Date)
    report_date: Mapped[date | None] = mapped_column(Date)


class Claim(Base):
    """Every adjudication of every claim, paid or denied: the denial rate's denominator."""

    __tablename__ = "claims"
    __table_args__ = (
        Index("ix_claims_payer_claim", "payer_id", "claim_number"),
        # Covers the trend queries (claims per day, denied or not): see migration 0002.
        Index("ix_claims_trend", "notice_date", "is_denied", "kind", "reversed_by_id", "billed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("import_files.id"), index=True)
    remittance_id: Mapped[int] = mapped_column(ForeignKey("remittances.id"))
    payer_id: Mapped[int] = mapped_column(ForeignKey("payers.id"))
    claim_number: Mapped[str] = mapped_column(String())
    payer_claim_number: Mapped[str | None] = mapped_column(String())
    status_code: Mapped[str] = mapped_column(String())
    kind: Mapped[str] = mapped_column(String())
    billed: Mapped[Decimal] = mapped_column(Money)
    paid: Mapped[Decimal] = mapped_column(Money)
    patient_responsibility: Mapped[Decimal | None] = mapped_column(Money)
    service_date: Mapped[date | None] = mapped_column(Date)
    notice_date: Mapped[date] = mapped_column(Date, index=True)  # the date it was adjudicated
    rendering_npi: Mapped[str | None] = mapped_column(String())
    rendering_name: Mapped[str | None] = mapped_column(String())
    patient_name: Mapped[str | None] = mapped_column(String())  # PHI: never logged
    member_id: Mapped[str | None] = mapped_column(String())  # PHI: never logged
    original_reference: Mapped[str | None] = mapped_column(String())
    adjustments: Mapped[list[Any]] = mapped_column(default=list)
    remarks: Mapped[list[Any]] = mapped_column(default=list)
    lines: Mapped[list[Any]] = mapped_column(default=list)
    is_denied: Mapped[bool] = mapped_column(Boolean, default=False)
    denied_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    reversed_by_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"))
    source_line: Mapped[int | None] = mapped_column(Integer)
    # bot.domain.identity: the same adjudication from any file has the same fingerprint, so
    # it is stored once per payer (NULL only on rows stored before migration 0010 filled it).
    fingerprint: Mapped[str | None] = mapped_column(String(32), index=True)


class SlackPost(Base):
    """Outbox row: a card (one denial) or a grouped card (a burst with one pattern) to post.

    Written in the import's transaction; the posting job sends it and records `ts`, so an
    outage or restart loses nothing and posts nothing twice.
    """

    __tablename__ = "slack_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String())  # "card", "group", "request" or "rejection"
    pattern_key: Mapped[str | None] = mapped_column(String())
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_files.id"))
    status: Mapped[str] = mapped_column(String(), default="pending", index=True)
    channel: Mapped[str | None] = mapped_column(String())
    ts: Mapped[str | None] = mapped_column(String())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    not_before: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Set when a denial on this card changed outside Slack (e.g. paid on a later remittance):
    # the posting job rebuilds the card with chat.update.
    needs_update: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    pending_notes: Mapped[list[Any]] = mapped_column(default=list)  # thread notes still to post
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    posted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # A card whose denial was the same adjudication imported twice, merged into another card
    # (storage/dedupe.py): it is rebuilt to say where the denial is tracked now.
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("slack_posts.id"))
    # What the card shows in Slack now (`Message.digest`): the daily refresh edits only the
    # cards whose words changed with the day (bot/services/card_refresh.py).
    shown_hash: Mapped[str | None] = mapped_column(String())
    # The card's link (chat.getPermalink), for list rows and DMs (bot/presenters/card_links.py).
    permalink: Mapped[str | None] = mapped_column(String())

    denials: Mapped[list[Denial]] = relationship(back_populates="post", order_by="Denial.id")


class Denial(Base):
    """One denied (or partly denied) claim adjudication: the unit staff work as one card."""

    __tablename__ = "denials"
    __table_args__ = (
        Index("ix_denials_pattern", "pattern_key", "denial_date"),
        # Covers the trend queries (denials per day and root cause): see migration 0002.
        Index("ix_denials_trend", "denial_date", "category", "status", "denied_amount"),
        # Covers /denials due over the open denials only (partial index, migration 0002).
        Index(
            "ix_denials_due",
            "status",
            "deadline",
            "assignee",
            "denied_amount",
            "closed",  # in the index too, so SQLite answers from the index alone
            sqlite_where=text("closed IS 0"),
            postgresql_where=text("closed IS false"),
        ),
        # /denials due for one person (mine, @user, unassigned): their open denials by status
        # and deadline, from the index alone (migration 0003).
        Index(
            "ix_denials_due_assignee",
            "assignee",
            "status",
            "deadline",
            "denied_amount",
            "closed",
            sqlite_where=text("closed IS 0"),
            postgresql_where=text("closed IS false"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), unique=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("import_files.id"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("slack_posts.id"), index=True)
    claim_number: Mapped[str] = mapped_column(String(), index=True)
    payer_claim_number: Mapped[str | None] = mapped_column(String())
    payer_id: Mapped[int] = mapped_column(ForeignKey("payers.id"), index=True)
    provider_npi: Mapped[str | None] = mapped_column(String())
    provider_name: Mapped[str | None] = mapped_column(String())
    service_date: Mapped[date | None] = mapped_column(Date)
    denial_date: Mapped[date] = mapped_column(Date, index=True)  # the notice date used
    anchor_source: Mapped[str] = mapped_column(String())
    deadline: Mapped[date | None] = mapped_column(Date)
    deadline_kind: Mapped[str] = mapped_column(String())
    rule_key: Mapped[str] = mapped_column(String())
    cpts: Mapped[list[Any]] = mapped_column(default=list)
    carcs: Mapped[list[Any]] = mapped_column(default=list)
    rarcs: Mapped[list[Any]] = mapped_column(default=list)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    explanation: Mapped[str] = mapped_column(Text, default="")
    billed_amount: Mapped[Decimal] = mapped_column(Money)
    paid_amount: Mapped[Decimal] = mapped_column(Money)
    denied_amount: Mapped[Decimal] = mapped_column(Money)
    recovered_amount: Mapped[Decimal | None] = mapped_column(Money)
    suggested_category: Mapped[str] = mapped_column(String())
    category: Mapped[str] = mapped_column(String(), index=True)
    category_source: Mapped[str] = mapped_column(String(), default="auto")
    category_set_by: Mapped[str | None] = mapped_column(String())
    no_appeal_reason: Mapped[str | None] = mapped_column(String())
    patient_liable: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(), default="new", index=True)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    assignee: Mapped[str | None] = mapped_column(String(), index=True)
    pattern_key: Mapped[str] = mapped_column(String())
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("denials.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own API

    post: Mapped[SlackPost | None] = relationship(back_populates="denials")
    # Loaded with the denials (one query per load, payers are few), so a denial read in one
    # session still knows its payer's name after the session is closed.
    payer: Mapped[Payer] = relationship(lazy="selectin")
    appeals: Mapped[list[Appeal]] = relationship(back_populates="denial", order_by="Appeal.id")

    @property
    def payer_name(self) -> str:
        """The payer's display name (loaded with the payer when first asked)."""
        return self.payer.name


# /denials find in any case: exact and prefix matches on upper(claim_number) (migration 0003).
# text_pattern_ops lets PostgreSQL answer LIKE 'PREFIX%' from it whatever the database's
# collation. SQLite cannot reflect an expression index: Alembic's batch mode would drop it
# when it recreates the table, so a migration doing that must create it again.
Index(
    "ix_denials_claim_key",
    func.upper(Denial.claim_number).label("claim_key"),
    postgresql_ops={"claim_key": "text_pattern_ops"},
)


class Appeal(Base):
    """An appeal or corrected claim sent for a denial, and its outcome when it comes back."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    denial_id: Mapped[int] = mapped_column(ForeignKey("denials.id"), index=True)
    kind: Mapped[str] = mapped_column(String())  # "appeal" or "corrected"
    level: Mapped[str] = mapped_column(String())
    method: Mapped[str | None] = mapped_column(String())
    sent_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String())
    note: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String())  # won, lost, partial
    outcome_amount: Mapped[Decimal | None] = mapped_column(Money)
    decided_on: Mapped[date | None] = mapped_column(Date)
    next_deadline: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    denial: Mapped[Denial] = relationship(back_populates="appeals")


class AuditEvent(Base):
    """Who did what to which denial (or documentation request, or rejection), and when.
    Never holds PHI."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    denial_id: Mapped[int | None] = mapped_column(ForeignKey("denials.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("documentation_requests.id"), index=True
    )
    rejection_id: Mapped[int | None] = mapped_column(ForeignKey("claim_rejections.id"), index=True)
    actor: Mapped[str] = mapped_column(String())
    action: Mapped[str] = mapped_column(String())
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The denial's version after this change: a click made on an older card can tell
    # whether someone else changed the same thing meanwhile.
    version: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class SendClaim(Base):
    """Exactly-once ledger for messages: claim the row, send, then mark it sent."""

    __tablename__ = "send_claims"
    __table_args__ = (
        UniqueConstraint("kind", "key", name="uq_send_claims_kind_key"),
        Index("ix_send_claims_status_retry_at", "status", "retry_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String())  # digest, warning, patterns, note, ...
    key: Mapped[str] = mapped_column(String())  # e.g. "C123:2026-W48", "42:7"
    # claimed, sent, failed (given up), retry (not taken: send again), unsure (look first)
    status: Mapped[str] = mapped_column(String(), default="claimed")
    claimed_by: Mapped[str] = mapped_column(String())
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    retry_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # retry and unsure: from then
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class SlackReceipt(Base):
    """A request Slack sent (an event, a command, a click, a form), keyed by what stays the same
    when Slack sends it again: whoever inserts the key handles it (storage/receipts.py)."""

    __tablename__ = "slack_receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(), unique=True)  # e.g. "event:T1:Ev0123"
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    handled_by: Mapped[str] = mapped_column(String())  # host:pid of the replica
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    repeats: Mapped[int] = mapped_column(Integer, default=0)  # times Slack sent it again


class PatternFix(Base):
    """A workflow fix recorded for a repeat pattern ("Record a fix" on a grouped card, an early
    warning, or `/denials patterns`). `pattern_key` is a grouped card's pattern key or a scope
    key (bot/domain/pattern_scope.py); the fix is measured from `effective_on`."""

    __tablename__ = "pattern_fixes"

    id: Mapped[int] = mapped_column(primary_key=True)
    pattern_key: Mapped[str] = mapped_column(String(), index=True)
    note: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String())
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    owner: Mapped[str | None] = mapped_column(String())  # Slack user id who owns the change
    effective_on: Mapped[date | None] = mapped_column(Date)  # None: the day it was recorded


class PatternAlert(Base):
    """An early warning of a repeat pattern, or a fix's one "still recurring" alert.

    Written in the import's transaction that crossed the threshold, with its message in the
    send ledger (kind `pattern_alert`, the same key), which the next posting round sends to
    the denials channel once. `key` keeps it to one per pattern and episode (`{base}#{n}`) or
    per fix (`fix:{id}`).
    """

    __tablename__ = "pattern_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(), unique=True)
    base: Mapped[str] = mapped_column(String(), index=True)  # payer|cause|CARC
    scope: Mapped[str] = mapped_column(String())  # the pattern as alerted (pattern_scope)
    trigger: Mapped[str] = mapped_column(String())  # new, rate, recurring
    fix_id: Mapped[int | None] = mapped_column(ForeignKey("pattern_fixes.id"))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_files.id"))
    window_start: Mapped[date] = mapped_column(Date)
    as_of: Mapped[date] = mapped_column(Date)  # the newest denial date it counted
    denials: Mapped[int] = mapped_column(Integer)
    claims: Mapped[int] = mapped_column(Integer)
    dollars: Mapped[Decimal] = mapped_column(Money)
    baseline_denials: Mapped[int] = mapped_column(Integer, default=0)
    baseline_claims: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SavedColumnMapping(Base):
    """A report layout's columns as a person confirmed them (Slack's "Map the columns", or
    `denials import --columns`): the next file with the same headers imports without asking.

    `signature` is the hash of the layout's header texts (order, case and punctuation
    ignored); `columns` maps field names to header texts (`{"claim": "Clm #"}`).
    """

    __tablename__ = "column_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    signature: Mapped[str] = mapped_column(String(), unique=True)
    headers: Mapped[list[Any]] = mapped_column(default=list)  # the header texts, as in the file
    columns: Mapped[dict[str, Any]] = mapped_column(default=dict)
    example_file: Mapped[str] = mapped_column(String())  # the file it was made for
    saved_by: Mapped[str] = mapped_column(String())  # "slack:T1:U1", "cli:maria"
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    uses: Mapped[int] = mapped_column(Integer, default=0)


class ProviderLevelAdjustment(Base):
    """PLB entries, recorded as sent (recoupments, interest, forward balances)."""

    __tablename__ = "provider_adjustments"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("import_files.id"), index=True)
    provider_id: Mapped[str] = mapped_column(String())
    fiscal_period: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String())
    reference: Mapped[str | None] = mapped_column(String())
    amount: Mapped[Decimal] = mapped_column(Money)
    fingerprint: Mapped[str | None] = mapped_column(String(32), index=True)  # as a claim's


class DocumentationRequest(Base):
    """A payer's request for records (277RFAI, a 277 R/P3 status, or a letter logged by staff).

    `identity` is what makes the same request the same row whatever file brings it again (see
    bot/services/status_import.py). Statuses: bot/domain/statuses.py `RequestStatus`.
    """

    __tablename__ = "documentation_requests"
    __table_args__ = (
        Index("ix_documentation_requests_due", "closed", "status", "due_date"),
        Index("ix_documentation_requests_claim", "claim_number", "payer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    identity: Mapped[str] = mapped_column(String(), unique=True)
    # identities of later requests for the same claim merged into this one (payer asked again)
    merged_identities: Mapped[list[Any]] = mapped_column(default=list)
    origin: Mapped[str] = mapped_column(String())  # 277RFAI, 277, slack, cli
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_files.id"), index=True)
    payer_id: Mapped[int] = mapped_column(ForeignKey("payers.id"))
    payer_identifier: Mapped[str | None] = mapped_column(String())  # the payer id as written
    claim_number: Mapped[str] = mapped_column(String())  # the practice's, else the payer's
    payer_claim_number: Mapped[str | None] = mapped_column(String())
    provider_name: Mapped[str | None] = mapped_column(String())
    provider_npi: Mapped[str | None] = mapped_column(String())
    patient_name: Mapped[str | None] = mapped_column(String())  # PHI: never logged
    member_id: Mapped[str | None] = mapped_column(String())  # PHI: never logged
    service_date: Mapped[date | None] = mapped_column(Date)
    billed: Mapped[Decimal | None] = mapped_column(Money)
    asks: Mapped[list[Any]] = mapped_column(default=list)  # [{code, words, line}]
    what: Mapped[str | None] = mapped_column(Text)  # staff's words, for a logged request
    received_on: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    due_source: Mapped[str] = mapped_column(String())  # payer, rule
    due_note: Mapped[str] = mapped_column(String())  # where the date came from, in words
    rule_key: Mapped[str] = mapped_column(String())
    due_days: Mapped[int | None] = mapped_column(Integer)
    follow_up: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(), default="requested")
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_on: Mapped[date | None] = mapped_column(Date)
    sent_method: Mapped[str | None] = mapped_column(String())
    sent_reference: Mapped[str | None] = mapped_column(String())
    closed_note: Mapped[str | None] = mapped_column(Text)
    assignee: Mapped[str | None] = mapped_column(String(), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("slack_posts.id"), index=True)
    attachments: Mapped[list[Any]] = mapped_column(default=list)  # [{file, name, by, at}]
    created_by: Mapped[str] = mapped_column(String())
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own API

    payer: Mapped[Payer] = relationship(lazy="selectin")  # as on Denial

    @property
    def payer_name(self) -> str:
        return self.payer.name


class RequestDenial(Base):
    """A denial whose codes say the records were missing, tied to the request that asked."""

    __tablename__ = "request_denials"
    __table_args__ = (UniqueConstraint("request_id", "denial_id", name="uq_request_denials_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("documentation_requests.id"), index=True)
    denial_id: Mapped[int] = mapped_column(ForeignKey("denials.id"), index=True)
    linked_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ClaimRejection(Base):
    """A claim (or a provider's claims, or a whole batch) rejected before adjudication (277CA).

    Statuses: bot/domain/statuses.py `RejectionStatus`.
    """

    __tablename__ = "claim_rejections"
    __table_args__ = (
        Index("ix_claim_rejections_due", "closed", "status", "resubmit_by"),
        Index("ix_claim_rejections_claim", "claim_number", "payer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    identity: Mapped[str] = mapped_column(String(), unique=True)
    merged_identities: Mapped[list[Any]] = mapped_column(default=list)
    origin: Mapped[str] = mapped_column(String())  # 277CA, 277
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_files.id"), index=True)
    level: Mapped[str] = mapped_column(String())  # claim, provider, batch
    payer_id: Mapped[int] = mapped_column(ForeignKey("payers.id"))
    payer_identifier: Mapped[str | None] = mapped_column(String())  # the payer id as written
    from_clearinghouse: Mapped[bool] = mapped_column(Boolean, default=False)
    claim_number: Mapped[str | None] = mapped_column(String())
    payer_claim_number: Mapped[str | None] = mapped_column(String())
    trace: Mapped[str | None] = mapped_column(String())  # the batch / provider trace (TRN02)
    provider_name: Mapped[str | None] = mapped_column(String())
    provider_npi: Mapped[str | None] = mapped_column(String())
    patient_name: Mapped[str | None] = mapped_column(String())  # PHI: never logged
    service_date: Mapped[date | None] = mapped_column(Date)
    billed: Mapped[Decimal | None] = mapped_column(Money)
    claims_count: Mapped[int | None] = mapped_column(Integer)  # provider and batch levels
    reasons: Mapped[list[Any]] = mapped_column(default=list)  # [{code, words, line}]
    received_on: Mapped[date] = mapped_column(Date)
    resubmit_by: Mapped[date] = mapped_column(Date)
    due_source: Mapped[str] = mapped_column(String())  # rule, rule_from_notice
    due_note: Mapped[str] = mapped_column(String())  # where the date came from, in words
    rule_key: Mapped[str] = mapped_column(String())
    due_days: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(), default="new")
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    corrected_on: Mapped[date | None] = mapped_column(Date)
    correction_note: Mapped[str | None] = mapped_column(Text)
    closed_note: Mapped[str | None] = mapped_column(Text)
    assignee: Mapped[str | None] = mapped_column(String(), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("slack_posts.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own API

    payer: Mapped[Payer] = relationship(lazy="selectin")  # as on Denial

    @property
    def payer_name(self) -> str:
        return self.payer.name


class ClaimAcceptance(Base):
    """A claim the clearinghouse or the payer took into adjudication (a 277CA's A2, or a 277's
    pending or finalized status), by the practice's claim number: the proof of timely filing an
    appeal letter cites (`bot.services.appeal_letters`). One row per claim, source and date."""

    __tablename__ = "claim_acceptances"
    __table_args__ = (
        UniqueConstraint(
            "claim_number", "source", "accepted_on", name="uq_claim_acceptances_claim_source_day"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_number: Mapped[str] = mapped_column(String(), index=True)
    source: Mapped[str] = mapped_column(String())  # who said it, as written (`id:87726`)
    accepted_on: Mapped[date] = mapped_column(Date)
    import_id: Mapped[int] = mapped_column(ForeignKey("import_files.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
