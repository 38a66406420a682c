"""prevention loop: a fix's owner and effective date; early-warning alerts

`pattern_fixes` gains `owner` and `effective_on` (a fix is measured from then; older fixes
from the day they were recorded); `pattern_alerts` holds each early warning and each fix's
"still recurring" alert, one per pattern and episode (bot/services/pattern_watch.py).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pattern_fixes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("effective_on", sa.Date(), nullable=True))
    op.create_table(
        "pattern_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("base", sa.String(), nullable=False),
        sa.Column("scope", sa.String(), nullable=False),
        sa.Column("trigger", sa.String(), nullable=False),
        sa.Column("fix_id", sa.Integer(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("denials", sa.Integer(), nullable=False),
        sa.Column("claims", sa.Integer(), nullable=False),
        sa.Column("dollars", sa.BigInteger(), nullable=False),
        sa.Column("baseline_denials", sa.Integer(), nullable=False),
        sa.Column("baseline_claims", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["fix_id"], ["pattern_fixes.id"], name=op.f("fk_pattern_alerts_fix_id_pattern_fixes")
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["import_files.id"],
            name=op.f("fk_pattern_alerts_import_id_import_files"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pattern_alerts")),
        sa.UniqueConstraint("key", name=op.f("uq_pattern_alerts_key")),
    )
    with op.batch_alter_table("pattern_alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pattern_alerts_base"), ["base"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pattern_alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pattern_alerts_base"))
    op.drop_table("pattern_alerts")
    with op.batch_alter_table("pattern_fixes", schema=None) as batch_op:
        batch_op.drop_column("effective_on")
        batch_op.drop_column("owner")
