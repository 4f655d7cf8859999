"""Logging in and out: rotation, wrong passwords, lock-outs, timeouts, logout on the server."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from admin.db import database
from admin.models import LoginThrottle, Role, ServerSession, utcnow
from admin.sessions import COOKIE_NAME, _digest
from tests.support.admin_pages import PASSWORD, csrf_from


def _cookie(client):
    c = client.get_cookie(COOKIE_NAME)
    return c.value if c else None


def _session_rows(app):
    with database(app).session() as db:
        return db.scalar(select(func.count()).select_from(ServerSession))


def test_login_rotates_the_session_id_and_logout_ends_it_on_the_server(
        app, client, make_user, login, csrf_token):
    make_user(Role.EDITOR, username="edith")
    client.get("/login")
    before = _cookie(client)
    assert before, "the login page starts a session for its CSRF token"
    r = login(client, "edith")
    assert r.status_code == 302 and r.headers["Location"] == "/"
    after = _cookie(client)
    assert after and after != before
    with database(app).session() as db:
        assert db.get(ServerSession, _digest(before)) is None
        assert db.get(ServerSession, _digest(after)).user_id is not None
    assert client.get("/").status_code == 200

    token = csrf_token(client, "/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    with database(app).session() as db:
        assert db.get(ServerSession, _digest(after)) is None
    # The old cookie, replayed by someone who copied it, opens nothing.
    client.set_cookie(COOKIE_NAME, after)
    assert client.get("/").headers["Location"].startswith("/login")


def test_logout_is_not_possible_through_get(app, as_role):
    c = as_role(Role.VIEWER)
    assert c.get("/logout").status_code == 405
    assert c.get("/").status_code == 200


def test_wrong_password_and_unknown_user_get_the_same_answer(client, make_user, login):
    make_user(Role.EDITOR, username="edith")
    wrong = login(client, "edith", "not the password at all")
    unknown = login(client, "nobody", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong user name or password." in wrong.get_data(as_text=True)
    assert wrong.get_data(as_text=True).count("Wrong") == unknown.get_data(as_text=True).count(
        "Wrong")


def test_five_failures_make_that_address_wait_even_for_the_right_password(
        app, client, make_user, login):
    make_user(Role.EDITOR, username="edith")
    for _ in range(5):
        assert login(client, "edith", "wrong password here").status_code == 401
    r = login(client, "EDITH", PASSWORD)
    assert r.status_code == 429
    assert "Too many failed attempts. Wait 1 minute and try again." in r.get_data(as_text=True)
    assert r.headers["Retry-After"] == "60"
    # The owner at another address is not slowed by what came from this one.
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    assert login(elsewhere, "edith", PASSWORD).status_code == 302
    # The wait passes: this address may try again.
    with database(app).session() as db:
        db.execute(update(LoginThrottle).values(free_at=time.time() - 1))
        db.commit()
    assert login(client, "edith", PASSWORD).status_code == 302


def test_an_address_locks_after_too_many_failures_across_accounts(app, client, make_user, login):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 4
    make_user(Role.EDITOR, username="edith")
    for name in ("a1", "a2", "a3", "a4"):
        assert login(client, name, "wrong password here").status_code == 401
    assert login(client, "edith", PASSWORD).status_code == 429
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    assert login(other, "edith", PASSWORD).status_code == 302


def test_a_disabled_account_cannot_log_in_and_its_sessions_end(app, make_user, login, as_role):
    admin = as_role(Role.ADMINISTRATOR)
    c = as_role(Role.VIEWER)
    user = c.user
    token = csrf_from(admin.get(f"/users/{user.id}").get_data(as_text=True))
    r = admin.post(f"/users/{user.id}", data={"csrf_token": token, "display_name": "",
                                              "role": "viewer", "languages": ""})
    assert r.status_code == 302
    assert c.get("/").headers["Location"].startswith("/login")
    assert login(app.test_client(), user.username).status_code == 401


@pytest.mark.parametrize("field,age", [("last_seen_at", timedelta(minutes=31)),
                                       ("created_at", timedelta(hours=12, minutes=1))])
def test_idle_and_absolute_timeouts_end_the_session(app, as_role, field, age):
    c = as_role(Role.VIEWER)
    assert c.get("/").status_code == 200
    with database(app).session() as db:
        db.execute(update(ServerSession).where(ServerSession.user_id == c.user.id)
                   .values({field: utcnow() - age}))
        db.commit()
    assert c.get("/").headers["Location"].startswith("/login")


def test_activity_keeps_a_session_alive(app, as_role):
    c = as_role(Role.VIEWER)
    with database(app).session() as db:
        db.execute(update(ServerSession).where(ServerSession.user_id == c.user.id)
                   .values(last_seen_at=utcnow() - timedelta(minutes=29)))
        db.commit()
    assert c.get("/").status_code == 200
    with database(app).session() as db:
        seen = db.scalar(select(ServerSession.last_seen_at).where(
            ServerSession.user_id == c.user.id))
    assert utcnow() - seen < timedelta(minutes=1)


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil",
                                    "/\t/evil.example/", "/\n/evil.example/"])
def test_login_never_redirects_to_another_site(client, make_user, csrf_token, target):
    make_user(Role.EDITOR, username="edith")
    token = csrf_token(client, "/login")
    r = client.post("/login", query_string={"next": target},
                    data={"csrf_token": token, "username": "edith", "password": PASSWORD})
    assert r.headers["Location"] == "/"


def test_login_follows_a_local_next(client, make_user):
    make_user(Role.ADMINISTRATOR, username="ada")
    r = client.get("/audit/")
    assert r.headers["Location"] == "/login?next=/audit/"
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    r = client.post("/login?next=/audit/", data={"csrf_token": csrf_from(page),
                                                 "username": "ada", "password": PASSWORD})
    assert r.headers["Location"] == "/audit/"


def test_anonymous_visits_leave_no_session_rows_without_a_form(app):
    c = app.test_client()
    c.get("/healthz")
    c.get("/static/admin.css")
    assert _session_rows(app) == 0


def test_the_next_target_is_always_a_local_path(app):
    from hypothesis import given
    from hypothesis import strategies as st

    from admin.views.auth import _safe_next

    @given(st.text())
    def check(target):
        with app.test_request_context():
            result = _safe_next(target)
        as_browser_reads_it = "".join(c for c in result if c not in "\t\n\r").replace("\\", "/")
        assert as_browser_reads_it.startswith("/") and not as_browser_reads_it.startswith("//")

    check()
