"""`kiosk pack build|install|rollback|list`: pack bundles on a kiosk or a touring laptop."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk import paths
from kiosk.content.bundle import BaseNotFound, BundleError, build_bundle
from kiosk.content.packstore import BreaksOverlays, PackStore


def _store(args: argparse.Namespace) -> PackStore:
    """The pack store named by `--packs-dir`, else the one in the kiosk's data folder."""
    return PackStore(args.packs_dir or paths.data_dir() / "packs")


def register(sub: argparse._SubParsersAction) -> None:
    """Add `kiosk pack` and its sub-commands."""
    p = sub.add_parser("pack", help="build, install and roll back pack bundles",
                       description="Pack bundles: a pack as one zip with a manifest of checksums.")
    psub = p.add_subparsers(dest="pack_command", metavar="ACTION", required=True)
    b = psub.add_parser("build", help="write a pack folder as a bundle")
    b.add_argument("pack", help="the pack folder")
    b.add_argument("-o", "--output", required=True, help="the bundle file to write (.zip)")
    b.add_argument("--with-base", action="store_true",
                   help="for a country overlay: carry its base pack in the bundle, for a kiosk "
                   "that does not have the base installed")
    b.add_argument("--packs-dir", "--packs", dest="packs_dir", help="for a country overlay: where installed packs are "
                   "searched for its base, before the folders beside the overlay (default: the "
                   "kiosk's data folder/packs)")
    b.set_defaults(func=_build)
    for name, helptext, func in (
        ("install", "check, unpack, validate and activate a bundle", _install),
        ("rollback", "activate the version that was active before", _rollback),
        ("list", "the installed packs and their versions", _list),
    ):
        q = psub.add_parser(name, help=helptext)
        if name == "install":
            q.add_argument("bundle", help="the bundle file (.zip)")
        if name == "rollback":
            q.add_argument("pack_id", help="the pack's id")
        if name in ("install", "rollback"):
            q.add_argument("--force", action="store_true",
                           help="switch a base pack's active version even when installed "
                           "country overlays do not accept it (they are named otherwise)")
        q.add_argument("--packs-dir", help="where packs are installed "
                       "(default: the kiosk's data folder/packs)")
        q.set_defaults(func=func)


def _build(args) -> int:
    try:
        m = build_bundle(args.pack, args.output, stores=[_store(args).root],
                         with_base=args.with_base)
    except BaseNotFound as exc:
        print(f"kiosk pack build: {exc}; --packs-dir names the folder of installed packs",
              file=sys.stderr)
        return 1
    except BundleError as exc:
        print(f"kiosk pack build: {exc}", file=sys.stderr)
        return 1
    base = ""
    if m.base is not None:
        base = (f"; carries its base {m.base.id} {m.base.version}" if m.base.files is not None
                else f"; needs its base {m.base.id} {m.base.range} on the kiosk "
                f"(built against {m.base.version})")
    print(f"{args.output}: pack {m.pack_id} {m.version}, {len(m.files)} files, "
          f"{m.total_size / 1e6:.1f} MB{base}")
    return 0


def _install(args) -> int:
    try:
        v = _store(args).install(Path(args.bundle), force=args.force)
    except BreaksOverlays as exc:
        print(f"kiosk pack install: refused: {exc}; --force installs anyway", file=sys.stderr)
        return 1
    except BundleError as exc:
        print(f"kiosk pack install: refused: {exc}", file=sys.stderr)
        return 1
    print(f"installed pack {v.pack_id} {v.version} in {v.folder}; it is now active "
          "(a running kiosk switches at its next attract loop)")
    if v.base:
        print(f"its base {v.base} was installed first; " + (
            "it is now active" if v.base_active else
            "the active version of the base stays (the overlay accepts it)"))
    return 0


def _rollback(args) -> int:
    try:
        folder = _store(args).rollback(args.pack_id, force=args.force)
    except BreaksOverlays as exc:
        print(f"kiosk pack rollback: refused: {exc}; --force rolls back anyway",
              file=sys.stderr)
        return 1
    except BundleError as exc:
        print(f"kiosk pack rollback: {exc}", file=sys.stderr)
        return 1
    print(f"pack {args.pack_id}: {folder.name} is active again")
    return 0


def _list(args) -> int:
    store = _store(args)
    ids = store.pack_ids()
    if not ids:
        print(f"no packs installed in {store.root}")
    for pack_id in ids:
        for v in store.versions(pack_id):
            print(f"{'*' if v.active else ' '} {pack_id} {v.version}  {v.folder}")
    return 0
