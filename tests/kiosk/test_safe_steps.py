"""Safe steps for visitors (issue 16): Back never leads into a skipped scene, and a tap acts
once. Driven through the real screens with posted touch events."""

from __future__ import annotations

import pygame
import pytest

from tests.kiosk.test_screens import start_ana
from tests.support.kiosk_driver import make_app


def showing_note_of(k, scene_id: str) -> bool:
    """True when the screen is the content note of a scene (not its passage)."""
    top = k.top
    return (k.screen == "content_note" and top.scene_view is not None
            and top.scene_view.scene_id == scene_id)


def test_back_after_skipping_a_scene_with_choices_is_its_note(kiosk):
    start_ana(kiosk)
    kiosk.press("next")
    kiosk.press("choice:" + kiosk.app.flow.view().choices[1].id)  # "Read more": advert
    assert showing_note_of(kiosk, "advert")
    kiosk.press("other")  # Skip this scene: its choices, without the passage
    assert kiosk.screen == "choice"
    kiosk.press("back")
    assert showing_note_of(kiosk, "advert"), kiosk.screen  # never the skipped passage
    kiosk.press("other")  # skip again, choose, then Back from the ending
    kiosk.press("choice:" + kiosk.app.flow.view().choices[-1].id)  # "Wait"
    assert kiosk.screen == "ending"
    kiosk.press("back")
    assert showing_note_of(kiosk, "advert"), kiosk.screen
    kiosk.press("continue")  # the visitor now wants to read it: the passage shows
    assert kiosk.screen == "passage"
    assert kiosk.app.flow.view().text_line is not None


def test_back_from_the_scene_after_a_skipped_one_is_the_skipped_scenes_note(cache_env,
                                                                           pack_copy):
    story = pack_copy / "stories" / "ana.yaml"
    text = story.read_text()
    text = text.replace("    next: advert\n", "    content_notes: [threats]\n    next: advert\n")
    story.write_text(text)
    k = make_app(pack_copy, cache_env)
    try:
        start_ana(k)
        k.press("next")
        k.press("choice:" + k.app.flow.view().choices[0].id)  # "Ask the friend"
        assert showing_note_of(k, "friend")
        k.press("other")  # skip the friend's scene: on to the advert (its own note)
        assert showing_note_of(k, "advert")
        k.press("continue")
        assert k.screen == "passage" and k.app.flow.view().scene_id == "advert"
        k.press("back")
        assert showing_note_of(k, "friend"), (k.screen, k.app.flow.view().scene_id)
        k.press("back")  # Back from the note: the scene before it
        assert k.screen == "choice" or k.screen == "passage"
        assert k.app.flow.view().scene_id == "home"
    finally:
        k.app.close()


# -- a tap acts once: real time, the app's real loop --------------------------------------

def chain_pack(pack_copy):
    """The fixture pack with three passages in a row: friend -> street -> advert."""
    story = pack_copy / "stories" / "ana.yaml"
    story.write_text(story.read_text().replace(
        "    next: advert\n",
        "    next: street\n"
        "  street:\n"
        "    text: {sv: Gatan är tom., en: The street is empty.}\n"
        "    next: advert\n"))
    return pack_copy


class RealTime:
    """The real app on the real clock, its loop run at 60 frames a second; touches are
    posted to SDL's queue at their real times (a finger event and SDL's synthetic mouse)."""

    def __init__(self, pack, data_dir):
        from kiosk.app import App, KioskConfig

        self.app = App(pack, (1920, 1080), data_dir=data_dir, config=KioskConfig(),
                       use_media=False)
        self.app.open()
        from tests.support.kiosk_driver import Driver

        self.events = Driver(self.app, None)

    def run(self, seconds: float, schedule=()) -> None:
        """Run the loop for `seconds`, posting each (offset, pos, kind) when its time comes."""
        import time

        import pygame

        start = time.monotonic()
        todo = sorted(schedule)
        while True:
            now = time.monotonic() - start
            while todo and todo[0][0] <= now:
                _, pos, kind = todo.pop(0)
                for event in self.events.touch_events(pos, kind):
                    pygame.event.post(event)
            self.app.frame()
            if now >= seconds and not todo:
                return
            time.sleep(max(0.0, 1 / 60 - (time.monotonic() - start - now)))

    def tap(self, pos, apart: float = 0.0, taps: int = 1, hold: float = 0.03) -> None:
        """`taps` taps at pos, their touches `apart` seconds apart; then 0.6 s to settle."""
        schedule = []
        for i in range(taps):
            schedule += [(i * apart, pos, "down"), (i * apart + hold, pos, "up")]
        self.run(apart * (taps - 1) + hold + 0.6, schedule)

    def press(self, key: str, **kw) -> None:
        button = self.app.manager.top.buttons.find(key)
        assert button is not None, (key, self.app.manager.name)
        self.tap(button.rect.center, **kw)


@pytest.mark.alone  # taps milliseconds apart in a real-time loop
@pytest.mark.parametrize("apart_ms", [50, 100, 200, 300])
def test_two_quick_taps_on_next_go_one_passage_on(cache_env, pack_copy, apart_ms):
    k = RealTime(chain_pack(pack_copy), cache_env / "data")
    try:
        k.tap((960, 500))
        k.press("lang:en")
        k.press("story:ana")
        k.press("continue")
        k.press("skip")  # the questions before the story
        k.press("next")
        k.press("choice:" + k.app.flow.view().choices[0].id)  # ask the friend
        assert k.app.manager.name == "passage"
        assert k.app.flow.view().scene_id == "friend"
        k.press("next", apart=apart_ms / 1000, taps=2, hold=min(0.04, apart_ms / 2000))
        assert k.app.manager.name == "passage"
        assert k.app.flow.view().scene_id == "street", "the second tap skipped a passage"
        assert k.app.ctx.visit.state.path[-3:] == ["home", "friend", "street"]
    finally:
        k.app.close()


@pytest.mark.alone  # taps milliseconds apart in a real-time loop
def test_a_new_screen_takes_no_tap_until_it_shows_except_leave_now(cache_env, pack_copy):
    k = RealTime(chain_pack(pack_copy), cache_env / "data")
    try:
        k.tap((960, 500))
        k.press("lang:en")
        k.press("story:ana")
        k.press("continue")
        k.press("skip")
        assert k.app.manager.name == "passage"
        back = k.app.manager.top.buttons.find("back").rect.center
        next_ = k.app.manager.top.buttons.find("next").rect.center
        # Next, then Back 150 ms later: Back lands on the choice screen as it comes in
        k.run(0.8, [(0, next_, "down"), (0.03, next_, "up"), (0.15, back, "down"),
                    (0.18, back, "up")])
        assert k.app.manager.name == "choice"
        k.press("back")  # once it shows, Back acts
        assert k.app.manager.name == "passage"
        leave = k.app.manager.top.buttons.find("leave").rect.center
        k.run(0.6, [(0, next_, "down"), (0.03, next_, "up"), (0.1, leave, "down"),
                    (0.13, leave, "up")])
        assert k.app.manager.name == "leave"  # Leave now acts at once, always
        assert k.app.ctx.visit is None
    finally:
        k.app.close()


# -- Leave now, media controls, surveys ----------------------------------------------------

LEAVE_THANKS = {"en": "Thank you for visiting.", "sv": "Tack för ditt besök."}


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_leave_now_thanks_the_visitor_in_their_language(kiosk, lang):
    from tests.kiosk.test_screens import to_menu

    to_menu(kiosk, lang)
    kiosk.press("leave")
    assert kiosk.screen == "leave"
    assert kiosk.app.ctx.visit is None
    assert kiosk.app.ctx.language == "sv"  # the visitor's settings are reset
    leave = kiosk.top
    assert leave.t("Thank you for visiting.") == LEAVE_THANKS[lang]
    assert leave.lang == lang


def test_a_scene_whose_narration_is_missing_offers_no_play_or_replay(cache_env, pack_copy):
    import shutil

    from tests.support.kiosk_driver import DEMO_PACK

    sound = pack_copy / "media" / "home.en.ogg"
    sound.parent.mkdir(parents=True)
    shutil.copy(DEMO_PACK / "media" / "audio" / "samir" / "after.en.ogg", sound)
    story = pack_copy / "stories" / "ana.yaml"
    story.write_text(story.read_text().replace(
        "  home:\n", "  home:\n    narration: {en: home.en.ogg, sv: home.en.ogg}\n"))
    k = make_app(pack_copy, cache_env)
    try:
        start_ana(k)
        assert {"play", "replay"} <= set(k.keys()), "the narration is there: Play and Replay"
        k.press("back")
        assert k.screen == "survey" or k.screen == "content_note" or k.screen == "menu"
        sound.unlink()  # the file goes (a USB stick pulled) after the pack was loaded
        k.app.flow.start_story("ana")
        assert k.screen == "passage"
        assert "play" not in k.keys() and "replay" not in k.keys()
        assert "next" in k.keys()
    finally:
        k.app.close()


def test_survey_skip_passes_one_question_and_back_shows_the_answer(demo):
    from kiosk.ui import theme

    demo.tap((960, 500))
    demo.press("lang:en")
    demo.press("story:nadia")
    demo.press("continue")
    survey = demo.top
    assert demo.screen == "survey" and len(survey.questions) == 5  # the demo's five
    demo.press("answer:4")  # "Agree" to the first
    assert survey.index == 1
    demo.press("skip")  # one question skipped, not the survey
    assert demo.screen == "survey" and survey.index == 2
    demo.press("back")
    assert survey.index == 1
    assert not [b.key for b in survey.buttons.items if b.style == "selected"]
    demo.press("back")
    assert survey.index == 0
    chosen = [b for b in survey.buttons.items if b.style == "selected"]
    assert [b.key for b in chosen] == ["answer:4"]
    demo.frame(0.5)
    fill = demo.app.surface.get_at((chosen[0].rect.x + 6, chosen[0].rect.centery))[:3]
    assert fill == theme.PRIMARY  # drawn as chosen
    demo.press("skip")
    while not survey.thanks:
        assert demo.screen == "survey"
        demo.press("skip")
    assert demo.screen == "survey" and survey.thanks  # one answer was given: thanks
    demo.press("continue")
    assert demo.screen == "passage"


# -- the first language picker -------------------------------------------------------------

def test_help_on_the_first_language_picker_has_leave_now(kiosk):
    kiosk.tap((960, 500))
    assert kiosk.screen == "language" and kiosk.app.ctx.visit is None
    kiosk.press("help")
    assert kiosk.top.name == "help"
    assert kiosk.button("leave").label == "Avsluta nu"  # the pack's default, Swedish
    kiosk.press("leave")
    assert kiosk.screen == "leave" and not kiosk.app.manager.overlays


def test_the_first_pickers_heading_speaks_every_pack_language_in_turn(kiosk):
    from kiosk.ui.text import TextCache

    drawn = []
    real = TextCache.block

    def block(cache, text, lang, *args, **kw):
        drawn.append((text, lang))
        return real(cache, text, lang, *args, **kw)

    kiosk.tap((960, 500))
    assert kiosk.screen == "language"
    TextCache.block = block
    try:
        headings = []
        for _ in range(4):  # 12 seconds, a frame every half second
            for _ in range(6):
                drawn.clear()
                kiosk.frame(0.5)
                headings.append(next((t, lg) for t, lg in drawn
                                     if t in ("Välj språk", "Choose your language")))
    finally:
        TextCache.block = real
    assert ("Välj språk", "sv") in headings and ("Choose your language", "en") in headings
    assert headings[0] == ("Välj språk", "sv")  # the pack's default first
    changes = sum(1 for a, b in zip(headings, headings[1:], strict=False) if a != b)
    assert 3 <= changes <= 4, headings  # every 3 s: not every frame, not never
    kiosk.press("lang:en")
    kiosk.press("language")  # over a visit the picker speaks the visitor's language
    assert kiosk.top.heading_language() == "en"


# -- words on the buttons and headings -----------------------------------------------------

def texts_drawn(k) -> list[str]:
    """The texts laid out for one frame."""
    from kiosk.ui.text import TextCache

    drawn, real = [], TextCache.block

    def block(cache, text, *args, **kw):
        drawn.append(text)
        return real(cache, text, *args, **kw)

    TextCache.block = block
    try:
        k.frame(0.1)
    finally:
        TextCache.block = real
    return drawn


@pytest.mark.parametrize("lang,off,on", [("en", "Turn sound off", "Turn sound on"),
                                         ("sv", "Stäng av ljudet", "Slå på ljudet")])
def test_the_sound_button_says_what_it_does(kiosk, lang, off, on):
    from tests.kiosk.test_screens import to_menu

    to_menu(kiosk, lang)
    assert kiosk.app.ctx.sound_on and kiosk.button("sound").label == off
    kiosk.press("sound")
    assert not kiosk.app.ctx.sound_on and kiosk.button("sound").label == on
    kiosk.press("sound")
    assert kiosk.app.ctx.sound_on and kiosk.button("sound").label == off


@pytest.mark.parametrize("lang,heading", [("en", "Choose how to go on"),
                                          ("sv", "Välj hur berättelsen fortsätter")])
def test_the_choice_heading_asks_no_question_the_passage_did_not(kiosk, lang, heading):
    from tests.kiosk.test_screens import to_menu

    to_menu(kiosk, lang)
    kiosk.press("story:ana")
    kiosk.press("continue")
    kiosk.press("skip")
    kiosk.press("next")
    assert kiosk.screen == "choice"
    drawn = texts_drawn(kiosk)
    assert heading in drawn
    assert "What happens next?" not in drawn and "Vad händer sedan?" not in drawn


# -- the attract loop's crop -----------------------------------------------------------------

@pytest.mark.parametrize("size,focus", [((1080, 1920), (0.33, 0.7)), ((1080, 1920), (0.02, 0.5)),
                                        ((1080, 1920), (0.97, 0.1)), ((1920, 1080), (0.5, 0.5)),
                                        ((1280, 800), (0.9, 0.95))])
def test_the_crop_window_contains_the_focal_point(size, focus):
    from kiosk.media.images import cover_crop

    picture = (1920, 1080)
    crop = cover_crop(picture, size, focus)
    point = (focus[0] * picture[0], focus[1] * picture[1])
    assert crop.left <= point[0] <= crop.right and crop.top <= point[1] <= crop.bottom
    assert abs(crop.width / crop.height - size[0] / size[1]) < 0.01  # the screen's shape
    assert pygame.Rect(0, 0, *picture).contains(crop)


def test_the_portrait_attract_loop_keeps_nadia_whole(cache_env):
    """The demo's first attract picture shows Nadia left of centre (her figure spans about
    0.29-0.37 of the width); a portrait screen shows a third of the width."""
    from kiosk.content import load_pack
    from tests.support.kiosk_driver import DEMO_PACK

    first = load_pack(DEMO_PACK).pack.kiosk.attract[0]
    assert first.src == "attract/nadia.jpg" and first.focus == (0.33, 0.7)
    k = make_app(DEMO_PACK, cache_env, size=(1080, 1920))
    try:
        k.frame(0.5)
        k.frame(0.5)
        slide = k.top._slide(0)
        assert slide is not None and slide.get_size() == (1080, 1920)
        source = pygame.image.load(str(DEMO_PACK / "media" / "attract" / "nadia.jpg"))
        scale = 1920 / 1080
        shown_w = 1080 / scale  # of the picture's 1920 pixels
        x0 = 0.33 * 1920 - shown_w / 2  # the crop centred on her
        for fx in (0.30, 0.33, 0.36):  # her left side, middle and right side, at her waist
            sx, sy = int(fx * 1920), int(0.7 * 1080)
            want = source.get_at((sx, sy))[:3]
            got = slide.get_at((int((sx - x0) * scale), int(sy * scale)))[:3]
            assert max(abs(a - b) for a, b in zip(want, got, strict=True)) < 40, (fx, want, got)
    finally:
        k.app.close()


def test_a_focal_point_outside_0_to_1_is_refused_with_its_place(pack_copy):
    from kiosk.content import load_pack

    (pack_copy / "media").mkdir()
    pygame.image.save(pygame.Surface((16, 9)), str(pack_copy / "media" / "a.png"))
    text = (pack_copy / "pack.yaml").read_text()
    assert "kiosk:" in text
    text = text.replace("kiosk:\n", "kiosk:\n  attract:\n    - {src: a.png, focus: [1.5, 0.2]}\n", 1)
    (pack_copy / "pack.yaml").write_text(text)
    loaded = load_pack(pack_copy)
    errors = [f for f in loaded.findings if f.code == "bad-value"]
    assert errors and "between 0 and 1" in errors[0].message
    assert errors[0].path.startswith("kiosk.attract[0].focus") and errors[0].line
