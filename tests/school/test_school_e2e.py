"""The whole path of a school session, with every part real.

A pedagogue prepares a session in Debian's Chromium against the admin under gunicorn; a
kiosk (the pygame app on SDL's dummy driver) asks that admin for the code with its token,
offers only the session's stories, and a class plays in discussion mode; another kiosk has
ordinary visitors; both sync with ``kiosk sync``; the pedagogue opens the results, whose
every number is checked against the kiosks' own record files. A code of yesterday is refused,
and the story above the age group appears nowhere. Screenshots: test-artifacts/school/.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pygame
import pytest
from school_helpers import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    FEWER,
    LiveAdmin,
    count,
    kiosk_sync,
    last_answers,
    last_choices,
    play_general_visitors,
    published,
    record_rows,
    sessions_of,
)

from kiosk.i18n import strings as S
from tests.kiosk.conftest import DEMO_PACK, make_app

pytestmark = pytest.mark.browser
PASSWORD = "a long pedagogue passphrase"
CHROME = {"language", "text_size", "sound", "help", "leave", "back"}
CLASS_VISITS = 6
# The class's answers: q_leave moves from "agree" (4) to "disagree" (2); the others vary.
BEFORE = {"q_leave": lambda i: 4}
AFTER = {"q_leave": lambda i: 2}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The admin server, a pedagogue, and two registered kiosks (tokens)."""
    tmp = tmp_path_factory.mktemp("school")
    server = LiveAdmin(tmp / "instance", tmp / "admin-data")
    app = server.app()
    from admin.cli import create_user
    from admin.db import database
    from admin.feedback import registry

    create_user(app, "pia", PASSWORD, "pedagogue", "Pia", check=False)
    with database(app).session() as db:
        _k1, token1 = registry.register(db, "Hall 1 (class)", None, "test")
        _k2, token2 = registry.register(db, "Hall 2", None, "test")
        db.commit()
    yield {"server": server, "base": server.base, "app": app, "tokens": (token1, token2),
           "tmp": tmp}
    server.stop()
    database(app).dispose()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/setup installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def shot(page, name: str) -> None:
    """A full-page screenshot of the admin for review."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def kiosk_shot(driver, name: str) -> None:
    """The kiosk's current frame for review."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pygame.image.save(driver.app.surface, str(ARTIFACTS / f"{name}.png"))


def log_in(page, base: str) -> None:
    """The pedagogue logs in through the form."""
    page.goto(base + "login")
    page.get_by_label("User name").fill("pia")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def create_session(page, base: str) -> str:
    """Prepare a session for 13-14 year olds in English, discussion mode; return its code."""
    page.get_by_role("navigation").get_by_role("link", name="School sessions").click()
    page.get_by_role("link", name="Prepare a session").click()
    page.get_by_label("Age group").select_option("13-14")
    page.get_by_label("Language at the kiosk").select_option("en")
    shot(page, "01-prepare-step1")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Create the session").wait_for()
    boxes = page.locator('input[name="stories"]')
    offered = sorted(boxes.nth(i).get_attribute("value") for i in range(boxes.count()))
    assert offered == ["emil", "samir"], offered  # nadia is for 15 and older
    assert "nadia" in page.locator("#not-offered").inner_text()
    page.get_by_label("Date of the visit").fill(dt.date.today().isoformat())
    page.locator("#discussion").check()
    page.get_by_label("Number of kiosks").fill("2")
    page.get_by_label("Your own note (not shown at the kiosk)").fill("Class 8B")
    shot(page, "02-prepare-step2")
    page.get_by_role("button", name="Create the session").click()
    page.locator("#code").wait_for()
    code = page.locator("#code").inner_text().strip()
    assert len(code) == 6 and not set(code) & set("0O1IL5S2Z8B"), code
    assert page.locator(".qr svg").count() == 1
    shot(page, "03-session")
    return code


def type_code(driver, code: str) -> None:
    """The pedagogue taps the code on the kiosk's keypad and OK."""
    for ch in code:
        driver.press("code:" + ch, 0.05)
    driver.press("code:ok")


def own_keys(driver) -> list[str]:
    """The screen's own buttons (not the chrome)."""
    return [k for k in driver.keys() if k not in CHROME]


def class_visit(driver, i: int, pack, shoot=None, hands=None) -> None:
    """One visit of the class in discussion mode: emil, through to the menu, then Leave now.

    ``driver`` says what is on the screen; ``hands`` taps (the driver itself, or the real
    window's xdotool with the driver as its shadow); ``shoot(name)`` saves a screenshot.
    """
    hands = hands or driver
    hands.tap((960, 540))  # attract -> menu (the session's language, no picker)
    assert driver.screen == "menu"
    assert sorted(k for k in own_keys(driver) if k.startswith("story:")) == [
        "story:emil", "story:samir"]
    if shoot:
        shoot("12-kiosk-menu")
    hands.press("story:emil")
    for _ in range(80):
        screen, keys = driver.screen, own_keys(driver)
        if screen == "discussion":
            view = driver.top.view
            scene = pack.stories["emil"].scenes[view.scene_id]
            if scene.discussion:
                assert driver.top.prompt == scene.discussion["en"]
            if shoot and view.scene_id == "teacher":
                shoot("13-kiosk-discussion")
                hands.press("show_others")
                shoot("14-kiosk-discussion-others")
            pick = {"teacher": "get-help"}.get(view.scene_id)
            choices = [k for k in keys if k.startswith("choice:")]
            hands.press(f"choice:{pick}" if f"choice:{pick}" in choices else choices[-1])
        elif screen == "choice":
            raise AssertionError("discussion mode must replace the choice screen")
        elif screen == "survey":
            top = driver.top
            qid = top.questions[top.index].id if top.index < len(top.questions) else None
            phase = top.params.get("phase")
            rule = (BEFORE if phase == "before" else AFTER).get(qid)
            answer = rule(i) if rule else (i + len(qid or "")) % 5 + 1
            hands.press(f"answer:{answer}" if f"answer:{answer}" in keys else keys[0])
        elif screen == "menu":
            break
        else:
            for key in ("continue", "next", "done"):
                if key in keys:
                    hands.press(key)
                    break
            else:
                raise AssertionError(f"stuck on {screen}: {keys}")
    assert driver.screen == "menu"
    hands.press("leave")
    hands.tap((960, 540))
    assert driver.screen == "attract"


def test_a_class_visit_from_preparation_to_results(live, browser, tmp_path, monkeypatch):
    base, (token1, token2) = live["base"], live["tokens"]
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    log_in(page, base)
    code = create_session(page, base)

    page.get_by_role("link", name="guide").first.click()
    assert "What made Sara and Maria worried?" in page.locator("#points").inner_text()
    assert "112" in page.locator("#helplines").inner_text()
    shot(page, "04-guide")
    page.emulate_media(media="print")
    assert not page.locator("p.no-print").is_visible()
    shot(page, "05-guide-print")
    page.emulate_media(media="screen")

    # A session of yesterday, as the admin would hold it the day after.
    from admin.db import database
    from admin.models_school import SchoolSession

    with database(live["app"]).session() as db:
        db.add(SchoolSession(code="YYYYYY", day=dt.date.today() - dt.timedelta(days=1),
                             age_group="13-14", language="en", pack="demo",
                             stories="emil", discussion=False, kiosks=1, label="",
                             created_by="pia"))
        db.commit()

    # The class's kiosk: its sync settings name the admin; the code is looked up there.
    tmp = tmp_path
    monkeypatch.setenv("STORYKIOSK_CACHE_DIR", str(tmp / "cache"))
    monkeypatch.setenv("STORYKIOSK_CONFIG_DIR", str(tmp / "config"))
    monkeypatch.setenv("STORYKIOSK_DATA_DIR", str(tmp / "data"))
    monkeypatch.setenv("STORYKIOSK_SCHOOL_DIRS", str(tmp / "no-usb"))
    from kiosk.sync import SyncConfig, save_config

    (tmp / "config").mkdir()
    save_config(SyncConfig(base.rstrip("/"), token1), tmp / "config")
    driver = make_app(DEMO_PACK, tmp)
    pack = driver.app.ctx.pack
    try:
        driver.frame()
        kiosk_shot(driver, "10-kiosk-attract")
        driver.press("school")
        type_code(driver, "YYYYYY")
        assert driver.app.ctx.school is None
        assert driver.top.message == driver.app.ctx.t(S.CODE_EXPIRED) == "Koden har gått ut"
        kiosk_shot(driver, "11-kiosk-code-expired")
        type_code(driver, "HJKMNP")
        assert driver.top.message == driver.app.ctx.t(S.CODE_NOT_VALID)
        type_code(driver, code)
        school = driver.app.ctx.school
        assert school is not None and school.code == code and school.discussion
        assert driver.screen == "attract"
        for i in range(CLASS_VISITS):
            class_visit(driver, i, pack,
                        shoot=(lambda name: kiosk_shot(driver, name)) if i == 0 else None)
        # Ending the session: the code again, then the kiosk is back to normal.
        driver.press("school")
        type_code(driver, code)
        assert driver.app.ctx.school is None
        driver.tap((960, 540))
        assert driver.screen == "language"
    finally:
        driver.app.close()

    class_data = tmp / "data"
    other_data = tmp / "other-kiosk"
    play_general_visitors(other_data, pack, 24)
    for data_dir, token in ((class_data, token1), (other_data, token2)):
        done = kiosk_sync(data_dir, base, token, tmp)
        assert done.returncode == 0, done.stdout + done.stderr

    rows = record_rows(class_data)
    other = record_rows(other_data)
    mine = sessions_of(rows, code)
    assert len(mine) == CLASS_VISITS
    assert all(r["payload"].get("school_code") == code for r in rows
               if r["kind"] == "session_started")
    assert not any(r["payload"].get("story") == "nadia" for r in rows)
    # The school alternative was played: the class never saw the scene it replaces.
    shown = {r["payload"]["scene"] for r in rows if r["kind"] == "scene_shown"}
    assert "debt-school" in shown and "debt" not in shown

    page.goto(base + f"school-sessions/{code}/results")
    shot(page, "20-results")
    assert page.locator("#sessions").inner_text() == str(CLASS_VISITS)
    story_row = page.locator('#stories tr[data-story="emil"] td')
    started = {r["session"] for r in rows if r["kind"] == "story_started"}
    assert story_row.nth(0).inner_text() == count(len(started & mine))

    mine_choices = last_choices(rows, mine)
    all_choices = last_choices(other, sessions_of(other, None))
    assert mine_choices[("emil", "teacher")]["get-help"] == CLASS_VISITS
    for (story, scene), cells in mine_choices.items():
        order = [c.id for c in pack.stories[story].scenes[scene].choices]
        table = page.locator(f"#point-{story}-{scene}")
        expected_mine = published(cells, order)
        expected_all = published(all_choices.get((story, scene), {}), order)
        for cid in order:
            row = table.locator(f'tr[data-choice="{cid}"]')
            assert row.locator("td.class").inner_text() == expected_mine[cid], (scene, cid)
            assert row.locator("td.all").inner_text() == expected_all[cid], (scene, cid)
        total = table.locator("tr.total")
        assert total.locator("td.class").inner_text() == count(sum(cells.values()))

    answers = last_answers(rows, mine)
    seen_suppressed = False
    for q in pack.surveys.before:
        table = page.locator(f"#q-{q.id}")
        for phase in ("before", "after"):
            given = answers.get((q.id, phase), {})
            cells: dict[str, int] = {}
            for value in given.values():
                cells[str(value)] = cells.get(str(value), 0) + 1
            expected = published(cells, [str(n) for n in range(1, 6)])
            seen_suppressed |= FEWER in expected.values()
            for value, text in expected.items():
                cell = table.locator(f'tr[data-answer="{value}"] td.{phase}')
                assert cell.inner_text() == text, (q.id, phase, value)
    shift = page.locator("#q-q_leave tr.shift td").inner_text()
    assert shift == "-2.00"
    assert seen_suppressed, "the class's varied answers must hide some small cells"
    context.close()


def test_a_code_from_yesterday_in_a_signed_file_is_refused(tmp_path):
    """Offline: the code file is signed for the kiosk, but its day has passed."""
    import hashlib

    from admin.school.codes import code_file
    from kiosk.content import load_cached
    from kiosk.school import CodeRefused, SessionFinder
    from kiosk.sync import SyncConfig

    pack = load_cached(DEMO_PACK).pack
    token = "sk_" + "x" * 40
    usb = tmp_path / "stick"
    usb.mkdir()
    today = dt.date(2026, 11, 28)
    for code, day in (("CDEFGH", today - dt.timedelta(days=1)), ("CDEFGJ", today)):
        session = {"code": code, "date": day.isoformat(), "language": "sv", "pack": "demo",
                   "stories": ["emil"], "discussion": False, "age_group": "13-14"}
        signed = code_file(session, [hashlib.sha256(token.encode()).hexdigest()])
        (usb / f"school-session-{code}.json").write_text(__import__("json").dumps(signed))
    finder = SessionFinder(tmp_path / "data", sync_config=SyncConfig("http://127.0.0.1:9", token),
                           today=lambda: today, usb_dirs=[usb], timeout=0.5)
    with pytest.raises(CodeRefused) as refused:
        finder.find("CDEFGH", pack)
    assert refused.value.reason == "expired"
    mode = finder.find("cdef-gj", pack)
    assert mode.code == "CDEFGJ" and mode.stories == ["emil"] and not mode.expired()
    # The code expires at midnight, even while it runs.
    mode.today = lambda: today + dt.timedelta(days=1)
    assert mode.expired()
    os.environ.pop("STORYKIOSK_SCHOOL_DIRS", None)


@pytest.mark.xvfb
@pytest.mark.skipif(not all(shutil.which(t) for t in ("Xvfb", "xdotool", "import", "xwininfo")),
                    reason="needs Xvfb, xdotool, xwininfo and ImageMagick's import")
def test_the_real_kiosk_window_runs_a_session_tapped_with_xdotool(live, tmp_path, monkeypatch):
    """`kiosk play` in an X window: the keypad, a class visit in discussion mode, by xdotool."""
    from admin.db import database
    from admin.models_school import SchoolSession
    from tests.kiosk import test_e2e_xvfb
    from tests.kiosk.test_e2e_xvfb import RealKiosk

    monkeypatch.setattr(test_e2e_xvfb, "ARTIFACTS", ARTIFACTS)  # its screenshots go with ours

    today = dt.date.today()
    with database(live["app"]).session() as db:
        for code, day in (("XVFHKM", today), ("XVFHKN", today - dt.timedelta(days=1))):
            db.add(SchoolSession(code=code, day=day, age_group="13-14", language="en",
                                 pack="demo", stories="emil,samir", discussion=True, kiosks=1,
                                 label="", created_by="pia"))
        db.commit()
    # Both the real kiosk and its shadow ask the admin, with the class kiosk's token.
    monkeypatch.setenv("STORYKIOSK_SYNC_SERVER", live["base"].rstrip("/"))
    monkeypatch.setenv("STORYKIOSK_SYNC_TOKEN", live["tokens"][0])
    monkeypatch.setenv("STORYKIOSK_SCHOOL_DIRS", str(tmp_path / "no-usb"))
    monkeypatch.setenv("STORYKIOSK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("STORYKIOSK_CONFIG_DIR", str(tmp_path / "shadow-config"))
    display = _start_xvfb()
    k = None
    try:
        k = RealKiosk(display[0], DEMO_PACK, tmp_path)
        pack = k.shadow.app.ctx.pack
        k.press("school")
        for ch in "XVFHKN":
            k.press("code:" + ch, wait=0.2)
        k.press("code:ok", wait=1.5)
        assert k.shadow.app.ctx.school is None
        k.shot("30-xvfb-code-yesterday")
        for ch in "XVFHKM":
            k.press("code:" + ch, wait=0.2)
        k.press("code:ok", wait=1.5)
        assert k.shadow.app.ctx.school is not None
        class_visit(k.shadow, 0, pack, hands=k,
                    shoot=lambda name: k.matches_shadow(name.replace("kiosk", "xvfb"),
                                                        tolerance=4.0))
    finally:
        if k is not None:
            k.close()
        display[1].terminate()
        display[1].wait(10)
    rows = record_rows(tmp_path / "real-data")
    started = [r for r in rows if r["kind"] == "session_started"]
    assert started and all(r["payload"].get("school_code") == "XVFHKM" for r in started)
    chosen = [r["payload"] for r in rows if r["kind"] == "choice_made"]
    assert {"story": "emil", "scene": "teacher", "choice": "get-help"} in chosen


def _start_xvfb():
    """A fresh Xvfb display: (":N", process)."""
    import subprocess
    import time

    for number in range(141, 190):
        if not Path(f"/tmp/.X{number}-lock").exists():
            break
    display = f":{number}"
    proc = subprocess.Popen(["Xvfb", display, "-screen", "0", "1920x1080x24", "-nolisten",
                             "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        assert time.monotonic() < deadline, "Xvfb did not start"
        time.sleep(0.05)
    return display, proc
