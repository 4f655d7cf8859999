"""The server's settings, read-only, for administrators (they are changed in the
environment or the instance's admin.toml, then the admin is restarted)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_babel import gettext
from sqlalchemy.engine import make_url

from admin.access import allow
from admin.models import Role
from admin.settings import CONFIG_FILE, SETTINGS

bp = Blueprint("server", __name__, url_prefix="/settings")
SECRET = {"SECRET_KEY"}


def shown_value(name: str, value) -> str:
    """A setting's value as an administrator may see it: never a key or a password."""
    if name in SECRET:
        return "••••••"
    if name == "DATABASE_URL":
        return make_url(value).render_as_string(hide_password=True)
    return str(value)


@bp.route("/")
@allow(Role.ADMINISTRATOR)
def index():
    """Every setting with its current value and help text (in the reader's language)."""
    # Each help text is a msgid (pybabel extract -k Setting:4); the docs table keeps English.
    rows = [(s.env, shown_value(s.name, current_app.config[s.name]),
             gettext(s.help).replace("`", "")) for s in SETTINGS]
    return render_template("settings.html", rows=rows, config_file=CONFIG_FILE)
