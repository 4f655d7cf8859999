"""Bundles published for the kiosks: made once from a working copy, sent to kiosks on demand.

Publishing builds the working copy's bundle (the same ``export_bundle`` as the Packs page's
export, so the same refusals), computes its SHA-256 and keeps it in ``FLEET_BUNDLES_DIR``
under a name that includes the checksum; the row in ``fleet_bundles`` is what manifests
carry. A pack version once published never changes: the same version with other bytes is
refused (raise the version), the same bytes again are taken as they are.

A kiosk fetches its bundle with ``send`` (``conditional=True``: werkzeug answers ``Range``
with 206 and ``If-Range`` with the ETag, so a cut download resumes), or, with
``FLEET_ACCEL_PREFIX`` set, with an empty answer whose ``X-Accel-Redirect`` lets nginx send
the file from disk once the admin has checked the token.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from flask import Flask, Response, send_file
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from admin import audit
from admin.content.packs import export_bundle
from admin.models import User
from admin.models_distribution import FleetBundle
from kiosk.content.bundle import BundleError

_CHUNK = 1024 * 1024


def bundles_dir(app: Flask) -> Path:
    """The folder of the published bundles."""
    return Path(app.config["FLEET_BUNDLES_DIR"])


def file_sha256(path: Path) -> str:
    """The hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def publish(app: Flask, db: Session, root: Path, work_dir: Path,
            actor: User | None) -> FleetBundle:
    """Build a working copy's bundle and keep it for the kiosks (no commit); BundleError
    when the pack has errors or this version was published with other content.

    Two workers publishing the same version at once: the second one's insert meets the
    first one's row; its session is rolled back and the first one's bundle is answered as
    if it had been there before (or BundleError when its files differ)."""
    built, manifest = export_bundle(root, work_dir)
    try:
        sha = file_sha256(built)
        existing = _version(db, manifest.pack_id, manifest.version)
        if existing is not None:
            return _same_version(app, existing, built, sha)
        folder = bundles_dir(app)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{manifest.pack_id}-{manifest.version}-{sha[:16]}.zip"
        tmp = folder / f".{name}.{os.getpid()}"
        shutil.copyfile(built, tmp)
        os.replace(tmp, folder / name)
        bundle = FleetBundle(pack_id=manifest.pack_id, version=manifest.version, sha256=sha,
                             size=built.stat().st_size, file=name,
                             created_by=actor.username if actor else "system")
        db.add(bundle)
        try:
            db.flush()
        except IntegrityError:  # published by another worker since _version() above
            db.rollback()
            existing = _version(db, manifest.pack_id, manifest.version)
            if existing is None:
                raise
            if existing.file != name:
                (folder / name).unlink(missing_ok=True)
            return _same_version(app, existing, built, sha)
        audit.record(db, actor, "fleet.publish", f"{bundle.pack_id}:{bundle.version}", None,
                     {"sha256": sha, "size": bundle.size})
        return bundle
    finally:
        shutil.rmtree(built.parent, ignore_errors=True)


def _version(db: Session, pack_id: str, version: str) -> FleetBundle | None:
    return db.scalar(select(FleetBundle).where(FleetBundle.pack_id == pack_id,
                                               FleetBundle.version == version))


def _same_version(app: Flask, existing: FleetBundle, built: Path, sha: str) -> FleetBundle:
    """`existing` when `built` holds its files (a rebuilt zip differs in its dates), else
    BundleError: a published version never changes."""
    if existing.sha256 != sha and not _same_files(existing, built, app):
        raise BundleError("version %(version)s of pack %(pack)s was published for "
                          "the kiosks with other content; raise the pack's version",
                          version=existing.version, pack=existing.pack_id)
    return existing


def _same_files(existing: FleetBundle, built: Path, app: Flask) -> bool:
    """True when two bundles hold the same files (a zip's dates differ from build to build)."""
    from kiosk.content.bundle import inspect_bundle

    try:
        old = inspect_bundle(bundles_dir(app) / existing.file).files
    except (BundleError, OSError):
        return False
    return old == inspect_bundle(built).files


def published(db: Session) -> list[FleetBundle]:
    """Every published bundle, newest first."""
    return list(db.scalars(select(FleetBundle).order_by(FleetBundle.id.desc())))


def send(app: Flask, bundle: FleetBundle) -> Response:
    """The bundle's bytes for a kiosk (ranges answered), or nginx's redirect to them."""
    prefix = app.config["FLEET_ACCEL_PREFIX"]
    download = f"{bundle.pack_id}-{bundle.version}.zip"
    if prefix:
        response = Response(status=200, mimetype="application/zip")
        response.headers["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + bundle.file
        response.headers["Content-Disposition"] = f'attachment; filename="{download}"'
        return response
    return send_file(bundles_dir(app) / bundle.file, mimetype="application/zip",
                     as_attachment=True, download_name=download, conditional=True,
                     etag=bundle.sha256, max_age=0)
