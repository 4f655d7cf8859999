"""A user's own account: interface language and password."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from admin import audit, ratelimit
from admin.access import ANY_STAFF, allow
from admin.db import get_db
from admin.forms import ChangePasswordForm, LanguageForm
from admin.models import utcnow
from admin.passwords import (
    PasswordRejected,
    check_policy,
    hash_password,
    hash_slot,
    verify_password,
)
from admin.sessions import end_all_for_user, rotate

bp = Blueprint("account", __name__, url_prefix="/account")


def _render(language_form=None, password_form=None, status=200):
    language_form = language_form or LanguageForm(ui_language=g.user.ui_language or "en")
    return render_template("account.html", language_form=language_form,
                           password_form=password_form or ChangePasswordForm()), status


@bp.route("/")
@allow(ANY_STAFF)
def index():
    """The user's own settings."""
    return _render()


@bp.route("/language", methods=["POST"])
@allow(ANY_STAFF)
def language():
    """Save the interface language."""
    form = LanguageForm()
    if not form.validate_on_submit():
        return _render(language_form=form, status=400)
    db = get_db()
    before = g.user.snapshot()
    g.user.ui_language = form.ui_language.data
    audit.record(db, g.user, "account.language", f"user:{g.user.id}", before, g.user.snapshot())
    db.commit()
    flash(_("Saved."))
    return redirect(url_for("account.index"))


@bp.route("/password", methods=["POST"])
@allow(ANY_STAFF)
def password():
    """Change the user's own password (the current one is asked again)."""
    form = ChangePasswordForm()
    status = 400
    if form.validate_on_submit():
        # The same limits as login: a stolen session must not guess the password behind it.
        db = get_db()
        account = ratelimit.normalise_account(g.user.username)
        address = request.remote_addr or "unknown"
        wait = ratelimit.take(current_app, account, address)
        if wait:
            form.current.errors.append(ratelimit.wait_message(wait))
            status = 429
        elif error := _check_current(account, address, form.current.data):
            form.current.errors.append(error)
        else:
            try:
                check_policy(form.password.data, current_app.config["PASSWORD_MIN_LENGTH"],
                             g.user.username)
            except PasswordRejected as e:
                form.password.errors.append(str(e))
            else:
                g.user.password_hash = hash_password(form.password.data)
                g.user.password_changed_at = utcnow()
                end_all_for_user(db, g.user.id, keep=session)  # other browsers log out
                ratelimit.clear_account(db, account)
                audit.record(db, g.user, "account.password", f"user:{g.user.id}")
                db.commit()
                rotate(session)  # a new id: one copied before the change is worthless
                flash(_("Your password has been changed."))
                return redirect(url_for("account.index"))
    return _render(password_form=form, status=status)


def _check_current(account: str, address: str, password: str) -> str | None:
    """None when the current password is right, else why not (checked in a hash slot)."""
    with hash_slot() as got:
        if not got:
            ratelimit.give_back(current_app, account, address, logged_in=False)
            return _("The server is busy. Try again in a moment.")
        if not verify_password(g.user.password_hash, password):
            return _("That is not your current password.")
    ratelimit.give_back(current_app, account, address, logged_in=True)
    return None
