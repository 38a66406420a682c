"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "import_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("imported_by", sa.String(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claims", sa.Integer(), nullable=False),
        sa.Column("denials", sa.Integer(), nullable=False),
        sa.Column("denied_amount", sa.BigInteger(), nullable=False),
        sa.Column("recovered", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("rejected_rows", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_files")),
        sa.UniqueConstraint("sha256", name=op.f("uq_import_files_sha256")),
    )
    op.create_table(
        "pattern_fixes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pattern_key", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pattern_fixes")),
    )
    with op.batch_alter_table("pattern_fixes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pattern_fixes_pattern_key"), ["pattern_key"], unique=False
        )

    op.create_table(
        "send_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("claimed_by", sa.String(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_send_claims")),
        sa.UniqueConstraint("kind", "key", name="uq_send_claims_kind_key"),
    )
    op.create_table(
        "provider_adjustments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.String(), nullable=False),
        sa.Column("fiscal_period", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("reference", sa.String(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["import_files.id"],
            name=op.f("fk_provider_adjustments_import_id_import_files"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_adjustments")),
    )
    with op.batch_alter_table("provider_adjustments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provider_adjustments_import_id"), ["import_id"], unique=False
        )

    op.create_table(
        "remittances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("payer_name", sa.String(), nullable=False),
        sa.Column("payer_id", sa.String(), nullable=True),
        sa.Column("check_number", sa.String(), nullable=True),
        sa.Column("payment_amount", sa.BigInteger(), nullable=True),
        sa.Column("production_date", sa.Date(), nullable=True),
        sa.Column("payment_date", sa.Date(), nullable=True),
        sa.Column("file_date", sa.Date(), nullable=True),
        sa.Column("report_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"], ["import_files.id"], name=op.f("fk_remittances_import_id_import_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remittances")),
    )
    with op.batch_alter_table("remittances", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_remittances_import_id"), ["import_id"], unique=False)

    op.create_table(
        "slack_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("pattern_key", sa.String(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=True),
        sa.Column("ts", sa.String(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=True),
        sa.Column("needs_update", sa.Boolean(), nullable=False),
        sa.Column("pending_notes", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"], ["import_files.id"], name=op.f("fk_slack_posts_import_id_import_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_posts")),
    )
    with op.batch_alter_table("slack_posts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_slack_posts_needs_update"), ["needs_update"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_slack_posts_status"), ["status"], unique=False)

    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("remittance_id", sa.Integer(), nullable=False),
        sa.Column("payer_key", sa.String(), nullable=False),
        sa.Column("claim_number", sa.String(), nullable=False),
        sa.Column("payer_claim_number", sa.String(), nullable=True),
        sa.Column("status_code", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("billed", sa.BigInteger(), nullable=False),
        sa.Column("paid", sa.BigInteger(), nullable=False),
        sa.Column("patient_responsibility", sa.BigInteger(), nullable=True),
        sa.Column("service_date", sa.Date(), nullable=True),
        sa.Column("notice_date", sa.Date(), nullable=False),
        sa.Column("rendering_npi", sa.String(), nullable=True),
        sa.Column("rendering_name", sa.String(), nullable=True),
        sa.Column("patient_name", sa.String(), nullable=True),
        sa.Column("member_id", sa.String(), nullable=True),
        sa.Column("original_reference", sa.String(), nullable=True),
        sa.Column("adjustments", sa.JSON(), nullable=False),
        sa.Column("remarks", sa.JSON(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("is_denied", sa.Boolean(), nullable=False),
        sa.Column("denied_amount", sa.BigInteger(), nullable=False),
        sa.Column("reversed_by_id", sa.Integer(), nullable=True),
        sa.Column("source_line", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"], ["import_files.id"], name=op.f("fk_claims_import_id_import_files")
        ),
        sa.ForeignKeyConstraint(
            ["remittance_id"], ["remittances.id"], name=op.f("fk_claims_remittance_id_remittances")
        ),
        sa.ForeignKeyConstraint(
            ["reversed_by_id"], ["claims.id"], name=op.f("fk_claims_reversed_by_id_claims")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claims_import_id"), ["import_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claims_notice_date"), ["notice_date"], unique=False)
        batch_op.create_index("ix_claims_payer_claim", ["payer_key", "claim_number"], unique=False)

    op.create_table(
        "denials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("claim_number", sa.String(), nullable=False),
        sa.Column("payer_claim_number", sa.String(), nullable=True),
        sa.Column("payer_key", sa.String(), nullable=False),
        sa.Column("payer_name", sa.String(), nullable=False),
        sa.Column("provider_npi", sa.String(), nullable=True),
        sa.Column("provider_name", sa.String(), nullable=True),
        sa.Column("service_date", sa.Date(), nullable=True),
        sa.Column("denial_date", sa.Date(), nullable=False),
        sa.Column("anchor_source", sa.String(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("deadline_kind", sa.String(), nullable=False),
        sa.Column("rule_key", sa.String(), nullable=False),
        sa.Column("cpts", sa.JSON(), nullable=False),
        sa.Column("carcs", sa.JSON(), nullable=False),
        sa.Column("rarcs", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("billed_amount", sa.BigInteger(), nullable=False),
        sa.Column("paid_amount", sa.BigInteger(), nullable=False),
        sa.Column("denied_amount", sa.BigInteger(), nullable=False),
        sa.Column("recovered_amount", sa.BigInteger(), nullable=True),
        sa.Column("suggested_category", sa.String(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("category_source", sa.String(), nullable=False),
        sa.Column("category_set_by", sa.String(), nullable=True),
        sa.Column("no_appeal_reason", sa.String(), nullable=True),
        sa.Column("patient_liable", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("assignee", sa.String(), nullable=True),
        sa.Column("pattern_key", sa.String(), nullable=False),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_denials_claim_id_claims")
        ),
        sa.ForeignKeyConstraint(
            ["import_id"], ["import_files.id"], name=op.f("fk_denials_import_id_import_files")
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["slack_posts.id"], name=op.f("fk_denials_post_id_slack_posts")
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by_id"], ["denials.id"], name=op.f("fk_denials_superseded_by_id_denials")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_denials")),
        sa.UniqueConstraint("claim_id", name=op.f("uq_denials_claim_id")),
    )
    with op.batch_alter_table("denials", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_denials_assignee"), ["assignee"], unique=False)
        batch_op.create_index(batch_op.f("ix_denials_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_denials_claim_number"), ["claim_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_denials_denial_date"), ["denial_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_denials_import_id"), ["import_id"], unique=False)
        batch_op.create_index("ix_denials_pattern", ["pattern_key", "denial_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_denials_post_id"), ["post_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_denials_status"), ["status"], unique=False)

    op.create_table(
        "appeals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("denial_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("level", sa.String(), nullable=False),
        sa.Column("method", sa.String(), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.Column("outcome_amount", sa.BigInteger(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("next_deadline", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["denial_id"], ["denials.id"], name=op.f("fk_appeals_denial_id_denials")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeals")),
    )
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appeals_denial_id"), ["denial_id"], unique=False)

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("denial_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["denial_id"], ["denials.id"], name=op.f("fk_audit_events_denial_id_denials")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_denial_id"), ["denial_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_denial_id"))

    op.drop_table("audit_events")
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appeals_denial_id"))

    op.drop_table("appeals")
    with op.batch_alter_table("denials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_denials_status"))
        batch_op.drop_index(batch_op.f("ix_denials_post_id"))
        batch_op.drop_index("ix_denials_pattern")
        batch_op.drop_index(batch_op.f("ix_denials_import_id"))
        batch_op.drop_index(batch_op.f("ix_denials_denial_date"))
        batch_op.drop_index(batch_op.f("ix_denials_claim_number"))
        batch_op.drop_index(batch_op.f("ix_denials_category"))
        batch_op.drop_index(batch_op.f("ix_denials_assignee"))

    op.drop_table("denials")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index("ix_claims_payer_claim")
        batch_op.drop_index(batch_op.f("ix_claims_notice_date"))
        batch_op.drop_index(batch_op.f("ix_claims_import_id"))

    op.drop_table("claims")
    with op.batch_alter_table("slack_posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_slack_posts_status"))
        batch_op.drop_index(batch_op.f("ix_slack_posts_needs_update"))

    op.drop_table("slack_posts")
    with op.batch_alter_table("remittances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_remittances_import_id"))

    op.drop_table("remittances")
    with op.batch_alter_table("provider_adjustments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_adjustments_import_id"))

    op.drop_table("provider_adjustments")
    op.drop_table("send_claims")
    with op.batch_alter_table("pattern_fixes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pattern_fixes_pattern_key"))

    op.drop_table("pattern_fixes")
    op.drop_table("import_files")
