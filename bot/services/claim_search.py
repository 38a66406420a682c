"""Find denials by what people type: the practice's claim number or the id on a card (`D-1042`).

Exact claim numbers first (several denials can share one: different payers, or a claim denied
again later); a bare number is also tried as a denial id. Without an exact match, claim numbers
that start like what was typed are offered, never acted on. Case never matters: claim numbers
are stored as given and compared in capitals, through ix_denials_claim_key on
upper(claim_number), so no step reads every denial.
"""

from __future__ import annotations

import difflib
import re
import string
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, exists, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.command_replies import MatchView as ClaimMatch
from bot.domain.bounds import MAX_CLAIM_CHARS
from bot.domain.statuses import COUNTED
from bot.services.status_filter import status_in
from storage.models import Denial

DENIAL_ID = re.compile(r"^[Dd]-?(\d{1,12})$")
MAX_MATCHES = 10
MIN_PREFIX = 4  # shorter prefixes match too much to be a useful suggestion
# Without a longer shared start (a typo near the front: 5011Z88001 for 5101Z88001), the claim
# numbers most like what was typed among those with its first character: a bounded read.
FUZZY_POOL = 5000
FUZZY_CUTOFF = 0.75
_claim_key = func.upper(Denial.claim_number)  # what ix_denials_claim_key indexes
# SQLite's upper() changes ASCII letters only; a prefix range must fold the same way.
ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


@dataclass(frozen=True, slots=True)
class Lookup:
    asked: str
    matches: tuple[ClaimMatch, ...] = ()  # exactly what was asked for
    similar: tuple[ClaimMatch, ...] = ()  # claim numbers that start alike, closest first
    hint: str | None = None  # a shorter claim number to try with `find`

    @property
    def one(self) -> ClaimMatch | None:
        return self.matches[0] if len(self.matches) == 1 else None


def lookup_claim(sessions: sessionmaker[Session], asked: str) -> Lookup:
    """The denials `asked` names, or the claim numbers closest to it."""
    with sessions() as session:
        return _lookup(session, asked)


def _lookup(session: Session, asked: str) -> Lookup:
    if len(asked) > MAX_CLAIM_CHARS:  # no claim number is that long: one query per character
        return Lookup(asked)
    by_id = DENIAL_ID.match(asked)
    if by_id:
        denial = session.get(Denial, int(by_id.group(1)))
        return Lookup(asked, matches=(_match(denial),) if denial else ())
    any_case = list(session.scalars(_query(_claim_key == func.upper(asked))))
    exact = [denial for denial in any_case if denial.claim_number == asked]
    if asked.isdigit() and len(asked) <= 12:
        denial = session.get(Denial, int(asked))
        if denial is not None and denial not in exact:
            exact.append(denial)
    exact = exact or any_case  # the case typed wins when it matches
    if exact:
        return Lookup(asked, matches=_current(exact))
    starting = _first(session, _starts(session, asked))
    if starting:
        return Lookup(asked, similar=_current(starting), hint=asked)
    return _closest(session, asked)


def _closest(session: Session, asked: str) -> Lookup:
    """Claim numbers sharing the longest start with what was typed (a typo near the end)."""
    shortest = max(MIN_PREFIX, len(asked) // 2)
    best = _longest_start(session, asked, shortest)
    if best is None:
        return Lookup(asked, similar=_alike(session, asked))
    starts = _starts(session, asked[:best])
    # Superseded denials only when nothing else starts so, as in _current.
    live = _first(session, and_(starts, status_in(COUNTED)))
    return Lookup(asked, similar=_current(live or _first(session, starts)), hint=asked[:best])


def _alike(session: Session, asked: str) -> tuple[ClaimMatch, ...]:
    """Claim numbers that read most like `asked` (difflib's ratio), closest first, among those
    with its first character: an index range, never every claim."""
    if not asked:
        return ()
    pool = session.scalars(
        select(Denial.claim_number)
        .where(_starts(session, asked[:1]), status_in(COUNTED))
        .order_by(_claim_key, Denial.claim_number)
        .limit(FUZZY_POOL)
    )
    by_key = {claim.upper(): claim for claim in pool}
    close = difflib.get_close_matches(asked.upper(), by_key, n=MAX_MATCHES, cutoff=FUZZY_CUTOFF)
    if not close:
        return ()
    found = session.scalars(_query(Denial.claim_number.in_([by_key[c] for c in close])))
    rank = {by_key[c]: i for i, c in enumerate(close)}
    return _current(sorted(found, key=lambda d: (rank[d.claim_number], d.id)))


def _longest_start(session: Session, asked: str, shortest: int) -> int | None:
    """The longest start of `asked`, `shortest` characters or more, that some claim number
    starts with: one EXISTS (an index seek) per length, in one statement."""
    lengths = range(len(asked) - 1, shortest - 1, -1)
    if not lengths:
        return None
    probes = [exists().where(_starts(session, asked[:length])) for length in lengths]
    found = session.execute(select(*probes)).one()
    return next((length for length, hit in zip(lengths, found, strict=True) if hit), None)


def _query(condition: ColumnElement[bool]) -> Select[Denial]:
    return select(Denial).where(condition).order_by(Denial.claim_number, Denial.id)


def _first(session: Session, condition: ColumnElement[bool]) -> list[Denial]:
    """The first MAX_MATCHES + 1 in the index's order (capitals, then as stored): SQLite stops
    there instead of sorting every claim number that starts alike (PostgreSQL sorts them: a
    text_pattern_ops index has no order)."""
    ordered = select(Denial).where(condition).order_by(_claim_key, Denial.claim_number, Denial.id)
    return list(session.scalars(ordered.limit(MAX_MATCHES + 1)))


def _starts(session: Session, prefix: str) -> ColumnElement[bool]:
    """Claim numbers that start with `prefix` in any case, as ix_denials_claim_key can
    answer it."""
    if session.get_bind().dialect.name == "postgresql":
        # Its index is text_pattern_ops: LIKE 'PREFIX%' whatever the database's collation.
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return _claim_key.like(func.upper(escaped + "%"), escape="\\")
    # SQLite reads no LIKE from an expression index, but a range of (binary) strings, yes.
    low = prefix.translate(ASCII_UPPER)
    high = _above(low)
    return and_(_claim_key >= low, _claim_key < high) if high is not None else _claim_key >= low


def _above(prefix: str) -> str | None:
    """The least string greater than every string starting with `prefix` (None: none is)."""
    for end in range(len(prefix) - 1, -1, -1):
        code = ord(prefix[end]) + 1
        code = 0xE000 if 0xD800 <= code <= 0xDFFF else code  # surrogates cannot be stored
        if code <= 0x10FFFF:
            return prefix[:end] + chr(code)
    return None


def _current(denials: list[Denial]) -> tuple[ClaimMatch, ...]:
    """Superseded denials only when nothing else matches; at most MAX_MATCHES + 1 (so a
    caller can say "and more")."""
    live = [d for d in denials if d.status in COUNTED] or denials
    return tuple(_match(d) for d in live[: MAX_MATCHES + 1])


def _match(denial: Denial) -> ClaimMatch:
    return ClaimMatch(
        denial_id=denial.id,
        version=denial.version,
        claim_number=denial.claim_number,
        payer_name=denial.payer_name,
        denied_amount=denial.denied_amount,
        status=denial.status,
        denial_date=denial.denial_date,
        deadline=denial.deadline,
    )
