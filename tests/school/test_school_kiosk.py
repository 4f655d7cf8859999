"""The kiosk's school mode on SDL's dummy driver: the staff menu's way in and out, the plain
choice screen without discussion mode, the code's tag on the record, midnight."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kiosk.school import SessionFinder, add_file
from tests.support.kiosk_driver import DEMO_PACK, make_app
from tests.support.school import record_rows

TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def kiosk(tmp_path, monkeypatch):
    """The demo pack's kiosk with a staff PIN and a code file kept by `kiosk school add`."""
    from kiosk.app import KioskConfig

    for name in ("CACHE", "CONFIG"):
        monkeypatch.setenv(f"STORYKIOSK_{name}_DIR", str(tmp_path / name.lower()))
    monkeypatch.setenv("STORYKIOSK_SYNC_SERVER", "")
    config = KioskConfig()
    config.set_pin("2468")
    driver = make_app(DEMO_PACK, tmp_path, config=config)
    data = tmp_path / "data"
    code_file = tmp_path / "school-session-CDEFGH.json"
    code_file.write_text(json.dumps({"format": 1, "session": {
        "code": "CDEFGH", "date": TODAY.isoformat(), "language": "sv", "pack": "demo",
        "stories": ["emil", "nadia"], "discussion": False, "age_group": "15-16"}}))
    add_file(code_file, data)
    driver.app.school_finder = SessionFinder(data, today=lambda: TODAY, usb_dirs=[])
    driver.frame()
    yield driver
    driver.app.close()


def open_staff_menu(driver) -> None:
    """Five taps in the staff corner, then the PIN."""
    corner = driver.app.staff_gesture.corner()
    for _ in range(5):
        driver.tap(corner.center, settle=0.1)
    assert driver.top.name == "staff"
    for digit in "2468":
        driver.press("pin:" + digit, 0.05)
    driver.press("pin:OK")
    assert driver.top.unlocked


def enter(driver, code: str) -> None:
    for ch in code:
        driver.press("code:" + ch, 0.05)
    driver.press("code:ok")


def test_staff_start_and_end_a_session_from_the_staff_menu(kiosk):
    open_staff_menu(kiosk)
    kiosk.press("school")
    assert kiosk.top.name == "school_code"
    enter(kiosk, "CDEFGJ")  # not a session: refused, the keypad stays
    assert kiosk.top.name == "school_code" and kiosk.app.ctx.school is None
    enter(kiosk, "CDEFGH")
    assert kiosk.app.ctx.school is not None and kiosk.screen == "attract"
    kiosk.tap((960, 400))
    assert kiosk.screen == "menu"  # the session's language: no language picker
    kiosk.press("back")
    assert kiosk.screen == "attract"  # and none on the way back either
    kiosk.tap((960, 400))
    assert sorted(k for k in kiosk.keys() if k.startswith("story:")) == [
        "story:emil", "story:nadia"]
    kiosk.press("story:emil")
    kiosk.press("continue")
    while kiosk.screen == "survey":
        kiosk.press("skip")
    for _ in range(10):
        if kiosk.screen in ("choice", "discussion"):
            break
        kiosk.press("continue" if kiosk.screen == "content_note" else "next")
    assert kiosk.screen == "choice"  # discussion mode is off for this session
    kiosk.press("leave")
    kiosk.tap((960, 400))
    open_staff_menu(kiosk)
    kiosk.press("school")  # now "End session"
    assert kiosk.top.purpose == "end"
    enter(kiosk, "CDEFG3")  # another code does not end it
    assert kiosk.app.ctx.school is not None
    enter(kiosk, "CDEFGH")
    assert kiosk.app.ctx.school is None and kiosk.screen == "attract"
    kiosk.tap((960, 400))
    assert kiosk.screen == "language"  # normal mode again
    kiosk.press("lang:en")
    assert "story:samir" in kiosk.keys()  # every story again
    kiosk.app.ctx.recorder.flush()
    rows = record_rows(kiosk.app.ctx.data_dir)
    codes = [r["payload"].get("school_code") for r in rows if r["kind"] == "session_started"]
    assert codes == ["CDEFGH", "CDEFGH", None]  # two visits in the session, one after


def test_the_session_ends_at_midnight_at_the_next_tap(kiosk):
    kiosk.press("school")
    enter(kiosk, "CDEFGH")
    mode = kiosk.app.ctx.school
    assert mode is not None and not mode.expired()
    mode.today = lambda: TODAY + dt.timedelta(days=1)
    kiosk.tap((960, 400))
    assert kiosk.app.ctx.school is None and kiosk.screen == "language"


def test_a_code_of_another_pack_or_day_is_refused(kiosk, tmp_path):
    from kiosk.school import CodeRefused

    pack = kiosk.app.ctx.pack
    finder = kiosk.app.school_finder
    for code, changes in (("CDEFG4", {"pack": "other"}), ("CDEFG6", {"date": "2026-11-27"}),
                          ("CDEFG7", {"stories": ["gone"]})):
        session = {"code": code, "date": TODAY.isoformat(), "language": "sv", "pack": "demo",
                   "stories": ["emil"], **changes}
        path = tmp_path / f"{code}.json"
        path.write_text(json.dumps({"format": 1, "session": session}))
        add_file(path, tmp_path / "data")
        with pytest.raises(CodeRefused) as refused:
            finder.find(code, pack)
        assert refused.value.reason == ("expired" if "date" in changes else "not_valid")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(CodeRefused):
        add_file(broken, tmp_path / "data")


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


def into_story(driver, story: str) -> None:
    """From the menu into a story's first scene (past its note and survey)."""
    driver.press("story:" + story)
    for _ in range(10):
        if driver.screen == "content_note":
            driver.press("continue")
        elif driver.screen == "survey":
            driver.press("skip")
        else:
            break
    assert driver.screen in ("passage", "choice", "discussion"), driver.screen


def test_a_record_session_never_spans_a_change_of_mode(kiosk):
    """Why the code on ``session_started`` tags every event of the session (docs/school.md,
    Running): entering or ending a code mid-visit ends that visit first, so each record
    session lies wholly inside or wholly outside a school session."""
    kiosk.tap((960, 400))
    kiosk.press("lang:en")  # an ordinary visit in progress...
    into_story(kiosk, "samir")
    open_staff_menu(kiosk)
    kiosk.press("school")
    enter(kiosk, "CDEFGH")  # ...when staff start the session
    kiosk.tap((960, 400))
    into_story(kiosk, "emil")  # a school visit in progress...
    open_staff_menu(kiosk)
    kiosk.press("school")
    enter(kiosk, "CDEFGH")  # ...when staff end it
    kiosk.tap((960, 400))
    kiosk.press("lang:en")
    into_story(kiosk, "samir")
    kiosk.app.flow.attract()
    kiosk.app.ctx.recorder.flush()
    rows = record_rows(kiosk.app.ctx.data_dir)
    starts = [r for r in rows if r["kind"] == "session_started"]
    assert [r["payload"].get("school_code") for r in starts] == [None, "CDEFGH", None]
    # Each session's events are one unbroken run from its start to its end: nothing of one
    # session is recorded after the next has started, so none crosses a change of mode.
    order = [r["session"] for r in rows]
    runs = [s for i, s in enumerate(order) if i == 0 or order[i - 1] != s]
    assert runs == [r["session"] for r in starts]
    for r in starts:
        kinds = [x["kind"] for x in rows if x["session"] == r["session"]]
        assert kinds[0] == "session_started" and kinds[-1] == "session_ended"
        assert "story_started" in kinds
