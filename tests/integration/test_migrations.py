"""The Alembic migrations build exactly the schema the models describe, on either database."""

from __future__ import annotations

import importlib
import secrets
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.domain.rulebook import Rulebook
from bot.services.importing import ImportContext, import_file
from storage.db import make_engine, upgrade
from storage.models import Base
from tests.conftest import DATA
from tests.support.databases import postgres_database


# SQLite cannot reflect an expression index (ix_denials_claim_key): Alembic leaves it out of the
# comparison and warns. tests/integration/test_lookup_and_due_queries.py checks it is there.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_the_migrated_database_matches_the_models(migrated_engine: Engine) -> None:
    with migrated_engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_revision_ids_are_the_file_numbers_and_form_one_chain() -> None:
    """`upgrade` trusts this to tell that a database is up to date without loading Alembic."""
    from alembic.script import ScriptDirectory

    from storage.db import MIGRATIONS, REVISION_FILES, alembic_config, head_revision

    files = sorted((MIGRATIONS / "versions").glob(REVISION_FILES))
    numbers = [path.name[:4] for path in files]
    scripts = ScriptDirectory.from_config(alembic_config(None))  # type: ignore[arg-type]
    chain = [(s.revision, s.down_revision) for s in scripts.walk_revisions()][::-1]
    assert chain == list(zip(numbers, [None, *numbers[:-1]], strict=True))
    assert scripts.get_heads() == [head_revision()] == [numbers[-1]]


def test_an_up_to_date_database_starts_without_alembic(migrated_engine: Engine) -> None:
    code = (
        "import sys\n"
        "from storage.db import make_engine, upgrade\n"
        "engine = make_engine(sys.argv[1])\n"
        "upgrade(engine)\n"
        "engine.dispose()\n"
        "assert 'alembic' not in sys.modules, 'Alembic was loaded'\n"
    )
    url = migrated_engine.url.render_as_string(hide_password=False)
    subprocess.run([sys.executable, "-c", code, url], check=True, timeout=60)


# -- migrating a database with rows in it -----------------------------------------------------


@pytest.fixture
def fresh_engine(database_url: str, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of its own (SQLite file, or a new PostgreSQL database)."""
    if database_url.startswith("sqlite"):
        engine = make_engine(f"sqlite:///{tmp_path / 'legacy.db'}")
        yield engine
        engine.dispose()
        return
    with postgres_database(database_url, f"legacy_{secrets.token_hex(4)}") as url:
        engine = make_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()


def _legacy_rows(connection: Connection) -> None:
    """What an import before payers (migration 0003) stored: text payer keys and names."""
    now = datetime(2026, 11, 1, tzinfo=UTC)
    connection.execute(
        text(
            "INSERT INTO import_files (id, file_name, sha256, source, imported_by, imported_at, "
            "claims, denials, denied_amount, recovered, warnings, rejected_rows) VALUES "
            "(1, 'a.835', 'a', '835', 'cli', :now, 3, 3, 30000, 0, '[]', '[]')"
        ),
        {"now": now},
    )
    remittances = [(1, "AETNA", "60054"), (2, "Aetna", None), (3, "CIGNA", "62308")]
    for rid, name, ident in remittances:
        connection.execute(
            text(
                "INSERT INTO remittances (id, import_id, payer_name, payer_id) "
                "VALUES (:id, 1, :name, :ident)"
            ),
            {"id": rid, "name": name, "ident": ident},
        )
    keys = {1: "id:60054", 2: "name:AETNA", 3: "id:62308"}
    for claim in (1, 2, 3):
        connection.execute(
            text(
                "INSERT INTO claims (id, import_id, remittance_id, payer_key, claim_number, "
                "status_code, kind, billed, paid, notice_date, adjustments, remarks, lines, "
                "is_denied, denied_amount) VALUES (:id, 1, :id, :key, :number, '1', "
                "'adjudicated', 10000, 0, '2026-10-15', '[]', '[]', '[]', :yes, 10000)"
            ),
            {"id": claim, "key": keys[claim], "number": f"C{claim}", "yes": True},
        )
        connection.execute(
            text(
                "INSERT INTO slack_posts (id, kind, pattern_key, status, attempts, needs_update, "
                "pending_notes, version, created_at) VALUES (:id, 'card', :pattern, 'posted', 0, "
                ":no, '[]', 1, :now)"
            ),
            {
                "id": claim,
                "pattern": f"{keys[claim]}|authorization|CO-197|1",
                "no": False,
                "now": now,
            },
        )
        connection.execute(
            text(
                "INSERT INTO denials (id, claim_id, import_id, post_id, claim_number, payer_key, "
                "payer_name, denial_date, anchor_source, deadline_kind, rule_key, cpts, carcs, "
                "rarcs, reasons, explanation, billed_amount, paid_amount, denied_amount, "
                "suggested_category, category, category_source, patient_liable, status, closed, "
                "pattern_key, version, created_at, updated_at) VALUES (:id, :id, 1, :id, :number, "
                ":key, :name, '2026-10-15', 'dtm405', 'appeal', 'default', '[]', '[\"CO-197\"]', "
                "'[]', '[]', '', 10000, 0, 10000, 'authorization', 'authorization', 'auto', :no, "
                "'new', :no, :pattern, 1, :now, :now)"
            ),
            {
                "id": claim,
                "number": f"C{claim}",
                "key": keys[claim],
                "name": remittances[claim - 1][1],
                "pattern": f"{keys[claim]}|authorization|CO-197|1",
                "no": False,
                "now": now,
            },
        )
    connection.execute(
        text(
            "INSERT INTO pattern_fixes (pattern_key, note, recorded_by, recorded_at) "
            "VALUES ('name:AETNA|authorization|CO-197|1', 'call first', 'slack:T:U', :now)"
        ),
        {"now": now},
    )


def _legacy_277_rows(connection: Connection) -> None:
    """A records request and a rejection as the 277 import stored them before payers."""
    now = datetime(2026, 11, 2, tzinfo=UTC)
    common = {"now": now, "no": False, "day": "2026-11-02"}
    connection.execute(
        text(
            "INSERT INTO documentation_requests (id, identity, merged_identities, origin, "
            "payer_key, payer_name, payer_id, claim_number, asks, received_on, due_date, "
            "due_source, due_note, rule_key, follow_up, status, closed, attachments, created_by, "
            "version, created_at, updated_at) VALUES (1, 'request:1', '[]', '277RFAI', "
            "'name:AETNA INC', 'Aetna, Inc', NULL, 'C1', '[]', :day, :day, 'rule', '', 'default', "
            ":no, 'requested', :no, '[]', 'importer', 1, :now, :now)"
        ),
        common,
    )
    connection.execute(
        text(
            "INSERT INTO claim_rejections (id, identity, merged_identities, origin, level, "
            "payer_key, payer_name, payer_id, from_clearinghouse, claim_number, reasons, "
            "received_on, resubmit_by, due_source, due_note, rule_key, status, closed, version, "
            "created_at, updated_at) VALUES (1, 'rejection:1', '[]', '277CA', 'claim', "
            "'id:62308', 'CIGNA HEALTHCARE', '62308', :no, 'C3', '[]', :day, :day, 'rule', '', "
            "'default', 'new', :no, 1, :now, :now)"
        ),
        common,
    )


def test_payers_are_given_to_the_rows_of_an_older_database(fresh_engine: Engine) -> None:
    upgrade(fresh_engine, "0008")  # the last revision with text payer keys
    with fresh_engine.begin() as connection:
        _legacy_rows(connection)
        _legacy_277_rows(connection)

    upgrade(fresh_engine)

    with fresh_engine.connect() as connection:
        payers = connection.execute(text("SELECT id, name FROM payers ORDER BY id")).all()
        aliases = connection.execute(
            text("SELECT payer_id, kind, key, text FROM payer_aliases ORDER BY id")
        ).all()
        claims = connection.execute(text("SELECT id, payer_id FROM claims ORDER BY id")).all()
        denials = connection.execute(
            text("SELECT id, payer_id, pattern_key FROM denials ORDER BY id")
        ).all()
        fixes = connection.execute(text("SELECT pattern_key FROM pattern_fixes")).scalars().all()
        posts = connection.execute(text("SELECT pattern_key FROM slack_posts ORDER BY id")).all()
        identifiers = (
            connection.execute(text("SELECT payer_identifier FROM remittances ORDER BY id"))
            .scalars()
            .all()
        )
        request = connection.execute(
            text("SELECT payer_id, payer_identifier FROM documentation_requests")
        ).one()
        rejection = connection.execute(
            text("SELECT payer_id, payer_identifier FROM claim_rejections")
        ).one()
    assert [tuple(p) for p in payers] == [(1, "Aetna"), (2, "Cigna"), (3, "Aetna, Inc")]
    assert [tuple(a) for a in aliases] == [
        (1, "id", "60054", "60054"),
        (1, "name", "aetna", "AETNA"),
        (2, "id", "62308", "62308"),
        (2, "name", "cigna", "CIGNA"),
        (3, "name", "aetna inc", "Aetna, Inc"),  # another spelling: `denials payers merge`
        (2, "name", "cigna healthcare", "CIGNA HEALTHCARE"),  # found by its id
    ]
    assert [tuple(c) for c in claims] == [(1, 1), (2, 1), (3, 2)]  # AETNA and Aetna: one payer
    assert [tuple(d) for d in denials] == [
        (1, 1, "p1|authorization|CO-197|1"),
        (2, 1, "p1|authorization|CO-197|1"),
        (3, 2, "p2|authorization|CO-197|1"),
    ]
    assert fixes == ["p1|authorization|CO-197|1"]
    assert [p[0] for p in posts] == [d[2] for d in denials]
    assert identifiers == ["60054", None, "62308"]
    assert (tuple(request), tuple(rejection)) == ((3, None), (2, "62308"))


def test_claims_stored_before_fingerprints_get_the_ones_an_import_gives(
    engine: Engine, sessions: sessionmaker[Session], rulebook: Rulebook, clock: Clock
) -> None:
    """Migration 0010 computes each stored claim's identity from its row: it must be the one
    the import computed from the file, or `denials db dedupe` and re-sent files would miss."""
    context = ImportContext(
        sessions=sessions, rulebook=rulebook, actor="cli:test", now=clock.now(), today=clock.today()
    )
    for name in (
        "synthetic/synth_1k.835",
        "lfh_secondary-payment.835",
        "pyx12_835_simple_4010.txt",
    ):
        assert import_file(DATA / "x12" / name, context).status == "imported"
    assert import_file(DATA / "csv" / "drchrono_line_item_transactions.csv", context).ok
    with engine.begin() as connection:
        imported = dict(connection.execute(text("SELECT id, fingerprint FROM claims")).all())
        connection.execute(text("UPDATE claims SET fingerprint = NULL"))
        backfill = importlib.import_module("storage.migrations.versions.0010_adjudication_identity")
        backfill._fingerprint_claims(connection)
        migrated = dict(connection.execute(text("SELECT id, fingerprint FROM claims")).all())
    assert len(imported) > 1000
    assert None not in imported.values()
    assert migrated == imported
