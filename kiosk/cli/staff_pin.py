"""`kiosk staff-pin`: set the staff menu's PIN (stored hashed in `kiosk.json`)."""

from __future__ import annotations

import argparse
import getpass
import sys


def register(sub: argparse._SubParsersAction) -> None:
    """Add `kiosk staff-pin`."""
    pin = sub.add_parser("staff-pin", help="set the staff menu's PIN (stored hashed)")
    pin.add_argument("--pin-stdin", action="store_true", help="read the PIN from stdin")
    pin.set_defaults(func=cmd_staff_pin)


def cmd_staff_pin(args) -> int:
    """Ask for a PIN twice (or read it from stdin) and store its hash in the config."""
    from kiosk.app.config import KioskConfig  # kiosk.app brings pygame: only when used

    if args.pin_stdin:
        pin = sys.stdin.readline().strip()
    else:
        pin = getpass.getpass("New staff PIN (4-12 digits): ")
        if getpass.getpass("Again: ") != pin:
            print("kiosk staff-pin: the two PINs differ; nothing changed", file=sys.stderr)
            return 1
    config = KioskConfig.load()
    try:
        config.set_pin(pin)
    except ValueError as exc:
        print(f"kiosk staff-pin: {exc}; nothing changed", file=sys.stderr)
        return 1
    print(f"staff PIN stored (hashed) in {config.save()}")
    return 0
