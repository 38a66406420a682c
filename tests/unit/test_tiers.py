"""The test tiers stay apart: unit tests touch no database and no network, integration tests
use the database (and the Slack stand-in in tests/support), only end-to-end tests drive the
real app; the stand-in is shared support, not part of the end-to-end tier."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parents[1]


def imported(folder: str) -> dict[str, set[str]]:
    """Each test module of `folder` and the modules it imports."""
    found: dict[str, set[str]] = {}
    for path in sorted((TESTS / folder).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[path.relative_to(TESTS).as_posix()] = names
    return found


def test_integration_and_unit_tests_import_nothing_of_the_end_to_end_tier() -> None:
    for folder in ("unit", "integration", "support"):
        wrong = {
            module: sorted(name for name in names if name.startswith("tests.e2e"))
            for module, names in imported(folder).items()
        }
        assert {module: names for module, names in wrong.items() if names} == {}


DATABASE_OR_SLACK = {"engine", "migrated_engine", "sessions", "database_url", "slack", "bot"}


def test_unit_tests_start_no_database_and_no_slack_stand_in() -> None:
    wrong = {
        module: sorted(
            name for name in names if name.startswith(("storage.db", "tests.support.slack"))
        )
        for module, names in imported("unit").items()
    }
    assert {module: names for module, names in wrong.items() if names} == {}
    for path in sorted((TESTS / "unit").rglob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                asked = {arg.arg for arg in node.args.args} & DATABASE_OR_SLACK
                assert not asked, f"{path.name}::{node.name} asks for {sorted(asked)}"
