"""The `kiosk` command line: one module per command, all in this package.

    options.py            the shared `--data-dir` option and argument types
    check.py              `kiosk check` (the validator, plus the kiosk's text-fit checks)
    pack.py               `kiosk pack build|install|rollback|list`
    record.py             `kiosk record export|stats`
    ui_strings.py         `kiosk ui-strings` (also `python -m kiosk.i18n`)
    sync.py               `kiosk sync`
    enroll.py             `kiosk enroll` (a one-time code from the admin's Kiosks page)
    fleet.py              `kiosk fleet trust|pull|confirm|status`
    play.py               `kiosk play` (also `python -m kiosk.cli.play`, for the systemd unit)
    screenshot.py         `kiosk screenshot`
    screenshot_server.py  `kiosk screenshot-server` (the admin's preview)
    staff_pin.py          `kiosk staff-pin`
    school.py             `kiosk school add|check`
    twine.py              `kiosk import twine` and `kiosk export twine`

Commands parse and print; the work is done by the domain packages, which hold no argparse.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Each module exposes `register(subparsers)`, adding its sub-command; each sub-command sets
# `func(args) -> int` as its handler. A module imports pygame (kiosk.app, kiosk.ui) only
# inside its handler: `kiosk check` and `kiosk sync` never pay for it. Keyed by the commands
# each module registers (`import` and `export` share twine.py; a test checks they agree):
# `kiosk COMMAND` imports that command's module only, so `kiosk play` starts without the
# validator, bundles and Twine that the others import (0.3-0.5 s of compiling on the first
# start after an install); `kiosk --help` and a mistyped command import them all.
COMMAND_MODULES = {
    "check": "kiosk.cli.check",
    "pack": "kiosk.cli.pack",
    "record": "kiosk.cli.record",
    "ui-strings": "kiosk.cli.ui_strings",
    "sync": "kiosk.cli.sync",
    "enroll": "kiosk.cli.enroll",
    "fleet": "kiosk.cli.fleet",
    "play": "kiosk.cli.play",
    "screenshot": "kiosk.cli.screenshot",
    "staff-pin": "kiosk.cli.staff_pin",
    "screenshot-server": "kiosk.cli.screenshot_server",
    "school": "kiosk.cli.school",
    "import": "kiosk.cli.twine",
    "export": "kiosk.cli.twine",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Build the argument parser: with `command` one of the commands, its module's only,
    else every registered sub-command."""
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Storykiosk: play, check and manage content packs on a kiosk.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    if command in COMMAND_MODULES:
        modules = [COMMAND_MODULES[command]]
    else:
        modules = list(dict.fromkeys(COMMAND_MODULES.values()))
    for name in modules:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
