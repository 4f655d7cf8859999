"""Museum staff in Debian's Chromium against the real server (gunicorn): the scene editor,
a refused concurrent save, the story map, the translation view, an upload and a refused
upload, a bundle import, activation and rollback, the preview and the play; and a pack, its
helpline and a three-scene story made from nothing in the browser, activated, and its ending
rendered by `kiosk screenshot` (issue 18).

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

from tests.support.isolation import free_port

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


# What the curator and the editor type; the checks below look for exactly these.
TOUR = {"pack": "tour-se", "title": "Harbour tour", "story": "harbour-lights",
        "helpline": "Kvinnofridslinjen", "number": "020-50 50 50", "hours": "24/7",
        "first": "Lina cleans the rooms of the harbour hotel.",
        "second": "The manager keeps her passport in his desk.",
        "ending": "A colleague sits with Lina while she calls the helpline."}


def test_a_pack_and_a_three_scene_story_made_in_the_browser_reach_the_kiosk(site, browser,
                                                                             tmp_path):
    """Issue 18: a new pack with its helpline and a story from nothing, activated, rendered."""
    import datetime as dt

    from playwright.sync_api import expect

    from kiosk.content import load_pack
    from kiosk.content.packstore import PackStore

    today = dt.date.today()
    cora = _page(browser, site, "cora")  # the curator makes the pack and its helpline
    cora.get_by_role("link", name="Packs").first.click()
    cora.get_by_role("link", name="New pack").click()
    cora.get_by_label("Pack id").fill(TOUR["pack"])
    cora.get_by_label("Title (in the default language)").fill(TOUR["title"])
    cora.get_by_label("Country (two letters, e.g. SE)").fill("SE")
    cora.get_by_label("Languages (codes, e.g. sv en ar)").fill("en sv")
    cora.get_by_label("Default language (the one stories are written in first)").fill("en")
    shot(cora, "17-new-pack")
    cora.get_by_role("button", name="Make the pack").click()
    expect(cora.get_by_role("status")).to_contain_text(f"Pack {TOUR['pack']} made")
    line = cora.locator("fieldset#helplines-0")
    line.get_by_label("Id", exact=True).fill("kvinnofrid")
    for lang in ("en", "sv"):
        line.locator("fieldset", has_text="Name").get_by_label(lang).fill(TOUR["helpline"])
        line.locator("fieldset", has_text="Hours").get_by_label(lang).fill(TOUR["hours"])
    line.locator("fieldset", has_text="Who it is for").get_by_label("en").fill(
        "Women facing violence")
    line.get_by_label("Number").fill(TOUR["number"])
    line.get_by_label("Languages it answers in").fill("sv en")
    line.get_by_label("Countries it can be reached from").fill("SE")
    line.get_by_label("Web address").fill("https://kvinnofridslinjen.se/")
    line.get_by_label("Last verified").fill(today.isoformat())
    cora.get_by_role("button", name="Save", exact=True).click()
    expect(cora.get_by_role("status")).to_contain_text("Pack settings saved")
    shot(cora, "18-pack-helpline")

    eddie = _page(browser, site, "eddie")  # the editor writes the story
    eddie.get_by_role("link", name="Stories").first.click()
    eddie.locator("section.pack", has=eddie.locator(f"h2#pack-{TOUR['pack']}")).get_by_role(
        "link", name="New story").click()
    eddie.get_by_label("Title", exact=True).fill("Harbour lights")
    eddie.get_by_label("Summary").fill("Lina works at a hotel by the harbour.")
    eddie.get_by_label("Text of the first scene").fill(TOUR["first"])
    eddie.get_by_role("button", name="Create the story").click()
    expect(eddie.get_by_role("status")).to_contain_text(f"Created story {TOUR['story']}")
    eddie.get_by_label("Kind").select_option("composite-fiction")
    eddie.get_by_label("Consent record reference").fill("CF-2026-101")
    eddie.get_by_label("Countries it may be shown in").fill("SE")
    eddie.get_by_label("Review date").fill((today + dt.timedelta(days=365)).isoformat())
    eddie.get_by_role("button", name="Save the settings").click()
    expect(eddie.get_by_role("status")).to_contain_text("Saved: the story's settings")
    shot(eddie, "19-story-settings")

    eddie.goto(site["base"] + f"stories/{TOUR['pack']}/{TOUR['story']}/map")
    for after, new_id, text in (("start", "passport", TOUR["second"]),
                                ("passport", "help", TOUR["ending"])):
        form = eddie.locator("form", has=eddie.get_by_label("After the scene"))
        form.get_by_label("After the scene").select_option(after)
        form.get_by_label("Id of the new scene").fill(new_id)
        form.get_by_label("Text", exact=True).fill(text)
        form.get_by_role("button", name="Add the scene").click()
        expect(eddie.get_by_role("status")).to_contain_text(f"add scene {new_id} after {after}")
    eddie.get_by_label("From the scene").select_option("start")
    eddie.get_by_label("To the scene").select_option("help")  # picked from the map's scenes
    eddie.get_by_label("Label of the choice").fill("Ask Lina how she is")
    eddie.get_by_label("Label for the way the scene already goes").fill("Look in the office")
    eddie.get_by_role("button", name="Add the choice").click()
    expect(eddie.get_by_role("status")).to_contain_text("add a choice from start to help")
    for sid in ("start", "passport", "help"):
        expect(eddie.locator(f'svg.story-map a[data-scene="{sid}"]')).to_have_count(1)
    shot(eddie, "20-story-map-three-scenes")

    cora.goto(site["base"] + "packs/")
    cora.locator("tr", has=cora.get_by_text(TOUR["pack"], exact=True)).get_by_role(
        "button", name="Install on this machine").click()
    expect(cora.get_by_role("status")).to_contain_text(f"Imported pack {TOUR['pack']} version")
    cora.locator(f"#versions-{TOUR['pack']}").get_by_role(
        "button", name=re.compile(r"^Activate ")).click()
    expect(cora.get_by_role("status")).to_contain_text("is active")
    shot(cora, "21-tour-active")
    assert eddie.csp_errors == [] and cora.csp_errors == []
    eddie.context.close()
    cora.context.close()

    active = PackStore(site["installed"]).active(TOUR["pack"])
    assert active is not None, "no version of the new pack is active"
    pack = load_pack(active).pack  # the kiosk's own loader, on the activated folder
    assert [(h.name["en"], h.number, h.hours["en"], h.countries, h.verified)
            for h in pack.helplines] == [(TOUR["helpline"], TOUR["number"], TOUR["hours"],
                                          ["SE"], today)]
    story = pack.stories[TOUR["story"]]
    assert story.start == "start" and story.consent.record == "CF-2026-101"
    assert [c.goto for c in story.scenes["start"].choices] == ["passport", "help"]
    assert story.scenes["passport"].next == "help"
    assert story.scenes["help"].ending is not None
    assert story.scenes["help"].text["en"].strip() == TOUR["ending"]
    raw = (active / "pack.yaml").read_text("utf-8")
    assert TOUR["number"] in raw and TOUR["helpline"] in raw

    out = tmp_path / "ending.png"
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy",
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    done = subprocess.run(
        [str(Path(sys.executable).with_name("kiosk")), "screenshot", str(active), "--screen", "ending",
         "--story", TOUR["story"], "--scene", "help", "--lang", "en", "--size", "1280x720",
         "-o", str(out)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    from PIL import Image

    with Image.open(out) as img:
        assert img.size == (1280, 720)
        colours = img.convert("RGB").getcolors(maxcolors=1 << 20)
    assert len(colours) > 50, "the ending rendered as a blank screen"
    assert max(n for n, _ in colours) < 0.95 * 1280 * 720, "the ending is one flat colour"
    shutil.copy(out, SHOTS / "22-kiosk-ending.png")
