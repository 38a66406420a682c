"""Fill a fresh database with N denials spread like a real billing office's history.

    python -m bench.seed_db sqlite:////tmp/denials_1m.db 1000000

Three years of imports up to `TODAY`, one file a day. Volume scales with N: so do the payers'
share (a long tail of small payers), the rendering providers (one per 5,000 denials, at least
five) and the staff who work them (one per 20,000, at least three). Every denial has its
claim, plus `PAID_CLAIMS_PER_DENIAL` paid claims (the denial rate's denominator); about 12%
arrive in bursts of one pattern (one grouped card), the others one card each. Statuses follow
the deadline: old denials are mostly closed (recovered, written off, superseded), a small
lapsed backlog stays open; recent ones are new, in progress, appealed or resubmitted. Appeals
are recorded for appealed, resubmitted and most recovered denials.

Rows go in through the driver (sqlite3 executemany in big transactions, or PostgreSQL COPY),
with values converted once per distinct value by the column types' own bind processors, so the
stored bytes are what the bot itself would store. Same N and seed, same database.
"""

from __future__ import annotations

import json
import random
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from operator import itemgetter
from typing import Any

from psycopg import sql
from sqlalchemy import Engine, Table, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault

from bot.domain.payers import display_name, id_key, name_key
from bot.domain.root_causes import RootCauseTable
from bot.domain.statuses import CLOSED, WAITING_FOR_PAYER
from storage.bulk.claim_rows import pattern_key
from storage.bulk.insert import column_names
from storage.db import make_engine, upgrade
from storage.models import (
    Appeal,
    Claim,
    Denial,
    ImportFile,
    Payer,
    PayerAlias,
    Remittance,
    SlackPost,
)

TODAY = date(2026, 11, 30)
SPAN_DAYS = 3 * 365
SEED = 1835
PAID_CLAIMS_PER_DENIAL = 2
CHANNEL = "C0DENIALS"
CHUNK = 50_000

# (name, payer id or "", appeal window in days): a head of big payers and a long tail.
BIG_PAYERS: tuple[tuple[str, str, int], ...] = (
    ("MEDICARE PART B NORIDIAN JEB", "01182", 120),
    ("AETNA", "60054", 180),
    ("UNITEDHEALTHCARE", "87726", 180),
    ("CIGNA", "62308", 180),
    ("ANTHEM BLUE CROSS", "47198", 180),
    ("NC MEDICAID", "NCMCD", 30),
    ("HUMANA MEDICARE ADVANTAGE", "61101", 60),
    ("BLUE SHIELD OF CALIFORNIA", "94036", 365),
)
TAIL_PAYERS = 40
FIRST_NAMES = ("DANA", "RAVI", "ANH", "MARIA", "JOHN", "SOO", "CHIDI", "LUCA", "SARAH", "ALEX")
LAST_NAMES = ("LEE", "PATEL", "NGUYEN", "GARCIA", "SMITH", "KIM", "OKAFOR", "ROSSI", "COHEN")
PROCEDURES = ("99213", "99214", "99215", "99203", "99204", "90837", "90834", "97110", "97140")
PROCEDURES_RARE = ("20610", "36415", "80053", "71046", "93000", "G0439", "J1100", "97530")
# (group, CARC, RARC or "", weight)
REASONS: tuple[tuple[str, str, str, int], ...] = (
    ("CO", "197", "N54", 14),
    ("CO", "197", "", 6),
    ("CO", "16", "M127", 8),
    ("CO", "16", "N290", 6),
    ("CO", "16", "MA130", 2),
    ("CO", "11", "M76", 6),
    ("CO", "4", "N519", 4),
    ("CO", "97", "M15", 5),
    ("CO", "50", "N115", 6),
    ("CO", "50", "", 3),
    ("CO", "29", "", 4),
    ("CO", "18", "N522", 5),
    ("CO", "22", "MA04", 5),
    ("CO", "27", "N30", 6),
    ("CO", "31", "", 3),
    ("CO", "96", "N130", 4),
    ("CO", "B7", "N570", 2),
    ("CO", "170", "", 1),
    ("PR", "204", "N130", 3),
    ("OA", "18", "", 2),
    ("PI", "15", "N54", 2),
    ("CO", "252", "N706", 2),
    ("CO", "109", "", 2),
    ("CO", "119", "", 2),
)


@dataclass
class Seeded:
    """What the benchmarks need to know about a seeded database."""

    denials: int
    claims: int
    posts: int
    seconds: float
    today: date = TODAY
    sample_claims: list[str] = field(default_factory=list)  # claim numbers that exist
    card_posts: list[int] = field(default_factory=list)  # single-denial posts
    group_posts: list[int] = field(default_factory=list)  # grouped posts
    staff: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "denials": self.denials,
            "claims": self.claims,
            "posts": self.posts,
            "seconds": self.seconds,
            "today": self.today.isoformat(),
            "sample_claims": self.sample_claims,
            "card_posts": self.card_posts,
            "group_posts": self.group_posts,
            "staff": self.staff,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Seeded:
        return cls(
            denials=data["denials"],
            claims=data["claims"],
            posts=data["posts"],
            seconds=data["seconds"],
            today=date.fromisoformat(data["today"]),
            sample_claims=data["sample_claims"],
            card_posts=data["card_posts"],
            group_posts=data["group_posts"],
            staff=data["staff"],
        )


class Columns:
    """One table's rows by column name, as tuples in the order of its definition (the bot's
    storage/models.py: the one list of its columns), the columns a row leaves out given
    their default, or NULL."""

    def __init__(self, table: Table, dialect: Dialect) -> None:
        self.table = table
        self.names = column_names(table)
        self.dialect = dialect
        self._fixed: dict[str, Any] = {}
        for column in table.c:
            default = column.default
            if isinstance(default, ScalarElementColumnDefault):
                value = default.arg
            elif isinstance(default, CallableColumnDefault):
                make: Any = default.arg
                value = make(None)
            elif column.nullable:
                value = None
            else:
                continue  # each row must give it
            self._fixed[column.name] = self.convert(column.name, value)
        self._ordered = itemgetter(*self.names)

    def convert(self, name: str, value: Any) -> Any:
        """`value` as the bot would send it to the database for this column."""
        process = self.table.c[name].type.dialect_impl(self.dialect).bind_processor(self.dialect)
        return process(value) if process is not None else value

    def pool(self, name: str) -> Callable[[Any], Any]:
        """A memoized `convert` for a column whose values repeat (dates, codes, JSON)."""
        cache: dict[Any, Any] = {}

        def converted(value: Any) -> Any:
            key = (list, *value) if isinstance(value, list) else value
            try:
                return cache[key]
            except KeyError:
                cache[key] = result = self.convert(name, value)
                return result

        return converted

    def row(self, **values: Any) -> tuple[Any, ...]:
        """The row of `values` (converted already), by column name."""
        named = self._fixed | values
        if len(named) != len(self.names):
            unknown = sorted(set(values) - set(self.names))
            raise ValueError(f"seed: {self.table.name} has no column(s) {unknown}")
        try:
            row: tuple[Any, ...] = self._ordered(named)
        except KeyError as missing:
            raise ValueError(f"seed: {self.table.name}.{missing} needs a value") from None
        return row


@dataclass(frozen=True)
class Reason:
    group: str
    carc: str
    rarc: str
    category: str
    explanation: str
    weight: int

    @property
    def code(self) -> str:
        return f"{self.group}-{self.carc}"


def _reasons() -> list[Reason]:
    table = RootCauseTable.load()
    found = []
    for group, carc, rarc, weight in REASONS:
        category, explanation = table.categorize(group, carc, [rarc] if rarc else [])
        found.append(Reason(group, carc, rarc, category.value, explanation, weight))
    return found


def _payers(rnd: random.Random) -> list[tuple[str, str, int, str, int, float]]:
    """(name as written, payer id as written, payer's row id, rule key, appeal days, weight):
    Zipf-like weights."""
    payers = [(name, ident, days) for name, ident, days in BIG_PAYERS]
    for index in range(TAIL_PAYERS):
        payers.append((f"REGIONAL HEALTH PLAN {index + 1:02d}", f"R{index + 1:04d}", 90))
    weighted = []
    for rank, (name, ident, days) in enumerate(payers, start=1):
        weighted.append((name, ident, rank, "default", days, 1.0 / rank))
    return weighted


def _status(rnd: random.Random, days_left: int) -> str:
    roll = rnd.random()
    if days_left < -60:
        closed, waiting = 0.97, 0.02
    elif days_left < 0:
        closed, waiting = 0.55, 0.20
    else:
        closed, waiting = 0.25, 0.20
    if roll < closed:
        pick = rnd.random()
        return "recovered" if pick < 0.42 else "written_off" if pick < 0.95 else "superseded"
    if roll < closed + waiting:
        return "appealed" if rnd.random() < 0.8 else "resubmitted"
    return "new" if rnd.random() < 0.55 else "in_progress"


def _utc(day: date, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, 14, 0, tzinfo=UTC) + timedelta(minutes=minute)


class _Rows:
    """Generates every table's rows for `n` denials (tuples in `Columns.names` order)."""

    def __init__(self, n: int, dialect: Dialect, seed: int) -> None:
        self.n = n
        self.rnd = random.Random(seed)
        self.dialect = dialect
        self.reasons = _reasons()
        self.reason_weights = [r.weight for r in self.reasons]
        self.payers = _payers(self.rnd)
        self.payer_weights = [p[5] for p in self.payers]
        providers = max(5, n // 5000)
        self.providers = [
            (
                f"{LAST_NAMES[i % len(LAST_NAMES)]}, {FIRST_NAMES[(i // 9) % len(FIRST_NAMES)]}",
                f"1{i + 1:09d}",
            )
            for i in range(providers)
        ]
        self.staff = [f"USTAFF{i:03d}" for i in range(max(3, n // 20000))]
        self.seeded = Seeded(denials=n, claims=0, posts=0, seconds=0.0, staff=self.staff)
        # ids
        self.claim_id = 0
        self.denial_id = 0
        self.post_id = 0
        self.appeal_id = 0
        self.remittance_ids: dict[tuple[int, int], int] = {}

    def columns(self) -> dict[str, Columns]:
        models = (Payer, PayerAlias, ImportFile, Remittance, Claim, SlackPost, Denial, Appeal)
        return {_table(m).name: Columns(_table(m), self.dialect) for m in models}

    def generate(self, cols: dict[str, Columns]) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
        """(table, rows) chunks in an order that satisfies the foreign keys."""
        rnd = self.rnd
        n = self.n
        start = TODAY - timedelta(days=SPAN_DAYS - 1)
        # Volume grows 40% over the three years; denials per day drawn around that.
        day_weights = [1.0 + 0.4 * i / SPAN_DAYS for i in range(SPAN_DAYS)]
        total_weight = sum(day_weights)
        per_day = [int(n * w / total_weight) for w in day_weights]
        per_day[-1] += n - sum(per_day)
        c = cols
        conv_date = c["denials"].pool("deadline")
        conv_time = c["denials"].pool("created_at")
        conv_json = c["denials"].pool("reasons")
        conv_money = c["denials"].pool("denied_amount")
        conv_bool = c["denials"].pool("closed")
        claim_date = c["claims"].pool("notice_date")
        claim_money = c["claims"].pool("billed")
        claim_json = c["claims"].pool("lines")
        claim_bool = c["claims"].pool("is_denied")
        post_time = c["slack_posts"].pool("created_at")
        appeal_date = c["appeals"].pool("sent_on")
        appeal_money = c["appeals"].pool("outcome_amount")
        appeal_time = c["appeals"].pool("created_at")
        file_time = c["import_files"].pool("imported_at")
        file_money = c["import_files"].pool("denied_amount")
        rem_date = c["remittances"].pool("payment_date")
        rem_money = c["remittances"].pool("payment_amount")

        def reasons_json(value: Any) -> Any:
            return c["denials"].convert("reasons", value)

        reasons_cache: dict[tuple[str, str, int, str], Any] = {}
        zero = claim_money(Decimal(0))
        empty_lines = claim_json([])

        yield (
            "payers",
            [
                c["payers"].row(
                    id=payer_id, name=display_name(name), created_at=file_time(_utc(start, 0))
                )
                for name, _, payer_id, *_ in self.payers
            ],
        )
        yield (
            "payer_aliases",
            [
                c["payer_aliases"].row(
                    id=2 * payer_id - kind, payer_id=payer_id, kind=alias, key=key, text=text
                )
                for name, ident, payer_id, *_ in self.payers
                for kind, alias, key, text in (
                    (1, "id", id_key(ident), ident),
                    (0, "name", name_key(name), name),
                )
            ],
        )
        imports: list[tuple[Any, ...]] = []
        remittances: list[tuple[Any, ...]] = []
        claims: list[tuple[Any, ...]] = []
        denials: list[tuple[Any, ...]] = []
        posts: list[tuple[Any, ...]] = []
        appeals: list[tuple[Any, ...]] = []
        serial = 0
        for offset, count in enumerate(per_day):
            day = start + timedelta(days=offset)
            import_id = offset + 1
            imported_at = file_time(_utc(day, 0))
            imports.append(
                c["import_files"].row(
                    id=import_id,
                    file_name=f"remit_{day.isoformat()}.835",
                    sha256=f"{import_id:064x}",
                    source="835",
                    imported_by="inbox",
                    imported_at=imported_at,
                    claims=count * (1 + PAID_CLAIMS_PER_DENIAL),
                    denials=count,
                    denied_amount=file_money(Decimal(count * 150)),
                    recovered=0,
                )
            )
            left = count
            notice = day - timedelta(days=rnd.randint(1, 6))
            while left > 0:
                burst = rnd.random() < 0.03 and left >= 3
                size = min(left, rnd.randint(3, 24)) if burst else 1
                left -= size
                payer_name, payer_ident, payer_id, rule_key, appeal_days, _ = rnd.choices(
                    self.payers, self.payer_weights
                )[0]
                reason = rnd.choices(self.reasons, self.reason_weights)[0]
                provider_name, npi = self.providers[rnd.randrange(len(self.providers))]
                pattern = pattern_key(payer_id, reason.category, reason.code, npi)
                remittance = self.remittance_ids.get((import_id, payer_id))
                if remittance is None:
                    remittance = len(self.remittance_ids) + 1
                    self.remittance_ids[(import_id, payer_id)] = remittance
                    remittances.append(
                        c["remittances"].row(
                            id=remittance,
                            import_id=import_id,
                            payer_name=payer_name,
                            payer_identifier=payer_ident,
                            check_number=f"EFT{remittance:09d}",
                            payment_amount=rem_money(Decimal(rnd.randint(1000, 90000))),
                            production_date=rem_date(notice),
                            payment_date=rem_date(notice + timedelta(days=1)),
                        )
                    )
                self.post_id += 1
                post_id = self.post_id
                kind = "group" if burst else "card"
                posts.append(
                    c["slack_posts"].row(
                        id=post_id,
                        kind=kind,
                        pattern_key=pattern if burst else None,
                        import_id=import_id,
                        status="posted",
                        channel=CHANNEL,
                        ts=f"{1700000000 + post_id}.000100",
                        attempts=1,
                        created_at=post_time(_utc(day, 1)),
                        posted_at=post_time(_utc(day, 2)),
                    )
                )
                if burst and len(self.seeded.group_posts) < 50 and size >= 8:
                    self.seeded.group_posts.append(post_id)
                for _ in range(size):
                    serial += 1
                    billed_cents = rnd.choice((9500, 12500, 18000, 25000, 16000, 63000))
                    paid_cents = 0 if rnd.random() < 0.8 else billed_cents // 3
                    denied_cents = billed_cents - paid_cents
                    service = notice - timedelta(days=rnd.randint(10, 60))
                    deadline = notice + timedelta(days=appeal_days)
                    status = _status(rnd, (deadline - TODAY).days)
                    closed = status in CLOSED
                    # 2% of claim numbers come back: a claim denied again later.
                    if serial > 100 and rnd.random() < 0.02:
                        number = f"5101Z{rnd.randrange(1, serial):08d}"
                    else:
                        number = f"5101Z{serial:08d}"
                    if serial % max(1, n // 40) == 0 and len(self.seeded.sample_claims) < 40:
                        self.seeded.sample_claims.append(number)
                    cpt = (
                        PROCEDURES[rnd.randrange(len(PROCEDURES))]
                        if rnd.random() < 0.8
                        else PROCEDURES_RARE[rnd.randrange(len(PROCEDURES_RARE))]
                    )
                    assignee = (
                        None
                        if status == "new" and rnd.random() < 0.6
                        else self.staff[rnd.randrange(len(self.staff))]
                    )
                    staff_set = rnd.random() < 0.1
                    category = reason.category
                    if staff_set:
                        category = rnd.choice(("coding", "eligibility", "authorization", "other"))
                    updated = _utc(day, 60 * rnd.randint(1, 24 * 20))
                    closed_at = updated if closed else None
                    recovered = (
                        conv_money(Decimal(denied_cents * rnd.randint(30, 100) // 100) / 100)
                        if status == "recovered"
                        else None
                    )
                    self.claim_id += 1
                    claim_id = self.claim_id
                    line = [
                        {
                            "procedure": cpt,
                            "modifiers": [],
                            "qualifier": "HC",
                            "original_procedure": None,
                            "billed": str(Decimal(billed_cents) / 100),
                            "paid": str(Decimal(paid_cents) / 100),
                            "units": "1",
                            "service_date": service.isoformat(),
                            "line_control": None,
                            "adjustments": [
                                {
                                    "group": reason.group,
                                    "carc": reason.carc,
                                    "amount": str(Decimal(denied_cents) / 100),
                                    "quantity": None,
                                }
                            ],
                            "remarks": [reason.rarc] if reason.rarc else [],
                        }
                    ]
                    claims.append(
                        c["claims"].row(
                            id=claim_id,
                            import_id=import_id,
                            remittance_id=remittance,
                            payer_id=payer_id,
                            claim_number=number,
                            payer_claim_number=f"ICN{claim_id:011d}",
                            status_code="1",
                            kind="adjudicated",
                            billed=claim_money(Decimal(billed_cents) / 100),
                            paid=claim_money(Decimal(paid_cents) / 100),
                            service_date=claim_date(service),
                            notice_date=claim_date(notice),
                            rendering_npi=npi,
                            rendering_name=provider_name,
                            lines=c["claims"].convert("lines", line),
                            is_denied=claim_bool(True),
                            denied_amount=claim_money(Decimal(denied_cents) / 100),
                            source_line=claim_id,
                        )
                    )
                    for _ in range(PAID_CLAIMS_PER_DENIAL):
                        self.claim_id += 1
                        claims.append(
                            c["claims"].row(
                                id=self.claim_id,
                                import_id=import_id,
                                remittance_id=remittance,
                                payer_id=payer_id,
                                claim_number=f"5101P{self.claim_id:09d}",
                                payer_claim_number=f"ICN{self.claim_id:011d}",
                                status_code="1",
                                kind="adjudicated",
                                billed=claim_money(Decimal(billed_cents) / 100),
                                paid=claim_money(Decimal(billed_cents * 6 // 10) / 100),
                                service_date=claim_date(service),
                                notice_date=claim_date(notice),
                                rendering_npi=npi,
                                rendering_name=provider_name,
                                lines=empty_lines,
                                is_denied=claim_bool(False),
                                denied_amount=zero,
                                source_line=self.claim_id,
                            )
                        )
                    self.denial_id += 1
                    denial_id = self.denial_id
                    if not burst and len(self.seeded.card_posts) < 50 and denial_id % 7 == 0:
                        self.seeded.card_posts.append(post_id)
                    reasons_key = (reason.code, reason.rarc, denied_cents, cpt)
                    reasons = reasons_cache.get(reasons_key)
                    if reasons is None:
                        reasons = reasons_cache[reasons_key] = reasons_json(
                            [
                                {
                                    "code": reason.code,
                                    "rarcs": [reason.rarc] if reason.rarc else [],
                                    "amount": str(Decimal(denied_cents) / 100),
                                    "procedure": cpt,
                                    "category": reason.category,
                                    "explanation": reason.explanation,
                                }
                            ]
                        )
                    denials.append(
                        c["denials"].row(
                            id=denial_id,
                            claim_id=claim_id,
                            import_id=import_id,
                            post_id=post_id,
                            claim_number=number,
                            payer_claim_number=f"ICN{claim_id:011d}",
                            payer_id=payer_id,
                            provider_npi=npi,
                            provider_name=provider_name,
                            service_date=conv_date(service),
                            denial_date=conv_date(notice),
                            anchor_source="dtm405",
                            deadline=conv_date(deadline),
                            deadline_kind="appeal",
                            rule_key=rule_key,
                            cpts=conv_json([cpt]),
                            carcs=conv_json([reason.code]),
                            rarcs=conv_json([reason.rarc] if reason.rarc else []),
                            reasons=reasons,
                            explanation=reason.explanation,
                            billed_amount=conv_money(Decimal(billed_cents) / 100),
                            paid_amount=conv_money(Decimal(paid_cents) / 100),
                            denied_amount=conv_money(Decimal(denied_cents) / 100),
                            recovered_amount=recovered,
                            suggested_category=reason.category,
                            category=category,
                            category_source="staff" if staff_set else "auto",
                            category_set_by=self.staff[0] if staff_set else None,
                            patient_liable=conv_bool(reason.group == "PR"),
                            status=status,
                            closed=conv_bool(closed),
                            assignee=assignee,
                            pattern_key=pattern,
                            version=1 + (status != "new") + staff_set + (assignee is not None),
                            created_at=conv_time(_utc(day, 0)),
                            updated_at=conv_time(updated),
                            closed_at=conv_time(closed_at),
                        )
                    )
                    appealed = status in WAITING_FOR_PAYER or (
                        status == "recovered" and rnd.random() < 0.7
                    )
                    if appealed:
                        self.appeal_id += 1
                        sent = min(TODAY, notice + timedelta(days=rnd.randint(5, appeal_days)))
                        decided = status == "recovered"
                        appeals.append(
                            c["appeals"].row(
                                id=self.appeal_id,
                                denial_id=denial_id,
                                kind="corrected" if status == "resubmitted" else "appeal",
                                level="1",
                                method="portal",
                                sent_on=appeal_date(sent),
                                outcome="won" if decided else None,
                                outcome_amount=appeal_money(Decimal(denied_cents) / 100)
                                if decided
                                else None,
                                decided_on=appeal_date(min(TODAY, sent + timedelta(days=30)))
                                if decided
                                else None,
                                created_by=assignee or self.staff[0],
                                created_at=appeal_time(_utc(sent, 5)),
                            )
                        )
                if len(denials) >= CHUNK:
                    yield from _flush(imports, remittances, claims, posts, denials, appeals)
        yield from _flush(imports, remittances, claims, posts, denials, appeals)
        self.seeded.claims = self.claim_id
        self.seeded.posts = self.post_id


def _flush(*tables: list[tuple[Any, ...]]) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
    names = ("import_files", "remittances", "claims", "slack_posts", "denials", "appeals")
    for name, rows in zip(names, tables, strict=True):
        if rows:
            yield name, list(rows)
            rows.clear()


def _table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def seed(url: str, n: int, *, seed: int = SEED) -> Seeded:
    """Create the schema at `url` (which must be empty) and fill it; returns what was made."""
    started = time.perf_counter()
    engine = make_engine(url)
    try:
        upgrade(engine)
        rows = _Rows(n, engine.dialect, seed)
        columns = rows.columns()
        if engine.dialect.name == "sqlite":
            _load_sqlite(engine, columns, rows.generate(columns))
        else:
            _load_postgres(engine, columns, rows.generate(columns))
    finally:
        engine.dispose()
    rows.seeded.seconds = time.perf_counter() - started
    return rows.seeded


def _load_sqlite(
    engine: Engine, columns: dict[str, Columns], chunks: Iterable[tuple[str, list[Any]]]
) -> None:
    path = engine.url.database
    assert path
    engine.dispose()
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=OFF")  # a fresh file: nothing to roll back to
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("PRAGMA cache_size=-262144")  # 256 MB while the indexes grow
        connection.execute("PRAGMA temp_store=MEMORY")
        # Indexes are dropped and made again from their own SQL after the load: sorting once is
        # much faster than growing a dozen B-trees row by row. UNIQUE ones (no SQL) stay.
        indexes = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        ).fetchall()
        connection.execute("BEGIN")
        for name, _sql in indexes:
            connection.execute(f'DROP INDEX "{name}"')
        statements = {
            name: insert(c.table).compile(dialect=c.dialect, column_keys=list(c.names)).string
            for name, c in columns.items()
        }
        for name, rows in chunks:
            connection.executemany(statements[name], rows)
        for _name, sql in indexes:
            connection.execute(sql)
        connection.execute("COMMIT")
        # No ANALYZE: the bot never runs it, so its queries must do without statistics.
        connection.execute("PRAGMA journal_mode=WAL")  # what the bot runs with
    finally:
        connection.close()


def _load_postgres(
    engine: Engine, columns: dict[str, Columns], chunks: Iterable[tuple[str, list[Any]]]
) -> None:
    raw = engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        with driver.cursor() as cursor:
            for name, rows in chunks:
                copy_from = sql.SQL("COPY {} ({}) FROM STDIN").format(
                    sql.Identifier(name),
                    sql.SQL(", ").join(map(sql.Identifier, columns[name].names)),
                )
                with cursor.copy(copy_from) as copy:
                    for row in rows:
                        copy.write_row(row)
            for name in columns:
                restart = sql.SQL(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    "(SELECT coalesce(max(id), 1) FROM {}))"
                ).format(sql.Identifier(name))
                cursor.execute(restart, (name,))
            driver.commit()
            driver.autocommit = True
            cursor.execute("ANALYZE")
    finally:
        raw.close()


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m bench.seed_db DATABASE_URL DENIALS", file=sys.stderr)
        return 2
    made = seed(argv[0], int(argv[1]))
    print(json.dumps(made.to_json()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
