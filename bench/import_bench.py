"""Import throughput and memory: our whole `import` against two ways of merely reading the file.

(a) the floor: read the bytes, split segments and elements in Python, nothing else;
(b) pyx12's segment reader, `pyx12.x12file.X12Reader`, iterated over every segment (it parses
    each segment into a `Segment` and checks the envelope counts; no map validation);
(c) `bot.services.importing.import_file` into a fresh SQLite file and a fresh PostgreSQL
    database: parse, classify, deadlines, every row written, cards queued, committed.

Each (c) runs in a fresh subprocess (database created and migrated before the clock starts),
which also reports its peak RSS (VmHWM) for the memory bar. Figures are the best of a few runs
(one run for the 200k file).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from bench.common import Result, postgres_database, ratio
from bench.gen_835 import write_835

SECTION = "import"
SIZES = (2_000, 20_000, 200_000)
FLOOR_BAR = 3.0  # (c on SQLite) / (a)
PYX12_BAR = 0.9  # (c on SQLite) / (b)
MEMORY_BAR = 1.5  # peak RSS 200k / 2k
PG_DATABASE = "denials_bench_import"


def label(size: int) -> str:
    return f"{size // 1000}k" if size >= 1000 else str(size)


def runs_for(size: int) -> int:
    return 3 if size <= 2_000 else 2 if size <= 20_000 else 1


def best(call: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times)


def bare_split(path: Path) -> int:
    """(a): every segment split into its elements, and nothing else."""
    data = path.read_bytes()
    count = 0
    for segment in data.split(b"~"):
        count += len(segment.split(b"*"))
    return count


def pyx12_segments(path: Path) -> int:
    """(b): pyx12's reader over every segment."""
    from pyx12.x12file import X12Reader

    count = 0
    with X12Reader(str(path)) as reader:
        for _segment in reader:
            count += 1
    return count


def import_child(path: Path, url: str) -> dict[str, Any]:
    """(c), in this process: migrate, then time one import; peak RSS at the end."""
    from bot.domain.payer_rules import PayerRules
    from bot.domain.root_causes import RootCauseTable
    from bot.domain.rulebook import Rulebook
    from bot.services.importing import ImportContext, import_file
    from storage.db import make_engine, make_session_factory, upgrade

    engine = make_engine(url)
    upgrade(engine)
    context = ImportContext(
        sessions=make_session_factory(engine),
        rulebook=Rulebook(RootCauseTable.load(), PayerRules.load()),
        actor="cli:bench",
        now=datetime(2026, 12, 1, 14, 0, tzinfo=UTC),
        today=date(2026, 12, 1),
    )
    started = time.perf_counter()
    outcome = import_file(path, context)
    seconds = time.perf_counter() - started
    engine.dispose()
    if outcome.status != "imported":
        raise SystemExit(f"import failed: {outcome.summary_line()}")
    return {
        "seconds": seconds,
        "peak_rss_mb": peak_rss_mb(),
        "claims": outcome.claims,
        "denials": outcome.denials,
        "summary": outcome.summary_line(),
    }


def peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(path: Path, url: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.import_bench", "child", str(path), url],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    if done.returncode != 0:
        raise RuntimeError(f"import child failed: {done.stderr.strip()[-500:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(work: Path, *, sizes: tuple[int, ...] = SIZES, postgres: bool = True) -> list[Result]:
    rows: list[Result] = []
    rss: dict[int, float] = {}
    for size in sizes:
        name = label(size)
        path = write_835(work / f"synth_{name}.835", size)
        runs = runs_for(size)
        segments = bare_split(path)  # also warms the OS cache for everyone
        floor = best(partial(bare_split, path), max(runs, 3))
        # pyx12 and our import take turns, so that a drift of the machine's speed over the
        # run weighs on both alike; each figure is its best run.
        pyx12_times, sqlite_runs = [], []
        for attempt in range(runs):
            pyx12_times.append(best(partial(pyx12_segments, path), 1))
            db = work / f"import_{name}_{attempt}.db"
            sqlite_runs.append(run_child(path, f"sqlite:///{db}"))
            for leftover in work.glob(f"{db.name}*"):
                leftover.unlink()
        pyx12 = min(pyx12_times)
        ours = min(r["seconds"] for r in sqlite_runs)
        rss[size] = sorted(r["peak_rss_mb"] for r in sqlite_runs)[len(sqlite_runs) // 2]
        pg: float | None = None
        pg_note = ""
        if postgres:
            pg_times = []
            for _ in range(runs):
                with postgres_database(PG_DATABASE) as url:
                    if url is None:
                        pg_note = "no PostgreSQL server"
                        break
                    pg_times.append(run_child(path, url)["seconds"])
            pg = min(pg_times) if pg_times else None
        claims = sqlite_runs[0]["claims"]
        mb = path.stat().st_size / 1e6
        context = f"{claims} claims, {sqlite_runs[0]['denials']} denials, {mb:.0f} MB"
        rows += [
            Result(SECTION, f"{name}: (a) bare split", floor, "s", note=f"{segments} elements"),
            Result(SECTION, f"{name}: (b) pyx12 X12Reader", pyx12, "s"),
            Result(SECTION, f"{name}: (c) import → SQLite", ours, "s", note=context),
            Result(SECTION, f"{name}: (c) import → PostgreSQL", pg, "s", note=pg_note),
            Result(SECTION, f"{name}: import rate (SQLite)", round(claims / ours), "claims/s"),
            ratio(SECTION, f"{name}: (c SQLite) / (a)", ours, floor, FLOOR_BAR),
            ratio(SECTION, f"{name}: (c SQLite) / (b)", ours, pyx12, PYX12_BAR),
            ratio(SECTION, f"{name}: (c PostgreSQL) / (b)", pg, pyx12, None),
        ]
    small, large = min(sizes), max(sizes)
    rows += [
        Result("memory", f"peak RSS, import {label(small)}", rss[small], "MB"),
        Result("memory", f"peak RSS, import {label(large)}", rss[large], "MB"),
        ratio("memory", f"peak RSS {label(large)} / {label(small)}", rss[large], rss[small], 1.5),
    ]
    return rows


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "child":
        print(json.dumps(import_child(Path(argv[1]), argv[2])))
        return 0
    sizes = tuple(int(a) for a in argv) or SIZES
    with tempfile.TemporaryDirectory(prefix="denials-bench-") as work:
        for row in run(Path(work), sizes=sizes):
            print(f"{row.section:8} {row.name:45} {row.shown():>14} {row.bar:>6} {row.verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
