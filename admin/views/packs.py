"""Packs: the Packs page, export a working copy as a bundle, import a bundle, install,
activate and roll back versions. The settings form (`packsettings`), the new-pack form
(`packnew`) and a country overlay's page (`overlay`) are routes of this blueprint too."""

from __future__ import annotations

import shutil
from typing import NamedTuple

from flask import (
    Blueprint,
    abort,
    after_this_request,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _

from admin import audit
from admin.access import allow
from admin.content.library import publish_blockers
from admin.content.packs import export_bundle, import_bundle, overlay_of
from admin.content.workspace import workspace
from admin.db import get_db
from admin.i18n import reason
from admin.models import Role
from kiosk.content.bundle import BundleError, checksums
from kiosk.content.findings import ERROR
from kiosk.content.packstore import BreaksOverlays, overlay_list
from kiosk.content.versions import is_version, next_version, version_key

bp = Blueprint("packs", __name__, url_prefix="/packs")


@bp.record_once
def _uploads_check_csrf_themselves(state):
    """The import raises the size limit first, then checks the CSRF token (see import_)."""
    state.app.extensions["csrf"].exempt("admin.views.packs.import_")


def _raise_limit(megabytes: int) -> None:
    """Allow a large body on this request only, then check its CSRF token."""
    request.max_content_length = megabytes * 1024 * 1024 + 64 * 1024
    current_app.extensions["csrf"].protect()


@bp.route("/")
@allow(Role.CURATOR, Role.EDITOR, Role.VIEWER)
def index():
    """Working copies to export, and the versions installed for the kiosks on this machine."""
    return _index_page()


def _index_page(breaks=None, review=None):
    """The packs page with whatever was flashed on this request; `breaks` (pack id, active
    folder, overlays) asks to confirm a rollback that takes overlays out of their range;
    `review` (a _Review) asks to confirm installing or activating a pack with stale
    overrides."""
    ws = workspace()
    copies = [(wc, ws.load(wc.root)) for wc in ws.working_copies()]
    # what stops each copy from being bundled, shown in its row (one rule: export refuses these)
    blocking = {wc.pack_id: (_errors(loaded),
                             publish_blockers(get_db(), wc.pack_id, wc.root / "media"))
                for wc, loaded in copies}
    installed = {pid: ws.store.versions(pid) for pid in ws.store.pack_ids()}
    back_to = {pid: ws.store.rollback_target(pid) for pid in installed}
    # which packs are country overlays, of what, and whether their base is installed
    overlays = {("copy", wc.pack_id): overlay_of(wc.root, ws.store) for wc, _ in copies}
    overlays |= {("installed", pid): overlay_of(ws.store.active(pid), ws.store)
                 for pid in installed if ws.store.active(pid) is not None}
    return render_template("packs/index.html", copies=copies, installed=installed,
                           back_to=back_to, blocking=blocking, overlays=overlays, breaks=breaks,
                           review=review,
                           store_root=ws.store.root,
                           limit=current_app.config["MAX_BUNDLE_MB"])


class _Review(NamedTuple):
    """A pack with stale overrides about to go to the kiosks: what the curator confirms."""

    pack_id: str
    action: str  # the URL the confirmation posts to
    fields: dict[str, str]  # the form's own fields, posted again
    stale: list  # the stale-override findings
    key: str  # what the confirmation names (stale_key): another set asks again
    page: str | None  # the overlay's page, for a working copy


def stale_overrides(loaded) -> list:
    """A pack's stale overrides (findings): the base changed under them since written."""
    return [f for f in loaded.findings if f.code == "stale-override"]


def stale_key(stale: list) -> str:
    """The stale overrides a confirmation covers, as one text (file:place each)."""
    return "; ".join(sorted(f"{f.file}:{f.path}" for f in stale))


def _unreviewed(loaded, pack_id: str, action: str, fields: dict[str, str],
                page: str | None) -> _Review | None:
    """The review still to confirm before a pack goes to the kiosks, or None: no stale
    overrides, or the form confirms exactly these (`stale`)."""
    stale = stale_overrides(loaded)
    key = stale_key(stale)
    if not stale or request.form.get("stale") == key:
        return None
    return _Review(pack_id, action, fields, stale, key, page)


def _errors(loaded) -> list:
    """A loaded pack's errors (the page says each in the staff member's language)."""
    return [f for f in loaded.findings if f.severity == ERROR]


@bp.route("/<pack_id>/bundle.zip")
@allow(Role.CURATOR, Role.EDITOR)
def export(pack_id: str):
    """Download a working copy as a bundle (refused while the pack has errors)."""
    ws = workspace()
    wc = ws.working_copy(pack_id)
    blockers = publish_blockers(get_db(), pack_id, wc.root / "media")
    # a refusal is answered on this request with the packs page and its sentence (409), so a
    # browser shows why instead of saving the page as a download
    if blockers:
        flash(_("Not exported: media with blocked tags and no curator override: %(list)s",
                list="; ".join(blockers)))
        return _index_page(), 409
    try:
        path, manifest = export_bundle(wc.root, ws.cache_dir / "exports", ws.store)
    except BundleError as exc:
        flash(_("Not exported: %(why)s", why=reason(exc)))
        return _index_page(), 409

    @after_this_request
    def _cleanup(response):
        response.call_on_close(lambda: shutil.rmtree(path.parent, ignore_errors=True))
        return response

    return send_file(path, mimetype="application/zip", as_attachment=True,
                     download_name=f"{manifest.pack_id}-{manifest.version}.zip")


@bp.route("/import", methods=["POST"])
@allow(Role.CURATOR)
def import_():
    """Check and install an uploaded bundle as a new version (not yet active)."""
    limit = current_app.config["MAX_BUNDLE_MB"]
    _raise_limit(limit)
    upload = request.files.get("bundle")
    if upload is None or not upload.filename:
        flash(_("Choose a bundle file (.zip) to import."))
        return redirect(url_for("packs.index")), 303
    ws = workspace()
    try:
        version = import_bundle(ws.store, upload.stream, limit * 1024 * 1024)
    except BundleError as exc:
        flash(_("Refused, nothing was installed: %(why)s", why=reason(exc)))
        audit.record(get_db(), g.user, "pack.import-refused", upload.filename[:100], None,
                     {"reason": str(exc)[:500]})
        get_db().commit()
        # answered on this request (no redirect): the refusal is a 4xx with its sentence
        return _index_page(), 422
    audit.record(get_db(), g.user, "pack.import", f"{version.pack_id}:{version.version}", None,
                 {"folder": version.folder})
    get_db().commit()
    flash(_("Imported pack %(id)s version %(v)s. Activate it below to show it on the kiosks.",
            id=version.pack_id, v=version.version))
    return redirect(url_for("packs.index")), 303


@bp.route("/<pack_id>/activate", methods=["POST"])
@allow(Role.CURATOR)
def activate(pack_id: str):
    """Make an installed version the active one (atomic switch; the others stay)."""
    ws = workspace()
    version_dir = request.form.get("version_dir", "")
    if not version_dir or "/" in version_dir or version_dir.startswith("."):
        abort(400)
    before = ws.store.active(pack_id)
    folder = ws.store.root / pack_id / "versions" / version_dir
    review = _unreviewed(ws.load(folder), pack_id, url_for("packs.activate", pack_id=pack_id),
                         {"version_dir": version_dir}, None) if folder.is_dir() else None
    if review is not None:
        flash(_("Not activated yet: %(id)s has overrides written against another base text. Review them, then confirm below.", id=pack_id))  # noqa: E501 - one msgid
        return _index_page(review=review), 409
    try:
        ws.store.activate(pack_id, version_dir)
    except BundleError as exc:
        flash(reason(exc))
        return redirect(url_for("packs.index")), 303
    audit.record(get_db(), g.user, "pack.activate", pack_id,
                 {"active": before.name if before else None},
                 {"active": version_dir, "stale_overrides": request.form.get("stale")})
    get_db().commit()
    flash(_("Pack %(id)s: %(v)s is active; running kiosks switch at their next attract loop.",
            id=pack_id, v=version_dir))
    return redirect(url_for("packs.index")), 303


@bp.route("/<pack_id>/rollback", methods=["POST"])
@allow(Role.CURATOR)
def rollback(pack_id: str):
    """Activate the version that was active before the current one; when that takes
    installed overlays out of their range, only once the curator confirms those overlays."""
    ws = workspace()
    expected = request.form.get("active", "")
    current = ws.store.active(pack_id)
    if not expected:
        abort(400)
    if current is None or current.name != expected:
        flash(_("The active version changed since you opened the page; look again."))
        return redirect(url_for("packs.index")), 303
    # the confirmation names the overlays it covers: another set asks again
    confirmed = request.form.get("breaks")
    force = confirmed is not None and confirmed == overlay_list(ws.store.rollback_breaks(pack_id))
    try:
        folder = ws.store.rollback(pack_id, force=force)
    except BreaksOverlays as exc:
        flash(_("Not rolled back: %(why)s", why=reason(exc)))
        return _index_page(breaks=(pack_id, current.name, overlay_list(exc.overlays))), 409
    except BundleError as exc:
        flash(reason(exc))
        return redirect(url_for("packs.index")), 303
    audit.record(get_db(), g.user, "pack.rollback", pack_id, {"active": current.name},
                 {"active": folder.name, "overlays_out_of_range": confirmed or None})
    get_db().commit()
    flash(_("Pack %(id)s rolled back: %(v)s is active again.", id=pack_id, v=folder.name))
    return redirect(url_for("packs.index")), 303


def _installed_as(store, manifest) -> str | None:
    """Why a working copy is not installed again (the sentence), or None to install it.

    Installing keeps one folder per version: the same content is already there, and other
    content under a version that is not newer than every installed one is refused.
    """
    versions = store.versions(manifest.pack_id)
    files = {name: entry.sha256 for name, entry in manifest.files.items()}
    if any(v.version == manifest.version and checksums(v.folder) == files for v in versions):
        return _("Version %(v)s with this content is already installed; nothing to do.",
                 v=manifest.version)
    newer = [v.version for v in versions if is_version(v.version)
             and version_key(v.version) >= version_key(manifest.version)]
    if newer:
        top = max(newer, key=version_key)
        return _(
            "Not installed: version %(v)s is not newer than the installed %(top)s. Raise the version in the pack settings (next: %(next)s).",  # noqa: E501
            v=manifest.version, top=top, next=next_version(top))
    return None


@bp.route("/<pack_id>/install", methods=["POST"])
@allow(Role.CURATOR)
def install(pack_id: str):
    """Install a working copy on this machine as a new version (bundled, checked, not active)."""
    if request.form.get("confirm") != pack_id:
        abort(400)
    ws = workspace()
    wc = ws.working_copy(pack_id)
    blockers = publish_blockers(get_db(), pack_id, wc.root / "media")
    if blockers:
        flash(_("Not exported: media with blocked tags and no curator override: %(list)s",
                list="; ".join(blockers)))
        return redirect(url_for("packs.index")), 303
    review = _unreviewed(ws.load(wc.root), pack_id, url_for("packs.install", pack_id=pack_id),
                         {"confirm": pack_id}, url_for("packs.overlay", pack_id=pack_id))
    if review is not None:
        flash(_("Not installed yet: %(id)s has overrides written against another base text. Review them, then confirm below.", id=pack_id))  # noqa: E501 - one msgid
        return _index_page(review=review), 409
    try:
        path, manifest = export_bundle(wc.root, ws.cache_dir / "exports", ws.store)
    except BundleError as exc:
        flash(_("Not exported: %(why)s", why=reason(exc)))
        return redirect(url_for("packs.index")), 303
    same = _installed_as(ws.store, manifest)
    if same is not None:
        shutil.rmtree(path.parent, ignore_errors=True)
        flash(same)
        return redirect(url_for("packs.index")), 303
    try:
        version = ws.store.install(path, activate=False)
    except BundleError as exc:
        flash(_("Refused, nothing was installed: %(why)s", why=reason(exc)))
        return redirect(url_for("packs.index")), 303
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    audit.record(get_db(), g.user, "pack.install", f"{version.pack_id}:{version.version}", None,
                 {"folder": version.folder, "from": str(wc.root),
                  "stale_overrides": request.form.get("stale")})
    get_db().commit()
    flash(_("Imported pack %(id)s version %(v)s. Activate it below to show it on the kiosks.",
            id=version.pack_id, v=version.version))
    return redirect(url_for("packs.index")), 303


# A pack's settings form, the new-pack form and a country overlay's page and its reviews live
# in their own modules; each adds its routes to `bp` when imported here.
from admin.views import overlay, packnew, packsettings  # noqa: E402,F401
