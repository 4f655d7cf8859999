"""Logging in and out."""

from __future__ import annotations

import math
from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from admin import audit, ratelimit
from admin.access import ANY_STAFF, PUBLIC, allow
from admin.db import get_db
from admin.forms import ConfirmForm, LoginForm
from admin.models import User
from admin.passwords import hash_password, hash_slot, needs_rehash, verify_password
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
    error, status, headers = None, 200, {}
    if form.validate_on_submit():
        account = ratelimit.normalise_account(form.username.data)
        address = request.remote_addr or "unknown"
        outcome = _check(account, address, form.password.data)
        if isinstance(outcome, User):
            return _log_in(get_db(), outcome)
        error, status, retry_after = outcome
        if retry_after:
            headers["Retry-After"] = str(retry_after)
    elif request.method == "POST":
        status = 400
    return render_template("login.html", form=form, error=error,
                           next=request.args.get("next", "")), status, headers


def _check(account: str, address: str, password: str) -> User | tuple[str, int, int]:
    """The user when the password is right; else (error, status, Retry-After seconds).

    The attempt is taken before hashing and the hash waits for a free slot, so neither
    concurrent posts nor a flood get more password checks or memory than the limits."""
    wait = ratelimit.take(current_app, account, address)
    if wait:
        return ratelimit.wait_message(wait), 429, math.ceil(wait)
    db = get_db()
    user = db.scalar(select(User).where(User.username == account))
    usable = user if user is not None and user.active else None
    db.commit()  # hand the connection back: no request holds one through a slow hash
    with hash_slot() as got:
        if not got:
            ratelimit.give_back(current_app, account, address, logged_in=False)
            return _("The server is busy. Try again in a moment."), 429, 5
        if verify_password(usable.password_hash if usable else None, password):
            ratelimit.give_back(current_app, account, address, logged_in=True)
            if needs_rehash(usable.password_hash):
                usable.password_hash = hash_password(password)
            return usable
    return _("Wrong user name or password."), 401, 0


def _log_in(db, user: User):
    """Start a fresh session for the user (a new id: no session fixation)."""
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
