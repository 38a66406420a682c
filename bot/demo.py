"""`denials demo`: an offline walkthrough on the bundled sample files, no Slack needed.

Imports the samples into a fresh SQLite file and prints what staff would see in Slack: the
new-denial cards, the records requests and rejected claims (from the 277 samples),
`/denials due`, and the Monday digest, as text.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

from sqlalchemy import select

from bot.blocks.due_list import due_list
from bot.blocks.plain_text import render_text
from bot.bootstrap import build_runtime
from bot.clock import Clock
from bot.config import Settings
from bot.presenters.card_renderer import CardRenderer
from bot.services.due import due_view
from bot.services.importing import ImportContext, import_file
from storage.models import SlackPost

DEMO_DB = Path("denials-demo.db")
DEMO_TODAY = date(2026, 5, 4)  # a Monday when the Medicare appeals are nearly due
SAMPLES = (
    "remit_2026-01-15_medicare.835",
    "remit_2026-01-20_aetna.835",
    "simplepractice_claims.csv",
    "rfai_2026-04-02_medicare.277",
    "rfai_2026-04-06_aetna.277",
    "ack_2026-04-28_aetna.277",
)
CARDS_SHOWN = 4
RULE = "─" * 78


def run_demo(settings: Settings, *, today: date | None = None) -> int:
    today = today or DEMO_TODAY
    DEMO_DB.unlink(missing_ok=True)
    demo_settings = settings.model_copy(update={"database_url": f"sqlite:///{DEMO_DB}"})
    runtime = build_runtime(demo_settings, clock=Clock(settings.zone, today))
    context = ImportContext(
        sessions=runtime.sessions,
        rulebook=runtime.rulebook,
        actor="demo",
        now=runtime.clock.now(),
        today=today,
    )
    _title(f"1. Importing the sample files (as of {today:%a %b %-d, %Y})")
    samples = resources.files("bot.demo_data")
    for name in SAMPLES:
        outcome = import_file((samples / name).read_bytes(), context, file_name=name)
        print(outcome.summary_line())
        for line in outcome.detail_lines()[:3]:
            print(line)

    renderer = CardRenderer(runtime.rulebook.root_causes, settings.zone, settings.phi)
    with runtime.sessions() as session:
        posts = session.scalars(select(SlackPost).order_by(SlackPost.id)).all()
        groups = [p for p in posts if p.kind == "group"]
        singles = [p for p in posts if p.kind == "card"]
        work = [p for p in posts if p.kind in ("request", "rejection")]
        _title(
            f"2. What #denials shows: {len(posts)} messages "
            f"({len(groups)} grouped, {len(singles)} single cards); a few of them"
        )
        for post in [*groups, *singles[:CARDS_SHOWN], *work]:
            print(render_text(renderer.render(session, post, today=today).blocks))
            print(RULE)
        _title("3. /denials due (what a billing clerk asks between patient calls)")
        print(render_text(due_list(due_view(runtime.sessions, today=today, days=14)).blocks))
    _digest(runtime, today)
    runtime.close()
    print(f"\nThe demo database is {DEMO_DB.resolve()}; `make test` runs the test suite.")
    return 0


def _digest(runtime: object, today: date) -> None:
    try:
        from bot.services.digest import digest_text
    except ImportError:
        return
    _title("4. The Monday digest (for the manager)")
    print(digest_text(runtime, today))


def _title(text: str) -> None:
    print(f"\n{text}\n{'═' * len(text)}")
