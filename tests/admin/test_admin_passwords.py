"""Passwords: argon2id, at least 12 characters, not one of the 10,000 most common."""

import pytest
from sqlalchemy import select

from admin.access import may_edit_language
from admin.db import database
from admin.models import Role, ServerSession, User
from admin.passwords import (
    PasswordRejected,
    check_policy,
    common_passwords,
    hash_password,
    verify_password,
)
from admin.sessions import COOKIE_NAME
from tests.support.admin_pages import PASSWORD, csrf_from


def test_hashes_are_argon2id_with_at_least_owasp_strength():
    h = hash_password("correct horse battery staple")
    assert h.startswith("$argon2id$v=19$")
    params = dict(p.split("=") for p in h.split("$")[3].split(","))
    assert int(params["m"]) >= 19 * 1024 and int(params["t"]) >= 2
    assert verify_password(h, "correct horse battery staple")
    assert not verify_password(h, "correct horse battery stapler")
    assert not verify_password(None, "anything at all")
    assert not verify_password("not a hash", "anything at all")


def test_the_common_list_holds_ten_thousand_passwords():
    common = common_passwords()
    assert len(common) == 10_000
    assert {"123456", "password", "qwerty123456", "1q2w3e4r5t6y"} <= common


@pytest.mark.parametrize("password,reason", [
    ("short pass", "at least 12"),
    ("QWERTY123456", "most common"),
    ("1q2w3e4r5t6y", "most common"),
    ("my name is tove really", "user name"),
])
def test_weak_passwords_are_refused_with_the_reason(password, reason):
    with pytest.raises(PasswordRejected, match=reason):
        check_policy(password, 12, "tove")


def test_a_good_password_passes():
    check_policy("harbour lights in november", 12, "tove")


def test_the_minimum_never_drops_below_twelve(tmp_path):
    from admin.settings import resolve

    assert resolve(str(tmp_path), {"PASSWORD_MIN_LENGTH": 6}, {})["PASSWORD_MIN_LENGTH"] == 12


def test_the_database_holds_only_a_digest_of_the_session_cookie(app, as_role):
    c = as_role(Role.VIEWER)
    token = c.get_cookie(COOKIE_NAME).value
    with database(app).session() as db:
        ids = db.scalars(select(ServerSession.id)).all()
    assert token not in ids and len(ids) == 1 and len(ids[0]) == 64


def test_changing_ones_password_logs_out_the_other_browsers(app, as_role, login):
    here = as_role(Role.EDITOR)
    there = app.test_client()
    assert login(there, here.user.username).status_code == 302
    token = csrf_from(here.get("/account/").get_data(as_text=True))
    r = here.post("/account/password", data={"csrf_token": token, "current": PASSWORD,
                                             "password": "a brand new long passphrase"})
    assert r.status_code == 302
    assert here.get("/").status_code == 200
    assert there.get("/").headers["Location"].startswith("/login")
    with database(app).session() as db:
        user = db.get(User, here.user.id)
        assert verify_password(user.password_hash, "a brand new long passphrase")


def test_a_translator_edits_only_their_languages(make_user):
    tina = make_user(Role.TRANSLATOR, languages="sv,it")
    edith = make_user(Role.EDITOR)
    assert may_edit_language(tina, "sv", "en") and not may_edit_language(tina, "lv", "en")
    assert may_edit_language(edith, "lv", "en") and not may_edit_language(None, "sv", "en")
    # The pack's source language is the editors' text, even for a translator assigned it.
    assert not may_edit_language(tina, "sv", "sv") and may_edit_language(edith, "sv", "sv")
