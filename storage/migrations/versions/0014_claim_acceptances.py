"""claim acceptances: the day a 277CA or 277 said a claim went into adjudication

`claim_acceptances` keeps each acceptance by the practice's claim number and who said it, so
that a timely-filing appeal letter can cite the clearinghouse's acceptance date.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "claim_acceptances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_number", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("accepted_on", sa.Date(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["import_files.id"],
            name=op.f("fk_claim_acceptances_import_id_import_files"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_acceptances")),
        sa.UniqueConstraint(
            "claim_number", "source", "accepted_on", name="uq_claim_acceptances_claim_source_day"
        ),
    )
    with op.batch_alter_table("claim_acceptances", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_claim_acceptances_claim_number"), ["claim_number"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("claim_acceptances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_acceptances_claim_number"))
    op.drop_table("claim_acceptances")
