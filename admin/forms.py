"""The admin's forms (Flask-WTF: every one carries a CSRF token)."""

from __future__ import annotations

import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from admin.i18n import LANGUAGES
from admin.models import Role

try:  # WTForms >= 3.3 deprecates (value, label) tuples
    from wtforms.fields.choices import SelectChoice as _Choice
except ImportError:  # pragma: no cover - older WTForms
    def _Choice(value, label):  # noqa: N802 - stands in for the class
        return (value, label)

USERNAME_RE = r"^[a-z0-9][a-z0-9._-]{1,63}$"
# Languages a translator may be assigned: ISO 639 codes, optionally with a region.
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")

ROLE_LABELS = {
    Role.ADMINISTRATOR: _l("Administrator: staff accounts and settings"),
    Role.CURATOR: _l("Curator: activates packs, all content"),
    Role.EDITOR: _l("Editor: stories and media"),
    Role.TRANSLATOR: _l("Translator: text in their assigned languages"),
    Role.PEDAGOGUE: _l("Pedagogue: school sessions and their results"),
    Role.VIEWER: _l("Viewer: reads reports"),
}


def ui_language_choices() -> list:
    """A choice (code, own name) for every interface language."""
    return [_Choice(value=code, label=name) for code, name in LANGUAGES.items()]


class LoginForm(FlaskForm):
    """User name and password."""

    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    submit = SubmitField(_l("Log in"))


class ConfirmForm(FlaskForm):
    """A button that changes something: CSRF token only."""

    submit = SubmitField(_l("Log out"))


def _languages_field() -> StringField:
    return StringField(
        _l("Languages (translators only)"), validators=[Length(max=200)],
        description=_l("Language codes separated by commas, for example: sv, it"))


def _validate_languages(field) -> None:
    codes = [c.strip() for c in (field.data or "").split(",") if c.strip()]
    bad = [c for c in codes if not LANGUAGE_CODE.match(c)]
    if bad:
        # gettext, not lazy_gettext: a lazy string counts as safe markup in templates, and
        # this message carries what the user typed.
        raise ValidationError(gettext("Not a language code: %(codes)s", codes=", ".join(bad)))
    field.data = ",".join(dict.fromkeys(codes))


class UserEditForm(FlaskForm):
    """What an administrator changes on an account."""

    display_name = StringField(_l("Full name"), validators=[Length(max=200)])
    role = SelectField(_l("Role"), choices=[
        _Choice(value=r.value, label=label) for r, label in ROLE_LABELS.items()])
    languages = _languages_field()
    active = BooleanField(_l("Account active"))
    submit = SubmitField(_l("Save"))

    def validate_languages(self, field) -> None:
        """Accept comma-separated language codes only."""
        _validate_languages(field)


class UserNewForm(UserEditForm):
    """A new account: the edit fields plus a user name and a first password."""

    username = StringField(_l("User name"), validators=[
        DataRequired(), Regexp(USERNAME_RE, message=_l(
            "2 to 64 characters: lower-case letters, digits, dot, dash, underscore."))])
    password = PasswordField(_l("First password"), validators=[DataRequired(),
                                                                Length(max=1024)])
    submit = SubmitField(_l("Create account"))


class SetPasswordForm(FlaskForm):
    """An administrator sets someone's password."""

    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1024)])
    submit = SubmitField(_l("Set password"))


class ChangePasswordForm(FlaskForm):
    """A user changes their own password."""

    current = PasswordField(_l("Current password"), validators=[DataRequired(),
                                                                 Length(max=1024)])
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1024)])
    submit = SubmitField(_l("Change password"))


class LanguageForm(FlaskForm):
    """A user picks the admin's interface language."""

    ui_language = SelectField(_l("Interface language"), choices=ui_language_choices())
    submit = SubmitField(_l("Save"))
