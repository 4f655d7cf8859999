"""Unattended operation: staff gesture and PIN, failures, pack changes, no display."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.support.kiosk_driver import FIXTURE_PACK, ROOT, make_app


def staff_corner_taps(k, n=5, every=0.4):
    corner = k.app.staff_gesture.corner()
    for _ in range(n):
        k.tap(corner.center, settle=every)


def test_five_taps_in_the_corner_then_the_pin(cache_env):
    from kiosk.app import KioskConfig

    config = KioskConfig()
    config.set_pin("2468")
    k = make_app(FIXTURE_PACK, cache_env, config=config)
    try:
        staff_corner_taps(k, 4)
        assert not k.app.manager.has_overlay("staff")
        k.tap(k.app.staff_gesture.corner().center)
        assert k.app.manager.has_overlay("staff")
        assert k.screen == "attract"  # the corner taps did not start a visit
        for digit in "1111":
            k.press(f"pin:{digit}", 0.1)
        k.press("pin:OK", 0.1)
        assert not k.top.unlocked and k.top.message == "Fel PIN-kod"
        k.frame(2)  # the pad waits after a wrong PIN
        for digit in "2468":
            k.press(f"pin:{digit}", 0.1)
        k.press("pin:OK", 0.1)
        assert k.top.unlocked
        assert any("test" in fact for fact in k.top._facts())
        k.press("volume_down")
        assert k.app.ctx.config.volume == pytest.approx(0.7)
        assert KioskConfig.load().volume == pytest.approx(0.7)
        k.press("close")
        assert not k.app.manager.has_overlay("staff")
    finally:
        k.app.close()


def test_slow_corner_taps_do_not_open_the_staff_menu(kiosk):
    staff_corner_taps(kiosk, 5, every=1.0)  # five taps over five seconds
    assert not kiosk.app.manager.has_overlay("staff")


def test_a_failing_screen_returns_to_the_menu_and_the_story_comes_off(kiosk, monkeypatch):
    from kiosk.scenes.passage import Passage

    def broken(self, surface):
        raise RuntimeError("injected failure in the passage screen")

    monkeypatch.setattr(Passage, "draw_content", broken)
    for attempt in range(3):
        if kiosk.screen == "attract":
            kiosk.tap((960, 500))
            kiosk.press("lang:en")
        kiosk.press("story:ana")
        kiosk.press("continue")
        kiosk.press("skip")
        assert kiosk.screen == "menu", attempt  # back to a safe screen, still running
        assert kiosk.app.ctx.visit is not None
    assert kiosk.app.ctx.health.disabled() == {"ana"}
    assert "story:ana" not in kiosk.keys()
    log = (kiosk.app.data_dir / "story-health.json").read_text()
    assert '"ana": 3' in log
    kiosk.app.ctx.health.clear()  # the staff menu's "put stories back"
    kiosk.app.manager.rebuild()
    assert "story:ana" in kiosk.keys()


def test_a_changed_pack_is_picked_up_at_the_attract_loop_only(pack_copy, cache_env):
    k = make_app(pack_copy, cache_env)
    try:
        k.tap((960, 500))
        k.press("lang:en")
        text = (pack_copy / "pack.yaml").read_text()
        (pack_copy / "pack.yaml").write_text(text.replace('version: "1.0"', 'version: "1.1"'))
        k.press("story:ana")
        assert k.app.ctx.pack.version == "1.0"  # never mid-visit
        k.press("leave")
        k.frame(13)
        k.frame()  # the loop looks for a new pack on the frame after it first shows
        assert k.screen == "attract"
        assert k.app.ctx.pack.version == "1.1"
        # An invalid pack is refused; the last good one keeps playing.
        (pack_copy / "pack.yaml").write_text("id: [broken\n")
        k.tap((960, 500))
        k.press("leave")
        k.frame(13)
        k.frame()  # the loop looks for a new pack on the frame after it first shows
        assert k.screen == "attract"
        assert k.app.ctx.pack.version == "1.1"
        assert k.app.ctx.packs.last_refusal
        k.tap((960, 500))
        assert k.screen == "language"
    finally:
        k.app.close()


def test_play_without_a_display_says_so_in_one_line(cache_env):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    done = subprocess.run([sys.executable, "-m", "kiosk", "play", str(FIXTURE_PACK)],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "kiosk screenshot" in lines[0]
    assert "Traceback" not in done.stderr


def test_staff_pin_command_stores_a_hash(cache_env):
    env = dict(os.environ)
    done = subprocess.run([sys.executable, "-m", "kiosk", "staff-pin", "--pin-stdin"],
                          input="97531\n", capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    from kiosk.app import KioskConfig

    config = KioskConfig.load()
    assert config.staff_pin_hash and "97531" not in config.staff_pin_hash
    assert config.check_pin("97531") and not config.check_pin("97532")
    bad = subprocess.run([sys.executable, "-m", "kiosk", "staff-pin", "--pin-stdin"],
                         input="12\n", capture_output=True, text=True, env=env, cwd=ROOT,
                         timeout=60)
    assert bad.returncode == 1 and "4 to 12 digits" in bad.stderr


def test_the_staff_menu_says_how_many_events_came_back_from_a_damaged_record(cache_env):
    import json
    import time

    from kiosk.app import KioskConfig
    from kiosk.record import Store

    data = cache_env / "data"
    store = Store.open(data)
    store.append_rows([(f"{i:032x}", "a" * 32, f"{i // 20:032x}", "2026-12-01T10:00Z", i,
                        "choice_made", json.dumps({"story": "mara", "scene": f"s{i}",
                                                   "choice": i % 3}))
                       for i in range(6000)])
    store.checkpoint()
    leaves = [p for (p,) in store.conn.execute(
        "SELECT pageno FROM dbstat WHERE name = 'events' AND pagetype = 'leaf' ORDER BY pageno")]
    middle = leaves[len(leaves) // 2]
    lost = store.conn.execute("SELECT ncell FROM dbstat WHERE pageno = ?",
                              (middle,)).fetchone()[0]
    store.close()
    db = data / "record.sqlite3"
    raw = bytearray(db.read_bytes())
    raw[(middle - 1) * 4096: middle * 4096] = b"junk" * 1024
    db.write_bytes(bytes(raw))

    config = KioskConfig()
    config.set_pin("2468")
    k = make_app(FIXTURE_PACK, cache_env, config=config)
    try:
        deadline = time.monotonic() + 20
        while k.app.ctx.recorder.status().recovered is None and time.monotonic() < deadline:
            time.sleep(0.05)
        staff_corner_taps(k, 5)
        for digit in "2468":
            k.press(f"pin:{digit}", 0.1)
        k.press("pin:OK", 0.1)
        assert k.top.unlocked
        line = next(f for f in k.top._facts() if f.startswith("Recording"))
        assert line.startswith("Recording: ok. The record was damaged")
        assert f"{6000 - lost} events recovered" in line
    finally:
        k.app.close()
