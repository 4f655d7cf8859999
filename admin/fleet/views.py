"""The Distribution page: publish a pack version for the kiosks, assign it to a kiosk, a
venue or every kiosk, roll it out in steps (``admin.fleet.rollout``), see what was
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
from admin.fleet import assign, downloads, health, rollout, signing
from admin.fleet.venues import all_venues
from admin.i18n import reason
from admin.models import Role, utcnow
from admin.models_distribution import DONE, RUNNING, STOPPED, SWITCH_MODES, FleetBundle, Rollout
from admin.models_feedback import Kiosk
from admin.models_fleet_health import Venue
from kiosk.content.bundle import BundleError

bp = Blueprint("fleet", __name__, url_prefix="/fleet", cli_group="fleet")
STAFF = (Role.ADMINISTRATOR, Role.CURATOR)


def _page(status: int = 200):
    db = get_db()
    kiosks = db.scalars(select(Kiosk).where(Kiosk.revoked_at.is_(None))
                        .order_by(Kiosk.name)).all()
    following = {k.id: assign.current(db, k) for k in kiosks}
    venues = {v.id: v for v in all_venues(db)}
    shown = rollout.latest(db)
    if shown is not None and shown.state == RUNNING and \
            rollout.evaluate(db, current_app.config["FLEET_ROLLOUT_STOP_PERCENT"]):
        db.commit()
        following = {k.id: assign.current(db, k) for k in kiosks}
    step = rollout.step_kiosks(db, shown) if shown is not None and shown.state != DONE else []
    return render_template("fleet/index.html", copies=workspace().working_copies(),
                           bundles=downloads.published(db), kiosks=kiosks, venues=venues,
                           following=following, assignments=assign.recent(db),
                           modes=SWITCH_MODES, rollout=shown, step_kiosks=step,
                           labels=health.LABELS, now=utcnow(),
                           silent=current_app.config["FLEET_SILENT_MINUTES"],
                           state_of=health.state), status


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
    """Assign a published version to one kiosk, a venue's kiosks or every kiosk."""
    db = get_db()
    form = request.form
    bundle = db.get(FleetBundle, _number(form.get("bundle_id")))
    if bundle is None:
        abort(400)
    kiosk, venue = _target(db, form.get("kiosk", "all"))
    try:
        row = assign.assign(db, bundle, kiosk, form.get("mode", ""), form.get("at") or None,
                            (form.get("timezone") or "").strip(), g.user, venue=venue)
    except assign.AssignError as exc:
        db.rollback()
        flash(_("Not assigned: %(why)s", why=reason(exc)))
        return _page(400)
    db.commit()
    who = kiosk.name if kiosk else venue.name if venue else _("every kiosk")
    if row.rollback:
        flash(_("%(who)s will go back to pack %(id)s version %(v)s (a rollback).", who=who,
                id=bundle.pack_id, v=bundle.version))
    else:
        flash(_("%(who)s will play pack %(id)s version %(v)s.", who=who, id=bundle.pack_id,
                v=bundle.version))
    return redirect(url_for("fleet.index"), 303)


@bp.route("/release", methods=["POST"])
@allow(*STAFF)
def release():
    """Let a kiosk follow its venue's (or every kiosk's) assignment again, not its own."""
    db = get_db()
    kiosk = db.get(Kiosk, _number(request.form.get("kiosk")))
    if kiosk is None:
        abort(400)
    row = assign.release(db, kiosk, g.user)
    if row is None:
        flash(_("Nothing is assigned to %(who)s's venue or to every kiosk.", who=kiosk.name))
        return _page(409)
    db.commit()
    flash(_("%(who)s will play pack %(id)s version %(v)s.", who=kiosk.name,
            id=row.bundle.pack_id, v=row.bundle.version))
    return redirect(url_for("fleet.index"), 303)


@bp.route("/rollout", methods=["POST"])
@allow(*STAFF)
def rollout_start():
    """Start rolling a published version out: one kiosk, then its venue, then every kiosk."""
    db = get_db()
    form = request.form
    bundle = db.get(FleetBundle, _number(form.get("bundle_id")))
    if bundle is None:
        abort(400)
    first, venue = _target(db, form.get("first", ""))
    try:
        started = rollout.start(db, bundle, first, venue, form.get("mode", ""),
                                form.get("at") or None, (form.get("timezone") or "").strip(),
                                form.get("auto") == "on", g.user)
    except assign.AssignError as exc:
        db.rollback()
        flash(_("Not started: %(why)s", why=reason(exc)))
        return _page(400)
    db.commit()
    flash(_("The rollout of pack %(id)s version %(v)s starts with %(who)s.", id=bundle.pack_id,
            v=bundle.version, who=db.get(Kiosk, started.first_kiosk_id).name))
    return redirect(url_for("fleet.index"), 303)


def _rollout(rollout_id: int, *states: str) -> Rollout:
    found = get_db().get(Rollout, rollout_id)
    if found is None:
        abort(404)
    if found.state not in states:
        abort(409)
    return found


@bp.route("/rollout/<int:rollout_id>/next", methods=["POST"])
@allow(*STAFF)
def rollout_next(rollout_id: int):
    """Start the rollout's next step now (or end it after the last)."""
    db = get_db()
    rollout.advance(db, _rollout(rollout_id, RUNNING), g.user)
    db.commit()
    flash(_("The rollout goes on to its next step."))
    return redirect(url_for("fleet.index"), 303)


@bp.route("/rollout/<int:rollout_id>/stop", methods=["POST"])
@allow(*STAFF)
def rollout_stop(rollout_id: int):
    """Stop the rollout at once: kiosks not yet switched stay on their pack."""
    db = get_db()
    held = rollout.stop(db, _rollout(rollout_id, RUNNING), g.user, "stopped by staff")
    db.commit()
    flash(_("The rollout is stopped; kiosks not yet switched stay on their pack (held: %(count)s).",  # noqa: E501 - one msgid
            count=len(held)))
    return redirect(url_for("fleet.index"), 303)


@bp.route("/rollout/<int:rollout_id>/resume", methods=["POST"])
@allow(*STAFF)
def rollout_resume(rollout_id: int):
    """Go on with a stopped rollout: its current step is assigned again."""
    db = get_db()
    try:
        rollout.resume(db, _rollout(rollout_id, STOPPED), g.user)
    except assign.AssignError as exc:
        db.rollback()
        flash(_("Not resumed: %(why)s", why=reason(exc)))
        return _page(409)
    db.commit()
    flash(_("The rollout goes on."))
    return redirect(url_for("fleet.index"), 303)


def _target(db, raw: str) -> tuple[Kiosk | None, Venue | None]:
    """The form's target: "all", "venue:<id>" or a kiosk's id; 400 for any other."""
    if raw == "all":
        return None, None
    if raw.startswith("venue:"):
        venue = db.get(Venue, _number(raw.removeprefix("venue:")))
        if venue is None:
            abort(400)
        return None, venue
    kiosk = db.get(Kiosk, _number(raw))
    if kiosk is None:
        abort(400)
    return kiosk, None


def _number(raw: str | None) -> int:
    try:
        return int(raw or "")
    except ValueError:
        abort(400)


@bp.cli.command("public-key")
def public_key_command():
    """Print the public key the kiosks pin (kiosk fleet trust KEY); made at first use."""
    click.echo(signing.public_key_b64(current_app))
