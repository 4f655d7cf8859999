"""The Kiosks page: every kiosk's state grouped by venue (``admin.fleet.health``), with filters;
one-time enrolment codes (``admin.fleet.enrol``), registration, revocation, and the import of
export files brought on a USB stick. Also ``flask --app admin kiosks ...``. A kiosk's own
page and the venues are ``admin.fleet.views``.
"""

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
from sqlalchemy import func, select

from admin.access import allow
from admin.db import database, get_db
from admin.feedback import registry, usb
from admin.feedback.forms import ImportForm, RegisterKioskForm, RevokeKioskForm
from admin.fleet import enrol, health, venues
from admin.fleet.forms import VenueChoiceForm
from admin.models import Role, utcnow
from admin.models_feedback import FeedbackImport, Kiosk
from admin.models_fleet_health import Venue

bp = Blueprint("kiosks", __name__, url_prefix="/kiosks", cli_group="kiosks")
IMPORT_ENDPOINT = "kiosks.import_export"


@bp.record_once
def _large_imports(state) -> None:
    """Let the import page take files beyond the app's request limit.

    The CSRF check reads the form in an app-wide hook, before this blueprint's own hooks
    run, so the limit is raised in a hook placed first.
    """
    def raise_limit() -> None:
        if request.endpoint == IMPORT_ENDPOINT:
            request.max_content_length = usb.MAX_IMPORT_BYTES

    state.app.before_request_funcs.setdefault(None, []).insert(0, raise_limit)


def _imports_only(db, registered: set[str]) -> list:
    """Record ids known only from imports: (kiosk_id, events new, last import)."""
    rows = db.execute(select(FeedbackImport.kiosk_id, func.sum(FeedbackImport.new),
                             func.max(FeedbackImport.at))
                      .group_by(FeedbackImport.kiosk_id)
                      .order_by(func.max(FeedbackImport.at).desc())).all()
    return [r for r in rows if r[0] not in registered]


def _render_index(register_form=None, status=200, token=None, new_kiosk=None, code=None):
    db = get_db()
    kiosks = db.scalars(select(Kiosk)).all()
    imports = db.scalars(select(FeedbackImport).order_by(FeedbackImport.at.desc())
                         .limit(10)).all()
    state = request.args.get("state") or None
    state = state if state in health.STATES else None
    venue = request.args.get("venue") or None
    all_venues = venues.all_venues(db)
    return render_template(
        "feedback/kiosks.html", groups=health.groups(db, current_app.config, utcnow(), state,
                                                     venue),
        any_kiosk=bool(kiosks), imports=imports, labels=health.LABELS, gigabytes=health.gigabytes, states=health.STATES,
        venues=all_venues, state=state, venue=venue,
        imports_only=_imports_only(db, {k.record_id for k in kiosks if k.record_id}),
        register_form=register_form or RegisterKioskForm(), revoke_form=RevokeKioskForm(),
        code_form=VenueChoiceForm().fill(all_venues), code=code,
        code_minutes=current_app.config["ENROLMENT_CODE_MINUTES"],
        token=token, new_kiosk=new_kiosk), status


@bp.route("/")
@allow(Role.ADMINISTRATOR, Role.CURATOR)
def index():
    """Every kiosk: state, last contact, pack version, events waiting, events received."""
    return _render_index()


@bp.route("/register", methods=["POST"])
@allow(Role.ADMINISTRATOR)
def register():
    """Register a kiosk; its token is shown in this answer only."""
    form = RegisterKioskForm()
    if not form.validate_on_submit():
        return _render_index(form, 400)
    db = get_db()
    try:
        kiosk, token = registry.register(db, form.name.data, g.user)
    except registry.RegistryError as exc:
        form.name.errors.append(str(exc))
        return _render_index(form, 400)
    db.commit()
    return _render_index(token=token, new_kiosk=kiosk)


@bp.route("/enrolment-code", methods=["POST"])
@allow(Role.ADMINISTRATOR)
def enrolment_code():
    """Make a one-time enrolment code (optionally for a venue); shown in this answer only."""
    db = get_db()
    form = VenueChoiceForm().fill(venues.all_venues(db))
    if not form.validate_on_submit():
        abort(400)
    venue = db.get(Venue, int(form.venue.data)) if form.venue.data else None
    _entry, code = enrol.make_code(db, venue, g.user,
                                   current_app.config["ENROLMENT_CODE_MINUTES"])
    db.commit()
    return _render_index(code={"code": code, "venue": venue})


@bp.route("/revoke", methods=["POST"])
@allow(Role.ADMINISTRATOR)
def revoke():
    """Revoke a kiosk's token: its next upload is refused."""
    form = RevokeKioskForm()
    number = form.kiosk_number() if form.validate_on_submit() else None
    if number is None:
        abort(400)
    db = get_db()
    kiosk = db.get(Kiosk, number)
    if kiosk is None:
        abort(404)
    # a required checkbox, not a script confirm(): the admin's CSP runs no JavaScript
    if not kiosk.revoked and request.form.get("confirm") != "yes":
        flash(_("Not revoked: tick the box to confirm that %(name)s stops sending.",
                name=kiosk.name))
        return _render_index(status=400)
    if registry.revoke(db, kiosk, g.user):
        db.commit()
        flash(_("The token of %(name)s is revoked.", name=kiosk.name))
    return redirect(url_for("kiosks.index"))


@bp.route("/import", methods=["GET", "POST"])
@allow(Role.ADMINISTRATOR, Role.CURATOR)
def import_export():
    """Import an export file from a kiosk without network; show what was new."""
    form = ImportForm()
    summary, problem = None, None
    if form.validate_on_submit():
        db = get_db()
        try:
            summary = usb.import_export(db, form.export.data.read(), form.manifest.data.read(),
                                        g.user)
        except usb.ImportRefused as exc:
            db.rollback()
            problem = str(exc)
        else:
            db.commit()
    status = 400 if form.is_submitted() and summary is None else 200
    return render_template("feedback/import.html", form=form, summary=summary,
                           problem=problem), status


@bp.cli.command("register")
@click.argument("name")
def register_command(name):
    """Register a kiosk and print its token (shown once)."""
    database(current_app).migrate()
    with database(current_app).session() as db:
        try:
            kiosk, token = registry.register(db, name, None, actor_name="command line")
        except registry.RegistryError as exc:
            raise click.ClickException(str(exc)) from None
        db.commit()
    click.echo(f"registered kiosk {kiosk.name!r}; its token (shown once): {token}")


@bp.cli.command("revoke")
@click.argument("name")
def revoke_command(name):
    """Revoke a kiosk's token."""
    with database(current_app).session() as db:
        kiosk = db.scalar(select(Kiosk).where(Kiosk.name == name))
        if kiosk is None:
            raise click.ClickException(f"no kiosk named {name!r}")
        registry.revoke(db, kiosk, None, actor_name="command line")
        db.commit()
    click.echo(f"revoked the token of {name!r}")


@bp.cli.command("import")
@click.argument("export_file", type=click.Path(exists=True, dir_okay=False))
def import_command(export_file):
    """Import an export file (its .manifest.json beside it)."""
    from pathlib import Path

    path = Path(export_file)
    manifest = path.with_name(path.name + ".manifest.json")
    if not manifest.exists():
        raise click.ClickException(f"no manifest beside the file: {manifest}")
    with database(current_app).session() as db:
        try:
            s = usb.import_export(db, path.read_bytes(), manifest.read_bytes(), None,
                                  actor_name="command line")
        except usb.ImportRefused as exc:
            raise click.ClickException(str(exc)) from None
        db.commit()
    click.echo(f"{s.count} events in the file: {s.new} new, {s.duplicates} already held, "
               f"{len(s.refused)} refused; {s.new_sessions} new visitor sessions")
    for reason in s.refused:
        click.echo(f"refused: {reason}")
