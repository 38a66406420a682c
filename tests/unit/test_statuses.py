"""Denial statuses: one enum, its sets defined once, and nothing else spelling a status list."""

from __future__ import annotations

import re
from pathlib import Path

from bot.domain.statuses import (
    ACTIONABLE,
    CLOSED,
    COUNTED,
    OPEN,
    REOPENABLE,
    WAITING_FOR_PAYER,
    DenialStatus,
)

BOT = Path(__file__).parents[2] / "bot"


def test_every_status_is_open_or_closed_never_both() -> None:
    assert frozenset(DenialStatus) == OPEN | CLOSED
    assert not OPEN & CLOSED
    assert ACTIONABLE | WAITING_FOR_PAYER == OPEN
    assert DenialStatus.SUPERSEDED in CLOSED
    assert DenialStatus.SUPERSEDED not in COUNTED
    assert DenialStatus.SUPERSEDED not in REOPENABLE
    assert {DenialStatus.NEW, DenialStatus.IN_PROGRESS} == ACTIONABLE


def test_statuses_compare_as_the_stored_text() -> None:
    assert "in_progress" in ACTIONABLE
    assert DenialStatus("written_off").label == "Written off"
    assert DenialStatus.RECOVERED.is_closed


def test_no_module_spells_a_status_list_of_its_own() -> None:
    """Seven hand-written lists disagreed on `superseded`; the sets live in one module."""
    names = "|".join(s.value for s in DenialStatus if s is not DenialStatus.NEW)
    literal = re.compile(rf"""["']({names})["']""")
    spelled = [
        f"{path.relative_to(BOT)}:{number}"
        for path in BOT.rglob("*.py")
        if path.name != "statuses.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if literal.search(line)
    ]
    assert spelled == []
