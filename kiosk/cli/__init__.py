"""The `kiosk` command line: one module per command, all in this package.

    options.py            the shared `--data-dir` option and argument types
    check.py              `kiosk check` (the validator, plus the kiosk's text-fit checks)
    pack.py               `kiosk pack build|install|rollback|list`
    record.py             `kiosk record export|stats`
    ui_strings.py         `kiosk ui-strings` (also `python -m kiosk.i18n`)
    sync.py               `kiosk sync`
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
# `func(args) -> int` as its handler. Every module is imported to build the parser, so a
# module imports pygame (kiosk.app, kiosk.ui) only inside its handler: `kiosk check` and
# `kiosk sync` never pay for it.
COMMAND_MODULES = [
    "kiosk.cli.check",
    "kiosk.cli.pack",
    "kiosk.cli.record",
    "kiosk.cli.ui_strings",
    "kiosk.cli.sync",
    "kiosk.cli.play",
    "kiosk.cli.screenshot",
    "kiosk.cli.staff_pin",
    "kiosk.cli.screenshot_server",
    "kiosk.cli.school",
    "kiosk.cli.twine",
]


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every registered sub-command."""
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Storykiosk: play, check and manage content packs on a kiosk.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = build_parser()
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
