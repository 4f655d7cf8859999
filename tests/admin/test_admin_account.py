"""Changing one's own password: wrong current passwords are limited like logins, and the
session id changes with the password (other sessions of the user end)."""
from sqlalchemy import select

from admin.db import database
from admin.models import ServerSession
from admin.sessions import COOKIE_NAME, _digest
from tests.support.admin_pages import PASSWORD, csrf_from

NEW = "a new and long enough passphrase 42"


def _change(c, current, new=NEW):
    token = csrf_from(c.get("/account/").get_data(as_text=True))
    return c.post("/account/password", data={"csrf_token": token, "current": current,
                                             "password": new, "confirm": new})


def _cookie(c):
    return c.get_cookie(COOKIE_NAME).value


def test_wrong_current_passwords_lock_the_change_like_a_login(app, make_user, login):
    make_user("editor", username="edith")
    c = app.test_client()
    login(c, "edith")
    for _ in range(app.config["LOGIN_FAILURES_BEFORE_DELAY"]):
        r = _change(c, "not my password at all")
        assert r.status_code == 400
        assert "That is not your current password." in r.get_data(as_text=True)
    r = _change(c, PASSWORD)  # even the right one, once locked
    assert r.status_code == 429
    assert "Too many failed attempts" in r.get_data(as_text=True)
    other = app.test_client()
    assert login(other, "edith").status_code == 429  # the login limit is the same count
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.1.2.3"  # the owner, elsewhere, is not slowed
    assert login(elsewhere, "edith").status_code == 302


def test_a_password_change_rotates_the_session_and_ends_the_others(app, make_user, login):
    make_user("editor", username="edith")
    c, elsewhere = app.test_client(), app.test_client()
    login(c, "edith")
    login(elsewhere, "edith")
    before = _cookie(c)
    r = _change(c, PASSWORD)
    assert r.status_code == 302, r.get_data(as_text=True)
    after = _cookie(c)
    assert after != before
    with database(app).session() as db:
        ids = set(db.scalars(select(ServerSession.id)))
    assert _digest(before) not in ids and _digest(after) in ids
    assert c.get("/account/").status_code == 200
    assert elsewhere.get("/account/").status_code == 302
