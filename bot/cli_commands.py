"""What each `denials` subcommand does: build the runtime, call one service, print.

A subcommand imports what only it needs inside its function, so `denials import` does not load
Block Kit, pandas or matplotlib it never uses (bench/startup_bench.py keeps it so).
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Callable
from pathlib import Path

from bot.blocks.text import plural
from bot.bootstrap import Runtime, build_runtime
from bot.clock import Clock
from bot.domain.payer_rules import format_rules_table
from bot.errors import InputError
from bot.importers.csv_columns import ColumnMapping, mapping_from_yaml, parse_mapping_option
from bot.importers.csv_mapping_text import columns_option, proposed_columns
from bot.services.importing import (
    FileOutcome,
    ImportContext,
    Progress,
    import_paths,
)
from bot.services.payers import PayerListing, list_payers, merge
from storage.db import make_engine, make_session_factory, upgrade

PROGRESS_MIN_BYTES = 5 << 20  # a bar only where an import takes long enough to wonder


def runtime(args: argparse.Namespace) -> Runtime:
    settings = args.settings
    today = getattr(args, "today", None)
    clock = Clock(settings.zone, today) if today else None
    built = build_runtime(settings, clock=clock)  # InputError for a bad override file
    args.opened.append(built)  # `main` closes it when the command is done
    return built


def import_files(args: argparse.Namespace) -> int:
    rt = runtime(args)
    try:
        mapping = column_mapping(args.columns) if args.columns else None
    except InputError as error:
        raise InputError(f"--columns: {error}") from None
    context = ImportContext(
        sessions=rt.sessions,
        rulebook=rt.rulebook,
        actor=args.actor,
        now=rt.clock.now(),
        today=rt.clock.today(),
        csv_mapping=mapping,
        skip_bad_rows=args.skip_bad_rows,
        zone=rt.clock.zone,
        alert_channel=args.settings.channel,
    )
    # A path that is missing, unreadable or not a file is one line of its own: the others are
    # imported and summarised all the same.
    outcomes = import_paths(args.paths, context, progress=_progress_bar)
    for outcome in outcomes:
        _print_outcome(outcome)
    if not outcomes:
        print("No files found to import.", file=sys.stderr)
    return 0 if all(o.ok for o in outcomes) else 1


def column_mapping(option: str) -> ColumnMapping:
    """`field=Header,...` on the command line, or a YAML file of the same pairs."""
    path = Path(option)
    if path.suffix in (".yml", ".yaml") and path.is_file():
        return mapping_from_yaml(path.read_text())
    return parse_mapping_option(option)


def _print_outcome(outcome: FileOutcome) -> None:
    stream = sys.stdout if outcome.ok else sys.stderr
    print(outcome.summary_line(), file=stream)
    for line in outcome.detail_lines():
        print(line, file=stream)
    target = shlex.quote(str(outcome.path)) if outcome.path is not None else "FILE"
    if outcome.bad_rows is not None and outcome.bad_rows.others:
        others = outcome.bad_rows.others
        print(
            f"  to import the other {plural(others, 'row')} and leave these out: "
            f"denials import --skip-bad-rows {target}",
            file=stream,
        )
    if outcome.columns_needed is not None:
        wanted = proposed_columns(outcome.columns_needed.detection)
        print(f"  run: denials import {target} {columns_option(wanted)}", file=stream)
        print("  (replace each <header>; `denials columns FILE` shows every column)", file=stream)


def _progress_bar(path: Path) -> Progress | None:
    if not sys.stderr.isatty() or path.stat().st_size < PROGRESS_MIN_BYTES:  # a regular file
        return None
    from tqdm import tqdm

    bar = tqdm(total=path.stat().st_size, unit="B", unit_scale=True, desc=path.name, leave=False)

    def update(done: int, total: int) -> None:
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return update


def export(args: argparse.Namespace) -> int:
    from bot.services.export import export_records, write_csv, write_jsonl

    rt = runtime(args)
    writer: Callable[..., int] = write_jsonl if args.format == "json" else write_csv
    with rt.sessions() as session:
        writer(export_records(session, include_closed=args.all), sys.stdout)
    return 0


def due(args: argparse.Namespace) -> int:
    from bot.blocks.due_list import due_list
    from bot.blocks.plain_text import render_text
    from bot.services.due import DueFilter, due_view

    rt = runtime(args)
    if args.days < 0 or args.days > 365:
        raise InputError("DAYS must be between 0 and 365, e.g. `denials due 14`.")
    who = DueFilter()
    if args.who == "unassigned":
        who = DueFilter(unassigned=True, description="unassigned")
    elif args.who:
        who = DueFilter(assignee=args.who, description=args.who)
    view = due_view(rt.sessions, today=rt.clock.today(), days=args.days, who=who)
    print(render_text(due_list(view).blocks))
    return 0


def rules(args: argparse.Namespace) -> int:
    rt = runtime(args)
    print(format_rules_table(rt.rulebook.payer_rules))
    return 0


def payers(args: argparse.Namespace) -> int:
    rt = runtime(args)
    found = list_payers(rt.sessions)
    for payer in found:
        print(_payer_line(payer))
    if len(found) > 1:
        print(MERGE_HINT)
    elif not found:
        print("No payers yet: they come with the first import.")
    return 0


def payers_merge(args: argparse.Namespace) -> int:
    rt = runtime(args)
    merged = merge(rt.sessions, args.source, args.target, now=rt.clock.now())
    source, target = merged.source, merged.target
    print(
        f"{source.number} {source.name} is now part of {target.number} {target.name}: "
        f"{plural(source.claims, 'claim')} and {plural(source.denials, 'denial')} moved, "
        f"and its cards will show {target.name}."
    )
    if merged.duplicates:
        print(
            f"{plural(merged.duplicates, 'claim')} both payers had (the same adjudication "
            "imported under each name) stored once now."
        )
    return 0


MERGE_HINT = "Two that are the same payer: `denials payers merge P4 P1` makes P4 part of P1."


def _payer_line(payer: PayerListing) -> str:
    known = []
    if payer.ids:
        known.append("ids " + ", ".join(payer.ids))
    if payer.names:
        known.append("written " + ", ".join(f'"{name}"' for name in payer.names))
    counts = f"{plural(payer.claims, 'claim')}, {plural(payer.denials, 'denial')}"
    return f"{payer.number:>5}  {payer.name} · {' · '.join([*known, counts])}"


def db_upgrade(args: argparse.Namespace) -> int:
    from bot.services.dedupe import stored_twice

    engine = make_engine(args.settings.database_url)
    try:
        upgrade(engine)
        repeats = stored_twice(make_session_factory(engine))
    finally:
        engine.dispose()
    print("Database is up to date.")
    if repeats:
        print(STORED_TWICE.format(claims=plural(repeats, "claim"), verb=_are(repeats)))
    return 0


STORED_TWICE = (
    "{claims} {verb} stored a second time (imported before re-sent files were recognised): "
    "`denials db dedupe` merges them, keeping every staff action, appeal and card."
)


def db_dedupe(args: argparse.Namespace) -> int:
    from bot.services.dedupe import dedupe, stored_twice

    rt = runtime(args)
    repeats = stored_twice(rt.sessions)
    if not repeats:
        print("No adjudication is stored twice: nothing to merge.")
        return 0
    if args.dry_run:
        print(STORED_TWICE.format(claims=plural(repeats, "claim"), verb=_are(repeats)))
        return 0
    merged = dedupe(rt.sessions, now=rt.clock.now())
    print(
        f"Merged {plural(merged.claims, 'claim')} into the first import of "
        f"{plural(merged.groups, 'adjudication')}: {plural(merged.denials, 'denial')} merged "
        "(their appeals, history and staff work kept on the denial that stays), "
        f"{plural(merged.cards, 'card')} now pointing to the card that tracks it."
    )
    return 0


def _are(count: int) -> str:
    return "is" if count == 1 else "are"


def demo(args: argparse.Namespace) -> int:
    from bot.demo import run_demo  # the demo pulls in sample data only when asked

    return run_demo(args.settings, today=getattr(args, "today", None))


def run(args: argparse.Namespace) -> int:
    from bot.runner import run_bot

    return run_bot(args.settings)


def trends(args: argparse.Namespace) -> int:
    from bot.cli_reports import trends_command

    return trends_command(runtime(args), args.words)


def patterns(args: argparse.Namespace) -> int:
    from bot.cli_reports import patterns_command

    return patterns_command(runtime(args), args.words)


def find(args: argparse.Namespace) -> int:
    from bot.cli_reports import find_command

    return find_command(runtime(args), args.claim)


def audit(args: argparse.Namespace) -> int:
    from bot.cli_reports import audit_command

    return audit_command(runtime(args), args.claim)


def letter(args: argparse.Namespace) -> int:
    from bot.cli_letters import letter_command

    return letter_command(runtime(args), args.claim, out=args.out, level=args.level)


def columns(args: argparse.Namespace) -> int:
    from bot.cli_columns import columns_command

    return columns_command(runtime(args), args)


def run_job(args: argparse.Namespace) -> int:
    from bot.cli_jobs import run_job_command

    return run_job_command(args.settings, runtime(args), args.name)
