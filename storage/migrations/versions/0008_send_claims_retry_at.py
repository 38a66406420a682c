"""send claims know when they may be tried again, and whether Slack may have the message

A message whose send failed goes back to `retry` (Slack did not take it) or `unsure` (its
answer was lost, late or a server error: Slack may have posted it, so it is looked for before
it is sent again), either one to be claimed again from `retry_at` on. Before this revision a
failed claim waited out the five-minute stale rule, and a lost answer was re-sent unseen.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("send_claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_send_claims_status_retry_at", ["status", "retry_at"])


def downgrade() -> None:
    with op.batch_alter_table("send_claims", schema=None) as batch_op:
        batch_op.drop_index("ix_send_claims_status_retry_at")
        batch_op.drop_column("retry_at")
