"""The idle reset and the staff corner (kiosk.app.idle) on a headless kiosk, by real touches.

What the module's docstring promises: "Are you still there?" after the pack's timeout on
visitor screens only, its countdown from the kiosk's settings; five taps in the staff corner
within three seconds (bottom left on a landscape screen, top left on a portrait one) open the
PIN pad, and a tap anywhere else starts the count again."""

from __future__ import annotations

from tests.kiosk.test_screens import start_ana, to_menu
from tests.support.kiosk_driver import FIXTURE_PACK, make_app


def corner_taps(k, n: int, every: float, pos=None) -> None:
    pos = pos or k.app.staff_gesture.corner().center
    for _ in range(n):
        k.tap(pos, settle=every)


def test_the_attract_loop_never_asks_are_you_still_there(kiosk):
    kiosk.frame(200)
    assert kiosk.screen == "attract" and not kiosk.app.manager.has_overlay("idle")


def test_the_countdown_is_the_kiosks_setting(cache_env):
    from kiosk.app import KioskConfig

    config = KioskConfig()
    config.idle_countdown = 5
    k = make_app(FIXTURE_PACK, cache_env, config=config)
    try:
        to_menu(k)
        k.frame(60)
        assert k.app.manager.has_overlay("idle")
        k.frame(4)
        assert k.app.manager.has_overlay("idle") and k.app.ctx.visit is not None
        k.frame(1.5)
        assert k.screen == "attract" and k.app.ctx.visit is None  # at 5 s, not the default 20
    finally:
        k.app.close()


def test_five_taps_spread_over_exactly_three_seconds_open_the_pin_pad(kiosk):
    corner_taps(kiosk, 5, every=0.75)  # the first and the fifth 3.0 s apart
    assert kiosk.app.manager.has_overlay("staff")


def test_a_tap_outside_the_corner_starts_the_count_again(kiosk):
    corner_taps(kiosk, 4, every=0.2)
    kiosk.tap((960, 500), settle=0.2)  # the visit starts: the language picker
    corner_taps(kiosk, 1, every=0.2)
    assert not kiosk.app.manager.has_overlay("staff")
    corner_taps(kiosk, 4, every=0.2)  # five in the corner since the other tap
    assert kiosk.app.manager.has_overlay("staff")


def test_the_staff_corner_is_bottom_left_on_landscape_and_top_left_on_portrait(cache_env):
    for name in ("wide", "tall"):
        (cache_env / name).mkdir()
    wide = make_app(FIXTURE_PACK, cache_env / "wide", size=(1920, 1080))
    try:
        corner = wide.app.staff_gesture.corner()
        assert corner.bottomleft == (0, 1080) and corner.width == corner.height > 0
        corner_taps(wide, 5, every=0.2, pos=(corner.width // 2, corner.width // 2))
        assert not wide.app.manager.has_overlay("staff")  # the top left is not it here
    finally:
        wide.app.close()
    tall = make_app(FIXTURE_PACK, cache_env / "tall", size=(1080, 1920))
    try:
        corner = tall.app.staff_gesture.corner()
        assert corner.topleft == (0, 0) and corner.width == corner.height > 0
        corner_taps(tall, 5, every=0.2, pos=(corner.width // 2, corner.width // 2))
        assert tall.app.manager.has_overlay("staff")
    finally:
        tall.app.close()


def test_the_pin_pad_is_never_covered_by_the_idle_question(pack_copy, cache_env):
    # The shortest idle timeout a pack may set (15 s) is shorter than the PIN pad's own 20 s.
    (pack_copy / "pack.yaml").write_text((pack_copy / "pack.yaml").read_text("utf-8").replace(
        "idle_timeout: 60", "idle_timeout: 15"), "utf-8")
    k = make_app(pack_copy, cache_env)
    try:
        to_menu(k)
        corner_taps(k, 5, every=0.4)
        assert k.app.manager.has_overlay("staff")
        k.frame(17)
        assert k.app.manager.has_overlay("staff") and not k.app.manager.has_overlay("idle")
    finally:
        k.app.close()


def test_time_while_narration_plays_is_not_idle_time(pack_copy, cache_env):
    # "The clock stands still while narration or a video plays": the question comes the pack's
    # timeout of silence after the narration ends, however long the narration took.
    import time

    from tests.support.generated_media import ffmpeg

    sound = pack_copy / "media" / "home.en.ogg"
    sound.parent.mkdir(parents=True)
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-c:a", "libvorbis",
           str(sound))
    story = pack_copy / "stories" / "ana.yaml"
    story.write_text(story.read_text("utf-8").replace(
        "  home:\n", "  home:\n    narration: {en: home.en.ogg, sv: home.en.ogg}\n"), "utf-8")
    (pack_copy / "pack.yaml").write_text((pack_copy / "pack.yaml").read_text("utf-8").replace(
        "idle_timeout: 60", "idle_timeout: 15"), "utf-8")
    k = make_app(pack_copy, cache_env)
    try:
        start_ana(k)
        if not k.app.ctx.media.narration.available:
            import pytest

            pytest.skip("no mixer on this machine")
        assert k.top.busy(), "the narration plays on entering the scene"
        k.frame(40)  # 40 s on the kiosk's clock in one frame, while the voice speaks (3 s real)
        assert k.top.busy() and not k.app.manager.has_overlay("idle")
        deadline = time.monotonic() + 20
        while k.top.busy():  # the voice ends in real time; the kiosk's clock stands
            assert time.monotonic() < deadline, "the 3 s narration never ended"
            time.sleep(0.05)
            k.frame(0)
        # at most the 1 s settle of the tap into the scene was silence before the voice
        k.frame(12)
        assert not k.app.manager.has_overlay("idle"), "13 s of silence are not 15"
        k.frame(3)
        assert k.app.manager.has_overlay("idle"), "15 s of silence since the voice ended"
    finally:
        k.app.close()


def test_a_screen_that_cannot_say_whether_media_plays_does_not_hold_the_kiosk(kiosk):
    # A player that fails while asked (a broken libvlc, a closed mixer) must not keep a
    # visit's screen up for the next visitor: the idle question still comes.
    start_ana(kiosk)
    screen = kiosk.top

    def broken() -> bool:
        raise RuntimeError("the player is gone")

    screen.busy = broken
    kiosk.frame(58)  # the tap into the scene was 1 s ago: 59 s of the pack's 60
    assert not kiosk.app.manager.has_overlay("idle")
    kiosk.frame(1)
    assert kiosk.app.manager.has_overlay("idle")
