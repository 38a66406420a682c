"""The Alembic migrations build exactly the schema the models describe, on either database."""

from __future__ import annotations

import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from storage.models import Base


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
