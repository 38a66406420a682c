"""The `denials` command (also `python -m bot`): the only place that reads the environment.

Nothing heavy is imported here: `denials --help` (and a mistyped command) answers in a blink,
and each subcommand loads what it uses when it runs (bench/startup_bench.py measures it).
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.errors import DenialsError, InputError

log = logging.getLogger("bot")

Handler = Callable[[argparse.Namespace], int]


@dataclass(frozen=True)
class Later:
    """A subcommand's handler in `bot.cli_commands`, imported when the subcommand runs."""

    name: str

    def __call__(self, args: argparse.Namespace) -> int:
        handler: Handler = getattr(importlib.import_module("bot.cli_commands"), self.name)
        return handler(args)


class _Commands:
    def __getattr__(self, name: str) -> Later:
        return Later(name)


# `cli_commands.run` names bot.cli_commands.run without importing it (pandas, Alembic, Bolt…).
cli_commands = _Commands()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("alembic", "apscheduler"):  # routine progress, not news
        logging.getLogger(noisy).setLevel(logging.DEBUG if args.verbose else logging.WARNING)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    from bot.config import load_settings  # pydantic: only once a subcommand runs

    try:
        args.settings = load_settings()
    except InputError as error:
        print(error, file=sys.stderr)
        return 2
    args.opened = []
    try:
        return handler(args)
    except InputError as error:  # the person at the terminal can fix it: exit as for usage
        print(error, file=sys.stderr)
        return 2
    except DenialsError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        for runtime in args.opened:
            runtime.close()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="denials",
        description="Import claim denials, triage them in Slack, and keep appeal deadlines.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    run = commands.add_parser("run", help="start the bot (Socket Mode or HTTP) and its scheduler")
    run.set_defaults(handler=cli_commands.run)

    imp = commands.add_parser(
        "import", help="import 835, 277 or CSV files, or every file in a folder"
    )
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    imp.add_argument(
        "--columns",
        metavar="MAPPING",
        help="CSV column mapping when auto-detection fails, e.g. "
        "'claim=Clm Nbr,payer=Pyr Nam,billed=Bill Amt,paid=Pd Amt,carc=Reason Cd', "
        "or a YAML file of the same field: header pairs",
    )
    imp.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="import a report's other rows when some cannot be read, and list what was left out "
        "(without it, such a report is refused whole)",
    )
    imp.add_argument("--as", dest="actor", default=f"cli:{_user()}", help=argparse.SUPPRESS)
    imp.add_argument("--today", type=_day, help="import as of this day (YYYY-MM-DD)")
    imp.set_defaults(handler=cli_commands.import_files)

    cols = commands.add_parser(
        "columns", help="the CSV columns an import would read (--list, --forget saved layouts)"
    )
    cols.add_argument("file", nargs="?", type=Path, metavar="FILE")
    cols.add_argument("--columns", metavar="MAPPING", help="try this mapping instead")
    cols.add_argument("--list", action="store_true", help="list the saved layouts")
    cols.add_argument("--forget", metavar="NUMBER|FILE", help="drop a saved layout")
    cols.set_defaults(handler=cli_commands.columns)

    export = commands.add_parser("export", help="one record per denial to stdout")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--all", action="store_true", help="include closed denials")
    export.set_defaults(handler=cli_commands.export)

    due = commands.add_parser("due", help="open denials due within DAYS (default 14)")
    due.add_argument("days", nargs="?", type=int, default=14)
    due.add_argument("who", nargs="?", help="unassigned, or a Slack user id")
    due.add_argument("--today", type=_day, help="as of this day (YYYY-MM-DD)")
    due.set_defaults(handler=cli_commands.due)

    trends = commands.add_parser("trends", help="denial trends for managers (as /denials trends)")
    trends.add_argument("words", nargs="*", help="e.g. 90d by payer")
    trends.add_argument("--today", type=_day, help="as of this day (YYYY-MM-DD)")
    trends.set_defaults(handler=cli_commands.trends)

    patterns = commands.add_parser(
        "patterns", help="repeat patterns, their fixes and verdicts (as /denials patterns)"
    )
    patterns.add_argument("words", nargs="*", help="a pattern's number or words of its name")
    patterns.add_argument("--today", type=_day, help="as of this day (YYYY-MM-DD)")
    patterns.set_defaults(handler=cli_commands.patterns)

    find = commands.add_parser("find", help="find a denial by claim number or denial id")
    find.add_argument("claim")
    find.add_argument("--today", type=_day, help="as of this day (YYYY-MM-DD)")
    find.set_defaults(handler=cli_commands.find)

    audit = commands.add_parser(
        "audit", help="who did what to a denial and when (read-only), as /denials history"
    )
    audit.add_argument("claim", help="claim number or denial id (D-1042)")
    audit.set_defaults(handler=cli_commands.audit)

    letter = commands.add_parser(
        "letter", help="write the complete appeal letter of a claim (.docx and .pdf) to a folder"
    )
    letter.add_argument("claim", help="claim number or denial id (D-1042)")
    letter.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="folder for the files (default: DENIALS_LETTERS_DIR, else the current folder)",
    )
    letter.add_argument("--level", type=_level, help="appeal level 1-5 (default: the next one)")
    letter.add_argument("--today", type=_day, help="date the letter as of this day (YYYY-MM-DD)")
    letter.set_defaults(handler=cli_commands.letter)

    jobs = commands.add_parser("jobs", help="scheduled jobs")
    job_commands = jobs.add_subparsers(title="jobs commands", metavar="ACTION", required=True)
    job_run = job_commands.add_parser("run", help="run one scheduled job now")
    job_run.add_argument("name", choices=("digest", "deadlines", "patterns", "inbox", "post"))
    job_run.add_argument(
        "--today", type=_day, help="run as of noon local time on this day (YYYY-MM-DD)"
    )
    job_run.set_defaults(handler=cli_commands.run_job)

    rules = commands.add_parser("rules", help="print the payer appeal-window rules in force")
    rules.set_defaults(handler=cli_commands.rules)

    payers = commands.add_parser(
        "payers", help="list the payers with the ids and names they are known by"
    )
    payers.set_defaults(handler=cli_commands.payers)
    payer_commands = payers.add_subparsers(title="payers commands", metavar="ACTION")
    merge = payer_commands.add_parser(
        "merge", help="join payer A into payer B: A's ids, names, claims and denials become B's"
    )
    merge.add_argument("source", metavar="A", help="a payer's number (P3), id or name")
    merge.add_argument("target", metavar="B", help="the payer A is the same as")
    merge.set_defaults(handler=cli_commands.payers_merge)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(title="db commands", metavar="ACTION", required=True)
    db_upgrade = db_commands.add_parser("upgrade", help="apply migrations")
    db_upgrade.set_defaults(handler=cli_commands.db_upgrade)
    db_dedupe = db_commands.add_parser(
        "dedupe",
        help="merge adjudications stored more than once (imported before re-sent files were "
        "recognised), keeping every staff action, appeal and card",
    )
    db_dedupe.add_argument("--dry-run", action="store_true", help="only say how many there are")
    db_dedupe.set_defaults(handler=cli_commands.db_dedupe)

    demo = commands.add_parser("demo", help="offline walkthrough on the bundled sample files")
    demo.add_argument("--today", type=_day, help="pretend today is this day (YYYY-MM-DD)")
    demo.set_defaults(handler=cli_commands.demo)
    return parser


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-30") from None


def _level(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 5:
        raise argparse.ArgumentTypeError(f"{text!r} is not an appeal level from 1 to 5")
    return int(text)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
