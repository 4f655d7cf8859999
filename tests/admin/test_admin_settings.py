"""Settings: declared once, read from test config, environment or file, all in docs/admin.md."""

import re
from pathlib import Path

import pytest

from admin import create_app
from admin.settings import SETTINGS, markdown_table, resolve

DOCS = Path(__file__).resolve().parents[2] / "docs" / "admin.md"


def _settings_section() -> str:
    text = DOCS.read_text(encoding="utf-8")
    m = re.search(r"^## Settings$(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert m, "docs/admin.md has no '## Settings' section"
    return m.group(1)


def test_every_setting_is_in_the_docs():
    section = _settings_section()
    missing = [s.env for s in SETTINGS if f"`{s.env}`" not in section]
    assert missing == [], f"add these settings to docs/admin.md's Settings section: {missing}"


def test_the_docs_table_is_the_generated_one():
    assert markdown_table() in _settings_section(), \
        "regenerate the table: .venv/bin/python -m admin.settings"


def test_precedence_test_config_then_environment_then_file(tmp_path):
    (tmp_path / "admin.toml").write_text('PORT = 9001\nWORKERS = 3\nHOST = "0.0.0.0"\n')
    env = {"STORYKIOSK_ADMIN_PORT": "9002", "STORYKIOSK_ADMIN_WORKERS": "4"}
    values = resolve(str(tmp_path), {"PORT": 9003}, env)
    assert (values["PORT"], values["WORKERS"], values["HOST"]) == (9003, 4, "0.0.0.0")
    assert values["DATABASE_URL"] == f"sqlite:///{tmp_path}/admin.sqlite3"
    assert resolve(str(tmp_path), {}, {})["SECRET_KEY"] == values["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("content,message", [
    ("PORT = 'eighty'\n", "PORT from admin.toml"),
    ("PROT = 8000\n", "unknown setting"),
    ("PORT = \n", "admin.toml"),
])
def test_a_bad_config_file_gets_a_clear_error(tmp_path, content, message):
    (tmp_path / "admin.toml").write_text(content)
    with pytest.raises(ValueError, match=message):
        resolve(str(tmp_path), {}, {})


def test_environment_reaches_the_app(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYKIOSK_ADMIN_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("STORYKIOSK_ADMIN_SESSION_IDLE_MINUTES", "7")
    app = create_app()
    assert app.config["SESSION_IDLE_MINUTES"] == 7
    assert app.instance_path == str(tmp_path)


def test_administrators_see_the_settings_but_never_the_secret_key(app, as_role):
    from admin.models import Role
    from admin.views.server import shown_value

    page = as_role(Role.ADMINISTRATOR).get("/settings/").get_data(as_text=True)
    page = page.replace("<wbr>", "")
    assert "STORYKIOSK_ADMIN_SESSION_IDLE_MINUTES" in page
    assert app.config["SECRET_KEY"] not in page
    assert shown_value("DATABASE_URL", "postgresql+psycopg://kiosk:hunter2hunter2@db/admin") \
        == "postgresql+psycopg://kiosk:***@db/admin"
    assert as_role(Role.CURATOR).get("/settings/").status_code == 403
