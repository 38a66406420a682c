"""slack_receipts: each request Slack sends is handled once

Slack sends an event, command, click or form again when it did not get the acknowledgement in
time (an Events API retry over HTTP, a Socket Mode envelope redelivered after a connection
dropped with its acknowledgement in flight). One row per request, keyed by what stays the same
across those retries; the unique key decides which delivery is handled, on any replica. Rows
are deleted a day after they were received.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slack_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handled_by", sa.String(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("repeats", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_receipts")),
        sa.UniqueConstraint("key", name=op.f("uq_slack_receipts_key")),
    )
    op.create_index(
        op.f("ix_slack_receipts_received_at"), "slack_receipts", ["received_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_slack_receipts_received_at"), table_name="slack_receipts")
    op.drop_table("slack_receipts")
