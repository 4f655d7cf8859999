"""Anonymous visitors leave no rows in the sessions table: the login page's CSRF token travels
in a signed cookie until login."""
from sqlalchemy import func, select

from admin.db import database
from admin.models import ServerSession
from admin.sessions import ANON_PREFIX, COOKIE_NAME
from tests.support.admin_pages import PASSWORD, csrf_from


def _rows(app):
    with database(app).session() as db:
        return db.scalar(select(func.count()).select_from(ServerSession))


def test_fifty_anonymous_login_pages_leave_the_table_empty(app):
    for _ in range(50):
        c = app.test_client()  # a new visitor each time, as a flood would be
        assert c.get("/login").status_code == 200
        assert c.get_cookie(COOKIE_NAME).value.startswith(ANON_PREFIX)
    assert _rows(app) == 0


def test_the_signed_cookie_carries_the_csrf_token_to_a_login(app, make_user):
    make_user("editor", username="edith")
    c = app.test_client()
    token = csrf_from(c.get("/login").get_data(as_text=True))
    r = c.post("/login", data={"csrf_token": token, "username": "edith", "password": PASSWORD})
    assert r.status_code == 302
    assert not c.get_cookie(COOKIE_NAME).value.startswith(ANON_PREFIX)
    assert _rows(app) == 1
    assert c.get("/account/").status_code == 200


def test_a_forged_anonymous_cookie_is_a_fresh_session(app, make_user):
    make_user("editor", username="edith")
    c = app.test_client()
    c.set_cookie(COOKIE_NAME, ANON_PREFIX + "eyJ1aWQiOjF9.forged.signature")
    assert c.get("/account/").status_code == 302  # not logged in
    token = csrf_from(c.get("/login").get_data(as_text=True))
    c.set_cookie(COOKIE_NAME, c.get_cookie(COOKIE_NAME).value[:-3] + "xyz")  # tampered
    r = c.post("/login", data={"csrf_token": token, "username": "edith", "password": PASSWORD})
    assert r.status_code == 400  # the CSRF token no longer matches a session
