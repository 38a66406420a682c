"""View models: plain values the services fill from the database and the builders draw.

Nothing here queries or formats; builders decide the words. `patient_name` is only ever filled
when `DENIALS_PHI=full`, and the builders show it only when it is set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from bot.blocks.work_views import RecordsLink, WorkRow
from bot.domain.findings import DeadlineKind, RootCause
from bot.domain.measures import Measures
from bot.domain.urgency import Band

CategorySource = Literal["auto", "staff"]


@dataclass(frozen=True, slots=True)
class ReasonView:
    code: str  # "CO-197" or a RARC "N54"
    explanation: str  # plain words a billing clerk reads


@dataclass(frozen=True, slots=True, kw_only=True)
class AppealView:
    """The appeal or corrected claim a denial's card waits on (no outcome yet)."""

    kind: Literal["appeal", "corrected"]
    level: str  # "1", "reconsideration", …
    method: str | None  # portal, fax, mail
    sent_on: date
    reference: str | None
    sent_by: str | None  # Slack user id
    decision_due: date | None = None  # when a source gives the payer's time to decide


@dataclass(frozen=True, slots=True, kw_only=True)
class DenialView:
    """Everything one denial card shows."""

    id: int
    version: int
    claim_number: str
    payer_name: str
    service_date: date | None
    provider_name: str | None
    provider_npi: str | None
    cpts: tuple[str, ...]
    billed: Decimal
    paid: Decimal
    denied: Decimal
    reasons: tuple[ReasonView, ...]
    rarcs: tuple[ReasonView, ...]
    category: RootCause
    category_source: CategorySource
    category_set_by: str | None  # Slack user id when staff set it
    deadline: date | None
    deadline_kind: DeadlineKind
    no_appeal_reason: str | None  # "MA130" when the payer gave no appeal rights
    clock_started_on_import: bool  # no remittance date in the source file
    status: str  # new, in_progress, appealed, resubmitted, recovered, written_off
    assignee: str | None  # Slack user id
    recovered_amount: Decimal | None
    imported_on: date
    file_name: str
    patient_name: str | None = None  # DENIALS_PHI=full only
    repeat_count_90d: int = 0  # same payer + code + provider in the last 90 days, this one included
    explanation: str = ""  # shown when there is no reason code (a status-only report's words)
    records: RecordsLink | None = None  # the records request its codes say went unanswered
    appeal: AppealView | None = None  # what was sent and waits for the payer's answer


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupView:
    """A burst of denials from one import with the same payer, code and provider."""

    group_id: int
    version: int
    payer_name: str
    category: RootCause
    code: str  # "CO-197"
    provider_name: str | None
    denials: tuple[DenialView, ...]
    total_denied: Decimal
    count_90d: int  # all denials with this pattern in the last 90 days, this import included
    likely_cause: str
    earliest_deadline: date | None
    earliest_deadline_kind: DeadlineKind = DeadlineKind.APPEAL


@dataclass(frozen=True, slots=True, kw_only=True)
class DueRow:
    """One line of `/denials due` and of "My denials" on the App Home."""

    denial_id: int
    claim_number: str
    payer_name: str
    amount: Decimal  # denied amount
    category: RootCause
    assignee: str | None
    deadline: date
    days_left: int  # negative when overdue
    post_id: int | None = None  # the card it is on (its grouped card, for a group row)
    link: str | None = None  # that card's permalink
    # A grouped card's denials shown as one row: how many (0 for a single denial), and
    # whether they have different owners (then `assignee` is not said).
    group_count: int = 0
    mixed_owners: bool = False


@dataclass(frozen=True, slots=True)
class BandTotal:
    """How many denials (and dollars) a band of a list holds, all of them, not one page."""

    band: Band
    count: int
    amount: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class DueView:
    """The answer to `/denials due [days] [filter]`; totals are computed from the rows."""

    today: date
    window_days: int
    rows: tuple[DueRow, ...]
    filter_description: str | None = None  # "unassigned", "mine", "<@U123>"
    title: str | None = None  # said instead of "Due in the next N days" (a group's claims)
    # When `rows` holds only the first of many (a large practice), the totals of them all:
    total: int | None = None
    total_dollars: Decimal | None = None
    overdue: int | None = None
    # documentation requests and rejections due in the same window, on the same list
    work: tuple[WorkRow, ...] = ()
    bands: tuple[BandTotal, ...] = ()  # each listed band's totals (else counted from the rows)
    lapsed: BandTotal | None = None  # past every window: one line, never rows
    page: int = 0  # which page of PAGE_ROWS rows to show (0: the first)
    pager: str | None = None  # "14|unassigned": what "Show more" needs to ask for a page
    unassigned: int | None = None  # of the window's denials, how many have no owner

    @property
    def count(self) -> int:
        return len(self.rows) if self.total is None else self.total

    @property
    def total_amount(self) -> Decimal:
        if self.total_dollars is not None:
            return self.total_dollars
        return sum((row.amount for row in self.rows), Decimal(0))

    @property
    def overdue_count(self) -> int:
        if self.overdue is not None:
            return self.overdue
        return sum(1 for row in self.rows if row.days_left < 0)


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamSummary:
    now: Measures  # the same numbers as the digest's and `/denials due`'s
    records_to_send: int = 0  # documentation requests still to send
    claims_to_correct: int = 0  # rejections still to correct


@dataclass(frozen=True, slots=True, kw_only=True)
class HomeView:
    """The App Home tab of one person."""

    user_id: str
    today: date
    mine: DueView  # my denials, requests and rejections to act on, a page of them
    team: TeamSummary
    help_lines: tuple[tuple[str, str], ...]  # (usage, what it does), from the command table
