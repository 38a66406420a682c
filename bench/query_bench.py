"""Server-side time of what people ask, against 1k, 100k and 1M seeded denials.

Each call runs in its own session, as a listener or job would; the figure is the median of
several runs after a warm-up. Services still being written are looked up when the benchmark
runs: a missing one (or one whose signature changed) gives a "not available" row, not a crash.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from bench.common import Result, at_most, ratio, timed_together
from bench.seed_db import Seeded
from bot.domain.root_causes import RootCauseTable
from storage.db import make_engine, make_session_factory

SECTION = "queries"
ZONE = ZoneInfo("America/New_York")
SCALING_BAR = 3.0  # (1M) / (1k)
ACK_PATH_BAR = 1.0  # seconds at 1M
JOB_BAR = 10.0  # seconds at 1M

Probe = Callable[[], object]


@dataclass
class Target:
    name: str
    make: Callable[[sessionmaker[Session], Seeded], Probe]  # raises when not available
    kind: str  # "scaling" (1M/1k ≤ 3), "ack" (< 1 s at 1M), "job" (< 10 s at 1M)


def _due(sessions: sessionmaker[Session], seeded: Seeded) -> Probe:
    from bot.services.due import due_view

    def probe() -> object:
        return due_view(sessions, today=seeded.today, days=14)

    return probe


def _due_mine(sessions: sessionmaker[Session], seeded: Seeded) -> Probe:
    from bot.services.due import DueFilter, due_view

    who = DueFilter(assignee=seeded.staff[0], description="mine")

    def probe() -> object:
        return due_view(sessions, today=seeded.today, days=14, who=who)

    return probe


def _find(sessions: sessionmaker[Session], seeded: Seeded) -> Probe:
    from bot.services import claim_search

    lookup: Any = claim_search.lookup_claim
    asked = itertools.cycle(seeded.sample_claims)

    def probe() -> object:
        found = lookup(sessions, next(asked))
        assert found.matches, "a seeded claim number was not found"
        return found

    return probe


def _find_typo(sessions: sessionmaker[Session], seeded: Seeded) -> Probe:
    from bot.services import claim_search

    lookup: Any = claim_search.lookup_claim
    # The last character mistyped: no exact match, so the lookup offers similar claim numbers.
    asked = itertools.cycle([n[:-1] + "X" for n in seeded.sample_claims])

    def probe() -> object:
        return lookup(sessions, next(asked))

    return probe


def _card(group: bool) -> Callable[[sessionmaker[Session], Seeded], Probe]:
    def make(sessions: sessionmaker[Session], seeded: Seeded) -> Probe:
        from bot.presenters.card_renderer import CardRenderer
        from storage.models import SlackPost

        renderer = CardRenderer(RootCauseTable.load(), ZONE)
        posts = itertools.cycle(seeded.group_posts if group else seeded.card_posts)

        def probe() -> object:
            with sessions() as session:
                post = session.get(SlackPost, next(posts))
                assert post is not None
                return renderer.render(session, post, today=seeded.today)

        return probe

    return make


def _trends(sessions: sessionmaker[Session], seeded: Seeded) -> Probe:
    from bot.domain.trend_periods import Span
    from bot.services.trends import trends_report

    report: Any = trends_report

    def probe() -> object:
        return report(sessions, span=Span(12, "m"), dimension="category", today=seeded.today)

    return probe


def _digest(sessions: sessionmaker[Session], seeded: Seeded) -> Probe:
    from bot.services import digest

    summary: Any = digest.digest_summary

    def probe() -> object:
        return summary(sessions, ZONE, seeded.today, today=seeded.today)

    return probe


def _sweep(sessions: sessionmaker[Session], seeded: Seeded) -> Probe:
    from slack_sdk import WebClient

    from bot.services import deadline_warnings
    from storage import send_ledger

    warnings: Any = deadline_warnings.DeadlineWarnings
    ledger: Any = send_ledger.SendLedger(sessions)
    sweep = warnings(
        sessions=sessions,
        client=WebClient(base_url="http://127.0.0.1:9/"),  # never called
        ledger=ledger,
        channel="C0DENIALS",
        managers=("UMANAGER",),
    )

    def probe() -> object:
        # The sweep's database part: which warnings are due, and which were sent already.
        candidates = sweep.candidates(seeded.today)
        return ledger.sent_keys(deadline_warnings.KIND, [c.key for c in candidates])

    return probe


TARGETS = (
    Target("/denials due (whole office, 14 days)", _due, "scaling"),
    Target("/denials due mine", _due_mine, "scaling"),
    Target("/denials find CLAIM (exact)", _find, "scaling"),
    Target("/denials find CLAIM (typo: similar offered)", _find_typo, "scaling"),
    Target("card rebuild after a click (one denial)", _card(group=False), "scaling"),
    Target("card rebuild after a click (grouped card)", _card(group=True), "scaling"),
    Target("/denials trends 12m", _trends, "ack"),
    # The digest is built by the Monday job only (no command asks for it): a job, like the sweep.
    Target("digest (Monday job) summary", _digest, "job"),
    Target("deadline sweep (candidates + ledger)", _sweep, "job"),
)


def measure(databases: dict[int, tuple[str, Seeded]]) -> dict[int, dict[str, float | str]]:
    """Seconds per target against each seeded database (a string: why it is not available).

    The databases' runs alternate, one of each in turn: the machine's speed drifts over
    minutes on shared hardware, and a ratio between sizes should not measure that drift.
    """
    engines = {size: make_engine(url) for size, (url, _) in databases.items()}
    found: dict[int, dict[str, float | str]] = {size: {} for size in databases}
    try:
        for target in TARGETS:
            probes: dict[int, Probe] = {}
            for size, (_, seeded) in databases.items():
                try:
                    probes[size] = target.make(make_session_factory(engines[size]), seeded)
                except Exception as error:  # a module being written: say so, measure the rest
                    found[size][target.name] = f"{type(error).__name__}: {error}"[:160]
            try:
                for size, seconds in timed_together(probes, repeat=15, budget=3.0).items():
                    found[size][target.name] = seconds
            except Exception as error:
                for size in probes:
                    found[size][target.name] = f"{type(error).__name__}: {error}"[:160]
    finally:
        for engine in engines.values():
            engine.dispose()
    return found


def results(
    by_size: dict[int, dict[str, float | str]], sizes: tuple[int, int, int]
) -> list[Result]:
    """The table rows: each target's time per size and its bar."""
    small, middle, large = sizes
    rows: list[Result] = []
    for target in TARGETS:
        values = {size: by_size.get(size, {}).get(target.name) for size in sizes}
        missing = next((v for v in values.values() if isinstance(v, str)), None)
        for size in sizes:
            value = values[size]
            rows.append(
                Result(
                    SECTION,
                    f"{target.name} @ {_label(size)}",
                    value * 1000 if isinstance(value, float) else None,
                    "ms",
                    note=value if isinstance(value, str) else "",
                )
            )
        seconds = {s: v for s, v in values.items() if isinstance(v, float)}
        if target.kind == "scaling":
            row = ratio(
                SECTION,
                f"{target.name}: {_label(large)} / {_label(small)}",
                seconds.get(large),
                seconds.get(small),
                SCALING_BAR,
            )
        else:
            limit = ACK_PATH_BAR if target.kind == "ack" else JOB_BAR
            row = at_most(SECTION, f"{target.name} @ {_label(large)}", seconds.get(large), limit)
            rows.append(
                ratio(
                    SECTION,
                    f"{target.name}: {_label(large)} / {_label(middle)}",
                    seconds.get(large),
                    seconds.get(middle),
                    None,
                )
            )
        if missing:
            row.note = f"not available: {missing}"
        rows.append(row)
    return rows


def _label(size: int) -> str:
    if size >= 1_000_000:
        return f"{size // 1_000_000}M"
    if size >= 1000:
        return f"{size // 1000}k"
    return str(size)
