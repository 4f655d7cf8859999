"""A pack from the admin in the running kiosk: it switches at the attract loop or when staff
confirm in the staff menu, and goes back by itself when its stories fail in its first
visits (issue 22). The pull itself is tested in tests/distribution/."""

from __future__ import annotations

from pathlib import Path

from kiosk.content.packstore import PackStore
from kiosk.fleet import switch
from tests.kiosk.test_staff_menu import PIN, bundle_of, open_staff, start_visit
from tests.support.fixture_date import TODAY
from tests.support.kiosk_driver import make_app


def _staged(cache_env: Path, mode: str) -> PackStore:
    """1.0.0 playing, 1.1.0 installed beside it and planned as the admin's manifest says."""
    store = PackStore(cache_env / "data" / "packs")
    store.install(bundle_of(cache_env, "1.0.0"), today=TODAY)
    staged = store.install(bundle_of(cache_env, "1.1.0"), activate=False, today=TODAY)
    signed = {"version": 4, "rollback": False,
              "pack": {"id": "test", "version": "1.1.0", "sha256": "ab" * 32},
              "switch": {"mode": mode, "at": None, "timezone": "Europe/Riga"}}
    switch.plan(cache_env / "data", signed, Path(staged.folder).name)
    return store


def test_staff_confirm_the_switch_in_the_staff_menu(cache_env):
    from kiosk.app import KioskConfig

    _staged(cache_env, "confirm")
    config = KioskConfig()
    config.set_pin(PIN)
    k = make_app(None, cache_env, config=config)
    try:
        k.frame(1.0)
        assert k.app.ctx.pack.version == "1.0.0"  # waits for staff
        open_staff(k)
        k.press("packs", 0.1)
        assert not k.button("fleet_check").enabled  # no admin configured on this kiosk
        assert k.button("fleet_switch").label == "Byt till test 1.1.0"  # the pack's Swedish
        k.press("fleet_switch", 0.1)
        assert k.top._desk_message() == "test 1.1.0 visas från nästa besök."
        k.press("menu", 0.1)
        k.press("close", 1.0)
        k.frame()
        assert k.screen == "attract" and k.app.ctx.pack.version == "1.1.0"
    finally:
        k.app.close()


def test_a_new_pack_whose_stories_fail_goes_back_by_itself(cache_env):
    _staged(cache_env, "attract")
    k = make_app(None, cache_env)
    try:
        k.frame()
        k.frame()
        assert k.app.ctx.pack.version == "1.1.0"  # switched at the first attract loop
        for _ in range(3):
            start_visit(k)
            k.press("story:ana")
            k.press("continue")  # past the story's content note
            k.press("skip")  # and the survey before it: the story runs
            assert k.app.ctx.visit.story_id == "ana"
            k.app.recover(k.screen, RuntimeError("a screen of the new pack failed"))
            k.press("leave")
            k.frame(13)
            k.frame()
        assert k.screen == "attract" and k.app.ctx.pack.version == "1.0.0"
        assert "rolled back" in switch.last_error(cache_env / "data")
    finally:
        k.app.close()
