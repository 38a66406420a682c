"""Use case: import the files dropped in `DENIALS_INBOX`, then file each under `processed/` or
`failed/` (with `NAME.error.txt` beside it saying why).

Nothing is lost if the bot stops mid-file: an import is one transaction keyed by the file's
sha256, so the same file picked up again after a crash is "already imported" and simply moves
to `processed/`. Files still being written are left alone: names ending `.part`/`.tmp`, and
anything modified in the last few seconds.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.rulebook import Rulebook
from bot.services.importing import FileOutcome, ImportContext, import_file
from bot.services.job_report import JobReport
from storage.models import ImportFile

log = logging.getLogger(__name__)

PROCESSED = "processed"
FAILED = "failed"
SETTLE_SECONDS = 5.0
IN_PROGRESS_SUFFIXES = (".part", ".tmp", ".partial", ".crdownload", ".download")
ERROR_SUFFIX = ".error.txt"
ACTOR = "inbox"
NOT_A_FOLDER = "DENIALS_INBOX={folder} is not a folder the bot can read"
MOVED_AWAY = "{name} was moved away by someone else while it was imported"


@dataclass
class Inbox:
    folder: Path
    sessions: sessionmaker[Session]
    rulebook: Rulebook
    settle: float = SETTLE_SECONDS
    zone: ZoneInfo | None = None  # the practice's, for the dates its summaries name
    channel: str | None = None  # where early warnings of repeat patterns go

    def run(self, *, now: datetime, today: date, wall_clock: float | None = None) -> JobReport:
        """Import every settled file; `now`/`today` stamp the import, `wall_clock` ages files."""
        report = JobReport("inbox")
        if not self.folder.is_dir():
            report.errors.append(NOT_A_FOLDER.format(folder=self.folder))
            return report
        context = ImportContext(
            sessions=self.sessions,
            rulebook=self.rulebook,
            actor=ACTOR,
            now=now,
            today=today,
            zone=self.zone,
            alert_channel=self.channel,
        )
        for path in self.ready_files(time.time() if wall_clock is None else wall_clock):
            self._one(path, context, report)
        return report

    def ready_files(self, wall_clock: float) -> list[Path]:
        """Visible, settled files directly in the inbox, oldest name first."""
        ready = []
        for path in sorted(self.folder.iterdir()):
            if path.name.startswith(".") or not path.is_file():
                continue
            if path.name.lower().endswith(IN_PROGRESS_SUFFIXES):
                continue
            try:
                if path.stat().st_mtime > wall_clock - self.settle:
                    continue  # still being written, most likely: next tick
            except FileNotFoundError:
                continue
            ready.append(path)
        return ready

    def _one(self, path: Path, context: ImportContext, report: JobReport) -> None:
        outcome = import_file(path, context)
        if outcome.status == "busy":  # left where it is: the next round tries it again
            report.skipped.append(outcome.summary_line())
            return
        if not outcome.ok and self._imported_already(path):
            # another replica imported it while we were reading it
            outcome = FileOutcome(path.name, "duplicate", reason=outcome.reason)
        if outcome.ok:
            moved = file_away(path, self.folder / PROCESSED)
            (report.sent if outcome.status == "imported" else report.skipped).append(
                outcome.summary_line()
            )
        else:
            moved = file_away(path, self.folder / FAILED)
            if moved is not None:
                write_error(moved, outcome)
            report.errors.append(outcome.summary_line())
        if moved is None:
            log.info(MOVED_AWAY.format(name=path.name))

    def _imported_already(self, path: Path) -> bool:
        digest = hashlib.sha256()
        try:
            with path.open("rb") as stream:
                while chunk := stream.read(1 << 20):
                    digest.update(chunk)
        except OSError:
            return False
        with self.sessions() as session:
            found = session.scalar(
                select(ImportFile.id).where(ImportFile.sha256 == digest.hexdigest())
            )
        return found is not None


def file_away(path: Path, folder: Path) -> Path | None:
    """Move `path` into `folder` with `os.replace`; a clash gets `-1`, `-2`... before the suffix.

    None when the file is gone already (another process filed it).
    """
    folder.mkdir(exist_ok=True)
    target = free_name(folder, path.name)
    try:
        os.replace(path, target)
    except FileNotFoundError:
        return None
    return target


def free_name(folder: Path, name: str) -> Path:
    candidate = folder / name
    stem, dot, suffix = name.partition(".")
    number = 0
    while candidate.exists() or _error_file(candidate).exists():
        number += 1
        candidate = folder / f"{stem}-{number}{dot}{suffix}"
    return candidate


def write_error(moved: Path, outcome: FileOutcome) -> None:
    lines = [outcome.summary_line(), *outcome.detail_lines()]
    _error_file(moved).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _error_file(path: Path) -> Path:
    return path.with_name(path.name + ERROR_SUFFIX)
