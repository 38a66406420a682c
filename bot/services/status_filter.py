"""Denial statuses in SQL: the sets of `bot.domain.statuses`, never a list spelled again."""

from __future__ import annotations

from collections.abc import Set

from sqlalchemy import ColumnElement

from bot.domain.statuses import DenialStatus
from storage.models import Denial


def status_in(statuses: Set[DenialStatus]) -> ColumnElement[bool]:
    """Denials whose status is one of `statuses`: `IN` or `NOT IN`, whichever lists fewer, in
    the enum's order so the statement's text (and its cached plan) stays the same."""
    inside = ordered(statuses)
    outside = ordered(frozenset(DenialStatus) - statuses)
    if len(outside) < len(inside):
        return Denial.status.not_in([s.value for s in outside])
    return Denial.status.in_([s.value for s in inside])


def ordered(statuses: Set[DenialStatus]) -> list[DenialStatus]:
    return [status for status in DenialStatus if status in statuses]
