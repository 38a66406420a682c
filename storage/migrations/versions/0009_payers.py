"""payers as an entity: one payer per payer id or name, with its aliases

Claims and denials pointed at their payer through a text key ("id:60054", "name:AETNA") and
denials carried the name as written, so `AETNA` and `Aetna`, or a remittance's id and a
report's name, were different payers in trends, patterns and cards. `payers` holds one row per
payer with its display name; `payer_aliases` the ids and names it is known by (case- and
punctuation-blind names, see bot.domain.payers). The payer_key (and payer_name) of claims,
denials, documentation requests and claim rejections become payer_id; what a file wrote stays
on remittances, requests and rejections as payer_name / payer_identifier (remittances) and
payer_identifier (the others). Repeat-pattern keys start with the payer ("p12|coding|16|NPI").

Existing rows are given payers the way an import finds them: by id, else by name, else a new
payer; remittances first, then requests and rejections, each in the order they were stored. The rules are written out
here rather than imported from storage.payers, so this migration keeps doing what it did when
that code changes; the key and display-name functions are the pure ones of bot.domain.payers.

SQLite recreates those tables to make payer_id NOT NULL with its foreign key; the
expression index ix_denials_claim_key does not survive that (SQLite cannot reflect it) and is
created again.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SAWarning

from bot.domain.payers import display_name, id_key, name_key

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PATTERN_TABLES = ("denials", "slack_posts", "pattern_fixes")
PAYER_TABLES = ("claims", "denials", "documentation_requests", "claim_rejections")
# Tables whose `payer_id` held the payer id as written: it becomes `payer_identifier`.
WRITTEN_ID_TABLES = ("remittances", "documentation_requests", "claim_rejections")


def upgrade() -> None:
    op.create_table(
        "payers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payers")),
    )
    op.create_table(
        "payer_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["payer_id"], ["payers.id"], name=op.f("fk_payer_aliases_payer_id_payers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payer_aliases")),
        sa.UniqueConstraint("kind", "key", name="uq_payer_aliases_kind_key"),
    )
    op.create_index(op.f("ix_payer_aliases_payer_id"), "payer_aliases", ["payer_id"])
    for table in WRITTEN_ID_TABLES:  # the payer id as written keeps its value, not its name
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("payer_id", new_column_name="payer_identifier")
    for table in PAYER_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("payer_id", sa.Integer(), nullable=True))

    _give_payers(op.get_bind())

    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index("ix_claims_payer_claim")
        batch_op.drop_column("payer_key")
        _payer_required(batch_op, "claims")
        batch_op.create_index("ix_claims_payer_claim", ["payer_id", "claim_number"])
    with _claim_key_index_dropped(), op.batch_alter_table("denials", schema=None) as batch_op:
        batch_op.drop_column("payer_key")
        batch_op.drop_column("payer_name")
        _payer_required(batch_op, "denials")
        batch_op.create_index(batch_op.f("ix_denials_payer_id"), ["payer_id"])
    for table in ("documentation_requests", "claim_rejections"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_claim")
            batch_op.drop_column("payer_key")
            batch_op.drop_column("payer_name")
            _payer_required(batch_op, table)
            batch_op.create_index(f"ix_{table}_claim", ["claim_number", "payer_id"])
    if op.get_bind().dialect.name == "sqlite":
        _claim_key_index()


def _payer_required(batch_op: BatchOperations, table: str) -> None:
    batch_op.alter_column("payer_id", existing_type=sa.Integer(), nullable=False)
    batch_op.create_foreign_key(f"fk_{table}_payer_id_payers", "payers", ["payer_id"], ["id"])


def _give_payers(bind: Connection) -> None:
    """A payer for every remittance, then every request and rejection of a 277 (found by id,
    else by name, else new); claims get their remittance's, denials their claim's; the
    repeat-pattern keys are rewritten from the old payer keys."""
    now = datetime.now(UTC)
    by_id: dict[str, int] = {}
    by_name: dict[str, int] = {}

    def payer_of(name: str | None, identifier: str | None) -> int:
        ident, key = id_key(identifier or ""), name_key(name or "")
        payer = (by_id.get(ident) if ident else None) or by_name.get(key)
        if payer is None:
            payer = _insert(bind, "payers", name=display_name(name or ""), created_at=now)
        if ident and ident not in by_id:
            by_id[ident] = payer
            _insert(bind, "payer_aliases", payer_id=payer, kind="id", key=ident, text=identifier)
        if key not in by_name:
            by_name[key] = payer
            text = " ".join((name or "").split())
            _insert(bind, "payer_aliases", payer_id=payer, kind="name", key=key, text=text)
        return payer

    for table, owner in (
        ("remittances", "remittance_id"),
        ("documentation_requests", "id"),
        ("claim_rejections", "id"),
    ):
        rows = bind.execute(
            sa.text(f"SELECT id, payer_name, payer_identifier FROM {table} ORDER BY id")  # noqa: S608
        ).all()
        target = "claims" if table == "remittances" else table
        updates = [{"payer": payer_of(name, ident), "row": row} for row, name, ident in rows]
        if updates:
            bind.execute(
                sa.text(f"UPDATE {target} SET payer_id = :payer WHERE {owner} = :row"),  # noqa: S608
                updates,
            )
    bind.execute(
        sa.text(
            "UPDATE denials SET payer_id = "
            "(SELECT claims.payer_id FROM claims WHERE claims.id = denials.claim_id)"
        )
    )
    old_keys = bind.execute(sa.text("SELECT DISTINCT payer_key, payer_id FROM claims")).all()
    for old, payer in old_keys:
        _rename_patterns(bind, old + "|", f"p{payer}|")


def _insert(bind: Connection, table: str, **values: object) -> int:
    columns = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    statement = sa.text(f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id")  # noqa: S608
    return int(bind.execute(statement, values).scalar_one())


def _rename_patterns(bind: Connection, old: str, new: str) -> None:
    for table in PATTERN_TABLES:
        bind.execute(
            sa.text(
                f"UPDATE {table} SET pattern_key = :new || substr(pattern_key, :rest) "  # noqa: S608
                "WHERE substr(pattern_key, 1, :length) = :old"
            ),
            {"new": new, "old": old, "rest": len(old) + 1, "length": len(old)},
        )


@contextmanager
def _claim_key_index_dropped() -> Iterator[None]:
    """SQLite's table rebuild leaves out ix_denials_claim_key (created again after it), and
    SQLAlchemy warns that it could not read it: expected here."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", SAWarning)
        yield


def _claim_key_index() -> None:
    op.create_index(
        "ix_denials_claim_key",
        "denials",
        [sa.func.upper(sa.column("claim_number")).label("claim_key")],
        unique=False,
        postgresql_ops={"claim_key": "text_pattern_ops"},
    )


def downgrade() -> None:
    """Back to text payer keys (the id alias when the payer has one, else its name) and names."""
    bind = op.get_bind()
    for table in PAYER_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("payer_key", sa.String(), nullable=True))
            if table != "claims":
                batch_op.add_column(sa.Column("payer_name", sa.String(), nullable=True))
    payers = bind.execute(sa.text("SELECT id, name FROM payers")).all()
    for payer, name in payers:
        ident = bind.execute(
            sa.text(
                "SELECT key FROM payer_aliases WHERE payer_id = :p AND kind = 'id' ORDER BY id"
            ),
            {"p": payer},
        ).scalar()
        key = f"id:{ident}" if ident else "name:" + " ".join(name.upper().split())
        for table in PAYER_TABLES:
            named = "" if table == "claims" else ", payer_name = :name"
            bind.execute(
                sa.text(f"UPDATE {table} SET payer_key = :key{named} WHERE payer_id = :p"),  # noqa: S608
                {"key": key, "name": name, "p": payer},
            )
        _rename_patterns(bind, f"p{payer}|", key + "|")
    for table in PAYER_TABLES:
        with (
            _claim_key_index_dropped(),
            op.batch_alter_table(table, schema=None) as batch_op,
        ):
            index = {
                "claims": "ix_claims_payer_claim",
                "denials": "ix_denials_payer_id",
            }.get(table, f"ix_{table}_claim")
            batch_op.drop_index(index)
            batch_op.drop_constraint(f"fk_{table}_payer_id_payers", type_="foreignkey")
            batch_op.drop_column("payer_id")
            batch_op.alter_column("payer_key", existing_type=sa.String(), nullable=False)
            if table != "claims":
                batch_op.alter_column("payer_name", existing_type=sa.String(), nullable=False)
            if table == "claims":
                batch_op.create_index(index, ["payer_key", "claim_number"])
            elif table != "denials":
                batch_op.create_index(index, ["claim_number", "payer_key"])
    for table in WRITTEN_ID_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("payer_identifier", new_column_name="payer_id")
    op.drop_index(op.f("ix_payer_aliases_payer_id"), table_name="payer_aliases")
    op.drop_table("payer_aliases")
    op.drop_table("payers")
    if bind.dialect.name == "sqlite":
        _claim_key_index()
