"""What a tap's frame no longer does, and what must stay right (issue 24): the frame of a tap
composes what is ready; a look for a new pack, the copy the cross-fade starts from and a
second layout of the new screen happen before the tap or on the frames after it."""

from __future__ import annotations

import pygame

from kiosk.app.shots import place_story
from kiosk.ui import theme
from tests.kiosk.test_screens import to_menu

FIRST_STEP_ALPHA = int(255 * (1 - (1000 / 60) / theme.FADE_MS))  # one 60 Hz frame into it


def post(k, pos, *kinds: str) -> None:
    for kind in kinds:
        for event in k.touch_events(pos, kind):
            pygame.event.post(event)


def settle(k, frames: int = 20) -> None:
    for _ in range(frames):
        k.frame(0.1)


def faded_from(k, before: pygame.Surface, alpha: int = FIRST_STEP_ALPHA) -> pygame.Surface:
    """The frame a cross-fade should show: the new screen with `before` (the frame shown
    when the change came) over it at `alpha` (by default, as in the fade's first step)."""
    expected = k.app.surface.copy()
    k.app.manager.current.draw(expected)
    before = before.copy()
    before.set_alpha(alpha)
    expected.blit(before, (0, 0))
    return expected


def same(a: pygame.Surface, b: pygame.Surface) -> bool:
    return pygame.image.tobytes(a, "RGB") == pygame.image.tobytes(b, "RGB")


def alike(a: pygame.Surface, b: pygame.Surface, tolerance: int = 2) -> bool:
    """Every pixel of a and b within `tolerance` in each colour (blenders round either way)."""
    diff, back = a.copy(), b.copy()
    diff.blit(b, (0, 0), special_flags=pygame.BLEND_SUB)  # max(0, a - b)
    back.blit(a, (0, 0), special_flags=pygame.BLEND_SUB)
    diff.blit(back, (0, 0), special_flags=pygame.BLEND_MAX)  # |a - b|
    near = pygame.mask.from_threshold(diff, (0, 0, 0, 255), (tolerance + 1,) * 3 + (1,))
    return near.count() == a.get_width() * a.get_height()


def test_a_tap_fades_from_the_frame_shown_when_the_finger_lifted(kiosk):
    to_menu(kiosk)
    settle(kiosk)
    card = kiosk.button("story:ana").rect.center
    post(kiosk, card, "down")
    kiosk.frame()  # the card shows pressed: the frame the tap's fade starts from
    shown = kiosk.app.surface.copy()
    post(kiosk, card, "up")
    kiosk.frame()  # the tap's frame
    assert kiosk.screen == "content_note"
    assert alike(kiosk.app.surface, faded_from(kiosk, shown))
    kiosk.frame(0.125)  # half the fade on from its first step
    halfway = int(255 * (1 - (1000 / 60 + 125) / theme.FADE_MS))
    assert alike(kiosk.app.surface, faded_from(kiosk, shown, halfway))


def test_a_change_after_a_cancelled_press_fades_from_the_latest_frame(kiosk):
    to_menu(kiosk)
    settle(kiosk)
    card = kiosk.button("story:ana").rect
    post(kiosk, card.center, "down")
    kiosk.frame()  # pressed
    pressed = kiosk.app.surface.copy()
    post(kiosk, (card.centerx, kiosk.app.ctx.size[1] - 5), "up")  # lifted off the card
    kiosk.frame()  # nothing chosen: the card shows as before
    kiosk.frame(0.1)
    shown = kiosk.app.surface.copy()
    assert not same(shown, pressed), "the pressed card looks different"
    assert kiosk.screen == "menu"

    kiosk.app.flow.pick_story("ana")  # a change no tap led to (as a timeout's)
    kiosk.frame()
    assert kiosk.screen == "content_note"
    assert alike(kiosk.app.surface, faded_from(kiosk, shown)), \
        "the fade starts from the frame on screen, not from the copy made while pressed"


def test_the_attract_loop_looks_for_a_new_pack_after_its_first_frame(pack_copy, cache_env):
    from tests.support.kiosk_driver import make_app

    k = make_app(pack_copy, cache_env)
    try:
        to_menu(k)
        k.press("leave")
        assert k.screen == "leave"
        text = (pack_copy / "pack.yaml").read_text()
        (pack_copy / "pack.yaml").write_text(text.replace('version: "1.0"', 'version: "1.1"'))
        k.frame(1.0)
        post(k, (960, 500), "down")
        k.frame()
        post(k, (960, 500), "up")
        k.frame()  # the tap's frame: the loop shows, the pack's files are not walked
        assert k.screen == "attract"
        assert k.app.ctx.pack.version == "1.0"
        k.frame()  # the frame after: the new pack is taken up, the loop starts with it
        assert k.screen == "attract"
        assert k.app.ctx.pack.version == "1.1"
    finally:
        k.app.close()


def test_a_scene_that_plays_at_once_is_laid_out_once_on_its_tap(demo):
    """Its Play button says Pause from the first layout: no second layout on the tap's frame
    when the narration (or the film) starts."""
    app = demo.app
    place_story(app, "emil", "start", "en")
    assert app.ctx.pack.kiosk.narration_autoplay and app.ctx.sound_on
    app.flow.to_menu()
    settle(demo)
    app.flow.start_story("emil")  # as the content note's Continue does, within a frame
    passage = app.manager.current
    assert passage.name == "passage" and passage.media.narration_path is not None
    assert passage.buttons.find("play").label == "Pause", "laid out as it starts"
    laid_out = list(passage.buttons.items)
    app.manager.update(0.0)  # the rest of that frame
    assert [id(b) for b in passage.buttons.items] == [id(b) for b in laid_out], \
        "not laid out a second time"
    assert passage.media.playing()
