"""Refusals that say the truth: each names the file (and segment, element or line) and what to
do, never hangs, never stores half a file, and lets the other files through."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

import storage.bulk.import_lock as import_lock
import storage.db
from bot.cli import main
from bot.clock import Clock
from bot.domain.rulebook import Rulebook
from bot.services.importing import ImportContext, import_file
from bot.services.inbox import Inbox
from storage.db import make_engine, make_session_factory
from storage.models import Claim
from tests.conftest import DATA
from tests.support.x835 import denied, make_835

Sessions = sessionmaker[Session]


@pytest.fixture
def context(sessions: Sessions, rulebook: Rulebook, clock: Clock) -> ImportContext:
    return ImportContext(
        sessions=sessions, rulebook=rulebook, actor="cli:test", now=clock.now(), today=clock.today()
    )


def claims(sessions: Sessions) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(Claim)) or 0


@pytest.mark.parametrize(
    ("head", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "a gzip archive"),
        (b"\x00\x01\x02\x03garbage\x00\xff\xfe", "a binary file"),
    ],
)
def test_a_binary_file_is_named_for_what_it_is(
    context: ImportContext, sessions: Sessions, head: bytes, what: str
) -> None:
    """A PDF renamed `.835` used to get the CSV header message."""
    outcome = import_file(head + bytes(range(256)) * 4, context, file_name="remit.835")
    assert outcome.status == "refused"
    assert outcome.summary_line() == (
        f"remit.835 was not imported: this is {what}, not an 835 remittance, a 277 or a denial "
        "report. Nothing from this file was stored; download the 835 (ERA) file from the payer "
        "or clearinghouse, or export the report as CSV or .xlsx, and import that."
    )
    assert claims(sessions) == 0


def test_utf16_and_workbooks_are_not_mistaken_for_binary(
    context: ImportContext, sessions: Sessions
) -> None:
    report = (DATA / "csv" / "generic_denial_export.csv").read_text(encoding="utf-8-sig")
    assert import_file(report.encode("utf-16"), context, file_name="r.csv").status == "imported"
    workbook = DATA / "csv" / "advancedmd_denial_detail.xlsx"
    assert import_file(workbook, context).status == "imported"


def test_a_20_digit_amount_is_refused_naming_segment_and_element(
    context: ImportContext, sessions: Sessions
) -> None:
    """It used to end in "internal error … report a bug" from the database's integer column."""
    data = make_835([denied("C1")]).replace(b"CLP*C1*1*100*0", b"CLP*C1*1*12345678901234567890*0")
    outcome = import_file(data, context, file_name="remit.835")
    assert outcome.summary_line().startswith(
        'remit.835 was not imported: segment 11 (CLP): amount "12345678901234567890" in CLP03 '
        "is too large to be an amount"
    )
    assert "internal error" not in outcome.summary_line()


def test_the_cas_typo_refuses_the_file_instead_of_losing_the_denial(
    context: ImportContext, sessions: Sessions
) -> None:
    data = make_835([denied("C1", amount="63")]).replace(b"CAS*CO*197*63", b"CAS*CO*197*63O")
    outcome = import_file(data, context, file_name="remit.835")
    assert outcome.summary_line().startswith(
        'remit.835 was not imported: segment 17 (CAS): amount "63O" in CAS03 is not a number.'
    )
    assert claims(sessions) == 0


@pytest.mark.usefixtures("terminal")
def test_a_named_pipe_is_refused_without_hanging_and_the_other_files_import(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fifo = tmp_path / "remit.835"
    os.mkfifo(fifo)
    good = tmp_path / "good.835"
    good.write_bytes(make_835([denied("G1")]))
    started = time.monotonic()
    code = main(["import", str(fifo), str(tmp_path)])
    out, err = capsys.readouterr()
    assert time.monotonic() - started < 30
    assert code == 1
    assert err.count("remit.835 was not imported: it is a named pipe, not a file;") == 2
    assert out == "good.835: imported 1 claim, 1 denial ($100.00).\n"


@pytest.mark.usefixtures("terminal")
def test_an_unreadable_folder_is_reported_and_the_other_files_still_import(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    good = tmp_path / "good.835"
    good.write_bytes(make_835([denied("G1")]))
    real = Path.iterdir

    def iterdir(path: Path) -> Iterator[Path]:
        if path == locked:  # the tests run as root, whom chmod does not stop
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    code = main(["import", str(locked), str(good)])
    out, err = capsys.readouterr()
    assert code == 1
    assert err == (
        f"{locked} was not imported: the folder could not be read (Permission denied); check "
        "that the bot may read it. Nothing from it was stored; the other paths were imported.\n"
    )
    assert "Traceback" not in err
    assert out == "good.835: imported 1 claim, 1 denial ($100.00).\n"


# -- a busy database --------------------------------------------------------------------------


@contextmanager
def database_held(engine: Engine) -> Iterator[None]:
    """Another writer holding the database (SQLite's write lock, or the imports' turn)."""
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")
            connection.execute(text(f"SELECT pg_advisory_xact_lock({import_lock._LOCK_KEY})"))
        try:
            yield
        finally:
            connection.exec_driver_sql("ROLLBACK")


def test_a_busy_database_says_so_and_the_inbox_tries_again_later(
    database_url: str,
    engine: Engine,
    rulebook: Rulebook,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """It used to tell the person to fix their (good) file."""
    monkeypatch.setattr(storage.db, "SQLITE_BUSY_MS", 300)  # connections made from now on
    monkeypatch.setattr(import_lock, "WAIT_SECONDS", 1)
    impatient = make_engine(database_url)
    sessions = make_session_factory(impatient)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    dropped = inbox / "remit.835"
    dropped.write_bytes(make_835([denied("C1")]))
    os.utime(dropped, (time.time() - 3600, time.time() - 3600))
    folder = Inbox(inbox, sessions, rulebook)
    try:
        with database_held(engine):
            report = folder.run(now=clock.now(), today=clock.today())
        assert report.errors == []
        (said,) = report.skipped
        assert said.startswith("remit.835 was not imported now: the database is busy")
        assert "it is tried again on the next inbox round" in said
        assert dropped.exists()  # left for the next round
        again = folder.run(now=clock.now(), today=clock.today())
        assert again.sent == ["remit.835: imported 1 claim, 1 denial ($100.00)."]
        assert not dropped.exists()
    finally:
        impatient.dispose()


def test_an_import_waits_its_turn_while_another_runs(
    engine: Engine, context: ImportContext, sessions: Sessions
) -> None:
    """Within the wait, the second import goes through once the first is done."""
    done = threading.Event()

    def hold() -> None:
        with database_held(engine):
            done.wait(timeout=2)
            time.sleep(0.3)

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.1)
    done.set()
    outcome = import_file(make_835([denied("C1")]), context, file_name="remit.835")
    holder.join()
    assert outcome.status == "imported", outcome.summary_line()
