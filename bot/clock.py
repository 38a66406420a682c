"""Time as the practice sees it; injected so tests and `--today` can fix the day."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from time import monotonic
from zoneinfo import ZoneInfo

NOON = time(12)


@dataclass(frozen=True)
class Clock:
    zone: ZoneInfo
    fixed_today: date | None = None
    _started: float = field(default_factory=monotonic, compare=False, repr=False)

    def now(self) -> datetime:
        if self.fixed_today is not None:
            # Noon of the fixed day, running on with the real clock so waits and back-offs
            # still pass: the same answers (digest week, 8:00 warnings) whatever the hour.
            start = datetime.combine(self.fixed_today, NOON, self.zone).astimezone(UTC)
            return start + timedelta(seconds=monotonic() - self._started)
        return datetime.now(UTC)

    def today(self) -> date:
        if self.fixed_today is not None:
            return self.fixed_today
        return datetime.now(self.zone).date()

    def on(self, day: date) -> Clock:
        return Clock(self.zone, day)
