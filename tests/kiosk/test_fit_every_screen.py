"""Every screen fits at every text size and shape (issue 16): every visitor screen of the
demo pack, in every pack language, at each text size, on 1920x1080, 1080x1920 and 1280x800,
drawn by the real screens; every button's label is drawn at least at the smallest text role
of that text size (never shrunk below the page's text) and inside its button."""

from __future__ import annotations

import pygame
import pytest

from kiosk.app.shots import StepClock, _show, open_app
from kiosk.ui.theme import TEXT_SCALES, Metrics
from tests.support.kiosk_driver import DEMO_PACK

SHAPES = [(1920, 1080), (1080, 1920), (1280, 800)]
# (screen, story, scene): a story's note, questions, a long passage, a branching point with
# long labels, a scene's own note, an ending, and the overlays.
SCREENS = [
    ("language", None, None), ("menu", None, None), ("content_note", "nadia", None),
    ("survey_before", "nadia", None), ("survey_after", "nadia", None),
    ("passage", "samir", "start"), ("choice", "samir", "forest"),
    ("content_note", "samir", "journey"), ("ending", "samir", "after"),
    ("leave", None, None), ("help", "emil", None), ("idle", "emil", None),
    ("language_overlay", "emil", None),
]


def smallest_label(size_px: tuple[int, int], step: int) -> int:
    """The smallest label size allowed: the 26-unit small text at this text size (a unit is
    1/1080 of the screen's short side)."""
    unit = min(size_px) / 1080
    return max(1, round(26 * TEXT_SCALES[step] * unit))


def show(app, clock, screen, story, scene, lang, step):
    app.flow.end_visit("done")
    app.manager.go("attract", fade=False)
    if screen == "language_overlay":
        _show(app, "passage", story, scene, lang, step)
        app.manager.open_overlay("language_overlay")
    else:
        _show(app, screen, story, scene, lang, step)
    for _ in range(2):
        clock.advance(1.0)
        app.frame(events=[])


def finger(app, kind, pos):
    """The SDL event of a finger going down, moving or up at `pos` (window pixels)."""
    w, h = app.ctx.size
    etype = {"down": pygame.FINGERDOWN, "move": pygame.FINGERMOTION, "up": pygame.FINGERUP}
    return pygame.event.Event(etype[kind], touch_id=1, finger_id=7, x=pos[0] / w,
                              y=pos[1] / h, dx=0.0, dy=0.0, pressure=1.0)


def drag_through(app, clock, area: pygame.Rect) -> None:
    """Drag a finger up the scrolling `area` several times (its content scrolls to the
    end), one frame an event, as a visitor would."""
    x = area.centerx
    for _ in range(6):
        start, end = area.bottom - 8, area.y + 8
        app.frame(events=[finger(app, "down", (x, start))])
        for i in range(1, 5):
            clock.advance(0.05)
            app.frame(events=[finger(app, "move", (x, start + (end - start) * i // 4))])
        app.frame(events=[finger(app, "up", (x, end))])
        clock.advance(0.5)
        app.frame(events=[])


def button_problems(layer, where_shown: str, least: int, size, keys=None) -> list[str]:
    """The labels of one drawn layer (of `keys`, when given) smaller than allowed, out of
    their button or off the screen (a button scrolled out of sight is left out)."""
    problems = []
    for b in layer.buttons.items:
        if not (b.draw_label and b.label) or hidden(b) or (keys and b.key not in keys):
            continue
        where = f"{where_shown}/{b.key} {b.label!r}"
        if b.drawn_size is None:
            problems.append(f"{where}: not drawn")
        elif b.drawn_size < least:
            problems.append(f"{where}: {b.drawn_size} px < {least}")
        elif not b.label_fits:
            problems.append(f"{where}: runs out of its button")
        elif not pygame.Rect(0, 0, *size).contains(b.rect):
            problems.append(f"{where}: off the screen {b.rect}")
    return problems


def hidden(button) -> bool:
    """True when a button takes no taps: scrolled wholly out of its area."""
    return button.rect.width * button.rect.height == 0


def label_problems(size, screens=SCREENS) -> list[str]:
    """Every label drawn smaller than allowed, out of its button, off the screen or out of
    reach, on each screen x language x text size at one screen size."""
    clock = StepClock()
    app = open_app(DEMO_PACK, size, clock)
    problems = []
    try:
        for lang in app.ctx.pack.languages:
            for step in range(len(TEXT_SCALES)):
                for screen, story, scene in screens:
                    show(app, clock, screen, story, scene, lang, step)
                    drawn_at = app.ctx.text_step if app.ctx.visit else 0
                    least = smallest_label(size, drawn_at)
                    where = f"{screen}/{lang}/text {drawn_at}"
                    for layer in [app.manager.current, *app.manager.overlays]:
                        problems += button_problems(layer, where, least, size)
                        unseen = {b.key for b in layer.buttons.items if b.label and hidden(b)}
                        if not unseen:
                            continue
                        # out of sight: a drag through the scrolling area must bring each
                        # into view, whole and at its size
                        if getattr(layer, "box", None) is None:
                            problems.append(f"{where}: {sorted(unseen)} hidden, no scrolling")
                            continue
                        drag_through(app, clock, layer.box.rect)
                        problems += button_problems(layer, where, least, size, unseen)
                        problems += [f"{where}/{b.key}: never shown" for b in layer.buttons.items
                                     if b.key in unseen and hidden(b)]
    finally:
        app.close()
    return problems


@pytest.mark.parametrize("size", SHAPES, ids=[f"{w}x{h}" for w, h in SHAPES])
def test_every_label_keeps_its_size_and_fits_on_every_screen(cache_env, size):
    problems = label_problems(size)
    assert not problems, f"{len(problems)} labels:\n" + "\n".join(problems)


def test_the_smallest_label_is_the_small_text_role():
    m = Metrics(1920, 1080, 24.0, TEXT_SCALES[2])
    assert m.min_label == smallest_label((1920, 1080), 2) == 39


def drag(k, start, dy, steps=6):
    """A finger drag from `start` by `dy` pixels (down, moves, up), one frame each."""
    w, h = k.app.ctx.size
    x, y = start
    for event in k.touch_events(start, "down"):
        pygame.event.post(event)
    k.frame(0.05)
    for i in range(1, steps + 1):
        pygame.event.post(pygame.event.Event(
            pygame.FINGERMOTION, touch_id=1, finger_id=7, x=x / w, y=(y + dy * i / steps) / h,
            dx=0.0, dy=0.0, pressure=1.0))
        k.frame(0.05)
    for event in k.touch_events((x, y + dy), "up"):
        pygame.event.post(event)
    k.frame(0.05)


@pytest.mark.parametrize("lang", ["sv", "lv", "el"])
def test_the_menu_at_the_largest_text_scrolls_inside_its_area(cache_env, lang):
    from kiosk.ui import theme
    from tests.support.kiosk_driver import make_app

    k = make_app(DEMO_PACK, cache_env, size=(1280, 800))
    try:
        k.tap((640, 400))
        k.press(f"lang:{lang}")
        k.press("text_size")
        k.press("text_size")
        assert k.screen == "menu" and k.app.ctx.text_step == 2
        menu = k.top
        assert menu.max_scroll > 0, "the cards run past the bottom: they must scroll"
        bar = menu.chrome_rect.copy()
        title = menu.title_rect.copy()
        before = k.app.surface.subsurface(bar).copy()
        title_before = k.app.surface.subsurface(title).copy()
        # the cue: a scroll bar beside the cards, its knob at the top
        track_x = menu.area.right - 2
        assert k.app.surface.get_at((track_x, menu.area.y + 4))[:3] == theme.PRIMARY
        for _ in range(4):  # drag the cards up, all the way
            drag(k, (menu.area.centerx, menu.area.bottom - 40), -(menu.area.height - 80))
            k.frame(0.5)
            assert k.screen == "menu", "a drag never opens a story"
            surface = k.app.surface
            assert pygame.image.tobytes(surface.subsurface(bar), "RGB") == \
                pygame.image.tobytes(before, "RGB"), "cards painted over the controls"
            assert pygame.image.tobytes(surface.subsurface(title), "RGB") == \
                pygame.image.tobytes(title_before, "RGB"), "cards painted over the title"
        assert menu.scroll == menu.max_scroll
        last = menu.card_rects[-1].move(0, -menu.scroll)
        assert last.bottom <= menu.area.bottom, "the last card can be reached"
        first = menu.buttons.find(f"story:{menu.cards[0].story}")
        assert first.rect.top >= menu.area.top  # a card takes taps only where it shows
        k.tap((menu.area.centerx, title.centery))  # on the title, over a hidden card
        assert k.screen == "menu"
    finally:
        k.app.close()


def shown_at(k, screen, story, scene, lang, step):
    """The harness's kiosk showing one screen, in a language at a text size."""
    _show(k.app, screen, story, scene, lang, step)
    k.frame(1.0)
    k.frame(1.0)


def test_the_last_survey_answer_is_reached_by_a_drag_and_a_tap_records_it(cache_env):
    from kiosk.record import Store
    from kiosk.ui import theme
    from tests.support.kiosk_driver import make_app

    k = make_app(DEMO_PACK, cache_env, size=(1280, 800))
    try:
        # Greek at the largest text: the question and its five agreement answers need more
        # height than the 800-pixel screen has above Skip
        shown_at(k, "survey_before", "nadia", None, "el", 2)
        survey = k.top
        assert k.screen == "survey" and k.app.ctx.text_step == 2 and survey.index == 0
        question = survey.questions[0].id
        area = survey.box.rect
        last = k.button("answer:5")
        assert last.rect.height == 0, "the last answer starts out of sight, below the area"
        full = survey.answer_rects[-1]
        assert not area.collidepoint(full.center)
        k.tap(full.center)  # where it would be, out of sight: it takes no tap there
        assert k.screen == "survey" and survey.index == 0
        # the cue: a scroll bar beside the answers, its knob at the top
        assert k.app.surface.get_at((area.right + 8, area.y + 2))[:3] == theme.PRIMARY
        above = pygame.Rect(0, 0, 1280, area.y)
        below = pygame.Rect(0, area.bottom, 1280, 800 - area.bottom)
        before = [pygame.image.tobytes(k.app.surface.subsurface(r), "RGB") for r in (above, below)]
        for _ in range(4):  # drag up, starting on an answer: it scrolls, never answers
            drag(k, (area.centerx, area.bottom - 10), -(area.height - 20))
            assert k.screen == "survey" and survey.index == 0, "a drag never answers"
            after = [pygame.image.tobytes(k.app.surface.subsurface(r), "RGB")
                     for r in (above, below)]
            assert after == before, "painted over the controls or the Skip row"
        assert survey.box.offset == survey.box.max_offset > 0
        last = k.button("answer:5")
        assert last.rect == full.move(0, -survey.box.offset), "shown whole"
        assert area.contains(last.rect)
        assert last.drawn_size == last.size >= smallest_label((1280, 800), 2)  # not shrunk
        assert last.label_fits
        k.press("answer:5")
        assert survey.index == 1 and survey.given == {0: 5}
        assert k.app.ctx.recorder.flush(10)
        store = Store.open(k.app.data_dir)
        answers = [e for e in store.pending_batch(1000) if e["kind"] == "survey_answer"]
        store.close()
        assert [(e["payload"]["question"], e["payload"]["answer"], e["payload"]["phase"])
                for e in answers] == \
            [(question, 5, "before")]
    finally:
        k.app.close()


@pytest.mark.parametrize("screen", ["passage", "help"])
def test_the_arabic_replay_label_keeps_its_size_in_a_taller_controls_row(cache_env, screen):
    from kiosk.ui.layouts import control_height
    from tests.support.kiosk_driver import make_app

    k = make_app(DEMO_PACK, cache_env, size=(1280, 800))
    try:
        shown_at(k, screen, "samir", "start", "ar", 2)
        passage = k.app.manager.current
        m = k.app.ctx.metrics
        replay = passage.buttons.find("replay")
        assert replay.label == "إعادة التشغيل"
        # two lines of Arabic are taller than the usual controls row: the row grows
        assert replay.rect.height > control_height(m)
        assert replay.drawn_size == m.text("button") and replay.label_fits
        row = [passage.buttons.find(key) for key in ("next", "play", "replay")]
        assert {b.rect.height for b in row} == {replay.rect.height}
        assert {b.rect.y for b in row} == {passage.lay.controls.y}
        assert passage.lay.text.bottom < passage.lay.controls.y, "the text stays above"
        assert passage.lay.controls.bottom <= 800
    finally:
        k.app.close()
