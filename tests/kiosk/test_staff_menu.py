"""The staff screens lock themselves, packs are taken up live, and a touring technician
installs, switches and rolls back packs from the staff menu (issue 16)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.fixture_date import TODAY
from tests.support.kiosk_driver import FIXTURE_PACK, ROOT, make_app

PIN = "2468"


def pack_version(tmp_path: Path, version: str, name: str | None = None) -> Path:
    """A copy of the fixture pack at another version."""
    folder = tmp_path / (name or f"pack-{version}")
    shutil.copytree(FIXTURE_PACK, folder)
    yaml = folder / "pack.yaml"
    yaml.write_text(yaml.read_text().replace('version: "1.0"', f'version: "{version}"'))
    return folder


def bundle_of(tmp_path: Path, version: str, out: Path | None = None) -> Path:
    """A pack bundle (zip) of the fixture pack at `version`."""
    from kiosk.content.bundle import build_bundle

    out = out or tmp_path / f"test-{version}.zip"
    out.parent.mkdir(parents=True, exist_ok=True)
    build_bundle(pack_version(tmp_path, version), out, today=TODAY)
    return out


def open_staff(k, pin: str | None = PIN) -> None:
    """Five taps in the staff corner, then the PIN (when given)."""
    corner = k.app.staff_gesture.corner()
    for _ in range(5):
        k.tap(corner.center, settle=0.3)
    assert k.app.manager.has_overlay("staff")
    if pin:
        for digit in pin:
            k.press(f"pin:{digit}", 0.1)
        k.press("pin:OK", 0.1)
        assert k.top.unlocked


def start_visit(k) -> None:
    k.tap((960, 500))
    k.press("lang:en")
    assert k.screen == "menu" and k.app.ctx.visit is not None


@pytest.fixture
def staffed(cache_env):
    from kiosk.app import KioskConfig

    config = KioskConfig(usb_roots=[str(cache_env / "media")])
    config.set_pin(PIN)
    k = make_app(FIXTURE_PACK, cache_env, config=config)
    yield k
    k.app.close()


def test_the_pin_pad_closes_after_20_s_and_wipes_the_visit(staffed):
    k = staffed
    start_visit(k)
    open_staff(k, pin=None)  # a curious visitor taps the corner five times
    k.press("pin:1", 0.1)
    k.frame(19.0)
    assert k.app.manager.has_overlay("staff")  # 19 s after the last key: still there
    k.frame(1.5)
    assert not k.app.manager.has_overlay("staff")
    k.frame(1.0)
    assert k.screen == "attract" and k.app.ctx.visit is None  # the visit is gone


def test_the_open_menu_locks_after_60_s_without_input(staffed):
    k = staffed
    start_visit(k)
    open_staff(k)
    k.frame(50.0)
    k.press("touch_test", 0.1)  # input: the minute starts again
    k.press("done", 0.1)
    k.frame(55.0)
    assert k.app.manager.has_overlay("staff") and k.top.unlocked
    k.frame(6.0)
    assert not k.app.manager.has_overlay("staff")
    k.frame(1.0)
    assert k.screen == "attract" and k.app.ctx.visit is None
    open_staff(k, pin=None)
    assert not k.top.unlocked  # locked again: the PIN is asked for


def test_quit_asks_again(staffed):
    k = staffed
    open_staff(k)
    k.press("quit", 0.1)
    assert k.app.running and "quit_yes" in k.keys()
    k.press("quit_no", 0.1)
    assert k.app.running and "quit" in k.keys()
    k.press("quit", 0.1)
    k.press("quit_yes", 0.1)
    assert not k.app.running


# `kiosk pack install` checks against the real date; the suite's day is passed to the same
# PackStore.install, so that the test passes in any year (tests/test_date_bombs.py).
_INSTALL = ("import datetime, sys; from kiosk.content.packstore import PackStore; "
            "PackStore(sys.argv[1]).install(sys.argv[2], today=datetime.date.fromisoformat(sys.argv[3]))")


def install(store_root: Path, bundle: Path) -> None:
    """A pack install in its own process, as a technician's `kiosk pack install` runs."""
    done = subprocess.run([sys.executable, "-c", _INSTALL, str(store_root), str(bundle),
                           TODAY.isoformat()], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr


def test_a_pack_installed_under_a_running_kiosk_plays_from_the_next_attract_loop(cache_env):
    data = cache_env / "data"
    install(data / "packs", bundle_of(cache_env, "1.0.0"))
    k = make_app(None, cache_env)  # no folder given: the kiosk follows the pack store
    try:
        assert k.app.ctx.pack.version == "1.0.0"
        start_visit(k)
        install(data / "packs", bundle_of(cache_env, "1.0.1"))
        k.press("story:ana")
        assert k.app.ctx.pack.version == "1.0.0"  # never mid-visit
        k.press("leave")
        k.frame(13)
        k.frame()  # the loop looks for a new pack on the frame after it first shows
        assert k.screen == "attract"
        assert k.app.ctx.pack.version == "1.0.1"
        # A rollback (the admin's, or `kiosk pack rollback`) is taken up the same way.
        done = subprocess.run([sys.executable, "-m", "kiosk", "pack", "rollback", "test",
                               "--packs-dir", str(data / "packs")], capture_output=True,
                              text=True, cwd=ROOT, timeout=60)
        assert done.returncode == 0, done.stderr
        start_visit(k)
        k.press("leave")
        k.frame(13)
        k.frame()  # the loop looks for a new pack on the frame after it first shows
        assert k.app.ctx.pack.version == "1.0.0"
        # A kiosk standing at the attract loop takes a new pack up within 30 s, no visit needed.
        install(data / "packs", bundle_of(cache_env, "1.0.2"))
        for _ in range(31):
            k.frame(1.0)
        assert k.screen == "attract" and k.app.ctx.pack.version == "1.0.2"
    finally:
        k.app.close()


def test_the_staff_menu_installs_from_usb_switches_and_rolls_back(cache_env):
    from kiosk.app import KioskConfig

    data = cache_env / "data"
    install(data / "packs", bundle_of(cache_env, "1.0.0"))
    stick = cache_env / "media" / "kiosk" / "TOUR"
    good = bundle_of(cache_env, "1.1.0", stick / "test-1.1.0.zip")
    bad = stick / "broken.zip"
    bad.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])  # pulled out mid-copy
    config = KioskConfig(usb_roots=[str(cache_env / "media")])
    config.set_pin(PIN)
    k = make_app(None, cache_env, config=config)
    try:
        open_staff(k)
        k.press("packs", 0.1)
        versions = [key for key in k.keys() if key.startswith("version:")]
        assert len(versions) == 1 and versions[0].startswith("version:1.0.0-")
        # The staff menu speaks the pack's default language (Swedish in this pack).
        assert k.button(versions[0]).label.endswith(" · visas nu")
        assert f"usb:{bad}" in k.keys() and f"usb:{good}" in k.keys()

        k.press(f"usb:{bad}", 0.1)
        k.top.desk.wait()
        k.frame(0.1)
        assert k.top._desk_message().startswith("Avvisat: ")
        assert len([key for key in k.keys() if key.startswith("version:")]) == 1

        k.press(f"usb:{good}", 0.1)
        k.top.desk.wait()
        k.frame(0.1)
        assert k.top._desk_message() == "test 1.1.0 är installerat och visas från nästa besök."
        assert len([key for key in k.keys() if key.startswith("version:")]) == 2
        k.press("menu", 0.1)
        k.press("close", 1.0)
        assert k.screen == "attract" and k.app.ctx.pack.version == "1.1.0"

        open_staff(k)
        k.press("packs", 0.1)
        k.press("rollback", 0.1)
        assert k.top._desk_message() == "test 1.0.0 visas från nästa besök."
        k.press("menu", 0.1)
        k.press("close", 1.0)
        assert k.app.ctx.pack.version == "1.0.0"

        open_staff(k)
        k.press("packs", 0.1)
        newer = next(key for key in k.keys() if key.startswith("version:1.1.0-"))
        k.press(newer, 0.1)  # tap a version to play it
        k.press("menu", 0.1)
        k.press("close", 1.0)
        assert k.app.ctx.pack.version == "1.1.0"
    finally:
        k.app.close()


def test_a_broken_first_pack_shows_out_of_order_with_112_and_the_staff_menu(cache_env):
    from kiosk.app import KioskConfig

    broken = pack_version(cache_env, "1.0.0", "broken")
    good_yaml = (broken / "pack.yaml").read_text()
    (broken / "pack.yaml").write_text("id: [unclosed\n")
    config = KioskConfig()
    config.set_pin(PIN)
    k = make_app(broken, cache_env, config=config)
    try:
        assert k.screen == "out_of_order" and k.app.running
        lines = dict(k.app.manager.current.lines())
        assert set(lines) >= {"en", "sv", "it", "lv", "el", "ar"}
        assert all("112" in line for line in lines.values())
        assert lines["sv"] == "Den här skärmen är ur funktion. Vid en nödsituation, ring 112."
        k.tap((960, 500))
        assert k.screen == "out_of_order"  # a tap starts nothing
        open_staff(k)
        assert any("pack" in fact for fact in k.top._facts())  # why, for the technician
        k.press("close", 0.1)
        (broken / "pack.yaml").write_text(good_yaml)  # the technician repairs the pack
        k.frame(6.0)
        k.frame(1.0)
        assert k.screen == "attract" and k.app.ctx.pack.version == "1.0.0"
    finally:
        k.app.close()
