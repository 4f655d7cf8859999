"""The real kiosk window (`kiosk play`) under Xvfb, tapped with xdotool, against the admin
under gunicorn: yesterday's code refused, today's taken, a class visit in discussion mode;
each screenshot is compared with a headless shadow app driven through the same taps."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from tests.support.isolation import start_xvfb
from tests.support.kiosk_driver import DEMO_PACK
from tests.support.school import ARTIFACTS, class_visit, record_rows


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
    display = start_xvfb((1920, 1080))
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
