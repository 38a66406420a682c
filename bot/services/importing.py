"""Use case: import 835 remittances and CSV denial reports, one transaction per file.

A file is imported whole or not at all; the same file twice changes nothing; one bad file
never stops the others.
"""

from __future__ import annotations

import gc
import hashlib
import io
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import BinaryIO, Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks import thread_notes
from bot.blocks.text import plural
from bot.domain.records import ImportWarning, RejectedRow
from bot.domain.rulebook import Rulebook
from bot.errors import InputError
from bot.importers.csv_columns import ColumnMapping
from bot.importers.csv_report import CsvReport, MissingColumnsError, read_report, read_table
from bot.importers.x12_detect import HEAD_BYTES, transaction_set
from bot.importers.x835 import read_835
from bot.services.column_mappings import find_saved, mark_used, remember
from bot.services.status_links import close_paid_requests, link_missing_records
from storage.bulk.import_writer import ImportWriter, WriteCounts
from storage.bulk.insert import insert_one, table_of
from storage.bulk.outbox import enqueue_cards
from storage.models import ImportFile

log = logging.getLogger(__name__)
_FILES = table_of(ImportFile)

NOTHING_STORED = "Nothing from this file was stored"
Progress = Callable[[int, int], None]  # (bytes done, bytes total)


@dataclass
class FileOutcome:
    file_name: str
    status: Literal["imported", "duplicate", "refused"]
    source: str = ""
    import_id: int | None = None
    claims: int = 0
    denials: int = 0
    denied_amount: Decimal = Decimal(0)
    recovered: int = 0
    warnings: list[str] = field(default_factory=list)
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

    @property
    def ok(self) -> bool:
        return self.status != "refused"

    def summary_line(self) -> str:
        if self.status == "refused":
            reason = self.reason
            if NOTHING_STORED not in reason:
                reason += f". {NOTHING_STORED}; fix the file or ask the sender for a new one."
            return f"{self.file_name} was not imported: {reason}"
        if self.status == "duplicate":
            when = self.previously_imported_at
            on = f" on {when:%Y-%m-%d}" if when else ""
            return f"{self.file_name}: already imported{on}; nothing changed."
        if self.source == "277":
            return f"{self.file_name}: imported {', '.join(self._status_parts())}."
        parts = [f"{self.claims} claims", f"{self.denials} denials (${self.denied_amount:,.2f})"]
        if self.recovered:
            parts.append(f"{self.recovered} earlier denials paid")
        if self.rejected:
            parts.append(f"{len(self.rejected)} rows rejected")
        if self.warnings:
            parts.append(f"{len(self.warnings)} warnings")
        columns = f" Columns {self.columns}." if self.columns else ""
        return f"{self.file_name}: imported {', '.join(parts)}.{columns}"

    def _status_parts(self) -> list[str]:
        parts = [
            plural(self.claims, "claim status", "claim statuses"),
            plural(self.requests, "documentation request"),
            plural(self.rejections, "rejection"),
        ]
        if self.updated:
            parts.append(f"{self.updated} open ones updated")
        if self.accepted:
            parts.append(f"{plural(self.accepted, 'rejection')} closed: accepted by the payer")
        if self.known:
            parts.append(f"{self.known} already on file")
        if self.warnings:
            parts.append(plural(len(self.warnings), "warning"))
        return parts

    def detail_lines(self) -> list[str]:
        """Warnings and rejected rows, one line each, for the CLI and the Slack thread."""
        lines = [f"  warning: {w}" for w in self.warnings]
        lines += [f"  rejected line {r.line_number}: {r.reason}" for r in self.rejected]
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


def import_paths(
    paths: Iterable[Path],
    context: ImportContext,
    progress: Callable[[Path], Progress | None] | None = None,
) -> list[FileOutcome]:
    outcomes = []
    for path in expand_paths(paths):
        outcomes.append(import_file(path, context, progress=progress(path) if progress else None))
    return outcomes


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; folders give their visible files, sorted by name."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")
            )
        else:
            yield path


def import_file(
    source: Path | bytes,
    context: ImportContext,
    *,
    file_name: str | None = None,
    progress: Progress | None = None,
) -> FileOutcome:
    name = file_name or (source.name if isinstance(source, Path) else "upload")
    try:
        digest, size = _sha256(source)
    except OSError as error:
        return FileOutcome(name, "refused", reason=f"the file could not be read ({error.strerror})")
    with context.sessions() as session:
        query = select(_FILES.c.id, _FILES.c.source, _FILES.c.imported_at)
        earlier = session.execute(query.where(_FILES.c.sha256 == digest)).first()
        if earlier is not None:
            return FileOutcome(
                name,
                "duplicate",
                source=earlier.source,
                import_id=earlier.id,
                previously_imported_at=earlier.imported_at,
            )
    try:
        with _open(source) as stream, _older_objects_frozen():
            return _import_stream(stream, name, digest, size, context, progress)
    except MissingColumnsError as refusal:
        return FileOutcome(name, "refused", reason=refusal.describe(), columns_needed=refusal)
    except InputError as refusal:
        return FileOutcome(name, "refused", reason=refusal.describe())
    except Exception as error:  # a bug must not take the bot down or half-store a file
        log.error("import of a file failed unexpectedly: %s", type(error).__name__)
        log.debug("import failure", exc_info=True)
        return FileOutcome(
            name,
            "refused",
            reason=f"an internal error stopped the import ({type(error).__name__}); "
            "please report it to the denial-triage maintainers",
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
    kind = detect_format(stream.read(HEAD_BYTES))
    stream.seek(0)
    if kind == "277":
        return _import_277(stream, name, digest, context)
    # Core statements only, here and in the writer: the ORM's unit of work (and, in a fresh
    # process, its mapper configuration) cost more than the few rows it would handle.
    with context.sessions() as session, session.begin():
        import_id = insert_one(
            session.connection(),
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
        warnings, rejected, columns = read
        if progress:
            progress(size, size)
        counts = writer.counts
        warning_texts = [_warning_text(w) for w in warnings]
        _store_totals(session, import_id, counts, warning_texts, rejected)
        enqueue_cards(session, import_id, now=context.now, group_min=context.group_min)
        link_missing_records(session, context.now, import_id=import_id)
        close_paid_requests(session, context.now, import_id=import_id)
        return FileOutcome(
            name,
            "imported",
            source=kind,
            import_id=import_id,
            claims=counts.claims,
            denials=counts.denials,
            denied_amount=counts.denied_amount,
            recovered=counts.recovered,
            warnings=warning_texts,
            rejected=rejected,
            columns=columns,
        )


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
) -> tuple[list[ImportWarning], list[RejectedRow], str]:
    """Read the file's records into the writer; its warnings, rejected rows and, for a CSV,
    how its columns were decided."""
    if kind == "835":
        remittance = read_835(stream, file_name=name)
        for count, item in enumerate(remittance, start=1):
            writer.add(item)
            if progress and count % 500 == 0:
                progress(remittance.bytes_read, size)
        return remittance.warnings, [], ""
    report, columns = _read_report(stream, name, context, session)
    for claim in report.claims:
        writer.add(claim)
    return report.warnings, report.rejected, columns


def _read_report(
    stream: BinaryIO, name: str, context: ImportContext, session: Session
) -> tuple[CsvReport, str]:
    """The report read with the mapping given, else the one saved for its layout, else what
    detection finds; a given mapping is saved for the next file with these headers."""
    table = read_table(stream.read(), name)
    saved = None if context.csv_mapping else find_saved(session, table.signatures())
    report = read_report(table, context.csv_mapping or (saved.mapping if saved else None))
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
