"""Use case: after each import, the early warning of a repeat pattern and the "still recurring"
alert of a fix that did not stop one (bot.domain.pattern_watch decides; this reads and writes).

Runs in the import's transaction, so an import and the alerts it crossed a threshold for are
stored together or not at all. Each alert is a `pattern_alerts` row whose unique key keeps it to
one per pattern and episode (`{base}#{n}`: again only after a quiet period) or per fix
(`fix:{id}`), and its message waits in the send ledger (kind `pattern_alert`), which the next
posting round sends to the denials channel once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from bot.blocks.pattern_alert import AlertView, FixLine, alert_message, pattern_words
from bot.domain.actor import Actor
from bot.domain.findings import RootCause
from bot.domain.likely_causes import likely_cause
from bot.domain.pattern_rates import BASELINE, MAX_MEASURE, NEW_LOOKBACK, Trigger, Verdict
from bot.domain.pattern_scope import ANY, Scope, cpt_of
from bot.domain.pattern_watch import (
    DenialFact,
    PatternWarning,
    PayerHistory,
    effect,
    warnings,
    window_of,
)
from bot.domain.statuses import COUNTED, DenialStatus
from storage.bulk.insert import insert_one, table_of
from storage.models import Claim, Denial, PatternAlert, PatternFix
from storage.payers import payer_labels
from storage.send_ledger import SendLedger

KIND = "pattern_alert"
_DENIALS = table_of(Denial)
_CLAIMS = table_of(Claim)
_FIXES = table_of(PatternFix)
_ALERTS = table_of(PatternAlert)
_COUNTED = [s.value for s in DenialStatus if s in COUNTED]


@dataclass(frozen=True, slots=True)
class RecordedFix:
    id: int
    scope: Scope
    note: str
    owner: str | None  # Slack user id
    effective: date


def watch_import(
    session: Session,
    import_id: int,
    *,
    now: datetime,
    zone_today: date,
    channel: str | None,
    ledger: SendLedger,
) -> list[str]:
    """Alert what this import pushed over a threshold; the keys of the alerts written."""
    connection = session.connection()
    written = []
    for payer_id, as_of in _payers_of(connection, import_id):
        bases = _bases(connection, import_id, payer_id)
        fixes = latest_fixes(connection, payer_id, zone_today)
        window_start, _ = window_of(as_of)
        start = min(
            [window_start - max(BASELINE, NEW_LOOKBACK)]
            + [f.effective - MAX_MEASURE for f in fixes.values()]
        )
        history = load_history(connection, payer_id, start, as_of)
        labels = Labels(session, payer_id)
        for found in warnings(history, bases, as_of):
            key = _warning_key(connection, found, fixes)
            if key is not None:
                view = labels.view(found, key)
                written.append(_write(connection, view, found, None, import_id, now))
                _enqueue(session, ledger, channel, key, view)
        touched = {b.base for b in bases}
        for fix in fixes.values():
            if fix.scope.base not in touched or fix.effective > as_of:
                continue
            recurring = _still_recurring(connection, labels, history, fix, as_of)
            if recurring is not None:
                view, found = recurring
                written.append(_write(connection, view, found, fix.id, import_id, now))
                _enqueue(session, ledger, channel, view.key, view)
    return written


def _still_recurring(
    connection: Connection,
    labels: Labels,
    history: PayerHistory,
    fix: RecordedFix,
    as_of: date,
) -> tuple[AlertView, PatternWarning] | None:
    """The fix's one "still recurring" alert, when its pattern is and it has not had it."""
    measured = effect(history, fix.scope, fix.effective, as_of)
    key = f"fix:{fix.id}"
    if measured.result.verdict is not Verdict.STILL_RECURRING or _exists(connection, key):
        return None
    found = PatternWarning(
        scope=fix.scope,
        trigger=Trigger.RECURRING,
        window_start=measured.after_start,
        as_of=as_of,
        window=measured.result.after,
        baseline=measured.result.before,
        denials=measured.denials_after,
        imports=len({d.import_id for d in measured.denials_after}),
        quiet_before=False,
    )
    return labels.view(found, key, fix=fix, days=measured.result.days), found


def _payers_of(connection: Connection, import_id: int) -> list[tuple[int, date]]:
    """The payers with denials in the import, each with the newest notice date it brought."""
    with_denials = select(_DENIALS.c.payer_id).where(_DENIALS.c.import_id == import_id)
    rows = connection.execute(
        select(_CLAIMS.c.payer_id, func.max(_CLAIMS.c.notice_date))
        .where(_CLAIMS.c.import_id == import_id, _CLAIMS.c.payer_id.in_(with_denials))
        .group_by(_CLAIMS.c.payer_id)
        .order_by(_CLAIMS.c.payer_id)
    ).all()
    return [(int(p), d) for p, d in rows if d is not None]


def _bases(connection: Connection, import_id: int, payer_id: int) -> set[Scope]:
    keys = connection.execute(
        select(_DENIALS.c.pattern_key)
        .where(_DENIALS.c.import_id == import_id, _DENIALS.c.payer_id == payer_id)
        .distinct()
    ).scalars()
    return {base for k in keys if (base := Scope.of_pattern_key(k)) is not None}


def load_history(connection: Connection, payer_id: int, first: date, last: date) -> PayerHistory:
    """The payer's counted denials and claims dated `first` to `last`."""
    denials = connection.execute(
        select(
            _DENIALS.c.denial_date,
            _DENIALS.c.pattern_key,
            _DENIALS.c.cpts,
            _DENIALS.c.denied_amount,
            _DENIALS.c.import_id,
            _DENIALS.c.claim_number,
        ).where(
            _DENIALS.c.payer_id == payer_id,
            _DENIALS.c.denial_date.between(first, last),
            _DENIALS.c.status.in_(_COUNTED),
        )
    ).all()
    provider = func.coalesce(_CLAIMS.c.rendering_npi, _CLAIMS.c.rendering_name, "-")
    claims = connection.execute(
        select(_CLAIMS.c.notice_date, provider, func.count())
        .where(
            _CLAIMS.c.payer_id == payer_id,
            _CLAIMS.c.notice_date.between(first, last),
            _CLAIMS.c.kind == "adjudicated",
            _CLAIMS.c.reversed_by_id.is_(None),
        )
        .group_by(_CLAIMS.c.notice_date, provider)
    ).all()
    return PayerHistory(
        tuple(
            DenialFact(day, key, cpt_of(_list(cpts)), amount, int(imp), claim)
            for day, key, cpts, amount, imp, claim in denials
        ),
        {(day, str(who)): int(n) for day, who, n in claims},
    )


def latest_fixes(connection: Connection, payer_id: int, today: date) -> dict[str, RecordedFix]:
    """Per pattern base, the latest fix recorded for the payer (a later one supersedes it)."""
    rows = connection.execute(
        select(
            _FIXES.c.id,
            _FIXES.c.pattern_key,
            _FIXES.c.note,
            _FIXES.c.owner,
            _FIXES.c.recorded_by,
            _FIXES.c.effective_on,
            _FIXES.c.recorded_at,
        )
        .where(_FIXES.c.pattern_key.startswith(f"p{payer_id}|", autoescape=True))
        .order_by(_FIXES.c.id)
    ).all()
    latest: dict[str, RecordedFix] = {}
    for fid, key, note, owner, by, effective, recorded in rows:
        try:
            scope = Scope.parse(key)
        except ValueError:
            continue
        person = Actor.from_key(by)
        day = effective or (recorded.date() if recorded is not None else today)
        latest[scope.base] = RecordedFix(
            int(fid), scope, note, owner or (person.user if person else None), day
        )
    return latest


def _warning_key(
    connection: Connection, found: PatternWarning, fixes: dict[str, RecordedFix]
) -> str | None:
    """The alert's key, or None when the pattern was alerted already in this episode (or has
    a fix, which its "still recurring" check covers)."""
    base = found.scope.base
    if base in fixes:
        return None
    earlier = connection.execute(
        select(_ALERTS.c.as_of).where(
            _ALERTS.c.base == base, _ALERTS.c.trigger != Trigger.RECURRING.value
        )
    ).scalars()
    days = list(earlier)
    if days and not (found.quiet_before and max(days) < found.window_start):
        return None
    return f"{base}#{len(days) + 1}"


def _exists(connection: Connection, key: str) -> bool:
    return connection.execute(select(_ALERTS.c.id).where(_ALERTS.c.key == key)).first() is not None


def _write(
    connection: Connection,
    view: AlertView,
    found: PatternWarning,
    fix_id: int | None,
    import_id: int,
    now: datetime,
) -> str:
    insert_one(
        connection,
        _ALERTS,
        key=view.key,
        base=found.scope.base,
        scope=found.scope.key,
        trigger=found.trigger.value,
        fix_id=fix_id,
        import_id=import_id,
        window_start=found.window_start,
        as_of=found.as_of,
        denials=found.window.denials,
        claims=found.window.claims,
        dollars=found.window.dollars,
        baseline_denials=found.baseline.denials,
        baseline_claims=found.baseline.claims,
        created_at=now,
    )
    return view.key


def _enqueue(
    session: Session, ledger: SendLedger, channel: str | None, key: str, view: AlertView
) -> None:
    """The alert's message, to go out with the next posting round (no channel: kept only)."""
    if not channel:
        return
    message = alert_message(view)
    detail = {"message": {"to": channel, "text": message.text, "blocks": message.blocks}}
    ledger.enqueue(session, KIND, key, detail)


class Labels:
    """Names for one payer's alerts: the payer's display name, providers' names."""

    def __init__(self, session: Session, payer_id: int) -> None:
        self._connection = session.connection()
        self.payer = payer_labels(session).get(payer_id, f"Payer {payer_id}")

    def provider(self, scope: Scope) -> str | None:
        return provider_name(self._connection, scope)

    def view(
        self, found: PatternWarning, key: str, *, fix: RecordedFix | None = None, days: int = 0
    ) -> AlertView:
        """The alert's message view; with `fix` (and its `days` of data), a still-recurring one."""
        scope = found.scope
        return AlertView(
            key=key,
            scope_key=scope.key,
            trigger=found.trigger,
            payer=self.payer,
            category=_cause(scope.category),
            code=scope.code,
            provider=self.provider(scope),
            cpt=None if scope.cpt == ANY else scope.cpt,
            window_start=found.window_start,
            as_of=found.as_of,
            window=found.window,
            baseline=found.baseline,
            claims=tuple(d.claim for d in reversed(found.denials)),
            imports=found.imports,
            likely_cause=likely_cause(_cause(scope.category)),
            fix=None
            if fix is None
            else FixLine(note=fix.note, owner=fix.owner, effective=fix.effective),
            days=days,
        )


def provider_name(connection: Connection, scope: Scope) -> str | None:
    """The name of the provider a scope names (its NPI when no claim gave a name)."""
    if not scope.names_provider():
        return None
    name = connection.execute(
        select(_DENIALS.c.provider_name)
        .where(
            _DENIALS.c.payer_id == scope.payer_id,
            func.coalesce(_DENIALS.c.provider_npi, _DENIALS.c.provider_name) == scope.provider,
            _DENIALS.c.provider_name.is_not(None),
        )
        .limit(1)
    ).scalar()
    return str(name) if name else scope.provider


def scope_label(connection: Connection, scope: Scope, payer: str) -> str:
    """`Aetna · CO-197 authorization · Dr. Lee · 97110`."""
    cpt = None if scope.cpt == ANY else scope.cpt
    return pattern_words(
        payer, scope.code, _cause(scope.category), provider_name(connection, scope), cpt
    )


def _cause(slug: str) -> RootCause:
    try:
        return RootCause(slug)
    except ValueError:
        return RootCause.OTHER


def _list(value: Any) -> list[str]:
    return [str(v) for v in value or []]
