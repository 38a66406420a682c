"""Time as the practice sees it; injected so tests and `--today` can fix the day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Clock:
    zone: ZoneInfo
    fixed_today: date | None = None

    def now(self) -> datetime:
        if self.fixed_today is not None:
            # Noon local time on the fixed day: far from midnight and DST switches.
            return datetime.combine(self.fixed_today, time(12), self.zone).astimezone(UTC)
        return datetime.now(UTC)

    def today(self) -> date:
        if self.fixed_today is not None:
            return self.fixed_today
        return datetime.now(self.zone).date()

    def on(self, day: date) -> Clock:
        return Clock(self.zone, day)
