"""Who may use each route. Every view declares it; an undeclared view answers 403 to everyone.

Declare with one decorator, placed under ``@bp.route``::

    from admin.access import allow, ANY_STAFF, PUBLIC
    from admin.models import Role

    @bp.route("/stories")
    @allow(Role.CURATOR, Role.EDITOR)          # these roles (administrators are not implied)
    def stories(): ...

    @bp.route("/me")
    @allow(ANY_STAFF)                           # any logged-in user
    def me(): ...

    @bp.route("/login")
    @allow(PUBLIC)                              # no login needed
    def login(): ...

    @bp.route("/api/v1/events", methods=["POST"])
    @allow(KIOSK_TOKEN)                         # no staff session: the view checks a kiosk's
    def events(): ...                           # token (admin.feedback.api)

The check runs in one ``before_request`` hook: no login -> redirect to the login page,
wrong role -> 403. Finer rules (a translator's languages: ``may_edit_language``,
``may_read_language``) stay in the view.
``tests/admin/test_admin_access.py`` walks every route with every role and with no login.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, abort, g, redirect, request, url_for

from admin.models import Role

PUBLIC = "public"
ANY_STAFF = "any-staff"
KIOSK_TOKEN = "kiosk-token"
STANDALONE = (PUBLIC, ANY_STAFF, KIOSK_TOKEN)
ATTRIBUTE = "_storykiosk_access"
# Flask's own static route, and what else needs no declaration in a view function.
BUILTIN_PUBLIC_ENDPOINTS = {"static"}


def allow(*who: Role | str) -> Callable:
    """Declare who may use the decorated view: PUBLIC, ANY_STAFF, KIOSK_TOKEN, or Roles."""
    if not who:
        raise ValueError("allow() needs at least one role, ANY_STAFF or PUBLIC")
    if any(w in STANDALONE for w in who) and len(who) > 1:
        raise ValueError("PUBLIC, ANY_STAFF and KIOSK_TOKEN stand alone")
    declared = frozenset(w if w in STANDALONE else Role(w) for w in who)

    def decorate(view: Callable) -> Callable:
        setattr(view, ATTRIBUTE, declared)
        return view

    return decorate


def declaration(app: Flask, endpoint: str | None) -> frozenset | None:
    """What the endpoint's view declared, or None when it declared nothing."""
    if endpoint in BUILTIN_PUBLIC_ENDPOINTS:
        return frozenset({PUBLIC})
    view = app.view_functions.get(endpoint or "")
    return getattr(view, ATTRIBUTE, None)


def may_use(declared: frozenset | None, role: Role | str | None) -> bool:
    """True when a user with this role (None: not logged in) may use the route."""
    if not declared:
        return False
    if PUBLIC in declared or KIOSK_TOKEN in declared:  # a kiosk's token is checked in the view
        return True
    if role is None:
        return False
    return ANY_STAFF in declared or Role(role) in declared


def may_edit_language(user, language: str, source: str) -> bool:
    """The finer rule for text: a translator only in their assigned languages and never the
    pack's source language (the editors' text they translate from), others in any.

    Use it in views that change per-language text, after the route's @allow has let the
    user in (for example @allow(Role.CURATOR, Role.EDITOR, Role.TRANSLATOR)).
    """
    if user is None:
        return False
    if Role(user.role) == Role.TRANSLATOR:
        return language != source and language in user.language_list
    return True


def may_read_language(user, language: str, source: str) -> bool:
    """The finer rule for reading text: a translator reads their assigned languages and the
    pack's source language (what they translate from), no other; others read any.

    Use it where a view shows story text in a language the request names (a preview, the
    side-by-side view's source); pages that show text in every language at once (a revision's
    diff of the whole file) are not for translators at all.
    """
    return user is not None and (language == source
                                 or may_edit_language(user, language, source))


def readable_languages(user, languages, source: str) -> list[str]:
    """The languages of `languages` the user may read (see may_read_language)."""
    return [lang for lang in languages if may_read_language(user, lang, source)]


def init_app(app: Flask) -> None:
    """Install the check that runs before every request."""

    @app.before_request
    def _check_access():
        if request.endpoint is None:  # 404/405: let Flask answer
            return None
        declared = declaration(app, request.endpoint)
        if declared is None:
            app.logger.error("route %s declares no access: refused", request.endpoint)
            abort(403)
        user = g.get("user")
        if may_use(declared, user.role if user else None):
            return None
        if user is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        abort(403)
