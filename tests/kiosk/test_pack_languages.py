"""A pack that passes `kiosk check` plays in every language it offers, on the real screens;
a language the kiosk cannot name or draw never reaches a visitor, and never traps one."""

from __future__ import annotations

import shutil
import unicodedata

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.content import load_pack
from tests.support.fixture_date import TODAY
from tests.support.kiosk_driver import FIXTURE_PACK, make_app

# Codes testers wrote in real packs that the kiosk cannot play, and codes it can.
BAD = ["xx", "zz", "und", "qaa", "abc", "gr", "dk", "ua", "jp", "cz", "prs", "iw", "zh",
       "ja", "ko", "en-XX"]
GOOD = ["en", "el", "ar", "fa", "th", "ti", "ru", "ro", "pa", "ka", "ta", "km", "he",
        "fa-AF", "pt-BR", "sr-Latn", "lv", "it"]


def test_a_bad_language_that_reaches_the_kiosk_does_not_trap_visitors(cache_env):
    """Before: the picker failed on "xx", the failure went back to the attract loop, and
    every tap did the same again. Now the visit starts in the default language."""
    k = make_app(FIXTURE_PACK, cache_env, media=False, record=False)
    try:
        packs = k.app.ctx.packs
        packs.pack = msgspec.structs.replace(packs.pack, languages=["sv", "en", "xx"])
        k.tap((960, 500))
        assert k.screen == "menu" and k.app.ctx.visit is not None
        assert k.app.ctx.language == "sv"
        assert "story:ana" in k.keys()
    finally:
        k.app.close()


def _write_pack(root, languages: list[str]) -> None:
    """The fixture pack offered in sv plus `languages`, its first scene in each of them."""
    shutil.copytree(FIXTURE_PACK, root)
    pack = root / "pack.yaml"
    pack.write_text(pack.read_text(encoding="utf-8").replace(
        "languages: [sv, en]", f"languages: [{', '.join(['sv', *languages])}]"),
        encoding="utf-8")
    story = root / "stories" / "ana.yaml"
    extra = "".join(f", {code}: \"{code}: Ana\"" for code in languages if code != "en")
    story.write_text(story.read_text(encoding="utf-8").replace(
        "en: Ana gets an offer.}", "en: Ana gets an offer." + extra + "}"), encoding="utf-8")


def _drawn_with_real_glyphs(book, text: str, code: str) -> bool:
    """Every letter of `text`, cut into runs as the kiosk draws them, has a real glyph."""
    from kiosk.i18n import language_info
    from kiosk.ui.text import segment

    info = language_info(code)
    return all(book.has_glyph(run.family, ch)
               for run in segment(book, text, info.script, info.rtl) for ch in run.text
               if not unicodedata.combining(ch))


@pytest.mark.parametrize("code", GOOD)
def test_every_playable_language_is_named_in_real_glyphs(code):
    """Punjabi, Tamil and Khmer letters were cut into "Latin" runs and drawn as boxes."""
    from kiosk.i18n import language_info
    from kiosk.ui.fonts import FontBook

    name = language_info(code).name_in_itself
    assert _drawn_with_real_glyphs(FontBook(), name, code), name


@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(good=st.lists(st.sampled_from(GOOD), min_size=1, max_size=3, unique=True),
       bad=st.lists(st.sampled_from(BAD), max_size=1), at=st.integers(0, 3))
def test_a_pack_that_passes_the_check_plays_in_every_language(tmp_path_factory, good, bad, at):
    languages = good[:at] + bad + good[at:]
    root = tmp_path_factory.mktemp("langs") / "pack"
    _write_pack(root, [c for c in languages if c != "sv"])
    loaded = load_pack(root, today=TODAY)
    if any(code in BAD for code in languages):
        assert not loaded.ok, f"{languages} passed the check"
        return
    assert loaded.ok, [f.format() for f in loaded.findings if f.severity == "error"]
    k = make_app(root, tmp_path_factory.mktemp("kiosk"), media=False, record=False)
    try:
        from kiosk.i18n import language_info

        for code in loaded.pack.languages:
            assert k.screen == "attract"
            k.tap((960, 500))
            assert k.screen == "language", f"{code}: the tap led to {k.screen}"
            name = language_info(code).name_in_itself
            assert k.button(f"lang:{code}").label == name
            assert _drawn_with_real_glyphs(k.app.ctx.fonts, name, code), f"{code}: {name} shows boxes"
            k.press(f"lang:{code}")
            assert k.screen == "menu" and k.app.ctx.language == code
            k.press("story:ana")
            assert k.screen == "content_note"
            k.press("continue")
            k.press("skip")  # the fixture pack's before-survey
            assert k.screen == "passage", f"{code}: the story led to {k.screen}"
            assert k.app.ctx.visit.state.scene_id == "home"
            k.press("leave")
            k.app.flow.attract()
            k.frame(1.0)
    finally:
        k.app.close()
