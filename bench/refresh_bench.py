"""chat.update calls the daily card refresh needs for 1,000 open denials.

1,000 single denials are imported and their cards posted to the local Slack stand-in. Their
deadlines are spread evenly from 60 days past to 180 days ahead (the 60- to 180-day appeal
windows of most payers, with a backlog of late ones), one card per day of that span, roughly.
Then 14 days are run: each day the refresh job marks the cards whose words changed with the day
and the posting job edits them (pacing off, to count). The figure is the most chat.update calls
one day needed, against the baseline of editing every open card daily (1,000).

The bar, ≤ 0.25× the open cards, and exactly the cards whose shown countdown changed: a card
shows a count only from 14 days before its deadline to 30 days after it (45 of the 240 days,
19%), plus the cards crossing into a band; everything else (far: the date alone; lapsed:
"window closed") reads the same from one day to the next and is not edited. At Slack's Tier 3
pace (about 50 chat.update a minute, 1.2 s apart) the day's edits take the minutes given in the
note, well inside the night.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy import select, update

from bench.common import Result
from bot.clock import Clock
from bot.domain.countdown import COUNT_FROM, LAPSED_AFTER
from bot.domain.payer_rules import PayerRules
from bot.domain.root_causes import RootCauseTable
from bot.domain.rulebook import Rulebook
from bot.presenters.card_renderer import CardRenderer
from bot.services.card_refresh import CardRefresh
from bot.services.importing import ImportContext, import_file
from bot.services.posting import UPDATE_PACE, SlackPoster
from storage.db import make_engine, make_session_factory, upgrade
from storage.models import Denial
from storage.send_ledger import SendLedger
from tests.support.slack_standin import SlackStandIn
from tests.support.x835 import denied, make_835

SECTION = "daily card refresh"
CHANNEL = "C0DENIALS"
TOKEN = "xoxb-bench"  # noqa: S105 - the stand-in's token
OPEN = 1_000
SPAN = (-60, 180)  # days left, from the first day of the run
DAYS = 14
BAR = 0.25
ZONE = ZoneInfo("America/New_York")
START = date(2026, 12, 1)


def run(work: Path, *, denials: int = OPEN, days: int = DAYS) -> list[Result]:
    engine = make_engine(f"sqlite:///{work / 'refresh.db'}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    table = RootCauseTable.load()
    claims = [denied(f"PCN{i:05d}", npi=f"{1_000_000_000 + i}") for i in range(denials)]
    import_file(
        make_835(claims),
        ImportContext(
            sessions=sessions,
            rulebook=Rulebook(table, PayerRules.load()),
            actor="cli:bench",
            now=datetime(2026, 11, 30, 14, 0, tzinfo=UTC),
            today=START,
        ),
        file_name="open.835",
    )
    first, last = SPAN
    with sessions() as session, session.begin():
        ids = session.scalars(select(Denial.id).order_by(Denial.id)).all()
        for index, denial_id in enumerate(ids):
            left = first + (index * (last - first)) // len(ids)
            session.execute(
                update(Denial)
                .where(Denial.id == denial_id)
                .values(deadline=START + timedelta(days=left))
            )
    slack = SlackStandIn(tokens=(TOKEN,)).start()
    slack.add_channel(CHANNEL, name="denials")
    renderer = CardRenderer(table, ZONE)
    client = WebClient(token=TOKEN, base_url=slack.url)
    try:
        poster = SlackPoster(sessions, client, CHANNEL, renderer, Clock(ZONE, START), 0.0)
        poster.post_pending(limit=denials)
        refresh = CardRefresh(sessions, renderer, SendLedger(sessions))
        per_day: list[int] = []
        expected: list[int] = []
        for offset in range(1, days + 1):
            day = START + timedelta(days=offset)
            before = len(slack.calls("chat.update"))
            refresh.run(day)
            poster = SlackPoster(sessions, client, CHANNEL, renderer, Clock(ZONE, day), 0.0)
            while poster.refresh_changed(limit=denials):
                pass
            per_day.append(len(slack.calls("chat.update")) - before)
            expected.append(_counted(ids, offset, len(ids)))
    finally:
        slack.stop()
    worst = max(per_day)
    exact = per_day == expected
    minutes = worst * UPDATE_PACE / 60
    note = (
        f"{denials} open cards, {days} days: {min(per_day)}-{worst} edits a day "
        f"(mean {sum(per_day) / len(per_day):.0f}); "
        f"{'exactly' if exact else 'NOT exactly'} the cards whose countdown changed; "
        f"{minutes:.1f} min a day at Slack's pace"
    )
    return [
        Result(
            SECTION,
            "chat.update per day / open cards",
            worst / denials,
            "x",
            f"≤ {BAR:g}",
            worst / denials <= BAR and exact,
            note,
        ),
    ]


def _counted(ids: list[int], offset: int, total: int) -> int:
    """Cards whose shown words change on day `offset`: the count moved (14 days before to 30
    after the deadline), or the card crossed from far into the count, or into lapsed."""
    first, last = SPAN
    changed = 0
    for index in range(total):
        left = first + (index * (last - first)) // total - offset
        if -LAPSED_AFTER - 1 <= left <= COUNT_FROM:
            changed += 1
    return changed
