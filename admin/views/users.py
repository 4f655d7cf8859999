"""Staff accounts, for administrators: list, create, edit, set a password."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from admin import audit
from admin.access import allow
from admin.db import get_db
from admin.forms import ROLE_LABELS, SetPasswordForm, UserEditForm, UserNewForm
from admin.models import Role, User, utcnow
from admin.passwords import PasswordRejected, check_policy, hash_password
from admin.sessions import end_all_for_user

bp = Blueprint("users", __name__, url_prefix="/users")


@bp.route("/")
@allow(Role.ADMINISTRATOR)
def index():
    """Every account."""
    users = get_db().scalars(select(User).order_by(User.username)).all()
    return render_template("users/index.html", users=users, role_labels=ROLE_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@allow(Role.ADMINISTRATOR)
def new():
    """Create an account."""
    form = UserNewForm()
    if not form.is_submitted():
        form.active.data = True
    if form.validate_on_submit():
        db = get_db()
        if db.scalar(select(User).where(User.username == form.username.data)):
            form.username.errors.append(_("That user name is taken."))
        else:
            try:
                check_policy(form.password.data, current_app.config["PASSWORD_MIN_LENGTH"],
                             form.username.data)
            except PasswordRejected as e:
                form.password.errors.append(str(e))
            else:
                user = User(username=form.username.data, password_hash=hash_password(
                    form.password.data), display_name=form.display_name.data.strip(),
                    role=form.role.data, active=form.active.data,
                    languages=form.languages.data if form.role.data == Role.TRANSLATOR else "")
                db.add(user)
                db.flush()
                audit.record(db, g.user, "user.create", f"user:{user.id}", None, user.snapshot())
                db.commit()
                flash(_("Account %(name)s created.", name=user.username))
                return redirect(url_for("users.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("users/new.html", form=form), status


def _get_user(user_id: int) -> User:
    user = get_db().get(User, user_id)
    if user is None:
        abort(404)
    return user


def _render_edit(user: User, form=None, password_form=None, status=200):
    form = form or UserEditForm(obj=user)
    return render_template("users/edit.html", user=user, form=form,
                           password_form=password_form or SetPasswordForm()), status


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@allow(Role.ADMINISTRATOR)
def edit(user_id: int):
    """Change an account's name, role, languages or state."""
    user = _get_user(user_id)
    form = UserEditForm(obj=user)
    if not form.validate_on_submit():
        return _render_edit(user, form, status=400 if form.is_submitted() else 200)
    if user.id == g.user.id and (form.role.data != Role.ADMINISTRATOR or not form.active.data):
        form.role.errors.append(_("You cannot remove your own administrator access."))
        return _render_edit(user, form, status=400)
    db = get_db()
    before = user.snapshot()
    user.display_name = form.display_name.data.strip()
    user.role = form.role.data
    user.languages = form.languages.data if user.role == Role.TRANSLATOR else ""
    user.active = form.active.data
    if before != user.snapshot():
        if not user.active:
            end_all_for_user(db, user.id)
        audit.record(db, g.user, "user.edit", f"user:{user.id}", before, user.snapshot())
        db.commit()
        flash(_("Saved."))
    return redirect(url_for("users.edit", user_id=user.id))


@bp.route("/<int:user_id>/password", methods=["POST"])
@allow(Role.ADMINISTRATOR)
def set_password(user_id: int):
    """Set a new password for someone; their open sessions end."""
    user = _get_user(user_id)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            check_policy(form.password.data, current_app.config["PASSWORD_MIN_LENGTH"],
                         user.username)
        except PasswordRejected as e:
            form.password.errors.append(str(e))
        else:
            db = get_db()
            user.password_hash = hash_password(form.password.data)
            user.password_changed_at = utcnow()
            if user.id != g.user.id:
                end_all_for_user(db, user.id)
            audit.record(db, g.user, "user.set_password", f"user:{user.id}")
            db.commit()
            flash(_("Password set for %(name)s.", name=user.username))
            return redirect(url_for("users.edit", user_id=user.id))
    return _render_edit(user, password_form=form, status=400)
