"""Logging in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from admin import audit, ratelimit
from admin.access import ANY_STAFF, PUBLIC, allow
from admin.db import get_db
from admin.forms import ConfirmForm, LoginForm
from admin.models import User
from admin.passwords import hash_password, needs_rehash, verify_password
from admin.sessions import end, rotate

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site, never another host."""
    # Browsers drop tabs and newlines and read a backslash as a slash: "/\t/evil" and
    # "/\\evil" would lead off-site, so any of those refuses the target.
    if (target and target.startswith("/") and not target.startswith("//")
            and target.isprintable() and not any(c in target for c in "\\ ")
            and not urlsplit(target).netloc):
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@allow(PUBLIC)
def login():
    """Show the login form; check the password, within the attempt limits."""
    if g.user is not None and request.method == "GET":
        return redirect(url_for("home.index"))
    form = LoginForm()
    error, status = None, 200
    if form.validate_on_submit():
        db = get_db()
        account = ratelimit.normalise_account(form.username.data)
        address = request.remote_addr or "unknown"
        if ratelimit.is_locked(current_app, db, account, address):
            minutes = current_app.config["LOGIN_WINDOW_MINUTES"]
            error = ngettext("Too many failed attempts. Wait %(num)d minute and try again.",
                             "Too many failed attempts. Wait %(num)d minutes and try again.",
                             minutes)
            status = 429
        else:
            user = db.scalar(select(User).where(User.username == account))
            usable = user if user is not None and user.active else None
            if verify_password(usable.password_hash if usable else None, form.password.data):
                return _log_in(db, usable, account)
            ratelimit.record_failure(current_app, db, account, address)
            db.commit()
            error, status = _("Wrong user name or password."), 401
    elif request.method == "POST":
        status = 400
    return render_template("login.html", form=form, error=error,
                           next=request.args.get("next", "")), status


def _log_in(db, user: User, account: str):
    """Start a fresh session for the user (a new id: no session fixation)."""
    ratelimit.clear_account(db, account)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(request.form["password"])
    audit.record(db, user, "auth.login", f"user:{user.id}")
    db.commit()
    session.clear()
    rotate(session)
    session["uid"] = user.id
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/logout", methods=["POST"])
@allow(ANY_STAFF)
def logout():
    """End the session on the server and go back to the login page."""
    form = ConfirmForm()
    if form.validate_on_submit():
        db = get_db()
        audit.record(db, g.user, "auth.logout", f"user:{g.user.id}")
        db.commit()
        end(session)
    return redirect(url_for("auth.login"))
