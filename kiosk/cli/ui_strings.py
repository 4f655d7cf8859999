"""`kiosk ui-strings extract|update|init LANG|check` (or `python -m kiosk.i18n ...`):
maintain the kiosk's interface-string catalogues."""

from __future__ import annotations

import argparse
import sys

from kiosk.i18n.checks import check_catalogues
from kiosk.i18n.files import LOCALE_DIR
from kiosk.i18n.maintain import extract, init, update


def _run(args: argparse.Namespace) -> int:
    """Handle `kiosk ui-strings ACTION`."""
    if args.action == "extract":
        print(f"wrote {extract()}")
    elif args.action == "update":
        update()
        print(f"updated the catalogues in {LOCALE_DIR}")
    elif args.action == "init":
        if not args.language:
            print("init needs a language code, e.g. `kiosk ui-strings init ro`", file=sys.stderr)
            return 2
        print(f"wrote {init(args.language)}")
    problems = check_catalogues() if args.action in ("check", "update", "init") else []
    for problem in problems:
        print(problem)
    if args.action == "check" and not problems:
        print("every catalogue translates every interface string")
    return 1 if problems and args.action == "check" else 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the arguments shared by `kiosk ui-strings` and `python -m kiosk.i18n`."""
    parser.add_argument("action", choices=["extract", "update", "init", "check"],
                        help="extract: rebuild kiosk.pot from the source; update: merge it "
                             "into every .po; init LANG: add a language; check: report "
                             "missing or broken translations (exit status 1)")
    parser.add_argument("language", nargs="?", help="language code, for init")
    parser.set_defaults(func=_run)


def register(subparsers) -> None:
    """Add `kiosk ui-strings` to the kiosk command line."""
    parser = subparsers.add_parser(
        "ui-strings", help="extract, update and check the kiosk's interface-string catalogues")
    add_arguments(parser)


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m kiosk.i18n`."""
    parser = argparse.ArgumentParser(prog="python -m kiosk.i18n", description=__doc__)
    add_arguments(parser)
    args = parser.parse_args(argv)
    return args.func(args)
