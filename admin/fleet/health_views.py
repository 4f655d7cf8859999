"""The fleet's pages beside the Kiosks page: venues, and one kiosk's health and history.

Routes under ``/kiosks`` (the Kiosks page itself, registration, enrolment codes and the USB
import are ``admin.feedback.kiosks``): ``/kiosks/venues`` to list, create and rename venues,
``/kiosks/<id>`` for a kiosk's latest heartbeat, its flags and its history, and
``/kiosks/<id>/venue`` to move it. Administrators and curators use them all.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from admin.access import allow
from admin.db import get_db
from admin.fleet import health, venues
from admin.fleet.forms import VenueChoiceForm, VenueForm
from admin.models import Role, utcnow
from admin.models_feedback import Kiosk
from admin.models_fleet_health import KioskHealth, KioskHeartbeat, Venue

bp = Blueprint("fleet_health", __name__, url_prefix="/kiosks")
STAFF = (Role.ADMINISTRATOR, Role.CURATOR)


def _venues_page(form: VenueForm | None = None, status: int = 200):
    db = get_db()
    edits = {v.id: VenueForm(prefix=f"v{v.id}", name=v.name, time_zone=v.time_zone)
             for v in venues.all_venues(db)}
    counts = {}
    for venue_id in db.scalars(select(Kiosk.venue_id)):
        counts[venue_id] = counts.get(venue_id, 0) + 1
    return render_template("fleet/venues.html", venues=venues.all_venues(db), edits=edits,
                           counts=counts, form=form or VenueForm()), status


@bp.route("/venues")
@allow(*STAFF)
def venue_list():
    """Every venue with its time zone and number of kiosks; a form for a new one."""
    return _venues_page()


@bp.route("/venues/new", methods=["POST"])
@allow(*STAFF)
def venue_create():
    """Add a venue."""
    form = VenueForm()
    if not form.validate_on_submit():
        return _venues_page(form, 400)
    db = get_db()
    try:
        venue = venues.create(db, form.name.data, form.time_zone.data, g.user)
    except venues.VenueError as exc:
        form.time_zone.errors.append(str(exc))
        return _venues_page(form, 400)
    db.commit()
    flash(_("Venue %(name)s added.", name=venue.name))
    return redirect(url_for("fleet_health.venue_list"))


@bp.route("/venues/<int:venue_id>", methods=["POST"])
@allow(*STAFF)
def venue_update(venue_id: int):
    """Rename a venue or change its time zone."""
    db = get_db()
    venue = db.get(Venue, venue_id) or abort(404)
    form = VenueForm(prefix=f"v{venue.id}")
    if not form.validate_on_submit():
        flash(_("A venue needs a name and a time zone."))
        return _venues_page(status=400)
    try:
        changed = venues.update(db, venue, form.name.data, form.time_zone.data, g.user)
    except venues.VenueError as exc:
        db.rollback()
        flash(str(exc))
        return _venues_page(status=400)
    if changed:
        db.commit()
        flash(_("Venue %(name)s saved.", name=venue.name))
    return redirect(url_for("fleet_health.venue_list"))


@bp.route("/<int:kiosk_id>")
@allow(*STAFF)
def kiosk_page(kiosk_id: int):
    """One kiosk: its state, flags, latest heartbeat, venue and heartbeat history."""
    db = get_db()
    kiosk = db.get(Kiosk, kiosk_id) or abort(404)
    now = utcnow()
    config = current_app.config
    latest = health.row(kiosk, db.get(KioskHealth, kiosk.id), now, config)
    beats = db.scalars(select(KioskHeartbeat).where(KioskHeartbeat.kiosk_id == kiosk.id)
                       .order_by(KioskHeartbeat.id.desc())
                       .limit(config["HEARTBEAT_HISTORY"])).all()
    history = [(b, health.parse(b)) for b in beats]
    form = VenueChoiceForm(venue=str(kiosk.venue_id or "")).fill(venues.all_venues(db))
    return render_template("fleet/kiosk.html", kiosk=kiosk, row=latest, history=history,
                           venue=db.get(Venue, kiosk.venue_id) if kiosk.venue_id else None,
                           form=form, labels=health.LABELS, gigabytes=health.gigabytes)


@bp.route("/<int:kiosk_id>/venue", methods=["POST"])
@allow(*STAFF)
def kiosk_move(kiosk_id: int):
    """Move a kiosk to another venue (or to none)."""
    db = get_db()
    kiosk = db.get(Kiosk, kiosk_id) or abort(404)
    form = VenueChoiceForm().fill(venues.all_venues(db))
    if not form.validate_on_submit():
        abort(400)
    venue = db.get(Venue, int(form.venue.data)) if form.venue.data else None
    if venues.move(db, kiosk, venue, g.user):
        db.commit()
        flash(_("%(kiosk)s is now in %(venue)s.", kiosk=kiosk.name, venue=venue.name)
              if venue else _("%(kiosk)s is now in no venue.", kiosk=kiosk.name))
    return redirect(url_for("fleet_health.kiosk_page", kiosk_id=kiosk.id))
