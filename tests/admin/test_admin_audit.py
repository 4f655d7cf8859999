"""The audit log: every account change with before and after, readable, never editable."""

import json

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from admin.db import database
from admin.models import AuditEntry, Role
from tests.support.admin_pages import csrf_from


def _entries(app, action):
    with database(app).session() as db:
        return db.scalars(select(AuditEntry).where(AuditEntry.action == action)
                          .order_by(AuditEntry.id)).all()


def test_creating_and_editing_an_account_is_audited_with_before_and_after(app, as_role):
    admin = as_role(Role.ADMINISTRATOR)
    token = csrf_from(admin.get("/users/new").get_data(as_text=True))
    admin.post("/users/new", data={"csrf_token": token, "username": "tina", "role": "translator",
                                   "languages": "sv, it", "display_name": "Tina",
                                   "password": "a fine long passphrase", "active": "y"})
    created = _entries(app, "user.create")[-1]
    assert created.actor == admin.user.username and created.before is None
    assert json.loads(created.after)["languages"] == ["sv", "it"]
    assert "passphrase" not in created.after and "argon2" not in created.after

    user_id = int(created.target.split(":")[1])
    token = csrf_from(admin.get(f"/users/{user_id}").get_data(as_text=True))
    admin.post(f"/users/{user_id}", data={"csrf_token": token, "display_name": "Tina B.",
                                         "role": "editor", "languages": "", "active": "y"})
    edit = _entries(app, "user.edit")[-1]
    assert json.loads(edit.before)["role"] == "translator"
    assert json.loads(edit.after) == {**json.loads(edit.before), "role": "editor",
                                      "display_name": "Tina B.", "languages": []}
    page = admin.get("/audit/").get_data(as_text=True)
    assert "user.edit" in page and "Tina B." in page


def test_the_audit_log_has_no_route_that_changes_it(app):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("audit.")]
    assert rules and all(r.methods <= {"GET", "HEAD", "OPTIONS"} for r in rules)


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor = 'someone else'",
                                       "DELETE FROM audit_log"])
def test_the_database_refuses_to_change_audit_entries(app, make_user, statement):
    make_user(Role.VIEWER)
    with database(app).engine.connect() as conn:
        with pytest.raises(DatabaseError, match="append-only"):
            conn.execute(text(statement))
        conn.rollback()
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() == 1


def test_only_administrators_read_the_audit_log(as_role):
    assert as_role(Role.CURATOR).get("/audit/").status_code == 403
    assert as_role(Role.ADMINISTRATOR).get("/audit/").status_code == 200
