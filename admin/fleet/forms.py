"""The fleet's forms: venues, moving a kiosk, enrolment codes (Flask-WTF, CSRF on each)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length


class VenueForm(FlaskForm):
    """A venue's name and time zone."""

    name = StringField(_l("Venue name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("e.g. 'Riga, Latvian National Museum of Art'."))
    time_zone = StringField(_l("Time zone"), validators=[DataRequired(), Length(max=64)],
                            description=_l("As in the tz database: Europe/Stockholm, Europe/Rome, Europe/Riga, Europe/Athens."))  # noqa: E501 - one msgid


class VenueChoiceForm(FlaskForm):
    """A venue picked from a list, or none (for moving a kiosk, or for an enrolment code)."""

    venue = SelectField(_l("Venue"), choices=[], validate_choice=True)

    def fill(self, venues) -> VenueChoiceForm:
        """Offer these venues (and none)."""
        self.venue.choices = [("", _l("No venue"))] + [(str(v.id), v.name) for v in venues]
        return self
