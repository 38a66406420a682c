"""One exception tree: every refusal is a `DenialsError` of a kind a caller can tell apart, the
kinds are defined in one module, and none is used to steer ordinary control flow."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot import errors
from bot.errors import (
    ConflictError,
    DatabaseBusyError,
    DenialsError,
    InputError,
    NotAllowedError,
    SlackUnavailableError,
)
from bot.importers.csv_report import MissingColumnsError

BOT = Path(__file__).parents[2] / "bot"
KINDS = (InputError, ConflictError, NotAllowedError, SlackUnavailableError, DatabaseBusyError)
# The kinds defined beside their data: what the importer understood of a report, its bad rows.
ELSEWHERE = {
    "MissingColumnsError": "importers/csv_report.py",
    "BadRowsError": "importers/csv_report.py",
    "AboveBilledError": "domain/bounds.py",  # beside the bounds; its caller says how to confirm
}


def test_every_kind_is_a_denials_error_and_says_what_to_do_as_it_is() -> None:
    for kind in KINDS:
        assert issubclass(kind, DenialsError)
        assert str(kind("Reopen it from the ⋯ menu first.")) == "Reopen it from the ⋯ menu first."
    assert issubclass(MissingColumnsError, InputError)


@pytest.mark.parametrize(
    ("where", "said"),
    [
        ({"segment_number": 12, "segment_id": "CAS"}, "segment 12 (CAS): the amount is empty"),
        ({"segment_number": 3}, "segment 3: the amount is empty"),
        ({"line_number": 4}, "line 4: the amount is empty"),
        ({}, "the amount is empty"),
    ],
)
def test_refused_input_in_a_file_says_where(where: dict[str, int | str], said: str) -> None:
    refusal = InputError("the amount is empty", **where)  # type: ignore[arg-type]
    assert str(refusal) == refusal.describe() == said
    assert refusal.message == "the amount is empty"


def _exception_classes() -> dict[str, str]:
    """Every class under bot/ that derives from an exception, by name: its module."""
    found: dict[str, str] = {}
    for path in BOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(base, ast.Name) and base.id.endswith(("Error", "Exception"))
                for base in node.bases
            ):
                found[node.name] = path.relative_to(BOT).as_posix()
    return found


def test_the_tree_is_defined_in_one_module() -> None:
    defined = _exception_classes()
    outside = {name: where for name, where in defined.items() if where != "errors.py"}
    assert outside == ELSEWHERE
    tree = {name for name, value in vars(errors).items() if isinstance(value, type)}
    assert tree == {"DenialsError", *(kind.__name__ for kind in KINDS)}
