"""the identity of an adjudication: a fingerprint per claim (and per PLB adjustment)

An adjudication already stored is recognised whatever file, line ending or envelope brings it
again (bot.domain.identity): claims.fingerprint holds its identity and ix_claims_fingerprint
finds it while a file is imported. provider_adjustments.fingerprint does the same for PLB
adjustments. The claims stored before get their fingerprint from their row, exactly as an
import computes it from the row it writes (storage/bulk/claim_rows.py IDENTITY_COLUMNS: money
in cents, the JSON columns as their text, the remittance's dates and trace). Duplicates already
stored stay until `denials db dedupe` merges them; `denials db upgrade` says when there are.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.engine import Connection

from bot.domain.identity import fingerprint, remittance_parts

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def upgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fingerprint", sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f("ix_claims_fingerprint"), ["fingerprint"])
    with op.batch_alter_table("provider_adjustments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fingerprint", sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f("ix_provider_adjustments_fingerprint"), ["fingerprint"])
    _fingerprint_claims(op.get_bind())


def _fingerprint_claims(bind: Connection) -> None:
    """A page of claims at a time (keyset by id), so memory stays flat on a large database."""
    as_text = "CAST({} AS TEXT)" if bind.dialect.name == "postgresql" else "{}"
    json = ", ".join(as_text.format(f"c.{column}") for column in ("adjustments", "remarks", "lines"))
    page = sa.text(
        "SELECT c.id, c.claim_number, c.payer_claim_number, c.status_code, c.billed, "
        "c.paid, c.patient_responsibility, c.rendering_npi, c.patient_name, c.member_id, "
        f"{json}, r.production_date, r.payment_date, r.report_date, r.check_number "  # noqa: S608
        "FROM claims AS c JOIN remittances AS r ON r.id = c.remittance_id "
        "WHERE c.id > :after ORDER BY c.id LIMIT :size"
    )
    update = sa.text("UPDATE claims SET fingerprint = :print WHERE id = :id")
    after = 0
    while rows := bind.execute(page, {"after": after, "size": BATCH}).all():
        bind.execute(
            update,
            [
                {"id": row[0], "print": fingerprint(row[1:13], remittance_parts(*row[13:17]))}
                for row in rows
            ],
        )
        after = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("provider_adjustments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_adjustments_fingerprint"))
        batch_op.drop_column("fingerprint")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claims_fingerprint"))
        batch_op.drop_column("fingerprint")
