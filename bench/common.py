"""What every benchmark shares: result rows, timing, databases made and dropped."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from tests.support.databases import postgres_database as fresh_database

PG_SERVER = os.environ.get("DENIALS_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")

_K = TypeVar("_K")


@dataclass
class Result:
    """One figure of the table: a measured value, and its bar when it has one."""

    section: str
    name: str
    value: float | None  # None: not measured (see note)
    unit: str  # "s", "ms", "x" (a ratio), "MB", "msgs", "count"
    bar: str = ""  # e.g. "≤ 3"; "" when the figure is context for another one
    passed: bool | None = None  # None: no bar, or not measured
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "n/a"
        if self.passed is None:
            return ""
        return "pass" if self.passed else "FAIL"

    def shown(self) -> str:
        if self.value is None:
            return "not available"
        value = self.value
        if self.unit == "s":
            return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
        if self.unit == "ms":
            return f"{value:.2f} ms" if value < 10 else f"{value:.0f} ms"
        if self.unit == "x":
            return f"{value:.2f}×"
        if self.unit == "MB":
            return f"{value:.0f} MB"
        return f"{value:g} {self.unit}".strip()


def ratio(
    section: str, name: str, top: float | None, bottom: float | None, limit: float | None
) -> Result:
    """`top / bottom` against `≤ limit` (no bar when limit is None)."""
    if top is None or bottom is None or bottom <= 0:
        return Result(section, name, None, "x", f"≤ {limit:g}" if limit else "")
    value = top / bottom
    if limit is None:
        return Result(section, name, value, "x")
    return Result(section, name, value, "x", f"≤ {limit:g}", value <= limit)


def at_most(section: str, name: str, seconds: float | None, limit: float, note: str = "") -> Result:
    if seconds is None:
        return Result(section, name, None, "s", f"< {limit:g} s", note=note)
    return Result(section, name, seconds, "s", f"< {limit:g} s", seconds < limit, note)


def timed_together(
    calls: dict[_K, Callable[[], object]], *, repeat: int = 5, budget: float = 2.0
) -> dict[_K, float]:
    """Median seconds of each call after one warm-up run: at least 3 runs, at most `repeat`
    (or fewer when the slowest call would take more than `budget` seconds). Calls whose
    times are compared run in turn, one of each, so a drift of the machine's speed over the
    run affects them alike."""
    first: dict[_K, float] = {}
    for key, call in calls.items():
        started = time.perf_counter()
        call()
        first[key] = time.perf_counter() - started
    slowest = max(first.values(), default=0.0)
    runs = max(3, min(repeat, int(budget / max(slowest, 1e-6))))
    times: dict[_K, list[float]] = {key: [] for key in calls}
    for _ in range(runs):
        for key, call in calls.items():
            started = time.perf_counter()
            call()
            times[key].append(time.perf_counter() - started)
    return {key: statistics.median(values) for key, values in times.items()}


@contextmanager
def postgres_database(name: str) -> Iterator[str | None]:
    """A fresh PostgreSQL database `name` on the local server, dropped afterwards; None when
    the server is not there (the PostgreSQL figures are then not measured)."""
    with ExitStack() as stack:
        try:
            url: str | None = stack.enter_context(fresh_database(PG_SERVER, name))
        except Exception:  # no server, no rights: skip, and say so in the table
            url = None
        yield url
