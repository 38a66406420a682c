"""Documentation requests and rejections in the lists, the digest and the trends: one-line rows
shaped like the denial rows of `due_list`, and the lines of their counts."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, ButtonElement

from bot.blocks import ids
from bot.blocks.message import section
from bot.blocks.text import clip, days_short, escape, mention, money, plural, short_date
from bot.blocks.work_views import RecordsLink, WorkKind, WorkRow
from bot.domain.work_summary import WorkSummary

REQUEST_ROW = ":page_facing_up: {claim} · {payer} · Records: {what} · {assignee} · {days}"
REJECTION_ROW = ":no_entry: {claim} · {payer}{amount} · Rejected: {what} · {assignee} · {days}"
OPEN = "Open"
DIGEST_REQUESTS = (
    "*Records requests:* {open} to send · due this week {week} · overdue {overdue}"
    " · received last week {received}"
)
DIGEST_REJECTIONS = (
    "*Rejected claims:* {open} to correct · due this week {week} · overdue {overdue}"
    " · rejected last week {received}"
)
TRENDS_REQUESTS = (
    "*Records requests:* {received} received · {on_time} answered on time · {late} late · "
    "{unanswered} not answered"
)
TRENDS_DENIED = " · {count} turned into denials ({amount})"
TRENDS_REJECTIONS = "*Front-end rejections:* {count}{reasons}"
RECORDS_NOT_SENT = (
    ":page_facing_up: Records were requested on {requested} (due {due}) and not sent: send "
    "them with the appeal."
)
RECORDS_SENT_LATE = (
    ":page_facing_up: Records were requested on {requested} (due {due}) and sent on {sent}, "
    "after the due date."
)
RECORDS_SENT = (
    ":page_facing_up: Records were requested on {requested} and sent on {sent}{method}: appeal "
    "with proof of when they went out."
)
MAX_NAME = 40
MAX_WHAT = 60
MAX_REASON = 64  # "Invalid: billing provider's National Provider Identifier (NPI)" whole


def work_row_text(row: WorkRow) -> str:
    """`📄 ADR1001 · Medicare · Records: Progress note +1 · @maria · 3 days left`."""
    words = {
        "claim": clip(row.claim_number, MAX_NAME),
        "payer": clip(row.payer_name, MAX_NAME),
        "what": clip(row.what, MAX_WHAT),
        "assignee": mention(row.assignee),
        "days": days_short(row.days_left),
    }
    if row.kind is WorkKind.REQUEST:
        return REQUEST_ROW.format(**words)
    amount = f" · {money(row.amount)}" if row.amount is not None else ""
    return REJECTION_ROW.format(amount=amount, **words)


def work_row_block(row: WorkRow) -> Block:
    """One row with its Open button (value: the bare id of the request or rejection)."""
    action = ids.OPEN_REQUEST_BUTTON if row.kind is WorkKind.REQUEST else ids.OPEN_REJECTION_BUTTON
    button = ButtonElement(text=OPEN, action_id=action, value=str(row.item_id))
    return section(work_row_text(row), accessory=button)


def work_count_words(rows: list[WorkRow]) -> str:
    """`2 records requests · 1 rejected claim` for a list's totals line ("" when none)."""
    requests = sum(1 for r in rows if r.kind is WorkKind.REQUEST)
    rejections = len(rows) - requests
    parts = []
    if requests:
        parts.append(plural(requests, "records request"))
    if rejections:
        parts.append(plural(rejections, "rejected claim"))
    return " · ".join(parts)


def digest_lines(summary: WorkSummary) -> str:
    """The digest's lines on requests and rejections ("" when there is nothing to say)."""
    lines = []
    if summary.requests_open or summary.requests_received:
        lines.append(
            DIGEST_REQUESTS.format(
                open=summary.requests_open,
                week=summary.requests_due_this_week,
                overdue=summary.requests_overdue,
                received=summary.requests_received,
            )
        )
    if summary.rejections_open or summary.rejections_received:
        lines.append(
            DIGEST_REJECTIONS.format(
                open=summary.rejections_open,
                week=summary.rejections_due_this_week,
                overdue=summary.rejections_overdue,
                received=summary.rejections_received,
            )
        )
    return "\n".join(lines)


def trends_lines(summary: WorkSummary) -> str:
    """Requests answered on time, late or not at all, those that became denials, and the
    rejections of the period by reason ("" when the period had none)."""
    lines = []
    if summary.requests_received:
        line = TRENDS_REQUESTS.format(
            received=summary.requests_received,
            on_time=summary.answered_on_time,
            late=summary.answered_late,
            unanswered=summary.unanswered,
        )
        if summary.turned_into_denials:
            line += TRENDS_DENIED.format(
                count=summary.turned_into_denials, amount=money(summary.denied_amount)
            )
        lines.append(line)
    if summary.rejections_received:
        reasons = " · ".join(f"{_reason(words)} {count}" for words, count in summary.reasons)
        lines.append(
            TRENDS_REJECTIONS.format(
                count=summary.rejections_received, reasons=f": {reasons}" if reasons else ""
            )
        )
    return "\n".join(lines)


def _reason(words: str) -> str:
    """A rejection reason before its count: cut at a word, so the count never reads as part of
    a clipped code (`… Identifier (N… 2`)."""
    if len(words) <= MAX_REASON:
        return escape(words)
    cut = words[: MAX_REASON - 1].rsplit(" ", 1)[0].rstrip(" :;,(")
    return escape(cut) + "…"


def records_link_line(link: RecordsLink) -> str:
    """On a denial's card: what became of the records the payer asked for."""
    words = {"requested": short_date(link.requested_on), "due": short_date(link.due_date)}
    if link.sent_on is None:
        return RECORDS_NOT_SENT.format(**words)
    sent = short_date(link.sent_on)
    if link.sent_on > link.due_date:
        return RECORDS_SENT_LATE.format(sent=sent, **words)
    method = f" ({clip(link.sent_method, 30)})" if link.sent_method else ""
    return RECORDS_SENT.format(sent=sent, method=method, **words)
