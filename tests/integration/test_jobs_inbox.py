"""The inbox: files dropped in a folder are imported, filed away, and their cards posted."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.domain.rulebook import Rulebook
from bot.services.importing import ImportContext, import_file
from bot.services.inbox import FAILED, PROCESSED, free_name
from storage.models import ImportFile
from tests.conftest import DATA
from tests.integration.jobs_support import CHANNEL, JobBot, at
from tests.support.slack_standin import SlackStandIn
from tests.support.x835 import denied, make_835

OLD = time.time() - 3600  # an mtime well past the settling time


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


@pytest.fixture
def bot(
    settings: Settings,
    sessions: sessionmaker[Session],
    rulebook: Rulebook,
    slack: SlackStandIn,
    inbox: Path,
) -> JobBot:
    return JobBot.build(settings, sessions, rulebook, slack, inbox=inbox)


def drop(folder: Path, name: str, content: bytes, *, settled: bool = True) -> Path:
    path = folder / name
    path.write_bytes(content)
    if settled:
        os.utime(path, (OLD, OLD))
    return path


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_dropped_file_is_imported_filed_and_its_cards_posted(bot: JobBot, inbox: Path) -> None:
    drop(inbox, "remit.835", make_835([denied("PCN1"), denied("PCN2", carc="27")]))
    report = bot.run("inbox", at(2026, 11, 30))
    assert report.sent[0] == "remit.835: imported 2 claims, 2 denials ($200.00)."
    assert "2 cards posted" in report.sent
    assert names(inbox) == [PROCESSED]
    assert names(inbox / PROCESSED) == ["remit.835"]
    assert len(bot.slack.messages(CHANNEL)) == 2
    assert bot.run("inbox", at(2026, 11, 30, 9, 2)).lines() == ["inbox: nothing to do."]


def test_a_refused_file_goes_to_failed_with_the_reason_beside_it(bot: JobBot, inbox: Path) -> None:
    bad = (DATA / "x12" / "synthetic" / "malformed" / "bad_amount.835").read_bytes()
    drop(inbox, "bad.835", bad)
    report = bot.run("inbox", at(2026, 11, 30))
    assert report.errors[0].startswith("bad.835 was not imported: ")
    assert names(inbox / FAILED) == ["bad.835", "bad.835.error.txt"]
    reason = (inbox / FAILED / "bad.835.error.txt").read_text()
    assert "Nothing from this file was stored" in reason
    assert bot.slack.messages(CHANNEL) == []


def test_files_still_being_written_are_left_for_a_later_tick(bot: JobBot, inbox: Path) -> None:
    drop(inbox, "big.835.part", make_835([denied("P1")]))
    drop(inbox, "upload.tmp", make_835([denied("P2")]))
    drop(inbox, ".hidden.835", make_835([denied("P3")]))
    drop(inbox, "fresh.835", make_835([denied("P4")]), settled=False)
    assert bot.run("inbox", at(2026, 11, 30)).lines() == ["inbox: nothing to do."]
    assert names(inbox) == [".hidden.835", "big.835.part", "fresh.835", "upload.tmp"]

    os.replace(inbox / "big.835.part", inbox / "big.835")  # the upload finished
    os.utime(inbox / "big.835", (OLD, OLD))
    bot.run("inbox", at(2026, 11, 30, 9, 2))
    assert names(inbox / PROCESSED) == ["big.835"]


def test_a_file_imported_just_before_a_crash_is_filed_as_already_imported(
    bot: JobBot, inbox: Path
) -> None:
    content = make_835([denied("PCN1")])
    path = drop(inbox, "remit.835", content)
    context = ImportContext(
        sessions=bot.deps.sessions,
        rulebook=bot.deps.rulebook,
        actor="inbox",
        now=at(2026, 11, 30),
        today=date(2026, 11, 30),
    )
    import_file(path, context)  # ... and the bot stopped before moving it

    report = bot.run("inbox", at(2026, 11, 30, 9, 2))
    assert report.skipped == ["remit.835: already imported on Nov 30, 2026; nothing changed."]
    assert names(inbox / PROCESSED) == ["remit.835"]
    with bot.deps.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ImportFile)) == 1


def test_a_name_already_filed_gets_a_suffix(bot: JobBot, inbox: Path) -> None:
    drop(inbox, "remit.835", make_835([denied("PCN1")], check="A"))
    bot.run("inbox", at(2026, 11, 30))
    drop(inbox, "remit.835", make_835([denied("PCN2")], check="B"))
    bot.run("inbox", at(2026, 11, 30, 9, 2))
    assert names(inbox / PROCESSED) == ["remit-1.835", "remit.835"]
    assert free_name(inbox / PROCESSED, "remit.835").name == "remit-2.835"
    assert free_name(inbox / PROCESSED, "noext").name == "noext"


def test_a_missing_inbox_is_an_error_a_manager_hears_about(
    settings: Settings,
    sessions: sessionmaker[Session],
    rulebook: Rulebook,
    slack: SlackStandIn,
    tmp_path: Path,
) -> None:
    bot = JobBot.build(settings, sessions, rulebook, slack, inbox=tmp_path / "gone")
    assert bot.run("inbox", at(2026, 11, 30)).errors == [
        f"DENIALS_INBOX={tmp_path / 'gone'} is not a folder the bot can read"
    ]
    without = JobBot.build(settings, sessions, rulebook, slack, inbox=None)
    assert without.run("inbox", at(2026, 11, 30), manual=True).errors
    assert without.run("inbox", at(2026, 11, 30)).errors == []
