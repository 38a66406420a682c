"""the payee of each remittance: the billing provider an appeal letter names

An 835 names its payee in N1*PE (the billing or pay-to provider), with the NPI in N104 when
N103 is XX. Appeal letters name the billing provider and its NPI beside the rendering one.
Remittances imported before this revision have neither: their letters leave marked blanks.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("remittances", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payee_name", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("payee_npi", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("remittances", schema=None) as batch_op:
        batch_op.drop_column("payee_npi")
        batch_op.drop_column("payee_name")
