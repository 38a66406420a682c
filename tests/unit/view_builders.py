"""Small builders of view models with sensible defaults, for the Block Kit tests.

All data is synthetic: claim numbers, NPIs and names are made up.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from bot.blocks.views import (
    DenialView,
    DueRow,
    DueView,
    GroupView,
    HomeView,
    ReasonView,
    TeamSummary,
)
from bot.blocks.work_views import WorkRow
from bot.domain.findings import DeadlineKind, RootCause
from bot.domain.measures import Amount, Measures

TODAY = date(2026, 11, 28)

CO_197 = ReasonView("CO-197", "Precertification/authorization absent")
N54 = ReasonView("N54", "Claim information is inconsistent with the authorization")


def make_denial(**changes: Any) -> DenialView:
    base = DenialView(
        id=1042,
        version=3,
        claim_number="5101Z88001",
        payer_name="Aetna",
        service_date=date(2026, 10, 1),
        provider_name="Dr. Lee",
        provider_npi="1497758544",
        cpts=("99213-25", "97110"),
        billed=Decimal("560.00"),
        paid=Decimal("140.00"),
        denied=Decimal("420.00"),
        reasons=(CO_197,),
        rarcs=(N54,),
        category=RootCause.AUTHORIZATION,
        category_source="auto",
        category_set_by=None,
        deadline=TODAY + timedelta(days=47),
        deadline_kind=DeadlineKind.APPEAL,
        no_appeal_reason=None,
        clock_started_on_import=False,
        status="new",
        assignee=None,
        recovered_amount=None,
        imported_on=date(2026, 10, 20),
        file_name="remit_2026-10-20.835",
    )
    return replace(base, **changes)


def make_group(size: int = 12, **changes: Any) -> GroupView:
    denials = tuple(
        make_denial(id=2000 + i, claim_number=f"5101Z88{i:03d}", denied=Decimal("420.00"))
        for i in range(size)
    )
    base = GroupView(
        group_id=17,
        version=1,
        payer_name="Aetna",
        category=RootCause.AUTHORIZATION,
        code="CO-197",
        provider_name="Dr. Lee",
        denials=denials,
        total_denied=Decimal("420.00") * size,
        count_90d=31,
        likely_cause=(
            "the authorization names a different rendering provider, or the visit falls "
            "outside the approved dates."
        ),
        earliest_deadline=TODAY + timedelta(days=47),
    )
    return replace(base, **changes)


def make_row(days_left: int = 10, **changes: Any) -> DueRow:
    base = DueRow(
        denial_id=1042,
        claim_number="5101Z88003",
        payer_name="Cigna",
        amount=Decimal("180.00"),
        category=RootCause.ELIGIBILITY,
        assignee="UJAMES",
        deadline=TODAY + timedelta(days=days_left),
        days_left=days_left,
    )
    return replace(base, **changes)


def make_due(rows: tuple[DueRow, ...] = (), **changes: Any) -> DueView:
    return replace(DueView(today=TODAY, window_days=14, rows=rows), **changes)


def make_rows(count: int, *, start: int = -3) -> tuple[DueRow, ...]:
    return tuple(
        make_row(days_left=start + i % 20, denial_id=5000 + i, claim_number=f"C{i:05d}")
        for i in range(count)
    )


HELP = (
    ("/denials due [days] [mine|unassigned|@user]", "What is due, most urgent first"),
    ("/denials find CLAIM", "Show the card of one claim"),
    ("/denials help", "This list"),
)


TEAM_NOW = Measures(
    today=TODAY,
    open=Amount(61, Decimal("21400")),
    not_started=5,
    needs_owner=4,
    to_confirm=3,
    due_this_week=Amount(7, Decimal("2560")),
    overdue=Amount(2, Decimal("310")),
    lapsed=Amount(0),
)


def make_home(
    *,
    my_rows: tuple[DueRow, ...] | None = None,
    my_work: tuple[WorkRow, ...] = (),
    **changes: Any,
) -> HomeView:
    """A Home; `my_rows` and `my_work` fill its list of mine (a first page)."""
    if my_rows is None:
        my_rows = (make_row(days_left=2), make_row(days_left=-1, denial_id=7, claim_number="C7"))
    mine = make_due(my_rows, work=my_work, window_days=0, filter_description="mine", pager="|mine")
    base = HomeView(
        user_id="UJAMES",
        today=TODAY,
        mine=mine,
        team=TeamSummary(now=TEAM_NOW),
        help_lines=HELP,
    )
    return replace(base, **changes)


# --- checks on built payloads ---------------------------------------------------------------------


def walk(node: Any) -> list[dict[str, Any]]:
    """Every dict inside a payload, depth first."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found.extend(walk(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(walk(value))
    return found


def texts(node: Any, kind: str | None = None) -> list[str]:
    """The `text` of every text object (only `mrkdwn` or `plain_text` ones when `kind` is set)."""
    return [
        d["text"]
        for d in walk(node)
        if d.get("type") in ("mrkdwn", "plain_text")
        and isinstance(d.get("text"), str)
        and (kind is None or d["type"] == kind)
    ]


def all_text(node: Any) -> str:
    return "\n".join(texts(node))


def action_ids(node: Any) -> set[str]:
    return {d["action_id"] for d in walk(node) if "action_id" in d}


def assert_valid_blocks(blocks: list[dict[str, Any]], *, max_blocks: int = 50) -> None:
    """Each block parses back through slack_sdk and passes its validators; Slack's limits that
    slack_sdk does not check are checked here."""
    from slack_sdk.models.blocks import Block

    assert 0 < len(blocks) <= max_blocks
    for raw in blocks:
        parsed = Block.parse(raw)
        assert parsed is not None
        parsed.validate_json()
        assert parsed.to_dict() == raw
        for field in raw.get("fields", []):
            assert len(field["text"]) <= 2000
        if raw["type"] == "context":
            assert len(raw["elements"]) <= 10
    for text in texts(blocks):
        assert text.strip()
        assert len(text) <= 3000


def assert_valid_view(view: dict[str, Any]) -> None:
    from slack_sdk.models.views import View

    assert View(**view).to_dict() == view
    assert_valid_blocks(view["blocks"], max_blocks=100)
