"""indexes for /denials find in any case and /denials due for one person

`/denials find` matches claim numbers whatever their case, and offers the ones that start like
what was typed. `upper(claim_number) = …` and `lower(claim_number) LIKE 'PREFIX%'` read the
whole table: on a million denials a mistyped claim number took about half a second.
ix_denials_claim_key indexes upper(claim_number); SQLite answers equality and a prefix range
from it, PostgreSQL equality and LIKE 'PREFIX%' (text_pattern_ops, so whatever the database's
collation). SQLite cannot reflect an expression index: a later batch migration that recreates
the denials table must create this one again.

`/denials due mine` (or @user, unassigned) read every due denial of the office from
ix_denials_due to keep one person's. ix_denials_due_assignee is the same partial covering index
of the open denials led by the assignee.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("denials", schema=None) as batch_op:
        batch_op.create_index(
            "ix_denials_due_assignee",
            ["assignee", "status", "deadline", "denied_amount", "closed"],
            unique=False,
            sqlite_where=sa.text("closed IS 0"),
            postgresql_where=sa.text("closed IS false"),
        )
    op.create_index(
        "ix_denials_claim_key",
        "denials",
        [sa.func.upper(sa.column("claim_number")).label("claim_key")],
        unique=False,
        postgresql_ops={"claim_key": "text_pattern_ops"},
    )


def downgrade() -> None:
    op.drop_index("ix_denials_claim_key", table_name="denials")
    with op.batch_alter_table("denials", schema=None) as batch_op:
        batch_op.drop_index("ix_denials_due_assignee")
