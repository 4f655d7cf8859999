"""The form a pedagogue fills in to prepare a session."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectMultipleField,
    StringField,
    SubmitField,
    widgets,
)
from wtforms.validators import DataRequired, Length, NumberRange, ValidationError


class SessionForm(FlaskForm):
    """Day, stories, discussion mode, kiosks (age group and language come from step 1)."""

    day = DateField(_l("Date of the visit"), validators=[DataRequired()])
    stories = SelectMultipleField(
        _l("Stories to offer"), choices=[],
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
        validators=[DataRequired(message=_l("Choose at least one story."))])
    discussion = BooleanField(
        _l("Discussion mode: pause at each choice for a discussion; you tap the class's choice"))
    kiosks = IntegerField(_l("Number of kiosks"), default=1,
                          validators=[DataRequired(), NumberRange(min=1, max=50)])
    label = StringField(_l("Your own note (not shown at the kiosk)"),
                        description=_l("For example the school and class. No student names."),
                        validators=[Length(max=100)])
    submit = SubmitField(_l("Create the session"))

    def validate_day(self, field) -> None:
        """A session is for today or a later day."""
        if field.data and field.data < date.today():
            raise ValidationError(_l("The date has passed: choose today or a later day."))
