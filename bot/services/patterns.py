"""Use case: `/denials patterns [PATTERN]`, and the verdicts the digest and monthly review show.

A pattern is active when it was denied at least twice in the last 90 days (by denial date), or
has an early warning or a fix on record. Each is shown as its fix measured it (the fix's
scope), else as it was alerted, else refined to where its denials concentrate.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.patterns import ClaimRow, FixView, PatternDetail, PatternRow, PatternsView
from bot.domain.pattern_rates import MAX_MEASURE, WINDOW, Counts
from bot.domain.pattern_scope import Scope, provider_of, refine
from bot.domain.pattern_watch import PayerHistory, effect
from bot.services.pattern_watch import RecordedFix, latest_fixes, load_history, scope_label
from storage.bulk.insert import table_of
from storage.models import Denial, PatternAlert, PatternFix
from storage.payers import payer_labels

ACTIVE = timedelta(days=90)
REPEAT_MIN = 2
CHART_WEEKS = 16
CLAIMS_SHOWN = 20
_ALERTS = table_of(PatternAlert)
_DENIALS = table_of(Denial)
_FIXES = table_of(PatternFix)


@dataclass(frozen=True, slots=True)
class _Pattern:
    scope: Scope
    history: PayerHistory
    fix: RecordedFix | None


def patterns_view(sessions: sessionmaker[Session], today: date) -> PatternsView:
    with sessions() as session:
        names = payer_labels(session)
        rows = [_row(session, p, today, names) for p in _active(session, today)]
    rows.sort(key=lambda r: (-r.dollars, -r.count, r.label))
    return PatternsView(today=today, rows=tuple(rows))


def pattern_detail(
    sessions: sessionmaker[Session], asked: str, today: date
) -> tuple[PatternDetail | None, tuple[str, ...]]:
    """The pattern `asked` names (its number in the list, or words of its name), or None
    with the names of the patterns there are (to suggest)."""
    with sessions() as session:
        names = payer_labels(session)
        found = [(p, _row(session, p, today, names)) for p in _active(session, today)]
        found.sort(key=lambda pr: (-pr[1].dollars, -pr[1].count, pr[1].label))
        chosen = _choose(found, asked)
        if chosen is None:
            return None, tuple(r.label for _, r in found)
        pattern, row = chosen
        return _detail(session, pattern, row, today), ()


def pattern_title(sessions: sessionmaker[Session], scope_key: str) -> str | None:
    """`Aetna · CO-197 authorization · Dr. Lee`, or None when the key names no known payer."""
    try:
        scope = Scope.parse(scope_key)
    except ValueError:
        return None
    with sessions() as session:
        names = payer_labels(session)
        if scope.payer_id not in names:
            return None
        return scope_label(session.connection(), scope, names[scope.payer_id])


def fix_verdicts(sessions: sessionmaker[Session], today: date) -> dict[str, str]:
    """Per fix's pattern key: its verdict in words as of `today` (digest, monthly review)."""
    verdicts: dict[str, str] = {}
    with sessions() as session:
        connection = session.connection()
        for payer_id in _payers_with_fixes(connection):
            fixes = latest_fixes(connection, payer_id, today)
            if not fixes:
                continue
            first = min(f.effective for f in fixes.values()) - MAX_MEASURE
            history = load_history(connection, payer_id, first, today)
            until = min(today, history.last_claim_day() or today)
            for fix in fixes.values():
                measured = effect(history, fix.scope, fix.effective, until)
                verdicts[fix.scope.key] = measured.result.words
    return verdicts


def _choose(
    found: list[tuple[_Pattern, PatternRow]], asked: str
) -> tuple[_Pattern, PatternRow] | None:
    words = asked.lower().split()
    if len(words) == 1 and words[0].isdigit():
        number = int(words[0])
        return found[number - 1] if 1 <= number <= len(found) else None
    for pattern, row in found:
        name = row.label.lower()
        if words and all(word in name for word in words):
            return pattern, row
    return None


def _active(session: Session, today: date) -> list[_Pattern]:
    connection = session.connection()
    start = today - ACTIVE + timedelta(days=1)
    keys = connection.execute(
        select(_DENIALS.c.payer_id, _DENIALS.c.pattern_key).where(
            _DENIALS.c.denial_date.between(start, today)
        )
    ).all()
    alerts = connection.execute(select(_ALERTS.c.base, _ALERTS.c.scope).order_by(_ALERTS.c.id))
    alerted = {base: scope for base, scope in alerts}
    payers = {int(p) for p, _ in keys} | {Scope.parse(s).payer_id for s in alerted.values()}
    payers |= set(_payers_with_fixes(connection))
    found = []
    for payer_id in sorted(payers):
        fixes = latest_fixes(connection, payer_id, today)
        first = min([start - WINDOW, *(f.effective - MAX_MEASURE for f in fixes.values())])
        history = load_history(connection, payer_id, first, today)
        members: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for fact in history.denials:
            of = Scope.of_pattern_key(fact.pattern_key)
            if fact.day >= start and of is not None:
                members[of.base].append((provider_of(fact.pattern_key), fact.cpt))
        bases = {b for b, m in members.items() if len(m) >= REPEAT_MIN}
        bases |= {b for b in alerted if b.startswith(f"p{payer_id}|")} | set(fixes)
        for base in sorted(bases):
            fix = fixes.get(base)
            if fix is not None:
                scope = fix.scope
            elif base in alerted:
                scope = Scope.parse(alerted[base])
            else:
                payer, category, code = base.split("|")
                scope = refine(Scope(payer, category, code), members[base])
            found.append(_Pattern(scope, history, fix))
    return found


def _row(session: Session, pattern: _Pattern, today: date, names: dict[int, str]) -> PatternRow:
    scope, history = pattern.scope, pattern.history
    start = today - ACTIVE + timedelta(days=1)
    recent = history.counts(scope, start, today)
    window = history.counts(scope, today - WINDOW + timedelta(days=1), today)
    before = history.counts(scope, today - 2 * WINDOW + timedelta(days=1), today - WINDOW)
    label = scope_label(session.connection(), scope, names.get(scope.payer_id, scope.payer))
    fix = None
    if pattern.fix is not None:
        until = min(today, history.last_claim_day() or today)
        measured = effect(history, scope, pattern.fix.effective, until)
        fix = FixView(
            note=pattern.fix.note,
            owner=pattern.fix.owner,
            effective=pattern.fix.effective,
            verdict=measured.result.words,
            before=measured.result.before,
            after=measured.result.after,
            days=measured.result.days,
        )
    return PatternRow(
        scope_key=scope.key,
        label=label,
        count=recent.denials,
        dollars=recent.dollars,
        rate=window.rate,
        trend=_trend(window, before),
        fix=fix,
    )


def _trend(window: Counts, before: Counts) -> str:
    if window.denials == before.denials:
        return "steady"
    if before.denials == 0:
        return "new"
    return "rising" if window.denials > before.denials else "falling"


def _detail(session: Session, pattern: _Pattern, row: PatternRow, today: date) -> PatternDetail:
    scope, history = pattern.scope, pattern.history
    start = today - ACTIVE + timedelta(days=1)
    facts = list(reversed(history.matching(scope, start, today)))
    statuses = dict(
        session.connection()
        .execute(
            select(_DENIALS.c.claim_number, _DENIALS.c.status).where(
                _DENIALS.c.claim_number.in_([f.claim for f in facts[:CLAIMS_SHOWN]]),
                _DENIALS.c.payer_id == scope.payer_id,
            )
        )
        .all()
    )
    monday = today - timedelta(days=today.weekday())
    weeks = CHART_WEEKS
    if pattern.fix is not None:  # the chart shows at least four weeks before the fix
        fix_monday = pattern.fix.effective - timedelta(days=pattern.fix.effective.weekday())
        weeks = max(weeks, (monday - fix_monday).days // 7 + 5)
    first = monday - timedelta(weeks=weeks - 1)
    chart_history = load_history(session.connection(), scope.payer_id, first, today)
    series = tuple(
        (week, chart_history.counts(scope, week, min(today, week + timedelta(days=6))))
        for week in (first + timedelta(weeks=i) for i in range(weeks))
    )
    return PatternDetail(
        row=row,
        claims=tuple(
            ClaimRow(f.claim, f.day, f.amount, str(statuses.get(f.claim, "")))
            for f in facts[:CLAIMS_SHOWN]
        ),
        more=max(0, len(facts) - CLAIMS_SHOWN),
        weeks=series,
        total=sum((f.amount for f in facts), Decimal(0)),
    )


def _payers_with_fixes(connection: Connection) -> list[int]:
    keys = connection.execute(select(_FIXES.c.pattern_key).distinct()).scalars()
    found = set()
    for key in keys:
        try:
            found.add(Scope.parse(key).payer_id)
        except ValueError:
            continue
    return sorted(found)
