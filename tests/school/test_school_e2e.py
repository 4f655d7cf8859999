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
import time
from pathlib import Path

import pygame
import pytest

from kiosk.i18n import strings as S
from tests.support.kiosk_driver import DEMO_PACK, make_app
from tests.support.school import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    FEWER,
    HIDDEN,
    class_visit,
    count,
    kiosk_sync,
    last_answers,
    last_choices,
    play_general_visitors,
    published_problems,
    record_rows,
    sessions_of,
)

pytestmark = pytest.mark.browser
PASSWORD = "a long pedagogue passphrase"
CLASS_VISITS = 6


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

    # Live results would let one compare the page before and after one visit: nothing shows
    # until the pedagogue closes the session, and then only after the kiosks' grace period.
    page.goto(base + f"school-sessions/{code}/results")
    assert page.locator("#pending").is_visible() and page.locator("#sessions").count() == 0
    page.goto(base + f"school-sessions/{code}")
    page.locator("#confirm-close").check()
    page.locator("#close-session").click()
    page.locator("#closed").wait_for(timeout=10_000)
    shot(page, "19-closed")
    from sqlalchemy import select

    from admin.models import utcnow
    from admin.school.publish import GRACE

    with database(live["app"]).session() as db:  # as if the grace period were nearly over
        row = db.scalar(select(SchoolSession).where(SchoolSession.code == code))
        row.closed_at = utcnow() - GRACE + dt.timedelta(seconds=2)
        db.commit()
    time.sleep(2.5)
    page.goto(base + f"school-sessions/{code}/results")
    shot(page, "20-results")
    assert page.locator("#sessions").inner_text() == str(CLASS_VISITS)
    story_row = page.locator('#stories tr[data-story="emil"] td')
    started = {r["session"] for r in rows if r["kind"] == "story_started"}
    assert story_row.nth(0).inner_text() == count(len(started & mine))

    # Discussion mode: each play's choices in full, as the group decided them.
    plays = [r for r in rows if r["kind"] == "story_started" and r["session"] in mine]
    assert page.locator("#paths ol.path").count() == len(plays)
    tapped = sorted(r["payload"]["choice"] for r in rows
                    if r["kind"] == "choice_made" and r["session"] in mine)
    listed = page.locator("#paths li[data-choice]")
    assert sorted(listed.nth(i).get_attribute("data-choice")
                  for i in range(listed.count())) == tapped
    mine_choices = last_choices(rows, mine)
    all_choices = last_choices(other, sessions_of(other, None))
    assert mine_choices[("emil", "teacher")]["get-help"] == CLASS_VISITS
    for (story, scene), cells in mine_choices.items():
        order = [c.id for c in pack.stories[story].scenes[scene].choices]
        table = page.locator(f"#point-{story}-{scene}")
        total = table.locator("tr.total")
        for column, counts, unanimity in (("class", cells, True),
                                          ("all", all_choices.get((story, scene), {}), False)):
            got = {cid: table.locator(f'tr[data-choice="{cid}"] td.{column}').inner_text()
                   for cid in order}
            assert not published_problems(counts, order, got,
                                          total.locator(f"td.{column}").inner_text(),
                                          unanimity), (scene, column, got)

    answers = last_answers(rows, mine)
    seen_suppressed = False
    for q in pack.surveys.before:
        table = page.locator(f"#q-{q.id}")
        for phase in ("before", "after"):
            given = answers.get((q.id, phase), {})
            cells: dict[str, int] = {}
            for value in given.values():
                cells[str(value)] = cells.get(str(value), 0) + 1
            keys = [str(n) for n in range(1, 6)]
            got = {value: table.locator(f'tr[data-answer="{value}"] td.{phase}').inner_text()
                   for value in keys}
            seen_suppressed |= FEWER in got.values()
            assert not published_problems(cells, keys, got, table.locator(
                f"tr.n td.{phase}").inner_text(), unanimity=True), (q.id, phase, got)
    # Every visit agreed 4 before and 2 after: unanimous, so no cell, mean or shift shows.
    assert page.locator("#q-q_leave tr.shift td").inner_text() == "–"
    assert page.locator('#q-q_leave tr[data-answer="4"] td.before').inner_text() == HIDDEN
    assert seen_suppressed, "the class's varied answers must hide some small cells"
    context.close()


