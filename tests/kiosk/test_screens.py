"""Each screen, headless, driven by real touch events (finger + synthetic mouse)."""

from __future__ import annotations

import pygame

from kiosk.story import Phase


def to_menu(k, lang="en"):
    k.tap((960, 500))
    assert k.screen == "language"
    k.press(f"lang:{lang}")
    assert k.screen == "menu"


def test_attract_language_menu_by_touch(kiosk):
    assert kiosk.screen == "attract"
    to_menu(kiosk)
    assert kiosk.app.ctx.visit is not None
    assert kiosk.app.ctx.language == "en"
    assert "story:ana" in kiosk.keys()


def test_pressed_state_shows_on_the_touch_down_frame(kiosk):
    to_menu(kiosk)
    button = kiosk.button("story:ana")
    for event in kiosk.touch_events(button.rect.center, "down"):
        pygame.event.post(event)
    kiosk.frame()
    assert button.pressed, "the pressed state is drawn in the frame of the touch"
    fill = kiosk.app.surface.get_at((button.rect.x + 5, button.rect.centery))[:3]
    from kiosk.ui import theme

    assert fill == theme.SECONDARY_PRESSED
    for event in kiosk.touch_events(button.rect.center, "up"):
        pygame.event.post(event)
    kiosk.frame(1.0)
    assert kiosk.screen == "content_note"


def start_ana(k):
    to_menu(k)
    k.press("story:ana")
    assert k.screen == "content_note"
    k.press("continue")
    assert k.screen == "survey"  # the fixture pack has a before-survey
    k.press("skip")
    assert k.screen == "passage"


def test_one_tap_acts_once_despite_synthetic_mouse_events(kiosk):
    start_ana(kiosk)
    visit = kiosk.app.ctx.visit
    assert visit.state.scene_id == "home"
    kiosk.press("next")  # home awaits a choice: to the choice screen, once
    assert kiosk.screen == "choice"
    kiosk.press("choice:" + kiosk.app.flow.view().choices[0].id)
    # friend (next: advert) — a doubled tap would have gone further
    assert visit.state.scene_id == "friend"
    assert visit.state.path == ["home", "friend"]


def test_a_whole_story_with_surveys_is_recorded(kiosk):
    start_ana(kiosk)
    visit = kiosk.app.ctx.visit
    kiosk.press("next")
    kiosk.press("choice:" + kiosk.app.flow.view().choices[0].id)  # ask the friend
    kiosk.press("next")  # friend -> advert, which has a content note
    assert kiosk.screen == "content_note" and kiosk.top.scene_view is not None
    kiosk.press("continue")
    assert kiosk.screen == "passage"
    kiosk.press("next")
    assert kiosk.screen == "choice"
    labels = [b.label for b in kiosk.top.buttons.items if b.key.startswith("choice:")]
    assert "Call the helpline" in labels  # its condition holds: the friend was asked
    kiosk.press(next(b.key for b in kiosk.top.buttons.items if b.label == "Call the helpline"))
    assert kiosk.screen == "ending"
    assert visit.state.ending == "end"
    kiosk.press("continue")
    assert kiosk.screen == "survey" and kiosk.top.phase == "after"
    kiosk.press("answer:4")  # the after-question
    kiosk.press("answer:5")  # the rating
    assert kiosk.top.thanks
    kiosk.press("continue")
    assert kiosk.screen == "menu"
    kiosk.press("leave")
    recorder = kiosk.app.ctx.recorder
    assert recorder.flush(10)
    from kiosk.record import Store

    store = Store.open(kiosk.app.data_dir)
    kinds = [e["kind"] for e in store.pending_batch(1000)]
    store.close()
    for kind in ("session_started", "story_started", "choice_made", "story_finished",
                 "survey_answer", "rating", "leave_now", "session_ended"):
        assert kind in kinds, (kind, kinds)


def test_skip_a_scene_with_a_content_note(kiosk):
    start_ana(kiosk)
    kiosk.press("next")
    kiosk.press("choice:" + kiosk.app.flow.view().choices[1].id)  # straight to advert
    assert kiosk.screen == "content_note"
    kiosk.press("other")  # Skip this scene
    view = kiosk.app.flow.view()
    assert view.passage_skipped and kiosk.screen == "choice"


def test_leave_now_wipes_the_visit(kiosk):
    start_ana(kiosk)
    kiosk.press("leave")
    assert kiosk.screen == "leave"
    assert kiosk.app.ctx.visit is None
    assert kiosk.app.ctx.language == "sv"  # back to the pack's default: nothing left behind
    kiosk.frame(13)
    assert kiosk.screen == "attract"


def test_idle_reset_after_the_countdown(kiosk):
    start_ana(kiosk)
    kiosk.frame(57)  # the last touch was a second ago (the tap's settle time)
    assert not kiosk.app.manager.has_overlay("idle")
    kiosk.frame(3)
    assert kiosk.app.manager.has_overlay("idle")
    kiosk.press("continue")  # still here
    assert not kiosk.app.manager.has_overlay("idle") and kiosk.screen == "passage"
    kiosk.frame(61)
    assert kiosk.app.manager.has_overlay("idle")
    kiosk.frame(21)
    assert kiosk.screen == "attract" and kiosk.app.ctx.visit is None


def test_the_packs_own_idle_timeout_decides_not_the_default(pack_copy, cache_env):
    from tests.support.kiosk_driver import make_app

    (pack_copy / "pack.yaml").write_text((pack_copy / "pack.yaml").read_text("utf-8").replace(
        "idle_timeout: 60", "idle_timeout: 25"), "utf-8")
    k = make_app(pack_copy, cache_env)
    try:
        start_ana(k)
        k.frame(23)  # 24 s since the last touch (1 s of it the last tap's settle time)
        assert not k.app.manager.has_overlay("idle")
        k.frame(1)
        assert k.app.manager.has_overlay("idle")  # at 25 s, long before the default 60 s
    finally:
        k.app.close()


def test_idle_waits_while_narration_plays(demo):
    demo.tap((960, 500))
    demo.press("lang:en")
    demo.press("story:nadia")
    demo.press("continue")
    while demo.screen == "survey":
        demo.press("skip")  # one question at a time
    assert demo.screen == "passage"
    if not demo.app.ctx.media.narration.available:
        import pytest

        pytest.skip("no mixer on this machine")
    assert demo.top.busy()
    demo.frame(200)  # far past the 90 s timeout, but the voice is still speaking
    assert not demo.app.manager.has_overlay("idle")


def test_help_over_any_screen_and_back(kiosk):
    start_ana(kiosk)
    kiosk.press("help")
    assert kiosk.app.manager.has_overlay("help")
    assert kiosk.screen == "passage"
    assert "leave" in kiosk.keys()
    kiosk.press("close")
    assert not kiosk.app.manager.has_overlay("help") and kiosk.screen == "passage"


def test_language_switch_keeps_the_place(kiosk):
    start_ana(kiosk)
    kiosk.press("language")
    assert kiosk.app.manager.has_overlay("language_overlay")
    kiosk.press("lang:sv")
    visit = kiosk.app.ctx.visit
    assert visit.state.language == "sv" and visit.state.scene_id == "home"
    assert kiosk.button("next").label == "Fortsätt"
    assert kiosk.top.text == "Ana får ett erbjudande."


def test_larger_text_and_sound_toggle(kiosk):
    start_ana(kiosk)
    before = kiosk.top.block.line_height
    kiosk.press("text_size")
    assert kiosk.app.ctx.text_step == 1
    assert kiosk.top.block.line_height > before
    kiosk.press("sound")
    assert kiosk.app.ctx.sound_on is False
    assert kiosk.button("sound").label == "Turn sound on"  # what a tap does now


def test_back_goes_to_the_previous_scene(kiosk):
    start_ana(kiosk)
    kiosk.press("next")
    kiosk.press("choice:" + kiosk.app.flow.view().choices[0].id)
    assert kiosk.app.ctx.visit.state.scene_id == "friend"
    kiosk.press("back")
    assert kiosk.app.ctx.visit.state.scene_id == "home"
    assert kiosk.app.flow.view().phase == Phase.AWAITING_CHOICE


def test_portrait_puts_the_controls_low(cache_env):
    from tests.support.kiosk_driver import FIXTURE_PACK, make_app

    k = make_app(FIXTURE_PACK, cache_env, size=(1080, 1920))
    try:
        to_menu(k)
        leave = k.button("leave")
        assert leave.rect.top > 1920 * 0.85
    finally:
        k.app.close()


def test_the_menu_lists_content_notes_as_the_language_joins_a_list(demo):
    to_menu(demo, "ar")
    notes = {card.story: card.notes for card in demo.top.cards}
    # Arabic separates list items with its own comma, "، " (the pack's Arabic labels)
    assert notes["samir"].endswith("الإكراه والسيطرة، تهديدات، الاستغلال في العمل")
    assert ", " not in notes["samir"]
    demo.press("language")  # the language overlay, then Swedish: ", "
    demo.press("lang:sv")
    notes = {card.story: card.notes for card in demo.top.cards}
    assert notes["samir"].endswith("Tvång och kontroll, Hot, Arbetskraftsexploatering")
