"""The Distribution page: publish a pack version for the kiosks, assign it, see what was
assigned. Also ``flask --app admin fleet public-key``."""

from __future__ import annotations

import click
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select

from admin.access import allow
from admin.content.library import publish_blockers
from admin.content.workspace import workspace
from admin.db import get_db
from admin.fleet import assign, downloads, signing
from admin.i18n import reason
from admin.models import Role
from admin.models_distribution import SWITCH_MODES, FleetBundle
from admin.models_feedback import Kiosk
from kiosk.content.bundle import BundleError

bp = Blueprint("fleet", __name__, url_prefix="/fleet", cli_group="fleet")
STAFF = (Role.ADMINISTRATOR, Role.CURATOR)
DEFAULT_TIMEZONE = "Europe/Stockholm"


def _page(status: int = 200):
    db = get_db()
    kiosks = db.scalars(select(Kiosk).where(Kiosk.revoked_at.is_(None))
                        .order_by(Kiosk.name)).all()
    following = {k.id: assign.current(db, k.id) for k in kiosks}
    return render_template("fleet/index.html", copies=workspace().working_copies(),
                           bundles=downloads.published(db), kiosks=kiosks,
                           following=following, assignments=assign.recent(db),
                           modes=SWITCH_MODES, default_timezone=DEFAULT_TIMEZONE), status


@bp.route("/")
@allow(*STAFF)
def index():
    """Published pack versions, what each kiosk is assigned, the latest assignments."""
    return _page()


@bp.route("/publish", methods=["POST"])
@allow(*STAFF)
def publish():
    """Build a working copy's bundle and keep it for the kiosks."""
    ws = workspace()
    pack_id = request.form.get("pack_id", "")
    if pack_id not in {wc.pack_id for wc in ws.working_copies()}:
        abort(404)
    wc = ws.working_copy(pack_id)
    db = get_db()
    blockers = publish_blockers(db, pack_id, wc.root / "media")
    if blockers:
        flash(_("Not published: media with blocked tags and no curator override: %(list)s",
                list="; ".join(blockers)))
        return _page(409)
    try:
        bundle = downloads.publish(current_app, db, wc.root, ws.cache_dir / "exports", g.user)
    except BundleError as exc:
        db.rollback()
        flash(_("Not published: %(why)s", why=reason(exc)))
        return _page(409)
    db.commit()
    flash(_("Pack %(id)s version %(v)s is published for the kiosks.", id=bundle.pack_id,
            v=bundle.version))
    return redirect(url_for("fleet.index"), 303)


@bp.route("/assign", methods=["POST"])
@allow(*STAFF)
def assign_():
    """Assign a published version to one kiosk or to every kiosk."""
    db = get_db()
    form = request.form
    bundle = db.get(FleetBundle, _number(form.get("bundle_id")))
    if bundle is None:
        abort(400)
    target = form.get("kiosk", "all")
    kiosk = None
    if target != "all":
        kiosk = db.get(Kiosk, _number(target))
        if kiosk is None:
            abort(400)
    try:
        row = assign.assign(db, bundle, kiosk, form.get("mode", ""), form.get("at") or None,
                            (form.get("timezone") or "").strip(), g.user)
    except assign.AssignError as exc:
        db.rollback()
        flash(_("Not assigned: %(why)s", why=reason(exc)))
        return _page(400)
    db.commit()
    who = kiosk.name if kiosk else _("every kiosk")
    if row.rollback:
        flash(_("%(who)s will go back to pack %(id)s version %(v)s (a rollback).", who=who,
                id=bundle.pack_id, v=bundle.version))
    else:
        flash(_("%(who)s will play pack %(id)s version %(v)s.", who=who, id=bundle.pack_id,
                v=bundle.version))
    return redirect(url_for("fleet.index"), 303)


def _number(raw: str | None) -> int:
    try:
        return int(raw or "")
    except ValueError:
        abort(400)


@bp.cli.command("public-key")
def public_key_command():
    """Print the public key the kiosks pin (kiosk fleet trust KEY); made at first use."""
    click.echo(signing.public_key_b64(current_app))
