"""What keeps a tap fast: the screens a tap can lead to are built in quiet frames before it
(warming), so the tap's own frame lays no text out; and the caches that make this possible
stay within their bounds."""

from __future__ import annotations

import pygame

from tests.kiosk.test_screens import start_ana, to_menu


def settle(k, frames: int = 30) -> None:
    """Quiet frames (no input, time passing): the fade ends and warm jobs run."""
    for _ in range(frames):
        k.frame(0.1)


def tap_counting_layouts(k, key: str | tuple[int, int]) -> int:
    """Tap a button (or a point); how many text blocks the frame of the release laid out."""
    center = k.button(key).rect.center if isinstance(key, str) else key
    for event in k.touch_events(center, "down"):
        pygame.event.post(event)
    k.frame()
    before = k.app.ctx.texts.layouts_made
    changes = k.app.manager.changes
    for event in k.touch_events(center, "up"):
        pygame.event.post(event)
    k.frame()
    assert k.app.manager.changes == changes + 1, "the tap did not change the screen"
    return k.app.ctx.texts.layouts_made - before


def test_a_warmed_visit_lays_no_text_out_on_the_tap_frames(kiosk):
    assert kiosk.screen == "attract"
    settle(kiosk)  # the attract loop warms the language picker and the menus
    assert tap_counting_layouts(kiosk, (960, 500)) == 0
    assert kiosk.screen == "language"
    settle(kiosk)
    assert tap_counting_layouts(kiosk, "lang:sv") == 0, "the menu in Swedish was warmed"
    assert kiosk.screen == "menu"
    settle(kiosk)
    assert tap_counting_layouts(kiosk, "story:ana") == 0
    assert kiosk.screen == "content_note"
    settle(kiosk)
    assert tap_counting_layouts(kiosk, "continue") == 0
    assert kiosk.screen == "survey"
    settle(kiosk)
    assert tap_counting_layouts(kiosk, "skip") == 0
    assert kiosk.screen == "passage"
    settle(kiosk)  # home awaits a choice: the choice screen and each choice's scene warmed
    assert tap_counting_layouts(kiosk, "next") == 0
    assert kiosk.screen == "choice"
    settle(kiosk)
    choice = kiosk.app.flow.view().choices[0].id
    assert tap_counting_layouts(kiosk, f"choice:{choice}") == 0
    assert kiosk.screen == "passage"


def test_the_ending_is_warmed_from_the_choice_that_leads_to_it(kiosk):
    start_ana(kiosk)
    kiosk.press("next")
    kiosk.press("choice:" + kiosk.app.flow.view().choices[0].id)  # ask the friend
    kiosk.press("next")  # advert's content note
    kiosk.press("continue")
    kiosk.press("next")
    assert kiosk.screen == "choice"
    settle(kiosk)
    helpline = next(b.key for b in kiosk.top.buttons.items if b.label == "Call the helpline")
    assert tap_counting_layouts(kiosk, helpline) == 0
    assert kiosk.screen == "ending"


def test_warm_jobs_of_a_screen_that_went_are_dropped(kiosk):
    ran = []
    kiosk.app.later(lambda: ran.append("attract"))
    to_menu(kiosk)  # attract -> language -> menu before any quiet frame
    kiosk.app.later(lambda: ran.append("menu"))
    settle(kiosk)
    assert ran == ["menu"]


def test_rendered_text_is_dropped_before_layouts_and_stays_in_budget(kiosk):
    from kiosk.ui.text import TextCache

    one = 200 * 30 * 4  # a block 200 px wide, one line of 30 px (24 px text): about 24 kB
    cache = TextCache(kiosk.app.ctx.fonts, capacity=5, budget_bytes=3 * one)
    blocks = [cache.block(f"word {i}", "en", 200, 20) for i in range(5)]
    for block in blocks:
        block.render((0, 0, 0))
    assert len(cache) == 5, "layouts stay while only surfaces are over budget"
    held = [b for b in blocks if b.surface_bytes]
    assert cache.bytes_used == sum(b.surface_bytes for b in held) <= 3 * one
    assert blocks[-1] in held and blocks[0] not in held, "least recently drawn out first"
    made = cache.layouts_made
    assert cache.block("word 0", "en", 200, 20) is blocks[0] and cache.layouts_made == made
    blocks[0].render((0, 0, 0))  # drawn again: re-rendered from the kept layout
    assert blocks[0].surface_bytes and cache.bytes_used <= 3 * one
    cache.block("word 5", "en", 200, 20)  # a sixth layout: the least recent one goes
    assert len(cache) == 5 and cache.layouts_made == made + 1
    assert blocks[1].owner is None and blocks[0].owner is cache
    assert cache.bytes_used == sum(b.surface_bytes for b in blocks if b.owner is cache)


def test_qr_codes_are_bounded(kiosk):
    from kiosk.scenes.helplines import QRCache

    codes = QRCache(capacity=2)
    first = codes.get("tel:1", 90)
    codes.get("tel:2", 90)
    assert codes.get("tel:1", 90) is first  # kept, and now the most recent
    codes.get("tel:3", 90)
    assert len(codes._codes) == 2 and ("tel:2", 90) not in codes._codes
