"""Use case: import 835 remittances and CSV denial reports, one transaction per file.

A file is imported whole or not at all; the same file twice changes nothing, and neither does
the same adjudication in another file (bot.domain.identity); one bad file never stops the
others. Imports are one at a time per database (storage.db.lock_imports): what one stores, the
next one sees.
"""

from __future__ import annotations

import gc
import hashlib
import io
import logging
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import BinaryIO, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks import thread_notes
from bot.blocks.text import plural
from bot.domain.records import ImportWarning, RejectedRow
from bot.domain.rulebook import Rulebook
from bot.errors import DatabaseBusyError, InputError
from bot.importers.csv_columns import ColumnMapping
from bot.importers.csv_report import (
    BadRowsError,
    CsvReport,
    MissingColumnsError,
    read_report,
    read_table,
)
from bot.importers.file_kind import file_kind
from bot.importers.x12_detect import HEAD_BYTES, transaction_set
from bot.importers.x835 import read_835
from bot.services.column_mappings import find_saved, mark_used, remember
from bot.services.pattern_watch import watch_import
from bot.services.status_links import close_paid_requests, link_missing_records
from storage.bulk.import_lock import busy_or_none, lock_imports
from storage.bulk.import_writer import ImportWriter, WriteCounts
from storage.bulk.insert import insert_one, table_of
from storage.bulk.outbox import enqueue_cards
from storage.models import ImportFile
from storage.send_ledger import SendLedger

log = logging.getLogger(__name__)
_FILES = table_of(ImportFile)

NOTHING_STORED = "Nothing from this file was stored"
Progress = Callable[[int, int], None]  # (bytes done, bytes total)


@dataclass(frozen=True, slots=True)
class AlreadyImported:
    """Claims of a file stored already, by the import that brought them first."""

    file_name: str
    imported_at: datetime
    claims: int


@dataclass
class FileOutcome:
    file_name: str
    status: Literal["imported", "duplicate", "refused", "busy"]
    source: str = ""
    import_id: int | None = None
    claims: int = 0
    denials: int = 0
    denied_amount: Decimal = Decimal(0)
    recovered: int = 0
    recovered_amount: Decimal = Decimal(0)  # what those payments gave the denials they answer
    warnings: list[str] = field(default_factory=list)
    # a report's rows left out on purpose (`skip_bad_rows`): without it they refuse the file
    rejected: list[RejectedRow] = field(default_factory=list)
    reason: str = ""
    previously_imported_at: datetime | None = None
    columns: str = ""  # how a CSV's columns were decided, when worth saying (inferred, saved)
    columns_needed: MissingColumnsError | None = None  # refused for want of a column: what was seen
    # a 277: new documentation requests and rejections, open ones the payer added to, earlier
    # rejections closed by an acceptance, findings already on file
    requests: int = 0
    rejections: int = 0
    updated: int = 0
    accepted: int = 0
    known: int = 0
    # an 835 or report: adjudications stored already by earlier imports, and repeated in it
    already: list[AlreadyImported] = field(default_factory=list)
    repeated: int = 0
    data_rows: int = 0  # a report's rows that were claim rows (imported or left out)
    bad_rows: BadRowsError | None = None  # refused for rows that cannot be read: which, others
    zone: ZoneInfo | None = None  # the practice's, for the dates a summary names
    path: Path | None = None  # where it was read from (`denials import`), when a path

    @property
    def rows_imported(self) -> int:
        """A report's rows that were imported: the `rejected` ones were left out."""
        return self.data_rows - len(self.rejected)

    @property
    def ok(self) -> bool:
        """Imported, or nothing to import: a refused file, or one the busy database could not
        take now, is not."""
        return self.status in ("imported", "duplicate")

    def summary_line(self) -> str:
        if self.status == "refused":
            reason = self.reason
            if "was stored" not in reason:  # the reason says so itself, else this does
                reason += f". {NOTHING_STORED}; fix the file or ask the sender for a new one."
            return f"{self.file_name} was not imported: {reason}"
        if self.status == "busy":
            return f"{self.file_name} was not imported now: {self.reason}"
        if self.status == "duplicate" and self.already:
            return f"{self.file_name}: already imported ({self._already_text()}); nothing changed."
        if self.status == "duplicate":
            when = self.previously_imported_at
            on = f" on {self._day(when)}" if when else ""
            return f"{self.file_name}: already imported{on}; nothing changed."
        if self.source == "277":
            return f"{self.file_name}: imported {', '.join(self._status_parts())}."
        parts = [
            plural(self.claims, "claim"),
            f"{plural(self.denials, 'denial')} (${self.denied_amount:,.2f})",
        ]
        if self.recovered:
            parts.append(
                f"{plural(self.recovered, 'earlier denial')} paid "
                f"(${self.recovered_amount:,.2f} recovered)"
            )
        if self.rejected:
            parts.append(f"{plural(len(self.rejected), 'row')} left out on purpose")
        if self.warnings:
            parts.append(plural(len(self.warnings), "warning"))
        known = ""
        if self.already or self.repeated:
            said = self._already_text()
            known = f" {said[:1].upper()}{said[1:]}."
        columns = f" Columns {self.columns}." if self.columns else ""
        return f"{self.file_name}: imported {', '.join(parts)}.{known}{columns}"

    def _already_text(self) -> str:
        """`54 claims already imported from remit_a.835 on Nov 3`, and the file's repeats."""
        shown = [
            f"{plural(a.claims, 'claim')} already imported from {a.file_name} on "
            f"{self._day(a.imported_at)}"
            for a in self.already[:3]
        ]
        others = self.already[3:]
        if others:
            count = sum(a.claims for a in others)
            shown.append(f"{plural(count, 'claim')} from {plural(len(others), 'other file')}")
        if self.repeated:
            shown.append(f"{plural(self.repeated, 'claim')} repeated in this file, stored once")
        return "; ".join(shown)

    def _day(self, when: datetime) -> str:
        local = when.astimezone(self.zone) if self.zone is not None else when
        return f"{local:%b} {local.day}, {local.year}"

    def _status_parts(self) -> list[str]:
        parts = [
            plural(self.claims, "claim status", "claim statuses"),
            plural(self.requests, "documentation request"),
            plural(self.rejections, "rejection"),
        ]
        if self.updated:
            parts.append(f"{self.updated} open {'one' if self.updated == 1 else 'ones'} updated")
        if self.accepted:
            parts.append(f"{plural(self.accepted, 'rejection')} closed: accepted by the payer")
        if self.known:
            parts.append(f"{self.known} already on file")
        if self.warnings:
            parts.append(plural(len(self.warnings), "warning"))
        return parts

    def detail_lines(self) -> list[str]:
        """Warnings and rows left out, one line each, for the CLI and the Slack thread."""
        lines = [f"  warning: {w}" for w in self.warnings]
        lines += [f"  left out: {r.reason}" for r in self.rejected]
        return lines


@dataclass(frozen=True)
class ImportContext:
    sessions: sessionmaker[Session]
    rulebook: Rulebook
    actor: str  # "cli:<user>", "slack:<team>:<user>", "inbox"
    now: datetime
    today: date
    csv_mapping: ColumnMapping | None = None
    group_min: int = 3
    # A report row with a value that cannot be read refuses the file; with this, the rest is
    # imported on purpose and what was left out is listed (`--skip-bad-rows`, the Slack button).
    skip_bad_rows: bool = False
    zone: ZoneInfo | None = None  # the practice's time zone, for dates in summaries
    # Where early warnings of repeat patterns go (DENIALS_CHANNEL); without one they are
    # still recorded and listed by `/denials patterns`.
    alert_channel: str | None = None


def import_paths(
    paths: Iterable[Path],
    context: ImportContext,
    progress: Callable[[Path], Progress | None] | None = None,
) -> list[FileOutcome]:
    """Every file of `paths` (a folder gives its files); one outcome each, in order. A path
    that cannot be imported (missing, unreadable, not a file) is one refused outcome: the
    others are imported all the same."""
    outcomes = []
    for path in expand_paths(paths):
        if isinstance(path, FileOutcome):
            outcomes.append(path)
            continue
        bar = progress(path) if progress and _regular(path) else None
        outcome = import_file(path, context, progress=bar)
        outcome.path = path
        outcomes.append(outcome)
    return outcomes


def expand_paths(paths: Iterable[Path]) -> Iterator[Path | FileOutcome]:
    """Paths as given; a folder gives its visible entries (not its subfolders), sorted by
    name; a folder that cannot be read is a refused outcome."""
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        try:
            entries = sorted(p for p in path.iterdir() if not p.name.startswith("."))
        except OSError as error:
            yield FileOutcome(
                str(path),
                "refused",
                path=path,
                reason=f"the folder could not be read ({error.strerror}); check that the bot "
                "may read it. Nothing from it was stored; the other paths were imported.",
            )
            continue
        yield from (entry for entry in entries if not entry.is_dir())


def import_file(
    source: Path | bytes,
    context: ImportContext,
    *,
    file_name: str | None = None,
    progress: Progress | None = None,
) -> FileOutcome:
    name = file_name or (source.name if isinstance(source, Path) else "upload")
    if isinstance(source, Path) and (problem := _not_a_file(source)):
        return FileOutcome(name, "refused", reason=f"{problem}. {NOTHING_STORED}.")
    try:
        digest, size = _sha256(source)
    except OSError as error:
        return FileOutcome(name, "refused", reason=f"the file could not be read ({error.strerror})")
    with context.sessions() as session:
        earlier = _imported(session, digest, name, context)
    if earlier is not None:
        return earlier
    try:
        with _open(source) as stream, _older_objects_frozen():
            return _import_stream(stream, name, digest, size, context, progress)
    except MissingColumnsError as refusal:
        return FileOutcome(name, "refused", reason=refusal.describe(), columns_needed=refusal)
    except BadRowsError as refusal:
        return FileOutcome(name, "refused", reason=refusal.describe(), bad_rows=refusal)
    except InputError as refusal:
        return FileOutcome(name, "refused", reason=refusal.describe())
    except DatabaseBusyError as waited:
        return FileOutcome(name, "busy", reason=str(waited))
    except OperationalError as error:
        busy = busy_or_none(error)
        if busy is None:
            return _internal_error(name, "OperationalError")
        return FileOutcome(name, "busy", reason=str(busy))
    except IntegrityError:
        # The same file imported by another process at the same moment: it committed first.
        with context.sessions() as session:
            earlier = _imported(session, digest, name, context)
        if earlier is not None:
            return earlier
        return _internal_error(name, "IntegrityError")
    except Exception as error:  # a bug must not take the bot down or half-store a file
        return _internal_error(name, type(error).__name__)


def _internal_error(name: str, kind: str) -> FileOutcome:
    log.error("import of a file failed unexpectedly: %s", kind)
    log.debug("import failure", exc_info=True)
    return FileOutcome(
        name,
        "refused",
        reason=f"an internal error stopped the import ({kind}); "
        "please report it to the denial-triage maintainers",
    )


def _imported(
    session: Session, digest: str, name: str, context: ImportContext
) -> FileOutcome | None:
    """The outcome of a file imported before (the same bytes), or None."""
    query = select(_FILES.c.id, _FILES.c.source, _FILES.c.imported_at)
    earlier = session.execute(query.where(_FILES.c.sha256 == digest)).first()
    if earlier is None:
        return None
    return FileOutcome(
        name,
        "duplicate",
        source=earlier.source,
        import_id=earlier.id,
        previously_imported_at=earlier.imported_at,
        zone=context.zone,
    )


def _import_stream(
    stream: BinaryIO,
    name: str,
    digest: str,
    size: int,
    context: ImportContext,
    progress: Progress | None,
) -> FileOutcome:
    if size == 0:
        raise InputError("the file is empty; export it again from the payer portal or PM system")
    head = stream.read(HEAD_BYTES)
    file_kind(head)  # refuses a PDF, an image, an archive, a binary file, naming it
    kind = detect_format(head)
    stream.seek(0)
    if kind == "277":
        return _import_277(stream, name, digest, context)
    with context.sessions() as session:
        transaction = session.begin()
        try:
            outcome = _store(stream, kind, name, digest, size, context, progress, session)
        except BaseException:
            transaction.rollback()
            raise
        if outcome.status == "imported":
            transaction.commit()
        else:  # nothing new in it: what the import wrote (its own row) goes
            transaction.rollback()
        return outcome


def _store(
    stream: BinaryIO,
    kind: Literal["835", "csv"],
    name: str,
    digest: str,
    size: int,
    context: ImportContext,
    progress: Progress | None,
    session: Session,
) -> FileOutcome:
    """The file's records written in the session's transaction, and what came of it: a file
    whose every adjudication was stored already is a "duplicate" (the caller rolls back)."""
    # Core statements only, here and in the writer: the ORM's unit of work (and, in a fresh
    # process, its mapper configuration) cost more than the few rows it would handle.
    connection = session.connection()
    lock_imports(connection)  # one import at a time: each sees what the last one stored
    earlier = _imported(session, digest, name, context)
    if earlier is not None:  # the same file, imported while this one waited its turn
        return earlier
    import_id = insert_one(
        connection,
        _FILES,
        file_name=name[:255],
        sha256=digest,
        source=kind,
        imported_by=context.actor,
        imported_at=context.now,
    )
    # The writer inserts on a thread of its own: leaving this block waits for it, also
    # when the file is refused half-way, before the transaction rolls back.
    with ImportWriter(
        session,
        context.rulebook,
        import_id=import_id,
        imported_on=context.today,
        now=context.now,
        actor=context.actor,
        paid_note=partial(thread_notes.paid_by_remittance, file_name=name),
    ) as writer:
        read = _write_records(stream, kind, name, size, writer, context, progress, session)
        writer.flush()
    warnings, rejected, columns, data_rows = read
    if progress:
        progress(size, size)
    counts = writer.counts
    outcome = FileOutcome(
        name,
        "imported",
        source=kind,
        import_id=import_id,
        claims=counts.claims,
        denials=counts.denials,
        denied_amount=counts.denied_amount,
        recovered=counts.recovered,
        recovered_amount=counts.recovered_amount,
        warnings=[_warning_text(w) for w in warnings],
        rejected=rejected,
        data_rows=data_rows,
        columns=columns,
        already=_already(session, counts),
        repeated=counts.repeated,
        zone=context.zone,
    )
    if not counts.claims and not counts.provider_adjustments and counts.known:
        outcome.status, outcome.import_id = "duplicate", None
        return outcome
    _store_totals(session, import_id, counts, outcome.warnings, rejected)
    enqueue_cards(session, import_id, now=context.now, group_min=context.group_min)
    watch_import(
        session,
        import_id,
        now=context.now,
        zone_today=context.today,
        channel=context.alert_channel,
        ledger=SendLedger(context.sessions),
    )
    link_missing_records(session, context.now, import_id=import_id)
    close_paid_requests(session, context.now, import_id=import_id)
    return outcome


def _already(session: Session, counts: WriteCounts) -> list[AlreadyImported]:
    """The earlier imports that brought this file's known adjudications, oldest first."""
    if not counts.already:
        return []
    rows = session.execute(
        select(_FILES.c.id, _FILES.c.file_name, _FILES.c.imported_at)
        .where(_FILES.c.id.in_(sorted(counts.already)))
        .order_by(_FILES.c.id)
    )
    return [AlreadyImported(r.file_name, r.imported_at, counts.already[r.id]) for r in rows]


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def _not_a_file(path: Path) -> str | None:
    """Why `path` cannot be read as a file, without opening it (a named pipe would block)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "there is no such file or folder; check the path"
    except OSError as error:
        return f"it could not be read ({error.strerror})"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "it is a folder; import the files in it"
    what = (
        "a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    )
    return f"it is {what}, not a file; nothing was read from it"


def _store_totals(
    session: Session,
    import_id: int,
    counts: WriteCounts,
    warnings: list[str],
    rejected: list[RejectedRow],
) -> None:
    session.execute(
        update(_FILES)
        .where(_FILES.c.id == import_id)
        .values(
            claims=counts.claims,
            denials=counts.denials,
            denied_amount=counts.denied_amount,
            recovered=counts.recovered,
            warnings=warnings,
            rejected_rows=[{"line": r.line_number, "reason": r.reason} for r in rejected],
        )
    )


def _write_records(
    stream: BinaryIO,
    kind: Literal["835", "csv"],
    name: str,
    size: int,
    writer: ImportWriter,
    context: ImportContext,
    progress: Progress | None,
    session: Session,
) -> tuple[list[ImportWarning], list[RejectedRow], str, int]:
    """Read the file's records into the writer; its warnings, the rows left out on purpose
    and, for a CSV, how its columns were decided and how many claim rows it has."""
    if kind == "835":
        remittance = read_835(stream, file_name=name)
        for count, item in enumerate(remittance, start=1):
            writer.add(item)
            if progress and count % 500 == 0:
                progress(remittance.bytes_read, size)
        return remittance.warnings, [], "", 0
    report, columns = _read_report(stream, name, context, session)
    for claim in report.claims:
        writer.add(claim)
    return report.warnings, report.rejected, columns, report.data_rows


def _read_report(
    stream: BinaryIO, name: str, context: ImportContext, session: Session
) -> tuple[CsvReport, str]:
    """The report read with the mapping given, else the one saved for its layout, else what
    detection finds; a given mapping is saved for the next file with these headers."""
    table = read_table(stream.read(), name)
    saved = None if context.csv_mapping else find_saved(session, table.signatures())
    report = read_report(
        table,
        context.csv_mapping or (saved.mapping if saved else None),
        skip_bad_rows=context.skip_bad_rows,
    )
    if saved is not None:
        mark_used(session, saved.id, context.now)
        return report, f"as {saved.source()} (mapping {saved.id})"
    if context.csv_mapping is not None and report.signature:
        remember(
            session,
            signature=report.signature,
            headers=report.header,
            mapping=context.csv_mapping,
            file_name=name,
            actor=context.actor,
            now=context.now,
        )
        return report, "as named; saved for the next file with these headers"
    return report, f"inferred: {report.columns}" if report.columns else ""


def detect_format(head: bytes) -> Literal["835", "277", "csv"]:
    """X12 starts with ISA (or ST when the envelope is missing): a 277 goes to the 277 reader,
    any other X12 to the 835 reader (which names what it is when it is not an 835); anything
    else is a CSV."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not (text[:3] == b"ISA" or text[:3] in (b"ST*", b"ST|")):
        return "csv"
    return "277" if transaction_set(head) == "277" else "835"


def _import_277(stream: BinaryIO, name: str, digest: str, context: ImportContext) -> FileOutcome:
    # Imported here: an 835 or CSV import does not load the 277 reader and its cards.
    from bot.services.status_import import import_status_stream

    with context.sessions() as session, session.begin():
        lock_imports(session.connection())  # one import at a time, as for an 835
        result = import_status_stream(
            session,
            stream,
            name=name,
            digest=digest,
            rules=context.rulebook.payer_rules,
            actor=context.actor,
            now=context.now,
            today=context.today,
        )
    counts = result.counts
    return FileOutcome(
        name,
        "imported",
        source="277",
        import_id=result.import_id,
        claims=counts.statuses,
        warnings=result.warnings,
        requests=counts.requests,
        rejections=counts.rejections,
        updated=counts.updated,
        accepted=counts.accepted,
        known=counts.known,
    )


def _warning_text(warning: ImportWarning) -> str:
    if warning.segment_number is not None:
        where = f"segment {warning.segment_number}"
        if warning.segment_id:
            where += f" ({warning.segment_id})"
        return f"{where}: {warning.message}"
    return warning.message


@contextmanager
def _older_objects_frozen() -> Iterator[None]:
    """Keep the garbage collector off the objects that existed before the import.

    An import makes millions of short-lived objects; the full collections they set off would
    each scan every object of the process (modules, SQLAlchemy's metadata, Slack's client…),
    about 5% of a large import. The frozen objects are back under collection afterwards, and
    an import running meanwhile in another thread only loses the same saving.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _sha256(source: Path | bytes) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with _open(source) as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _open(source: Path | bytes) -> BinaryIO:
    return io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")
