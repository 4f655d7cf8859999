"""Every route, every role, and no login: the answer matches the route's declaration."""

import pytest
from admin_helpers import route_url

from admin.access import declaration, may_use
from admin.models import Role

WHO = [None, *Role]


@pytest.fixture
def app_config(app_config):
    """The matrix checks access, not CSRF (test_security.py checks that on every POST)."""
    return {**app_config, "WTF_CSRF_ENABLED": False}


def test_every_route_declares_who_may_use_it(app):
    undeclared = [r.endpoint for r in app.url_map.iter_rules()
                  if declaration(app, r.endpoint) is None]
    assert undeclared == [], f"routes without @allow(...): {undeclared}"


def test_every_route_answers_every_role_as_declared(app, make_user, as_role):
    ctx = {"target": make_user(Role.VIEWER, username="target")}
    # A translator with languages: pages for a language not assigned answer 403 by the
    # finer rule in the view (access.may_edit_language), not by the route's declaration.
    clients = {None: app.test_client(), **{role: as_role(
        role, languages="en" if role == Role.TRANSLATOR else "") for role in Role}}
    checked = 0
    # Logging out ends the clients' sessions: walk it last.
    rules = sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint == "auth.logout")
    for rule in rules:
        declared = declaration(app, rule.endpoint)
        url = route_url(app, rule, ctx)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for who in WHO:
                r = clients[who].open(url, method=method, data={})
                where = f"{method} {url} as {who or 'no login'}: {r.status_code}"
                if may_use(declared, who):
                    assert r.status_code != 403, where
                    if who is not None and rule.endpoint != "auth.logout":
                        assert "/login" not in r.headers.get("Location", ""), where
                elif who is None:
                    assert r.status_code == 302 and "/login" in r.headers["Location"], where
                else:
                    assert r.status_code == 403, where
                checked += 1
    assert checked >= len(WHO) * 10


def test_an_undeclared_route_is_refused_to_everyone(app, as_role):
    def sneaky():
        return "should never be served"

    app.add_url_rule("/sneaky", "sneaky", sneaky)  # before the app's first request
    admin = as_role(Role.ADMINISTRATOR)
    assert admin.get("/sneaky").status_code == 403
    assert app.test_client().get("/sneaky").status_code == 403
