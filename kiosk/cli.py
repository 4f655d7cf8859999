"""The `kiosk` command line: one parser, with sub-commands contributed by the modules below."""

from __future__ import annotations

import argparse
import importlib
import sys

# Each module exposes `register(subparsers)`, adding its sub-commands; each sub-command sets
# `func(args) -> int` as its handler. Modules are imported lazily so that `kiosk check` never
# pays for pygame.
COMMAND_MODULES = [
    "kiosk.check_cli",
    "kiosk.content.pack_cli",
    "kiosk.record.cli",
    "kiosk.i18n.tools",
    "kiosk.sync_cli",
    "kiosk.play_cli",
    "kiosk.shot_server",
    "kiosk.school_cli",
    "kiosk.content.twine.cli",
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
