"""The app factory.

Adding an area (issues 9-11): write ``admin/views/<area>.py`` with a ``bp = Blueprint(...)``
whose every view carries ``@allow(...)`` (see ``admin.access``), add ``"admin.views.<area>"``
to ``BLUEPRINTS`` below, and, for a menu entry, a ``(endpoint, label)`` pair to ``NAV``:
the menu shows an entry only to the roles its route allows. New tables go in a model module
on ``admin.models.Base`` with a new migration in ``admin/migrations/versions/``.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from flask import Flask, g, request, session, url_for
from flask_babel import lazy_gettext as _l

from admin import access, cli, db, i18n, passwords, security, settings
from admin.help import target as help_target
from admin.models import User
from admin.sessions import DatabaseSessionInterface, end

BLUEPRINTS = [
    "admin.views.auth",
    "admin.views.home",
    "admin.views.account",
    "admin.views.users",
    "admin.views.audit",
    "admin.views.server",
    "admin.views.help",
    "admin.feedback.api",
    "admin.feedback.kiosks",
    "admin.fleet.enrol",
    "admin.fleet.heartbeat",
    "admin.fleet.api",
    "admin.fleet.views",
    "admin.fleet.health_views",
    "admin.feedback.reports_view",
    "admin.views.stories",
    "admin.views.packs",
    "admin.views.translations",
    "admin.views.media",
    "admin.views.preview",
    "admin.views.school",
]
# The menu, in order: (endpoint, label).
NAV = [
    ("home.index", _l("Home")),
    ("users.index", _l("Staff accounts")),
    ("audit.index", _l("Audit log")),
    ("stories.index", _l("Stories")),
    ("translations.index", _l("Translations")),
    ("media.index", _l("Media")),
    ("packs.index", _l("Packs")),
    ("reports.index", _l("Visitor feedback")),
    ("kiosks.index", _l("Kiosks")),
    ("fleet.index", _l("Distribution")),
    ("school_sessions.index", _l("School sessions")),
    ("server.index", _l("Server settings")),
    ("account.index", _l("My account")),
]


def create_app(test_config: dict | None = None) -> Flask:
    """Build the admin app; test_config overrides settings and Flask config keys."""
    test_config = dict(test_config or {})
    instance = (test_config.pop("INSTANCE_PATH", None)
                or os.environ.get(settings.ENV_PREFIX + "INSTANCE_PATH"))
    app = Flask(__name__, instance_path=str(Path(instance).resolve()) if instance else None)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(settings.resolve(app.instance_path, test_config))
    app.config.update({k: v for k, v in test_config.items() if k not in settings.BY_NAME})

    db.init_app(app, app.config["DATABASE_URL"])
    passwords.init_app(app)
    app.session_interface = DatabaseSessionInterface()
    app.before_request(_load_user)  # before the access check, which needs g.user
    access.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    for name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(name).bp)
    app.extensions["storykiosk_nav"] = list(NAV)
    app.context_processor(_template_helpers)
    cli.init_app(app)
    return app


def _load_user() -> None:
    """Put the session's active user (or None) in g.user."""
    g.user = None
    uid = session.get("uid")
    if uid is None:
        return
    user = db.get_db().get(User, uid)
    if user is None or not user.active:
        end(session)
        return
    g.user = user


def _template_helpers() -> dict:
    """``can(endpoint)``, the menu entries the current user may follow and the page's Help."""
    from flask import current_app

    def can(endpoint: str) -> bool:
        user = g.get("user")
        return access.may_use(access.declaration(current_app, endpoint),
                              user.role if user else None)

    nav = [(e, label) for e, label in current_app.extensions["storykiosk_nav"] if can(e)]
    return {"can": can, "nav": nav, "current_user": g.get("user"), "help_url": _help_url(can)}


def _help_url(can) -> str | None:
    """The URL of the guide section about the page being rendered (admin.help), if any."""
    found = help_target(request.endpoint)
    if found is None or not g.get("user") or not can("help.page"):
        return None
    page, anchor = found
    return url_for("help.page", page=page) + (f"#{anchor}" if anchor else "")
