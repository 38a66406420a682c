"""`lookup_claim` and `due_view` against the database: what they answer, and that they answer it
from indexes (ix_denials_claim_key, ix_denials_due, ix_denials_due_assignee) on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, event, select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.domain.rulebook import Rulebook
from bot.domain.statuses import ACTIONABLE
from bot.domain.urgency import LAPSED_AFTER_DAYS, urgency
from bot.services.claim_search import Lookup, lookup_claim
from bot.services.due import DueFilter, due_view
from bot.services.importing import ImportContext, import_file
from storage.models import Denial
from tests.support.x835 import denied, make_835

TODAY = date(2026, 11, 30)
MARIA, JAMES = "UMARIA", "UJAMES"


@pytest.fixture
def context(sessions: sessionmaker[Session], rulebook: Rulebook, clock: Clock) -> ImportContext:
    return ImportContext(
        sessions=sessions, rulebook=rulebook, actor="cli:test", now=clock.now(), today=clock.today()
    )


def remit(context: ImportContext, *numbers: str) -> None:
    claims = [denied(number, amount=str(10 + i)) for i, number in enumerate(numbers)]
    assert import_file(make_835(claims), context).status == "imported"


def find(sessions: sessionmaker[Session], asked: str) -> Lookup:
    return lookup_claim(sessions, asked)


def similar(found: Lookup) -> list[str]:
    return [match.claim_number for match in found.similar]


# -- /denials find: case ---------------------------------------------------------------------


def test_claim_numbers_stored_in_lower_case_are_found_typed_in_any_case(
    context: ImportContext, sessions: sessionmaker[Session]
) -> None:
    remit(context, "abc-88001", "abc-88007")

    assert [m.claim_number for m in find(sessions, "ABC-88001").matches] == ["abc-88001"]
    starting = find(sessions, "aBC-880")
    assert (similar(starting), starting.hint) == (["abc-88001", "abc-88007"], "aBC-880")
    mistyped = find(sessions, "ABC-8800X")
    assert (similar(mistyped), mistyped.hint) == (["abc-88001", "abc-88007"], "ABC-8800")


def test_the_case_typed_wins_when_it_matches_exactly(
    context: ImportContext, sessions: sessionmaker[Session]
) -> None:
    remit(context, "ab12", "AB12")

    assert [m.claim_number for m in find(sessions, "ab12").matches] == ["ab12"]
    assert [m.claim_number for m in find(sessions, "Ab12").matches] == ["AB12", "ab12"]


def test_claim_numbers_that_start_alike_are_listed_whatever_their_case(
    context: ImportContext, sessions: sessionmaker[Session]
) -> None:
    # Listed as if in capitals (the index's order), so case does not split the list.
    remit(context, "ABC-2", "abc-1", "ABC-3")
    assert similar(find(sessions, "abc-")) == ["abc-1", "ABC-2", "ABC-3"]


def test_a_prefix_ending_in_the_last_code_point_still_finds_its_claims(
    context: ImportContext, sessions: sessionmaker[Session]
) -> None:
    remit(context, "ZZ\U0010ffff7", "ZZ\U0010ffff8", "ZZA")
    assert similar(find(sessions, "zz\U0010ffff")) == ["ZZ\U0010ffff7", "ZZ\U0010ffff8"]


# -- /denials find: the closest --------------------------------------------------------------


def test_the_closest_claim_number_is_found_among_thousands_that_start_alike(
    context: ImportContext, sessions: sessionmaker[Session]
) -> None:
    # Once only the first 2,000 claim numbers starting like the first half were compared.
    remit(context, *(f"Q{n:07d}" for n in range(1, 2101)))

    found = find(sessions, "Q000210X")

    assert (similar(found), found.hint) == (["Q0002100"], "Q000210")


def test_superseded_denials_are_offered_only_when_nothing_else_is_close(
    context: ImportContext, sessions: sessionmaker[Session]
) -> None:
    remit(context, "ZX-1001", "ZX-1002", "ZX-2001")
    with sessions.begin() as session:
        for denial in session.scalars(select(Denial).where(Denial.claim_number != "ZX-1002")):
            denial.status = "superseded"

    assert similar(find(sessions, "ZX-100Q")) == ["ZX-1002"]
    assert similar(find(sessions, "ZX-200Q")) == ["ZX-2001"]


# -- every step from an index ----------------------------------------------------------------


@contextmanager
def statements(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """The SELECTs run meanwhile, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def record(_c: Connection, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def whole_reads(connection: Connection, statement: str, parameters: Any) -> list[str]:
    """How the plan reads denials without an index condition (none, when all is well)."""
    if connection.dialect.name == "sqlite":
        plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        return [row[3] for row in plan if row[3].startswith("SCAN denials")]
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")  # tiny tables: seq scans win
    (tree,) = connection.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).one()
    nodes, found = [tree[0]["Plan"]], []
    while nodes:
        node = nodes.pop()
        nodes += node.get("Plans", [])
        if node.get("Relation Name", "denials") != "denials":
            continue
        if node["Node Type"] == "Seq Scan" or ("Index Name" in node and "Index Cond" not in node):
            found.append(f"{node['Node Type']} {node.get('Index Name', '')}")
    return found


def test_no_lookup_step_reads_every_denial(
    context: ImportContext, sessions: sessionmaker[Session], engine: Engine
) -> None:
    remit(context, "5101Z88001", "5101Z88007", "abc-1")
    typed = ["5101Z88001", "5101z88001", "5101Z88", "5101Z8800X", "ABC-", "ZZZ-404", "D-1", "1"]

    with statements(engine) as seen:
        for asked in typed:
            find(sessions, asked)

    assert len(seen) > len(typed)
    with engine.connect() as connection, connection.begin():
        reads = {s: whole_reads(connection, s, p) for s, p in seen}
    assert {s: r for s, r in reads.items() if r} == {}


def test_no_due_step_reads_every_open_denial(
    context: ImportContext, sessions: sessionmaker[Session], engine: Engine
) -> None:
    remit(context, "D1", "D2", "D3")
    asked = [DueFilter(), DueFilter(assignee=MARIA), DueFilter(unassigned=True)]

    with statements(engine) as seen:
        for who in asked:
            due_view(sessions, today=TODAY, days=14, who=who)

    with engine.connect() as connection, connection.begin():
        reads = {s: whole_reads(connection, s, p) + sorted_reads(connection, s, p) for s, p in seen}
    assert {s: r for s, r in reads.items() if r} == {}


def sorted_reads(connection: Connection, statement: str, parameters: Any) -> list[str]:
    """Reads of denials that SQLite sorts whole (a LIMIT then cannot stop them early)."""
    if connection.dialect.name != "sqlite":
        return []  # PostgreSQL's plans depend on its statistics
    plan = list(connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters))
    found = []
    for parent in {row[1] for row in plan}:
        steps = [row[3] for row in plan if row[1] == parent]
        if "USE TEMP B-TREE FOR ORDER BY" in steps:
            found += [step for step in steps if step.startswith(("SEARCH denials", "SCAN denials"))]
    return found


# -- /denials due ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """Where one imported denial is put: spread over both sides of today, the statuses, the
    people; some closed, some with no deadline; many sharing a deadline."""

    index: int

    @property
    def deadline(self) -> date | None:
        return None if self.index % 13 == 0 else TODAY + timedelta(days=self.index * 7 % 61 - 40)

    @property
    def status(self) -> str:
        return ("new", "in_progress", "appealed", "new", "in_progress")[self.index % 5]

    @property
    def assignee(self) -> str | None:
        return (MARIA, None, JAMES, MARIA)[self.index % 4]

    @property
    def closed(self) -> bool:
        return self.index % 11 == 0


def test_due_counts_every_due_denial_and_shows_the_first_by_deadline(
    context: ImportContext, sessions: sessionmaker[Session]
) -> None:
    remit(context, *(f"DUE{i:03d}" for i in range(160)))
    with sessions.begin() as session:
        for i, denial in enumerate(session.scalars(select(Denial).order_by(Denial.id))):
            shape = Shape(i)
            denial.deadline, denial.status = shape.deadline, shape.status
            denial.assignee, denial.closed = shape.assignee, shape.closed

    for who in (DueFilter(), DueFilter(assignee=MARIA), DueFilter(unassigned=True)):
        for days in (0, 14, 60):
            view = due_view(sessions, today=TODAY, days=days, who=who)
            with sessions() as session:
                expected, lapsed = _due_by_hand(session, days, who)
            assert view.count == len(expected), (who, days)
            assert view.total_amount == sum((d.denied_amount for d in expected), Decimal("0.00"))
            assert view.overdue_count == sum(1 for d in expected if (d.deadline or TODAY) < TODAY)
            assert (view.lapsed.count if view.lapsed else 0) == len(lapsed)
            # every listed denial is on a row (a grouped card's as one), urgent first
            shown = sum(max(row.group_count, 1) for row in view.rows)
            assert shown == len(expected), (who, days)
            keys = [urgency(row.days_left) for row in view.rows]
            assert keys == sorted(keys)
            bands = {band.band: band.count for band in view.bands}
            assert sum(bands.values()) == len(expected)


def _due_by_hand(session: Session, days: int, who: DueFilter) -> tuple[list[Denial], list[Denial]]:
    """The denials listed, by deadline, and those lapsed (past every window)."""

    def wanted(denial: Denial) -> bool:
        if who.assignee and denial.assignee != who.assignee:
            return False
        if who.unassigned and denial.assignee is not None:
            return False
        return denial.status in ACTIONABLE and not denial.closed

    until = TODAY + timedelta(days=days)
    first = TODAY - timedelta(days=LAPSED_AFTER_DAYS)
    due = [
        d
        for d in session.scalars(select(Denial))
        if wanted(d) and d.deadline is not None and first <= d.deadline <= until
    ]
    lapsed = [
        d
        for d in session.scalars(select(Denial))
        if wanted(d) and d.deadline is not None and d.deadline < first
    ]
    return sorted(due, key=lambda d: (d.deadline or TODAY, d.id)), lapsed


def test_nothing_due_totals_zero_dollars(sessions: sessionmaker[Session]) -> None:
    view = due_view(sessions, today=TODAY, days=14)
    assert (view.count, view.total_amount, view.overdue_count, view.rows) == (
        0,
        Decimal("0.00"),
        0,
        (),
    )


def test_the_lookup_index_is_on_capitals_and_pattern_ops_on_postgresql(engine: Engine) -> None:
    # Alembic cannot compare an expression index on SQLite: this says it is there.
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            sql = "SELECT sql FROM sqlite_master WHERE name = 'ix_denials_claim_key'"
            expected = "CREATE INDEX ix_denials_claim_key ON denials (upper(claim_number))"
        else:
            sql = "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_denials_claim_key'"
            expected = (
                "CREATE INDEX ix_denials_claim_key ON public.denials "
                "USING btree (upper((claim_number)::text) text_pattern_ops)"
            )
        assert connection.execute(text(sql)).scalar_one() == expected
