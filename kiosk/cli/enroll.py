"""`kiosk enroll`: register this kiosk with the admin using a one-time code (kiosk.fleet.enroll)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.fleet.enroll import DEFAULT_SCREEN, EnrollError, enroll


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `enroll` sub-command."""
    p = subparsers.add_parser("enroll", help="register this kiosk with the admin using a "
                                             "one-time code from its Kiosks page")
    p.add_argument("--admin", required=True, metavar="URL",
                   help="the admin's address, e.g. https://admin.example.org")
    p.add_argument("--code", required=True,
                   help="the enrolment code shown on the admin's Kiosks page (ABCD-EFGH)")
    p.add_argument("--name", help="the kiosk's name in the admin (default: the host name)")
    p.add_argument("--screen", default=DEFAULT_SCREEN, metavar="WxH",
                   help=f"the screen's size in pixels ({DEFAULT_SCREEN})")
    p.add_argument("--time-zone", help="the kiosk's IANA time zone (default: this machine's)")
    p.add_argument("--allow-insecure-http", action="store_true",
                   help="enrol with a plain http:// admin on another machine (the token "
                        "crosses the network unencrypted)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for an answer")
    p.add_argument("--config-dir", type=Path, default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Enrol; 0 when enrolled now or already, 1 with one sentence when not."""
    try:
        done = enroll(args.admin, args.code, name=args.name, screen=args.screen,
                      time_zone=args.time_zone, config_dir=args.config_dir,
                      allow_insecure_http=args.allow_insecure_http, timeout=args.timeout)
    except EnrollError as exc:
        print(f"kiosk enroll: {exc}", file=sys.stderr)
        return 1
    if not done.changed:
        print(f"Already enrolled with {args.admin}: nothing changed ({done.config_path}).")
        return 0
    venue = f" in {done.venue['name']} ({done.venue['time_zone']})" if done.venue else ""
    print(f"Enrolled as {done.kiosk!r}{venue}; the server and token are in "
          f"{done.config_path}.")
    if done.key_path:
        print(f"The admin's signing key is pinned in {done.key_path}.")
    return 0
