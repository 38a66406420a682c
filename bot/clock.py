"""Time as the practice sees it; injected so tests and `--today` can fix the day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Clock:
    zone: ZoneInfo
    fixed_today: date | None = None

    def now(self) -> datetime:
        if self.fixed_today is not None:
            # The fixed day at the real time of day, so waits and back-offs still pass.
            wall = datetime.now(self.zone).timetz().replace(tzinfo=None)
            return datetime.combine(self.fixed_today, wall, self.zone).astimezone(UTC)
        return datetime.now(UTC)

    def today(self) -> date:
        if self.fixed_today is not None:
            return self.fixed_today
        return datetime.now(self.zone).date()

    def on(self, day: date) -> Clock:
        return Clock(self.zone, day)
