"""The helpline panel: every helpline for the pack's country shown whole, on every ending and
in Help, in every language, text size and screen shape; nothing dropped, nothing under a
button; the panel scrolls, with a visible cue, when it must (issue 16).

The checks read the panel's own boxes (`HelplinePanel.layout`), the boxes draw() uses."""

from __future__ import annotations

import pygame
import pytest

from tests.support.demo_pack import SWEDEN
from tests.support.kiosk_driver import make_app

SHAPES = [(1920, 1080), (1080, 1920), (1280, 800)]
# The demo's Swedish overlay (content-se over the base): these three lines, in this order
# (ETHICS.md's table; 116 006 as Skalbes is Latvian, the Italian and Greek lines are in their
# countries' overlays).
SWEDISH_LINES = {"emergency": "112", "brottsofferjouren": "116 006",
                 "kvinnofridslinjen": "020-50 50 50"}


def _chars(placed) -> list[str]:
    """Every character laid out in a placed text, spaces aside (nothing cut off)."""
    return sorted(c for line in placed.block.lines for run in line.runs
                  for c in run.run.text if not c.isspace())


def _inside(inner: pygame.Rect, outer: pygame.Rect) -> bool:
    return outer.contains(inner)


def check_panel(top, size, where: str) -> pygame.Rect:
    """The panel on screen `top` shows every Swedish line whole, inside its view or its
    scroll content, clear of every button; returns the view."""
    lay = top.helplines.layout
    screen = pygame.Rect(0, 0, *size)
    buttons = [b.rect for b in top.buttons.items]
    assert [c.id for c in lay.cards] == list(SWEDISH_LINES), where
    view = lay.view
    assert _inside(view, screen), where
    assert _inside(lay.heading.rect, screen), where
    for rect in buttons:
        assert not view.colliderect(rect), (where, "view under a button", rect)
        assert not lay.heading.rect.colliderect(rect), (where, "heading under a button")
    # the scroll content: the view's width, as tall as the content
    content = pygame.Rect(view.x, view.y, view.width, max(view.height, lay.content_height))
    for card in lay.cards:
        name, number = card.text("name"), card.text("number")
        assert name is not None and number is not None, (where, card.id)
        assert _chars(number) == sorted(SWEDISH_LINES[card.id].replace(" ", "")), (where,
                                                                                   card.id)
        assert card.text("languages") is not None, (where, card.id)
        # a number breaks at its spaces at most, never inside a group of digits
        assert len(number.block.lines) <= len(SWEDISH_LINES[card.id].split()), (where, card.id)
        for placed in card.texts:
            assert placed.block.used_width <= placed.rect.width, (where, card.id, placed.key)
            assert placed.rect.height == placed.block.height
            assert _inside(placed.rect, content), (where, card.id, placed.key, placed.rect)
            if not lay.scrollable:
                assert _inside(placed.rect, view), (where, card.id, placed.key)
        assert _inside(card.qr, content), (where, card.id, "qr")
    for placed in lay.notes:
        assert _inside(placed.rect, content), (where, placed.key)
    # nothing overdraws anything else: texts, codes and cards each have their own room
    boxes = [(f"{c.id}.{p.key}", p.rect) for c in lay.cards for p in c.texts]
    boxes += [(f"{c.id}.qr", c.qr) for c in lay.cards] + [(p.key, p.rect) for p in lay.notes]
    for i, (a, ra) in enumerate(boxes):
        for b, rb in boxes[i + 1:]:
            assert not ra.colliderect(rb), (where, a, b)
    for i, a in enumerate(lay.cards):
        for b in lay.cards[i + 1:]:
            assert not a.rect.colliderect(b.rect), (where, a.id, b.id)
    if lay.content_height > view.height:
        assert lay.scrollable and lay.bar is not None and lay.cue is not None, where
        m = top.ctx.metrics
        assert lay.cue.height >= 9 * m.px_per_mm, where  # the cue is a touch target
        for cue in (lay.bar, lay.cue):
            assert _inside(cue, screen), where
            assert not cue.colliderect(view), where
            for rect in buttons:
                assert not cue.colliderect(rect), (where, "cue under a button")
    else:
        assert not lay.scrollable and lay.bar is None and lay.cue is None, where
    return view


def _endings(pack):
    return [(story.id, scene_id, story.languages) for story in pack.stories.values()
            for scene_id, scene in story.scenes.items() if scene.ending is not None]


@pytest.mark.parametrize("size", SHAPES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_helpline_shows_whole_on_every_ending_and_in_help(cache_env, size):
    from kiosk.app.shots import place_story

    k = make_app(SWEDEN, cache_env, size=size, record=False, media=False)
    app = k.app
    try:
        endings = _endings(app.ctx.pack)
        assert len({story for story, *_ in endings}) == 3
        seen = 0
        for story, scene, languages in endings:
            for lang in languages:
                for step in (0, 1, 2):
                    where = f"{story}/{scene} {lang} text {step} {size}"
                    place_story(app, story, scene, lang)
                    app.ctx.text_step = step
                    view = app.flow.view()
                    app.flow.go("ending", view=view, text_read=app.flow.ending_has_media(view))
                    top = app.manager.top
                    assert top.name == "ending", where
                    check_panel(top, size, "ending " + where)
                    if size == (1920, 1080) and step == 0:
                        # the demo pack's lines all show on a 1080p ending without scrolling
                        assert not top.helplines.layout.scrollable, where
                    if scene == endings[0][1] and story == endings[0][0]:
                        app.manager.open_overlay("help")
                        help_top = app.manager.top
                        assert help_top.name == "help", where
                        check_panel(help_top, size, "help " + where)
                        app.manager.close_overlay("help")
                    seen += 1
        assert seen == 3 * sum(len(langs) for *_, langs in endings) >= 3 * 3 * 5
    finally:
        app.close()


@pytest.fixture
def demo(cache_env):
    """The kiosk on the Swedish overlay."""
    driver = make_app(SWEDEN, cache_env)
    yield driver
    driver.app.close()


def test_the_panel_names_each_lines_languages_in_themselves(demo):
    """Endonyms joined by the language's list separator; Arabic uses the Arabic comma."""
    from kiosk.scenes.helplines import panel_view

    ctx = demo.app.ctx
    expected = {"sv": "Språk: svenska, English", "en": "Languages: svenska, English",
                "ar": "اللغات: svenska، English", "el": "Γλώσσες: svenska, English"}
    for lang, text in expected.items():
        ctx.language = lang
        card = next(c for c in panel_view(ctx).cards if c.id == "kvinnofridslinjen")
        assert next(p.text for p in card.pieces if p.key == "languages") == text


def test_the_panel_says_when_no_line_speaks_the_visitors_language(demo):
    from kiosk.scenes.helplines import panel_view

    ctx = demo.app.ctx
    notes = {}
    for lang in ("sv", "en", "it", "ar"):
        ctx.language = lang
        notes[lang] = [p.text for p in panel_view(ctx).before]
    # Swedish and English are spoken at the Swedish lines; Italian and Arabic at none.
    assert notes["sv"] == [] and notes["en"] == []
    assert notes["it"] == ["A questi numeri nessuno parla la tua lingua."]
    assert notes["ar"] == ["لا أحد على هذه الأرقام يتحدث لغتك."]


def test_a_scrolling_panel_draws_its_cue_and_a_tap_on_it_scrolls(cache_env):
    """Arabic at the largest text on 1280x800 does not fit: the bar and the arrow strip are
    drawn, a tap on the strip brings the last card into view, and nothing is drawn under
    Continue."""
    from kiosk.app.shots import place_story
    from kiosk.ui import theme

    k = make_app(SWEDEN, cache_env, size=(1280, 800), record=False, media=False)
    app = k.app
    try:
        place_story(app, "samir", "after", "ar")
        app.ctx.text_step = 2
        view = app.flow.view()
        app.flow.go("ending", view=view, text_read=app.flow.ending_has_media(view))
        k.frame(1)
        top = k.top
        lay = top.helplines.layout
        assert lay.scrollable
        surface = app.surface
        knob = surface.get_at((lay.bar.centerx, lay.bar.y + 2))[:3]
        assert knob == theme.PRIMARY
        border = surface.get_at((lay.cue.centerx, lay.cue.y + 1))[:3]
        assert border == theme.PRIMARY
        last = lay.cards[-1].text("number").rect
        assert last.bottom > lay.view.bottom  # below the fold at first
        k.tap(lay.cue.center)
        k.tap(lay.cue.center)
        off = top.helplines.scroll.offset
        assert off > 0
        assert lay.view.y <= last.y - off and last.bottom - off <= lay.view.bottom
        cont = top.buttons.find("continue").rect
        assert surface.get_at(cont.center)[:3] != theme.CARD
    finally:
        app.close()


@pytest.fixture(scope="module")
def book():
    pygame.font.init()
    from kiosk.ui.fonts import FontBook

    return FontBook()


def test_a_fallback_text_on_an_arabic_screen_keeps_its_full_stop_at_its_end(book):
    from kiosk.ui.text import layout_text

    block = layout_text(book, "Victims of crime.", "ar", 900, 32)
    line = block.lines[0]
    assert "".join(p.run.text for p in line.runs) == "Victims of crime."
    assert block.align == "right"  # still on the screen's side
    arabic = layout_text(book, "ضحايا الجرائم.", "en", 900, 32)
    runs = [p.run for p in arabic.lines[0].runs]
    # one right-to-left run, the stop in it (drawn at its left end); then aligned to the left
    assert [r.text for r in runs] == ["ضحايا", " ", "الجرائم."] or \
        "".join(r.text for r in reversed(runs)) == "ضحايا الجرائم."
    assert all(r.rtl for r in runs if r.text.strip()) and arabic.align == "left"
