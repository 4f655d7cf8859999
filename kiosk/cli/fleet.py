"""`kiosk fleet trust|pull|confirm|status`: the kiosk's side of packs over the network
(see `kiosk.fleet` and docs/fleet.md)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kiosk import paths
from kiosk.cli.options import add_data_dir, data_dir, iso_date


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `fleet` sub-command and its actions."""
    p = subparsers.add_parser("fleet", help="packs from the admin over the network")
    sub = p.add_subparsers(dest="fleet_command", metavar="ACTION", required=True)
    t = sub.add_parser("trust", help="pin the admin's public key (flask --app admin fleet "
                                     "public-key prints it)")
    t.add_argument("key")
    t.set_defaults(func=_trust)
    u = sub.add_parser("pull", help="ask the admin what to play; fetch, verify and stage it")
    u.add_argument("--apply", action="store_true",
                   help="then switch if the switch is due (as the attract loop does)")
    u.add_argument("--retries", type=int, default=0,
                   help="tries again after a cut or an unreachable admin (0)")
    u.add_argument("--retry-delay", type=float, default=2.0, help="seconds between tries (2)")
    u.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for an answer")
    u.add_argument("--today", type=iso_date, default=None,
                   help="validate packs as of this date (YYYY-MM-DD; default: today)")
    u.set_defaults(func=_pull)
    c = sub.add_parser("confirm", help="confirm the planned switch (mode confirm)")
    c.set_defaults(func=_confirm)
    s = sub.add_parser("status", help="the switch planned and the last error")
    s.set_defaults(func=_status)
    for q in (t, u, c, s):
        add_data_dir(q)
        q.add_argument("--config-dir", type=Path, default=None, help=argparse.SUPPRESS)


def _config_dir(args) -> Path:
    return args.config_dir if args.config_dir is not None else paths.config_dir()


def _store(args):
    from kiosk.content.packstore import PackStore

    return PackStore(data_dir(args) / "packs")


def _trust(args) -> int:
    from kiosk.fleet.verify import Refused, trust

    try:
        path = trust(args.key, _config_dir(args))
    except Refused as exc:
        print(f"kiosk fleet trust: {exc}", file=sys.stderr)
        return 1
    print(f"admin key pinned in {path}")
    return 0


def _pull(args) -> int:
    from kiosk.fleet import switch
    from kiosk.fleet.pull import pull_once
    from kiosk.sync import SyncError, Transient, load_config

    config_dir, data, store = _config_dir(args), data_dir(args), _store(args)
    try:
        config = load_config(config_dir=config_dir)
        if config is None:
            print("kiosk fleet pull: no admin configured (sync.toml: kiosk sync --server URL "
                  "--token T --save)", file=sys.stderr)
            return 1
        for attempt in range(args.retries + 1):
            try:
                result = pull_once(config, data, config_dir, store, today=args.today,
                                   timeout=args.timeout)
                break
            except Transient as exc:
                if attempt == args.retries:
                    print(f"kiosk fleet pull: {exc}", file=sys.stderr)
                    return 3
                time.sleep(args.retry_delay)
    except SyncError as exc:
        print(f"kiosk fleet pull: {exc}", file=sys.stderr)
        return 1
    print(f"{result.outcome}: {result.detail}")
    if args.apply:
        done = switch.apply_due(data, store, today=args.today)
        if done:
            print(f"switched: {done}")
    return 0 if result.outcome in ("no_pack", "up_to_date", "pending", "staged") else 4


def _confirm(args) -> int:
    from kiosk.fleet import switch

    if not switch.confirm(data_dir(args)):
        print("no switch waits for a confirmation", file=sys.stderr)
        return 1
    print("switch confirmed: it happens at the next attract loop")
    return 0


def _status(args) -> int:
    from kiosk.fleet import switch

    data = data_dir(args)
    planned = switch.pending(data)
    print("planned: " + (f"{planned['pack_id']} {planned['version']} ({planned['mode']})"
                         if planned else "nothing"))
    print("last error: " + (switch.last_error(data) or "none"))
    return 0
