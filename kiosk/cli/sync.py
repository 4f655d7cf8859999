"""`kiosk sync`: send the anonymous record to the admin now (see `kiosk.sync`)."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from kiosk.cli.options import add_data_dir, data_dir
from kiosk.sync import (
    DEFAULT_BATCH,
    Backoff,
    Client,
    SyncError,
    Transient,
    load_config,
    save_config,
    sync_once,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `sync` sub-command."""
    p = subparsers.add_parser("sync", help="send the anonymous visitor record to the admin")
    p.add_argument("--server", metavar="URL",
                   help="the admin's address, e.g. https://admin.example.org (default: "
                        "$STORYKIOSK_SYNC_SERVER or sync.toml in the config folder)")
    p.add_argument("--token", help="the kiosk's token from its registration in the admin "
                                   "(default: $STORYKIOSK_SYNC_TOKEN or sync.toml)")
    p.add_argument("--allow-insecure-http", action="store_true",
                   help="send to a plain http:// server on another machine (the token and "
                        "events cross the network unencrypted; http to this machine is "
                        "always allowed); with --save, remembered in sync.toml")
    p.add_argument("--save", action="store_true",
                   help="remember --server and --token in sync.toml for later syncs and for "
                        "the kiosk's background sync")
    p.add_argument("--batch-size", type=int, default=DEFAULT_BATCH,
                   help=f"events per request ({DEFAULT_BATCH})")
    p.add_argument("--retries", type=int, default=8,
                   help="attempts after a failure before giving up (8)")
    p.add_argument("--retry-base", type=float, default=0.5,
                   help="first back-off delay in seconds; it doubles each retry (0.5)")
    p.add_argument("--retry-max", type=float, default=30.0,
                   help="longest back-off delay in seconds (30)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for an answer")
    add_data_dir(p)
    p.add_argument("--config-dir", type=Path, default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Send everything not acknowledged yet; 0 when nothing is left waiting."""
    from kiosk.record.store import DB_NAME, RecordError, Store

    def fail(message: str) -> int:
        print(f"kiosk sync: {message}", file=sys.stderr)
        return 1

    if args.batch_size < 1:
        return fail("--batch-size must be at least 1")
    try:
        config = load_config(args.server, args.token, args.config_dir,
                             args.allow_insecure_http)
    except SyncError as exc:
        return fail(str(exc))
    if config is None:
        return fail("no server: pass --server URL (and --token), or save them with --save")
    if args.save:
        path = save_config(config, args.config_dir)
        print(f"Saved the server and token in {path}")
    args.data_dir = data_dir(args)
    if not (args.data_dir / DB_NAME).exists():
        return fail(f"there is no record in {args.data_dir} yet (no visitor was recorded)")
    try:
        store = Store.open(args.data_dir, check=False)
    except (RecordError, OSError, sqlite3.Error) as exc:
        return fail(str(exc))
    backoff = Backoff(args.retry_base, args.retry_max)
    try:
        result = sync_once(store, Client(config, args.timeout), batch_size=args.batch_size,
                           retries=args.retries, backoff=backoff)
    except (SyncError, Transient) as exc:
        waiting = store.count_unsynced()
        store.close()
        return fail(f"{exc}. {waiting} events are still waiting; nothing was marked as sent "
                    f"that the server did not confirm")
    refused = store.count_refused()
    store.close()
    print(f"Sent {result.sent} events in {result.batches} batches ({result.new} new to the "
          f"server, {result.retries} retries); {result.remaining} waiting; "
          f"{result.refused} refused by the server this time ({refused} set aside in all).")
    return 0 if result.remaining == 0 else 1
