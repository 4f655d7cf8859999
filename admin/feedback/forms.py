"""The kiosks page's forms (Flask-WTF: each carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length


class RegisterKioskForm(FlaskForm):
    """Register a kiosk by name."""

    name = StringField(_l("Kiosk name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("Where it stands, e.g. 'Stockholm, hall 2, left'."))


class RevokeKioskForm(FlaskForm):
    """Revoke one kiosk's token."""

    kiosk_id = HiddenField(validators=[DataRequired()])

    def kiosk_number(self) -> int | None:
        """The kiosk id as a number, or None when it is not one."""
        try:
            return int(self.kiosk_id.data)
        except (TypeError, ValueError):
            return None


class ImportForm(FlaskForm):
    """An export file and its manifest, from a kiosk's USB stick."""

    export = FileField(_l("Export file (.csv or .jsonl)"), validators=[FileRequired()])
    manifest = FileField(_l("Its manifest (.manifest.json)"), validators=[FileRequired()])


__all__ = ["ImportForm", "RegisterKioskForm", "RevokeKioskForm"]
