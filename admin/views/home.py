"""The home page, and a health check for the run command and load balancers."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import text

from admin.access import ANY_STAFF, PUBLIC, allow
from admin.db import get_db
from admin.forms import ROLE_LABELS

bp = Blueprint("home", __name__)


@bp.route("/")
@allow(ANY_STAFF)
def index():
    """What this user can do here."""
    return render_template("home.html", role_labels=ROLE_LABELS)


@bp.route("/healthz")
@allow(PUBLIC)
def health():
    """Answer 'ok' when the database answers."""
    get_db().execute(text("SELECT 1"))
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}
