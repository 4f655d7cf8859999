"""Pack bundles for the admin: export a working copy, import into the PackStore, publish.

The checks live in ``kiosk.content.bundle`` (manifest, names, links, sizes, checksums) and
``kiosk.content.packstore`` (unpack into a staging folder, validate, then move into place):
the same code ``kiosk pack install`` runs. This module only moves uploads and temporary
files around them and removes every one of them on refusal.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from pathlib import Path
from typing import NamedTuple

from kiosk.content.bundle import BundleError, Manifest, build_bundle, inspect_bundle
from kiosk.content.extends import ExtendsError, read_extends
from kiosk.content.packstore import InstalledVersion, PackStore


class OverlayOf(NamedTuple):
    """What the Packs page says of a country overlay: its base, the versions it accepts and
    the installed version it runs over (None: no installed version is in range)."""

    base: str
    range: str
    installed: str | None


def overlay_of(root: Path, store: PackStore) -> OverlayOf | None:
    """The base a pack folder extends and the installed base it runs over; None for a pack
    that extends nothing (or whose extends: is malformed: its findings say so)."""
    try:
        ext = read_extends(root)
    except ExtendsError:
        return None
    if ext is None:
        return None
    found = store.installed_base(ext)
    return OverlayOf(ext.pack, ext.version, found.version if found else None)


def export_bundle(root: Path, work_dir: Path, store: PackStore | None = None
                  ) -> tuple[Path, Manifest]:
    """Build a working copy's bundle in a fresh temporary file; BundleError on pack errors.
    An overlay's base is found beside it or among the packs installed in `store`."""
    work_dir.mkdir(parents=True, exist_ok=True)
    out = Path(tempfile.mkdtemp(dir=work_dir)) / "bundle.zip"
    try:
        manifest = build_bundle(root, out, stores=[store.root] if store else [])
    except BaseException:
        shutil.rmtree(out.parent, ignore_errors=True)
        raise
    return out, manifest


def import_bundle(store: PackStore, stream, limit: int) -> InstalledVersion:
    """Copy an uploaded bundle beside the store, check it, install it (not activated).

    `stream` is a readable binary file; more than `limit` bytes is refused. On any refusal
    nothing is left: not the upload, not a staging folder, not a version.
    """
    store.root.mkdir(parents=True, exist_ok=True)
    upload = store.root / f".upload-{secrets.token_hex(6)}.zip"
    try:
        written = 0
        with upload.open("xb") as out:
            while chunk := stream.read(1024 * 1024):
                written += len(chunk)
                if written > limit:
                    raise BundleError("the bundle is larger than %(mb)s MB",
                                      mb=format(limit / 1e6, ".0f"))
                out.write(chunk)
        if written == 0:
            raise BundleError("the file is empty")
        inspect_bundle(upload)  # refuse before a staging folder is made
        return store.install(upload, activate=False)
    finally:
        upload.unlink(missing_ok=True)
