"""Two replicas of `denials run` on one database: every scheduled message is sent once.

Each replica has its own engine, sessions, Slack client and jobs; they race on the same
database (PostgreSQL in CI, a SQLite file otherwise: SQLite serialises the writers, and the
ledger's INSERT ... ON CONFLICT decides the same way) and talk to one Slack stand-in.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.config import Settings
from bot.domain.rulebook import Rulebook
from bot.jobs.scheduler import guard
from bot.services.posting import METADATA_TYPE
from storage.db import make_engine, make_session_factory
from tests.integration.jobs_support import (
    CHANNEL,
    MANAGER,
    MANAGER_2,
    JobBot,
    WallClock,
    at,
)
from tests.support.slack_standin import SlackStandIn
from tests.support.x835 import denied

MANAGERS = (MANAGER, MANAGER_2)
# deadlines as of 2026-12-01: 14, 7, 3 and 1 day ahead, due today, overdue
DUE = [date(2026, 12, 15), date(2026, 12, 8), date(2026, 12, 4), date(2026, 12, 2)]
DUE += [date(2026, 12, 1), date(2026, 11, 20)]


@pytest.fixture
def replicas(
    settings: Settings,
    engine: Engine,
    rulebook: Rulebook,
    slack: SlackStandIn,
    database_url: str,
) -> Iterator[list[JobBot]]:
    """Two bots with engines of their own, after one of them imported and posted the cards."""
    engines = [make_engine(database_url) for _ in range(2)]
    wall = WallClock()
    bots = [
        JobBot.build(
            settings,
            make_session_factory(e),
            rulebook,
            slack,
            worker=f"r{i}",
            wall=wall,
            managers=MANAGERS,
        )
        for i, e in enumerate(engines)
    ]
    claims = [denied(f"PCN{i}") for i in range(len(DUE) * 3)]
    bots[0].import_835(claims, on=date(2026, 10, 20))
    for i, claim in enumerate(claims):
        bots[0].set_deadline(claim.number, DUE[i % len(DUE)])
    bots[0].run("post", at(2026, 10, 20))
    yield bots
    for e in engines:
        e.dispose()


def race(bots: list[JobBot], work: Callable[[JobBot], None]) -> None:
    start = threading.Barrier(len(bots))
    errors: list[BaseException] = []

    def run(bot: JobBot) -> None:
        try:
            start.wait(timeout=10)
            work(bot)
        except BaseException as error:  # surfaced in the test thread below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(bot,)) for bot in bots]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors


def sent_texts(slack: SlackStandIn) -> Counter[str]:
    """Every message the stand-in stored (cards excluded), counted by channel and text."""
    calls = [
        c
        for c in slack.calls("chat.postMessage")
        if c.ok and (c.params.get("metadata") or {}).get("event_type") != METADATA_TYPE
    ]
    return Counter(
        f"{c.params.get('channel')}|{c.params.get('thread_ts')}|{c.params['text']}" for c in calls
    )


def test_two_replicas_racing_send_each_message_exactly_once(
    replicas: list[JobBot], slack: SlackStandIn
) -> None:
    def work(bot: JobBot) -> None:
        for hour in (9, 10, 11):
            for name in ("deadlines", "digest", "patterns"):
                bot.run(name, at(2026, 12, 1, hour))

    race(replicas, work)

    counts = sent_texts(slack)
    assert counts, "nothing was sent"
    assert max(counts.values()) == 1, [k for k, n in counts.items() if n > 1]
    threads = [t for t in counts if not t.startswith(("D", f"{CHANNEL}|None"))]
    assert len(threads) == 9  # 3 denials each at 14, 7 and 3 days
    for manager in MANAGERS:
        dms = [m.text for m in slack.dms(manager)]
        assert dms[0] == "9 denials are due tomorrow or overdue ($900.00)"
        assert len([t for t in dms if t.startswith("🔁")]) == 1  # the pattern review
        assert len(dms) == 2
    digests = [m.text for m in slack.messages(CHANNEL) if m.text.startswith("Denials week")]
    assert len(digests) == 1


def test_two_replicas_ticking_under_the_scheduler_guard_send_once(
    replicas: list[JobBot], slack: SlackStandIn
) -> None:
    def work(bot: JobBot) -> None:
        for _ in range(3):
            for name in ("deadlines", "digest", "patterns"):
                guard(bot.jobs, name)()

    race(replicas, work)
    counts = sent_texts(slack)
    assert counts
    assert max(counts.values()) == 1


def test_two_cli_processes_running_the_same_job_send_each_message_once(
    replicas: list[JobBot], slack: SlackStandIn, database_url: str, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "DENIALS_DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_API_URL": slack.url,
        "DENIALS_CHANNEL": CHANNEL,
        "DENIALS_MANAGERS": ",".join(MANAGERS),
    }
    command = [sys.executable, "-m", "bot", "jobs", "run", "deadlines", "--today", "2026-12-01"]
    processes = [
        subprocess.Popen(
            command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs

    counts = sent_texts(slack)
    assert max(counts.values()) == 1
    assert len([t for t in counts if not t.startswith("D")]) == 9
    for manager in MANAGERS:
        assert [m.text for m in slack.dms(manager)] == [
            "9 denials are due tomorrow or overdue ($900.00)"
        ]
    said = b"".join(out for out, _ in outputs).decode()
    assert said.count("deadline notes posted") <= 2
