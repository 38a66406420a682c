"""Acknowledge latency under load: the real HTTP app, signed requests, the 1M-denial database.

The bot is built the way `denials run` builds it in HTTP mode (`create_app` + `serve_http` on
127.0.0.1: listeners acknowledge in the request's thread, five threads do the work after), its
Slack client aimed at the local stand-in.
Forty open cards are posted to the stand-in first (through the bot's own outbox). Then 50
threads send 500 requests, signed like Slack's: half `/denials due` (whole office, 7 days, mine,
unassigned), half clicks on those cards (root cause or assignee menus). The figure is the time
from sending a request to its HTTP answer, which Bolt gives as soon as the listener has
acknowledged: what Slack's three-second limit applies to. Loopback only, a bounded number of
requests, and it stops by itself (each request times out after 10 s).
"""

from __future__ import annotations

import logging
import random
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bench.common import Result
from bench.seed_db import Seeded
from bot.app import build_deps, create_app
from bot.blocks import ids
from bot.bootstrap import build_runtime
from bot.clock import Clock
from bot.config import Settings
from bot.domain.findings import RootCause
from bot.domain.root_causes import RootCauseTable
from bot.domain.statuses import ACTIONABLE
from bot.http_server import EVENTS_PATH, serve_http
from bot.presenters.card_renderer import CardRenderer
from bot.services.posting import SlackPoster
from bot.services.status_filter import status_in
from storage.db import make_engine, make_session_factory
from storage.models import Denial, SlackPost
from tests.e2e.slack_driver import Response, SlackDriver
from tests.support.slack_standin import SlackStandIn

SECTION = "acknowledge"
TOKEN = "xoxb-bench"  # noqa: S105 - the stand-in's token
SECRET = "bench-signing-secret"  # noqa: S105 - signs requests to our own app on loopback
CHANNEL = "C0DENIALS"
MANAGER = "UMANAGER"
ZONE = ZoneInfo("America/New_York")
REQUESTS = 500
CONCURRENCY = 50
CARDS = 40
P99_BAR = 0.300
DUE_TEXTS = ("due", "due 7", "due mine", "due unassigned")


class TimedDriver(SlackDriver):
    """A driver that remembers, per thread, how long its last HTTP request took."""

    _local = threading.local()

    def post(self, body: str, content_type: str, headers: dict[str, str] | None = None) -> Response:
        started = time.perf_counter()
        answer = super().post(body, content_type, headers)
        self._local.elapsed = time.perf_counter() - started
        return answer

    @property
    def elapsed(self) -> float:
        return float(self._local.elapsed)


@dataclass
class Sample:
    kind: str  # "slash" or "click"
    seconds: float
    status: int


def _open_cards(sessions: sessionmaker[Session], count: int) -> list[int]:
    with sessions() as session, session.begin():
        posts = list(
            session.scalars(
                select(Denial.post_id)
                .join(SlackPost, SlackPost.id == Denial.post_id)
                .where(
                    Denial.closed.is_(False),
                    status_in(ACTIONABLE),
                    SlackPost.kind == "card",
                )
                .order_by(Denial.id.desc())
                .limit(count)
            )
        )
        # Seeded cards were "posted" to a Slack that is not this one: post them again here.
        session.execute(
            update(SlackPost)
            .where(SlackPost.id.in_(posts))
            .values(status="pending", ts=None, channel=None)
        )
    return [p for p in posts if p is not None]


def serve(url: str, slack_url: str, today: str) -> None:
    """The bot, in this process: serve on a free port (printed first) until stdin closes."""
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth is 42"
    settings = _settings(url, slack_url)
    runtime = build_runtime(settings, clock=Clock(ZONE, date.fromisoformat(today)))
    deps = build_deps(
        settings,
        client=WebClient(token=TOKEN, base_url=slack_url),
        runtime=runtime,
        post_interval=0.0,
    )
    app = create_app(settings, deps=deps)
    server = serve_http(app, deps, host="127.0.0.1", port=0)
    serving = threading.Thread(target=server.run, name="bench-http", daemon=True)
    serving.start()
    print(server.effective_port, flush=True)
    sys.stdin.read()  # the benchmark closes our stdin when it is done
    server.close()
    serving.join(timeout=10)
    # Work still queued behind the acknowledgements is not what is measured: drop it.
    deps.after_ack.close(drop_queued=True)
    runtime.close()


def _settings(url: str, slack_url: str) -> Settings:
    return Settings(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=slack_url,
        DENIALS_DATABASE_URL=url,
        DENIALS_CHANNEL=CHANNEL,
        DENIALS_MANAGERS=MANAGER,
        _env_file=None,
    )


def _post_cards(url: str, slack: SlackStandIn, today: date) -> list[str]:
    """Forty open cards, posted to the stand-in through the bot's outbox; their ts."""
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    try:
        cards = _open_cards(sessions, CARDS)
        poster = SlackPoster(
            sessions=sessions,
            client=WebClient(token=TOKEN, base_url=slack.url),
            channel=CHANNEL,
            renderer=CardRenderer(RootCauseTable.load(), ZONE),
            clock=Clock(ZONE, today),
            interval=0.0,
        )
        poster.post_pending()
        with sessions() as session:
            stamps = session.scalars(select(SlackPost.ts).where(SlackPost.id.in_(cards)))
            return [ts for ts in stamps if ts]
    finally:
        engine.dispose()


def run(url: str, seeded: Seeded, *, requests: int = REQUESTS, label: str = "") -> list[Result]:
    slack = SlackStandIn(tokens=(TOKEN,)).start()
    staff = seeded.staff[:8]
    slack.add_channel(CHANNEL, name="denials", members=(MANAGER, *staff))
    for user in (MANAGER, *staff):
        slack.add_user(user, name=user.lower(), team="T1")
    log_path = Path(url.removeprefix("sqlite:///") + ".bot.log")
    log = log_path.open("w")
    bot = subprocess.Popen(
        [sys.executable, "-m", "bench.load_bench", "serve", url, slack.url, str(seeded.today)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log,  # Bolt's warnings when it gives up on a request: counted below
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    samples: list[Sample] = []
    lock = threading.Lock()
    try:
        assert bot.stdout is not None
        line = bot.stdout.readline()
        while line and not line.strip().isdigit():  # a profiler wrapping the bot may talk
            line = bot.stdout.readline()
        port = int(line)
        driver = TimedDriver(f"http://127.0.0.1:{port}{EVENTS_PATH}", SECRET, standin=slack)
        card_ts = _post_cards(url, slack, seeded.today)
        rnd = random.Random(50)
        plan = [
            (
                rnd.random() < 0.5,  # a slash command, else a click
                rnd.choice(DUE_TEXTS),
                rnd.random() < 0.5,  # root cause, else assignee
                rnd.choice(list(RootCause)).value,
                rnd.choice(staff),
                rnd.choice(card_ts),
            )
            for _ in range(requests)
        ]

        def one(index: int) -> None:
            slash, due_text, cause_menu, cause, assignee, ts = plan[index]
            kind = "slash" if slash else "click"
            try:
                status = send(index, slash, due_text, cause_menu, cause, assignee, ts)
            except OSError:  # timed out or refused: a request that got no answer in time
                with lock:
                    samples.append(Sample(kind, driver.timeout, 0))
                return
            with lock:
                samples.append(Sample(kind, driver.elapsed, status))

        def send(
            index: int,
            slash: bool,
            due_text: str,
            cause_menu: bool,
            cause: str,
            assignee: str,
            ts: str,
        ) -> int:
            user = staff[index % len(staff)]
            if slash:
                answer = driver.slash("/denials", due_text, user=user, channel=CHANNEL)
            elif cause_menu:
                answer = driver.block_action(
                    ids.ROOT_CAUSE_SELECT,
                    selected_option=cause,
                    user=user,
                    channel=CHANNEL,
                    message_ts=ts,
                )
            else:
                answer = driver.block_action(
                    ids.ASSIGN_SELECT,
                    selected_user=assignee,
                    user=user,
                    channel=CHANNEL,
                    message_ts=ts,
                )
            return answer.status

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=CONCURRENCY, thread_name_prefix="load") as load:
            for future in [load.submit(one, i) for i in range(requests)]:
                future.result()
        wall = time.perf_counter() - started
    finally:
        if bot.stdin is not None:
            bot.stdin.close()
        try:
            bot.wait(timeout=60)
        except subprocess.TimeoutExpired:
            bot.kill()
            bot.wait()
        log.close()
        slack.stop()
    gave_up = log_path.read_text(errors="replace").count("didn't call ack()")
    return _results(samples, wall, len(card_ts), label, gave_up)


def _failures(failed: int, gave_up: int) -> str:
    if not failed:
        return ""
    why = f"; Bolt gave up on {gave_up} (no ack() within 3 s)" if gave_up else ""
    return f"{failed} requests not answered 200{why}"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _results(
    samples: list[Sample], wall: float, cards: int, label: str, gave_up: int
) -> list[Result]:
    at = f" @ {label}" if label else ""
    seconds = [s.seconds for s in samples]
    failed = sum(1 for s in samples if s.status != 200)
    p99 = _percentile(seconds, 0.99)
    rows = [
        Result(
            SECTION,
            f"p99 acknowledge{at} ({len(samples)} requests, {CONCURRENCY} concurrent)",
            p99 * 1000,
            "ms",
            f"≤ {P99_BAR * 1000:.0f} ms",
            p99 <= P99_BAR and failed == 0,
            _failures(failed, gave_up),
        ),
        Result(SECTION, f"p50 acknowledge{at}", statistics.median(seconds) * 1000, "ms"),
        Result(SECTION, f"p95 acknowledge{at}", _percentile(seconds, 0.95) * 1000, "ms"),
        Result(SECTION, f"max acknowledge{at}", max(seconds) * 1000, "ms"),
    ]
    for kind in ("slash", "click"):
        mine = [s.seconds for s in samples if s.kind == kind]
        if mine:
            rows.append(
                Result(
                    SECTION,
                    f"p99 acknowledge{at}, {'/denials due' if kind == 'slash' else 'card clicks'}",
                    _percentile(mine, 0.99) * 1000,
                    "ms",
                    note=f"{len(mine)} requests"
                    + (f" on {cards} cards" if kind == "click" else ""),
                )
            )
    rows.append(Result(SECTION, f"requests per second{at}", round(len(samples) / wall, 1), "req/s"))
    return rows


def main(argv: list[str]) -> int:
    if len(argv) == 4 and argv[0] == "serve":
        serve(argv[1], argv[2], argv[3])
        return 0
    print("usage: python -m bench.load_bench serve DATABASE_URL SLACK_API_URL TODAY")
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
