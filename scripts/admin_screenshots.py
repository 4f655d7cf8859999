"""Render the README's admin screenshots: the real run command's server, Debian's Chromium.

Starts `python -m admin.serve` (gunicorn) on a free port with a throw-away instance folder,
logs in as a curator made with `flask create-user`, and saves the demo pack's story map and the
side-by-side translation page to docs/screenshots/. Run by `bash scripts/screenshots`.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PAGES = {  # file: (path, the whole page or the first 1,100 pixels)
    "admin-story-map.png": ("stories/demo/nadia/map", True),
    "admin-side-by-side.png": ("translations/demo/samir?target=ar", False),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(instance: Path) -> tuple[subprocess.Popen, str, str]:
    """The admin's server: (process, base URL, the first administrator's password)."""
    env = {**os.environ, "STORYKIOSK_ADMIN_INSTANCE_PATH": str(instance),
           "STORYKIOSK_ADMIN_PORT": str(free_port()), "STORYKIOSK_ADMIN_WORKERS": "1"}
    env.pop("STORYKIOSK_ADMIN_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "admin.serve"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    password = base = None
    while base is None:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("admin.serve stopped before printing its address")
        if m := re.search(r"user name '([^']+)', password '([^']+)'", line):
            password = m.group(1), m.group(2)
        if m := re.search(r"admin: (http://127\.0\.0\.1:\d+/)", line):
            base = m.group(1)
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    if password is None:
        raise SystemExit("admin.serve printed no first administrator")
    return proc, base, password


def curator(instance: Path) -> tuple[str, str]:
    """A curator (all content) made with `flask --app admin create-user`."""
    user, password = "curator", "a long screenshot password"
    env = {**os.environ, "STORYKIOSK_ADMIN_INSTANCE_PATH": str(instance)}
    env.pop("STORYKIOSK_ADMIN_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "flask", "--app", "admin", "create-user", user,
                    "--role", "curator", "--name", "Cora Curator"], cwd=ROOT, env=env,
                   input=f"{password}\n{password}\n", text=True, check=True,
                   capture_output=True)
    return user, password


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        proc, base, _admin = start(Path(tmp))
        user, password = curator(Path(tmp))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 1100})
                page.goto(base + "login")
                page.get_by_label("User name").fill(user)
                page.get_by_label("Password").fill(password)
                page.get_by_role("button", name="Log in").click()
                for name, (path, whole) in PAGES.items():
                    page.goto(base + path)
                    page.screenshot(path=str(OUT / name), full_page=whole)
                    print(f"{OUT.relative_to(ROOT) / name}: {page.title()}")
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=20)


if __name__ == "__main__":
    main()
