"""Text layout, contrast, target sizes, the fit check and headless screenshots."""

from __future__ import annotations

import math

import pygame
import pytest

from kiosk.ui import theme
from tests.support.fixture_date import TODAY
from tests.support.kiosk_driver import DEMO_PACK, FIXTURE_PACK, make_app


@pytest.fixture(scope="module")
def book():
    pygame.font.init()
    from kiosk.ui.fonts import FontBook

    return FontBook()


def test_wrapping_keeps_every_line_inside_the_box(book):
    from kiosk.ui.text import layout_text

    text = ("Nadia is twenty-two and works early mornings in a bakery in her home town. "
            "Supercalifragilisticexpialidociousandevenlongerwordsthatneverend too.\n\n"
            "A second paragraph.")
    block = layout_text(book, text, "en", 400, 32)
    assert len(block.lines) > 4
    assert all(line.width <= 400 for line in block.lines)
    ys = [line.y for line in block.lines]
    gaps = {b - a for a, b in zip(ys, ys[1:], strict=False)}
    assert len(gaps) == 2  # line height, and line height plus the paragraph gap


def test_arabic_is_right_to_left_and_right_aligned(book):
    from kiosk.ui.text import layout_text

    block = layout_text(book, "اتصل بالرقم 112 الآن", "ar", 900, 32)
    assert block.rtl and block.align == "right"
    line = block.lines[0]
    assert block.line_x(line) == 900 - line.width > 0
    texts = [p.run.text for p in line.runs if p.run.text.strip()]
    # visual order, left to right: "الآن" then "112" then "اتصل بالرقم"
    assert texts == ["الآن", "112", "اتصل بالرقم"]
    assert line.runs[0].run.family == "NotoSansArabic"
    image = block.render((0, 0, 0))
    cols = [x for x in range(image.get_width())
            if any(image.get_at((x, y)).a for y in range(image.get_height()))]
    assert min(cols) >= 900 - line.width - 2 and max(cols) >= 890


def test_thai_without_spaces_breaks_between_clusters(book):
    from kiosk.ui.text import layout_text

    text = "ภาษาไทยไม่มีช่องว่างระหว่างคำ" * 4
    block = layout_text(book, text, "th", 300, 32)
    assert len(block.lines) > 1
    assert all(line.width <= 300 for line in block.lines)
    joined = "".join(p.run.text for line in block.lines for p in line.runs)
    assert joined == text  # nothing lost, marks kept with their letters
    for line in block.lines:
        first = line.runs[0].run.text[0]
        import unicodedata

        assert not unicodedata.combining(first) and unicodedata.category(first) != "Mn"


def test_the_width_cache_is_bounded_across_sizes_and_scripts(monkeypatch):
    """One bound for all measurers: many text sizes and scripts do not each keep their own
    (a soak made over 70 measurers, and their per-measurer bounds let memory grow)."""
    from kiosk.ui import text
    from kiosk.ui.fonts import FontBook

    book = FontBook()
    widths = text.WidthCache(book)
    monkeypatch.setattr(text, "WIDTH_CACHE_ENTRIES", 300)
    words = " ".join(f"word{n}" for n in range(60))
    first = text.layout_text(book, words, "en", 500, 20, widths=widths)
    for size in range(21, 41):
        for lang in ("en", "ar", "el"):
            text.layout_text(book, words, lang, 500, size, widths=widths)
            assert len(widths.entries) <= 300
    again = text.layout_text(book, words, "en", 500, 20, widths=widths)  # measured anew
    assert [line.width for line in again.lines] == [line.width for line in first.lines]
    measure = widths.measurer(40, False, "Latn", False)
    measure.width("word59")  # used last: kept, while the first sizes' widths went
    assert ((40, False, "Latn", False), "word59") in widths.entries
    assert not any(key[0][0] == 21 for key in widths.entries)


def test_a_missing_glyph_falls_back_to_another_font(book):
    from kiosk.ui.text import layout_text

    block = layout_text(book, "قصص – ثلاث", "ar", 900, 32)
    families = {p.run.family for p in block.lines[0].runs if p.run.text.strip()}
    assert families == {"NotoSansArabic", "NotoSans"}  # the dash is not in the Arabic font


def test_every_text_colour_pair_meets_wcag_aa():
    for name, (fg, bg) in theme.TEXT_PAIRS.items():
        assert theme.contrast_ratio(fg, bg) >= 4.5, name


def test_every_button_edge_meets_wcag_non_text_contrast():
    """WCAG 1.4.11: a control's boundary has 3:1 against the colours next to it. The edge
    is what the button draws at its rim: its border, else its fill; the WCAG formula is
    computed here from the sRGB values, not taken from the theme."""
    from kiosk.ui.widgets import STYLES

    def linear(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    def lum(rgb):
        r, g, b = (linear(v) for v in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    def ratio(a, b):
        hi, lo = sorted((lum(a), lum(b)), reverse=True)
        return (hi + 0.05) / (lo + 0.05)

    low = []
    for style, (fill, _pressed, _ink, border) in STYLES.items():
        edge = border if border is not None else fill
        for where, around in {"paper": theme.BG, "controls bar": theme.CHROME}.items():
            if ratio(edge, around) < 3.0:
                low.append(f"{style} on {where}: {ratio(edge, around):.2f}:1")
    assert not low, low
    assert set(theme.SURROUNDS.values()) == {theme.BG, theme.CHROME}


def _gap(a: pygame.Rect, b: pygame.Rect) -> float:
    dx = max(b.left - a.right, a.left - b.right, 0)
    dy = max(b.top - a.bottom, a.top - b.bottom, 0)
    return math.hypot(dx, dy)


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_targets_are_9mm_with_2mm_between(cache_env, size):
    from kiosk.app.shots import place_story

    k = make_app(DEMO_PACK, cache_env, size=size, record=False)
    try:
        m = k.app.ctx.metrics
        nine, two = 9 * m.px_per_mm, 2 * m.px_per_mm
        seen = set()

        def check():
            top = k.top
            seen.add(top.name)
            rects = [b.rect for b in top.buttons.items]
            for r in rects:
                assert min(r.width, r.height) >= nine, (top.name, r)
            for i, a in enumerate(rects):
                for b in rects[i + 1:]:
                    assert _gap(a, b) >= two, (top.name, a, b)

        k.tap((size[0] // 2, size[1] // 3))
        check()
        k.press("lang:en")
        check()
        k.press("story:samir")
        check()
        place_story(k.app, "samir", "forest", "en")
        k.app.ctx.visit.acknowledged.add("forest")
        k.app.flow.show_scene()
        k.frame(1)
        check()
        k.press("next")
        check()
        k.press("help")
        check()
        assert {"language", "menu", "content_note", "passage", "choice", "help"} <= seen
    finally:
        k.app.close()


def test_fit_check_warns_about_text_too_long_for_its_box(pack_copy):
    from kiosk.content import load_pack
    from kiosk.ui.fit import text_fit_warnings

    assert text_fit_warnings(load_pack(FIXTURE_PACK, today=TODAY).pack) == []
    story = pack_copy / "stories" / "ana.yaml"
    long = " ".join(["Ana reads the advert again and again and slowly."] * 60)
    story.write_text(story.read_text().replace("Ana får hjälp.", long))
    warnings = text_fit_warnings(load_pack(pack_copy, today=TODAY).pack)
    assert warnings and 'scene "end"' in warnings[0] and "scroll" in warnings[0]


SHOTS = [
    ("attract", {}), ("language", {}), ("menu", {"lang": "en"}),
    ("content_note", {"story": "nadia", "lang": "it"}),
    ("survey_before", {"story": "nadia", "lang": "lv"}),
    ("passage", {"story": "samir", "scene": "start", "lang": "ar"}),
    ("choice", {"story": "samir", "scene": "forest", "lang": "el"}),
    ("ending", {"story": "samir", "scene": "after", "lang": "sv"}),
    ("leave", {}), ("help", {"story": "emil", "lang": "en"}),
    ("idle", {"story": "emil", "lang": "en"}), ("staff", {}),
]


@pytest.mark.parametrize("screen,kw", SHOTS, ids=[s for s, _ in SHOTS])
def test_screenshot_of_every_screen(cache_env, screen, kw):
    from kiosk.app.shots import screenshot

    out = screenshot(DEMO_PACK, cache_env / f"{screen}.png", screen=screen, today=TODAY, **kw)
    image = pygame.image.load(str(out))
    assert image.get_size() == (1920, 1080)
    from PIL import Image

    colours = Image.open(out).convert("RGB").getcolors(maxcolors=1 << 20)
    assert len(colours) > 8, "a screenshot is never blank"


def test_a_text_cache_measures_through_its_own_width_cache(book):
    from kiosk.ui.text import TextCache

    cache = TextCache(book)
    cache.block("one two three", "en", 500, 20)
    assert ((20, False, "Latn", False), "two") in cache.widths.entries
