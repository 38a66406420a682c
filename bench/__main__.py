"""`make bench`: every performance figure with its bar, as ratios measured in the same run.

    python -m bench                 # everything (about 10 minutes on 2 cores)
    python -m bench --quick         # small sizes, to check the benchmarks themselves
    python -m bench --only import,burst
    python -m bench --no-postgres   # SQLite only

Prints a table, writes bench/results.json, and after a complete run bench/RESULTS.md (the
README's performance section) with the machine it ran on. A run of full sizes on both databases
`--only` some sections puts them in place of those of the last complete run, in both files, with
the date and machine they were measured on. Generated files and databases go to
a temporary folder (or --work DIR) and are removed afterwards; the PostgreSQL databases it
creates (denials_bench_*) are dropped.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench import (
    burst_bench,
    import_bench,
    load_bench,
    query_bench,
    refresh_bench,
    startup_bench,
)
from bench.common import PG_SERVER, Result
from bench.seed_db import Seeded, seed
from storage.db import make_engine

HERE = Path(__file__).resolve().parent
SECTIONS = ("startup", "import", "queries", "load", "burst", "refresh")


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GB"
    except (OSError, ValueError, IndexError):
        pass
    postgres = "not reachable"
    try:
        engine = make_engine(PG_SERVER)
        with engine.connect() as connection:
            postgres = str(connection.execute(text("SHOW server_version")).scalar())
        engine.dispose()
    except Exception as error:  # the PostgreSQL figures are then skipped
        postgres = f"not reachable ({type(error).__name__})"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres,
        # what else the machine was doing: a ratio's two sides share it, an absolute time not
        "load": f"{os.getloadavg()[0]:.1f}",
    }


def table(rows: list[Result]) -> str:
    """The results as a Markdown table (also readable in a terminal)."""
    lines = ["| figure | value | bar | result | note |", "| --- | ---: | --- | --- | --- |"]
    section = None
    for row in rows:
        if row.section != section:
            section = row.section
            lines.append(f"| **{section}** | | | | |")
        note = row.note.replace("|", "/")
        lines.append(f"| {row.name} | {row.shown()} | {row.bar} | {row.verdict} | {note} |")
    return "\n".join(lines)


def run(args: argparse.Namespace, work: Path, log: Callable[[str], None]) -> list[Result]:
    only = set(args.only.split(",")) if args.only else set(SECTIONS)
    rows: list[Result] = []
    quick = args.quick

    def section(name: str, produce: Callable[[], list[Result]]) -> None:
        """A section that fails says so in the table; the others still run."""
        try:
            rows.extend(produce())
        except Exception as error:
            log(f"{name} failed: {type(error).__name__}: {error}")
            rows.append(Result(name, f"{name} benchmark", None, "", note=f"failed: {error!r}"))

    if "startup" in only:
        log("startup: `denials --help` and a small `denials import`, against their baselines")
        section(
            "start-up", lambda: startup_bench.run(work, runs=3 if quick else startup_bench.RUNS)
        )
    if "import" in only:
        log("import: generating 835 files and importing them")
        sizes = (2_000, 20_000) if quick else import_bench.SIZES
        section(
            "import", lambda: import_bench.run(work, sizes=sizes, postgres=not args.no_postgres)
        )
    smallest: tuple[str, Seeded] | None = None
    largest: tuple[str, Seeded] | None = None
    if only & {"queries", "load"}:
        scale = (1_000, 10_000, 100_000) if quick else (1_000, 100_000, 1_000_000)
        sizes3: tuple[int, ...] = scale if "queries" in only else (scale[0], scale[-1])
        measured: dict[int, dict[str, float | str]] = {}
        for size in sizes3:
            path = work / f"denials_{size}.db"
            url = f"sqlite:///{path}"
            log(f"queries: seeding {size} denials")
            seeded = seed(url, size)
            rows.append(
                Result(
                    "seed",
                    f"seed {size} denials (SQLite)",
                    seeded.seconds,
                    "s",
                    note=f"{seeded.claims} claims, {seeded.posts} posts",
                )
            )
            if size == sizes3[0]:
                smallest = (url, seeded)
            elif size == sizes3[-1]:
                largest = (url, seeded)
            elif "queries" in only:  # the middle size is measured, then its file goes
                log(f"queries: measuring at {size}")
                measured.update(query_bench.measure({size: (url, seeded)}))
                for leftover in work.glob(f"{path.name}*"):
                    leftover.unlink()
        if "queries" in only and smallest and largest:
            # The sizes whose ratio has a bar are measured together, their runs in turn.
            log(f"queries: measuring at {sizes3[0]} and {sizes3[-1]}, in turn")
            ends = {sizes3[0]: smallest, sizes3[-1]: largest}
            measured.update(query_bench.measure(ends))
            rows += query_bench.results(measured, scale)
    if "load" in only and smallest and largest:
        requests = 100 if quick else load_bench.REQUESTS
        for url, seeded in (smallest, largest):
            log(f"load: {requests} requests against {seeded.denials} denials")
            section(
                "acknowledge",
                partial(
                    load_bench.run, url, seeded, requests=requests, label=_size(seeded.denials)
                ),
            )
    if "burst" in only:
        log("burst: importing and posting a burst of 200 denials")
        section("slack burst", lambda: burst_bench.run(work))
    if "refresh" in only:
        log("refresh: 14 days of the daily card refresh over 1,000 open denials")
        days = 7 if quick else refresh_bench.DAYS
        section(refresh_bench.SECTION, lambda: refresh_bench.run(work, days=days))
    return rows


def _size(count: int) -> str:
    return f"{count // 1_000_000}M" if count >= 1_000_000 else f"{count // 1000}k"


def write_results(
    rows: list[Result], info: dict[str, Any], seconds: float, complete: bool, merge: bool
) -> None:
    """`merge`: `rows` are some sections measured again at full size; the other sections are
    kept from the last complete run."""
    path = HERE / "results.json"
    last = json.loads(path.read_text()) if path.exists() else None
    ran_at = datetime.now(UTC).isoformat(timespec="seconds")
    if merge and last is not None and last.get("complete"):
        sections = {row.section for row in rows}
        kept = [Result(**row) for row in last["results"] if row["section"] not in sections]
        remeasured = dict(last.get("remeasured", {}))
        for section in sections:
            remeasured[section] = {"ran_at": ran_at, "machine": info}
        rows = sorted([*kept, *rows], key=lambda row: _SECTION_ORDER.get(row.section, 99))
        ran_at, seconds, info = last["ran_at"], last["seconds"], last["machine"]
        complete = True
    else:
        remeasured = {}
    payload = {
        "ran_at": ran_at,
        "seconds": round(seconds, 1),
        "complete": complete,
        "machine": info,
        "remeasured": remeasured,
        "results": [row.to_json() for row in rows],
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    if not complete:
        return
    failed = [row for row in rows if row.passed is False]
    head = (HERE / "RESULTS.md").read_text() if (HERE / "RESULTS.md").exists() else ""
    intro, _, _ = head.partition(MARKER)
    summary = (
        f"Latest run: {payload['ran_at']} on {info['cpu']}, {info['cores']} cores, "
        f"{info['memory']} RAM, {info['os']}; Python {info['python']}, SQLite "
        f"{info['sqlite']}, PostgreSQL {info['postgresql']}. The whole run took "
        f"{seconds / 60:.1f} minutes; {len(failed)} bar(s) missed."
    )
    for section, when in sorted(remeasured.items()):
        machine = when["machine"]
        summary += (
            f" The {section} section was measured again on {when['ran_at']} "
            f"(`--only`), on {machine['cpu']}, {machine['cores']} cores, load "
            f"{machine.get('load', '?')}."
        )
    (HERE / "RESULTS.md").write_text(
        (intro or DEFAULT_INTRO) + MARKER + "\n\n" + summary + "\n\n" + table(rows) + "\n"
    )


# The table's order of sections, as `run` measures them.
_SECTION_ORDER = {
    name: index
    for index, name in enumerate(
        (
            startup_bench.SECTION,
            "import",
            "memory",
            "seed",
            "queries",
            "acknowledge",
            "slack burst",
            refresh_bench.SECTION,
        )
    )
}


MARKER = "<!-- bench results: everything below is written by `make bench` -->"
DEFAULT_INTRO = "# Performance\n\n`make bench` (`python -m bench`) measures the figures below.\n\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    parser.add_argument("--only", help=f"comma-separated sections of {','.join(SECTIONS)}")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--work", type=Path, help="folder for files and databases (kept)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a bar is missed")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f}s] {message}", file=sys.stderr, flush=True)

    info = machine()
    log(f"machine: {info['cpu']}, {info['cores']} cores")
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
        rows = run(args, args.work, log)
    else:
        with tempfile.TemporaryDirectory(prefix="denials-bench-") as work:
            rows = run(args, Path(work), log)
    seconds = time.perf_counter() - started
    print(table(rows))
    full_size = not args.quick and not args.no_postgres
    write_results(rows, info, seconds, full_size and not args.only, full_size and bool(args.only))
    missed = sum(1 for row in rows if row.passed is False)
    print(f"\n{len(rows)} figures in {seconds / 60:.1f} min; {missed} bar(s) missed.")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
