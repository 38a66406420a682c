"""`denials columns`: which column of a report an import would read for each field, and the
layouts saved in the database (`--list`, `--forget`)."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from bot.bootstrap import Runtime
from bot.cli_commands import column_mapping
from bot.errors import InputError
from bot.importers.csv_mapping_text import (
    columns_option,
    mapping_table,
    proposed_columns,
    unused_headers,
)
from bot.importers.csv_table import read_grids, signatures
from bot.services.column_mappings import (
    ColumnsPreview,
    SavedMapping,
    forget,
    forget_layout,
    preview_columns,
    saved_mappings,
)

MAX_HEADERS_LISTED = 12


def columns_command(runtime: Runtime, args: argparse.Namespace) -> int:
    if args.list:
        return _list(runtime)
    if args.forget:
        return _forget(runtime, args.forget)
    if args.file is None:
        raise InputError("Name a report: `denials columns FILE` (or --list, --forget NUMBER).")
    try:
        mapping = column_mapping(args.columns) if args.columns else None
    except InputError as error:
        raise InputError(f"--columns: {error}") from None
    path: Path = args.file
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: the file could not be read ({error.strerror})") from None
    try:
        preview = preview_columns(runtime.sessions, data, path.name, mapping)
    except InputError as refusal:
        print(f"{path.name}: {refusal.describe()}", file=sys.stderr)
        return 1
    _print_preview(path, preview, given=mapping is not None)
    return 1 if preview.detection.missing() else 0


def _print_preview(path: Path, preview: ColumnsPreview, *, given: bool) -> None:
    detection = preview.detection
    print(f"{path.name}: {preview.grid}, header on line {preview.header_line} ({preview.layout})")
    if preview.saved is not None:
        print(
            f"Columns {preview.saved.source()} (mapping {preview.saved.id}); "
            f"`denials columns --forget {preview.saved.id}` drops it."
        )
    elif given:
        print("Columns as given with --columns; the rest found from headers and values.")
    elif detection.inferred():
        print("Columns found from header words and values (nothing saved for this layout).")
    else:
        print("Columns found by their known header names.")
    print()
    for line in mapping_table(detection):
        print(line)
    if detection.payer_above:
        print(f'\nPayer: "{detection.payer_above}", named above the header, for every row')
    unused = unused_headers(detection)
    if unused:
        print(f"\nNot read: {', '.join(unused)}")
    missing = detection.missing()
    if missing:
        print(f"\nMissing: {'; '.join(m.what for m in missing)}")
    option = columns_option(proposed_columns(detection))
    print(
        "\nTo change a field, import with the header you want for it (the import remembers "
        f"it for this layout):\n  denials import {shlex.quote(str(path))} {option}"
    )


def _list(runtime: Runtime) -> int:
    saved = saved_mappings(runtime.sessions)
    if not saved:
        print("No saved layouts. A layout is saved when its columns are mapped in Slack or")
        print("given with `denials import FILE --columns ...`.")
        return 0
    for item in saved:
        _print_saved(item)
    return 0


def _print_saved(item: SavedMapping) -> None:
    used = f", used {item.uses} times" if item.uses else ", not used yet"
    if item.used_at is not None:
        used += f" (last {item.used_at:%Y-%m-%d})"
    print(f"{item.id}  {item.source()}{used}; made for {item.example_file}")
    pairs = ", ".join(f"{name.value}={header}" for name, header in item.mapping.headers.items())
    print(f"    {pairs}")
    headers = list(item.headers)
    shown = ", ".join(headers[:MAX_HEADERS_LISTED])
    more = f" … ({len(headers)} in all)" if len(headers) > MAX_HEADERS_LISTED else ""
    print(f"    headers: {shown}{more}")


def _forget(runtime: Runtime, target: str) -> int:
    if target.isdigit():
        if not forget(runtime.sessions, int(target)):
            raise InputError(
                f"No saved layout number {target}; `denials columns --list` shows them."
            )
        print(f"Forgot saved layout {target}.")
        return 0
    path = Path(target)
    try:
        grids = read_grids(path.read_bytes(), path.name, [])
    except OSError as error:
        raise InputError(f"{path}: the file could not be read ({error.strerror})") from None
    except InputError as refusal:
        raise InputError(f"{path.name}: {refusal.describe()}") from None
    dropped = forget_layout(runtime.sessions, signatures(grids))
    if not dropped:
        print(f"Nothing saved for the layout of {path.name}.")
        return 0
    print(f"Forgot saved layout {', '.join(map(str, dropped))} ({path.name}'s headers).")
    return 0
