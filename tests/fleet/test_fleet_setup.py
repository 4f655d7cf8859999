"""`deploy/kiosk/setup`: the dry run prints the system's steps and changes nothing; the
project's own steps run for real against a live admin, and a second run changes nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import tomllib

from kiosk.app.config import KioskConfig
from tests.support.feedback import PYTHON, ROOT
from tests.support.fleet import code_for

SETUP = ROOT / "deploy" / "kiosk" / "setup"


def setup(tmp_path, *args: str):
    """Run the setup script with the kiosk's folders in tmp_path."""
    env = {**os.environ, "STORYKIOSK_CONFIG_DIR": str(tmp_path / "config"),
           "STORYKIOSK_DATA_DIR": str(tmp_path / "data"),
           "STORYKIOSK_CACHE_DIR": str(tmp_path / "cache")}
    return subprocess.run([PYTHON, str(SETUP), *args], capture_output=True, text=True,
                          timeout=120, env=env, cwd=tmp_path)


def _codes_used(instance) -> int:
    db = sqlite3.connect(instance / "admin.sqlite3")
    try:
        return db.execute("SELECT count(*) FROM enrolment_codes WHERE used_at IS NOT NULL"
                          ).fetchone()[0]
    finally:
        db.close()


def test_the_dry_run_prints_every_step_and_takes_none(admin_server, tmp_path):
    url, instance = admin_server
    code = code_for(instance)
    done = setup(tmp_path, "--admin", url, "--code", code, "--dry-run")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    kiosk = f"{ROOT}/.venv/bin/kiosk"
    for step in [
        "would write /var/lib/storykiosk/.xinitrc",
        "    | exec sleep infinity",
        "would write /etc/systemd/system/getty@tty1.service.d/autologin.conf",
        "    | ExecStart=-/sbin/agetty --autologin kiosk --noclear %I $TERM",
        "would write /etc/systemd/system/storykiosk.service",
        f"    | ExecStart={ROOT}/.venv/bin/python -m kiosk.cli.play --fullscreen",
        "would run: systemctl daemon-reload",
        "would run: systemctl enable storykiosk",
        "would run: runuser -u kiosk -- env STORYKIOSK_DATA_DIR=/var/lib/storykiosk "
        "STORYKIOSK_CONFIG_DIR=/etc/storykiosk STORYKIOSK_CACHE_DIR=/var/cache/storykiosk "
        f"{kiosk} enroll --admin {url} --code {code}",
        f"STORYKIOSK_CACHE_DIR=/var/cache/storykiosk {kiosk} staff-pin --pin-stdin",
        "the admin sends the venue's pack",
        "would run: systemctl start storykiosk",
        "Dry run: nothing was changed.",
    ]:
        assert step in out, step
    if b"kiosk:" not in open("/etc/passwd", "rb").read():
        assert "would run: adduser --system --group --home /var/lib/storykiosk " \
               "--shell /bin/bash kiosk" in out
        assert "would run: usermod -aG audio,video,input kiosk" in out
    assert out.index("1. the kiosk user") < out.index("2. a minimal X session") < out.index(
        "3. the kiosk as a systemd service") < out.index("5. enrolment") < out.index(
        "6. the staff PIN") < out.index("7. the pack") < out.index("8. start")
    assert not os.path.exists("/etc/systemd/system/storykiosk.service")
    assert _codes_used(instance) == 0


def test_the_projects_steps_enrol_and_set_the_pin_once(admin_server, tmp_path):
    url, instance = admin_server
    code = code_for(instance)
    first = setup(tmp_path, "--admin", url, "--code", code, "--project-only", "--pin", "2468",
                  "--name", "Athens 1")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Enrolled as 'Athens 1'" in first.stdout
    saved = tomllib.loads((tmp_path / "config" / "sync.toml").read_text())
    assert saved["server"] == url and _codes_used(instance) == 1
    assert KioskConfig.load(tmp_path / "config").check_pin("2468")
    again = setup(tmp_path, "--admin", url, "--code", code, "--project-only", "--pin", "1357")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "nothing changed" in again.stdout and "staff-pin" not in again.stdout
    assert KioskConfig.load(tmp_path / "config").check_pin("2468")
    (tmp_path / "other").mkdir()
    wrong = setup(tmp_path / "other", "--admin", url, "--code", "AAAA-AAAA", "--project-only",
                  "--pin", "2468")
    assert wrong.returncode == 1 and "not one the admin made" in wrong.stderr
