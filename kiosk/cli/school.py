"""`kiosk school`: school sessions from the command line (see `kiosk.school`).

    kiosk school add /media/stick/school-session-ABC123.json   # staff copy a code file in
    kiosk school check ABC123                                    # what the code starts, today
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.cli.options import add_data_dir, data_dir
from kiosk.content import load_cached
from kiosk.school import CodeRefused, SessionFinder, add_file


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `school` sub-command."""
    p = subparsers.add_parser("school", help="school sessions: add a code file, check a code")
    sub = p.add_subparsers(dest="school_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="keep a code file from the admin on this kiosk (trusted: "
                                     "no signature needed, the date is still checked)")
    add.add_argument("file", type=Path)
    add_data_dir(add, hidden=True)
    add.set_defaults(func=_add)
    check = sub.add_parser("check", help="look a code up as the kiosk would, for today")
    check.add_argument("code")
    check.add_argument("--pack", type=Path, default=None, help="pack folder (default: the "
                                                               "kiosk's pack)")
    add_data_dir(check, hidden=True)
    check.set_defaults(func=_check)


def _add(args) -> int:
    try:
        session = add_file(args.file, data_dir(args))
    except CodeRefused as exc:
        print(f"kiosk school add: {exc}", file=sys.stderr)
        return 1
    print(f"session {session.code} for {session.day.isoformat()} kept: "
          f"{', '.join(session.stories)} in {session.language}"
          f"{', discussion mode' if session.discussion else ''}")
    return 0


def _check(args) -> int:
    from kiosk.app.packs import default_pack_dir  # kiosk.app brings pygame: only when used

    loaded = load_cached(args.pack or default_pack_dir())
    if loaded.pack is None:
        print("kiosk school check: the pack does not load (kiosk check tells why)",
              file=sys.stderr)
        return 2
    try:
        mode = SessionFinder.for_kiosk(data_dir(args)).find(args.code, loaded.pack)
    except CodeRefused as exc:
        print(f"{args.code}: refused ({exc.reason}): {exc}", file=sys.stderr)
        return 1
    print(f"{mode.code}: valid today; stories {', '.join(mode.stories)} in {mode.language}"
          f"{', discussion mode' if mode.discussion else ''}")
    return 0
