"""cards that stay true: slack_posts.shown_hash and slack_posts.permalink

`shown_hash` is a digest of what the card last showed in Slack (text and blocks): the daily
refresh rebuilds open cards as of the new day and edits only those whose digest changed
(bot/services/card_refresh.py). `permalink` is the card's link (chat.getPermalink), so lists,
DMs and App Home rows can link to the card itself (bot/services/card_links.py).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("slack_posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shown_hash", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("permalink", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("slack_posts", schema=None) as batch_op:
        batch_op.drop_column("permalink")
        batch_op.drop_column("shown_hash")
