"""Museum staff in Debian's Chromium against the real server (gunicorn): the scene editor,
a refused concurrent save, the story map, the translation view, an upload and a refused
upload, a bundle import, activation and rollback, the preview and the play.

Screenshots of every main page go to test-artifacts/admin-content/ for review.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.isolation import free_port

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SHOTS = ROOT / "test-artifacts" / "admin-content"
PASSWORD = "a long browser passphrase 7"
VALID = ROOT / "tests" / "fixtures" / "packs" / "valid"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The admin under gunicorn on a copy of the demo pack, with staff of each content role."""
    base_dir = tmp_path_factory.mktemp("content-site")
    pack = base_dir / "demo"
    shutil.copytree(ROOT / "content", pack)
    instance = base_dir / "instance"
    env_settings = {"INSTANCE_PATH": str(instance), "CONTENT_PACKS": str(pack),
                    "PACKS_DIR": str(base_dir / "installed")}
    from admin import create_app
    from admin.accounts import create_user
    from admin.db import database

    app = create_app(dict(env_settings))
    database(app).migrate()
    for name, role, langs in (("cora", "curator", ""), ("eddie", "editor", ""),
                              ("flo", "editor", ""), ("tina", "translator", "en")):
        create_user(app, name, PASSWORD, role, name.title(), langs, check=False)
    database(app).dispose()
    port = free_port()
    env = {**os.environ, "STORYKIOSK_ADMIN_PORT": str(port), "STORYKIOSK_ADMIN_WORKERS": "2"}
    env.update({f"STORYKIOSK_ADMIN_{k}": v for k, v in env_settings.items()})
    env.pop("STORYKIOSK_ADMIN_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "admin.serve"], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = None
    deadline = time.monotonic() + 30
    while base is None and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if m := re.search(r"admin: (http://127\.0\.0\.1:\d+/)", line):
            base = m.group(1)
    assert base, "the run command did not print its address"
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield {"base": base, "pack": pack, "installed": base_dir / "installed", "dir": base_dir}
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


def _page(browser, site, user):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.csp_errors = []
    page.on("console", lambda m: page.csp_errors.append(m.text)
            if m.type == "error" and ("Refused" in m.text or "Policy" in m.text) else None)
    page.goto(site["base"] + "login")
    page.get_by_label("User name").fill(user)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(site["base"])
    return page


def shot(page, name):
    """Save a full-page screenshot for review."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_an_editor_edits_a_scene_and_a_second_save_merges_or_asks(site, browser):
    from playwright.sync_api import expect

    eddie = _page(browser, site, "eddie")
    eddie.get_by_role("link", name="Stories").first.click()
    expect(eddie.get_by_role("heading", name="Stories")).to_be_visible()
    shot(eddie, "01-stories")
    eddie.get_by_role("link", name="A small favour").click()
    shot(eddie, "02-story")
    eddie.get_by_role("link", name="Story map").click()
    expect(eddie.locator("svg.story-map")).to_be_visible()
    shot(eddie, "03-story-map")
    eddie.locator('a[data-scene="start"]').click()
    expect(eddie.get_by_role("heading", name="Scene start")).to_be_visible()

    flo = _page(browser, site, "flo")  # a colleague opens the same scene
    flo.goto(eddie.url)

    english = eddie.get_by_label("English en", exact=True)
    english.fill(english.input_value().replace("Emil is fifteen.", "Emil is fifteen years old."))
    eddie.get_by_role("button", name="Save scene").click()
    expect(eddie.get_by_role("status")).to_contain_text("Saved: scene start")
    shot(eddie, "04-scene-saved")
    assert "Emil is fifteen years old." in (site["pack"] / "stories" / "emil.yaml").read_text()

    # Flo, on the form opened before, changes the Swedish and the same English sentence
    flo.get_by_label("Svenska sv", exact=True).fill("Flos version av texten.")
    flo.get_by_label("English en", exact=True).fill("Flo's English.")
    flo.get_by_role("button", name="Save scene").click()
    expect(flo.get_by_role("heading", name="Choose between two changes")).to_be_visible()
    expect(flo.get_by_role("alert")).to_contain_text("eddie changed this story at")
    clashes = flo.locator("table.clashes")
    expect(clashes).to_contain_text("Emil is fifteen years old.")
    expect(clashes).to_contain_text("Flo's English.")
    expect(clashes).not_to_contain_text("Flos version")  # only Flo changed it: merged
    shot(flo, "05-second-save-chooses")
    assert "Flos version" not in (site["pack"] / "stories" / "emil.yaml").read_text()
    flo.get_by_label("Keep theirs").check()
    flo.get_by_role("button", name="Save my choices").click()
    expect(flo.get_by_role("status")).to_contain_text("Merged with eddie's change of")
    text = (site["pack"] / "stories" / "emil.yaml").read_text()
    assert "Flos version av texten." in text and "Emil is fifteen years old." in text
    assert "Flo's English." not in text

    eddie.goto(eddie.url.replace("/scenes/start", "/scenes/gifts"))
    eddie.get_by_label("Only when (condition)").first.fill("saw_it and (")
    eddie.get_by_role("button", name="Save scene").click()
    expect(eddie.locator("#choices-0-if-findings")).to_contain_text("Error")
    shot(eddie, "06-error-beside-field")

    eddie.goto(site["base"] + "stories/demo/emil/history")
    eddie.get_by_role("link", name=re.compile(r"#\d+")).last.click()  # eddie's, the oldest
    expect(eddie.locator("pre.diff .add")).to_contain_text("fifteen years old")
    shot(eddie, "07-revision-diff")
    eddie.get_by_role("button", name="Restore the file as it was before this revision").click()
    expect(eddie.get_by_role("status")).to_contain_text("Restored")
    assert "Emil is fifteen years old." not in (site["pack"] / "stories" / "emil.yaml").read_text()
    assert eddie.csp_errors == [] and flo.csp_errors == []
    flo.context.close()
    eddie.context.close()


def test_a_translator_works_side_by_side_in_their_language(site, browser):
    from playwright.sync_api import expect

    tina = _page(browser, site, "tina")
    tina.get_by_role("link", name="Translations").first.click()
    expect(tina.get_by_role("link", name="Download demo-en.po")).to_be_visible()
    expect(tina.get_by_role("link", name="Download demo-sv.po")).to_have_count(0)
    shot(tina, "08-translations")
    tina.goto(site["base"] + "translations/demo/samir?target=en")
    row = tina.locator("#samir-scenes-start-text textarea")
    row.fill("Samir is thirty-four and has two daughters. (Revised.)")
    tina.get_by_role("button", name="Save English").click()
    expect(tina.get_by_role("status")).to_contain_text("Saved")
    shot(tina, "09-side-by-side")
    assert "(Revised.)" in (site["pack"] / "stories" / "samir.yaml").read_text()
    with tina.expect_download() as dl:
        tina.goto(site["base"] + "translations/")
        tina.get_by_role("link", name="Download demo-en.po").click()
    assert b'msgctxt "samir/scenes/start/text"' in Path(dl.value.path()).read_bytes()
    assert tina.goto(site["base"] + "translations/demo/samir?target=sv").status == 403
    tina.context.close()


def _png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (320, 200), (40, 90, 140)).save(buf, "PNG")
    return buf.getvalue()


def test_an_upload_and_a_refused_upload(site, browser, tmp_path):
    from playwright.sync_api import expect

    eddie = _page(browser, site, "eddie")
    eddie.get_by_role("link", name="Media").first.click()
    good = tmp_path / "Harbour at dawn.png"
    good.write_bytes(_png_bytes())
    eddie.get_by_label("File", exact=True).set_input_files(str(good))
    eddie.get_by_label("Alt text: what the picture shows").fill("A harbour at dawn.")
    eddie.get_by_label("Tags (comma-separated)").fill("harbour, dawn")
    eddie.get_by_role("button", name="Upload").click()
    expect(eddie.get_by_role("status")).to_contain_text("Stored as images/harbour-at-dawn.png")
    eddie.goto(site["base"] + "media/demo/?folder=images")
    shot(eddie, "10-media-uploaded")
    bad = tmp_path / "innocent.jpg"
    bad.write_text("#!/bin/sh\nrm -rf /\n")
    before = sorted(p.name for p in (site["pack"] / "media").rglob("*"))
    eddie.get_by_label("File", exact=True).set_input_files(str(bad))
    eddie.get_by_role("button", name="Upload").click()
    expect(eddie.get_by_role("status")).to_contain_text("Refused, nothing was stored")
    shot(eddie, "11-media-refused")
    assert sorted(p.name for p in (site["pack"] / "media").rglob("*")) == before
    eddie.context.close()


def _bundle(tmp: Path, version: str) -> Path:
    from kiosk.content.bundle import build_bundle

    pack = tmp / f"pack-{version}"
    shutil.copytree(VALID, pack)
    text = (pack / "pack.yaml").read_text().replace('version: "1.0"', f'version: "{version}"')
    (pack / "pack.yaml").write_text(text)
    out = tmp / f"test-{version}.zip"
    build_bundle(pack, out)
    return out


def test_a_curator_imports_activates_and_rolls_back(site, browser, tmp_path):
    from playwright.sync_api import expect

    from kiosk.content.packstore import PackStore

    cora = _page(browser, site, "cora")
    cora.get_by_role("link", name="Packs").first.click()
    for version in ("1.0", "1.1"):
        cora.get_by_label("Bundle (.zip)").set_input_files(str(_bundle(tmp_path, version)))
        cora.get_by_role("button", name="Import").click()
        expect(cora.get_by_role("status")).to_contain_text(f"version {version}")
        cora.get_by_role("button", name=f"Activate {version}").click()
        expect(cora.get_by_role("status")).to_contain_text("is active")
    shot(cora, "12-packs-two-versions")
    store = PackStore(site["installed"])
    assert store.active("test").name.startswith("1.1-")

    evil = tmp_path / "evil.zip"
    import zipfile

    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("manifest.json", '{"format": 1, "pack_id": "test", "version": "6", '
                   '"created": "x", "files": {"../../etc/cron.d/x": {"size": 1, '
                   '"sha256": "00"}}}')
        z.writestr("../../etc/cron.d/x", "x")
    cora.get_by_label("Bundle (.zip)").set_input_files(str(evil))
    cora.get_by_role("button", name="Import").click()
    expect(cora.get_by_role("status")).to_contain_text("Refused, nothing was installed")
    shot(cora, "13-import-refused")
    assert [v.version for v in store.versions("test")] == ["1.0", "1.1"]

    cora.get_by_role("button", name="Roll back to 1.0").click()  # names the version it restores
    expect(cora.get_by_role("status")).to_contain_text("rolled back")
    shot(cora, "14-rolled-back")
    assert store.active("test").name.startswith("1.0-")
    cora.context.close()


def test_a_scene_preview_and_the_play(site, browser):
    from playwright.sync_api import expect

    eddie = _page(browser, site, "eddie")
    eddie.goto(site["base"] + "preview/demo/nadia/home?lang=el")
    img = eddie.locator("img.preview")
    expect(img).to_be_visible()
    eddie.wait_for_function("document.querySelector('img.preview').naturalWidth > 0")
    shot(eddie, "15-preview-greek")
    eddie.goto(site["base"] + "preview/demo/samir/play?lang=en")
    for _ in range(40):
        buttons = eddie.locator("section.play form button:not(.plain)")
        if buttons.count() == 0 or "Play again" in buttons.first.inner_text():
            break
        with eddie.expect_navigation():
            buttons.first.click()
    expect(eddie.get_by_role("heading", name="Help", exact=True)).to_be_visible()
    shot(eddie, "16-play-ending")
    assert eddie.csp_errors == []
    eddie.context.close()
