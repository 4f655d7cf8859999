"""`kiosk record export` and `kiosk record stats`: the record for a kiosk without a network."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

from kiosk.cli.options import add_data_dir, data_dir
from kiosk.record import stats as stats_mod
from kiosk.record.export import FORMATS, ExportError, export, since_minute, usb_file_name
from kiosk.record.journal import replay
from kiosk.record.store import RecordDamaged, RecordError, Store, is_damage_error, load_kiosk_id

# What staff can do about a damaged record, said after the error.
DAMAGED_HINT = ("the kiosk sets it aside and recovers its readable events when it next starts; "
                "run this again after that")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `record` sub-command with `export` and `stats`."""
    rec = subparsers.add_parser("record", help="export or count the anonymous visitor record")
    sub = rec.add_subparsers(dest="record_command", metavar="ACTION")
    rec.set_defaults(func=lambda args: (rec.print_help(), 2)[1])

    exp = sub.add_parser("export", help="write the events to a CSV or JSON Lines file "
                                        "with a manifest and checksum")
    exp.add_argument("--format", choices=FORMATS, default="csv", help="file format (csv)")
    exp.add_argument("--since", metavar="DATE", type=_since_date,
                     help="only events from this UTC date (YYYY-MM-DD[THH:MM]) on")
    exp.add_argument("--since-last", action="store_true",
                     help="only events recorded after the last export ended")
    where = exp.add_mutually_exclusive_group(required=True)
    where.add_argument("-o", "--output", metavar="FILE", type=Path, help="the file to write")
    where.add_argument("--usb", metavar="DIR", type=Path,
                       help="a folder (a USB stick) to write a named file and manifest into")
    add_data_dir(exp)
    exp.set_defaults(func=run_export)

    st = sub.add_parser("stats", help="counts per story, language and day (small cells hidden)")
    st.add_argument("--json", action="store_true", help="print the counts as JSON")
    add_data_dir(st)
    st.set_defaults(func=run_stats)


def _since_date(text: str) -> str:
    """Check a --since value while parsing: a bad date is a usage error (exit 2)."""
    try:
        since_minute(text)
    except ExportError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--since ")) from None
    return text


def _open(folder: Path) -> Store:
    if not (folder / "record.sqlite3").exists():
        raise RecordError(f"there is no record in {folder} yet (no visitor was recorded)")
    # No quick_check here: the kiosk checks at start; a command must answer fast.
    try:
        store = Store.open(folder, repair=False, check=False)
    except RecordDamaged as exc:
        raise RecordDamaged(f"{exc}; {DAMAGED_HINT}") from exc
    try:
        # Events of a killed kiosk that only its journal holds go in first, as the kiosk's
        # next start would put them (a running kiosk's journal is locked: left to it).
        replay(store, folder, load_kiosk_id(folder), set())
    except sqlite3.DatabaseError as exc:
        if is_damage_error(exc):
            store.close()
            raise _damaged(store.path, exc) from exc
        print(f"kiosk record: the journal of a stopped kiosk could not be read in ({exc}); "
              "its last events come in at the kiosk's next start", file=sys.stderr)
    except (OSError, sqlite3.Error) as exc:
        print(f"kiosk record: the journal of a stopped kiosk could not be read in ({exc}); "
              "its last events come in at the kiosk's next start", file=sys.stderr)
    return store


def _damaged(path: Path, exc: BaseException) -> RecordDamaged:
    return RecordDamaged(f"the record {path} is damaged ({exc}); {DAMAGED_HINT}")


def run_export(args: argparse.Namespace) -> int:
    """Write an export and its manifest; print what was written."""
    folder = data_dir(args)
    try:
        store = _open(folder)
    except (RecordError, OSError, sqlite3.Error) as exc:
        print(f"kiosk record export: {exc}", file=sys.stderr)
        return 1
    try:
        if args.usb is not None:
            if not args.usb.is_dir():
                print(f"kiosk record export: the folder {args.usb} does not exist",
                      file=sys.stderr)
                return 1
            out = args.usb / usb_file_name(load_kiosk_id(folder), args.format)
        else:
            out = args.output
        manifest = export(store, folder, out, args.format, since=args.since,
                          since_last=args.since_last)
    except ExportError as exc:
        print(f"kiosk record export: {exc}", file=sys.stderr)
        return 1
    except sqlite3.DatabaseError as exc:
        if not is_damage_error(exc):
            raise
        print(f"kiosk record export: {_damaged(store.path, exc)}", file=sys.stderr)
        return 1
    finally:
        store.close()
    rng = manifest["range"]
    span = f", {rng['first_at']} to {rng['last_at']}" if manifest["count"] else ""
    print(f"Wrote {manifest['count']} events to {out}{span}")
    print(f"Manifest: {out.with_name(out.name + '.manifest.json')} (sha256 {manifest['sha256']})")
    return 0


def run_stats(args: argparse.Namespace) -> int:
    """Print counts per story, language and day."""
    try:
        store = _open(data_dir(args))
    except (RecordError, OSError, sqlite3.Error) as exc:
        print(f"kiosk record stats: {exc}", file=sys.stderr)
        return 1
    try:
        counts = stats_mod.collect(store)
    except sqlite3.DatabaseError as exc:
        if not is_damage_error(exc):
            raise
        print(f"kiosk record stats: {_damaged(store.path, exc)}", file=sys.stderr)
        return 1
    finally:
        store.close()
    if args.json:
        print(json.dumps(stats_mod.suppressed(counts), indent=2))
    else:
        print(stats_mod.render(counts))
    return 0
