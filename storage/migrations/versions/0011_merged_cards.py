"""a card merged into another: slack_posts.replaced_by_id

`denials db dedupe` merges an adjudication stored twice; when both of its denials had a card
in Slack, the duplicate's card is rebuilt to say the denial is tracked on the other one
(storage/dedupe.py).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("slack_posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replaced_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_slack_posts_replaced_by_id_slack_posts"),
            "slack_posts",
            ["replaced_by_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("slack_posts", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_slack_posts_replaced_by_id_slack_posts"), type_="foreignkey"
        )
        batch_op.drop_column("replaced_by_id")
