"""CSRF, no state change through GET, headers, cookies, size limit, escaping of stored text."""

import json

import pytest
from sqlalchemy import select

from admin.access import KIOSK_TOKEN, declaration, may_use
from admin.db import database
from admin.models import Role, User
from admin.security import HEADERS
from admin.sessions import COOKIE_NAME
from tests.support.admin_pages import csrf_from, route_url

PAYLOAD = '<script>alert("x")</script>'


def _routes(app, method):
    for rule in app.url_map.iter_rules():
        if method in rule.methods:
            yield rule


def _url(app, rule, user):
    return route_url(app, rule, {"target": user})


def test_every_post_route_refuses_a_request_without_csrf_token(app, as_role):
    clients = {None: app.test_client(), **{role: as_role(role) for role in Role}}
    target = clients[Role.VIEWER].user
    posts = list(_routes(app, "POST"))
    assert len(posts) >= 5
    for rule in posts:
        declared = declaration(app, rule.endpoint)
        # Someone the route lets in, so the answer is about the token, not the role.
        who = next(w for w in clients if may_use(declared, w))
        url = _url(app, rule, target)
        r = clients[who].post(url, data={"username": "x", "password": "y"})
        # The kiosk API (its token routes and enrolment, which has no token yet) takes no
        # cookie and no form: a form body is refused as not JSON (415).
        kiosk_api = KIOSK_TOKEN in declared or rule.rule.startswith("/api/v1/")
        refused = (400, 415) if kiosk_api else (400,)
        assert r.status_code in refused, f"{rule.rule} accepted a POST without a CSRF token"
    for who, c in clients.items():
        if who is not None:  # still logged in: logout was refused too
            assert c.get("/").status_code == 200


def _state(app):
    """Every row of every table the admin has (all models), in a stable order."""
    from admin.models import Base

    tables = {}
    with database(app).engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name == "sessions":  # a GET may touch last_seen_at or read a flash
                continue
            rows = conn.execute(select(table)).all()
            tables[table.name] = sorted(json.dumps(list(r), default=str) for r in rows)
    assert {"users", "audit_log", "login_throttles", "media_items", "translation_marks",
            "content_revisions", "kiosks", "school_sessions", "feedback_events"} <= set(tables)
    return tables


def test_no_get_request_changes_anything(app, as_role):
    admin = as_role(Role.ADMINISTRATOR)
    before = _state(app)
    for rule in _routes(app, "GET"):
        url = _url(app, rule, admin.user)
        admin.get(url, query_string={"username": "x", "password": "y", "role": "viewer",
                                     "active": "", "ui_language": "el"})
    assert _state(app) == before


def test_every_answer_carries_the_security_headers(app, as_role):
    admin = as_role(Role.ADMINISTRATOR)
    urls = [_url(app, r, admin.user) for r in _routes(app, "GET")]
    answers = [admin.get(url) for url in urls]
    answers += [admin.get("/no/such/page"), app.test_client().get("/login"),
                app.test_client().get("/")]
    for r in answers:
        r.close()  # a streamed answer (CSV) gives its database connection back
        for name, value in HEADERS.items():
            assert r.headers.get(name) == value, (r.request.path, name)
        csp = r.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "script-src 'none'" in csp and "frame-ancestors 'none'" in csp


def test_the_pages_contain_no_inline_script_or_style(app, as_role):
    admin = as_role(Role.ADMINISTRATOR)
    for rule in _routes(app, "GET"):
        if rule.endpoint == "static":
            continue
        url = _url(app, rule, admin.user)
        r = admin.get(url)
        if r.mimetype.startswith("image/"):  # the Help's screenshots: pictures, not pages
            continue
        html = r.get_data(as_text=True)
        assert "<script" not in html and " style=" not in html and "<style" not in html


@pytest.mark.parametrize("https", [False, True])
def test_session_cookie_is_httponly_lax_and_secure_over_https(app, https):
    base = "https://admin.example" if https else "http://admin.example"
    c = app.test_client()
    r = c.get("/login", base_url=base)
    cookie = [h for h in r.headers.getlist("Set-Cookie") if h.startswith(COOKIE_NAME)][0]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert ("Secure" in cookie) is https


def test_a_too_large_request_is_refused(app, client):
    r = client.post("/login", data={"username": "x" * (app.config["MAX_REQUEST_BYTES"] + 10)})
    assert r.status_code == 413


def test_stored_script_is_never_served_executable(app, as_role, login):
    """Every text field the admin stores gets a script tag; no page serves it as markup."""
    admin = as_role(Role.ADMINISTRATOR)
    token = csrf_from(admin.get("/users/new").get_data(as_text=True))
    r = admin.post("/users/new", data={
        "csrf_token": token, "username": "mallory", "display_name": PAYLOAD,
        "role": "translator", "languages": PAYLOAD, "password": "x" + PAYLOAD + "long",
        "active": "y"})
    assert r.status_code == 400  # the languages field refuses it, and says so escaped
    assert PAYLOAD not in r.get_data(as_text=True)
    r = admin.post("/users/new", data={
        "csrf_token": token, "username": "mallory", "display_name": PAYLOAD,
        "role": "translator", "languages": "sv", "password": "x" + PAYLOAD + "long",
        "active": "y"})
    assert r.status_code == 302
    with database(app).session() as db:
        mallory = db.scalar(select(User).where(User.username == "mallory"))
        assert mallory.display_name == PAYLOAD  # stored as typed, escaped when shown
    token = csrf_from(admin.get(f"/users/{mallory.id}").get_data(as_text=True))
    admin.post(f"/users/{mallory.id}", data={"csrf_token": token, "display_name":
                                            PAYLOAD + "2", "role": "translator",
                                            "languages": "sv", "active": "y"})
    # The login form echoes the user name; the account page shows the user's own name.
    anon = app.test_client()
    echoed = login(anon, PAYLOAD, "wrong password here").get_data(as_text=True)
    mallory_client = app.test_client()
    assert login(mallory_client, "mallory", "x" + PAYLOAD + "long").status_code == 302
    pages = [echoed, mallory_client.get("/").get_data(as_text=True),
             mallory_client.get("/account/").get_data(as_text=True)]
    urls = [_url(app, r, mallory) for r in _routes(app, "GET") if r.endpoint != "static"]
    answers = [admin.get(url) for url in urls]
    pages += [r.get_data(as_text=True) for r in answers if not r.mimetype.startswith("image/")]
    for html in pages:
        assert "<script" not in html
    assert any("&lt;script&gt;" in html for html in pages)
