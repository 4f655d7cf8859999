"""flask --app admin init-db | create-user | set-password, and the run command's preparation."""

import subprocess
import sys

from sqlalchemy import inspect, select

from admin.db import database
from admin.models import AuditEntry, Role, User
from admin.passwords import verify_password
from admin.serve import gunicorn_options, prepare


def test_init_db_creates_the_schema_and_can_run_again(app):
    runner = app.test_cli_runner()
    for _ in range(2):
        r = runner.invoke(args=["init-db"])
        assert r.exit_code == 0, r.output
    tables = set(inspect(database(app).engine).get_table_names())
    assert {"users", "sessions", "login_throttles", "audit_log", "alembic_version"} <= tables


def test_create_user_asks_twice_and_refuses_weak_passwords(app):
    runner = app.test_cli_runner()
    r = runner.invoke(args=["create-user", "Tove", "--role", "translator", "--languages", "sv"],
                      input="qwerty123456\nqwerty123456\n")
    assert r.exit_code == 1 and "most common" in r.output
    r = runner.invoke(args=["create-user", "tove", "--role", "translator", "--languages", "sv"],
                      input="short\nshort\n")
    assert r.exit_code == 1 and "12 characters" in r.output
    r = runner.invoke(args=["create-user", "Tove", "--role", "translator", "--languages", "sv"],
                      input="lingonberry jam at noon\nlingonberry jam at noon\n")
    assert r.exit_code == 0, r.output
    with database(app).session() as db:
        tove = db.scalar(select(User).where(User.username == "tove"))
        assert tove.role == Role.TRANSLATOR and tove.language_list == ["sv"]
        assert tove.password_hash.startswith("$argon2id$")
        assert db.scalar(select(AuditEntry).where(AuditEntry.action == "user.create"))
    r = runner.invoke(args=["create-user", "tove", "--role", "viewer"],
                      input="lingonberry jam at noon\nlingonberry jam at noon\n")
    assert r.exit_code == 1 and "taken" in r.output


def test_set_password_changes_it(app, make_user):
    make_user(Role.EDITOR, username="edith")
    runner = app.test_cli_runner()
    r = runner.invoke(args=["set-password", "edith"],
                      input="olive grove by the sea\nolive grove by the sea\n")
    assert r.exit_code == 0, r.output
    r = runner.invoke(args=["set-password", "nobody"],
                      input="olive grove by the sea\nolive grove by the sea\n")
    assert r.exit_code == 1 and "no user" in r.output
    with database(app).session() as db:
        edith = db.scalar(select(User).where(User.username == "edith"))
        assert verify_password(edith.password_hash, "olive grove by the sea")


def test_prepare_creates_the_first_administrator_once(app):
    password = prepare(app)
    assert password and len(password) >= 20
    assert prepare(app) is None
    with database(app).session() as db:
        admin = db.scalar(select(User))
        assert admin.role == Role.ADMINISTRATOR and verify_password(admin.password_hash, password)


def test_gunicorn_listens_on_loopback_by_default(app):
    opts = gunicorn_options(app.config)
    assert opts["bind"] == "127.0.0.1:8000" and opts["accesslog"] is None


def test_the_flask_command_line_knows_the_commands(tmp_path):
    r = subprocess.run([sys.executable, "-m", "flask", "--app", "admin", "--help"],
                       capture_output=True, text=True, check=True,
                       env={"STORYKIOSK_ADMIN_INSTANCE_PATH": str(tmp_path), "PATH": "/usr/bin"})
    for name in ("init-db", "create-user", "set-password", "serve"):
        assert name in r.stdout


def test_the_deploy_gunicorn_config_loads_the_app(tmp_path):
    root = __import__("pathlib").Path(__file__).resolve().parents[2]
    r = subprocess.run([str(root / ".venv/bin/gunicorn"), "--check-config", "-c",
                        "deploy/admin/gunicorn.conf.py"], cwd=root, capture_output=True,
                       text=True, env={"STORYKIOSK_ADMIN_INSTANCE_PATH": str(tmp_path),
                                       "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr


def test_serve_says_clearly_when_its_port_is_taken(app):
    import socket

    import pytest

    from admin.serve import serve

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        app.config["PORT"] = taken.getsockname()[1]
        with pytest.raises(SystemExit, match="already in use; set STORYKIOSK_ADMIN_PORT"):
            serve(app)
