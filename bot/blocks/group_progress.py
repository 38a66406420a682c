"""What a grouped card says about how its denials are being worked (UX.md "A grouped card as it
is worked"): who owns them, the root cause set or suggested, and the progress.

"Worked" means nothing is left to send: an appeal or corrected claim is out, or the denial is
closed. Assigning or setting a root cause starts the work but does not finish it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from bot.blocks.text import mention, money, plural
from bot.blocks.views import DenialView
from bot.domain.statuses import ACTIONABLE, DenialStatus

OWNER = "*Owner* {who}"
OWNERS = "*Owners* {who}"
NO_OWNER = "*Owner* nobody yet"
OWNERS_SHOWN = 3
CAUSE = "*Root cause* {cause}"
CAUSE_SET_BY = "{label} (set by {user})"
CAUSE_SET = "{label} (set)"
CAUSE_SUGGESTED = "{label} (suggested)"
CAUSE_MIXED = "{label} and {others}"
PROGRESS = "{worked} of {total} worked"
APPEALED = "{count} appealed"
RESUBMITTED = "{count} resubmitted"
RECOVERED = "{count} recovered ({amount})"
WRITTEN_OFF = "{count} written off"
ALL_DONE = "nothing left to send"


def owner_line(denials: Sequence[DenialView]) -> str:
    """The assignee of the open denials (all of them when every one is closed)."""
    open_ = [d for d in denials if d.status in ACTIONABLE] or list(denials)
    owners = Counter(d.assignee for d in open_ if d.assignee)
    if not owners:
        return NO_OWNER
    names = [mention(user) for user, _ in owners.most_common(OWNERS_SHOWN)]
    more = len(owners) - OWNERS_SHOWN
    if more > 0:
        names.append(plural(more, "other"))
    unassigned = sum(1 for d in open_ if not d.assignee)
    if unassigned:
        names.append(f"{unassigned} unassigned")
    return (OWNER if len(names) == 1 else OWNERS).format(who=", ".join(names))


def cause_line(denials: Sequence[DenialView]) -> str:
    causes = Counter(d.category for d in denials)
    (top, _), *rest = causes.most_common()
    same = [d for d in denials if d.category == top]
    by_staff = [d for d in same if d.category_source == "staff"]
    setters = {d.category_set_by for d in by_staff if d.category_set_by}
    if len(by_staff) == len(same) and len(setters) == 1:
        label = CAUSE_SET_BY.format(label=top.label, user=mention(setters.pop()))
    elif len(by_staff) == len(same):
        label = CAUSE_SET.format(label=top.label)
    else:
        label = CAUSE_SUGGESTED.format(label=top.label)
    if rest:
        others = ", ".join(f"{count} {cause.label}" for cause, count in rest)
        label = CAUSE_MIXED.format(label=label, others=others)
    return CAUSE.format(cause=label)


def progress_words(denials: Sequence[DenialView]) -> str:
    """`9 of 24 worked · 3 appealed · 1 recovered ($240.00)`: plain words (no mrkdwn)."""
    statuses = Counter(d.status for d in denials)
    worked = len(denials) - sum(statuses[s] for s in ACTIONABLE)
    parts = [PROGRESS.format(worked=worked, total=len(denials))]
    if statuses[DenialStatus.APPEALED]:
        parts.append(APPEALED.format(count=statuses[DenialStatus.APPEALED]))
    if statuses[DenialStatus.RESUBMITTED]:
        parts.append(RESUBMITTED.format(count=statuses[DenialStatus.RESUBMITTED]))
    recovered = [d for d in denials if d.status == DenialStatus.RECOVERED]
    if recovered:
        amount = sum(
            (d.recovered_amount if d.recovered_amount is not None else d.denied for d in recovered),
            Decimal(0),
        )
        parts.append(RECOVERED.format(count=len(recovered), amount=money(amount)))
    if statuses[DenialStatus.WRITTEN_OFF]:
        parts.append(WRITTEN_OFF.format(count=statuses[DenialStatus.WRITTEN_OFF]))
    if worked == len(denials):
        parts.append(ALL_DONE)
    return " · ".join(parts)


def still_to_send(denials: Sequence[DenialView]) -> list[DenialView]:
    """The denials whose deadline still matters (nothing sent, not closed)."""
    return [d for d in denials if d.status in ACTIONABLE]
