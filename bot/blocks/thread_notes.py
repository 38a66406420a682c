"""One-line history notes posted in a card's thread (UX.md "The card's thread").

Each returns mrkdwn for `chat.postMessage(thread_ts=card_ts, text=...)`; never broadcast.
Arguments named `user`/`assignee` are Slack user ids; free text from people is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from bot.blocks.text import clip, mention, money, plural, short_date, status_label
from bot.domain.findings import DeadlineKind, RootCause

ROOT_CAUSE_SET = "{user} set root cause: {label}"
WAS = " (was: {was})"
WAS_SUGGESTED = " (was: suggested {was})"
ASSIGNED = "{user} assigned to {assignee}"
TOOK_IT = "{user} took it"
UNASSIGNED = "{user} unassigned it"
APPEAL_LOGGED = "{user} logged {level}{method}{ref} · sent {sent_on}"
APPEAL_LEVEL = "appeal level {level}"
APPEAL_REF = " · ref {ref}"
STATUS_CHANGED = "{user} moved it to {status} (was: {was})"
CORRECTED_SENT = "{user} sent a corrected claim · status Resubmitted"
WRITTEN_OFF = "{user} wrote off {amount}: {reason}"
REOPENED = "{user} reopened it"
MARKED_PAID = "{user} marked it paid: {amount} recovered"
PAID_BY_REMITTANCE = ":moneybag: A later remittance paid {amount} ({file}): recovered"
OUTCOME = "{user} recorded the appeal outcome: {result}{amount}"
OUTCOME_AMOUNT = " · {amount} recovered"
REMINDER = ":hourglass: {days} to the {kind} deadline ({due})"
REMINDER_TODAY = ":warning: The {kind} deadline is today ({due})"
REMINDER_PASSED = ":rotating_light: The {kind} deadline passed {days} ago ({due})"
ESCALATION = "{people} the {kind} for {claim} ({payer}, {amount}) is {when}."
ESCALATION_DUE = "due in {days}"
ESCALATION_TODAY = "due today"
ESCALATION_OVERDUE = "overdue by {days}"
BULK_ROOT_CAUSE = "{user} set root cause for all {count}: {label}"
BULK_ASSIGNED = "{user} assigned all {count} to {assignee}"
FIX_RECORDED = "{user} recorded a fix: {text}"
KIND_WORDS = {
    DeadlineKind.APPEAL: "appeal",
    DeadlineKind.RESUBMISSION: "resubmission",
    DeadlineKind.RECORDS: "records",
}
ESCALATION_KIND_WORDS = {
    DeadlineKind.APPEAL: "appeal",
    DeadlineKind.RESUBMISSION: "corrected claim",
    DeadlineKind.RECORDS: "records request",
}


def root_cause_set(
    user: str, cause: RootCause, was: RootCause | None, *, was_suggested: bool = False
) -> str:
    """`@maria set root cause: Authorization (was: suggested Authorization)`."""
    note = ROOT_CAUSE_SET.format(user=mention(user), label=cause.label)
    if was is None:
        return note
    return note + (WAS_SUGGESTED if was_suggested else WAS).format(was=was.label)


def assigned(user: str, assignee: str | None) -> str:
    """`@maria assigned to @james`; `@james took it`; `@maria unassigned it`."""
    if assignee is None:
        return UNASSIGNED.format(user=mention(user))
    if assignee == user:
        return TOOK_IT.format(user=mention(user))
    return ASSIGNED.format(user=mention(user), assignee=mention(assignee))


def appeal_logged(user: str, level: str, method: str, ref: str | None, sent_on: date) -> str:
    """`@james logged appeal level 1 · portal · ref 88-2231 · sent Oct 22`."""
    return APPEAL_LOGGED.format(
        user=mention(user),
        level=APPEAL_LEVEL.format(level=level) if level.isdigit() else clip(level, 40),
        method=f" · {clip(method, 40)}" if method else "",
        ref=APPEAL_REF.format(ref=clip(ref, 100)) if ref else "",
        sent_on=short_date(sent_on),
    )


def status_changed(user: str, status: str, was: str) -> str:
    """`@james moved it to Resubmitted (was: In progress)`; statuses are slugs."""
    return STATUS_CHANGED.format(
        user=mention(user), status=status_label(status), was=status_label(was)
    )


def corrected_sent(user: str) -> str:
    return CORRECTED_SENT.format(user=mention(user))


def written_off(user: str, reason: str, amount: Decimal) -> str:
    """`@dana wrote off $95.00: below the cost of appealing`."""
    return WRITTEN_OFF.format(user=mention(user), amount=money(amount), reason=clip(reason, 500))


def reopened(user: str) -> str:
    return REOPENED.format(user=mention(user))


def marked_paid(user: str, amount: Decimal) -> str:
    return MARKED_PAID.format(user=mention(user), amount=money(amount))


def paid_by_remittance(amount: Decimal, file_name: str) -> str:
    """A later remittance paid the claim, so the denial closed by itself."""
    return PAID_BY_REMITTANCE.format(amount=money(amount), file=clip(file_name, 200))


def appeal_outcome(user: str, result: str, amount: Decimal | None) -> str:
    """`@james recorded the appeal outcome: won · $420.00 recovered`."""
    extra = OUTCOME_AMOUNT.format(amount=money(amount)) if amount is not None else ""
    return OUTCOME.format(user=mention(user), result=clip(result, 40), amount=extra)


def deadline_reminder(due: date, kind: DeadlineKind, *, today: date) -> str:
    """`:hourglass: 14 days to the appeal deadline (Jan 14)`."""
    days_left = (due - today).days
    words = {"kind": KIND_WORDS[kind], "due": short_date(due)}
    if days_left > 0:
        return REMINDER.format(days=plural(days_left, "day"), **words)
    if days_left == 0:
        return REMINDER_TODAY.format(**words)
    return REMINDER_PASSED.format(days=plural(-days_left, "day"), **words)


def deadline_escalation(
    people: Sequence[str],
    claim_number: str,
    payer_name: str,
    amount: Decimal,
    kind: DeadlineKind,
    days_left: int,
) -> str:
    """`@james the appeal for 5101Z88003 (Cigna, $180.00) is due in 7 days.`"""
    if days_left > 0:
        when = ESCALATION_DUE.format(days=plural(days_left, "day"))
    elif days_left == 0:
        when = ESCALATION_TODAY
    else:
        when = ESCALATION_OVERDUE.format(days=plural(-days_left, "day"))
    text = ESCALATION.format(
        people=" ".join(mention(p) for p in people),
        kind=ESCALATION_KIND_WORDS[kind],
        claim=clip(claim_number, 40),
        payer=clip(payer_name, 60),
        amount=money(amount),
        when=when,
    ).lstrip()
    if not amount:  # a records request may have no amount on file: say none rather than $0
        text = text.replace(f", {money(amount)})", ")")
    return text[:1].upper() + text[1:]


def bulk_root_cause(user: str, cause: RootCause, count: int) -> str:
    """On a grouped card: `@maria set root cause for all 12: Authorization`."""
    return BULK_ROOT_CAUSE.format(user=mention(user), count=count, label=cause.label)


def bulk_assigned(user: str, assignee: str, count: int) -> str:
    return BULK_ASSIGNED.format(user=mention(user), count=count, assignee=mention(assignee))


def fix_recorded(
    user: str, text: str, *, owner: str | None = None, effective: date | None = None
) -> str:
    """`@dana recorded a fix: the front desk now checks ... (owner @james, from Dec 8)`."""
    note = FIX_RECORDED.format(user=mention(user), text=clip(text, 2000))
    more = ([f"owner {mention(owner)}"] if owner else []) + (
        [f"from {short_date(effective)}"] if effective else []
    )
    return f"{note} ({', '.join(more)})" if more else note
