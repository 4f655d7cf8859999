"""The admin in Debian's Chromium, served by the real run command (gunicorn).

Log in, a wrong password, the lock-out, a page a role may not see, logout; screenshots of
the main pages go to test-artifacts/admin/ for review.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.isolation import free_port

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips these tests then
    expect = None

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "admin"
VIEWER_PASSWORD = "quiet museum morning"


@pytest.fixture(scope="module")
def live_admin(tmp_path_factory):
    """`python -m admin.serve` on a free port: (base URL, first administrator's password)."""
    instance = tmp_path_factory.mktemp("admin-instance")
    port = free_port()
    env = {**os.environ, "STORYKIOSK_ADMIN_INSTANCE_PATH": str(instance),
           "STORYKIOSK_ADMIN_PORT": str(port), "STORYKIOSK_ADMIN_WORKERS": "2"}
    env.pop("STORYKIOSK_ADMIN_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "admin.serve"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    password, base = None, None
    deadline = time.monotonic() + 30
    while base is None and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if m := re.search(r"password '([^']+)'", line):
            password = m.group(1)
        if m := re.search(r"admin: (http://127\.0\.0\.1:\d+/)", line):
            base = m.group(1)
    assert base and password, "the run command did not print its address and password"
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield base, password
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/setup installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) at tablet size."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    pg = context.new_page()
    errors = []
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.console_errors = errors
    yield pg
    context.close()


def shot(page, name):
    """Save a full-page screenshot for review."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page, base, username, password):
    """Fill in and send the login form."""
    page.goto(base + "login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def log_out(page):
    """Press the header's logout button."""
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def test_administrator_logs_in_creates_a_viewer_and_logs_out(live_admin, page):
    base, password = live_admin
    page.goto(base)
    assert page.url.startswith(base + "login")
    shot(page, "01-login")

    log_in(page, base, "admin", "not the password at all")
    assert page.get_by_role("alert").inner_text() == "Wrong user name or password."
    shot(page, "02-wrong-password")

    log_in(page, base, "admin", password)
    expect(page.get_by_role("heading", name="Welcome, Administrator")).to_be_visible()
    shot(page, "03-home-administrator")

    page.get_by_role("link", name="Staff accounts").first.click()
    page.get_by_role("link", name="New account").click()
    page.get_by_label("User name").fill("vera")
    page.get_by_label("Full name").fill("Vera Viewer")
    page.get_by_label("Role").select_option("viewer")
    page.get_by_label("First password").fill(VIEWER_PASSWORD)
    shot(page, "04-new-account")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("status")).to_have_text("Account vera created.")
    expect(page.get_by_role("cell", name="Vera Viewer")).to_be_visible()
    shot(page, "05-staff-accounts")

    page.get_by_role("link", name="vera").click()
    expect(page.get_by_label("Full name")).to_have_value("Vera Viewer")
    shot(page, "06-edit-account")
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("cell", name="user.create").first).to_be_visible()
    shot(page, "07-audit-log")
    page.get_by_role("link", name="Server settings").click()
    expect(page.get_by_role("cell", name="STORYKIOSK_ADMIN_PORT")).to_be_visible()
    shot(page, "07b-server-settings")
    log_out(page)
    page.goto(base + "users/")
    assert page.url.startswith(base + "login")
    refused = [e for e in page.console_errors if "Refused" in e or "Policy" in e]
    assert refused == [], refused  # the Content Security Policy blocked nothing of ours


def test_a_viewer_may_not_see_staff_accounts_and_uses_the_keyboard(live_admin, page):
    base, _ = live_admin
    page.goto(base + "login")
    for _ in range(3):  # the skip link, the site name, then the first field
        page.keyboard.press("Tab")
    expect(page.get_by_label("User name")).to_be_focused()
    page.keyboard.type("vera")
    page.keyboard.press("Tab")
    page.keyboard.type(VIEWER_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(base)
    expect(page.get_by_role("heading", name="Welcome, Vera Viewer")).to_be_visible()
    assert page.get_by_role("link", name="Staff accounts").count() == 0
    shot(page, "08-home-viewer")

    response = page.goto(base + "users/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Not for your role")).to_be_visible()
    shot(page, "09-forbidden")

    page.goto(base + "account/")
    page.get_by_label("Interface language").select_option("el")
    page.get_by_role("button", name="Save").first.click()
    # the save redirects to the same address: wait for the page it draws, not the click
    expect(page.get_by_role("heading", name="Ο λογαριασμός μου")).to_be_visible()
    shot(page, "10-account-greek")
    page.get_by_role("button", name="Αποσύνδεση").click()
    page.goto(base)
    assert page.url.startswith(base + "login")


def test_five_wrong_passwords_lock_the_account(live_admin, page):
    base, _ = live_admin
    for _ in range(5):
        log_in(page, base, "vera", "wrong password again")
        assert page.get_by_role("alert").inner_text() == "Wrong user name or password."
    log_in(page, base, "vera", VIEWER_PASSWORD)
    assert "Too many failed attempts" in page.get_by_role("alert").inner_text()
    assert page.url.startswith(base + "login")
    shot(page, "11-locked-out")


def test_the_login_page_on_a_portrait_tablet(live_admin, browser):
    base, _ = live_admin
    context = browser.new_context(viewport={"width": 768, "height": 1024},
                                  locale="sv-SE", extra_http_headers={"Accept-Language": "sv"})
    pg = context.new_page()
    pg.goto(base + "login")
    expect(pg.get_by_role("heading", name="Logga in")).to_be_visible()
    shot(pg, "12-login-swedish-portrait")
    context.close()
