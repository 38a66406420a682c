"""What the scheduled jobs need, built once from `Deps` (by `create_scheduler` or the CLI)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.deps import Deps
from bot.domain.escalation import parse_levels
from bot.domain.schedule import WeeklySlot
from bot.jobs.errors import ErrorReporter
from bot.services.card_refresh import CardRefresh
from bot.services.deadline_warnings import DeadlineWarnings
from bot.services.digest import DigestService
from bot.services.inbox import Inbox
from bot.services.pattern_review import PatternReview
from bot.slack.delivery import Pacer
from storage.send_ledger import SendLedger


@dataclass(frozen=True)
class Jobs:
    deps: Deps
    ledger: SendLedger
    reporter: ErrorReporter
    digest: DigestService
    warnings: DeadlineWarnings
    patterns: PatternReview
    inbox: Inbox | None
    digest_at: WeeklySlot
    refresh: CardRefresh  # open cards rebuilt as of the new day

    @property
    def zone(self) -> ZoneInfo:
        return self.deps.clock.zone


def build_jobs(deps: Deps, *, ledger: SendLedger | None = None) -> Jobs:
    """Raises ValueError with a readable message for a bad DENIALS_DIGEST_AT or WARNING_DAYS."""
    settings = deps.settings
    ledger = ledger or deps.poster.notes.ledger  # one ledger, settling lost answers alike
    channel = settings.channel or ""
    managers = tuple(settings.managers)
    interval = deps.poster.interval  # the same pace as the cards: ~1 message per second
    return Jobs(
        deps=deps,
        ledger=ledger,
        reporter=ErrorReporter(deps.client, ledger, managers, channel),
        digest=DigestService(deps.sessions, deps.client, ledger, channel, deps.clock.zone),
        warnings=DeadlineWarnings(
            deps.sessions,
            deps.client,
            ledger,
            channel,
            managers,
            levels=parse_levels(settings.warning_days),
            pace=Pacer(interval),
        ),
        patterns=PatternReview(
            deps.sessions,
            deps.client,
            ledger,
            channel,
            managers,
            zone=deps.clock.zone,
            pace=Pacer(interval),
        ),
        inbox=(
            Inbox(
                settings.inbox,
                deps.sessions,
                deps.rulebook,
                zone=settings.zone,
                channel=settings.channel,
            )
            if settings.inbox
            else None
        ),
        digest_at=WeeklySlot.parse(settings.digest_cron),
        refresh=CardRefresh(deps.sessions, deps.poster.renderer, ledger),
    )
