"""Slack messages per burst, and their pacing.

The full burst (one remittance, 200 denials, 120 of them in five patterns of 24) is imported
and posted by `SlackPoster` to the local Slack stand-in with pacing switched off, to count the
messages: five grouped cards and 80 single cards, at most 85. The pacing is measured on a
short burst (six cards) posted with the real one-second interval: the gaps between the
messages as the stand-in received them. Posting the full burst paced would take as many
seconds as it has messages; that is computed, not waited for.
"""

from __future__ import annotations

import itertools
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bench.common import Result
from bench.gen_835 import burst_835
from bot.clock import Clock
from bot.domain.payer_rules import PayerRules
from bot.domain.root_causes import RootCauseTable
from bot.domain.rulebook import Rulebook
from bot.presenters.card_renderer import CardRenderer
from bot.services.importing import FileOutcome, ImportContext, import_file
from bot.services.posting import SlackPoster
from storage.db import make_engine, make_session_factory, upgrade
from tests.support.slack_standin import SlackStandIn

SECTION = "slack burst"
CHANNEL = "C0DENIALS"
TOKEN = "xoxb-bench"  # noqa: S105 - the stand-in's token
MAX_MESSAGES = 85
PACE_CARDS = 6
MIN_GAP = 0.98  # seconds between two messages (1 per second, less loopback jitter)
ZONE = ZoneInfo("America/New_York")
TODAY = date(2026, 11, 30)


def _import(data: bytes, db: Path, name: str) -> tuple[FileOutcome, SlackPoster, SlackStandIn]:
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    table = RootCauseTable.load()
    context = ImportContext(
        sessions=sessions,
        rulebook=Rulebook(table, PayerRules.load()),
        actor="cli:bench",
        now=datetime(2026, 11, 30, 14, 0, tzinfo=UTC),
        today=TODAY,
    )
    outcome = import_file(data, context, file_name=name)
    slack = SlackStandIn(tokens=(TOKEN,)).start()
    slack.add_channel(CHANNEL, name="denials")
    poster = SlackPoster(
        sessions=sessions,
        client=WebClient(token=TOKEN, base_url=slack.url),
        channel=CHANNEL,
        renderer=CardRenderer(table, ZONE),
        clock=Clock(ZONE, TODAY),
    )
    return outcome, poster, slack


def run(work: Path) -> list[Result]:
    rows: list[Result] = []
    outcome, poster, slack = _import(burst_835(), work / "burst.db", "burst.835")
    try:
        poster.interval = 0.0
        report = poster.post_pending()
        messages = len(slack.messages(CHANNEL))
    finally:
        slack.stop()
    grouped = f"{outcome.denials} denials, {report.posted} posts"
    rows.append(
        Result(
            SECTION,
            "messages for 200 denials (120 in 5 patterns)",
            messages,
            "msgs",
            f"≤ {MAX_MESSAGES}",
            messages <= MAX_MESSAGES,
            grouped,
        )
    )
    rows.append(
        Result(
            SECTION, "time to post that burst at 1 message/s", float(messages), "s", note="computed"
        )
    )
    _, poster, slack = _import(
        burst_835(patterns=0, denials=PACE_CARDS), work / "pace.db", "pace.835"
    )
    try:
        poster.interval = 1.0
        poster.post_pending()
        sent = [float(m.ts) for m in slack.messages(CHANNEL)]
    finally:
        slack.stop()
    gaps = [b - a for a, b in itertools.pairwise(sent)]
    smallest = min(gaps) if gaps else None
    rows.append(
        Result(
            SECTION,
            f"smallest gap between messages ({len(sent)} cards, real pacing)",
            smallest,
            "s",
            f"≥ {MIN_GAP:g} s",
            None if smallest is None else smallest >= MIN_GAP,
            "1 message per second per channel",
        )
    )
    return rows


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="denials-bench-") as work:
        for row in run(Path(work)):
            print(f"{row.name:60} {row.shown():>12} {row.bar:>8} {row.verdict}  {row.note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
