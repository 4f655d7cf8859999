"""The kiosk's settings are declared once: the docs table, the config file and the code agree."""

from __future__ import annotations

import ast
import json
import logging
import re
from pathlib import Path

from kiosk import settings
from kiosk.app.config import KioskConfig

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "kiosk-settings.md"
KIOSK = ROOT / "kiosk"
# Names that are methods of the config object, not keys of kiosk.json.
CONFIG_METHODS = {"save", "load", "path", "set_pin", "check_pin", "extra"}


def _sources():
    for path in sorted(KIOSK.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def test_docs_table_is_the_declaration():
    text = DOCS.read_text(encoding="utf-8")
    table = text.split("<!-- settings table: python -m kiosk.settings -->\n")[1]
    table = table.split("<!-- end of settings table -->")[0].strip()
    assert table == settings.markdown_tables(), "run `python -m kiosk.settings` into the docs"


def test_every_environment_variable_the_kiosk_names_is_declared():
    declared = {s.name for s in settings.ENVIRONMENT}
    named = set()
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                named |= {(m, path.name) for m in re.findall(r"STORYKIOSK_[A-Z0-9_]+", node.value)}
    undeclared = sorted((name, file) for name, file in named
                        if name not in declared and not name.startswith("STORYKIOSK_ADMIN_"))
    assert undeclared == []


def test_only_the_settings_module_reads_the_environment_for_a_setting():
    readers = []
    for path, tree in _sources():
        if path == KIOSK / "settings.py":
            continue
        for node in ast.walk(tree):
            # os.environ.get("STORYKIOSK_..."), os.environ["STORYKIOSK_..."], os.getenv(...)
            if isinstance(node, ast.Call | ast.Subscript):
                text = ast.unparse(node)
                if re.search(r"(environ|getenv)\b.*STORYKIOSK_", text) and "setdefault" not in text:
                    readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert readers == []


def test_every_config_key_the_kiosk_reads_is_declared():
    declared = {s.name for s in settings.CONFIG_KEYS}
    read = set()
    # The kiosk's config travels as `config` or `ctx.config` in the app and its screens
    # (`client.config` and `puller.config` are the sync's own SyncConfig).
    for path, tree in _sources():
        if path.parent.name not in ("app", "scenes", "ui", "media"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                owner = ast.unparse(node.value)
                if owner.split(".")[-1] == "config" and not owner.endswith(("client.config",
                                                                          "puller.config")):
                    read.add((node.attr, f"{path.relative_to(ROOT)}:{node.lineno}"))
    undeclared = sorted((name, where) for name, where in read
                        if name not in declared | CONFIG_METHODS)
    assert undeclared == []
    # The config object has exactly the declared keys, each with its declared default.
    config = KioskConfig()
    assert {k: v for k, v in vars(config).items() if k != "extra"} == {
        "staff_pin_hash": None, "volume": 0.8, "diagonal_in": 24.0, "idle_countdown": 20,
        "pin_timeout": 20, "staff_timeout": 60, "usb_roots": ["/media", "/run/media"]}


def test_a_wrong_value_in_kiosk_json_is_logged_and_the_rest_kept(tmp_path, caplog):
    (tmp_path / "kiosk.json").write_text(json.dumps(
        {"volume": "loud", "idle_countdown": 45, "diagonal_in": 32, "theme": "dark"}))
    with caplog.at_level(logging.ERROR):
        config = KioskConfig.load(tmp_path)
    assert config.volume == 0.8
    assert config.idle_countdown == 45
    assert config.diagonal_in == 32
    assert "volume should be a float, not 'loud'" in caplog.text
    config.save(tmp_path)
    saved = json.loads((tmp_path / "kiosk.json").read_text())
    assert saved["theme"] == "dark" and saved["idle_countdown"] == 45


def test_an_empty_variable_means_the_default(monkeypatch):
    monkeypatch.setenv("STORYKIOSK_FONT_DIR", "")
    assert settings.env("STORYKIOSK_FONT_DIR") == "/usr/share/fonts/truetype/noto"
    monkeypatch.setenv("STORYKIOSK_FONT_DIR", "/opt/fonts")
    assert settings.env("STORYKIOSK_FONT_DIR") == "/opt/fonts"
